/**
 * Advanced SIMD "two registers, miscellaneous" integer instructions (ARM ARM A7.4.5): VCLS, VCLZ,
 * VCNT, VMVN, VABS, VNEG, VQABS, VQNEG, compare with zero, VRECPE/VRSQRTE.U32, VPADDL/VPADAL, VREV.
 * Operands (Dd, 0, Dm, x) with x = size | Q << 2 | U << 3.
 */
import type { ArmCpu } from "../cpu.js";
import { defineFpSimdExecutor } from "../fp-simd.js";
import { unsignedRSqrtEstimate, unsignedRecipEstimate } from "./estimate.js";
import { R, add64, fromNumber } from "./int64.js";
import { SCRATCH_N, lane, lanesOf, saturate, scratch, setLane, stage } from "./lanes.js";

const CLS = 0, CLZ = 1, CNT = 2, ABS = 3, NEG = 4, QABS = 5, QNEG = 6, CGT0 = 7, CGE0 = 8, CEQ0 = 9,
  CLE0 = 10, CLT0 = 11, URECPE = 12, URSQRTE = 13;

function popcount8(v: number): number {
  v = v - ((v >>> 1) & 0x55);
  v = (v & 0x33) + ((v >>> 2) & 0x33);
  return (v + (v >>> 4)) & 0x0f;
}

function laneOp(cpu: ArmCpu, op: number, a: number, size: number): number {
  const e = 8 << size;
  switch (op) {
    case CLS: return Math.clz32(a < 0 ? ~a : a) - (32 - e) - 1;
    case CLZ: return Math.clz32(a) - (32 - e);
    case CNT: return popcount8(a);
    case ABS: return Math.abs(a);
    case NEG: return -a;
    case QABS: return saturate(cpu.fp, Math.abs(a), size, false);
    case QNEG: return saturate(cpu.fp, -a, size, false);
    case CGT0: return a > 0 ? -1 : 0;
    case CGE0: return a >= 0 ? -1 : 0;
    case CEQ0: return a === 0 ? -1 : 0;
    case CLE0: return a <= 0 ? -1 : 0;
    case CLT0: return a < 0 ? -1 : 0;
    case URECPE: return unsignedRecipEstimate(a);
    case URSQRTE: return unsignedRSqrtEstimate(a);
  }
  return 0;
}

/** Operations that read their lanes unsigned (bit counts, estimates); the rest are signed. */
const UNSIGNED_LANES = [false, true, true, false, false, false, false, false, false, false, false, false, true, true];

function misc(op: number): number {
  const unsignedLanes = UNSIGNED_LANES[op];
  return defineFpSimdExecutor((cpu, d, _n, m, x) => {
    const L = lanesOf(cpu.fp);
    const size = x & 3;
    const per = 8 >> size;
    const count = (x & 4) !== 0 ? 2 * per : per;
    for (let i = 0; i < count; i++) setLane(L, size, d * per + i, laneOp(cpu, op, lane(L, size, unsignedLanes, m * per + i), size));
  });
}

export const OP_VCLS = misc(CLS), OP_VCLZ = misc(CLZ), OP_VCNT = misc(CNT), OP_VABS = misc(ABS),
  OP_VNEG = misc(NEG), OP_VQABS = misc(QABS), OP_VQNEG = misc(QNEG), OP_VCGT0 = misc(CGT0),
  OP_VCGE0 = misc(CGE0), OP_VCEQ0 = misc(CEQ0), OP_VCLE0 = misc(CLE0), OP_VCLT0 = misc(CLT0),
  OP_VRECPE_U32 = misc(URECPE), OP_VRSQRTE_U32 = misc(URSQRTE);

/** VMVN (register): the words of Dm inverted. */
export const OP_VMVN = defineFpSimdExecutor((cpu, d, _n, m, x) => {
  const w = lanesOf(cpu.fp).i32;
  const words = (x & 4) !== 0 ? 4 : 2;
  for (let i = 0; i < words; i++) w[2 * d + i] = ~w[2 * m + i];
});

/** VPADDL / VPADAL (x bit 4 = accumulate): adjacent pairs of Dm/Qm summed into lanes twice as wide. */
export const OP_VPADDL = defineFpSimdExecutor((cpu, d, _n, m, x) => {
  const L = lanesOf(cpu.fp);
  const size = x & 3, unsigned = (x & 8) !== 0, accumulate = (x & 16) !== 0;
  const q = (x & 4) !== 0;
  stage(L, m, q ? 2 : 1, SCRATCH_N);
  const count = (q ? 8 : 4) >> size; // result lanes
  const w = L.i32;
  for (let i = 0; i < count; i++) {
    const sum = lane(scratch, size, unsigned, 2 * i) + lane(scratch, size, unsigned, 2 * i + 1);
    if (size === 2) {
      const k = 2 * d + 2 * i;
      fromNumber(sum);
      if (accumulate) add64(w[k + 1], w[k], R.hi, R.lo);
      w[k] = R.lo;
      w[k + 1] = R.hi;
    } else {
      const k = d * (4 >> size) + i;
      setLane(L, size + 1, k, accumulate ? lane(L, size + 1, true, k) + sum : sum);
    }
  }
});

/** VREV16/32/64: x bits 4-5 = log2 of the container bytes (1, 2, 3); elements reversed within each. */
export const OP_VREV = defineFpSimdExecutor((cpu, d, _n, m, x) => {
  const L = lanesOf(cpu.fp);
  const size = x & 3, q = (x & 4) !== 0;
  stage(L, m, q ? 2 : 1, SCRATCH_N);
  const flip = (1 << (((x >>> 4) & 3) - size)) - 1;
  const per = 8 >> size;
  const count = q ? 2 * per : per;
  for (let i = 0; i < count; i++) setLane(L, size, d * per + i, lane(scratch, size, true, i ^ flip));
});
