/**
 * 32-bit Thumb-2 decoding (ARM ARM A6.3). Words are hw1 << 16 | hw2, so patterns read as the manual
 * draws the two halfwords side by side. Same executors and operand conventions as A32.
 */
import {
  DP_ADC, DP_ADD, DP_AND, DP_BIC, DP_CMN, DP_CMP, DP_EOR, DP_MOV, DP_MVN, DP_ORN, DP_ORR, DP_RSB, DP_SBC, DP_SUB,
  DP_TEQ, DP_TST, OP_ADR, OP_DP_IMM, OP_DP_REG, OP_DP_RSR, OP_MOVT, OP_MOVW, SHIFT_LSL, immShiftAmount,
  immShiftType, packDp, thumbExpandImm, thumbExpandImmCarry,
} from "../exec/alu.js";
import { OP_B, OP_BL, OP_BLX_IMM, OP_BX, OP_TB } from "../exec/branch.js";
import {
  LS_LDR, LS_LDRB, LS_LDRD, LS_LDRH, LS_LDRSB, LS_LDRSH, LS_STR, LS_STRB, LS_STRD, LS_STRH, OP_LDM_STM, OP_LDREX,
  OP_LS_IMM, OP_LS_REG, OP_STREX, packLs,
} from "../exec/loadstore.js";
import {
  BITS_CLZ, OP_BFI, OP_BFX, OP_BITS, OP_EXTEND, OP_PARALLEL, OP_PKH, OP_QADDSUB, OP_SAT, OP_SAT16, OP_SEL,
  PAR_ADD16, PAR_ADD8, PAR_ASX, PAR_SAX, PAR_SUB16, PAR_SUB8, packRrr,
} from "../exec/media.js";
import {
  MUL_MLA, MUL_MLS, MUL_MUL, MUL_SDIV, MUL_SMLAD, MUL_SMLAL, MUL_SMLALD, MUL_SMLALXY, MUL_SMLAWY, MUL_SMLAXY,
  MUL_SMLSD, MUL_SMLSLD, MUL_SMMLA, MUL_SMMLS, MUL_SMULL, MUL_SMULWY, MUL_SMULXY, MUL_UDIV, MUL_UMAAL, MUL_UMLAL,
  MUL_UMULL, MUL_USADA8, OP_MUL, OP_MUL_LONG, packMul,
} from "../exec/multiply.js";
import { OP_CLREX, OP_CP14, OP_HVC, OP_MCR15, OP_MCRR15, OP_MRC15, OP_MRRC15, OP_MRS, OP_NOP, OP_SMC } from "../exec/system.js";
import { OP_BANKED, OP_CPS, OP_DP_RETURN, OP_MRS_PSR, OP_MSR_PSR, OP_RFE, OP_SRS } from "../exec/privileged.js";
import { decodeFpSimd } from "../fp-simd.js";
import { hint, undef } from "./a32.js";
import { DecodeTable, type Decoded, type Fields } from "./pattern.js";

/** T32 data-processing opcode (bits 24..21) -> executor operation; -1 = not allocated. */
const T32_OPS = [DP_AND, DP_BIC, DP_ORR, DP_ORN, DP_EOR, -1, -1, -1, DP_ADD, -1, DP_ADC, DP_SBC, -1, DP_SUB, DP_RSB, -1];

/** The operation after the Rd == PC / Rn == PC special cases (TST, TEQ, CMN, CMP, MOV, MVN). */
function t32Op(f: Fields): number {
  let op = T32_OPS[f.o];
  if (op < 0) return -1;
  if (f.d === 15 && f.S) {
    if (op === DP_AND) op = DP_TST;
    else if (op === DP_EOR) op = DP_TEQ;
    else if (op === DP_ADD) op = DP_CMN;
    else if (op === DP_SUB) op = DP_CMP;
  }
  if (f.n === 15) {
    if (op === DP_ORR) op = DP_MOV;
    else if (op === DP_ORN) op = DP_MVN;
  }
  return op;
}

const LOAD_KINDS = [LS_LDRB, LS_LDRH, LS_LDR, -1, LS_LDRSB, LS_LDRSH, -1, -1];
const STORE_KINDS = [LS_STRB, LS_STRH, LS_STR, -1];
const PAR_OPS = [PAR_ADD8, PAR_ADD16, PAR_ASX, -1, PAR_SUB8, PAR_SUB16, PAR_SAX, -1];

/** B (T3 conditional, T4) offsets. */
function branchT4(f: Fields): number {
  const i1 = (f.J ^ f.S) ^ 1, i2 = (f.K ^ f.S) ^ 1;
  return (((f.S << 24) | (i1 << 23) | (i2 << 22) | (f.i << 12) | (f.j << 1)) << 7) >> 7;
}

function load(f: Fields, o: Decoded, p: number, u: number, w: number, offset: number): boolean {
  const kind = LOAD_KINDS[(f.s << 2) | f.z];
  if (kind < 0) return false;
  if (f.t === 15 && kind !== LS_LDR) return o.set(OP_NOP); // PLD, PLDW, PLI
  return o.set(OP_LS_IMM, packLs(kind, f.t, f.n, p, u, w), offset);
}

const table = new DecodeTable(20)
  // ---- SRS, RFE (before load/store multiple)
  .add("1110 1000 00W0 1101 11-- ---- ---m mmmm", (f, o) => o.set(OP_SRS, f.m, 2, f.W))
  .add("1110 1001 10W0 1101 11-- ---- ---m mmmm", (f, o) => o.set(OP_SRS, f.m, 1, f.W))
  .add("1110 1000 00W1 nnnn 11-- ---- ---- ----", (f, o) => o.set(OP_RFE, f.n, 2, f.W))
  .add("1110 1001 10W1 nnnn 11-- ---- ---- ----", (f, o) => o.set(OP_RFE, f.n, 1, f.W))
  // ---- load/store multiple
  .add("1110 1000 10WL nnnn rrrr rrrr rrrr rrrr", (f, o) =>
    o.set(OP_LDM_STM, f.n | (f.W << 4) | (1 << 5) | (f.L << 7), f.r & (f.L ? 0xdfff : 0x5fff)))
  .add("1110 1001 00WL nnnn rrrr rrrr rrrr rrrr", (f, o) =>
    o.set(OP_LDM_STM, f.n | (f.W << 4) | (2 << 5) | (f.L << 7), f.r & (f.L ? 0xdfff : 0x5fff)))
  // ---- exclusive, dual, table branch
  .add("1110 1000 0100 nnnn tttt dddd iiii iiii", (f, o) => o.set(OP_STREX, f.t | (f.n << 4) | (4 << 8) | (f.d << 16), f.i << 2))
  .add("1110 1000 0101 nnnn tttt ---- iiii iiii", (f, o) => o.set(OP_LDREX, f.t | (f.n << 4) | (4 << 8), f.i << 2))
  .add("1110 1000 1101 nnnn ---- ---- 000H mmmm", (f, o) => o.set(OP_TB, f.n, f.m, f.H))
  .add("1110 1000 1100 nnnn tttt uuuu 01oo dddd", (f, o) =>
    f.o === 2 ? false : o.set(OP_STREX, f.t | (f.n << 4) | ([1, 2, 0, 8][f.o] << 8) | (f.u << 12) | (f.d << 16), 0))
  .add("1110 1000 1101 nnnn tttt uuuu 01oo ----", (f, o) =>
    f.o === 2 ? false : o.set(OP_LDREX, f.t | (f.n << 4) | ([1, 2, 0, 8][f.o] << 8) | (f.u << 12), 0))
  .add("1110 100P U1WL nnnn tttt uuuu iiii iiii", (f, o) =>
    f.P === 0 && f.W === 0 ? false : o.set(OP_LS_IMM, packLs(f.L ? LS_LDRD : LS_STRD, f.t, f.n, f.P, f.U, f.W, f.u), f.i << 2))
  // ---- data processing (shifted register)
  .add("1110 1010 110S nnnn 0iii dddd iit0 mmmm", (f, o) =>
    f.S ? false : o.set(OP_PKH, packRrr(f.d, f.n, f.m), f.t, f.t && f.i === 0 ? 32 : f.i))
  .add("1110 101o oooS nnnn 0iii dddd iitt mmmm", (f, o) => {
    const op = t32Op(f);
    if (op < 0) return false;
    return o.set(OP_DP_REG, packDp(op, f.S, f.d, f.n), f.m, immShiftType(f.t, f.i), immShiftAmount(f.t, f.i));
  })
  // ---- coprocessor, VFP, Advanced SIMD
  .add("1110 110- ---- ---- ---- 101- ---- ----", (_f, o, w) => decodeFpSimd(w, true, o))
  .add("1110 1110 ---- ---- ---- 101- ---- ----", (_f, o, w) => decodeFpSimd(w, true, o))
  .add("111- 1111 ---- ---- ---- ---- ---- ----", (_f, o, w) => decodeFpSimd(w, true, o))
  .add("1111 1001 ---0 ---- ---- ---- ---- ----", (_f, o, w) => decodeFpSimd(w, true, o))
  .add("1110 1110 ooo1 nnnn tttt 1111 ppp1 mmmm", (f, o) => o.set(OP_MRC15, ((f.o << 12) | (f.n << 8) | (f.m << 4) | f.p), f.t))
  .add("1110 1110 ooo0 nnnn tttt 1111 ppp1 mmmm", (f, o) => o.set(OP_MCR15, ((f.o << 12) | (f.n << 8) | (f.m << 4) | f.p), f.t))
  .add("1110 1100 0101 uuuu tttt 1111 oooo mmmm", (f, o) => o.set(OP_MRRC15, (f.o << 4) | f.m, f.t, f.u))
  .add("1110 1100 0100 uuuu tttt 1111 oooo mmmm", (f, o) => o.set(OP_MCRR15, (f.o << 4) | f.m, f.t, f.u))
  .add("1110 1110 ---1 ---- tttt 1110 ---1 ----", (f, o) => o.set(OP_CP14, f.t, 1))
  .add("1110 1110 ---0 ---- ---- 1110 ---1 ----", (_f, o) => o.set(OP_CP14, 0, 0))
  .add("1110 1100 0101 uuuu tttt 1110 ---- ----", (f, o) => o.set(OP_CP14, f.t | (f.u << 4) | 0x100, 1))
  .add("1110 1100 0100 ---- ---- 1110 ---- ----", (_f, o) => o.set(OP_CP14, 0, 0))
  .add("111- 11-- ---- ---- ---- ---- ---- ----", undef)
  // ---- data processing (modified immediate)
  .add("1111 0i0o oooS nnnn 0iii dddd iiii iiii", (f, o) => {
    const op = t32Op(f);
    if (op < 0) return false;
    return o.set(OP_DP_IMM, packDp(op, f.S, f.d, f.n), thumbExpandImm(f.i), thumbExpandImmCarry(f.i));
  })
  // ---- data processing (plain binary immediate)
  .add("1111 0i10 0000 nnnn 0iii dddd iiii iiii", (f, o) =>
    f.n === 15 ? o.set(OP_ADR, f.d, f.i) : o.set(OP_DP_IMM, packDp(DP_ADD, 0, f.d, f.n), f.i, -1))
  .add("1111 0i10 1010 nnnn 0iii dddd iiii iiii", (f, o) =>
    f.n === 15 ? o.set(OP_ADR, f.d, -f.i) : o.set(OP_DP_IMM, packDp(DP_SUB, 0, f.d, f.n), f.i, -1))
  .add("1111 0j10 0100 iiii 0kkk dddd llll llll", (f, o) => o.set(OP_MOVW, f.d, (f.i << 12) | (f.j << 11) | (f.k << 8) | f.l))
  .add("1111 0j10 1100 iiii 0kkk dddd llll llll", (f, o) => o.set(OP_MOVT, f.d, (f.i << 12) | (f.j << 11) | (f.k << 8) | f.l))
  .add("1111 0011 u010 nnnn 0000 dddd 00-- ssss", (f, o) => o.set(OP_SAT16, f.d | (f.n << 4) | (f.u << 8), f.u ? f.s : f.s + 1))
  .add("1111 0011 u0h0 nnnn 0iii dddd ii-s ssss", (f, o) =>
    o.set(OP_SAT, f.d | (f.n << 4) | (f.u << 8), f.u ? f.s : f.s + 1, f.h ? 2 : 0, f.h ? (f.i === 0 ? 32 : f.i) : f.i))
  .add("1111 0011 u100 nnnn 0iii dddd ii-w wwww", (f, o) =>
    f.i + f.w + 1 > 32 ? false : o.set(OP_BFX, f.d | (f.n << 4), f.i, f.w + 1, f.u ? 0 : 1))
  .add("1111 0011 0110 nnnn 0iii dddd ii-m mmmm", (f, o) => o.set(OP_BFI, f.d | (f.n << 4), f.i, f.m))
  .add("1111 0-1- ---- ---- 0--- ---- ---- ----", undef)
  // ---- branches and miscellaneous control
  .add("1111 0011 100R nnnn 1000 mmmm 001M 0000", (f, o) => o.set(OP_BANKED, f.n, (f.M << 4) | f.m | (f.R << 5), 1))
  .add("1111 0011 100R nnnn 1000 mmmm ---- ----", (f, o) => (f.m !== 0 ? o.set(OP_MSR_PSR, f.n, f.m | (f.R << 4)) : false))
  .add("1111 0011 1010 1111 1000 0ooM AIFm mmmm", (f, o) =>
    f.o === 0 && f.M === 0 ? false : o.set(OP_CPS, f.o, (f.A << 2) | (f.I << 1) | f.F, f.M ? f.m : -1))
  .add("1111 0011 1101 1110 1000 1111 iiii iiii", (f, o) => o.set(OP_DP_RETURN, DP_SUB | (14 << 4), f.i)) // SUBS PC, LR, #imm8; ERET
  .add("1111 0111 1110 iiii 1000 jjjj jjjj jjjj", (f, o) => o.set(OP_HVC, (f.i << 12) | f.j))
  .add("1111 0111 1111 iiii 1000 0000 0000 0000", (f, o) => o.set(OP_SMC, f.i))
  .add("1111 0011 1010 ---- 10-0 -000 hhhh hhhh", (f, o) => hint(o, f.h))
  .add("1111 0011 1011 ---- 10-0 ---- 0010 ----", (_f, o) => o.set(OP_CLREX))
  .add("1111 0011 1011 ---- 10-0 ---- 01oo ----", (f, o) => (f.o === 3 ? false : o.set(OP_NOP)))
  .add("1111 0011 1100 mmmm 10-0 ---- ---- ----", (f, o) => o.set(OP_BX, f.m)) // BXJ
  .add("1111 0011 111R mmmm 1000 dddd 001M 0000", (f, o) => o.set(OP_BANKED, f.d, (f.M << 4) | f.m | (f.R << 5), 0))
  .add("1111 0011 111R ---- 10-0 dddd ---- ----", (f, o) => (f.R === 0 ? o.set(OP_MRS, f.d) : o.set(OP_MRS_PSR, f.d, 1)))
  .add("1111 0Scc ccii iiii 10J0 Kjjj jjjj jjjj", (f, o) => {
    if (f.c >= 14) return false;
    o.cond = f.c;
    return o.set(OP_B, (((f.S << 20) | (f.K << 19) | (f.J << 18) | (f.i << 12) | (f.j << 1)) << 11) >> 11);
  })
  .add("1111 0Sii iiii iiii 10J1 Kjjj jjjj jjjj", (f, o) => o.set(OP_B, branchT4(f)))
  .add("1111 0Sii iiii iiii 11J1 Kjjj jjjj jjjj", (f, o) => o.set(OP_BL, branchT4(f)))
  .add("1111 0Sii iiii iiii 11J0 Kjjj jjjj jjjj", (f, o) => ((f.j & 1) !== 0 ? false : o.set(OP_BLX_IMM, branchT4(f))))
  .add("1111 0--- ---- ---- 1--- ---- ---- ----", undef)
  // ---- store single
  .add("1111 1000 1zz0 nnnn tttt iiii iiii iiii", (f, o) =>
    f.z === 3 ? false : o.set(OP_LS_IMM, packLs(STORE_KINDS[f.z], f.t, f.n, 1, 1, 0), f.i))
  .add("1111 1000 0zz0 nnnn tttt 1PUW iiii iiii", (f, o) =>
    f.z === 3 || (f.P === 0 && f.W === 0) ? false : o.set(OP_LS_IMM, packLs(STORE_KINDS[f.z], f.t, f.n, f.P, f.U, f.W), f.i))
  .add("1111 1000 0zz0 nnnn tttt 0000 00ii mmmm", (f, o) =>
    f.z === 3 ? false : o.set(OP_LS_REG, packLs(STORE_KINDS[f.z], f.t, f.n, 1, 1, 0), f.m, SHIFT_LSL, f.i))
  // ---- loads (and the preload hints, which are loads to PC of bytes/halfwords)
  .add("1111 100s Uzz1 1111 tttt iiii iiii iiii", (f, o) => {
    f.n = 15; // literal: the base is the PC (the pattern fixes the field, so set it for `load`)
    return load(f, o, 1, f.U, 0, f.i);
  })
  .add("1111 100s 1zz1 nnnn tttt iiii iiii iiii", (f, o) => load(f, o, 1, 1, 0, f.i))
  .add("1111 100s 0zz1 nnnn tttt 1PUW iiii iiii", (f, o) => (f.P === 0 && f.W === 0 ? false : load(f, o, f.P, f.U, f.W, f.i)))
  .add("1111 100s 0zz1 nnnn tttt 0000 00ii mmmm", (f, o) => {
    const kind = LOAD_KINDS[(f.s << 2) | f.z];
    if (kind < 0) return false;
    if (f.t === 15 && kind !== LS_LDR) return o.set(OP_NOP);
    return o.set(OP_LS_REG, packLs(kind, f.t, f.n, 1, 1, 0), f.m, SHIFT_LSL, f.i);
  })
  // ---- data processing (register)
  .add("1111 1010 0ttS nnnn 1111 dddd 0000 mmmm", (f, o) => o.set(OP_DP_RSR, packDp(DP_MOV, f.S, f.d, 0), f.n, f.t, f.m))
  .add("1111 1010 0ooo nnnn 1111 dddd 10rr mmmm", (f, o) => {
    const kind = [1, 3, 4, 5, 0, 2, -1, -1][f.o]; // SXTAH UXTAH SXTAB16 UXTAB16 SXTAB UXTAB
    return kind < 0 ? false : o.set(OP_EXTEND, packRrr(f.d, f.n, f.m), kind, f.r * 8);
  })
  .add("1111 1010 1ooo nnnn 1111 dddd 0Upp mmmm", (f, o) => {
    const op = PAR_OPS[f.o];
    if (op < 0 || f.p === 3) return false;
    return o.set(OP_PARALLEL, packRrr(f.d, f.n, f.m), (f.U ? 5 : 1) + f.p, op);
  })
  .add("1111 1010 1000 nnnn 1111 dddd 10pp mmmm", (f, o) => o.set(OP_QADDSUB, packRrr(f.d, f.n, f.m), [0, 2, 1, 3][f.p]))
  .add("1111 1010 1001 ---- 1111 dddd 10pp mmmm", (f, o) => o.set(OP_BITS, packRrr(f.d, 0, f.m), f.p === 2 ? 3 : f.p === 3 ? 2 : f.p))
  .add("1111 1010 1010 nnnn 1111 dddd 1000 mmmm", (f, o) => o.set(OP_SEL, packRrr(f.d, f.n, f.m)))
  .add("1111 1010 1011 ---- 1111 dddd 1000 mmmm", (f, o) => o.set(OP_BITS, packRrr(f.d, 0, f.m), BITS_CLZ))
  // ---- multiply, multiply accumulate, absolute difference
  .add("1111 1011 0000 nnnn aaaa dddd 000o mmmm", (f, o) => {
    if (f.o) return o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_MLS);
    return o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), f.a === 15 ? MUL_MUL : MUL_MLA);
  })
  .add("1111 1011 0001 nnnn aaaa dddd 00xy mmmm", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), f.a === 15 ? MUL_SMULXY : MUL_SMLAXY, (f.x << 1) | f.y))
  .add("1111 1011 0010 nnnn aaaa dddd 000X mmmm", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMLAD, f.X | (f.a === 15 ? 0 : 2)))
  .add("1111 1011 0100 nnnn aaaa dddd 000X mmmm", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMLSD, f.X | (f.a === 15 ? 0 : 2)))
  .add("1111 1011 0011 nnnn aaaa dddd 000y mmmm", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), f.a === 15 ? MUL_SMULWY : MUL_SMLAWY, f.y))
  .add("1111 1011 0101 nnnn aaaa dddd 000R mmmm", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMMLA, f.R | (f.a === 15 ? 0 : 2)))
  .add("1111 1011 0110 nnnn aaaa dddd 000R mmmm", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMMLS, f.R | 2))
  .add("1111 1011 0111 nnnn aaaa dddd 0000 mmmm", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_USADA8, f.a === 15 ? 0 : 2))
  // ---- long multiply, divide
  .add("1111 1011 1000 nnnn llll hhhh 0000 mmmm", (f, o) => o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_SMULL))
  .add("1111 1011 1001 nnnn ---- dddd 1111 mmmm", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, 0), MUL_SDIV))
  .add("1111 1011 1010 nnnn llll hhhh 0000 mmmm", (f, o) => o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_UMULL))
  .add("1111 1011 1011 nnnn ---- dddd 1111 mmmm", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, 0), MUL_UDIV))
  .add("1111 1011 1100 nnnn llll hhhh 0000 mmmm", (f, o) => o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_SMLAL))
  .add("1111 1011 1100 nnnn llll hhhh 10xy mmmm", (f, o) =>
    o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_SMLALXY, (f.x << 1) | f.y))
  .add("1111 1011 110s nnnn llll hhhh 110X mmmm", (f, o) =>
    o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), f.s ? MUL_SMLSLD : MUL_SMLALD, f.X))
  .add("1111 1011 1110 nnnn llll hhhh 0000 mmmm", (f, o) => o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_UMLAL))
  .add("1111 1011 1110 nnnn llll hhhh 0110 mmmm", (f, o) => o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_UMAAL));

/** Decode a 32-bit Thumb instruction (hw1 << 16 | hw2); false: UNDEFINED. */
export function decodeT32(word: number, out: Decoded): boolean {
  out.size = 4;
  out.cond = 14;
  return table.decode(word, out);
}

