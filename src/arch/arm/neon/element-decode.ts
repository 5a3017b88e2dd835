/**
 * Decoding of the Advanced SIMD element and structure loads/stores (ARM ARM A7.7) and of the
 * Advanced SIMD transfers between core registers and scalars (A7.8: VDUP from a core register,
 * VMOV to and from 8/16-bit scalars — the 32-bit forms belong to the VFP decoder).
 * Encoding constraints (UNDEFINED cases) follow each instruction's decode pseudocode.
 */
import { DecodeTable, type Decoded, type Fields } from "../decode/pattern.js";
import { OP_VLDST_LANE, OP_VLDST_MULTIPLE, OP_VLD_ALL_LANES } from "./element.js";
import { OP_VDUP_CORE, OP_VMOV_FROM_SCALAR, OP_VMOV_TO_SCALAR } from "./permute.js";

/** Executor info word: see element.ts. */
function pack(size: number, n: number, inc: number, load: number, alignLog2: number, groups: number, index: number): number {
  return size | ((n - 1) << 2) | ((inc === 2 ? 1 : 0) << 4) | (load << 5) | (alignLog2 << 6) | (groups << 9) | (index << 12);
}

/** Multiple structures: type (bits 11:8) -> [n, groups, inc]. */
const MULTIPLE: (readonly [number, number, number] | null)[] = [
  [4, 1, 1], [4, 1, 2], [1, 4, 1], [2, 2, 2], [3, 1, 1], [3, 1, 2], [1, 3, 1], [1, 1, 1],
  [2, 1, 1], [2, 1, 2], [1, 2, 1], null, null, null, null, null,
];

function multiple(f: Fields, o: Decoded): boolean {
  const spec = MULTIPLE[f.t];
  if (spec === null) return false;
  const [n, groups, inc] = spec;
  const size = f.z, align = f.a;
  const d = (f.D << 4) | f.d;
  if (n === 1) {
    if ((groups === 1 && (align & 2)) || (groups === 2 && align === 3) || (groups === 3 && (align & 2))) return false;
  } else {
    if (size === 3) return false;
    if (n === 2 && groups === 1 && align === 3) return false;
    if (n === 3 && (align & 2)) return false;
  }
  const last = d + groups - 1 + (n - 1) * inc;
  if (last > 31) return false;
  const alignLog2 = align === 0 ? 0 : align + 2; // 64, 128 or 256 bits
  return o.set(OP_VLDST_MULTIPLE, d, f.n | (f.m << 4), pack(size, n, inc, f.l, alignLog2, groups, 0));
}

function single(f: Fields, o: Decoded): boolean {
  const size = f.s, n = f.c + 1, ia = f.i, load = f.l;
  const d = (f.D << 4) | f.d;
  const regs = f.n | (f.m << 4);
  if (size === 3) {
    // to all lanes (loads only): bits 7:4 = size, T, a
    if (!load) return false;
    const sz = ia >> 2, t = (ia >> 1) & 1, a = ia & 1;
    let alignLog2 = 0;
    if (n === 1) {
      if (sz === 3 || (sz === 0 && a)) return false;
      alignLog2 = a ? sz : 0;
      return d + t <= 31 && o.set(OP_VLD_ALL_LANES, d, regs, pack(sz, 1, 1, 1, alignLog2, t + 1, 0));
    }
    if (n === 2) {
      if (sz === 3) return false;
      alignLog2 = a ? sz + 1 : 0;
    } else if (n === 3) {
      if (sz === 3 || a) return false;
    } else {
      if (sz === 3 && !a) return false;
      alignLog2 = !a ? 0 : sz === 3 ? 4 : sz === 2 ? 3 : sz + 2;
    }
    const esz = sz === 3 ? 2 : sz;
    const inc = t ? 2 : 1;
    if (d + (n - 1) * inc > 31) return false;
    return o.set(OP_VLD_ALL_LANES, d, regs, pack(esz, n, inc, 1, alignLog2, 1, 0));
  }
  const index = ia >> (size + 1);
  let inc = 1, alignLog2 = 0;
  if (n === 1) {
    if (size === 0 && (ia & 1)) return false;
    if (size === 1 && (ia & 2)) return false;
    if (size === 2 && (ia & 4)) return false;
    if (size === 2 && (ia & 3) !== 0 && (ia & 3) !== 3) return false;
    alignLog2 = size === 0 ? 0 : size === 1 ? ((ia & 1) ? 1 : 0) : (ia & 3) === 3 ? 2 : 0;
  } else if (n === 2) {
    if (size === 2 && (ia & 2)) return false;
    if (size === 1) inc = (ia & 2) ? 2 : 1;
    if (size === 2) inc = (ia & 4) ? 2 : 1;
    alignLog2 = (ia & 1) ? size + 1 : 0;
  } else if (n === 3) {
    if ((size === 0 || size === 1) && (ia & 1)) return false;
    if (size === 2 && (ia & 3)) return false;
    if (size === 1) inc = (ia & 2) ? 2 : 1;
    if (size === 2) inc = (ia & 4) ? 2 : 1;
  } else {
    if (size === 2 && (ia & 3) === 3) return false;
    if (size === 1) inc = (ia & 2) ? 2 : 1;
    if (size === 2) inc = (ia & 4) ? 2 : 1;
    if (size === 2) alignLog2 = (ia & 3) === 0 ? 0 : (ia & 3) + 2;
    else alignLog2 = (ia & 1) ? size + 2 : 0;
  }
  if (d + (n - 1) * inc > 31) return false;
  return o.set(OP_VLDST_LANE, d, regs, pack(size, n, inc, load, alignLog2, 1, index));
}

export const elementTable = new DecodeTable(20)
  .add("1111 0100 0Dl0 nnnn dddd tttt zzaa mmmm", multiple)
  .add("1111 0100 1Dl0 nnnn dddd sscc iiii mmmm", single);

export const coreTransferTable = new DecodeTable(20)
  .add("---- 1110 1bQ0 dddd tttt 1011 D0e1 0000", (f, o) => {
    const d = (f.D << 4) | f.d, be = (f.b << 1) | f.e;
    if (be === 3 || (f.Q && (d & 1)) || f.t === 15) return false;
    const size = be === 0 ? 2 : be === 1 ? 1 : 0;
    return o.set(OP_VDUP_CORE, d, f.t, 0, size | (f.Q << 2));
  })
  .add("---- 1110 0oo0 dddd tttt 1011 Dpp1 0000", (f, o) => {
    const d = (f.D << 4) | f.d, opc = (f.o << 2) | f.p;
    if (f.t === 15) return false;
    if (opc & 8) return o.set(OP_VMOV_TO_SCALAR, 8 * d + (opc & 7), f.t, 0, 0);
    if (opc & 1) return o.set(OP_VMOV_TO_SCALAR, 4 * d + ((opc >> 1) & 3), f.t, 0, 1);
    return false;
  })
  .add("---- 1110 Uoo1 nnnn tttt 1011 Npp1 0000", (f, o) => {
    const n = (f.N << 4) | f.n, opc = (f.o << 2) | f.p;
    if (f.t === 15) return false;
    if (opc & 8) return o.set(OP_VMOV_FROM_SCALAR, 8 * n + (opc & 7), f.t, 0, (f.U << 3));
    if (opc & 1) return o.set(OP_VMOV_FROM_SCALAR, 4 * n + ((opc >> 1) & 3), f.t, 0, 1 | (f.U << 3));
    return false;
  });
