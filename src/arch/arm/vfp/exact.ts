/**
 * Error-free transformations on host doubles: the building blocks that let the VFP arithmetic derive
 * the *exact* result of an operation (as an unevaluated sum of doubles, or a double plus the sign of
 * a remainder) from the host's round-to-nearest operations, so that FPRound can then round it to any
 * precision in any mode without double rounding.
 *
 *  - twoSum(a, b):      a + b = sum + err exactly (Knuth), no overflow assumed.
 *  - twoProduct(a, b):  a * b = prod + err exactly (Dekker, Veltkamp split), |a|,|b| < 2^996 and no
 *                       underflow of the error term (callers pass normalised significands).
 *  - normalise(x):      x = sig * 2^exp with sig in [1, 2) (sign kept), subnormals included.
 *  - scaleB(x, n):      x * 2^n, exact whenever the result is representable.
 *
 * Results come back through the module-level `ef` record (no allocation per call).
 */

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** Results of the last transformation. */
export const ef = {
  /** twoSum / twoProduct: rounded result; normalise: significand */
  hi: 0,
  /** twoSum / twoProduct: exact error; unused by normalise */
  lo: 0,
  /** normalise: binary exponent */
  exp: 0,
};

/** 2^n for n in [-1074, 1023], from its bit pattern. */
const POW2 = new Float64Array(1074 + 1024);
for (let n = -1074; n <= 1023; n++) {
  if (n >= -1022) {
    scratchWords[1] = (n + 1023) << 20;
    scratchWords[0] = 0;
  } else {
    const bit = n + 1074; // position in the 52-bit fraction
    scratchWords[1] = bit >= 32 ? 1 << (bit - 32) : 0;
    scratchWords[0] = bit < 32 ? (1 << bit) >>> 0 : 0;
  }
  POW2[n + 1074] = scratch[0];
}

/** 2^n, n in [-1074, 1023]. */
export function pow2(n: number): number {
  return POW2[n + 1074];
}

/** x * 2^n for any integer n; exact when the true result is representable (the steps are monotone). */
export function scaleB(x: number, n: number): number {
  while (n > 1023) {
    x *= POW2[1023 + 1074];
    n -= 1023;
  }
  while (n < -1022) {
    x *= POW2[-1022 + 1074];
    n += 1022;
  }
  return x * POW2[n + 1074];
}

/** Knuth's TwoSum: ef.hi = RN(a + b), ef.lo = a + b - ef.hi exactly. */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  ef.hi = s;
  ef.lo = a - (s - bb) + (b - bb);
}

const SPLITTER = 134217729; // 2^27 + 1

/** Dekker's TwoProduct: ef.hi = RN(a * b), ef.lo = a * b - ef.hi exactly. */
export function twoProduct(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  ef.hi = p;
  ef.lo = ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * Split a finite non-zero x into ef.hi = significand in [1, 2) (with x's sign) and ef.exp, so that
 * x = ef.hi * 2^ef.exp exactly.
 */
export function normalise(x: number): void {
  scratch[0] = x;
  let e = (scratchWords[1] >>> 20) & 0x7ff;
  let bias = 1023;
  if (e === 0) {
    scratch[0] = x * 18446744073709551616; // 2^64: subnormal -> normal, exact
    e = (scratchWords[1] >>> 20) & 0x7ff;
    bias = 1023 + 64;
  }
  ef.exp = e - bias;
  scratchWords[1] = (scratchWords[1] & 0x800fffff) | 0x3ff00000;
  ef.hi = scratch[0];
}

/** floor(log2(|x|)) for finite non-zero x. */
export function exponentOf(x: number): number {
  scratch[0] = x;
  const e = (scratchWords[1] >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  scratch[0] = x * 18446744073709551616;
  return ((scratchWords[1] >>> 20) & 0x7ff) - 1023 - 64;
}

/** True when |x| is a power of two (finite, non-zero x). */
export function isPowerOfTwo(x: number): boolean {
  scratch[0] = x;
  if (((scratchWords[1] >>> 20) & 0x7ff) === 0) scratch[0] = x * 18446744073709551616;
  return (scratchWords[1] & 0xfffff) === 0 && scratchWords[0] === 0;
}
