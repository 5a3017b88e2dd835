// `tskvm run` as a user runs it: the KVM/ARM acceptance guests (built for QEMU's virt board, linked at
// 0x40000000) boot unchanged, print through the PL011 and end with the exit status their PSCI call
// asks for; usage mistakes are one `tskvm: …` line with status 2; --dump-dtb writes a blob dtc reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { crossCompilerVersion } from "../arch/arm/differential/cross-toolchain.js";
import { buildKvmGuest } from "../kvm/arm/guests/guest-build.js";
import { dtcDecompile } from "../vmm/fdt/dtc.js";

const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;
const noCross = crossCompilerVersion() ? false : "arm-linux-gnueabihf-gcc not installed";

function tskvm(args: string[], timeoutMs = 60_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "run", ...args], { encoding: "utf8", timeout: timeoutMs, input: "" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("sysoff guest: entry state checks pass, PSCI SYSTEM_OFF exits 0", { skip: noCross }, async () => {
  const elf = await buildKvmGuest("sysoff");
  const r = tskvm(["--kernel", elf]);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^# sysoff\n/);
  assert.doesNotMatch(r.stdout, /^FAIL/m);
  assert.match(r.stdout, /^ok entry cpsr/m);
  assert.match(r.stdout, /EXIT 0\n$/);
  assert.equal(r.status, 0);
});

test("sysoff guest on a Cortex-A7 vCPU boots too", { skip: noCross }, async () => {
  const r = tskvm(["--kernel", await buildKvmGuest("sysoff"), "--cpu", "cortex-a7"]);
  assert.match(r.stdout, /^ok psci version major/m);
  assert.equal(r.status, 0);
});

test("smp guest with --cpus 2: CPU_ON, SGIs between the vCPUs, CPU_OFF", { skip: noCross }, async () => {
  const r = tskvm(["--kernel", await buildKvmGuest("smp"), "--cpus", "2"]);
  assert.match(r.stdout, /^ok cpu 1 runs$/m);
  assert.match(r.stdout, /^ok GICD_TYPER.CPUNumber \(2 cpus\)$/m);
  assert.doesNotMatch(r.stdout, /^FAIL/m);
  assert.match(r.stdout, /EXIT 0\n$/);
  assert.equal(r.status, 0);
});

test("sysreset guest with --no-reboot: one boot, then exit 0 with a note", { skip: noCross }, async () => {
  const r = tskvm(["--kernel", await buildKvmGuest("sysreset"), "--no-reboot"]);
  assert.equal(r.stdout.match(/# sysreset/g)?.length, 1);
  assert.match(r.stderr, /guest reset \(--no-reboot\)/);
  assert.equal(r.status, 0);
});

test("usage mistakes: one line, status 2, no stack trace", () => {
  const cases: [string[], string][] = [
    [["--mem", "12x"], "tskvm: --mem: '12x' is not a size in MiB\n"],
    [["--cpus", "0"], "tskvm: --cpus: '0' is not a CPU count from 1 to 8\n"],
    [["--cpu", "cortex-a9"], "tskvm: --cpu: 'cortex-a9' is not a CPU model (cortex-a15, cortex-a7)\n"],
    [["--cpus", "3", "--cpu", "cortex-a15,cortex-a7"], "tskvm: --cpu lists 2 models but --cpus is 3\n"],
    [["--disk", "x.img,rw"], "tskvm: --disk: unknown flag 'rw' (only 'readonly')\n"],
    [["--frobnicate"], "tskvm: run: unknown option '--frobnicate' (try 'tskvm run --help')\n"],
    [["--kernel"], "tskvm: --kernel needs a value (try 'tskvm run --help')\n"],
    [["--kernel", "/nonexistent/zImage"], "tskvm: --kernel: '/nonexistent/zImage' does not exist\n"],
    [["--kernel", "/"], "tskvm: --kernel: '/' is not a file\n"],
    [["--mem", "4G"], "tskvm: --mem: 4096 MiB is more than the 3072 MiB the virt board has below 4 GiB\n"],
    [["--mem", "0"], "tskvm: --mem: '0' is not a size in MiB\n"],
    [["--cpus", "9"], "tskvm: --cpus: '9' is not a CPU count from 1 to 8\n"],
    [["--cpu", "cortex-a15,"], "tskvm: --cpu: '' is not a CPU model (cortex-a15, cortex-a7)\n"],
    [["--disk", ",readonly"], "tskvm: --disk needs a file name\n"],
    [["--disk", "/nonexistent/disk.img"], "tskvm: --disk: '/nonexistent/disk.img' does not exist\n"],
    [["--initrd", "/nonexistent/initrd"], "tskvm: --initrd: '/nonexistent/initrd' does not exist\n"],
    [["--dtb", "/nonexistent/virt.dtb"], "tskvm: --dtb: '/nonexistent/virt.dtb' does not exist\n"],
    [["--no-reboot=yes"], "tskvm: --no-reboot takes no value\n"],
    [["zImage"], "tskvm: run: unexpected argument 'zImage'\n"],
  ];
  for (const [args, line] of cases) {
    // Cases without --kernel get an existing file as one (its contents are never reached), so none
    // depends on a fetched guest being present.
    const r = tskvm(args.includes("--kernel") || args.length === 1 ? args : [...args, "--kernel", CLI]);
    assert.equal(r.stderr, line, args.join(" "));
    assert.equal(r.status, 2, args.join(" "));
  }
});

test("no --kernel and no fetched guest: says how to fetch it", () => {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-run-"));
  try {
    const r = spawnSync(process.execPath, [CLI, "run"], { encoding: "utf8", env: { ...process.env, TSKVM_GUEST_DIR: dir } });
    assert.equal(r.stderr, `tskvm: no --kernel given and no Debian guest in ${dir}: run 'tskvm guest fetch' first\n`);
    assert.equal(r.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--dump-dtb: dtc reads the blob without warnings; it has the options' memory, cpus, bootargs, initrd, disks", () => {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-run-"));
  try {
    const kernel = join(dir, "Image"), initrd = join(dir, "initrd"), disk = join(dir, "disk.img"), out = join(dir, "virt.dtb");
    writeFileSync(kernel, new Uint8Array(4096));
    writeFileSync(initrd, new Uint8Array(1000));
    writeFileSync(disk, new Uint8Array(1 << 20));
    const r = tskvm(["--kernel", kernel, "--initrd", initrd, "--mem", "128", "--cpus", "2", "--cpu", "cortex-a15,cortex-a7",
      "--append", "console=ttyAMA0 root=/dev/vda", "--disk", `${disk},readonly`, "--dump-dtb", out]);
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    const { dts, stderr, status } = dtcDecompile(readFileSync(out));
    assert.equal(status, 0);
    assert.equal(stderr, "");
    assert.match(dts, /bootargs = "console=ttyAMA0 root=\/dev\/vda";/);
    assert.match(dts, /memory@40000000 \{[^}]*reg = <0x00 0x40000000 0x00 0x8000000>;/s);
    assert.match(dts, /cpu@0 \{[^}]*compatible = "arm,cortex-a15";/s);
    assert.match(dts, /cpu@1 \{[^}]*compatible = "arm,cortex-a7";/s);
    // 128 MiB of RAM: the initrd goes at RAM + 64 MiB and is exactly the file's 1000 bytes long.
    assert.match(dts, /linux,initrd-start = <0x00 0x44000000>;/);
    assert.match(dts, /linux,initrd-end = <0x00 0x440003e8>;/);
    // The disk in slot 0 (SPI 16), the entropy device in slot 1 (SPI 17).
    assert.match(dts, /virtio_mmio@a000000 \{[^}]*interrupts = <0x00 0x10 0x01>;/s);
    assert.match(dts, /virtio_mmio@a000200 \{[^}]*interrupts = <0x00 0x11 0x01>;/s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("image mistakes are usage errors too: an empty kernel, more RAM than the host can map", () => {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-run-"));
  try {
    const empty = join(dir, "empty"), kernel = join(dir, "Image");
    writeFileSync(empty, new Uint8Array(0));
    writeFileSync(kernel, new Uint8Array(4096));
    let r = tskvm(["--kernel", empty]);
    assert.equal(r.stderr, "tskvm: load the boot images: kernel image is empty\n");
    assert.equal(r.status, 2);
    // The emulated 32-bit host's user address space (3 GiB) cannot hold 3 GiB of guest RAM.
    r = tskvm(["--kernel", kernel, "--mem", "3072", "--dump-dtb", join(dir, "x.dtb")]);
    assert.match(r.stderr, /^tskvm: --mem: the host cannot map 3072 MiB of guest RAM \(.*\); give less memory\n$/);
    assert.equal(r.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--help anywhere among the options prints the help with the exit statuses, status 0", () => {
  const r = tskvm(["--mem", "64", "--help"]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /^usage: tskvm run /);
  assert.match(r.stdout, /--dtb FILE/);
  assert.match(r.stdout, /Exit status:\n  0 .*\n  1 .*\n  2 .*\n  3  the guest's Linux kernel panicked/);
});
