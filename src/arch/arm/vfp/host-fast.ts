/**
 * The host fast path for FPAdd, FPSub, FPMul, FPDiv and FPSqrt: when the host's IEEE 754 double
 * arithmetic gives exactly what FPRound would, use it and skip the exact path (arith.ts, round.ts).
 *
 * That is the case when FPSCR selects round to nearest (ties to even) without flush-to-zero or
 * default NaN, and the result is a finite normal number:
 * - the host rounds the exact result once to nearest-even in binary64; for single precision the
 *   double result rounded again to binary32 is still the correctly rounded one (the double
 *   rounding is innocuous for +, -, *, / and sqrt since 53 >= 2 * 24 + 2);
 * - a rounded magnitude above the smallest normal means the unrounded one was above it too, so no
 *   underflow (ARM detects tininess before rounding); at most the largest finite means no overflow;
 *   operands that are NaN, infinite or give an invalid operation produce a NaN or infinity here and
 *   leave the work to the exact path, as do zero results (whose sign the pseudocode decides);
 * - the only exception left is Inexact, so the path is taken only when FPSCR.IXC is already set
 *   (it is cumulative: raising it again changes nothing).
 *
 * FPMulAdd (c + a * b, one rounding) has no host instruction: the exact value is carried as
 * s + t + e (TwoProduct a * b = p + e, TwoSum c + p = s + t, all exact in range), rounded once as
 * r = RN(s + RN(t + e)) for double (r = RN32(s) for single, with s + t exact), and r is accepted
 * only when the rest of the exact value, less r, provably lies strictly within half the spacing of
 * the format around r (monotonic rounding of the remainder makes the test rigorous); otherwise, or
 * out of range, the exact path decides.
 */
import { FPSCR_DN, FPSCR_FZ, FPSCR_RMODE_MASK, IXC } from "./fpscr.js";
import { fpResult } from "./operands.js";

export const HOST_ADD = 0, HOST_SUB = 1, HOST_MUL = 2, HOST_DIV = 3, HOST_SQRT = 4;

/** FPSCR bits that must read exactly "RN, no FZ, no DN, IXC set" for the fast path. */
const MODE_MASK = FPSCR_DN | FPSCR_FZ | FPSCR_RMODE_MASK | IXC;
const MIN_NORMAL_64 = 2.2250738585072014e-308; // 2^-1022
const MIN_NORMAL_32 = 1.1754943508222875e-38; // 2^-126
const MAX_32 = 3.4028234663852886e38; // (2 - 2^-23) * 2^127

// bit-pattern <-> value scratch (the host is little-endian, as FpSimdState's views assume)
const d = new Float64Array(2);
const dw = new Uint32Array(d.buffer);
const s = new Float32Array(2);
const sw = new Uint32Array(s.buffer);

function apply(op: number, a: number, b: number): number {
  switch (op) {
    case HOST_ADD: return a + b;
    case HOST_SUB: return a - b;
    case HOST_MUL: return a * b;
    case HOST_DIV: return a / b;
    default: return Math.sqrt(a);
  }
}

/** Double precision: true with the result in fpResult.hi/lo, or false (take the exact path). */
export function hostOp64(op: number, aHi: number, aLo: number, bHi: number, bLo: number, fpscr: number): boolean {
  if ((fpscr & MODE_MASK) !== IXC) return false;
  dw[0] = aLo;
  dw[1] = aHi;
  dw[2] = bLo;
  dw[3] = bHi;
  const r = apply(op, d[0], d[1]);
  const m = Math.abs(r);
  if (!(m > MIN_NORMAL_64 && m <= Number.MAX_VALUE)) return false;
  d[0] = r;
  fpResult.hi = dw[1];
  fpResult.lo = dw[0];
  return true;
}

/** Single precision: true with the result bits in fpResult.hi, or false (take the exact path). */
export function hostOp32(op: number, a: number, b: number, fpscr: number): boolean {
  if ((fpscr & MODE_MASK) !== IXC) return false;
  sw[0] = a;
  sw[1] = b;
  const r = Math.fround(apply(op, s[0], s[1]));
  const m = Math.abs(r);
  if (!(m > MIN_NORMAL_32 && m <= MAX_32)) return false;
  s[0] = r;
  fpResult.hi = sw[0];
  return true;
}

// ---------------------------------------------------------------- fused multiply-add

const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)
const TINY_64 = 2 ** -968; // products and results above this keep TwoProduct's error a double
const HUGE_64 = 2 ** 995; // operands below this cannot overflow the split or the product's error

let errLo = 0;
/** TwoSum: a + b = result + errLo exactly. */
function twoSum(a: number, b: number): number {
  const s = a + b, bb = s - a;
  errLo = a - (s - bb) + (b - bb);
  return s;
}
/** TwoProduct (Dekker): a * b = result + errLo exactly, in range. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  errLo = al * bl - (p - ah * bh - al * bh - ah * bl);
  return p;
}

/**
 * Whether RN(r + rest) = r for the rounded r and the remainder's host sum `rest`: |rest| must be
 * below half the spacing above r (or below r when r is a power of two and rest points towards
 * zero, where the spacing halves). `shift` = 53 (double) or 24 (single): half an ulp of r is
 * 2^(exponent(r) - shift). r is a normal double here, far from the bottom of the exponent range.
 */
function keeps(r: number, rest: number, shift: number): boolean {
  d[0] = r;
  const hi = dw[1], exp = (hi >>> 20) & 0x7ff;
  const pow2 = (shift === 53 ? (hi & 0xfffff) === 0 && dw[0] === 0 : (hi & 0xfffff) === 0 && dw[0] >>> 29 === 0);
  d[1] = 0;
  dw[3] = (exp - shift + (pow2 && (rest < 0) !== (r < 0) ? -1 : 0)) << 20;
  return Math.abs(rest) < d[1];
}

/** FPMulAdd in double precision (addend c): true with the result in fpResult, or false. */
export function hostMulAdd64(cHi: number, cLo: number, aHi: number, aLo: number, bHi: number, bLo: number,
  fpscr: number): boolean {
  if ((fpscr & MODE_MASK) !== IXC) return false;
  dw[0] = aLo;
  dw[1] = aHi;
  dw[2] = bLo;
  dw[3] = bHi;
  const a = d[0], b = d[1];
  dw[0] = cLo;
  dw[1] = cHi;
  const c = d[0];
  if (!(Math.abs(a) < HUGE_64 && Math.abs(b) < HUGE_64 && Math.abs(c) < HUGE_64)) return false;
  const p = twoProduct(a, b), e = errLo;
  if (!(Math.abs(p) > TINY_64)) return false;
  const sum = twoSum(c, p), t = errLo;
  const u = twoSum(t, e), delta = errLo;
  const r = twoSum(sum, u), v = errLo;
  const m = Math.abs(r);
  if (!(m > TINY_64 && m <= Number.MAX_VALUE)) return false;
  if (delta !== 0 || v !== 0) {
    if (!keeps(r, v + delta, 53)) return false;
  }
  d[0] = r;
  fpResult.hi = dw[1];
  fpResult.lo = dw[0];
  return true;
}

/** FPMulAdd in single precision: true with the result bits in fpResult.hi, or false. */
export function hostMulAdd32(c32: number, a32: number, b32: number, fpscr: number): boolean {
  if ((fpscr & MODE_MASK) !== IXC) return false;
  sw[0] = a32;
  sw[1] = b32;
  const p = s[0] * s[1]; // exact: 48 significant bits
  sw[0] = c32;
  const c = s[0];
  if (!Number.isFinite(p + c)) return false;
  const sum = twoSum(c, p), t = errLo; // c + p = sum + t exactly
  const r = Math.fround(sum);
  const m = Math.abs(r);
  if (!(m > MIN_NORMAL_32 && m <= MAX_32)) return false;
  // sum - r is exact (r is within one single-precision spacing of sum)
  if (!keeps(r, sum - r + t, 24)) return false;
  s[0] = r;
  fpResult.hi = sw[0];
  return true;
}
