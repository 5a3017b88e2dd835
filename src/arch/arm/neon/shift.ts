/**
 * Advanced SIMD shifts by immediate (ARM ARM A7.4.4, "Two registers and a shift amount") and the
 * narrowing / lengthening moves built on the same arithmetic: VSHR, VSRA, VRSHR, VRSRA, VSRI, VSHL,
 * VSLI, VQSHL, VQSHLU, VSHRN, VRSHRN, VQ(R)SHR(U)N, VSHLL, VMOVL, and VMOVN, VQMOVN, VQMOVUN
 * (two registers, miscellaneous: a narrowing shift by zero).
 *
 * Operands (Dd, Dm, shift, x): x bits 0-1 = element size (the *destination* size for narrowing,
 * the *source* size for lengthening), bit 2 = Q, bit 3 = U. Rounding right shifts add
 * 2^(shift-1) in unbounded precision: (a >> s) + bit s-1 of a.
 */
import type { ArmCpu } from "../cpu.js";
import { defineFpSimdExecutor } from "../fp-simd.js";
import { R, add64, qshl64, rshr64, shl64, shr64, toNumber } from "./int64.js";
import {
  POW2, SCRATCH_N, lane, lanesOf, roundingShiftRight, saturate, saturated, scratch, setLane, shiftRight, stage,
} from "./lanes.js";

const SHR = 0, SRA = 1, RSHR = 2, RSRA = 3, SRI = 4, SHL = 5, SLI = 6, QSHL = 7, QSHLU = 8;

function shiftImm(cpu: ArmCpu, op: number, d: number, m: number, sh: number, x: number): void {
  const fp = cpu.fp, L = lanesOf(fp);
  const size = x & 3, unsigned = (x & 8) !== 0;
  if (size === 3) return shiftImm64(cpu, op, d, m, sh, x);
  const per = 8 >> size;
  const count = (x & 4) !== 0 ? 2 * per : per;
  const e = 8 << size;
  const ones = POW2[e] - 1;
  const signedIn = op === QSHLU || (!unsigned && op !== SRI && op !== SLI);
  // typed views chosen once: the source read signed or unsigned, the destination as raw lanes
  const src = size === 0 ? (signedIn ? L.i8 : L.u8) : size === 1 ? (signedIn ? L.i16 : L.u16) : signedIn ? L.i32 : L.u32;
  const dst = size === 0 ? L.u8 : size === 1 ? L.u16 : L.u32;
  for (let i = 0; i < count; i++) {
    const a = src[m * per + i];
    const k = d * per + i;
    let r: number;
    switch (op) {
      case SHR: r = shiftRight(a, sh); break;
      case SRA: r = dst[k] + shiftRight(a, sh); break;
      case RSHR: r = roundingShiftRight(a, sh); break;
      case RSRA: r = dst[k] + roundingShiftRight(a, sh); break;
      case SRI: r = (dst[k] & ~shiftRight(ones, sh)) | shiftRight(a, sh); break;
      case SHL: r = a * POW2[sh]; break;
      case SLI: r = (dst[k] & ~(ones << sh)) | (a << sh); break;
      case QSHL: r = saturate(fp, a * POW2[sh], size, unsigned); break;
      default: r = saturate(fp, a * POW2[sh], size, true); break; // QSHLU: signed in, unsigned out
    }
    dst[k] = r;
  }
}

function shiftImm64(cpu: ArmCpu, op: number, d: number, m: number, sh: number, x: number): void {
  const fp = cpu.fp, w = lanesOf(fp).i32;
  const unsigned = (x & 8) !== 0;
  const count = (x & 4) !== 0 ? 2 : 1;
  for (let i = 0; i < count; i++) {
    const k = 2 * (d + i), j = 2 * (m + i);
    const ah = w[j + 1], al = w[j], dh = w[k + 1], dl = w[k];
    let sat = false;
    switch (op) {
      case SHR: shr64(ah, al, sh, unsigned); break;
      case SRA: shr64(ah, al, sh, unsigned); add64(dh, dl, R.hi, R.lo); break;
      case RSHR: rshr64(ah, al, sh, unsigned); break;
      case RSRA: rshr64(ah, al, sh, unsigned); add64(dh, dl, R.hi, R.lo); break;
      case SRI: {
        shr64(-1, -1, sh, true);
        const mh = R.hi, ml = R.lo;
        shr64(ah, al, sh, true);
        R.hi = (dh & ~mh) | R.hi;
        R.lo = ((dl & ~ml) | R.lo) >>> 0;
        break;
      }
      case SHL: shl64(ah, al, sh); break;
      case SLI: {
        shl64(-1, -1, sh);
        const mh = R.hi, ml = R.lo;
        shl64(ah, al, sh);
        R.hi = (dh & ~mh) | R.hi;
        R.lo = ((dl & ~ml) | R.lo) >>> 0;
        break;
      }
      case QSHL: sat = qshl64(ah, al, sh, unsigned, unsigned); break;
      default: sat = qshl64(ah, al, sh, false, true); break;
    }
    if (sat) saturated(fp);
    w[k] = R.lo;
    w[k + 1] = R.hi;
  }
}

function shiftOp(op: number): number {
  return defineFpSimdExecutor((cpu, d, m, sh, x) => shiftImm(cpu, op, d, m, sh, x));
}

export const OP_VSHR = shiftOp(SHR), OP_VSRA = shiftOp(SRA), OP_VRSHR = shiftOp(RSHR), OP_VRSRA = shiftOp(RSRA),
  OP_VSRI = shiftOp(SRI), OP_VSHL_IMM = shiftOp(SHL), OP_VSLI = shiftOp(SLI), OP_VQSHL_IMM = shiftOp(QSHL),
  OP_VQSHLU = shiftOp(QSHLU);

// ---------------------------------------------------------------- narrowing (Dd <- Qm)

const ROUND = 1, SATURATE = 2, SIGNED_IN = 4, UNSIGNED_OUT = 8;

/** Narrowing right shift of the lanes of Qm (twice the destination size) into Dd. */
function narrow(cpu: ArmCpu, mode: number, d: number, m: number, sh: number, size: number): void {
  const fp = cpu.fp, L = lanesOf(fp);
  stage(L, m, 2, SCRATCH_N);
  const count = 8 >> size;
  const signedIn = (mode & SIGNED_IN) !== 0, unsignedOut = (mode & UNSIGNED_OUT) !== 0;
  const round = (mode & ROUND) !== 0 && sh > 0;
  const s = scratch.i32;
  const src = size === 0 ? (signedIn ? scratch.i16 : scratch.u16) : signedIn ? scratch.i32 : scratch.u32;
  const dst = size === 0 ? L.u8 : size === 1 ? L.u16 : L.u32;
  const dBase = d * (8 >> size);
  for (let i = 0; i < count; i++) {
    let v: number;
    if (size === 2) {
      if (round) rshr64(s[2 * i + 1], s[2 * i], sh, !signedIn);
      else shr64(s[2 * i + 1], s[2 * i], sh, !signedIn);
      v = (mode & SATURATE) !== 0 ? toNumber(R.hi, R.lo, !signedIn) : R.lo;
    } else {
      const a = src[i];
      v = round ? roundingShiftRight(a, sh) : shiftRight(a, sh);
    }
    if ((mode & SATURATE) !== 0) v = saturate(fp, v, size, unsignedOut);
    dst[dBase + i] = v;
  }
}

/** VSHRN / VRSHRN: x bit 4 = round. */
export const OP_VSHRN = defineFpSimdExecutor((cpu, d, m, sh, x) => narrow(cpu, (x >>> 4) & ROUND, d, m, sh, x & 3));
/** VQSHRN / VQRSHRN (U: unsigned in and out): x bit 4 = round. */
export const OP_VQSHRN = defineFpSimdExecutor((cpu, d, m, sh, x) =>
  narrow(cpu, ((x >>> 4) & ROUND) | SATURATE | ((x & 8) !== 0 ? UNSIGNED_OUT : SIGNED_IN), d, m, sh, x & 3));
/** VQSHRUN / VQRSHRUN: signed in, unsigned out; x bit 4 = round. */
export const OP_VQSHRUN = defineFpSimdExecutor((cpu, d, m, sh, x) =>
  narrow(cpu, ((x >>> 4) & ROUND) | SATURATE | SIGNED_IN | UNSIGNED_OUT, d, m, sh, x & 3));
/** VMOVN Dd, Qm. */
export const OP_VMOVN = defineFpSimdExecutor((cpu, d, m, _sh, x) => narrow(cpu, 0, d, m, 0, x & 3));
/** VQMOVN (U: unsigned in and out) / VQMOVUN (x bit 4: signed in, unsigned out). */
export const OP_VQMOVN = defineFpSimdExecutor((cpu, d, m, _sh, x) => {
  const mode = (x & 16) !== 0 ? SIGNED_IN | UNSIGNED_OUT : (x & 8) !== 0 ? UNSIGNED_OUT : SIGNED_IN;
  narrow(cpu, SATURATE | mode, d, m, 0, x & 3);
});

// ---------------------------------------------------------------- lengthening (Qd <- Dm)

/** VSHLL / VMOVL: lanes of Dm (size in x) widened (U: zero-extended) and shifted left by `sh`. */
export const OP_VSHLL = defineFpSimdExecutor((cpu, d, m, sh, x) => {
  const L = lanesOf(cpu.fp);
  const size = x & 3, unsigned = (x & 8) !== 0;
  stage(L, m, 1, SCRATCH_N);
  const count = 8 >> size;
  const w = L.i32;
  for (let i = 0; i < count; i++) {
    const a = lane(scratch, size, unsigned, i);
    if (size === 2) {
      shl64(unsigned ? 0 : a >> 31, a, sh);
      w[2 * (d + i)] = R.lo;
      w[2 * (d + i) + 1] = R.hi;
    } else setLane(L, size + 1, d * (4 >> size) + i, a * POW2[sh]);
  }
});
