import { test } from "node:test";
import assert from "node:assert/strict";
import { EINVAL } from "../../src/abi/errno.js";
import { makeProcess, SCRATCH } from "./syscall-harness.js";

const NR = { rt_sigaction: 174, rt_sigprocmask: 175, kill: 37, tgkill: 268, getpid: 20, sigaltstack: 186, set_tls: 0xf0005, exit_group: 248 };
const SIGUSR1 = 10, SIGKILL = 9, SIGTERM = 15, SIGCHLD = 17;

/** kernel struct sigaction on ARM: handler, flags, restorer, mask (u64) — 20 bytes */
function sigaction(handler: number, flags: number, restorer: number, mask: bigint): Uint8Array {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(handler, 0);
  b.writeUInt32LE(flags, 4);
  b.writeUInt32LE(restorer, 8);
  b.writeBigUInt64LE(mask, 12);
  return b;
}

test("rt_sigaction stores and returns the kernel struct; SIGKILL and bad sizes are EINVAL", () => {
  const { p, call } = makeProcess();
  p.space.write(SCRATCH, sigaction(0x10400, 0x04000000, 0x10500, 1n << 14n));
  assert.equal(call(NR.rt_sigaction, SIGUSR1, SCRATCH, 0, 8), 0);
  assert.equal(call(NR.rt_sigaction, SIGUSR1, 0, SCRATCH + 0x100, 8), 0);
  assert.deepEqual(Buffer.from(p.space.read(SCRATCH + 0x100, 20)!), Buffer.from(sigaction(0x10400, 0x04000000, 0x10500, 1n << 14n)));
  assert.equal(call(NR.rt_sigaction, SIGKILL, SCRATCH, 0, 8), -EINVAL);
  assert.equal(call(NR.rt_sigaction, SIGUSR1, SCRATCH, 0, 4), -EINVAL);
  assert.equal(call(NR.rt_sigaction, 65, SCRATCH, 0, 8), -EINVAL);
});

test("signals to self: ignored, default-ignored, default-terminate, blocked then unblocked", () => {
  const { p, call } = makeProcess();
  const pid = call(NR.getpid);
  assert.equal(pid, 4242);
  assert.equal(call(NR.kill, pid, SIGCHLD), 0);
  assert.equal(p.exit, null, "SIGCHLD's default action is to ignore");
  p.space.write(SCRATCH, sigaction(1 /* SIG_IGN */, 0, 0, 0n));
  call(NR.rt_sigaction, SIGTERM, SCRATCH, 0, 8);
  assert.equal(call(NR.kill, pid, SIGTERM), 0);
  assert.equal(p.exit, null, "ignored");
  // block SIGUSR1, send it: pending; unblocking applies the default action (terminate)
  const set = Buffer.alloc(8);
  set.writeBigUInt64LE(1n << BigInt(SIGUSR1 - 1));
  p.space.write(SCRATCH + 0x40, set);
  assert.equal(call(NR.rt_sigprocmask, 0 /* SIG_BLOCK */, SCRATCH + 0x40, 0, 8), 0);
  assert.equal(call(NR.tgkill, pid, pid, SIGUSR1), 0);
  assert.equal(p.exit, null);
  assert.equal(call(NR.rt_sigprocmask, 1 /* SIG_UNBLOCK */, SCRATCH + 0x40, SCRATCH + 0x80, 8), 0);
  assert.equal(p.space.readU32(SCRATCH + 0x80), 1 << (SIGUSR1 - 1), "old mask returned");
  assert.deepEqual(p.exit, { kind: "signaled", signal: SIGUSR1, coreDump: false, detail: "" });
});

test("kill to another pid is refused; set_tls sets TPIDRURO; exit_group records the low 8 bits", () => {
  const { p, call } = makeProcess();
  assert.equal(call(NR.kill, 1, SIGTERM), -1 /* EPERM */);
  assert.equal(call(NR.set_tls, 0xdeadbee0), 0);
  assert.equal(p.cpu.tpidruro >>> 0, 0xdeadbee0);
  call(NR.exit_group, 0x1234);
  assert.deepEqual(p.exit, { kind: "exited", status: 0x34 });
});
