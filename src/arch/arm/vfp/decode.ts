/**
 * The VFP decoder the core calls for CP10/CP11 encodings (see ../fp-simd.ts), shared by A32 and T32:
 * both present the same bits 27..0 (T32 as hw1:hw2 with 1110 on top). Encodings from the ARM ARM,
 * "Floating-point data-processing instructions" and "8, 16, and 32-bit / 64-bit transfers between
 * ARM core and extension registers" and "Extension register load/store instructions".
 *
 * Register numbers: single precision Sx = Vx:X, double precision Dx = X:Vx (X the D/N/M bit).
 * Advanced SIMD encodings (A32 1111 001x / 1111 0100, T32 111x 1111 / 1111 1001), and the Advanced
 * SIMD transfers in the CP11 space that are not VFP's (VDUP from a core register, 8/16-bit scalar
 * VMOVs), are handed to the Advanced SIMD decoder (../neon/decode.ts).
 *
 * Importing this module registers the decoder with the core (the one FP/SIMD registration).
 */
import { DecodeTable, type Decoded, type Fields } from "../decode/pattern.js";
import type { Executor } from "../executors.js";
import { defineFpSimdExecutor, registerFpSimdDecoder } from "../fp-simd.js";
import { neonDecoder } from "../neon/decode.js";
import * as dp from "./dataproc.js";
import type { VfpOp } from "./dataproc.js";
import { OP_VLDM_VSTM, OP_VLDR_VSTR, OP_VMOV_CORE_PAIR, OP_VMOV_CORE_WORD, OP_VMRS, OP_VMSR } from "./transfer.js";

function executor(op: VfpOp): number {
  return defineFpSimdExecutor(op as unknown as Executor);
}

/** One executor per (operation, precision): [single, double]. */
const X = {
  vmla: [executor(dp.vmlaS), executor(dp.vmlaD)], vmls: [executor(dp.vmlsS), executor(dp.vmlsD)],
  vnmla: [executor(dp.vnmlaS), executor(dp.vnmlaD)], vnmls: [executor(dp.vnmlsS), executor(dp.vnmlsD)],
  vmul: [executor(dp.vmulS), executor(dp.vmulD)], vnmul: [executor(dp.vnmulS), executor(dp.vnmulD)],
  vadd: [executor(dp.vaddS), executor(dp.vaddD)], vsub: [executor(dp.vsubS), executor(dp.vsubD)],
  vdiv: [executor(dp.vdivS), executor(dp.vdivD)],
  vfma: [executor(dp.vfmaS), executor(dp.vfmaD)], vfms: [executor(dp.vfmsS), executor(dp.vfmsD)],
  vfnma: [executor(dp.vfnmaS), executor(dp.vfnmaD)], vfnms: [executor(dp.vfnmsS), executor(dp.vfnmsD)],
  vmovImm: [executor(dp.vmovImmS), executor(dp.vmovImmD)], vmov: [executor(dp.vmovS), executor(dp.vmovD)],
  vabs: [executor(dp.vabsS), executor(dp.vabsD)], vneg: [executor(dp.vnegS), executor(dp.vnegD)],
  vsqrt: [executor(dp.vsqrtS), executor(dp.vsqrtD)], vcmp: [executor(dp.vcmpS), executor(dp.vcmpD)],
  vcvtToInt: [executor(dp.vcvtIntS), executor(dp.vcvtIntD)],
  vcvtFromInt: [executor(dp.vcvtFromIntS), executor(dp.vcvtFromIntD)],
  vcvtFixed: [executor(dp.vcvtFixedS), executor(dp.vcvtFixedD)],
  vcvtPrecision: [executor(dp.vcvtDS), executor(dp.vcvtSD)], // indexed by sz: F64.F32, F32.F64
  vcvtFromHalf: executor(dp.vcvtFromHalf), vcvtToHalf: executor(dp.vcvtToHalf),
};

const sReg = (v: number, bit: number) => (v << 1) | bit;
const dReg = (v: number, bit: number) => (bit << 4) | v;
/** Destination / first operand / second operand numbers in the instruction's precision. */
const regD = (f: Fields) => (f.s ? dReg(f.d, f.D) : sReg(f.d, f.D));
const regN = (f: Fields) => (f.s ? dReg(f.n, f.N) : sReg(f.n, f.N));
const regM = (f: Fields) => (f.s ? dReg(f.m, f.M) : sReg(f.m, f.M));

function three(ops: readonly (readonly number[])[]) {
  return (f: Fields, out: Decoded) => out.set(ops[f.o][f.s], regD(f), regN(f), regM(f));
}
function two(op: readonly number[]) {
  return (f: Fields, out: Decoded) => out.set(op[f.s], regD(f), 0, regM(f));
}

const table = new DecodeTable(20)
  // ---- data processing (cccc 1110 .... .... 101x)
  .add("---- 1110 0D00 nnnn dddd 101s NoM0 mmmm", three([X.vmla, X.vmls]))
  .add("---- 1110 0D01 nnnn dddd 101s NoM0 mmmm", three([X.vnmls, X.vnmla]))
  .add("---- 1110 0D10 nnnn dddd 101s NoM0 mmmm", three([X.vmul, X.vnmul]))
  .add("---- 1110 0D11 nnnn dddd 101s NoM0 mmmm", three([X.vadd, X.vsub]))
  .add("---- 1110 1D00 nnnn dddd 101s NoM0 mmmm", (f, o) => f.o === 0 && three([X.vdiv])(f, o))
  .add("---- 1110 1D01 nnnn dddd 101s NoM0 mmmm", three([X.vfnms, X.vfnma]))
  .add("---- 1110 1D10 nnnn dddd 101s NoM0 mmmm", three([X.vfma, X.vfms]))
  .add("---- 1110 1D11 hhhh dddd 101s -0-0 llll", (f, o) =>
    o.set(X.vmovImm[f.s], regD(f), dp.vfpExpandImm((f.h << 4) | f.l, f.s === 1)))
  .add("---- 1110 1D11 0000 dddd 101s 01M0 mmmm", two(X.vmov))
  .add("---- 1110 1D11 0000 dddd 101s 11M0 mmmm", two(X.vabs))
  .add("---- 1110 1D11 0001 dddd 101s 01M0 mmmm", two(X.vneg))
  .add("---- 1110 1D11 0001 dddd 101s 11M0 mmmm", two(X.vsqrt))
  .add("---- 1110 1D11 001o dddd 1010 T1M0 mmmm", (f, o) =>
    o.set(f.o ? X.vcvtToHalf : X.vcvtFromHalf, sReg(f.d, f.D), f.T, sReg(f.m, f.M)))
  .add("---- 1110 1D11 0100 dddd 101s E1M0 mmmm", (f, o) => o.set(X.vcmp[f.s], regD(f), f.E, regM(f)))
  .add("---- 1110 1D11 0101 dddd 101s E1-0 ----", (f, o) => o.set(X.vcmp[f.s], regD(f), f.E, -1))
  .add("---- 1110 1D11 0111 dddd 101s 11M0 mmmm", (f, o) =>
    // sz = 1: VCVT.F32.F64 Sd, Dm; sz = 0: VCVT.F64.F32 Dd, Sm
    o.set(X.vcvtPrecision[f.s], f.s ? sReg(f.d, f.D) : dReg(f.d, f.D), 0, f.s ? dReg(f.m, f.M) : sReg(f.m, f.M)))
  .add("---- 1110 1D11 1000 dddd 101s o1M0 mmmm", (f, o) =>
    // to floating point: op = 1 signed; the source is always a single register
    o.set(X.vcvtFromInt[f.s], regD(f), f.o ? 0 : 1, sReg(f.m, f.M)))
  .add("---- 1110 1D11 110u dddd 101s o1M0 mmmm", (f, o) =>
    // to integer: opc2<0> = 1 signed; op = 1 round towards zero; the destination is a single register
    o.set(X.vcvtToInt[f.s], sReg(f.d, f.D), (f.u ? 0 : 1) | (f.o ? 0 : 2), regM(f)))
  .add("---- 1110 1D11 1o1u dddd 101s x1i0 mmmm", (f, o) => {
    const size = f.x ? 32 : 16;
    const fracBits = size - ((f.m << 1) | f.i);
    if (fracBits < 0) return false;
    return o.set(X.vcvtFixed[f.s], regD(f), fracBits | (f.u << 6) | (f.x << 7) | (f.o << 8), 0);
  })
  // ---- 8/16/32-bit transfers between core and extension registers
  .add("---- 1110 000o nnnn tttt 1010 N--1 ----", (f, o) => o.set(OP_VMOV_CORE_WORD, sReg(f.n, f.N), f.t, f.o))
  .add("---- 1110 00x0 dddd tttt 1011 D001 ----", (f, o) =>
    o.set(OP_VMOV_CORE_WORD, 2 * dReg(f.d, f.D) + f.x, f.t, 0))
  .add("---- 1110 00x1 nnnn tttt 1011 N001 ----", (f, o) =>
    o.set(OP_VMOV_CORE_WORD, 2 * dReg(f.n, f.N) + f.x, f.t, 1))
  .add("---- 1110 1111 rrrr tttt 1010 ---1 ----", (f, o, w) => o.set(OP_VMRS, f.t, f.r, w))
  .add("---- 1110 1110 rrrr tttt 1010 ---1 ----", (f, o, w) => f.t !== 15 && o.set(OP_VMSR, f.t, f.r, w))
  // ---- 64-bit transfers
  .add("---- 1100 010o uuuu tttt 1010 00M1 mmmm", (f, o) => {
    const m = sReg(f.m, f.M);
    if (m === 31 || (f.o && f.t === f.u)) return false;
    return o.set(OP_VMOV_CORE_PAIR, m, f.t, f.u, f.o);
  })
  .add("---- 1100 010o uuuu tttt 1011 00M1 mmmm", (f, o) => {
    if (f.o && f.t === f.u) return false;
    return o.set(OP_VMOV_CORE_PAIR, 2 * dReg(f.m, f.M), f.t, f.u, f.o);
  })
  // ---- extension register load/store
  .add("---- 1101 uD0l nnnn dddd 101s iiii iiii", (f, o) => {
    const offset = f.u ? 4 * f.i : -4 * f.i;
    return o.set(OP_VLDR_VSTR, f.s ? 2 * dReg(f.d, f.D) : sReg(f.d, f.D), f.n, offset, f.l | (f.s << 1));
  })
  .add("---- 110p uDwl nnnn dddd 101s iiii iiii", (f, o) => {
    if (f.p === f.u || (f.p === 1 && f.w === 0)) return false; // VLDR/VSTR, 64-bit transfers, UNDEFINED
    const first = f.s ? dReg(f.d, f.D) : sReg(f.d, f.D);
    const regs = f.s ? f.i >>> 1 : f.i; // an odd imm8 with doublewords is FLDMX/FSTMX: same transfer
    if (regs === 0 || first + regs > 32 || (f.s && regs > 16)) return false;
    if (f.w && f.n === 15) return false;
    const words = f.s ? 2 * regs : regs;
    return o.set(OP_VLDM_VSTM, f.s ? 2 * first : first, f.n, words, f.l | (f.s << 1) | (f.p << 2) | (f.w << 3));
  });

export const vfpDecoder = {
  decode(word: number, thumb: boolean, out: Decoded): boolean {
    const top = word >>> 24;
    // Advanced SIMD data processing and element load/store: A32 1111 xxxx, T32 111x 1111 / 1111 1001
    if (thumb ? (top & 0xef) === 0xef || top === 0xf9 : top >>> 4 === 0xf) return neonDecoder.decode(word, thumb, out);
    if (thumb && top >>> 4 !== 0xe) return false;
    return table.decode(word, out) || neonDecoder.decodeCoreTransfer(word, out);
  },
};

registerFpSimdDecoder(vfpDecoder);
