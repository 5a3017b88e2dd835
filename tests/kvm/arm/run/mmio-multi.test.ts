// Accesses KVM cannot decode (reference §9.4: LDM/STM, LDRD/STRD, VLDR/VSTR, VLDM, write-back forms)
// are completed by tskvm with one KVM_EXIT_MMIO per access, in program order (docs/kvm-arm-mmio.md).
// The order and values expected here follow the ARM ARM's pseudocode for each instruction: LDM/STM
// and VLDM/VSTM access ascending addresses (lowest register at the lowest address), LDRD/STRD and
// VLDR/VSTR of a doubleword access the word at the address first, then the word at address + 4.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEV_BASE, ERRNO, EXIT, REG_PC, REG_R, RUN_OFF, load, reg, runRaw, runView, start, tinyVm, type TinyVm,
} from "./tiny-vm.js";
import type { VcpuFd } from "../../../../src/facade/index.js";
import { assemble } from "../../../arch/arm/core/harness.js";

interface Exit { pa: number; len: number; write: boolean; value: number }

/**
 * Runs the guest, answering reads from `reads` (in order, as little-endian words), and collects every
 * MMIO exit until `stopAfter` exits have been seen; then completes the last one with immediate_exit.
 */
function drive(t: TinyVm, c: VcpuFd, count: number, reads: number[]): Exit[] {
  const exits: Exit[] = [];
  const v = runView(c);
  let next = 0;
  for (let i = 0; i < count; i++) {
    if (i === count - 1) v.setUint8(RUN_OFF.immediate_exit, 0);
    assert.equal(runRaw(t, c), 0, `exit ${i}`);
    assert.equal(v.getUint32(RUN_OFF.exit_reason, true), EXIT.MMIO);
    const len = v.getUint32(RUN_OFF.mmio_len, true), write = v.getUint8(RUN_OFF.mmio_is_write) !== 0;
    const pa = Number(v.getBigUint64(RUN_OFF.mmio_phys_addr, true));
    let value = 0;
    if (write) for (let b = len - 1; b >= 0; b--) value = value * 256 + v.getUint8(RUN_OFF.mmio_data + b);
    else {
      value = reads[next++]!;
      for (let b = 0; b < len; b++) v.setUint8(RUN_OFF.mmio_data + b, (value >>> (8 * b)) & 0xff);
    }
    exits.push({ pa, len, write, value });
  }
  v.setUint8(RUN_OFF.immediate_exit, 1);
  assert.equal(runRaw(t, c), -ERRNO.EINTR, "the last access completes the instruction");
  v.setUint8(RUN_OFF.immediate_exit, 0);
  return exits;
}

/** Run on to the end of the slice (the guest ends in `b .`): the instructions after the last access run. */
function finish(t: TinyVm, c: VcpuFd): void {
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
  assert.equal(reg(c, REG_R(11)), 1, "the guest reached its end");
}

const D = DEV_BASE + 0x100;
const rd = (pa: number, value: number): Exit => ({ pa, len: 4, write: false, value });
const wr = (pa: number, value: number): Exit => ({ pa, len: 4, write: true, value });

function setup(source: string, thumb = false, regs: Record<number, number> = {}): { t: TinyVm; c: VcpuFd; entry: number } {
  const t = tinyVm();
  // VFP on: CPACR cp10/cp11 full access, FPEXC.EN
  const vfpOn = "mov r12, #0xf00000\nmcr p15, 0, r12, c1, c0, 2\nisb\nmov r12, #0x40000000\nvmsr fpexc, r12\n";
  const entry = load(t, vfpOn + source + "\nmov r11, #1\nb .", { thumb });
  const c = start(t, entry, { thumb });
  c.setOneReg(REG_R(0), D);
  for (const [r, v] of Object.entries(regs)) c.setOneReg(REG_R(Number(r)), v);
  return { t, c, entry: entry + assemble(vfpOn, thumb).length };
}

test("LDM: one read exit per register, ascending, registers written on completion", () => {
  const { t, c, entry } = setup("ldm r0, {r1, r2, r3}");
  assert.deepEqual(drive(t, c, 3, [0x11111111, 0x22222222, 0x33333333]), [rd(D, 0x11111111), rd(D + 4, 0x22222222), rd(D + 8, 0x33333333)]);
  assert.deepEqual([1, 2, 3].map((r) => reg(c, REG_R(r))), [0x11111111, 0x22222222, 0x33333333]);
  assert.equal(reg(c, REG_PC), entry + 4);
  assert.equal(reg(c, REG_R(11)), 0);
});

test("LDMDB with write-back: addresses below the base, base written back once", () => {
  const { t, c } = setup("ldmdb r0!, {r1, r2}");
  assert.deepEqual(drive(t, c, 2, [5, 6]), [rd(D - 8, 5), rd(D - 4, 6)]);
  assert.deepEqual([reg(c, REG_R(1)), reg(c, REG_R(2)), reg(c, REG_R(0))], [5, 6, D - 8]);
});

test("STM: one write exit per register in program order with the stored values", () => {
  const { t, c, entry } = setup("stmia r0!, {r1, r2, r3}", false, { 1: 0xa1, 2: 0xb2, 3: 0xc3 });
  assert.deepEqual(drive(t, c, 3, []), [wr(D, 0xa1), wr(D + 4, 0xb2), wr(D + 8, 0xc3)]);
  assert.equal(reg(c, REG_R(0)), D + 12);
  assert.equal(reg(c, REG_PC), entry + 4);
});

test("Thumb PUSH-style STMDB and POP-style LDMIA on an MMIO stack", () => {
  const { t, c } = setup("stmdb r0!, {r4, r5}\nldmia r0!, {r6, r7}", true, { 4: 0x44, 5: 0x55 });
  const exits = drive(t, c, 4, [0x66, 0x77]);
  assert.deepEqual(exits, [wr(D - 8, 0x44), wr(D - 4, 0x55), rd(D - 8, 0x66), rd(D - 4, 0x77)]);
  assert.deepEqual([reg(c, REG_R(6)), reg(c, REG_R(7)), reg(c, REG_R(0))], [0x66, 0x77, D]);
});

test("LDRD / STRD: two exits each, the word at the address first", () => {
  const { t, c, entry } = setup("ldrd r2, r3, [r0]\nstrd r4, r5, [r0, #8]", false, { 4: 0xdead, 5: 0xbeef });
  assert.deepEqual(drive(t, c, 4, [0x1234, 0x5678]), [rd(D, 0x1234), rd(D + 4, 0x5678), wr(D + 8, 0xdead), wr(D + 12, 0xbeef)]);
  assert.deepEqual([reg(c, REG_R(2)), reg(c, REG_R(3))], [0x1234, 0x5678]);
  assert.equal(reg(c, REG_PC), entry + 8);
});

test("Thumb LDRD with post-index write-back", () => {
  const { t, c } = setup("ldrd r2, r3, [r0], #16", true);
  assert.deepEqual(drive(t, c, 2, [7, 8]), [rd(D, 7), rd(D + 4, 8)]);
  assert.deepEqual([reg(c, REG_R(2)), reg(c, REG_R(3)), reg(c, REG_R(0))], [7, 8, D + 16]);
});

test("VLDR / VSTR of a doubleword and VLDR of a single: one exit per word", () => {
  const { t, c } = setup("vldr d0, [r0]\nvmov r2, r3, d0\nvstr d0, [r0, #8]\nvldr s4, [r0, #16]\nvmov r4, s4");
  const exits = drive(t, c, 5, [0x89abcdef, 0x01234567, 0x3f800000]);
  assert.deepEqual(exits, [rd(D, 0x89abcdef), rd(D + 4, 0x01234567), wr(D + 8, 0x89abcdef), wr(D + 12, 0x01234567), rd(D + 16, 0x3f800000)]);
  finish(t, c);
  assert.deepEqual([reg(c, REG_R(2)), reg(c, REG_R(3)), reg(c, REG_R(4))], [0x89abcdef, 0x01234567, 0x3f800000]);
});

test("VLDM of two doublewords: four exits in ascending order", () => {
  const { t, c } = setup("vldmia r0!, {d1-d2}\nvmov r2, r3, d1\nvmov r4, r5, d2");
  assert.deepEqual(drive(t, c, 4, [1, 2, 3, 4]), [rd(D, 1), rd(D + 4, 2), rd(D + 8, 3), rd(D + 12, 4)]);
  finish(t, c);
  assert.deepEqual([2, 3, 4, 5, 0].map((r) => reg(c, REG_R(r))), [1, 2, 3, 4, D + 16]);
});

test("A load whose completion is abandoned (mmio.len > 4) exits again for the same access", () => {
  const { t, c, entry } = setup("ldm r0, {r1, r2}");
  const v = runView(c);
  assert.equal(runRaw(t, c), 0);
  v.setUint32(RUN_OFF.mmio_data, 0x11, true);
  assert.equal(runRaw(t, c), 0); // first word completed, second exits
  assert.equal(Number(v.getBigUint64(RUN_OFF.mmio_phys_addr, true)), D + 4);
  v.setUint32(RUN_OFF.mmio_len, 8, true);
  assert.equal(runRaw(t, c), -ERRNO.EINVAL, "§4.2 step 3: EINVAL if mmio.len > 4");
  assert.equal(reg(c, REG_PC), entry, "the instruction did not complete");
  assert.equal(runRaw(t, c), 0, "the access is made again");
  assert.equal(Number(v.getBigUint64(RUN_OFF.mmio_phys_addr, true)), D + 4, "the completed first word is not asked again");
  assert.equal(v.getUint32(RUN_OFF.mmio_len, true), 4);
  v.setUint32(RUN_OFF.mmio_data, 0x22, true);
  v.setUint8(RUN_OFF.immediate_exit, 1);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.deepEqual([reg(c, REG_R(1)), reg(c, REG_R(2)), reg(c, REG_PC)], [0x11, 0x22, entry + 4]);
});
