/**
 * The VFP arithmetic functions of the ARM ARM pseudocode — FPAdd, FPSub, FPMul, FPDiv, FPSqrt,
 * FPMulAdd (fused) and FPCompare — for single and double precision, over raw register bits.
 *
 * Single precision: `vadd32(a, b, fpscr)` takes and returns bit patterns (uint32).
 * Double precision: `vadd64(aHi, aLo, bHi, bLo, fpscr)` leaves the result in `fpResult.hi/lo`.
 * Exceptions raised are ORed into `fpFlags.value`; the caller moves them into FPSCR.
 * FPAdd/FPSub/FPMul/FPDiv/FPSqrt/FPMulAdd first try the host fast path (host-fast.ts), which answers only
 * where the host's arithmetic is bit-for-bit FPRound's.
 *
 * The compound instructions are built from these exactly as the instruction pseudocode does:
 * VMLA = FPAdd(d, FPMul(n, m)), VMLS = FPAdd(d, FPNeg(FPMul(n, m))), VNMLA = FPAdd(FPNeg(d),
 * FPNeg(FPMul(n, m))), VNMLS = FPAdd(FPNeg(d), FPMul(n, m)), VNMUL = FPNeg(FPMul(n, m)) — two
 * roundings, FPNeg flipping NaN signs too; VFMA = FPMulAdd(d, n, m), VFMS = FPMulAdd(d, FPNeg(n), m),
 * VFNMA = FPMulAdd(FPNeg(d), FPNeg(n), m), VFNMS = FPMulAdd(FPNeg(d), n, m).
 */
import { roundedMulAdd, roundedProduct, roundedQuotient, roundedSqrt, roundedSum } from "./arith.js";
import { DZC, IOC, RM, roundingMode } from "./fpscr.js";
import {
  INFINITY, QNAN, SNAN, ZERO, fpResult, processNaNs, setDefaultNaN, setProcessedNaN, setResultValue,
  slotHi, slotType, slotValue, unpack32, unpack64,
} from "./operands.js";
import { F32, F64, fpFlags } from "./round.js";
import {
  HOST_ADD, HOST_DIV, HOST_MUL, HOST_SQRT, HOST_SUB, hostMulAdd32, hostMulAdd64, hostOp32, hostOp64,
} from "./host-fast.js";

function signOf(slot: number): number {
  return slotHi[slot] >>> 31;
}

/** FPAdd (negate2 = false) and FPSub (negate2 = true) on slots 0 and 1. */
function addOrSub(negate2: boolean, format: number, fpscr: number): void {
  if (processNaNs(2, format, fpscr)) return;
  const t1 = slotType[0], t2 = slotType[1];
  const s1 = signOf(0);
  const s2 = negate2 ? signOf(1) ^ 1 : signOf(1);
  const v1 = slotValue[0];
  const v2 = negate2 ? -slotValue[1] : slotValue[1];
  if (t1 === INFINITY && t2 === INFINITY && s1 !== s2) {
    fpFlags.value |= IOC;
    setDefaultNaN(format);
  } else if (t1 === INFINITY) setResultValue(v1, format);
  else if (t2 === INFINITY) setResultValue(v2, format);
  else if (t1 === ZERO && t2 === ZERO && s1 === s2) setResultValue(v1, format);
  else setResultValue(roundedSum(v1, v2, format, fpscr), format);
}

/** FPMul on slots 0 and 1. */
function mul(format: number, fpscr: number): void {
  if (processNaNs(2, format, fpscr)) return;
  const t1 = slotType[0], t2 = slotType[1];
  const negative = (signOf(0) ^ signOf(1)) !== 0;
  if ((t1 === INFINITY && t2 === ZERO) || (t1 === ZERO && t2 === INFINITY)) {
    fpFlags.value |= IOC;
    setDefaultNaN(format);
  } else if (t1 === INFINITY || t2 === INFINITY) setResultValue(negative ? -Infinity : Infinity, format);
  else if (t1 === ZERO || t2 === ZERO) setResultValue(negative ? -0 : 0, format);
  else setResultValue(roundedProduct(slotValue[0], slotValue[1], format, fpscr), format);
}

/** FPDiv on slots 0 (dividend) and 1 (divisor). */
function div(format: number, fpscr: number): void {
  if (processNaNs(2, format, fpscr)) return;
  const t1 = slotType[0], t2 = slotType[1];
  const negative = (signOf(0) ^ signOf(1)) !== 0;
  if ((t1 === INFINITY && t2 === INFINITY) || (t1 === ZERO && t2 === ZERO)) {
    fpFlags.value |= IOC;
    setDefaultNaN(format);
  } else if (t1 === INFINITY || t2 === ZERO) {
    if (t1 !== INFINITY) fpFlags.value |= DZC;
    setResultValue(negative ? -Infinity : Infinity, format);
  } else if (t1 === ZERO || t2 === INFINITY) setResultValue(negative ? -0 : 0, format);
  else setResultValue(roundedQuotient(slotValue[0], slotValue[1], format, fpscr), format);
}

/** FPSqrt on slot 0. */
function sqrt(format: number, fpscr: number): void {
  const t = slotType[0];
  if (t === SNAN || t === QNAN) setProcessedNaN(0, format, fpscr);
  else if (t === ZERO) setResultValue(slotValue[0], format);
  else if (signOf(0) !== 0) {
    fpFlags.value |= IOC;
    setDefaultNaN(format);
  } else if (t === INFINITY) setResultValue(Infinity, format);
  else setResultValue(roundedSqrt(slotValue[0], format, fpscr), format);
}

/** FPMulAdd (fused) on slots 0 (addend), 1 and 2 (factors). */
function mulAdd(format: number, fpscr: number): void {
  const tA = slotType[0], t1 = slotType[1], t2 = slotType[2];
  const inf1 = t1 === INFINITY, inf2 = t2 === INFINITY;
  const zero1 = t1 === ZERO, zero2 = t2 === ZERO;
  const invalidProduct = (inf1 && zero2) || (zero1 && inf2);
  if (processNaNs(3, format, fpscr)) {
    if (tA === QNAN && invalidProduct) {
      fpFlags.value |= IOC;
      setDefaultNaN(format);
    }
    return;
  }
  const sA = signOf(0);
  const sP = signOf(1) ^ signOf(2);
  const infA = tA === INFINITY, zeroA = tA === ZERO;
  const infP = inf1 || inf2, zeroP = zero1 || zero2;
  if (invalidProduct || (infA && infP && sA !== sP)) {
    fpFlags.value |= IOC;
    setDefaultNaN(format);
  } else if ((infA && sA === 0) || (infP && sP === 0)) setResultValue(Infinity, format);
  else if (infA || infP) setResultValue(-Infinity, format);
  else if (zeroA && zeroP && sA === sP) setResultValue(slotValue[0], format);
  else if (zeroP) {
    // the product is an exact zero: the result is the addend, or a zero signed by the mode
    const v = zeroA ? (roundingMode(fpscr) === RM ? -0 : 0) : slotValue[0];
    setResultValue(v, format);
  } else setResultValue(roundedMulAdd(slotValue[0], slotValue[1], slotValue[2], format, fpscr), format);
}

/** FPCompare on slots 0 and 1: NZCV in bits 31..28. */
function compare(quietNaNExc: boolean, fpscr: number): number {
  void fpscr;
  const t1 = slotType[0], t2 = slotType[1];
  if (t1 === SNAN || t1 === QNAN || t2 === SNAN || t2 === QNAN) {
    if (t1 === SNAN || t2 === SNAN || quietNaNExc) fpFlags.value |= IOC;
    return 0x30000000; // unordered: C and V
  }
  const v1 = slotValue[0], v2 = slotValue[1];
  if (v1 === v2) return 0x60000000; // Z, C
  if (v1 < v2) return 0x80000000; // N
  return 0x20000000; // C
}

// ---------------------------------------------------------------- single precision (bits in, bits out)

export function vadd32(a: number, b: number, fpscr: number): number {
  if (hostOp32(HOST_ADD, a, b, fpscr)) return fpResult.hi;
  unpack32(0, a, fpscr);
  unpack32(1, b, fpscr);
  addOrSub(false, F32, fpscr);
  return fpResult.hi;
}
export function vsub32(a: number, b: number, fpscr: number): number {
  if (hostOp32(HOST_SUB, a, b, fpscr)) return fpResult.hi;
  unpack32(0, a, fpscr);
  unpack32(1, b, fpscr);
  addOrSub(true, F32, fpscr);
  return fpResult.hi;
}
export function vmul32(a: number, b: number, fpscr: number): number {
  if (hostOp32(HOST_MUL, a, b, fpscr)) return fpResult.hi;
  unpack32(0, a, fpscr);
  unpack32(1, b, fpscr);
  mul(F32, fpscr);
  return fpResult.hi;
}
export function vdiv32(a: number, b: number, fpscr: number): number {
  if (hostOp32(HOST_DIV, a, b, fpscr)) return fpResult.hi;
  unpack32(0, a, fpscr);
  unpack32(1, b, fpscr);
  div(F32, fpscr);
  return fpResult.hi;
}
export function vsqrt32(a: number, fpscr: number): number {
  if (hostOp32(HOST_SQRT, a, 0, fpscr)) return fpResult.hi;
  unpack32(0, a, fpscr);
  sqrt(F32, fpscr);
  return fpResult.hi;
}
/** FPMulAdd(addend, op1, op2): addend + op1 * op2 with one rounding. */
export function vfma32(addend: number, op1: number, op2: number, fpscr: number): number {
  if (hostMulAdd32(addend, op1, op2, fpscr)) return fpResult.hi;
  unpack32(0, addend, fpscr);
  unpack32(1, op1, fpscr);
  unpack32(2, op2, fpscr);
  mulAdd(F32, fpscr);
  return fpResult.hi;
}
/** FPCompare: NZCV (bits 31..28); `e` (VCMPE) signals Invalid Operation for quiet NaNs too. */
export function vcmp32(a: number, b: number, e: boolean, fpscr: number): number {
  unpack32(0, a, fpscr);
  unpack32(1, b, fpscr);
  return compare(e, fpscr);
}

// ---------------------------------------------------------------- double precision (result in fpResult)

export function vadd64(aHi: number, aLo: number, bHi: number, bLo: number, fpscr: number): void {
  if (hostOp64(HOST_ADD, aHi, aLo, bHi, bLo, fpscr)) return;
  unpack64(0, aHi, aLo, fpscr);
  unpack64(1, bHi, bLo, fpscr);
  addOrSub(false, F64, fpscr);
}
export function vsub64(aHi: number, aLo: number, bHi: number, bLo: number, fpscr: number): void {
  if (hostOp64(HOST_SUB, aHi, aLo, bHi, bLo, fpscr)) return;
  unpack64(0, aHi, aLo, fpscr);
  unpack64(1, bHi, bLo, fpscr);
  addOrSub(true, F64, fpscr);
}
export function vmul64(aHi: number, aLo: number, bHi: number, bLo: number, fpscr: number): void {
  if (hostOp64(HOST_MUL, aHi, aLo, bHi, bLo, fpscr)) return;
  unpack64(0, aHi, aLo, fpscr);
  unpack64(1, bHi, bLo, fpscr);
  mul(F64, fpscr);
}
export function vdiv64(aHi: number, aLo: number, bHi: number, bLo: number, fpscr: number): void {
  if (hostOp64(HOST_DIV, aHi, aLo, bHi, bLo, fpscr)) return;
  unpack64(0, aHi, aLo, fpscr);
  unpack64(1, bHi, bLo, fpscr);
  div(F64, fpscr);
}
export function vsqrt64(aHi: number, aLo: number, fpscr: number): void {
  if (hostOp64(HOST_SQRT, aHi, aLo, 0, 0, fpscr)) return;
  unpack64(0, aHi, aLo, fpscr);
  sqrt(F64, fpscr);
}
export function vfma64(
  addHi: number, addLo: number, aHi: number, aLo: number, bHi: number, bLo: number, fpscr: number,
): void {
  if (hostMulAdd64(addHi, addLo, aHi, aLo, bHi, bLo, fpscr)) return;
  unpack64(0, addHi, addLo, fpscr);
  unpack64(1, aHi, aLo, fpscr);
  unpack64(2, bHi, bLo, fpscr);
  mulAdd(F64, fpscr);
}
export function vcmp64(aHi: number, aLo: number, bHi: number, bLo: number, e: boolean, fpscr: number): number {
  unpack64(0, aHi, aLo, fpscr);
  unpack64(1, bHi, bLo, fpscr);
  return compare(e, fpscr);
}
