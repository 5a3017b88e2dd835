/**
 * 64-bit integer lanes as two 32-bit words, without BigInt: each function leaves its result in
 * `R.hi` (int32, the sign lives here) and `R.lo` (uint32). Operands are passed as (hi, lo) pairs;
 * signed or unsigned reading is the caller's business, as in the ARM pseudocode's SInt/UInt.
 */
export const R = { hi: 0, lo: 0 };

const TWO32 = 4294967296;

/** (hi, lo) of an integer |v| < 2^53. */
export function fromNumber(v: number): void {
  R.lo = v >>> 0;
  R.hi = Math.floor(v / TWO32) | 0;
}

/** The value of (hi, lo) as a number (exact below 2^53, otherwise correctly rounded enough for sign tests). */
export function toNumber(hi: number, lo: number, unsigned: boolean): number {
  return (unsigned ? hi >>> 0 : hi | 0) * TWO32 + (lo >>> 0);
}

export function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al >>> 0) + (bl >>> 0);
  R.lo = lo >>> 0;
  R.hi = (ah + bh + (lo >= TWO32 ? 1 : 0)) | 0;
}

export function sub64(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al >>> 0) - (bl >>> 0);
  R.lo = lo >>> 0;
  R.hi = (ah - bh - (lo < 0 ? 1 : 0)) | 0;
}

/** Saturating add: returns true when the result saturated (the caller sets QC). */
export function qadd64(ah: number, al: number, bh: number, bl: number, unsigned: boolean): boolean {
  if (unsigned) {
    const lo = (al >>> 0) + (bl >>> 0);
    const hi = (ah >>> 0) + (bh >>> 0) + (lo >= TWO32 ? 1 : 0);
    if (hi >= TWO32) {
      R.hi = -1;
      R.lo = 0xffffffff;
      return true;
    }
    R.hi = hi | 0;
    R.lo = lo >>> 0;
    return false;
  }
  add64(ah, al, bh, bl);
  if ((ah ^ bh) >= 0 && (R.hi ^ ah) < 0) return saturateSigned(ah < 0);
  return false;
}

/** Saturating subtract (a - b). */
export function qsub64(ah: number, al: number, bh: number, bl: number, unsigned: boolean): boolean {
  if (unsigned) {
    const a = ah >>> 0, b = bh >>> 0;
    if (a < b || (a === b && al >>> 0 < bl >>> 0)) {
      R.hi = 0;
      R.lo = 0;
      return true;
    }
    sub64(ah, al, bh, bl);
    return false;
  }
  sub64(ah, al, bh, bl);
  if ((ah ^ bh) < 0 && (R.hi ^ ah) < 0) return saturateSigned(ah < 0);
  return false;
}

/** Set R to the most negative (negative) or most positive signed 64-bit value; returns true. */
export function saturateSigned(negative: boolean): boolean {
  R.hi = negative ? -0x80000000 : 0x7fffffff;
  R.lo = negative ? 0 : 0xffffffff;
  return true;
}

/** Logical left shift by n >= 0 (n >= 64 gives 0). */
export function shl64(h: number, l: number, n: number): void {
  if (n === 0) {
    R.hi = h | 0;
    R.lo = l >>> 0;
  } else if (n < 32) {
    R.hi = (h << n) | (l >>> (32 - n));
    R.lo = (l << n) >>> 0;
  } else if (n < 64) {
    R.hi = l << (n - 32);
    R.lo = 0;
  } else {
    R.hi = 0;
    R.lo = 0;
  }
}

/** Right shift by n >= 0, arithmetic (signed) or logical; n >= 64 leaves only the sign fill. */
export function shr64(h: number, l: number, n: number, unsigned: boolean): void {
  if (n === 0) {
    R.hi = h | 0;
    R.lo = l >>> 0;
  } else if (n < 32) {
    R.lo = ((l >>> n) | (h << (32 - n))) >>> 0;
    R.hi = unsigned ? (h >>> n) | 0 : h >> n;
  } else if (n < 64) {
    R.lo = (unsigned ? h >>> (n - 32) : h >> (n - 32)) >>> 0;
    R.hi = unsigned ? 0 : h >> 31;
  } else {
    R.hi = unsigned ? 0 : h >> 31;
    R.lo = R.hi >>> 0;
  }
}

/** Bit k (k >= 0) of the 64-bit value, sign- or zero-extended beyond bit 63. */
export function bit64(h: number, l: number, k: number, unsigned: boolean): number {
  if (k < 32) return (l >>> k) & 1;
  if (k < 64) return (h >>> (k - 32)) & 1;
  return unsigned ? 0 : (h >>> 31) & 1;
}

/** Rounding right shift by n >= 1: (x + 2^(n-1)) >> n in unbounded precision = (x >> n) + bit n-1 of x. */
export function rshr64(h: number, l: number, n: number, unsigned: boolean): void {
  const round = bit64(h, l, n - 1, unsigned);
  shr64(h, l, n, unsigned);
  if (round !== 0) add64(R.hi, R.lo, 0, 1);
}

/**
 * Saturating left shift by n >= 0: returns true (and the saturated value in R) when bits would be
 * lost. `unsignedIn`/`unsignedOut` give the source and result interpretations (VQSHLU: signed in,
 * unsigned out).
 */
export function qshl64(h: number, l: number, n: number, unsignedIn: boolean, unsignedOut: boolean): boolean {
  h |= 0;
  l >>>= 0;
  if (!unsignedIn && unsignedOut && h < 0) {
    R.hi = 0;
    R.lo = 0;
    return true;
  }
  if (h === 0 && l === 0) {
    R.hi = 0;
    R.lo = 0;
    return false;
  }
  const negative = !unsignedIn && h < 0;
  let ok = n < 64;
  if (ok) {
    shl64(h, l, n);
    const sh = R.hi, sl = R.lo;
    shr64(sh, sl, n, unsignedOut || !negative ? true : false);
    ok = R.hi === h && R.lo === l;
    // a signed result must keep its sign bit equal to the source's sign
    if (ok && !unsignedOut && (sh < 0) !== negative) ok = false;
    R.hi = sh;
    R.lo = sl;
  }
  if (ok) return false;
  if (unsignedOut) {
    R.hi = -1;
    R.lo = 0xffffffff;
    return true;
  }
  return saturateSigned(negative);
}

/** Unsigned 32 x 32 -> 64 product. */
export function mulU32(a: number, b: number): void {
  a >>>= 0;
  b >>>= 0;
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0;
  const mid = a0 * b1 + a1 * b0 + Math.floor(p00 / 65536); // < 2^34, exact
  R.lo = (((mid % 65536) * 65536) + (p00 % 65536)) >>> 0;
  R.hi = (a1 * b1 + Math.floor(mid / 65536)) | 0;
}

/** Signed 32 x 32 -> 64 product. */
export function mulS32(a: number, b: number): void {
  mulU32(a, b);
  let hi = R.hi;
  if ((a | 0) < 0) hi = (hi - (b >>> 0)) | 0;
  if ((b | 0) < 0) hi = (hi - (a >>> 0)) | 0;
  R.hi = hi;
}
