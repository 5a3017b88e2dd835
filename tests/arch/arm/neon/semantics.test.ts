/**
 * Advanced SIMD semantics derived by hand from the ARM ARM pseudocode, run through the real core
 * (decoder dispatch, condition/IT handling, translator) in A32 and T32: doubling-multiply
 * saturation, the reciprocal (square root) estimate tables, VTBL/VTBX out-of-range indices, VLD4
 * and VST3 lane layouts, alignment faults of the :align qualifiers (before any state changes),
 * write-back rules, VMOV/VDUP with core registers, and the standard FPSCR (flush-to-zero on
 * inputs, with IDC accumulated) for Advanced SIMD float arithmetic.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { STOP_DATA_ABORT, STOP_SVC } from "../../../../src/arch/arm/cpu.js";
import { ACCESS_READ, ACCESS_WRITE } from "../../../../src/arch/arm/memory.js";
import { FSR_ALIGNMENT } from "../../../../src/arch/arm/stop.js";
import { recipEstimate, rsqrtEstimate, unsignedRecipEstimate } from "../../../../src/arch/arm/neon/estimate.js";
import { DATA_BASE, FlatMemory, run } from "../core/harness.js";
import { Decoded } from "../../../../src/arch/arm/decode/pattern.js";
import { EXECUTORS } from "../../../../src/arch/arm/executors.js";
import { FpSimdState } from "../../../../src/arch/arm/fp-simd.js";
import { vfpDecoder } from "../../../../src/arch/arm/vfp/decode.js";

const data = `ldr r0, =${DATA_BASE}\n`;
const QC = 0x08000000;

for (const thumb of [false, true]) {
  const mode = thumb ? "T32" : "A32";

  test(`${mode}: VQDMULH/VQRDMULH saturate only 0x8000 * 0x8000 (and the 32-bit analogue), setting QC`, () => {
    const { cpu, stop } = run(
      "movw r1, #0x8000\nmovt r1, #0x8000\nvdup.32 d2, r1\nvqdmulh.s16 d0, d2, d2\n" +
        "vmov.i32 d3, #0x80000000\nvqrdmulh.s32 d1, d3, d3\nvmrs r2, fpscr\n" +
        "movw r3, #0x4000\nvdup.16 d4, r3\nvmsr fpscr, r3\nvqdmulh.s16 d5, d4, d4\nvmrs r4, fpscr\nsvc #0",
      { thumb },
    );
    assert.equal(stop, STOP_SVC);
    const w = cpu.fp.w;
    assert.deepEqual([w[0], w[1]], [0x7fff7fff, 0x7fff7fff]); // 2 * 2^30 >> 16 does not fit: saturates
    assert.deepEqual([w[2], w[3]], [0x7fffffff, 0x7fffffff]);
    assert.equal(cpu.regs[2] & QC, QC);
    // 0x4000 * 0x4000 * 2 = 2^29, >> 16 = 0x2000: no saturation, QC stays clear
    assert.deepEqual([w[10], w[11]], [0x20002000, 0x20002000]);
    assert.equal(cpu.regs[4] & QC, 0);
  });

  test(`${mode}: VRECPE/VRSQRTE follow the 8-bit estimate tables`, () => {
    const { cpu } = run(
      "vmov.f32 d0, #1.0\nvrecpe.f32 d1, d0\nvrsqrte.f32 d2, d0\nvmov.f32 d3, #4.0\nvrsqrte.f32 d4, d3\nvrecpe.f32 d5, d3\n" +
        "vmov.i32 d6, #0x80000000\nvrecpe.u32 d7, d6\nvmov.i32 d8, #0x00000000\nvrecpe.u32 d9, d8\nsvc #0",
      { thumb },
    );
    const w = cpu.fp.w;
    // 1.0: a = 256 -> s = floor(262144/513 + 0.5) = 511; result exponent 253 - 127 = 126 -> 0.998046875
    assert.equal(w[2], 0x3f7f8000);
    // 1.0 has an odd exponent: [0.25, 0.5) range, a = 128 -> 511; exponent (380 - 127) / 2 = 126
    assert.equal(w[4], 0x3f7f8000);
    // 4.0: a = 128, odd exponent 129 -> exponent 125: 0.4990234375
    assert.equal(w[8], 0x3eff8000);
    assert.equal(w[10], 0x3e7f8000); // 1/4 estimate: 253 - 129 = 124
    assert.equal(w[14], 0xff800000); // UnsignedRecipEstimate(0x80000000): 511 << 23
    assert.equal(w[18], 0xffffffff); // top bit clear: all ones
  });

  test(`${mode}: VTBL gives 0 and VTBX keeps the destination byte for out-of-range indices`, () => {
    const { cpu } = run(
      "movw r1, #0x0100\nmovt r1, #0x0302\nmovw r2, #0x0504\nmovt r2, #0x0706\nvmov d2, r1, r2\n" +
        "vmov.i8 d3, #0x10\n" + // table d2:d3 = 00..07, 10 x 8
        "movw r1, #0x0f08\nmovt r1, #0x1007\nmovw r2, #0xff00\nmovt r2, #0x0a09\nvmov d4, r1, r2\n" +
        "vmov.i8 d0, #0xaa\nvmov.i8 d1, #0xaa\nvtbl.8 d0, {d2, d3}, d4\nvtbx.8 d1, {d2}, d4\nsvc #0",
      { thumb },
    );
    const u8 = new Uint8Array(cpu.fp.buffer);
    // indices 08 0f 07 10 | 00 ff 09 0a over a 16-byte table
    assert.deepEqual([...u8.subarray(0, 8)], [0x10, 0x10, 0x07, 0x00, 0x00, 0x00, 0x10, 0x10]);
    // one-register table: 08, 0f, 10, ff, 09, 0a out of range -> unchanged 0xaa
    assert.deepEqual([...u8.subarray(8, 16)], [0xaa, 0xaa, 0x07, 0xaa, 0x00, 0xaa, 0xaa, 0xaa]);
  });

  test(`${mode}: VLD4.8 de-interleaves, VST3.16 interleaves, write-back by size and by register`, () => {
    const mem = new FlatMemory();
    for (let i = 0; i < 64; i++) mem.bytes[DATA_BASE + i] = i;
    const { cpu } = run(
      data + "mov r4, r0\nvld4.8 {d0-d3}, [r4]!\nadd r5, r0, #32\nmov r6, #6\nvst3.16 {d0[1], d1[1], d2[1]}, [r5], r6\n" +
        "vld1.32 {d8[]}, [r0]\nsvc #0\n.ltorg",
      { thumb, memory: mem },
    );
    const u8 = new Uint8Array(cpu.fp.buffer);
    for (let r = 0; r < 4; r++) assert.deepEqual([...u8.subarray(8 * r, 8 * r + 8)], [0, 1, 2, 3, 4, 5, 6, 7].map((e) => 4 * e + r));
    assert.equal(cpu.regs[4], DATA_BASE + 32);
    assert.equal(cpu.regs[5], DATA_BASE + 38);
    // lane 1 of d0, d1, d2 as halfwords: bytes (8, 12), (9, 13), (10, 14) -> stored consecutively
    assert.deepEqual([...mem.bytes.subarray(DATA_BASE + 32, DATA_BASE + 38)], [8, 12, 9, 13, 10, 14]);
    assert.deepEqual([cpu.fp.w[16], cpu.fp.w[17]], [0x03020100, 0x03020100]);
  });

  test(`${mode}: an :align qualifier the address does not meet is an alignment fault before any change`, () => {
    const { cpu, stop } = run(data + "add r1, r0, #8\nvmov.i8 d0, #0x55\nvld1.8 {d0, d1}, [r1:128]!\nsvc #0\n.ltorg", { thumb });
    assert.equal(stop, STOP_DATA_ABORT);
    assert.equal(cpu.stopInfo.status, FSR_ALIGNMENT);
    assert.equal(cpu.stopInfo.address, DATA_BASE + 8);
    assert.equal(cpu.stopInfo.access, ACCESS_READ);
    assert.equal(cpu.regs[1], DATA_BASE + 8); // no write-back
    assert.deepEqual([cpu.fp.w[0], cpu.fp.w[1]], [0x55555555, 0x55555555]);
    const st = run(data + "add r1, r0, #2\nvst1.32 {d0[1]}, [r1:32]\nsvc #0\n.ltorg", { thumb });
    assert.equal(st.stop, STOP_DATA_ABORT);
    assert.equal(st.cpu.stopInfo.access, ACCESS_WRITE);
    // without a qualifier, element accesses may be unaligned
    const ok = run(data + "add r1, r0, #3\nvld1.32 {d0}, [r1]\nsvc #0\n.ltorg", { thumb });
    assert.equal(ok.stop, STOP_SVC);
  });

  test(`${mode}: VDUP / VMOV scalar with core registers; conditional execution in an IT block or cond field`, () => {
    const src = thumb
      ? "movw r1, #0x1234\nvdup.16 q1, r1\nvmov.s8 r2, d2[1]\nmovs r3, #0\nit ne\nvmovne.8 d3[0], r1\nvmov.u16 r4, d3[0]\nsvc #0"
      : "movw r1, #0x1234\nvdup.16 q1, r1\nvmov.s8 r2, d2[1]\nmovs r3, #0\nvmovne.8 d3[0], r1\nvmov.u16 r4, d3[0]\nsvc #0";
    const { cpu } = run(src, { thumb });
    assert.deepEqual(Array.from(cpu.fp.w.subarray(4, 8)), [0x12341234, 0x12341234, 0x12341234, 0x12341234]);
    assert.equal(cpu.regs[2], 0x12);
    assert.equal(cpu.regs[4], 0x1234); // VMOVNE skipped (Z set)
  });

  test(`${mode}: Advanced SIMD float uses the standard FPSCR: denormal inputs flush (IDC), RMode ignored`, () => {
    const { cpu } = run(
      "mov r1, #1\nvdup.32 d0, r1\nvmov.f32 d1, #1.0\nmov r2, #0x00c00000\nvmsr fpscr, r2\n" + // RZ, FZ off
        "vadd.f32 d2, d0, d1\nvmrs r3, fpscr\n" +
        "movw r1, #0x0000\nmovt r1, #0x33c0\nvdup.32 d4, r1\nvadd.f32 d6, d4, d1\nvadd.f32 s14, s8, s2\nsvc #0",
      { thumb },
    );
    assert.equal(cpu.fp.w[4], 0x3f800000); // 1 + denormal: the denormal is flushed, exact 1.0
    assert.equal(cpu.regs[3] & 0x80, 0x80); // IDC
    // 1 + 1.5 * 2^-24: round to nearest gives 1 + 2^-23 (NEON ignores the RZ in FPSCR) ...
    assert.equal(cpu.fp.w[12], 0x3f800001);
    // ... while the VFP instruction on the same operands honours RZ: 1.0
    assert.equal(cpu.fp.w[14], 0x3f800000);
  });
}

test("estimate functions match the ARM ARM formulas at the range ends", () => {
  // recip_estimate: a = 511 -> 512/511.5 * 256 + 0.5 = 256.75 -> 256
  assert.equal(recipEstimate(511), 256);
  assert.equal(recipEstimate(256), 511);
  // recip_sqrt_estimate, upper range a = 255: sqrt(256/255.5) * 256 + 0.5 = 256.75 -> 256
  assert.equal(rsqrtEstimate(255, false), 256);
  // lower range a = 128: sqrt(512/128.5) * 256 + 0.5 = 511.5 -> 511
  assert.equal(rsqrtEstimate(128, true), 511);
  assert.equal(unsignedRecipEstimate(0x7fffffff), 0xffffffff);
});

test("with Advanced SIMD present, MVFR1 reads 0x11111111 and MVFR0 0x10110222 at PL1 (Cortex-A15)", () => {
  const out = new Decoded();
  const cpu = { mode: 0x13, fp: new FpSimdState(), cp15: { cpacr: 0x00f00000 }, regs: new Int32Array(16) }; // FPEXC.EN 0: ID reads need only CPACR
  // VMRS r0, MVFR1 (A32 0xeef60a10) and VMRS r1, MVFR0 (0xeef71a10)
  for (const [word, rt, want] of [[0xeef60a10, 0, 0x11111111], [0xeef71a10, 1, 0x10110222]] as const) {
    assert.ok(vfpDecoder.decode(word | 0, false, out));
    EXECUTORS[out.op](cpu as never, out.a, out.b, out.c, out.d);
    assert.equal(cpu.regs[rt] >>> 0, want);
  }
});

test("single-precision fast paths respect tininess before rounding and midpoint ties of fused results", () => {
  // 2^-63 * (2^-64 * (2 - 2^-23)) = 2^-126 * (1 - 2^-24): rounds to 2^-126, but is tiny before rounding,
  // so the standard FPSCR (FZ) flushes it to +0 with Underflow (no Inexact)
  const { cpu } = run(
    "mov r1, #0x20000000\nvdup.32 d0, r1\nmovw r2, #0xffff\nmovt r2, #0x1f7f\nvdup.32 d1, r2\nmov r3, #0\nvmsr fpscr, r3\n" +
      "vmul.f32 d2, d0, d1\nvmrs r4, fpscr\n" +
      // fused: 1 + (1 + 2^-23) * 2^-24 = 1 + 2^-24 + 2^-47: just above the midpoint 1 + 2^-24 -> 1 + 2^-23
      "vmov.f32 d4, #1.0\nmovw r5, #0x0001\nmovt r5, #0x3f80\nvdup.32 d5, r5\nmov r6, #0x33800000\nvdup.32 d6, r6\n" +
      "vfma.f32 d4, d5, d6\n" +
      // and 1 + (1 - 2^-24) * 2^-24 is just below it -> 1.0
      "vmov.f32 d7, #1.0\nmovw r7, #0xffff\nmovt r7, #0x3f7f\nvdup.32 d8, r7\nvfma.f32 d7, d8, d6\nsvc #0",
  );
  assert.deepEqual([cpu.fp.w[4], cpu.fp.w[5]], [0, 0]);
  assert.equal(cpu.regs[4] & 0x1f, 0x08); // UFC only
  assert.equal(cpu.fp.w[8], 0x3f800001);
  assert.equal(cpu.fp.w[14], 0x3f800000);
});

test("big-endian data (SETEND BE): elements are loaded and stored in their own size's byte order", () => {
  const mem = new FlatMemory();
  for (let i = 0; i < 32; i++) mem.bytes[DATA_BASE + i] = i;
  const { cpu } = run(
    data + "setend be\nvld1.16 {d0}, [r0]\nvld1.64 {d1}, [r0]\nvld2.8 {d2, d3}, [r0]\nadd r1, r0, #16\nvst1.32 {d0}, [r1]\n" +
      "setend le\nsvc #0\n.ltorg",
    { memory: mem },
  );
  const w = cpu.fp.w;
  // halfwords 0x0001, 0x0203, 0x0405, 0x0607 -> little-endian register file words
  assert.deepEqual([w[0], w[1]], [0x02030001, 0x06070405]);
  // the doubleword 0x0001020304050607
  assert.deepEqual([w[2], w[3]], [0x04050607, 0x00010203]);
  // bytes have no order: de-interleaved as in little-endian
  assert.deepEqual([w[4], w[5]], [0x06040200, 0x0e0c0a08]);
  // words of d0 stored big-endian: 0x02030001 -> 02 03 00 01
  assert.deepEqual([...mem.bytes.subarray(DATA_BASE + 16, DATA_BASE + 24)], [2, 3, 0, 1, 6, 7, 4, 5]);
});
