/**
 * The Advanced SIMD decoder, shared by A32 and T32 (ARM ARM A7.4 "Advanced SIMD data-processing
 * instructions", A7.7 "Advanced SIMD element or structure load/store instructions", A7.8 "8, 16,
 * and 32-bit transfer between ARM core and extension registers").
 *
 * T32 encodings are the A32 ones with the U bit moved: T32 `111U 1111 xxxx...` is A32
 * `1111 001U xxxx...`, and T32 `1111 1001 xxx0...` is A32 `1111 0100 xxx0...`; `toA32` rewrites them
 * so one table serves both. Register numbers: Dd = D:Vd, Dn = N:Vn, Dm = M:Vm; a Q operand must
 * have an even register number (UNDEFINED otherwise). Executor operand conventions are described
 * in each executor module; the fourth operand packs size | Q << 2 | U << 3 | data << 4.
 */
import { DecodeTable, type Decoded, type Fields } from "../decode/pattern.js";
import { setAdvancedSimdPresent } from "../vfp/transfer.js";
import * as F from "./float.js";
import * as I from "./integer.js";
import * as G from "./long.js";
import * as M from "./misc.js";
import * as P from "./permute.js";
import * as S from "./shift.js";
import { coreTransferTable, elementTable } from "./element-decode.js";
import { expandImmediate, immediate } from "./immediate.js";

const reg = (hi: number, lo: number) => (hi << 4) | lo;
const odd = (...r: number[]) => r.some((v) => (v & 1) !== 0);

/** Integer three-same executors indexed by opc (bits 11:8) * 2 + B (bit 4); -1 = special case. */
const SAME_INT = [
  I.OP_VHADD, I.OP_VQADD, I.OP_VRHADD, -1, I.OP_VHSUB, I.OP_VQSUB, I.OP_VCGT, I.OP_VCGE,
  I.OP_VSHL, I.OP_VQSHL, I.OP_VRSHL, I.OP_VQRSHL, I.OP_VMAX, I.OP_VMIN, I.OP_VABD, I.OP_VABA,
];
/** Three-same forms valid with 64-bit elements. */
const SAME_ALLOWS_64 = new Set([I.OP_VQADD, I.OP_VQSUB, I.OP_VSHL, I.OP_VQSHL, I.OP_VRSHL, I.OP_VQRSHL]);

function threeSame(f: Fields, o: Decoded): boolean {
  const q = f.Q, d = reg(f.D, f.d), n = reg(f.N, f.n), m = reg(f.M, f.m);
  if (q && odd(d, n, m)) return false;
  const size = f.z, u = f.U, x = size | (q << 2) | (u << 3);
  const key = (f.o << 1) | f.B;
  if (key < 16) {
    if (key === 3) return o.set(I.OP_VBITWISE, d, n, m, (q << 2) | (((u << 2) | size) << 4));
    const op = SAME_INT[key];
    if (size === 3 && !SAME_ALLOWS_64.has(op)) return false;
    return o.set(op, d, n, m, x);
  }
  const fx = q << 2, sz = size & 1, hi = size >> 1; // float forms: size<1> selects, size<0> must be 0
  switch (key) {
    case 16: return o.set(u ? I.OP_VSUB : I.OP_VADD, d, n, m, x);
    case 17: return size !== 3 && o.set(u ? I.OP_VCEQ : I.OP_VTST, d, n, m, x);
    case 18: return size !== 3 && o.set(u ? I.OP_VMLS : I.OP_VMLA, d, n, m, x);
    case 19:
      if (u) return size === 0 && o.set(I.OP_VMUL_P8, d, n, m, x);
      return size !== 3 && o.set(I.OP_VMUL, d, n, m, x);
    case 20: case 21:
      return !q && size !== 3 && o.set(key === 20 ? I.OP_VPMAX : I.OP_VPMIN, d, n, m, x);
    case 22: return (size === 1 || size === 2) && o.set(u ? I.OP_VQRDMULH : I.OP_VQDMULH, d, n, m, size | (q << 2));
    case 23: return !u && !q && size !== 3 && o.set(I.OP_VPADD, d, n, m, x);
  }
  if (sz) return false;
  switch (key) {
    case 25: return !u && o.set(hi ? F.OP_VFMS_F : F.OP_VFMA_F, d, n, m, fx);
    case 26:
      if (!u) return o.set(hi ? F.OP_VSUB_F : F.OP_VADD_F, d, n, m, fx);
      if (hi) return o.set(F.OP_VABD_F, d, n, m, fx);
      return !q && o.set(F.OP_VPAIRWISE_F, d, n, m, 0);
    case 27:
      if (!u) return o.set(hi ? F.OP_VMLS_F : F.OP_VMLA_F, d, n, m, fx);
      return !hi && o.set(F.OP_VMUL_F, d, n, m, fx);
    case 28:
      if (!u) return !hi && o.set(F.OP_VCEQ_F, d, n, m, fx);
      return o.set(hi ? F.OP_VCGT_F : F.OP_VCGE_F, d, n, m, fx);
    case 29: return u === 1 && o.set(hi ? F.OP_VACGT_F : F.OP_VACGE_F, d, n, m, fx);
    case 30:
      if (!u) return o.set(hi ? F.OP_VMIN_F : F.OP_VMAX_F, d, n, m, fx);
      return !q && o.set(F.OP_VPAIRWISE_F, d, n, m, (hi ? 2 : 1) << 4);
    case 31: return !u && o.set(hi ? F.OP_VRSQRTS_F : F.OP_VRECPS_F, d, n, m, fx);
  }
  return false;
}

function shiftImm(f: Fields, o: Decoded): boolean {
  const imm6 = f.i, L = f.L, q = f.Q, u = f.U;
  if (!L && imm6 < 8) return false; // one register and a modified immediate
  const size = L ? 3 : imm6 >= 32 ? 2 : imm6 >= 16 ? 1 : 0;
  const esize = 8 << size;
  const right = L ? 64 - imm6 : 2 * esize - imm6;
  const left = L ? imm6 : imm6 - esize;
  const d = reg(f.D, f.d), m = reg(f.M, f.m);
  const x = size | (q << 2) | (u << 3);
  const op = f.o;
  if (op <= 7 && q && odd(d, m)) return false;
  switch (op) {
    case 0: return o.set(S.OP_VSHR, d, m, right, x);
    case 1: return o.set(S.OP_VSRA, d, m, right, x);
    case 2: return o.set(S.OP_VRSHR, d, m, right, x);
    case 3: return o.set(S.OP_VRSRA, d, m, right, x);
    case 4: return u === 1 && o.set(S.OP_VSRI, d, m, right, x);
    case 5: return o.set(u ? S.OP_VSLI : S.OP_VSHL_IMM, d, m, left, x);
    case 6: return u === 1 && o.set(S.OP_VQSHLU, d, m, left, x);
    case 7: return o.set(S.OP_VQSHL_IMM, d, m, left, x);
    case 8: case 9: {
      if (L || odd(m)) return false;
      const nx = size | (u << 3) | (q << 4); // Q position is the round bit here
      if (op === 9) return o.set(S.OP_VQSHRN, d, m, right, nx);
      return o.set(u ? S.OP_VQSHRUN : S.OP_VSHRN, d, m, right, nx);
    }
    case 10: return !L && !q && !odd(d) && o.set(S.OP_VSHLL, d, m, left, size | (u << 3));
    case 14: case 15: {
      if (L || imm6 < 32 || (q && odd(d, m))) return false;
      const frac = 64 - imm6;
      const ex = (q << 2) | (frac << 4);
      if (op === 14) return o.set(u ? F.OP_VCVT_FROM_U32 : F.OP_VCVT_FROM_S32, d, 0, m, ex);
      return o.set(u ? F.OP_VCVT_TO_U32 : F.OP_VCVT_TO_S32, d, 0, m, ex);
    }
  }
  return false;
}

function modifiedImmediate(f: Fields, o: Decoded): boolean {
  const d = reg(f.D, f.d), q = f.Q, cmode = f.c, op = f.o;
  if (q && odd(d)) return false;
  if (!expandImmediate(op, cmode, (f.i << 7) | (f.j << 4) | f.k)) return false;
  let kind: number; // 0 move, 1 OR, 2 AND
  let lo = immediate.lo, hi = immediate.hi;
  const orrOrBic = (cmode & 1) === 1 && cmode < 12;
  if (op === 0) kind = orrOrBic ? 1 : 0;
  else if (orrOrBic) {
    kind = 2; // VBIC: AND NOT imm
    lo = ~lo;
    hi = ~hi;
  } else if (cmode === 14) kind = 0; // VMOV.I64
  else {
    kind = 0; // VMVN
    lo = ~lo;
    hi = ~hi;
  }
  return o.set(P.OP_VIMM, d, lo | 0, hi | 0, (q << 2) | (kind << 4));
}

function threeDifferent(f: Fields, o: Decoded): boolean {
  const size = f.z, u = f.U, op = f.o;
  if (size === 3) return false;
  const d = reg(f.D, f.d), n = reg(f.N, f.n), m = reg(f.M, f.m);
  const x = size | (u << 3);
  const long = (id: number) => !odd(d) && o.set(id, d, n, m, x);
  switch (op) {
    case 0: return long(G.OP_VADDL);
    case 1: return !odd(n) && long(G.OP_VADDW);
    case 2: return long(G.OP_VSUBL);
    case 3: return !odd(n) && long(G.OP_VSUBW);
    case 4: case 6: return !odd(n, m) && o.set(G.OP_VADDHN, d, n, m, size | ((op === 6 ? 1 : 0) << 4) | (u << 5));
    case 5: return long(G.OP_VABAL);
    case 7: return long(G.OP_VABDL);
    case 8: return long(G.OP_VMLAL);
    case 10: return long(G.OP_VMLSL);
    case 12: return long(G.OP_VMULL);
    case 9: case 11: case 13:
      if (u || size === 0) return false;
      return long(op === 9 ? G.OP_VQDMLAL : op === 11 ? G.OP_VQDMLSL : G.OP_VQDMULL);
    case 14: return !u && size === 0 && long(G.OP_VMULL_P8);
  }
  return false;
}

function byScalar(f: Fields, o: Decoded): boolean {
  const size = f.z, q = f.U, op = f.o; // bit 24 is Q for the same-length forms, U for the long ones
  if (size === 3 || size === 0) return false;
  const d = reg(f.D, f.d), n = reg(f.N, f.n);
  const vm = size === 1 ? f.m & 7 : f.m;
  const index = size === 1 ? (f.M << 1) | (f.m >> 3) : f.M;
  const scalar = size === 1 ? 4 * vm + index : 2 * vm + index; // lane index in the register file
  if ((op & 2) === 0 || op >= 12) {
    // same length: VMLA, VMLS, VMUL (integer and float), VQDMULH, VQRDMULH
    if (q && odd(d, n)) return false;
    if ((op & 1) === 1 && op < 12) {
      if (size !== 2) return false;
      const kind = op === 1 ? 1 : op === 5 ? 2 : 0;
      return o.set(F.OP_VMUL_F_SCALAR, d, n, scalar, (q << 2) | (kind << 4));
    }
    const kind = op === 0 ? 1 : op === 4 ? 2 : op === 8 ? 0 : op === 12 ? 3 : op === 13 ? 4 : -1;
    if (kind < 0) return false;
    return o.set(G.OP_VMUL_SCALAR, d, n, scalar, size | (q << 2) | (kind << 4));
  }
  if (odd(d)) return false;
  const x = size | (q << 3) | 16;
  switch (op) {
    case 2: return o.set(G.OP_VMLAL, d, n, scalar, x);
    case 6: return o.set(G.OP_VMLSL, d, n, scalar, x);
    case 10: return o.set(G.OP_VMULL, d, n, scalar, x);
    case 3: return !q && o.set(G.OP_VQDMLAL, d, n, scalar, x);
    case 7: return !q && o.set(G.OP_VQDMLSL, d, n, scalar, x);
    case 11: return !q && o.set(G.OP_VQDMULL, d, n, scalar, x);
  }
  return false;
}

const MISC_INT_00 = [M.OP_VCLS, M.OP_VCLZ, M.OP_VCNT, -1, -1, -1, M.OP_VQABS, M.OP_VQNEG];
const MISC_01 = [
  [M.OP_VCGT0, M.OP_VCGE0, M.OP_VCEQ0, M.OP_VCLE0, M.OP_VCLT0, -1, M.OP_VABS, M.OP_VNEG],
  [F.OP_VCGT0_F, F.OP_VCGE0_F, F.OP_VCEQ0_F, F.OP_VCLE0_F, F.OP_VCLT0_F, -1, F.OP_VABS_F, F.OP_VNEG_F],
];

function twoMisc(f: Fields, o: Decoded): boolean {
  const size = f.z, a = f.a, b = f.b, q = f.Q;
  const d = reg(f.D, f.d), m = reg(f.M, f.m);
  const x = size | (q << 2);
  if (a !== 2 && q && odd(d, m)) return false;
  if (a === 0) {
    if (size === 3) return false;
    if (b <= 2) return size + b <= 2 && o.set(M.OP_VREV, d, 0, m, x | ((3 - b) << 4));
    if (b === 4 || b === 5) return o.set(M.OP_VPADDL, d, 0, m, x | ((b & 1) << 3));
    if (b === 12 || b === 13) return o.set(M.OP_VPADDL, d, 0, m, x | ((b & 1) << 3) | 16);
    if (b === 11) return size === 0 && o.set(M.OP_VMVN, d, 0, m, x);
    if (b === 10 && size !== 0) return false;
    const id = b >= 8 ? MISC_INT_00[b - 8] : -1;
    return id >= 0 && o.set(id, d, 0, m, x);
  }
  if (a === 1) {
    const float = b >> 3;
    if (size === 3 || (float && size !== 2)) return false;
    const id = MISC_01[float][b & 7];
    return id >= 0 && o.set(id, d, 0, m, x);
  }
  if (a === 2) {
    if (b <= 3) {
      if (q && odd(d, m)) return false;
      if (b === 0) return size === 0 && o.set(P.OP_VSWP, d, 0, m, x);
      if (size === 3 || (b !== 1 && !q && size === 2)) return false;
      return o.set(b === 1 ? P.OP_VTRN : b === 2 ? P.OP_VUZP : P.OP_VZIP, d, 0, m, x);
    }
    if (b === 4 || b === 5) {
      if (size === 3 || odd(m)) return false;
      const nsize = size; // size field is the destination (narrow) size
      if (b === 4 && !q) return o.set(S.OP_VMOVN, d, m, 0, nsize);
      if (b === 4) return o.set(S.OP_VQMOVN, d, m, 0, nsize | 16);
      return o.set(S.OP_VQMOVN, d, m, 0, nsize | (q << 3));
    }
    if (b === 6 && !q) return size !== 3 && !odd(d) && o.set(S.OP_VSHLL, d, m, 8 << size, size);
    if (b === 12 && !q) return size === 1 && !odd(m) && o.set(F.OP_VCVT_F16_F32, d, 0, m, 0);
    if (b === 14 && !q) return size === 1 && !odd(d) && o.set(F.OP_VCVT_F32_F16, d, 0, m, 0);
    return false;
  }
  // a === 3
  if (size !== 2) return false;
  if ((b & 12) === 8) {
    const float = (b >> 1) & 1, rsqrt = b & 1;
    const id = float ? (rsqrt ? F.OP_VRSQRTE_F : F.OP_VRECPE_F) : rsqrt ? M.OP_VRSQRTE_U32 : M.OP_VRECPE_U32;
    return o.set(id, d, 0, m, x);
  }
  if ((b & 12) === 12) {
    const ids = [F.OP_VCVT_FROM_S32, F.OP_VCVT_FROM_U32, F.OP_VCVT_TO_S32, F.OP_VCVT_TO_U32];
    return o.set(ids[b & 3], d, 0, m, x);
  }
  return false;
}

export const dataTable = new DecodeTable(20)
  .add("1111 001U 0Dzz nnnn dddd oooo NQMB mmmm", threeSame)
  .add("1111 001i 1D00 0jjj dddd cccc 0Qo1 kkkk", modifiedImmediate)
  .add("1111 001U 1Dii iiii dddd oooo LQM1 mmmm", shiftImm)
  .add("1111 0010 1D11 nnnn dddd iiii NQM0 mmmm", (f, o) => {
    const d = reg(f.D, f.d), n = reg(f.N, f.n), m = reg(f.M, f.m);
    if (f.Q ? odd(d, n, m) : f.i > 7) return false;
    return o.set(P.OP_VEXT, d, n, m, (f.Q << 2) | (f.i << 4));
  })
  .add("1111 0011 1D11 zzaa dddd 0bbb bQM0 mmmm", twoMisc)
  .add("1111 0011 1D11 nnnn dddd 10ll NxM0 mmmm", (f, o) =>
    o.set(P.OP_VTBL, reg(f.D, f.d), reg(f.N, f.n), reg(f.M, f.m), (f.l + 1) | (f.x << 4)))
  .add("1111 0011 1D11 iiii dddd 1100 0QM0 mmmm", (f, o) => {
    const d = reg(f.D, f.d), m = reg(f.M, f.m), q = f.Q;
    if (q && odd(d)) return false;
    const i = f.i;
    const size = (i & 1) ? 0 : (i & 2) ? 1 : (i & 4) ? 2 : -1;
    if (size < 0) return false;
    const index = i >> (size + 1);
    return o.set(P.OP_VDUP_SCALAR, d, 0, m * (8 >> size) + index, size | (q << 2));
  })
  .add("1111 001U 1Dzz nnnn dddd oooo N0M0 mmmm", threeDifferent)
  .add("1111 001U 1Dzz nnnn dddd oooo N1M0 mmmm", byScalar);

/** A T32 Advanced SIMD word (hw1 << 16 | hw2) in its A32 form, or -1 if it is not in those spaces. */
export function toA32(word: number): number {
  const top = word >>> 24;
  if ((top & 0xef) === 0xef) return ((word & 0x00ffffff) | 0xf2000000 | ((top & 0x10) << 20)) | 0;
  if (top === 0xf9 && (word & 0x00100000) === 0) return ((word & 0x00ffffff) | 0xf4000000) | 0;
  return -1;
}

export const neonDecoder = {
  /** Advanced SIMD data-processing and element load/store encodings (A32 1111 001x / 1111 0100, T32 111x 1111 / 1111 1001). */
  decode(word: number, thumb: boolean, out: Decoded): boolean {
    const a32 = thumb ? toA32(word) : word;
    if (a32 === -1) return false;
    if (((a32 >>> 24) & 0xfe) === 0xf2) return dataTable.decode(a32, out);
    if (((a32 >>> 24) & 0xff) === 0xf4) return elementTable.decode(a32, out);
    return false;
  },
  /** The Advanced SIMD transfers in the CP11 space (VDUP from a core register, 8/16-bit scalar VMOVs). */
  decodeCoreTransfer(word: number, out: Decoded): boolean {
    return coreTransferTable.decode(word, out);
  },
};

setAdvancedSimdPresent(true);
