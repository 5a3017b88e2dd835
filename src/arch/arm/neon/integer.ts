/**
 * Advanced SIMD integer "three registers of the same length" instructions (ARM ARM A7.4.1), plus the
 * pairwise integer forms and the bitwise group. Executors take (cpu, Dd, Dn, Dm, x) with x packed
 * as described in lanes.ts (size, Q, U). Lanes of 8..32 bits are computed as exact JS numbers and
 * wrapped by the typed-array store; 64-bit lanes go through int64.ts.
 *
 * Register shifts (VSHL, VQSHL, VRSHL, VQRSHL) shift the element of Dm by the signed bottom byte of
 * the element of Dn, as the assembler syntax `VSHL Dd, Dm, Dn` says.
 */
import type { ArmCpu } from "../cpu.js";
import { defineFpSimdExecutor } from "../fp-simd.js";
import {
  R, add64, mulS32, qadd64, qshl64, qsub64, rshr64, shl64, shr64, sub64,
} from "./int64.js";
import {
  POW2, SCRATCH_N, lane, lanesOf, roundingShiftRight, saturate, saturated, scratch, setLane, shiftRight, stage,
} from "./lanes.js";

// Lane operations of the same-length group (one executor each; the loop is shared).
const HADD = 0, QADD = 1, RHADD = 2, HSUB = 3, QSUB = 4, CGT = 5, CGE = 6, SHL = 7, QSHL = 8,
  RSHL = 9, QRSHL = 10, MAX = 11, MIN = 12, ABD = 13, ABA = 14, ADD = 15, SUB = 16, TST = 17, CEQ = 18,
  MLA = 19, MLS = 20, MUL = 21, PMUL = 22, QDMULH = 23, QRDMULH = 24;

/** Polynomial (carry-less) product of two 8-bit values, low 8 bits (VMUL.P8). */
export function polyMul8(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if ((b >>> i) & 1) r ^= a << i;
  return r & 0xff;
}

/** Shift a lane value by a signed amount (left if >= 0), optionally rounding right shifts. */
function shiftBy(a: number, sh: number, round: boolean): number {
  if (sh >= 0) return a * POW2[sh];
  return round ? roundingShiftRight(a, -sh) : shiftRight(a, -sh);
}

function laneOp(cpu: ArmCpu, op: number, a: number, b: number, acc: number, size: number, unsigned: boolean): number {
  const fp = cpu.fp;
  switch (op) {
    case HADD: return Math.floor((a + b) / 2);
    case RHADD: return Math.floor((a + b + 1) / 2);
    case HSUB: return Math.floor((a - b) / 2);
    case QADD: return saturate(fp, a + b, size, unsigned);
    case QSUB: return saturate(fp, a - b, size, unsigned);
    case CGT: return a > b ? -1 : 0;
    case CGE: return a >= b ? -1 : 0;
    case SHL: return shiftBy(a, (b << 24) >> 24, false);
    case QSHL: return saturate(fp, shiftBy(a, (b << 24) >> 24, false), size, unsigned);
    case RSHL: return shiftBy(a, (b << 24) >> 24, true);
    case QRSHL: return saturate(fp, shiftBy(a, (b << 24) >> 24, true), size, unsigned);
    case MAX: return a >= b ? a : b;
    case MIN: return a >= b ? b : a;
    case ABD: return Math.abs(a - b);
    case ABA: return acc + Math.abs(a - b);
    case ADD: return a + b;
    case SUB: return a - b;
    case TST: return (a & b) !== 0 ? -1 : 0;
    case CEQ: return a === b ? -1 : 0;
    case MLA: return acc + Math.imul(a, b);
    case MLS: return acc - Math.imul(a, b);
    case MUL: return Math.imul(a, b);
    case PMUL: return polyMul8(a, b);
    case QDMULH:
    case QRDMULH: return doublingMulHigh(fp, a, b, size, op === QRDMULH);
  }
  return 0;
}

/** VQDMULH / VQRDMULH lane: (2ab [+ 2^(esize-1)]) >> esize, saturated (only -2^(esize-1) squared saturates). */
export function doublingMulHigh(fp: ArmCpu["fp"], a: number, b: number, size: number, round: boolean): number {
  if (size === 1) {
    const p = 2 * a * b + (round ? 0x8000 : 0);
    return saturate(fp, Math.floor(p / 65536), 1, false);
  }
  mulS32(a, b);
  if ((a | 0) === -0x80000000 && (b | 0) === -0x80000000) {
    saturated(fp);
    return 0x7fffffff;
  }
  // 2p + round as words: hi:lo << 1, then add 2^31 to the low word
  let hi = (R.hi << 1) | (R.lo >>> 31);
  const lo = (R.lo << 1) >>> 0;
  if (round && lo >= 0x80000000) hi = (hi + 1) | 0;
  return hi;
}

const READS_DEST = [false, false, false, false, false, false, false, false, false, false, false, false,
  false, false, true, false, false, false, false, true, true, false, false, false, false];

function same3(cpu: ArmCpu, op: number, d: number, n: number, m: number, x: number): void {
  const size = x & 3;
  const unsigned = (x & 8) !== 0;
  if (size === 3) return same3x64(cpu, op, d, n, m, x);
  const L = lanesOf(cpu.fp);
  const per = 8 >> size;
  const count = (x & 4) !== 0 ? 2 * per : per;
  const db = d * per, nb = n * per, mb = m * per;
  const shifts = op >= SHL && op <= QRSHL;
  const acc = READS_DEST[op];
  for (let i = 0; i < count; i++) {
    // register shifts: value from Dm, amount from Dn
    const a = shifts ? lane(L, size, unsigned, mb + i) : lane(L, size, unsigned, nb + i);
    const b = shifts ? lane(L, size, true, nb + i) : lane(L, size, unsigned, mb + i);
    const c = acc ? lane(L, size, unsigned, db + i) : 0;
    setLane(L, size, db + i, laneOp(cpu, op, a, b, c, size, unsigned));
  }
}

/** The 64-bit lane forms: VADD, VSUB, VQADD, VQSUB, VSHL, VQSHL, VRSHL, VQRSHL. */
function same3x64(cpu: ArmCpu, op: number, d: number, n: number, m: number, x: number): void {
  const fp = cpu.fp, w = lanesOf(fp).i32;
  const unsigned = (x & 8) !== 0;
  const count = (x & 4) !== 0 ? 2 : 1;
  for (let i = 0; i < count; i++) {
    const nl = w[2 * (n + i)], nh = w[2 * (n + i) + 1], ml = w[2 * (m + i)], mh = w[2 * (m + i) + 1];
    let sat = false;
    if (op === ADD) add64(nh, nl, mh, ml);
    else if (op === SUB) sub64(nh, nl, mh, ml);
    else if (op === QADD) sat = qadd64(nh, nl, mh, ml, unsigned);
    else if (op === QSUB) sat = qsub64(nh, nl, mh, ml, unsigned);
    else {
      const sh = (nl << 24) >> 24;
      const round = op === RSHL || op === QRSHL;
      if (sh >= 0) {
        if (op === QSHL || op === QRSHL) sat = qshl64(mh, ml, sh, unsigned, unsigned);
        else shl64(mh, ml, sh);
      } else if (round) rshr64(mh, ml, -sh, unsigned);
      else shr64(mh, ml, -sh, unsigned);
    }
    if (sat) saturated(fp);
    w[2 * (d + i)] = R.lo;
    w[2 * (d + i) + 1] = R.hi;
  }
}

function same(op: number): number {
  return defineFpSimdExecutor((cpu, d, n, m, x) => same3(cpu, op, d, n, m, x));
}

/**
 * VADD / VSUB (integer): whole words at a time, lanes kept apart SWAR-style — the top bit of each
 * lane is summed separately so no carry or borrow crosses into the next lane.
 */
function addSub(cpu: ArmCpu, d: number, n: number, m: number, x: number, subtract: boolean): void {
  const size = x & 3;
  if (size === 3) return same3x64(cpu, subtract ? SUB : ADD, d, n, m, x);
  const w = lanesOf(cpu.fp).i32;
  const words = (x & 4) !== 0 ? 4 : 2;
  const top = size === 0 ? 0x80808080 | 0 : size === 1 ? 0x80008000 | 0 : 0;
  for (let i = 0; i < words; i++) {
    const a = w[2 * n + i], b = w[2 * m + i];
    if (size === 2) w[2 * d + i] = subtract ? a - b : a + b;
    else if (subtract) w[2 * d + i] = ((a | top) - (b & ~top)) ^ ((a ^ ~b) & top);
    else w[2 * d + i] = ((a & ~top) + (b & ~top)) ^ ((a ^ b) & top);
  }
}

export const OP_VADD = defineFpSimdExecutor((cpu, d, n, m, x) => addSub(cpu, d, n, m, x, false));
export const OP_VSUB = defineFpSimdExecutor((cpu, d, n, m, x) => addSub(cpu, d, n, m, x, true));

export const OP_VHADD = same(HADD), OP_VQADD = same(QADD), OP_VRHADD = same(RHADD), OP_VHSUB = same(HSUB),
  OP_VQSUB = same(QSUB), OP_VCGT = same(CGT), OP_VCGE = same(CGE), OP_VSHL = same(SHL),
  OP_VQSHL = same(QSHL), OP_VRSHL = same(RSHL), OP_VQRSHL = same(QRSHL), OP_VMAX = same(MAX),
  OP_VMIN = same(MIN), OP_VABD = same(ABD), OP_VABA = same(ABA),
  OP_VTST = same(TST), OP_VCEQ = same(CEQ), OP_VMLA = same(MLA), OP_VMLS = same(MLS), OP_VMUL = same(MUL),
  OP_VMUL_P8 = same(PMUL), OP_VQDMULH = same(QDMULH), OP_VQRDMULH = same(QRDMULH);

// ---------------------------------------------------------------- pairwise (D registers only)

const PADD = 0, PMAX = 1, PMIN = 2;

function pairwise(cpu: ArmCpu, op: number, d: number, n: number, m: number, x: number): void {
  const L = lanesOf(cpu.fp);
  const size = x & 3, unsigned = (x & 8) !== 0;
  stage(L, n, 1, SCRATCH_N);
  stage(L, m, 1, SCRATCH_N + 2); // D:M contiguous in scratch
  const per = 8 >> size, half = per >> 1;
  const db = d * per;
  for (let i = 0; i < per; i++) {
    const src = i < half ? 2 * i : per + 2 * (i - half); // M follows N in scratch
    const a = lane(scratch, size, unsigned, src), b = lane(scratch, size, unsigned, src + 1);
    const r = op === PADD ? a + b : op === PMAX ? (a >= b ? a : b) : a >= b ? b : a;
    setLane(L, size, db + i, r);
  }
}

export const OP_VPADD = defineFpSimdExecutor((cpu, d, n, m, x) => pairwise(cpu, PADD, d, n, m, x));
export const OP_VPMAX = defineFpSimdExecutor((cpu, d, n, m, x) => pairwise(cpu, PMAX, d, n, m, x));
export const OP_VPMIN = defineFpSimdExecutor((cpu, d, n, m, x) => pairwise(cpu, PMIN, d, n, m, x));

// ---------------------------------------------------------------- bitwise (on whole words)

/** x bits 4..6: 0 VAND, 1 VBIC, 2 VORR, 3 VORN, 4 VEOR, 5 VBSL, 6 VBIT, 7 VBIF. */
export const OP_VBITWISE = defineFpSimdExecutor((cpu, d, n, m, x) => {
  const w = lanesOf(cpu.fp).i32;
  const words = (x & 4) !== 0 ? 4 : 2;
  const op = (x >>> 4) & 7;
  for (let i = 0; i < words; i++) {
    const a = w[2 * n + i], b = w[2 * m + i], c = w[2 * d + i];
    let r: number;
    switch (op) {
      case 0: r = a & b; break;
      case 1: r = a & ~b; break;
      case 2: r = a | b; break;
      case 3: r = a | ~b; break;
      case 4: r = a ^ b; break;
      case 5: r = (a & c) | (b & ~c); break; // VBSL: select by the destination
      case 6: r = (a & b) | (c & ~b); break; // VBIT: insert where Dm is 1
      default: r = (c & b) | (a & ~b); break; // VBIF: insert where Dm is 0
    }
    w[2 * d + i] = r;
  }
});

