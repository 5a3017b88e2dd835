/**
 * The reciprocal and reciprocal-square-root estimate functions of the ARM ARM (ARMv7 Advanced SIMD,
 * "Reciprocal estimate and step" / "Reciprocal square root estimate and step"), in exact integer
 * arithmetic. Each returns the 9-bit estimate s (256..511) standing for s/256, the value
 * floor(256 * r + 0.5) of the pseudocode, where
 *   recip_estimate:      a in 256..511 stands for a/512 in [0.5, 1),     r = 1 / ((a + 0.5) / 512)
 *   recip_sqrt_estimate: a in 128..255 stands for a/512 in [0.25, 0.5),  r = 1 / sqrt((a + 0.5) / 512)
 *                        or (upper range) for a/256 in [0.5, 1),          r = 1 / sqrt((a + 0.5) / 256)
 */

/** recip_estimate: floor(256 * 512 / (a + 0.5) + 0.5) = floor((524288 + b) / 2b), b = 2a + 1. */
export function recipEstimate(a: number): number {
  const b = 2 * a + 1;
  return Math.floor((524288 + b) / (2 * b));
}

/**
 * recip_sqrt_estimate: the largest s with s <= 256 * sqrt(D / (a + 0.5)) + 0.5, i.e.
 * (2s - 1)^2 * (2a + 1) <= 524288 * D (D = 512 for the lower range, 256 for the upper).
 */
export function rsqrtEstimate(a: number, lowerRange: boolean): number {
  const D = lowerRange ? 512 : 256;
  const b = 2 * a + 1;
  const limit = 524288 * D;
  let s = Math.floor(256 * Math.sqrt(D / (a + 0.5)) + 0.5);
  while ((2 * s - 1) ** 2 * b > limit) s--;
  while ((2 * s + 1) ** 2 * b <= limit) s++;
  return s;
}

/** UnsignedRecipEstimate (VRECPE.U32). */
export function unsignedRecipEstimate(operand: number): number {
  operand >>>= 0;
  if (operand < 0x80000000) return 0xffffffff;
  return (recipEstimate(operand >>> 23) << 23) >>> 0;
}

/** UnsignedRSqrtEstimate (VRSQRTE.U32). */
export function unsignedRSqrtEstimate(operand: number): number {
  operand >>>= 0;
  if (operand < 0x40000000) return 0xffffffff;
  // top bit set: operand/2^32 in [0.5, 1), a = top 8 bits / 256; else [0.25, 0.5), a = top 9 bits / 512
  const s = operand >= 0x80000000 ? rsqrtEstimate(operand >>> 24, false) : rsqrtEstimate(operand >>> 23, true);
  return (s << 23) >>> 0;
}
