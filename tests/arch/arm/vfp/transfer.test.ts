/**
 * VFP transfers and system registers executed by the real core (snippets assembled by binutils, run
 * in ARM and Thumb state): VLDR/VSTR, VLDM/VSTM, VPUSH/VPOP, VMOV between core and single/scalar/pair
 * registers, VMOV immediate, VMRS/VMSR with FPSCR and APSR_nzcv, and a few arithmetic instructions
 * through the decoder. Expected values follow the ARM ARM's definitions (little-endian memory, S/D
 * aliasing, register-list order).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DATA_BASE, FlatMemory, flags, run, u32 } from "../core/harness.js";
import { STOP_SVC, STOP_UNDEFINED } from "../../../../src/arch/arm/cpu.js";

for (const thumb of [false, true]) {
  const state = thumb ? "T32" : "A32";

  test(`${state}: VLDR/VSTR single and double, PC-relative literal, S/D aliasing`, () => {
    const memory = new FlatMemory();
    const init = new DataView(memory.bytes.buffer);
    init.setUint32(DATA_BASE, 0x55667788, true);
    init.setUint32(DATA_BASE + 4, 0x11223344, true);
    init.setUint32(DATA_BASE + 8, 0xcafef00d, true);
    const { cpu, stop } = run(
      `
      vldr d1, [r0]          @ D1 = 0x1122334455667788 (low word first in memory)
      vldr s6, [r0, #8]      @ S6 = low half of D3
      vstr d1, [r0, #16]
      vstr s3, [r0, #28]     @ S3 = high half of D1
      vldr d5, lit
      svc #0
      .align 3
lit:  .word 0x00000000, 0x3ff00000
      `,
      { thumb, regs: { 0: DATA_BASE }, memory },
    );
    assert.equal(stop, STOP_SVC);
    const w = cpu.fp.w;
    assert.equal(u32(w[2]), 0x55667788);
    assert.equal(u32(w[3]), 0x11223344);
    assert.equal(cpu.fp.d[5], 1.0);
    const view = cpu.mmu; // read back through the CPU's own view of memory
    assert.equal(u32(view.read32(DATA_BASE + 16)), 0x55667788);
    assert.equal(u32(view.read32(DATA_BASE + 20)), 0x11223344);
    assert.equal(u32(view.read32(DATA_BASE + 28)), 0x11223344);
    assert.equal(u32(w[6]), 0xcafef00d);
  });

  test(`${state}: VPUSH/VPOP and VLDMIA with writeback keep register order`, () => {
    const { cpu, stop } = run(
      `
      vmov s0, r1
      vmov s1, r2
      vmov d1, r3, r4         @ D1 = r4:r3
      mov r5, sp
      vpush {d0-d1}
      mov r6, sp
      sub r6, r5, r6          @ 16 bytes pushed
      ldr r7, [sp]            @ lowest address: D0 low word = S0
      ldr r8, [sp, #12]       @ D1 high word = r4
      vmov.f64 d0, #1.0
      vpop {d2-d3}            @ D2 = old D0, D3 = old D1
      vldmia r0!, {s8-s10}
      svc #0
      `,
      { thumb, regs: { 0: DATA_BASE, 1: 0xa1, 2: 0xb2, 3: 0xc3, 4: 0xd4 } },
    );
    assert.equal(stop, STOP_SVC);
    const r = cpu.regs, w = cpu.fp.w;
    assert.equal(r[6], 16);
    assert.equal(r[7], 0xa1);
    assert.equal(r[8], 0xd4);
    assert.deepEqual([w[4], w[5], w[6], w[7]], [0xa1, 0xb2, 0xc3, 0xd4]);
    assert.equal(cpu.fp.d[0], 1.0);
    assert.equal(r[13], r[5]); // popped back
    assert.equal(r[0], DATA_BASE + 12);
  });

  test(`${state}: VMOV to/from core (single, scalar, pair) and VMRS APSR_nzcv after VCMP`, () => {
    const { cpu, stop } = run(
      `
      vmov.f32 s0, #1.5
      vmov.f32 s1, #-2.0
      vmov r1, s0
      vmov.32 d5[1], r1       @ S11 = 1.5
      vmov.32 r2, d0[1]       @ r2 = S1
      vmov r3, r4, d5         @ r3 = S10 (0), r4 = S11
      vmov r5, r6, s0, s1
      vcmp.f32 s1, s0         @ -2 < 1.5: N
      vmrs APSR_nzcv, fpscr
      ite mi
      movmi r7, #1
      movpl r7, #2
      vmrs r8, fpscr
      svc #0
      `,
      { thumb },
    );
    assert.equal(stop, STOP_SVC);
    const r = cpu.regs;
    assert.equal(u32(r[1]), 0x3fc00000);
    assert.equal(u32(r[2]), 0xc0000000);
    assert.deepEqual([u32(r[3]), u32(r[4])], [0, 0x3fc00000]);
    assert.deepEqual([u32(r[5]), u32(r[6])], [0x3fc00000, 0xc0000000]);
    assert.equal(r[7], 1);
    assert.equal(flags(cpu), "Nzcv");
    assert.equal(u32(r[8]) >>> 28, 0x8);
  });

  test(`${state}: VMSR FPSCR sets the rounding mode; flags accumulate; ID registers UNDEFINED at PL0`, () => {
    const { cpu, stop } = run(
      `
      ldr r1, =0x00c00000     @ RZ
      vmsr fpscr, r1
      vmov.f32 s0, #1.0
      vmov.f32 s1, #3.0
      vdiv.f32 s2, s0, s1     @ 1/3 towards zero = 0x3eaaaaaa, IXC
      vmrs r2, fpscr
      vmrs r3, fpsid          @ PL1 only: UNDEFINED in User mode
      svc #0
      `,
      { thumb },
    );
    assert.equal(stop, STOP_UNDEFINED);
    assert.equal(u32(cpu.fp.w[2]), 0x3eaaaaaa);
    assert.equal(u32(cpu.regs[2]), 0x00c00010);
  });
}
