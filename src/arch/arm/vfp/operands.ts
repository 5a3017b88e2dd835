/**
 * FPUnpack, NaN handling and result packing (ARM ARM VFP pseudocode), over raw register bits.
 *
 * Operands are unpacked into numbered slots (0..2): their type, their value as a double (signed;
 * zeros keep their sign, infinities are +-Infinity) and their raw bits, which NaN results are built
 * from. Raw bits are kept as words because host NaN payloads do not survive a trip through a JS
 * number reliably (a float32 signalling NaN is quietened by the float-to-double conversion).
 * Single precision uses the `hi` word only; half precision its low 16 bits.
 *
 * Results go to `fpResult` (hi/lo words); raised exceptions are ORed into `fpFlags.value`.
 */
import { FPSCR_DN, FPSCR_FZ, IDC, IOC } from "./fpscr.js";
import { F16, F16_AHP, F32, fpFlags } from "./round.js";

export const ZERO = 0;
export const NONZERO = 1;
export const INFINITY = 2;
export const QNAN = 3;
export const SNAN = 4;

export const slotType = new Int32Array(3);
export const slotValue = new Float64Array(3);
export const slotHi = new Uint32Array(3);
export const slotLo = new Uint32Array(3);

/** The result of the last operation: single/half in `hi`, double as hi:lo. */
export const fpResult = { hi: 0, lo: 0 };

const f64 = new Float64Array(1);
const f64Words = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Word = new Uint32Array(f32.buffer);

const TWO_M149 = 2 ** -149;
const TWO_M24 = 2 ** -24;

/** FPUnpack of single-precision `bits` into `slot` (FZ flushes denormals, raising Input Denormal). */
export function unpack32(slot: number, bits: number, fpscr: number): number {
  bits >>>= 0;
  slotHi[slot] = bits;
  slotLo[slot] = 0;
  const exp = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  const negative = bits >= 0x80000000;
  let type: number;
  if (exp === 0) {
    if (frac === 0 || (fpscr & FPSCR_FZ) !== 0) {
      if (frac !== 0) fpFlags.value |= IDC;
      type = ZERO;
      slotValue[slot] = negative ? -0 : 0;
    } else {
      type = NONZERO;
      slotValue[slot] = negative ? -frac * TWO_M149 : frac * TWO_M149;
    }
  } else if (exp === 0xff) {
    type = frac === 0 ? INFINITY : (frac & 0x400000) !== 0 ? QNAN : SNAN;
    slotValue[slot] = negative ? -Infinity : Infinity;
  } else {
    type = NONZERO;
    f32Word[0] = bits;
    slotValue[slot] = f32[0];
  }
  slotType[slot] = type;
  return type;
}

/** FPUnpack of a double-precision value hi:lo into `slot`. */
export function unpack64(slot: number, hi: number, lo: number, fpscr: number): number {
  hi >>>= 0;
  lo >>>= 0;
  slotHi[slot] = hi;
  slotLo[slot] = lo;
  const exp = (hi >>> 20) & 0x7ff;
  const fracZero = (hi & 0xfffff) === 0 && lo === 0;
  const negative = hi >= 0x80000000;
  let type: number;
  if (exp === 0) {
    if (fracZero || (fpscr & FPSCR_FZ) !== 0) {
      if (!fracZero) fpFlags.value |= IDC;
      type = ZERO;
      slotValue[slot] = negative ? -0 : 0;
    } else {
      type = NONZERO;
      f64Words[1] = hi;
      f64Words[0] = lo;
      slotValue[slot] = f64[0];
    }
  } else if (exp === 0x7ff) {
    type = fracZero ? INFINITY : (hi & 0x80000) !== 0 ? QNAN : SNAN;
    slotValue[slot] = negative ? -Infinity : Infinity;
  } else {
    type = NONZERO;
    f64Words[1] = hi;
    f64Words[0] = lo;
    slotValue[slot] = f64[0];
  }
  slotType[slot] = type;
  return type;
}

/** FPUnpack of half-precision `bits` (IEEE or, with FPSCR.AHP, alternative format; never flushed). */
export function unpack16(slot: number, bits: number, ahp: boolean): number {
  bits &= 0xffff;
  slotHi[slot] = bits;
  slotLo[slot] = 0;
  const exp = (bits >>> 10) & 0x1f;
  const frac = bits & 0x3ff;
  const sign = (bits & 0x8000) !== 0 ? -1 : 1;
  let type: number;
  if (exp === 0) {
    type = frac === 0 ? ZERO : NONZERO;
    slotValue[slot] = sign * frac * TWO_M24; // 2^-14 * frac * 2^-10; keeps -0
  } else if (exp === 0x1f && !ahp) {
    type = frac === 0 ? INFINITY : (frac & 0x200) !== 0 ? QNAN : SNAN;
    slotValue[slot] = sign * Infinity;
  } else {
    type = NONZERO;
    slotValue[slot] = sign * (1024 + frac) * 2 ** (exp - 25);
  }
  slotType[slot] = type;
  return type;
}

/** Flip the sign of the operand in `slot` (FPNeg applied before an operation; NaNs included). */
export function negateSlot(slot: number): void {
  slotHi[slot] ^= 0x80000000;
  slotValue[slot] = -slotValue[slot];
}

/** Store a non-NaN value (exactly representable in `format`) as the result. */
export function setResultValue(value: number, format: number): void {
  if (format === F32) {
    f32[0] = value;
    fpResult.hi = f32Word[0];
    fpResult.lo = 0;
  } else if (format === F16 || format === F16_AHP) {
    fpResult.hi = packHalf(value);
    fpResult.lo = 0;
  } else {
    f64[0] = value;
    fpResult.hi = f64Words[1];
    fpResult.lo = f64Words[0];
  }
}

/** Half-precision bits of a value representable in half precision (or +-Infinity for IEEE half). */
function packHalf(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a * 2 ** 24); // zero or subnormal: exact integer
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // guard against log2 rounding
  else if (2 ** (e + 1) <= a) e++;
  return sign | ((e + 15) << 10) | (a * 2 ** (10 - e) - 1024);
}

/** FPDefaultNaN as the result. */
export function setDefaultNaN(format: number): void {
  if (format === F32) {
    fpResult.hi = 0x7fc00000;
    fpResult.lo = 0;
  } else if (format === F16 || format === F16_AHP) {
    fpResult.hi = 0x7e00;
    fpResult.lo = 0;
  } else {
    fpResult.hi = 0x7ff80000;
    fpResult.lo = 0;
  }
}

/** FPProcessNaN: the NaN in `slot`, quietened (Invalid Operation if it was signalling), or the default NaN under DN. */
export function setProcessedNaN(slot: number, format: number, fpscr: number): void {
  if (slotType[slot] === SNAN) fpFlags.value |= IOC;
  if ((fpscr & FPSCR_DN) !== 0) {
    setDefaultNaN(format);
    return;
  }
  if (format === F32) {
    fpResult.hi = (slotHi[slot] | 0x400000) >>> 0;
    fpResult.lo = 0;
  } else {
    fpResult.hi = (slotHi[slot] | 0x80000) >>> 0;
    fpResult.lo = slotLo[slot];
  }
}

/** FPProcessNaNs over slots 0..count-1: true (result set) when some operand is a NaN. */
export function processNaNs(count: number, format: number, fpscr: number): boolean {
  for (let i = 0; i < count; i++) {
    if (slotType[i] === SNAN) {
      setProcessedNaN(i, format, fpscr);
      return true;
    }
  }
  for (let i = 0; i < count; i++) {
    if (slotType[i] === QNAN) {
      setProcessedNaN(i, format, fpscr);
      return true;
    }
  }
  return false;
}
