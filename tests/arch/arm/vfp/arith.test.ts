/**
 * VFP arithmetic against values derived by hand from IEEE 754 and the ARM ARM pseudocode (FPRound,
 * FPProcessNaN(s), FPToFixed, FPSingleToHalf): each expected bit pattern is worked out in the comment
 * next to it, independently of the implementation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cvtDoubleToSingle, halfToSingle, singleToFixed, singleToHalf } from "../../../../src/arch/arm/vfp/convert.js";
import { vfpExpandImm } from "../../../../src/arch/arm/vfp/dataproc.js";
import { fpResult } from "../../../../src/arch/arm/vfp/operands.js";
import { vadd32, vcmp32, vdiv32, vdiv64, vfma32, vfma64, vmul32, vmul64, vsqrt32, vsub32 } from "../../../../src/arch/arm/vfp/ops.js";
import { fpFlags } from "../../../../src/arch/arm/vfp/round.js";
import {
  DZC, FPSCR_AHP, FPSCR_DN, FPSCR_FZ, IDC, IOC, IXC, MVFR1_WITHOUT_NEON, MVFR1_WITH_NEON, OFC, UFC,
} from "../../../../src/arch/arm/vfp/fpscr.js";

const RN = 0, RP = 1 << 22, RM = 2 << 22, RZ = 3 << 22;
const MODES = [RN, RP, RM, RZ];

/** Run `f`, returning [result, flags raised]. */
function run<T>(f: () => T): [T, number] {
  fpFlags.value = 0;
  const r = f();
  const flags = fpFlags.value;
  fpFlags.value = 0;
  return [r, flags];
}

const ONE = 0x3f800000, THREE = 0x40400000;

test("1/3 in single precision, every rounding mode", () => {
  // 1/3 = 0x1.555555555...p-2: the 24-bit significand 0xaaaaaa is followed by 1010..., i.e. more
  // than half an ulp: RN and RP round up to 0x3eaaaaab, RM and RZ truncate to 0x3eaaaaaa.
  const want = [0x3eaaaaab, 0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa];
  MODES.forEach((mode, i) => assert.deepEqual(run(() => vdiv32(ONE, THREE, mode)), [want[i], IXC]));
  // -1/3 mirrors: RP truncates towards zero, RM rounds away
  const wantNeg = [0xbeaaaaab, 0xbeaaaaaa, 0xbeaaaaab, 0xbeaaaaaa];
  MODES.forEach((mode, i) => assert.deepEqual(run(() => vdiv32(ONE | 0x80000000, THREE, mode) >>> 0), [wantNeg[i], IXC]));
});

test("1/3 in double precision, every rounding mode", () => {
  // 0x3fd5555555555555 is 1/3 truncated (next bits 0101...: below half), so RN = RZ = RM = ...555
  // and RP = ...556.
  const want = [0x55555555, 0x55555556, 0x55555555, 0x55555555];
  MODES.forEach((mode, i) => {
    const [, flags] = run(() => vdiv64(0x3ff00000, 0, 0x40080000, 0, mode));
    assert.equal(fpResult.hi, 0x3fd55555);
    assert.equal(fpResult.lo, want[i]);
    assert.equal(flags, IXC);
  });
});

test("overflow gives infinity or the largest finite value as the mode says", () => {
  const MAX = 0x7f7fffff; // 0x1.fffffep127
  const TWO = 0x40000000;
  // MAX * 2 overflows: RN -> +inf; RP -> +inf; RM -> +MAX; RZ -> +MAX; OFC and IXC in each case
  const pos = [0x7f800000, 0x7f800000, MAX, MAX];
  MODES.forEach((mode, i) => assert.deepEqual(run(() => vmul32(MAX, TWO, mode)), [pos[i], OFC | IXC]));
  // negative: RN -> -inf, RP -> -MAX, RM -> -inf, RZ -> -MAX
  const neg = [0xff800000, 0xff7fffff, 0xff800000, 0xff7fffff];
  MODES.forEach((mode, i) => assert.deepEqual(run(() => vmul32(MAX | 0x80000000, TWO, mode) >>> 0), [neg[i], OFC | IXC]));
  // double: DBL_MAX * 2 in RZ -> DBL_MAX
  run(() => vmul64(0x7fefffff, 0xffffffff, 0x40000000, 0, RZ));
  assert.deepEqual([fpResult.hi, fpResult.lo], [0x7fefffff, 0xffffffff]);
});

test("subnormal results: exact, inexact (tininess before rounding), flushed under FZ", () => {
  const MIN_NORMAL = 0x00800000; // 2^-126
  const HALF = 0x3f000000;
  // 2^-126 * 0.5 = 2^-127, exactly representable as subnormal 0x00400000: no flags
  assert.deepEqual(run(() => vmul32(MIN_NORMAL, HALF, RN)), [0x00400000, 0]);
  // with FZ the tiny result is flushed to +0 with UFC only (no IXC)
  assert.deepEqual(run(() => vmul32(MIN_NORMAL, HALF, RN | FPSCR_FZ)), [0, UFC]);
  // a subnormal input under FZ is read as zero with IDC: 2^-149 + 1.0 = 1.0 exactly
  assert.deepEqual(run(() => vadd32(0x00000001, ONE, RN | FPSCR_FZ)), [ONE, IDC]);
  // without FZ: 1 + 2^-149 is inexact, rounds to 1.0 (RN) or nextafter (RP)
  assert.deepEqual(run(() => vadd32(0x00000001, ONE, RN)), [ONE, IXC]);
  assert.deepEqual(run(() => vadd32(0x00000001, ONE, RP)), [0x3f800001, IXC]);
  // 0x1.fffffep-127 (0x007fffff, largest subnormal) * (1 + 2^-23) = 0x1.fffffep-127 + 2^-149·(1-2^-23)...
  // is below 2^-126 before rounding and rounds up to 2^-126 in RN: tiny before rounding -> UFC+IXC
  assert.deepEqual(run(() => vmul32(0x007fffff, 0x3f800001, RN)), [MIN_NORMAL, UFC | IXC]);
  // 2^-149 * 0.5 = 2^-150: a tie between 0 and 2^-149, ties-to-even gives +0; RP gives 2^-149
  assert.deepEqual(run(() => vmul32(0x00000001, HALF, RN)), [0, UFC | IXC]);
  assert.deepEqual(run(() => vmul32(0x00000001, HALF, RP)), [1, UFC | IXC]);
});

test("NaN propagation: first signalling NaN quietened, else first quiet NaN; default NaN under DN", () => {
  const QNAN_A = 0x7fc00001, SNAN_B = 0x7f800002, QNAN_B = 0xffc00002;
  // sNaN in operand 2 wins over a qNaN in operand 1, quietened (bit 22 set) with IOC
  assert.deepEqual(run(() => vadd32(QNAN_A, SNAN_B, RN)), [0x7fc00002, IOC]);
  // two quiet NaNs: operand 1's, no exception
  assert.deepEqual(run(() => vsub32(QNAN_A, QNAN_B, RN)), [QNAN_A, 0]);
  assert.deepEqual(run(() => vmul32(ONE, QNAN_B, RN) >>> 0), [QNAN_B, 0]);
  // DN: the default NaN 0x7fc00000 replaces any propagated NaN (IOC still raised by the sNaN)
  assert.deepEqual(run(() => vadd32(QNAN_A, SNAN_B, RN | FPSCR_DN)), [0x7fc00000, IOC]);
  // invalid operations give the default NaN: inf - inf, 0 * inf, 0/0, sqrt(-1)
  assert.deepEqual(run(() => vsub32(0x7f800000, 0x7f800000, RN)), [0x7fc00000, IOC]);
  assert.deepEqual(run(() => vmul32(0, 0xff800000, RN)), [0x7fc00000, IOC]);
  assert.deepEqual(run(() => vdiv32(0, 0x80000000, RN)), [0x7fc00000, IOC]);
  assert.deepEqual(run(() => vsqrt32(0xbf800000, RN)), [0x7fc00000, IOC]);
  // 1/0 = +inf with DZC; 1/-0 = -inf
  assert.deepEqual(run(() => vdiv32(ONE, 0x80000000, RN) >>> 0), [0xff800000, DZC]);
  // FPMulAdd: a quiet NaN addend with 0 * inf still signals IOC and gives the default NaN
  assert.deepEqual(run(() => vfma32(0x7fc12345, 0, 0x7f800000, RN)), [0x7fc00000, IOC]);
});

test("fused and unfused multiply-add differ by the intermediate rounding", () => {
  // a = 1 + 2^-12, a*a = 1 + 2^-11 + 2^-24; c = -(1 + 2^-11).
  // Fused: exact result 2^-24 -> 0x33800000. Unfused: RN(a*a) drops 2^-24 (tie to even), then 0.
  const A = 0x3f800800, C = 0xbf801000;
  assert.deepEqual(run(() => vfma32(C, A, A, RN)), [0x33800000, 0]);
  const p = run(() => vmul32(A, A, RN));
  assert.deepEqual(p, [0x3f801000, IXC]);
  assert.deepEqual(run(() => vadd32(C, p[0], RN)), [0, 0]);
  // exact zero sum takes -0 in RM
  assert.deepEqual(run(() => vadd32(C, p[0], RM) >>> 0), [0x80000000, 0]);
  // double: a = 1 + 2^-27, a*a = 1 + 2^-26 + 2^-54; fused with c = -(1 + 2^-26) gives 2^-54
  run(() => vfma64(0xbff00000, 0x04000000, 0x3ff00000, 0x02000000, 0x3ff00000, 0x02000000, RN));
  assert.deepEqual([fpResult.hi, fpResult.lo], [0x3c900000, 0]);
});

test("VCMP: NZCV, and Invalid Operation for signalling NaNs or (VCMPE) any NaN", () => {
  assert.deepEqual(run(() => vcmp32(ONE, THREE, false, RN) >>> 0), [0x80000000, 0]); // N: less than
  assert.deepEqual(run(() => vcmp32(0x80000000, 0, false, RN) >>> 0), [0x60000000, 0]); // -0 == +0: ZC
  assert.deepEqual(run(() => vcmp32(THREE, ONE, false, RN) >>> 0), [0x20000000, 0]); // C
  assert.deepEqual(run(() => vcmp32(0x7fc00000, ONE, false, RN) >>> 0), [0x30000000, 0]); // unordered: CV
  assert.deepEqual(run(() => vcmp32(0x7fc00000, ONE, true, RN) >>> 0), [0x30000000, IOC]);
  assert.deepEqual(run(() => vcmp32(ONE, 0x7f800001, false, RN) >>> 0), [0x30000000, IOC]);
});

test("float to integer: round towards zero or by FPSCR, saturation with IOC", () => {
  // 2.5: VCVT (RZ) -> 2; VCVTR RN -> 2 (even); RP -> 3; RM -> 2; IXC each time
  const F2_5 = 0x40200000;
  assert.deepEqual(run(() => singleToFixed(F2_5, 32, 0, false, true, RN)), [2, IXC]);
  assert.deepEqual(run(() => singleToFixed(F2_5, 32, 0, false, false, RN)), [2, IXC]);
  assert.deepEqual(run(() => singleToFixed(F2_5, 32, 0, false, false, RP)), [3, IXC]);
  // -2.5 in RM -> -3
  assert.deepEqual(run(() => singleToFixed(F2_5 | 0x80000000, 32, 0, false, false, RM)), [0xfffffffd, IXC]);
  // 2^31 saturates to 0x7fffffff, -2^32 to 0x80000000, inf and NaN with IOC (NaN -> 0), no IXC
  assert.deepEqual(run(() => singleToFixed(0x4f000000, 32, 0, false, true, RN)), [0x7fffffff, IOC]);
  assert.deepEqual(run(() => singleToFixed(0xcf800000, 32, 0, false, true, RN)), [0x80000000, IOC]);
  assert.deepEqual(run(() => singleToFixed(0xff800000, 32, 0, true, true, RN)), [0, IOC]);
  assert.deepEqual(run(() => singleToFixed(0x7fc00000, 32, 0, false, true, RN)), [0, IOC]);
  // -0.5 to unsigned: rounds to 0 (towards zero) — in range, only inexact
  assert.deepEqual(run(() => singleToFixed(0xbf000000, 32, 0, true, true, RN)), [0, IXC]);
  // fixed point: 1.75 with 16 fraction bits = 0x1c000, exact
  assert.deepEqual(run(() => singleToFixed(0x3fe00000, 32, 16, false, true, RN)), [0x1c000, 0]);
});

test("single <-> half precision, IEEE and alternative format", () => {
  // 1.0 -> 0x3c00; 65504 (half max) -> 0x7bff; 65520 rounds (RN) to inf with OFC|IXC
  assert.deepEqual(run(() => singleToHalf(ONE, RN)), [0x3c00, 0]);
  assert.deepEqual(run(() => singleToHalf(0x477fe000, RN)), [0x7bff, 0]);
  assert.deepEqual(run(() => singleToHalf(0x477ff000, RN)), [0x7c00, OFC | IXC]);
  // AHP: 65520 is representable range (max 131008): 65520 -> exponent 31? no: 65520 = 1.9995 * 2^15
  // rounds to 2^16 = 0x7c00 in AHP (a normal number there), no exception
  assert.deepEqual(run(() => singleToHalf(0x477ff000, RN | FPSCR_AHP)), [0x7c00, IXC]);
  // AHP: infinity and NaN have no encoding: IOC, results 0x7fff and 0x0000 (sign kept)
  assert.deepEqual(run(() => singleToHalf(0x7f800000, RN | FPSCR_AHP)), [0x7fff, IOC]);
  assert.deepEqual(run(() => singleToHalf(0xffc00000, RN | FPSCR_AHP)), [0x8000, IOC]);
  // half subnormal 0x0001 = 2^-24 -> single 0x33800000; AHP 0x7c00 = 65536 -> 0x47800000
  assert.deepEqual(run(() => halfToSingle(0x0001, RN)), [0x33800000, 0]);
  assert.deepEqual(run(() => halfToSingle(0x7c00, RN | FPSCR_AHP)), [0x47800000, 0]);
  assert.deepEqual(run(() => halfToSingle(0x7c00, RN)), [0x7f800000, 0]);
  // signalling half NaN 0x7d01 -> quiet single NaN keeping the payload: 0x7fc00000 | 0x101 << 13
  assert.deepEqual(run(() => halfToSingle(0x7d01, RN)), [0x7fe02000, IOC]);
  // every half value survives a round trip through single precision
  for (let h = 0; h < 0x10000; h++) {
    if ((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) continue; // NaNs (quietened)
    fpFlags.value = 0;
    assert.equal(singleToHalf(halfToSingle(h, RN), RN), h);
  }
  fpFlags.value = 0;
});

test("double to single rounding and VFPExpandImm", () => {
  // 1 + 2^-24 (exactly halfway between 1 and 1 + 2^-23): RN -> 1.0 (even), RP -> 0x3f800001
  assert.deepEqual(run(() => cvtDoubleToSingle(0x3ff00000, 0x10000000, RN)), [ONE, IXC]);
  assert.deepEqual(run(() => cvtDoubleToSingle(0x3ff00000, 0x10000000, RP)), [0x3f800001, IXC]);
  // VFPExpandImm: imm8 0x70 = 1.0, 0x00 = 2.0, 0xf8 = -1.5 (single), 0x70 = 0x3ff00000 (double high word)
  assert.equal(vfpExpandImm(0x70, false), 0x3f800000);
  assert.equal(vfpExpandImm(0x00, false), 0x40000000);
  assert.equal(vfpExpandImm(0xf8, false), 0xbfc00000);
  assert.equal(vfpExpandImm(0x70, true), 0x3ff00000);
});

test("MVFR1 with and without Advanced SIMD", () => {
  assert.equal(MVFR1_WITH_NEON, 0x11111111);
  // the SIMD fields (load/store [11:8], integer [15:12], SP [19:16], HP [23:20]) are zero without NEON
  assert.equal(MVFR1_WITHOUT_NEON & 0x00ffff00, 0);
  assert.equal(MVFR1_WITHOUT_NEON & 0xff0000ff, MVFR1_WITH_NEON & 0xff0000ff);
});
