// `tskvm run` ends the run when the guest's Linux kernel panics for good: Linux prints
// "---[ end Kernel panic - not syncing: <reason> ]---" (kernel/panic.c) only when it will not reboot,
// and then spins forever (Debian's kernel has no pvpanic, panic_timeout defaults to 0). tskvm must
// print `tskvm: the guest kernel panicked: <reason>` and exit with status 3; panic-like lines that
// are not that final one must not end the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { crossCompilerVersion } from "../arch/arm/differential/cross-toolchain.js";
import { buildKvmGuest } from "../kvm/arm/guests/guest-build.js";
import { ConsoleLines, linuxHalted, linuxPanicReason } from "../../src/vmm/virt-vmm.js";

const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;
const noCross = crossCompilerVersion() ? false : "arm-linux-gnueabihf-gcc not installed";

function tskvm(args: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, "run", ...args], { encoding: "utf8", timeout: 60_000, input: "" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

test("the final panic line: its reason; other lines, including the panic's first line: none", () => {
  assert.equal(linuxPanicReason("---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---"),
    "VFS: Unable to mount root fs on unknown-block(0,0)");
  assert.equal(linuxPanicReason("[    2.105921] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b ]---"),
    "Attempted to kill init! exitcode=0x0000000b");
  for (const line of [
    "Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b",
    "Rebooting in 1 seconds..",
    "---[ end trace 0000000000000000 ]---",
    "---[ end Kernel panic - not syncing: ",
    "end Kernel panic - not syncing: x ]---",
  ]) {
    assert.equal(linuxPanicReason(line), undefined, line);
  }
});

test("console bytes become lines: CR dropped, split anywhere, UTF-8, over-long lines cut", () => {
  const lines: string[] = [];
  const c = new ConsoleLines((l) => lines.push(l));
  for (const b of new TextEncoder().encode("ab\r\nc€\n\nno newline yet")) c.byte(b);
  assert.deepEqual(lines, ["ab", "c€", ""]);
  c.byte(0x0a);
  assert.equal(lines[3], "no newline yet");
  for (let i = 0; i < 5000; i++) c.byte(0x78);
  c.byte(0x0a);
  assert.equal(lines[4], "x".repeat(4096));
});

test("a guest that prints Linux's final panic line and spins: status 3, one clear line", { skip: noCross }, async () => {
  const r = tskvm(["--kernel", await buildKvmGuest("panic")]);
  assert.match(r.stdout, /---\[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100 \]---\r\n$/);
  // The guest would say so and power off (EXIT 0) if its bounded spin ran out.
  assert.doesNotMatch(r.stdout, /still running|EXIT/);
  assert.equal(r.stderr, "tskvm: the guest kernel panicked: Attempted to kill init! exitcode=0x00000100\n");
  assert.equal(r.status, 3);
});

test("panic-like lines that are not the final one (reboot countdown, oops trace end) do not end the run", { skip: noCross }, async () => {
  const r = tskvm(["--kernel", await buildKvmGuest("panic-countdown")]);
  assert.match(r.stdout, /Kernel panic - not syncing: Fatal exception\r\n/);
  assert.match(r.stdout, /^ok still running after the panic-like lines$/m);
  assert.match(r.stdout, /EXIT 0\n$/);
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
});

test("Linux's halt line, with or without a printk timestamp; look-alikes are not", () => {
  assert.equal(linuxHalted("reboot: System halted"), true);
  assert.equal(linuxHalted("[   41.203311] reboot: System halted"), true);
  assert.equal(linuxHalted("echo reboot: System halted later"), false);
  assert.equal(linuxHalted("reboot: System halted."), false);
  assert.equal(linuxHalted("reboot: Power down"), false);
});

test("a guest that prints Linux's halt line and spins: tskvm ends the run, status 0, one line", { skip: noCross }, async () => {
  const r = tskvm(["--kernel", await buildKvmGuest("halt")]);
  assert.match(r.stdout, /reboot: System halted\r\n$/);
  assert.doesNotMatch(r.stdout, /still running|EXIT/);
  assert.equal(r.stderr, "tskvm: the guest halted (Linux's \"reboot: System halted\"): exiting\n");
  assert.equal(r.status, 0);
});
