/**
 * FPRound (ARM ARM, VFP pseudocode): round an exact real result to half, single or double precision
 * under the FPSCR's rounding mode, with flush-to-zero and the Underflow / Overflow / Inexact flags.
 *
 * The exact result is handed over as  (hi + lo + eps) * 2^scale  where
 *   - hi is a finite non-zero double and lo a double (both exact),
 *   - eps stands for a remainder too small to be a double here: only its sign (-1, 0, 1) is given;
 *     its magnitude must be below half the finest bit of hi and lo, and below ulp(hi)/4 when lo is 0
 *     and hi is a power of two with eps < 0 (i.e. hi is RN of the exact value, and the exact value is
 *     never a midpoint that hi+lo does not show — true of a correctly rounded quotient or root).
 * From that, FPRound's quantities are derived exactly: the unbounded exponent (tininess is detected
 * *before* rounding, as the pseudocode does), the integer significand and the class of the
 * rounding error (0, below half, half, above half).
 *
 * Flags raised are ORed into `fpFlags.value`.
 */
import { ef, exponentOf, isPowerOfTwo, pow2, scaleB, twoSum } from "./exact.js";
import { FPSCR_FZ, IOC, IXC, OFC, RM, RN, RP, UFC, roundingMode } from "./fpscr.js";

/** Destination formats. F16_AHP is ARM's alternative half precision (no infinities or NaNs). */
export const F16 = 0;
export const F16_AHP = 1;
export const F32 = 2;
export const F64 = 3;

/** Precision (significand bits including the hidden one), minimum and maximum normal exponent. */
const PRECISION = [11, 11, 24, 53];
const EMIN = [-14, -14, -126, -1022];
const EMAX = [15, 16, 127, 1023];
/** Largest finite value of each format. */
export const MAX_NORMAL = [65504, 131008, 3.4028234663852886e38, Number.MAX_VALUE];

/** Exceptions raised since the caller last cleared `value`. */
export const fpFlags = { value: 0 };

// Classes of the part of the exact value below the rounding position.
const EXACT = 0;
const BELOW_HALF = 1;
const HALF = 2;
const ABOVE_HALF = 3;

/**
 * Round (hi + lo + eps) * 2^scale to `format` under `fpscr` (RMode, FZ). Returns the rounded value as
 * a double (exactly representable in the format; +-Infinity on overflow to infinity; +-0 when
 * flushed or rounded to zero; for F16_AHP overflow the largest AHP magnitude, with Invalid Operation).
 */
export function fpRound(hi: number, lo: number, eps: number, scale: number, format: number, fpscr: number): number {
  if (lo !== 0) {
    twoSum(hi, lo); // renormalise: hi = RN(hi + lo), |lo| <= ulp(hi)/2
    hi = ef.hi;
    lo = ef.lo;
  }
  const negative = hi < 0;
  if (negative) {
    hi = -hi;
    lo = -lo;
    eps = -eps;
  }
  // Unbounded exponent of the exact value: that of hi, minus one when hi is a power of two and the
  // rest pulls the value just below it.
  const eh = exponentOf(hi);
  let exponent = eh + scale;
  const restNegative = lo < 0 || (lo === 0 && eps < 0);
  if (restNegative && isPowerOfTwo(hi)) exponent--;

  const p = PRECISION[format];
  const emin = EMIN[format];
  const tiny = exponent < emin;
  if (tiny && format >= F32 && (fpscr & FPSCR_FZ) !== 0) {
    fpFlags.value |= UFC; // flushed output: Underflow, not Inexact
    return negative ? -0 : 0;
  }
  // Position of the last significand bit: the value is int_mant * 2^q before rounding.
  const q = (tiny ? emin : exponent) - p + 1;
  const shift = scale - q;

  let mant: number;
  let cls: number;
  if (eh + shift < -2) {
    // below a quarter of the last place: rounds from 0 with a non-zero remainder below half
    mant = 0;
    cls = BELOW_HALF;
  } else {
    const t = scaleB(hi, shift); // exact: 2^-3 <= t < 2^(p+1)
    let l = scaleB(lo, shift);
    if (l === 0 && lo !== 0) {
      // far below the rounding position: only its sign matters (it cannot reach a threshold)
      eps = lo > 0 ? 1 : -1;
    }
    mant = Math.floor(t);
    // remainder F = (t - mant) + l + eps, with t - mant exact; re-sum the first two exactly
    twoSum(t - mant, l);
    let u = ef.hi;
    const v = ef.lo;
    if (u >= 1) {
      mant += 1;
      u -= 1;
    }
    // sign of u + v + eps (each term dominates the ones after it unless it is zero)
    const sign = u !== 0 ? u : v !== 0 ? v : eps;
    if (sign === 0) cls = EXACT;
    else if (sign > 0) {
      if (u < 0.5) cls = BELOW_HALF;
      else if (u > 0.5) cls = ABOVE_HALF;
      else cls = v > 0 || (v === 0 && eps > 0) ? ABOVE_HALF : v < 0 || eps < 0 ? BELOW_HALF : HALF;
    } else {
      // F < 0: borrow one unit, the remainder becomes 1 + F
      mant -= 1;
      if (u > -0.5) cls = ABOVE_HALF;
      else if (u < -0.5) cls = BELOW_HALF;
      else cls = v > 0 || (v === 0 && eps > 0) ? ABOVE_HALF : v < 0 || eps < 0 ? BELOW_HALF : HALF;
    }
  }

  const inexact = cls !== EXACT;
  if (tiny && inexact) fpFlags.value |= UFC;

  const mode = roundingMode(fpscr);
  let roundUp: boolean;
  if (mode === RN) roundUp = cls === ABOVE_HALF || (cls === HALF && mant % 2 === 1);
  else if (mode === RP) roundUp = inexact && !negative;
  else if (mode === RM) roundUp = inexact && negative;
  else roundUp = false;
  if (roundUp) mant += 1;

  // Overflow: the rounded value reaches 2^(emax+1).
  const emax = EMAX[format];
  if (!tiny && (exponent > emax || (exponent === emax && mant >= pow2(p)))) {
    if (format === F16_AHP) {
      fpFlags.value |= IOC; // saturates to the largest AHP value, no Inexact
      return negative ? -MAX_NORMAL[format] : MAX_NORMAL[format];
    }
    fpFlags.value |= OFC | IXC;
    const toInfinity = mode === RN || (mode === RP && !negative) || (mode === RM && negative);
    const r = toInfinity ? Infinity : MAX_NORMAL[format];
    return negative ? -r : r;
  }
  if (inexact) fpFlags.value |= IXC;
  const r = scaleB(mant, q);
  return negative ? -r : r;
}
