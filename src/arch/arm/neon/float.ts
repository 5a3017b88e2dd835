/**
 * Advanced SIMD single-precision arithmetic (ARM ARM A7.4.1 floating-point forms, A7.4.5 VCVT/
 * VRECPE/VRSQRTE/compare-with-zero, by-scalar float multiplies). Every operation runs the VFP
 * module's exact arithmetic (vfp/ops.ts, vfp/convert.ts) with the StandardFPSCRValue — flush to
 * zero, default NaN, round to nearest — and ORs the exceptions it raises into FPSCR's cumulative
 * flags, as the ARM ARM's FPProcessException does for Advanced SIMD.
 *
 * Operands: (Dd, Dn, Dm, x) with x bit 2 = Q; the by-scalar forms take Dm as the *word index* of
 * the scalar in the register file.
 */
import type { ArmCpu } from "../cpu.js";
import type { FpSimdState } from "../fp-simd.js";
import { defineFpSimdExecutor } from "../fp-simd.js";
import { fixedToFloat, halfToSingle, singleToFixed, singleToHalf } from "../vfp/convert.js";
import { DZC, IOC, IXC, UFC } from "../vfp/fpscr.js";
import {
  INFINITY, QNAN, SNAN, ZERO, fpResult, processNaNs, setDefaultNaN, setProcessedNaN, setResultValue,
  slotHi, slotType, slotValue, unpack32,
} from "../vfp/operands.js";
import { vadd32, vfma32, vmul32, vsub32 } from "../vfp/ops.js";
import { F32, fpFlags } from "../vfp/round.js";
import { SCRATCH_N, lanesOf, scratch, stage, standardFpscr } from "./lanes.js";
import { recipEstimate, rsqrtEstimate } from "./estimate.js";

const SIGN = 0x80000000;
const TWO = 0x40000000;
const THREE = 0x40400000;
const HALF = 0x3f000000;

function accumulate(fp: FpSimdState): void {
  if (fpFlags.value !== 0) {
    fp.fpscr = (fp.fpscr | fpFlags.value) >>> 0;
    fpFlags.value = 0;
  }
}

/** FPMax / FPMin on slots 0 and 1 (NaNs processed; +0 beats -0 for max, -0 for min). */
function maxMin(a: number, b: number, max: boolean, fpscr: number): number {
  unpack32(0, a, fpscr);
  unpack32(1, b, fpscr);
  if (processNaNs(2, F32, fpscr)) return fpResult.hi;
  const v1 = slotValue[0], v2 = slotValue[1];
  if (slotType[0] === ZERO && slotType[1] === ZERO) {
    const s1 = slotHi[0] >>> 31, s2 = slotHi[1] >>> 31;
    return max ? ((s1 & s2) << 31) >>> 0 : ((s1 | s2) << 31) >>> 0;
  }
  const pickFirst = max ? v1 > v2 : v1 < v2;
  setResultValue(pickFirst ? v1 : v2, F32);
  return fpResult.hi;
}

/** FPCompareEQ/GE/GT: all ones or zero; NaN compares false (IOC for signalling, or any NaN when not EQ). */
function compare(a: number, b: number, kind: number, fpscr: number): number {
  const t1 = unpack32(0, a, fpscr), t2 = unpack32(1, b, fpscr);
  if (t1 === SNAN || t1 === QNAN || t2 === SNAN || t2 === QNAN) {
    if (kind !== CEQ || t1 === SNAN || t2 === SNAN) fpFlags.value |= IOC;
    return 0;
  }
  const v1 = slotValue[0], v2 = slotValue[1];
  const r = kind === CEQ ? v1 === v2 : kind === CGE ? v1 >= v2 : v1 > v2;
  return r ? 0xffffffff : 0;
}

/** FPRecipStep (VRECPS: 2 - a*b) and FPRSqrtStep (VRSQRTS: (3 - a*b) / 2); infinity times zero gives the constant. */
function step(a: number, b: number, rsqrt: boolean, fpscr: number): number {
  const t1 = unpack32(0, a, fpscr), t2 = unpack32(1, b, fpscr);
  if (processNaNs(2, F32, fpscr)) return fpResult.hi;
  if ((t1 === INFINITY && t2 === ZERO) || (t1 === ZERO && t2 === INFINITY)) return rsqrt ? 0x3fc00000 : TWO;
  const product = vmul32(a, b, fpscr);
  if (!rsqrt) return vsub32(TWO, product, fpscr);
  return vmul32(vsub32(THREE, product, fpscr), HALF, fpscr);
}

// ---- fast paths: normal operands and a normal result under the standard FPSCR (round to nearest).
// A single-precision sum or product computed in double precision and then rounded to single is
// the correctly rounded result (the product is even exact in double); Inexact is whether rounding
// (in either step) changed the value. Anything else — zeros, denormals, infinities, NaNs, tiny or
// overflowing results — takes the exact VFP path, which handles FZ, DN and the other flags.

const fastF32 = new Float32Array(1);
const fastU32 = new Uint32Array(fastF32.buffer);
const MIN_NORMAL = 2 ** -126;

function valueOf(bits: number): number {
  fastU32[0] = bits;
  return fastF32[0];
}
function normal(bits: number): boolean {
  const e = (bits >>> 23) & 0xff;
  return e !== 0 && e !== 0xff;
}
/** Bits of the rounded result `r` (Inexact unless `exact`), or -1 when `r` is not a normal number. */
function finish(r: number, exact: boolean): number {
  const m = Math.abs(r);
  if (!(m >= MIN_NORMAL && m < Infinity)) return -1;
  if (!exact) fpFlags.value |= IXC;
  fastF32[0] = r;
  return fastU32[0];
}
/** FPAdd (b as given) under the standard FPSCR. */
function add(a: number, b: number, fpscr: number): number {
  if (normal(a) && normal(b)) {
    const x = valueOf(a), y = valueOf(b);
    const s = x + y;
    const err = Math.abs(x) >= Math.abs(y) ? y - (s - x) : x - (s - y); // Fast2Sum: the exact error
    const rounded = Math.fround(s);
    const r = finish(rounded, err === 0 && rounded === s);
    if (r !== -1) return r;
  }
  return vadd32(a, b, fpscr);
}
function sub(a: number, b: number, fpscr: number): number {
  if (normal(a) && normal(b)) return add(a, (b ^ SIGN) >>> 0, fpscr);
  return vsub32(a, b, fpscr);
}
function mul(a: number, b: number, fpscr: number): number {
  if (normal(a) && normal(b)) {
    const p = valueOf(a) * valueOf(b); // exact: 48 significant bits
    // tininess is judged on the exact value (before rounding): a tiny p flushes even if it rounds up
    if (Math.abs(p) >= MIN_NORMAL) {
      const rounded = Math.fround(p);
      const r = finish(rounded, rounded === p);
      if (r !== -1) return r;
    }
  }
  return vmul32(a, b, fpscr);
}
/**
 * FPMulAdd (fused): the product is exact in double precision, TwoSum gives the addition exactly as
 * s + err; s rounded to single is right unless s lies exactly halfway between two singles while
 * err != 0, in which case the exact value is on err's side of the midpoint.
 */
function fma(c: number, a: number, b: number, fpscr: number): number {
  if (normal(a) && normal(b) && normal(c)) {
    const p = valueOf(a) * valueOf(b), z = valueOf(c);
    const s = p + z;
    const bb = s - p;
    const err = p - (s - bb) + (z - bb);
    // |s| > MIN_NORMAL (strictly) guarantees the exact value is not tiny
    if (Math.abs(s) > MIN_NORMAL) {
      let rounded = Math.fround(s);
      if (err !== 0) {
        const d = s - rounded;
        const other = rounded + 2 * d; // the other neighbour when s is a midpoint
        if (d !== 0 && Math.fround(other) === other && err > 0 === other > rounded) rounded = other;
      }
      const r = finish(rounded, err === 0 && rounded === s);
      if (r !== -1) return r;
    }
  }
  return vfma32(c, a, b, fpscr);
}

const ADD = 0, SUB = 1, ABD = 2, MUL = 3, MLA = 4, MLS = 5, FMA = 6, FMS = 7, CEQ = 8, CGE = 9, CGT = 10,
  ACGE = 11, ACGT = 12, MAX = 13, MIN = 14, RECPS = 15, RSQRTS = 16;

function laneOp(op: number, a: number, b: number, c: number, fpscr: number): number {
  switch (op) {
    case ADD: return add(a, b, fpscr);
    case SUB: return sub(a, b, fpscr);
    case ABD: return (sub(a, b, fpscr) & 0x7fffffff) >>> 0;
    case MUL: return mul(a, b, fpscr);
    case MLA: return add(c, mul(a, b, fpscr), fpscr);
    case MLS: return sub(c, mul(a, b, fpscr), fpscr);
    case FMA: return fma(c, a, b, fpscr);
    case FMS: return fma(c, (a ^ SIGN) >>> 0, b, fpscr);
    case CEQ: case CGE: case CGT: return compare(a, b, op, fpscr);
    case ACGE: return compare(a & 0x7fffffff, b & 0x7fffffff, CGE, fpscr);
    case ACGT: return compare(a & 0x7fffffff, b & 0x7fffffff, CGT, fpscr);
    case MAX: return maxMin(a, b, true, fpscr);
    case MIN: return maxMin(a, b, false, fpscr);
    case RECPS: return step(a, b, false, fpscr);
    case RSQRTS: return step(a, b, true, fpscr);
  }
  return 0;
}

function same3(cpu: ArmCpu, op: number, d: number, n: number, m: number, x: number): void {
  const fp = cpu.fp, w = lanesOf(fp).u32;
  const fpscr = standardFpscr(fp.fpscr);
  const count = (x & 4) !== 0 ? 4 : 2;
  for (let i = 0; i < count; i++) w[2 * d + i] = laneOp(op, w[2 * n + i], w[2 * m + i], w[2 * d + i], fpscr);
  accumulate(fp);
}

function same(op: number): number {
  return defineFpSimdExecutor((cpu, d, n, m, x) => same3(cpu, op, d, n, m, x));
}

export const OP_VADD_F = same(ADD), OP_VSUB_F = same(SUB), OP_VABD_F = same(ABD), OP_VMUL_F = same(MUL),
  OP_VMLA_F = same(MLA), OP_VMLS_F = same(MLS), OP_VFMA_F = same(FMA), OP_VFMS_F = same(FMS),
  OP_VCEQ_F = same(CEQ), OP_VCGE_F = same(CGE), OP_VCGT_F = same(CGT), OP_VACGE_F = same(ACGE),
  OP_VACGT_F = same(ACGT), OP_VMAX_F = same(MAX), OP_VMIN_F = same(MIN), OP_VRECPS_F = same(RECPS),
  OP_VRSQRTS_F = same(RSQRTS);

/** VPADD/VPMAX/VPMIN.F32 (D registers): x bits 4-5 = 0 add, 1 max, 2 min. */
export const OP_VPAIRWISE_F = defineFpSimdExecutor((cpu, d, n, m, x) => {
  const fp = cpu.fp, L = lanesOf(fp);
  const fpscr = standardFpscr(fp.fpscr);
  stage(L, n, 1, SCRATCH_N);
  stage(L, m, 1, SCRATCH_N + 2); // Dn:Dm contiguous: pairs (n0, n1), (m0, m1)
  const s = scratch.u32, op = (x >>> 4) & 3;
  for (let i = 0; i < 2; i++) {
    const a = s[2 * i], b = s[2 * i + 1];
    L.u32[2 * d + i] = op === 0 ? add(a, b, fpscr) : maxMin(a, b, op === 1, fpscr);
  }
  accumulate(fp);
});

/** VMLA/VMLS/VMUL.F32 by scalar: m = word index of the scalar; x bits 4-5 = 0 mul, 1 mla, 2 mls. */
export const OP_VMUL_F_SCALAR = defineFpSimdExecutor((cpu, d, n, m, x) => {
  const fp = cpu.fp, w = lanesOf(fp).u32;
  const fpscr = standardFpscr(fp.fpscr);
  const scalar = w[m], op = (x >>> 4) & 3;
  const count = (x & 4) !== 0 ? 4 : 2;
  for (let i = 0; i < count; i++) {
    const k = 2 * d + i;
    w[k] = laneOp(op === 0 ? MUL : op === 1 ? MLA : MLS, w[2 * n + i], scalar, w[k], fpscr);
  }
  accumulate(fp);
});

// ---------------------------------------------------------------- two registers, miscellaneous

const M_CGT0 = 0, M_CGE0 = 1, M_CEQ0 = 2, M_CLE0 = 3, M_CLT0 = 4, M_ABS = 5, M_NEG = 6, M_RECPE = 7,
  M_RSQRTE = 8, M_TO_S32 = 9, M_TO_U32 = 10, M_FROM_S32 = 11, M_FROM_U32 = 12;

function miscLane(op: number, a: number, fpscr: number, fracBits: number): number {
  switch (op) {
    case M_CGT0: return compare(a, 0, CGT, fpscr);
    case M_CGE0: return compare(a, 0, CGE, fpscr);
    case M_CEQ0: return compare(a, 0, CEQ, fpscr);
    case M_CLE0: return compare(0, a, CGE, fpscr);
    case M_CLT0: return compare(0, a, CGT, fpscr);
    case M_ABS: return (a & 0x7fffffff) >>> 0;
    case M_NEG: return (a ^ SIGN) >>> 0;
    case M_RECPE: return recipEstimateF32(a, fpscr);
    case M_RSQRTE: return rsqrtEstimateF32(a, fpscr);
    case M_TO_S32: return singleToFixed(a, 32, fracBits, false, true, fpscr);
    case M_TO_U32: return singleToFixed(a, 32, fracBits, true, true, fpscr);
    case M_FROM_S32: fixedToFloat(a, 32, fracBits, false, F32, fpscr); return fpResult.hi;
    case M_FROM_U32: fixedToFloat(a, 32, fracBits, true, F32, fpscr); return fpResult.hi;
  }
  return 0;
}

/** FPRecipEstimate (ARMv7): 8-bit estimate of 1/x. */
function recipEstimateF32(a: number, fpscr: number): number {
  const t = unpack32(0, a, fpscr);
  const sign = (slotHi[0] & SIGN) >>> 0;
  if (t === SNAN || t === QNAN) {
    setProcessedNaN(0, F32, fpscr);
    return fpResult.hi;
  }
  if (t === INFINITY) return sign;
  if (t === ZERO) {
    fpFlags.value |= DZC;
    return (sign | 0x7f800000) >>> 0;
  }
  const exp = (a >>> 23) & 0xff;
  if (exp >= 253) {
    fpFlags.value |= UFC;
    return sign;
  }
  const s = recipEstimate(256 + ((a >>> 15) & 0xff)); // operand scaled into [0.5, 1) as a/512
  return (sign | ((253 - exp) << 23) | ((s & 0xff) << 15)) >>> 0;
}

/** FPRSqrtEstimate (ARMv7): 8-bit estimate of 1/sqrt(x). */
function rsqrtEstimateF32(a: number, fpscr: number): number {
  const t = unpack32(0, a, fpscr);
  if (t === SNAN || t === QNAN) {
    setProcessedNaN(0, F32, fpscr);
    return fpResult.hi;
  }
  const negative = slotHi[0] >= SIGN;
  if (t === ZERO) {
    fpFlags.value |= DZC;
    return ((slotHi[0] & SIGN) | 0x7f800000) >>> 0;
  }
  if (negative) {
    fpFlags.value |= IOC;
    setDefaultNaN(F32);
    return fpResult.hi;
  }
  if (t === INFINITY) return 0;
  const exp = (a >>> 23) & 0xff;
  // odd exponent: operand scaled into [0.25, 0.5); even: [0.5, 1); both as 128 + top 7 fraction bits
  const s = rsqrtEstimate(128 + ((a >>> 16) & 0x7f), (exp & 1) !== 0);
  return ((((380 - exp) >> 1) << 23) | ((s & 0xff) << 15)) >>> 0;
}

function misc(op: number): number {
  return defineFpSimdExecutor((cpu, d, _n, m, x) => {
    const fp = cpu.fp, w = lanesOf(fp).u32;
    const fpscr = standardFpscr(fp.fpscr);
    const count = (x & 4) !== 0 ? 4 : 2;
    const fracBits = x >>> 4;
    for (let i = 0; i < count; i++) w[2 * d + i] = miscLane(op, w[2 * m + i], fpscr, fracBits);
    accumulate(fp);
  });
}

export const OP_VCGT0_F = misc(M_CGT0), OP_VCGE0_F = misc(M_CGE0), OP_VCEQ0_F = misc(M_CEQ0),
  OP_VCLE0_F = misc(M_CLE0), OP_VCLT0_F = misc(M_CLT0), OP_VABS_F = misc(M_ABS), OP_VNEG_F = misc(M_NEG),
  OP_VRECPE_F = misc(M_RECPE), OP_VRSQRTE_F = misc(M_RSQRTE);
/** VCVT between F32 and S32/U32, x bits 4.. = fraction bits (0 for the integer forms). */
export const OP_VCVT_TO_S32 = misc(M_TO_S32), OP_VCVT_TO_U32 = misc(M_TO_U32),
  OP_VCVT_FROM_S32 = misc(M_FROM_S32), OP_VCVT_FROM_U32 = misc(M_FROM_U32);

/** VCVT.F16.F32 Dd, Qm: four singles to four halves. */
export const OP_VCVT_F16_F32 = defineFpSimdExecutor((cpu, d, _n, m) => {
  const fp = cpu.fp, L = lanesOf(fp);
  const fpscr = standardFpscr(fp.fpscr);
  stage(L, m, 2, SCRATCH_N);
  for (let i = 0; i < 4; i++) L.u16[4 * d + i] = singleToHalf(scratch.u32[i], fpscr);
  accumulate(fp);
});

/** VCVT.F32.F16 Qd, Dm: four halves to four singles. */
export const OP_VCVT_F32_F16 = defineFpSimdExecutor((cpu, d, _n, m) => {
  const fp = cpu.fp, L = lanesOf(fp);
  const fpscr = standardFpscr(fp.fpscr);
  stage(L, m, 1, SCRATCH_N);
  for (let i = 0; i < 4; i++) L.u32[2 * d + i] = halfToSingle(scratch.u16[i], fpscr);
  accumulate(fp);
});
