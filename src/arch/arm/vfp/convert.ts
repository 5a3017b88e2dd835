/**
 * VFP conversions (ARM ARM pseudocode FPSingleToDouble, FPDoubleToSingle, FPToFixed, FixedToFP,
 * FPHalfToSingle, FPSingleToHalf), over raw bits. Single results are returned as uint32 bits;
 * double results are left in `fpResult.hi/lo`; exceptions go to `fpFlags.value`.
 *
 * FPToFixed covers VCVT/VCVTR to 32-bit integers (fracBits 0) and VCVT to 16/32-bit fixed point;
 * FixedToFP covers VCVT from integers and from fixed point (FPSCR rounding mode, zero is +0).
 */
import { FPSCR_AHP, FPSCR_DN, IOC, IXC, RM, RN, RP, RZ, roundingMode } from "./fpscr.js";
import {
  INFINITY, QNAN, SNAN, ZERO, fpResult, setDefaultNaN, setResultValue, slotHi, slotLo, slotType, slotValue,
  unpack16, unpack32, unpack64,
} from "./operands.js";
import { F16, F16_AHP, F32, F64, fpFlags, fpRound } from "./round.js";

/** VCVT.F64.F32 */
export function cvtSingleToDouble(bits: number, fpscr: number): void {
  const t = unpack32(0, bits, fpscr);
  if (t === SNAN || t === QNAN) {
    if (t === SNAN) fpFlags.value |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) setDefaultNaN(F64);
    else {
      const b = slotHi[0];
      fpResult.hi = ((b & 0x80000000) | 0x7ff80000 | ((b & 0x3fffff) >>> 3)) >>> 0;
      fpResult.lo = (b << 29) >>> 0;
    }
  } else setResultValue(slotValue[0], F64); // exact (a single is never tiny as a double)
}

/** VCVT.F32.F64 */
export function cvtDoubleToSingle(hi: number, lo: number, fpscr: number): number {
  const t = unpack64(0, hi, lo, fpscr);
  if (t === SNAN || t === QNAN) {
    if (t === SNAN) fpFlags.value |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return 0x7fc00000;
    const h = slotHi[0];
    return ((h & 0x80000000) | 0x7fc00000 | ((h & 0x7ffff) << 3) | (slotLo[0] >>> 29)) >>> 0;
  }
  if (t === ZERO || t === INFINITY) setResultValue(slotValue[0], F32);
  else setResultValue(fpRound(slotValue[0], 0, 0, 0, F32, fpscr), F32);
  return fpResult.hi;
}

/**
 * FPToFixed of the operand unpacked in slot 0: `size` 16 or 32 bits, `fracBits` fraction bits,
 * rounding towards zero (VCVT) or by FPSCR (VCVTR). Returns the integer (signed or unsigned number,
 * saturated; Invalid Operation on NaN or saturation, else Inexact when not exact).
 */
function toFixed(size: number, fracBits: number, unsigned: boolean, roundZero: boolean, fpscr: number): number {
  const t = slotType[0];
  let value = slotValue[0];
  if (t === SNAN || t === QNAN) {
    fpFlags.value |= IOC;
    value = 0;
  }
  value *= 2 ** fracBits; // exact, or +-Infinity which saturates like the pseudocode's huge value
  let n = Math.floor(value);
  const error = value - n; // exact for finite values
  const mode = roundZero ? RZ : roundingMode(fpscr);
  let up: boolean;
  if (mode === RN) up = error > 0.5 || (error === 0.5 && n % 2 !== 0);
  else if (mode === RP) up = error !== 0;
  else if (mode === RM) up = false;
  else up = error !== 0 && n < 0;
  if (up) n += 1;
  const min = unsigned ? 0 : -(2 ** (size - 1));
  const max = unsigned ? 2 ** size - 1 : 2 ** (size - 1) - 1;
  if (n < min || n > max) {
    fpFlags.value |= IOC;
    return n < min ? min : max;
  }
  if (error !== 0 && !Number.isNaN(error)) fpFlags.value |= IXC;
  return n;
}

/** VCVT{R}.{S,U}32.F32 and VCVT.{S,U}{16,32}.F32 #fbits: the integer as 32 bits (sign- or zero-extended). */
export function singleToFixed(bits: number, size: number, fracBits: number, unsigned: boolean, roundZero: boolean, fpscr: number): number {
  unpack32(0, bits, fpscr);
  return toFixed(size, fracBits, unsigned, roundZero, fpscr) >>> 0;
}

/** Same from double precision: returns the low 32 bits (the value sign- or zero-extended). */
export function doubleToFixed(hi: number, lo: number, size: number, fracBits: number, unsigned: boolean, roundZero: boolean, fpscr: number): number {
  unpack64(0, hi, lo, fpscr);
  return toFixed(size, fracBits, unsigned, roundZero, fpscr) >>> 0;
}

/**
 * FixedToFP: `operand` holds the low `size` bits of the source; the result (FPSCR rounding) is
 * left as bits in fpResult (single: hi).
 */
export function fixedToFloat(operand: number, size: number, fracBits: number, unsigned: boolean, format: number, fpscr: number): void {
  let n: number;
  if (size === 16) n = unsigned ? operand & 0xffff : (operand << 16) >> 16;
  else n = unsigned ? operand >>> 0 : operand | 0;
  if (n === 0) setResultValue(0, format);
  else setResultValue(fpRound(n, 0, 0, -fracBits, format, fpscr), format);
}

/** VCVTB/VCVTT.F32.F16: half-precision bits (low 16 of `half`) to single bits. */
export function halfToSingle(half: number, fpscr: number): number {
  const t = unpack16(0, half, (fpscr & FPSCR_AHP) !== 0);
  if (t === SNAN || t === QNAN) {
    if (t === SNAN) fpFlags.value |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return 0x7fc00000;
    const h = slotHi[0];
    return (((h & 0x8000) << 16) | 0x7fc00000 | ((h & 0x1ff) << 13)) >>> 0;
  }
  setResultValue(slotValue[0], F32); // exact
  return fpResult.hi;
}

/** VCVTB/VCVTT.F16.F32: single bits to half-precision bits (16-bit result). */
export function singleToHalf(bits: number, fpscr: number): number {
  const t = unpack32(0, bits, fpscr);
  const ahp = (fpscr & FPSCR_AHP) !== 0;
  const sign = (slotHi[0] >>> 16) & 0x8000;
  if (t === SNAN || t === QNAN) {
    if (ahp) {
      fpFlags.value |= IOC;
      return sign;
    }
    if (t === SNAN) fpFlags.value |= IOC;
    if ((fpscr & FPSCR_DN) !== 0) return 0x7e00;
    return sign | 0x7e00 | ((slotHi[0] >>> 13) & 0x1ff);
  }
  if (t === INFINITY) {
    if (ahp) {
      fpFlags.value |= IOC;
      return sign | 0x7fff;
    }
    return sign | 0x7c00;
  }
  if (t === ZERO) return sign;
  const format = ahp ? F16_AHP : F16;
  setResultValue(fpRound(slotValue[0], 0, 0, 0, format, fpscr), format);
  return fpResult.hi;
}
