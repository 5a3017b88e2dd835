// vCPUs of one VM take turns on one thread, so the exclusive monitors must see the other vCPUs' and
// the VMM's stores: every exit to userspace clears the vCPU's local monitor (on KVM the host's
// exception return and context switch do), and a LDREX…STREX pair split by an exit fails (STREX
// writes 1 and leaves memory alone, ARM ARM A8.8.212); unsplit, the pair succeeds (STREX writes 0).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEV_BASE, EXIT, RAM_BASE, REG_R, load, reg, runRaw, runUntilExit, runView, start, tinyVm, RUN_OFF } from "./tiny-vm.js";

const WORD = RAM_BASE + 0x8000;

function pair(split: boolean): { strex: number; word: number } {
  const t = tinyVm();
  const source = [
    `ldr r4, =${WORD}`, `ldr r5, =${DEV_BASE}`, "mov r0, #0x55",
    "ldrex r1, [r4]",
    split ? "ldr r2, [r5]" : "nop", // an MMIO read: the vCPU exits to userspace here
    "strex r3, r0, [r4]",
    "mov r11, #1", "b .", ".ltorg",
  ].join("\n");
  const c = start(t, load(t, source));
  if (split) {
    assert.equal(runUntilExit(t, c), 0);
    assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.MMIO);
    // meanwhile the other vCPU's turn, or the VMM, could store to WORD: the monitor must not survive
  }
  const r = runRaw(t, c);
  assert.ok(r === 0 || r === -4);
  assert.equal(reg(c, REG_R(11)), 1, "the guest reached its end");
  return { strex: reg(c, REG_R(3)), word: new DataView(t.ram.buffer, t.ram.byteOffset).getUint32(0x8000, true) };
}

test("LDREX…STREX on one run: STREX succeeds", () => {
  assert.deepEqual(pair(false), { strex: 0, word: 0x55 });
});

test("LDREX…STREX split by an exit to userspace: STREX fails and stores nothing", () => {
  assert.deepEqual(pair(true), { strex: 1, word: 0 });
});
