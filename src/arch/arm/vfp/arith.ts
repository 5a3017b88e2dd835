/**
 * The numeric cores of the VFP operations: exact real results of +, *, /, sqrt and fused
 * multiply-add of finite operands, handed to FPRound. Operands are host doubles holding single- or
 * double-precision values exactly (a single is a double with a 24-bit significand), so one code path
 * serves both formats; `format` only selects the destination precision.
 *
 * Every function here receives finite operands and returns the rounded value (a double, possibly
 * +-Infinity or +-0); the callers (ops.ts) have dealt with NaNs, infinities and the zero cases whose
 * sign the pseudocode fixes. An exact zero sum gets the sign the rounding mode dictates (-0 in RM).
 */
import { ef, normalise, scaleB, twoProduct, twoSum } from "./exact.js";
import { RM, roundingMode } from "./fpscr.js";
import { fpRound } from "./round.js";

function zeroForMode(fpscr: number): number {
  return roundingMode(fpscr) === RM ? -0 : 0;
}

/** a + b rounded; a and b finite (a zero result takes the sign of the rounding mode). */
export function roundedSum(a: number, b: number, format: number, fpscr: number): number {
  let scale = 0;
  if (!Number.isFinite(a + b)) {
    // the host sum overflows: both operands are above 2^969, so halving them is exact
    a *= 0.5;
    b *= 0.5;
    scale = 1;
  }
  twoSum(a, b);
  // a non-zero exact sum of doubles is a multiple of 2^-1074 and never rounds to zero on the host
  if (ef.hi === 0) return zeroForMode(fpscr);
  return fpRound(ef.hi, ef.lo, 0, scale, format, fpscr);
}

/** a * b rounded; a and b finite and non-zero. */
export function roundedProduct(a: number, b: number, format: number, fpscr: number): number {
  normalise(a);
  const ma = ef.hi, ea = ef.exp;
  normalise(b);
  const mb = ef.hi, eb = ef.exp;
  twoProduct(ma, mb);
  return fpRound(ef.hi, ef.lo, 0, ea + eb, format, fpscr);
}

/** a / b rounded; a and b finite and non-zero. */
export function roundedQuotient(a: number, b: number, format: number, fpscr: number): number {
  normalise(a);
  const ma = ef.hi, ea = ef.exp;
  normalise(b);
  const mb = ef.hi, eb = ef.exp;
  const q = ma / mb; // RN quotient of the significands, in (1/2, 2)
  twoProduct(q, mb);
  // remainder ma - q*mb: exactly representable for a correctly rounded quotient, and computed
  // exactly here (ma - ef.hi is exact by Sterbenz's lemma)
  const r = ma - ef.hi - ef.lo;
  const eps = r === 0 ? 0 : (r > 0) === (mb > 0) ? 1 : -1;
  return fpRound(q, 0, eps, ea - eb, format, fpscr);
}

/** sqrt(a) rounded; a finite and positive. */
export function roundedSqrt(a: number, format: number, fpscr: number): number {
  normalise(a);
  let m = ef.hi, e = ef.exp;
  if ((e & 1) !== 0) {
    m *= 2;
    e -= 1;
  }
  const q = Math.sqrt(m); // RN root, in [1, 2)
  twoProduct(q, q);
  const r = m - ef.hi - ef.lo;
  return fpRound(q, 0, r === 0 ? 0 : r > 0 ? 1 : -1, e / 2, format, fpscr);
}

/**
 * c + a * b with a single rounding; a and b finite non-zero, c finite (possibly zero).
 * The product is exact as ph + pl (TwoProduct of the significands); the addend joins it through a
 * Grow-Expansion (Shewchuk) into a non-overlapping three-term expansion, renormalised so that the
 * top term is the host-rounded value and the rest is one double plus the sign of a negligible tail.
 */
export function roundedMulAdd(c: number, a: number, b: number, format: number, fpscr: number): number {
  normalise(a);
  const ma = ef.hi, ea = ef.exp;
  normalise(b);
  const mb = ef.hi, eb = ef.exp;
  twoProduct(ma, mb);
  const ph = ef.hi, pl = ef.lo; // |ph| in [1, 4), pl a multiple of 2^-104
  const scale = ea + eb;
  if (c === 0) return fpRound(ph, pl, 0, scale, format, fpscr);
  normalise(c);
  const mc = ef.hi, ec = ef.exp;
  const d = ec - scale;
  if (d > 110) {
    // the product is below 2^-108 of the addend: it only decides the direction of the remainder
    return fpRound(mc, 0, ph > 0 ? 1 : -1, ec, format, fpscr);
  }
  if (d < -110) {
    // the addend is below every bit of the exact product
    return fpRound(ph, pl, mc > 0 ? 1 : -1, scale, format, fpscr);
  }
  const cs = scaleB(mc, d); // exact
  twoSum(cs, pl);
  const q1 = ef.hi, h0 = ef.lo;
  twoSum(q1, ph);
  const h2 = ef.hi, h1 = ef.lo;
  // exact = h2 + h1 + h0; renormalise to hi + lo + tail
  twoSum(h1, h0);
  const s = ef.hi, e = ef.lo;
  twoSum(h2, s);
  const hi = ef.hi, m = ef.lo;
  if (hi === 0) {
    // h2 = -s exactly: what is left is e (zero unless the expansion was degenerate)
    return e === 0 ? zeroForMode(fpscr) : fpRound(e, 0, 0, scale, format, fpscr);
  }
  twoSum(m, e);
  const lo = ef.hi, tail = ef.lo;
  return fpRound(hi, lo, tail === 0 ? 0 : tail > 0 ? 1 : -1, scale, format, fpscr);
}
