/**
 * VFP data-processing instructions as the ARM ARM's instruction pseudocode defines them, over the
 * register file's raw words: `(cpu, d, n, m)` (registers in `cpu.fp`) with S register numbers for single precision and D
 * register numbers for double precision. Flags raised are ORed into FPSCR.
 *
 * Each is an executor body as it stands (`cpu.fp` is the register file); decode.ts registers them,
 * and tests call them directly on a bare `{ fp }`.
 */
import {
  cvtDoubleToSingle, cvtSingleToDouble, doubleToFixed, fixedToFloat, halfToSingle, singleToFixed, singleToHalf,
} from "./convert.js";
import { FPSCR_NZCV, FPSCR_RMODE_MASK } from "./fpscr.js";
import { fpResult } from "./operands.js";
import {
  vadd32, vadd64, vcmp32, vcmp64, vdiv32, vdiv64, vfma32, vfma64, vmul32, vmul64, vsqrt32, vsqrt64, vsub32, vsub64,
} from "./ops.js";
import { F32, F64, fpFlags } from "./round.js";

/** What the VFP instructions need of the register file (FpSimdState satisfies it). */
export interface VfpRegisterState {
  readonly w: Uint32Array;
  fpscr: number;
}

/** Anything holding the register file as `fp` (the ArmCpu does), so these can be executors as they are. */
export interface VfpOwner {
  readonly fp: VfpRegisterState;
}

export type VfpOp = (cpu: VfpOwner, d: number, n: number, m: number) => void;

const SIGN = 0x80000000;

function accumulate(fp: VfpRegisterState): void {
  if (fpFlags.value !== 0) {
    fp.fpscr = (fp.fpscr | fpFlags.value) >>> 0;
    fpFlags.value = 0;
  }
}

function storeDouble(w: Uint32Array, d: number): void {
  w[2 * d + 1] = fpResult.hi;
  w[2 * d] = fpResult.lo;
}

// ---------------------------------------------------------------- single precision

export const vaddS: VfpOp = ({ fp }, d, n, m) => { const w = fp.w; w[d] = vadd32(w[n], w[m], fp.fpscr); accumulate(fp); };
export const vsubS: VfpOp = ({ fp }, d, n, m) => { const w = fp.w; w[d] = vsub32(w[n], w[m], fp.fpscr); accumulate(fp); };
export const vmulS: VfpOp = ({ fp }, d, n, m) => { const w = fp.w; w[d] = vmul32(w[n], w[m], fp.fpscr); accumulate(fp); };
export const vdivS: VfpOp = ({ fp }, d, n, m) => { const w = fp.w; w[d] = vdiv32(w[n], w[m], fp.fpscr); accumulate(fp); };
export const vnmulS: VfpOp = ({ fp }, d, n, m) => { const w = fp.w; w[d] = (vmul32(w[n], w[m], fp.fpscr) ^ SIGN) >>> 0; accumulate(fp); };
export const vmlaS: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w, p = vmul32(w[n], w[m], fp.fpscr);
  w[d] = vadd32(w[d], p, fp.fpscr);
  accumulate(fp);
};
export const vmlsS: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w, p = vmul32(w[n], w[m], fp.fpscr);
  w[d] = vadd32(w[d], (p ^ SIGN) >>> 0, fp.fpscr);
  accumulate(fp);
};
export const vnmlaS: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w, p = vmul32(w[n], w[m], fp.fpscr);
  w[d] = vadd32((w[d] ^ SIGN) >>> 0, (p ^ SIGN) >>> 0, fp.fpscr);
  accumulate(fp);
};
export const vnmlsS: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w, p = vmul32(w[n], w[m], fp.fpscr);
  w[d] = vadd32((w[d] ^ SIGN) >>> 0, p, fp.fpscr);
  accumulate(fp);
};
export const vfmaS: VfpOp = ({ fp }, d, n, m) => { const w = fp.w; w[d] = vfma32(w[d], w[n], w[m], fp.fpscr); accumulate(fp); };
export const vfmsS: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  w[d] = vfma32(w[d], (w[n] ^ SIGN) >>> 0, w[m], fp.fpscr);
  accumulate(fp);
};
export const vfnmaS: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  w[d] = vfma32((w[d] ^ SIGN) >>> 0, (w[n] ^ SIGN) >>> 0, w[m], fp.fpscr);
  accumulate(fp);
};
export const vfnmsS: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  w[d] = vfma32((w[d] ^ SIGN) >>> 0, w[n], w[m], fp.fpscr);
  accumulate(fp);
};
export const vsqrtS: VfpOp = ({ fp }, d, _n, m) => { const w = fp.w; w[d] = vsqrt32(w[m], fp.fpscr); accumulate(fp); };
export const vabsS: VfpOp = ({ fp }, d, _n, m) => { fp.w[d] = fp.w[m] & 0x7fffffff; };
export const vnegS: VfpOp = ({ fp }, d, _n, m) => { fp.w[d] = (fp.w[m] ^ SIGN) >>> 0; };
export const vmovS: VfpOp = ({ fp }, d, _n, m) => { fp.w[d] = fp.w[m]; };

function setNzcv(fp: VfpRegisterState, nzcv: number): void {
  fp.fpscr = ((fp.fpscr & ~FPSCR_NZCV) | nzcv) >>> 0;
  accumulate(fp);
}
/** VCMP (n = 0) / VCMPE (n = 1) with Sm; m = -1 compares with +0. */
export const vcmpS: VfpOp = ({ fp }, d, n, m) => setNzcv(fp, vcmp32(fp.w[d], m < 0 ? 0 : fp.w[m], n !== 0, fp.fpscr));

// ---------------------------------------------------------------- double precision

function binary64(op: typeof vadd64): VfpOp {
  return ({ fp }, d, n, m) => {
    const w = fp.w;
    op(w[2 * n + 1], w[2 * n], w[2 * m + 1], w[2 * m], fp.fpscr);
    storeDouble(w, d);
    accumulate(fp);
  };
}
export const vaddD = binary64(vadd64);
export const vsubD = binary64(vsub64);
export const vmulD = binary64(vmul64);
export const vdivD = binary64(vdiv64);
export const vnmulD: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  vmul64(w[2 * n + 1], w[2 * n], w[2 * m + 1], w[2 * m], fp.fpscr);
  w[2 * d + 1] = (fpResult.hi ^ SIGN) >>> 0;
  w[2 * d] = fpResult.lo;
  accumulate(fp);
};

/** Non-fused multiply-accumulate: FPAdd(negD ? -Dd : Dd, negP ? -P : P) with P = FPMul(Dn, Dm). */
function multiplyAccumulate64(negD: boolean, negP: boolean): VfpOp {
  const sd = negD ? SIGN : 0, sp = negP ? SIGN : 0;
  return ({ fp }, d, n, m) => {
    const w = fp.w;
    vmul64(w[2 * n + 1], w[2 * n], w[2 * m + 1], w[2 * m], fp.fpscr);
    const pHi = (fpResult.hi ^ sp) >>> 0, pLo = fpResult.lo;
    vadd64((w[2 * d + 1] ^ sd) >>> 0, w[2 * d], pHi, pLo, fp.fpscr);
    storeDouble(w, d);
    accumulate(fp);
  };
}
export const vmlaD = multiplyAccumulate64(false, false);
export const vmlsD = multiplyAccumulate64(false, true);
export const vnmlaD = multiplyAccumulate64(true, true);
export const vnmlsD = multiplyAccumulate64(true, false);

/** Fused: FPMulAdd(negD ? -Dd : Dd, negN ? -Dn : Dn, Dm). */
function fusedMultiplyAdd64(negD: boolean, negN: boolean): VfpOp {
  const sd = negD ? SIGN : 0, sn = negN ? SIGN : 0;
  return ({ fp }, d, n, m) => {
    const w = fp.w;
    vfma64((w[2 * d + 1] ^ sd) >>> 0, w[2 * d], (w[2 * n + 1] ^ sn) >>> 0, w[2 * n], w[2 * m + 1], w[2 * m], fp.fpscr);
    storeDouble(w, d);
    accumulate(fp);
  };
}
export const vfmaD = fusedMultiplyAdd64(false, false);
export const vfmsD = fusedMultiplyAdd64(false, true);
export const vfnmaD = fusedMultiplyAdd64(true, true);
export const vfnmsD = fusedMultiplyAdd64(true, false);

export const vsqrtD: VfpOp = ({ fp }, d, _n, m) => {
  const w = fp.w;
  vsqrt64(w[2 * m + 1], w[2 * m], fp.fpscr);
  storeDouble(w, d);
  accumulate(fp);
};
export const vabsD: VfpOp = ({ fp }, d, _n, m) => { const w = fp.w; w[2 * d + 1] = w[2 * m + 1] & 0x7fffffff; w[2 * d] = w[2 * m]; };
export const vnegD: VfpOp = ({ fp }, d, _n, m) => { const w = fp.w; w[2 * d + 1] = (w[2 * m + 1] ^ SIGN) >>> 0; w[2 * d] = w[2 * m]; };
export const vmovD: VfpOp = ({ fp }, d, _n, m) => { const w = fp.w; w[2 * d + 1] = w[2 * m + 1]; w[2 * d] = w[2 * m]; };
/** VCMP (n = 0) / VCMPE (n = 1) with Dm; m = -1 compares with +0. */
export const vcmpD: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  const mHi = m < 0 ? 0 : w[2 * m + 1], mLo = m < 0 ? 0 : w[2 * m];
  setNzcv(fp, vcmp64(w[2 * d + 1], w[2 * d], mHi, mLo, n !== 0, fp.fpscr));
};

// ---------------------------------------------------------------- conversions

/** VCVT.F64.F32 Dd, Sm */
export const vcvtDS: VfpOp = ({ fp }, d, _n, m) => { cvtSingleToDouble(fp.w[m], fp.fpscr); storeDouble(fp.w, d); accumulate(fp); };
/** VCVT.F32.F64 Sd, Dm */
export const vcvtSD: VfpOp = ({ fp }, d, _n, m) => {
  const w = fp.w;
  w[d] = cvtDoubleToSingle(w[2 * m + 1], w[2 * m], fp.fpscr);
  accumulate(fp);
};

/**
 * VCVT{R}.{S32,U32}.F32/F64 Sd, Sm/Dm — `n` packs the options: bit 0 unsigned, bit 1 round by FPSCR
 * (VCVTR; otherwise towards zero).
 */
export const vcvtIntS: VfpOp = ({ fp }, d, n, m) => {
  fp.w[d] = singleToFixed(fp.w[m], 32, 0, (n & 1) !== 0, (n & 2) === 0, fp.fpscr);
  accumulate(fp);
};
export const vcvtIntD: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  w[d] = doubleToFixed(w[2 * m + 1], w[2 * m], 32, 0, (n & 1) !== 0, (n & 2) === 0, fp.fpscr);
  accumulate(fp);
};
/** VCVT.F32.{S32,U32} Sd, Sm (n bit 0: unsigned), FPSCR rounding. */
export const vcvtFromIntS: VfpOp = ({ fp }, d, n, m) => {
  fixedToFloat(fp.w[m], 32, 0, (n & 1) !== 0, F32, fp.fpscr);
  fp.w[d] = fpResult.hi;
  accumulate(fp);
};
/** VCVT.F64.{S32,U32} Dd, Sm */
export const vcvtFromIntD: VfpOp = ({ fp }, d, n, m) => {
  fixedToFloat(fp.w[m], 32, 0, (n & 1) !== 0, F64, fp.fpscr);
  storeDouble(fp.w, d);
  accumulate(fp);
};

/**
 * VCVT between floating point and fixed point, in place on Sd / Dd. `n` packs the options: bits 0..5
 * fraction bits, bit 6 unsigned, bit 7 size 32 (else 16), bit 8 to fixed (else from fixed).
 * To fixed rounds towards zero, from fixed to nearest (whatever FPSCR.RMode says); a fixed-point
 * result is sign- or zero-extended to the register width.
 */
export const vcvtFixedS: VfpOp = ({ fp }, d, n) => {
  const frac = n & 63, unsigned = (n & 64) !== 0, size = n & 128 ? 32 : 16;
  const w = fp.w;
  if (n & 256) {
    let r = singleToFixed(w[d], size, frac, unsigned, true, fp.fpscr);
    if (size === 16) r = unsigned ? r & 0xffff : ((r << 16) >> 16) >>> 0;
    w[d] = r;
  } else {
    fixedToFloat(w[d], size, frac, unsigned, F32, fp.fpscr & ~FPSCR_RMODE_MASK);
    w[d] = fpResult.hi;
  }
  accumulate(fp);
};
export const vcvtFixedD: VfpOp = ({ fp }, d, n) => {
  const frac = n & 63, unsigned = (n & 64) !== 0, size = n & 128 ? 32 : 16;
  const w = fp.w;
  if (n & 256) {
    let r = doubleToFixed(w[2 * d + 1], w[2 * d], size, frac, unsigned, true, fp.fpscr);
    if (size === 16) r = unsigned ? r & 0xffff : ((r << 16) >> 16) >>> 0;
    w[2 * d] = r;
    w[2 * d + 1] = unsigned || (r & SIGN) === 0 ? 0 : 0xffffffff;
  } else {
    fixedToFloat(w[2 * d], size, frac, unsigned, F64, fp.fpscr & ~FPSCR_RMODE_MASK);
    storeDouble(w, d);
  }
  accumulate(fp);
};

/** VCVTB/VCVTT.F32.F16 Sd, Sm: n = 0 bottom half, 1 top half. */
export const vcvtFromHalf: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  w[d] = halfToSingle(n !== 0 ? w[m] >>> 16 : w[m] & 0xffff, fp.fpscr);
  accumulate(fp);
};
/** VCVTB/VCVTT.F16.F32 Sd, Sm: writes only the selected half of Sd. */
export const vcvtToHalf: VfpOp = ({ fp }, d, n, m) => {
  const w = fp.w;
  const h = singleToHalf(w[m], fp.fpscr);
  w[d] = n !== 0 ? ((w[d] & 0xffff) | (h << 16)) >>> 0 : ((w[d] & 0xffff0000) | h) >>> 0;
  accumulate(fp);
};

// ---------------------------------------------------------------- VMOV (immediate)

/** VMOV.F32 Sd, #imm: n = the expanded single-precision bits. */
export const vmovImmS: VfpOp = ({ fp }, d, n) => { fp.w[d] = n >>> 0; };
/** VMOV.F64 Dd, #imm: n = the high word of the expanded double (the low word is zero). */
export const vmovImmD: VfpOp = ({ fp }, d, n) => { fp.w[2 * d + 1] = n >>> 0; fp.w[2 * d] = 0; };

/** VFPExpandImm(imm8) for single precision (bits) or double precision (high word). */
export function vfpExpandImm(imm8: number, double: boolean): number {
  const sign = (imm8 & 0x80) << 24;
  const b6 = (imm8 >>> 6) & 1;
  const low = imm8 & 0x3f; // imm8<5:0> lands right below the replicated exponent bits
  if (double) return (sign | ((b6 ^ 1) << 30) | (b6 ? 0xff << 22 : 0) | (low << 16)) >>> 0;
  return (sign | ((b6 ^ 1) << 30) | (b6 ? 0x1f << 25 : 0) | (low << 19)) >>> 0;
}
