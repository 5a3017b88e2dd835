/**
 * `guest fetch` against a fake apt (shell scripts standing in for apt-get/apt-cache, .debs built with
 * the real dpkg-deb -b), its one-line errors, and — when Debian's busybox-static:armhf is already in
 * the cache and qemu-arm is installed — the applet table read from the real binary vs `busybox --list`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { defaultGuestDir, existingGuest, fetchGuest } from "../../../src/vmm/guest/fetch.js";
import { GuestFetchError } from "../../../src/vmm/guest/debian-archive.js";
import { busyboxApplets } from "../../../src/vmm/guest/busybox-applets.js";
import { FAKE_APPLETS, fakeBusybox, fakeModule } from "./fake-module.js";

const haveDpkgDeb = spawnSync("dpkg-deb", ["--version"], { stdio: "ignore" }).status === 0;
const RELEASE = "6.1.0-99-armmp";

function buildDeb(repo: string, pkg: string, version: string, files: Record<string, Uint8Array | string>): void {
  const root = join(repo, `${pkg}-tree`);
  mkdirSync(join(root, "DEBIAN"), { recursive: true });
  writeFileSync(join(root, "DEBIAN/control"), `Package: ${pkg}\nVersion: ${version}\nArchitecture: armhf\nMaintainer: t <t@example.org>\nDescription: test\n`);
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  const r = spawnSync("dpkg-deb", ["--root-owner-group", "-Zgzip", "-b", root, join(repo, `${pkg}_${version}_armhf.deb`)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
}

/** apt-get/apt-cache stand-ins: update writes an index file into Dir::State/lists, download copies from the repo. */
function fakeApt(dir: string, repo: string, failDownload = false): { aptGet: string; aptCache: string; dpkgDeb: string } {
  const aptGet = join(dir, "apt-get");
  writeFileSync(aptGet, `#!/bin/sh
state=""; for a in "$@"; do case "$a" in Dir::State=*) state="\${a#Dir::State=}";; esac; done
for last in "$@"; do :; done
case " $* " in
  *" update "*) echo x > "$state/lists/fake_Packages"; exit 0;;
  *" download "*) ${failDownload ? 'echo "E: Failed to fetch http://deb.debian.org/x  Temporary failure resolving deb.debian.org" >&2; exit 100' : `name="\${last%%:*}"; cp ${repo}/"$name"_*_armhf.deb . 2>/dev/null || { echo "E: Unable to locate package $last" >&2; exit 100; }; exit 0`};;
esac
exit 1
`);
  const aptCache = join(dir, "apt-cache");
  writeFileSync(aptCache, `#!/bin/sh
for last in "$@"; do :; done
[ "$last" = "linux-image-armmp:armhf" ] || { echo "E: No packages found" >&2; exit 100; }
printf 'Package: linux-image-armmp\\nVersion: 6.1.999-1\\nDepends: linux-image-${RELEASE} (= 6.1.999-1)\\n'
`);
  chmodSync(aptGet, 0o755);
  chmodSync(aptCache, 0o755);
  return { aptGet, aptCache, dpkgDeb: "dpkg-deb" };
}

function makeRepo(repo: string): void {
  const mod = `lib/modules/${RELEASE}`;
  buildDeb(repo, `linux-image-${RELEASE}`, "6.1.999-1", {
    [`boot/vmlinuz-${RELEASE}`]: "zImage-bytes",
    [`${mod}/modules.builtin`]: "kernel/drivers/virtio/virtio.ko\nkernel/drivers/virtio/virtio_ring.ko\nkernel/drivers/char/hw_random/rng-core.ko\n",
    [`${mod}/kernel/drivers/virtio/virtio_mmio.ko`]: fakeModule(["depends="]),
    [`${mod}/kernel/drivers/block/virtio_blk.ko`]: fakeModule(["depends="]),
    [`${mod}/kernel/drivers/char/hw_random/virtio-rng.ko`]: fakeModule(["depends="]),
    [`${mod}/kernel/fs/ext4/ext4.ko`]: fakeModule(["depends=jbd2,mbcache", "softdep=pre: crc32c"]),
    [`${mod}/kernel/fs/jbd2/jbd2.ko`]: fakeModule(["depends="]),
    [`${mod}/kernel/fs/mbcache.ko`]: fakeModule(["depends="]),
    [`${mod}/kernel/crypto/crc32c_generic.ko`]: fakeModule(["alias=crc32c", "depends="]),
    [`${mod}/kernel/drivers/net/virtio_net.ko`]: fakeModule(["depends=net_failover"]),
    [`${mod}/kernel/drivers/net/net_failover.ko`]: fakeModule(["depends="]),
  });
  buildDeb(repo, "busybox-static", "1:1.99-1", { "bin/busybox": fakeBusybox(FAKE_APPLETS) });
}

test("fetch through a fake apt: meta package resolved, vmlinuz, initrd.img and manifest written", { skip: !haveDpkgDeb && "dpkg-deb is not installed" }, () => {
  const tmp = mkdtempSync(join(tmpdir(), "tskvm-fetch-"));
  try {
    const repo = join(tmp, "repo");
    mkdirSync(repo);
    makeRepo(repo);
    const dir = join(tmp, "guest");
    assert.equal(existingGuest(dir), null);
    const { files, manifest } = fetchGuest({ dir, tools: fakeApt(tmp, repo) });
    assert.deepEqual(existingGuest(dir), files);
    assert.equal(readFileSync(files.vmlinuz, "utf8"), "zImage-bytes");
    assert.deepEqual(manifest.kernel, { package: `linux-image-${RELEASE}`, version: "6.1.999-1", release: RELEASE });
    assert.deepEqual(manifest.busybox, { package: "busybox-static", version: "1:1.99-1", applets: FAKE_APPLETS.length });
    assert.deepEqual(manifest.modules, [
      "kernel/drivers/virtio/virtio_mmio.ko",
      "kernel/drivers/block/virtio_blk.ko",
      "kernel/drivers/char/hw_random/virtio-rng.ko",
      "kernel/crypto/crc32c_generic.ko",
      "kernel/fs/jbd2/jbd2.ko",
      "kernel/fs/mbcache.ko",
      "kernel/fs/ext4/ext4.ko",
    ]);
    const initrd = readFileSync(files.initrd);
    assert.equal(manifest.files["initrd.img"].sha256, createHash("sha256").update(initrd).digest("hex"));
    assert.deepEqual(JSON.parse(readFileSync(files.manifest, "utf8")), manifest);
    const cpio = gunzipSync(initrd).toString("latin1");
    assert.ok(cpio.includes(`lib/modules/${RELEASE}/kernel/fs/ext4/ext4.ko\0`));
    assert.ok(!cpio.includes("virtio_net.ko"));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("network failure and missing tools are one-line GuestFetchErrors", { skip: !haveDpkgDeb && "dpkg-deb is not installed" }, () => {
  const tmp = mkdtempSync(join(tmpdir(), "tskvm-fetch-"));
  try {
    const tools = fakeApt(tmp, join(tmp, "none"), true);
    assert.throws(() => fetchGuest({ dir: join(tmp, "g1"), tools }), (err: unknown) =>
      err instanceof GuestFetchError && /^apt-get download linux-image-6\.1\.0-99-armmp:armhf failed \(network or mirror unreachable\?\): E: Failed to fetch/.test(err.message) && !err.message.includes("\n"));
    assert.throws(() => fetchGuest({ dir: join(tmp, "g2"), tools: { ...tools, aptGet: join(tmp, "no-such-apt-get") } }), (err: unknown) =>
      err instanceof GuestFetchError && /no-such-apt-get not found: guest fetch needs a Debian host/.test(err.message));
    assert.equal(existingGuest(join(tmp, "g1")), null);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("default guest directory: $TSKVM_GUEST_DIR, $XDG_CACHE_HOME/tskvm/guest, ~/.cache/tskvm/guest", () => {
  assert.equal(defaultGuestDir({ TSKVM_GUEST_DIR: "/g" }, "/home/u"), "/g");
  assert.equal(defaultGuestDir({ XDG_CACHE_HOME: "/c" }, "/home/u"), "/c/tskvm/guest");
  assert.equal(defaultGuestDir({}, "/home/u"), "/home/u/.cache/tskvm/guest");
});

const REPO_ROOT = join(new URL(import.meta.url).pathname, "..", "..", "..", "..", "..");
/** Debian's binary where the differential tests or a real `guest fetch` into build/guest left it. */
function realBusybox(): string | null {
  const cached = [join(REPO_ROOT, "build", "guests", "busybox", "root", "bin", "busybox")];
  return cached.find((p) => existsSync(p)) ?? null;
}
const busyboxPath = realBusybox();
const haveQemu = spawnSync("qemu-arm", ["--version"], { stdio: "ignore" }).status === 0;

test("Debian's busybox-static: applet table equals `qemu-arm busybox --list`",
  { skip: (!busyboxPath && "busybox-static:armhf not in build/guests (the differential tests fetch it)") || (!haveQemu && "qemu-arm is not installed") }, () => {
  const list = spawnSync("qemu-arm", [busyboxPath!, "--list"], { encoding: "utf8" });
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual(busyboxApplets(readFileSync(busyboxPath!)), list.stdout.trim().split("\n"));
});
