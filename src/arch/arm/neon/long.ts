/**
 * Advanced SIMD "three registers of different lengths" (ARM ARM A7.4.2) and "two registers and a
 * scalar" (A7.4.3) integer instructions: long (Qd from two Ds), wide (Qd from Qn and Dm) and narrow
 * high-half (Dd from two Qs) arithmetic, the long and doubling multiplies, and the by-scalar forms.
 *
 * Operands (Dd, Dn, Dm, x): x bits 0-1 = size of the *narrow* elements, bit 3 = U, bit 4 = by scalar
 * (then Dm is the lane index of the scalar in the register file at the narrow size). Results with
 * 64-bit lanes (32-bit sources) go through int64.ts; smaller ones are exact JS numbers.
 */
import type { ArmCpu } from "../cpu.js";
import { defineFpSimdExecutor } from "../fp-simd.js";
import {
  R, add64, fromNumber, mulS32, mulU32, qadd64, qsub64, saturateSigned, sub64,
} from "./int64.js";
import { doublingMulHigh } from "./integer.js";
import {
  POW2, SCRATCH_M, SCRATCH_N, lane, lanesOf, saturate, saturated, scratch, setLane, stage,
} from "./lanes.js";

const ADDL = 0, SUBL = 1, ADDW = 2, SUBW = 3, ABAL = 4, ABDL = 5, MLAL = 6, MLSL = 7, MULL = 8,
  QDMLAL = 9, QDMLSL = 10, QDMULL = 11, PMULL = 12;

const WIDE_N = [false, false, true, true, false, false, false, false, false, false, false, false, false];

/** Polynomial 8 x 8 -> 16 product (VMULL.P8). */
function polyMul16(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if ((b >>> i) & 1) r ^= a << i;
  return r;
}

function longOp(cpu: ArmCpu, op: number, d: number, n: number, m: number, x: number): void {
  const fp = cpu.fp, L = lanesOf(fp);
  const size = x & 3, unsigned = (x & 8) !== 0 || op === PMULL, byScalar = (x & 16) !== 0;
  const wide = WIDE_N[op];
  stage(L, n, wide ? 2 : 1, SCRATCH_N);
  if (!byScalar) stage(L, m, 1, SCRATCH_M);
  const count = 8 >> size;
  const mBase = 16 >> size;
  if (size === 2) return longOp64(cpu, op, d, byScalar ? L.i32[m] : 0, x);
  const dBase = d * (4 >> size);
  const scalar = byScalar ? lane(L, size, unsigned, m) : 0; // read before any lane is written
  // typed views for the narrow sources, wide N operand and wide destination (8 -> 16 or 16 -> 32 bits)
  const src = size === 0 ? (unsigned ? scratch.u8 : scratch.i8) : unsigned ? scratch.u16 : scratch.i16;
  const wideSrc = size === 0 ? (unsigned ? scratch.u16 : scratch.i16) : unsigned ? scratch.u32 : scratch.i32;
  const dst = size === 0 ? (unsigned ? L.u16 : L.i16) : unsigned ? L.u32 : L.i32;
  for (let i = 0; i < count; i++) {
    const a = wide ? wideSrc[i] : src[i];
    const b = byScalar ? scalar : src[mBase + i];
    const k = dBase + i;
    let r: number;
    switch (op) {
      case ADDL: case ADDW: r = a + b; break;
      case SUBL: case SUBW: r = a - b; break;
      case ABAL: r = dst[k] + Math.abs(a - b); break;
      case ABDL: r = Math.abs(a - b); break;
      case MLAL: r = dst[k] + a * b; break;
      case MLSL: r = dst[k] - a * b; break;
      case MULL: r = a * b; break;
      case PMULL: r = polyMul16(a, b); break;
      default: {
        // VQDMULL / VQDMLAL / VQDMLSL (signed 16-bit sources)
        const p = saturate(fp, 2 * a * b, 2, false);
        r = op === QDMULL ? p : saturate(fp, dst[k] + (op === QDMLAL ? p : -p), 2, false);
      }
    }
    dst[k] = r;
  }
}

/** 32-bit sources, 64-bit results. */
function longOp64(cpu: ArmCpu, op: number, d: number, scalar: number, x: number): void {
  const fp = cpu.fp, L = lanesOf(fp), w = L.i32;
  const unsigned = (x & 8) !== 0, byScalar = (x & 16) !== 0;
  const wide = WIDE_N[op];
  const s = scratch.i32;
  for (let i = 0; i < 2; i++) {
    const k = 2 * (d + i);
    const ah = wide ? s[2 * i + 1] : unsigned ? 0 : s[i] >> 31;
    const al = wide ? s[2 * i] : s[i];
    const b = byScalar ? scalar : s[SCRATCH_M + i];
    const bh = unsigned ? 0 : b >> 31;
    const dh = w[k + 1], dl = w[k];
    let sat = false;
    switch (op) {
      case ADDL: case ADDW: add64(ah, al, bh, b); break;
      case SUBL: case SUBW: sub64(ah, al, bh, b); break;
      case ABDL:
      case ABAL: {
        const diff = unsigned ? Math.abs((al >>> 0) - (b >>> 0)) : Math.abs((al | 0) - (b | 0));
        fromNumber(diff);
        if (op === ABAL) add64(dh, dl, R.hi, R.lo);
        break;
      }
      case MULL: case MLAL: case MLSL:
        if (unsigned) mulU32(al, b);
        else mulS32(al, b);
        if (op === MLAL) add64(dh, dl, R.hi, R.lo);
        else if (op === MLSL) sub64(dh, dl, R.hi, R.lo);
        break;
      default: {
        mulS32(al, b);
        if ((al | 0) === -0x80000000 && (b | 0) === -0x80000000) sat = saturateSigned(false);
        else add64(R.hi, R.lo, R.hi, R.lo);
        if (op === QDMLAL) sat = qadd64(dh, dl, R.hi, R.lo, false) || sat;
        else if (op === QDMLSL) sat = qsub64(dh, dl, R.hi, R.lo, false) || sat;
      }
    }
    if (sat) saturated(fp);
    w[k] = R.lo;
    w[k + 1] = R.hi;
  }
}

function long(op: number): number {
  return defineFpSimdExecutor((cpu, d, n, m, x) => {
    longOp(cpu, op, d, n, m, x);
  });
}

export const OP_VADDL = long(ADDL), OP_VSUBL = long(SUBL), OP_VADDW = long(ADDW), OP_VSUBW = long(SUBW),
  OP_VABAL = long(ABAL), OP_VABDL = long(ABDL), OP_VMLAL = long(MLAL), OP_VMLSL = long(MLSL),
  OP_VMULL = long(MULL), OP_VQDMLAL = long(QDMLAL), OP_VQDMLSL = long(QDMLSL), OP_VQDMULL = long(QDMULL),
  OP_VMULL_P8 = long(PMULL);

// ---------------------------------------------------------------- narrowing high half

/** VADDHN/VRADDHN/VSUBHN/VRSUBHN Dd, Qn, Qm: x bit 4 = subtract, bit 5 = round; size = narrow size. */
export const OP_VADDHN = defineFpSimdExecutor((cpu, d, n, m, x) => {
  const L = lanesOf(cpu.fp);
  const size = x & 3, subtract = (x & 16) !== 0, round = (x & 32) !== 0;
  stage(L, n, 2, SCRATCH_N);
  stage(L, m, 2, SCRATCH_M);
  const count = 8 >> size;
  const s = scratch.i32;
  for (let i = 0; i < count; i++) {
    let r: number;
    if (size === 2) {
      if (subtract) sub64(s[2 * i + 1], s[2 * i], s[SCRATCH_M + 2 * i + 1], s[SCRATCH_M + 2 * i]);
      else add64(s[2 * i + 1], s[2 * i], s[SCRATCH_M + 2 * i + 1], s[SCRATCH_M + 2 * i]);
      if (round) add64(R.hi, R.lo, 0, 0x80000000);
      r = R.hi;
    } else {
      const a = lane(scratch, size + 1, true, i), b = lane(scratch, size + 1, true, (16 >> (size + 1)) + i);
      const e = 8 << size;
      r = Math.floor(((subtract ? a - b : a + b) + (round ? POW2[e - 1] : 0)) / POW2[e]);
    }
    setLane(L, size, d * (8 >> size) + i, r);
  }
});

// ---------------------------------------------------------------- by scalar, same length

/**
 * VMLA/VMLS/VMUL (integer), VQDMULH/VQRDMULH by scalar: m = lane index of the scalar in the register
 * file (at the element size); x bits 4-6 = 0 mul, 1 mla, 2 mls, 3 qdmulh, 4 qrdmulh.
 */
export const OP_VMUL_SCALAR = defineFpSimdExecutor((cpu, d, n, m, x) => {
  const fp = cpu.fp, L = lanesOf(fp);
  const size = x & 3, op = (x >>> 4) & 7;
  const per = 8 >> size;
  const count = (x & 4) !== 0 ? 2 * per : per;
  const b = lane(L, size, false, m);
  for (let i = 0; i < count; i++) {
    const a = lane(L, size, false, n * per + i), k = d * per + i;
    let r: number;
    if (op === 0) r = Math.imul(a, b);
    else if (op === 1) r = lane(L, size, false, k) + Math.imul(a, b);
    else if (op === 2) r = lane(L, size, false, k) - Math.imul(a, b);
    else r = doublingMulHigh(fp, a, b, size, op === 4);
    setLane(L, size, k, r);
  }
});

