/**
 * The initramfs for a synthetic BusyBox and module tree: gzip'd newc that GNU cpio unpacks into the
 * layout docs/guest.md describes, /init loading the modules in modules.dep order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { buildInitramfs, initramfsCpio, type InitramfsSpec } from "../../../src/vmm/guest/initramfs.js";
import { busyboxApplets } from "../../../src/vmm/guest/busybox-applets.js";
import { FAKE_APPLETS, fakeBusybox, fakeModule } from "./fake-module.js";

const haveCpio = spawnSync("cpio", ["--version"], { stdio: "ignore" }).status === 0;

const SPEC: InitramfsSpec = {
  busybox: fakeBusybox(FAKE_APPLETS),
  applets: FAKE_APPLETS,
  kernelRelease: "6.1.0-99-armmp",
  modules: [
    { path: "kernel/drivers/virtio/virtio.ko", data: fakeModule(["name=virtio"]), deps: [] },
    { path: "kernel/drivers/virtio/virtio_mmio.ko", data: fakeModule(["name=virtio_mmio", "depends=virtio"]), deps: ["kernel/drivers/virtio/virtio.ko"] },
  ],
};

test("the applet table is read from the binary, not a decoy", () => {
  assert.deepEqual(busyboxApplets(SPEC.busybox), FAKE_APPLETS);
  assert.throws(() => busyboxApplets(new Uint8Array(100)), /no BusyBox applet table/);
});

test("gzip'd archive is the cpio stream; the same inputs give the same bytes", () => {
  const gz = buildInitramfs(SPEC);
  assert.deepEqual([gz[0], gz[1]], [0x1f, 0x8b]); // gzip magic (RFC 1952)
  assert.deepEqual(new Uint8Array(gunzipSync(gz)), initramfsCpio(SPEC));
  assert.deepEqual(buildInitramfs(SPEC), gz);
});

test("GNU cpio unpacks the layout: /init, BusyBox links, shutdown scripts, modules, device nodes", { skip: !haveCpio && "cpio is not installed" }, () => {
  const archive = initramfsCpio(SPEC);
  const listing = spawnSync("cpio", ["-tv", "--quiet"], { input: archive, encoding: "utf8" });
  assert.equal(listing.status, 0, listing.stderr);
  assert.match(listing.stdout, /^crw------- .*\b5,\s+1 .* dev\/console$/m);
  assert.match(listing.stdout, /^crw-rw-rw- .*\b1,\s+3 .* dev\/null$/m);
  assert.match(listing.stdout, /^drwxrwxrwt .* tmp$/m);
  const dir = mkdtempSync(join(tmpdir(), "tskvm-initramfs-"));
  try {
    // Device nodes need privilege to create: leave them out of the extraction (listed above).
    const r = spawnSync("cpio", ["-i", "--quiet", "--make-directories", "--nonmatching", "dev/*"], { cwd: dir, input: archive, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(statSync(join(dir, "init")).mode & 0o777, 0o755);
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, "bin/busybox"))), SPEC.busybox);
    assert.equal(readlinkSync(join(dir, "bin/sh")), "busybox");
    assert.equal(readlinkSync(join(dir, "bin/[[")), "busybox");
    assert.ok(lstatSync(join(dir, "bin/mount")).isSymbolicLink());
    for (const cmd of ["poweroff", "reboot", "halt"]) {
      assert.ok(lstatSync(join(dir, "bin", cmd)).isFile(), cmd);
      assert.match(readFileSync(join(dir, "bin", cmd), "utf8"), new RegExp(`^sync\\nexec /bin/busybox ${cmd} -f`, "m"));
    }
    const mod = "lib/modules/6.1.0-99-armmp";
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, mod, "kernel/drivers/virtio/virtio_mmio.ko"))), SPEC.modules[1]!.data);
    assert.equal(readFileSync(join(dir, mod, "modules.dep"), "utf8"),
      "kernel/drivers/virtio/virtio.ko:\nkernel/drivers/virtio/virtio_mmio.ko: kernel/drivers/virtio/virtio.ko\n");
    const init = readFileSync(join(dir, "init"), "utf8");
    assert.match(init, /^#!\/bin\/sh\n/);
    for (const fs of ["proc proc /proc", "sysfs sysfs /sys", "devtmpfs devtmpfs /dev", "tmpfs tmpfs /tmp"]) assert.match(init, new RegExp(`^mount -t ${fs}$`, "m"));
    const insmods = [...init.matchAll(/^insmod '([^']+)'/gm)].map((m) => m[1]);
    assert.deepEqual(insmods, [`/${mod}/kernel/drivers/virtio/virtio.ko`, `/${mod}/kernel/drivers/virtio/virtio_mmio.ko`]);
    assert.ok(init.indexOf("mount -t proc") < init.indexOf("insmod"));
    // The console shell runs in the background so PID 1 can act on BusyBox's shutdown signals
    // (halt.c: USR1 halt, USR2 poweroff, TERM reboot) while it waits.
    assert.match(init, /^setsid cttyhack sh -l <\/dev\/console >\/dev\/console 2>&1 &\nwait \$!$/m);
    assert.match(init, /^trap 'sync; exec busybox poweroff -f' USR2$/m);
    assert.match(init, /^trap 'sync; exec busybox halt -f' USR1$/m);
    assert.match(init, /^trap 'sync; exec busybox reboot -f' TERM$/m);
    assert.ok(init.indexOf("trap ") < init.indexOf("setsid"), "traps are set before the shell starts");
    assert.match(init, /sync\nexec busybox poweroff -f\n$/);
    // The script is valid sh.
    assert.equal(spawnSync("sh", ["-n", join(dir, "init")]).status, 0);
    assert.match(readFileSync(join(dir, "etc/passwd"), "utf8"), /^root::0:0:root:\/root:\/bin\/sh$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad kernel release, module paths and applet names are refused", () => {
  assert.throws(() => initramfsCpio({ ...SPEC, kernelRelease: "../x" }), /bad kernel release/);
  assert.throws(() => initramfsCpio({ ...SPEC, modules: [{ path: "../evil.ko", data: new Uint8Array(1), deps: [] }] }), /bad module path/);
  assert.throws(() => initramfsCpio({ ...SPEC, applets: ["a/b"] }), /bad applet name/);
});
