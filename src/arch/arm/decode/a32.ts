/**
 * A32 decoding (ARM ARM A5): the conditional space (cond != 1111) and the unconditional space.
 * Patterns are listed most specific first inside each group; unmatched words are UNDEFINED.
 */
import {
  DP_SUB, OP_ADR, OP_DP_IMM, OP_DP_REG, OP_DP_RSR, OP_MOVT, OP_MOVW, armExpandImm, armExpandImmCarry,
  immShiftAmount, immShiftType, packDp,
} from "../exec/alu.js";
import { OP_B, OP_BL, OP_BLX_IMM, OP_BLX_REG, OP_BX } from "../exec/branch.js";
import {
  LS_LDR, LS_LDRB, LS_LDRD, LS_LDRH, LS_LDRSB, LS_LDRSH, LS_STR, LS_STRB, LS_STRD, LS_STRH,
  OP_LDM_STM, OP_LDREX, OP_LS_IMM, OP_LS_REG, OP_STREX, packLs,
} from "../exec/loadstore.js";
import {
  BITS_CLZ, BITS_RBIT, BITS_REV, BITS_REV16, BITS_REVSH, OP_BFI, OP_BFX, OP_BITS, OP_EXTEND, OP_PARALLEL,
  OP_PKH, OP_QADDSUB, OP_SAT, OP_SAT16, OP_SEL, packRrr,
} from "../exec/media.js";
import {
  MUL_MLA, MUL_MLS, MUL_MUL, MUL_SDIV, MUL_SMLAD, MUL_SMLAL, MUL_SMLALD, MUL_SMLALXY, MUL_SMLAWY, MUL_SMLAXY,
  MUL_SMLSD, MUL_SMLSLD, MUL_SMMLA, MUL_SMMLS, MUL_SMULL, MUL_SMULWY, MUL_SMULXY, MUL_UDIV, MUL_UMAAL,
  MUL_UMLAL, MUL_UMULL, MUL_USADA8, OP_MUL, OP_MUL_LONG, packMul,
} from "../exec/multiply.js";
import {
  OP_BKPT, OP_CLREX, OP_CP14, OP_HVC, OP_MCR15, OP_MCRR15, OP_MRC15, OP_MRRC15, OP_MRS, OP_NOP, OP_SETEND, OP_SMC,
  OP_SVC, OP_WFE, OP_WFI, cp15Key,
} from "../exec/system.js";
import { decodeFpSimd } from "../fp-simd.js";
import {
  OP_BANKED, OP_CPS, OP_DP_RETURN, OP_LDM_STM_USER, OP_MRS_PSR, OP_MSR_PSR, OP_RFE, OP_SRS,
} from "../exec/privileged.js";
import { OP_UNDEFINED } from "../exec/system.js";
import { DecodeTable, type Build, type Decoded, type Fields } from "./pattern.js";

/** An encoding that is UNDEFINED (regardless of its condition). */
export const undef: Build = (_f, o, w) => {
  o.cond = 14;
  return o.set(OP_UNDEFINED, w);
};

/** Hints (shared with T32): 0 NOP, 1 YIELD, 2 WFE, 3 WFI, 4 SEV, 0xf0..0xff DBG; others NOP. */
export function hint(out: Decoded, op: number): true {
  return out.set(op === 2 ? OP_WFE : op === 3 ? OP_WFI : OP_NOP);
}

function dpReg(f: Fields, out: Decoded) {
  return out.set(OP_DP_REG, packDp(f.o, f.S, f.d, f.n), f.m, immShiftType(f.t, f.i), immShiftAmount(f.t, f.i));
}

/** Single load/store kinds by (L, B) for word/byte and by (L, op2) for the extra forms. */
function extraKind(l: number, op2: number): number {
  if (op2 === 1) return l ? LS_LDRH : LS_STRH;
  if (op2 === 2) return l ? LS_LDRSB : LS_LDRD;
  return l ? LS_LDRSH : LS_STRD;
}

/** Data-processing with S = 1 and Rd = PC (not TST/TEQ/CMP/CMN): an exception return. */
const isTest = (op: number): boolean => op >= 8 && op <= 11;
const dpReturnImm = (f: Fields, o: Decoded) => (isTest(f.o) ? false : o.set(OP_DP_RETURN, f.o | (f.n << 4), armExpandImm(f.i)));
const dpReturnReg = (f: Fields, o: Decoded) =>
  isTest(f.o) ? false : o.set(OP_DP_RETURN, f.o | (f.n << 4) | 0x100, f.m, immShiftType(f.t, f.i), immShiftAmount(f.t, f.i));

const conditional = new DecodeTable(20)
  // ---- exception returns: SUBS PC, LR / MOVS PC, LR and the other data-processing forms, ERET
  .add("cccc 001o ooo1 nnnn 1111 iiii iiii iiii", dpReturnImm)
  .add("cccc 000o ooo1 nnnn 1111 iiii itt0 mmmm", dpReturnReg)
  .add("cccc 0001 0110 0000 0000 0000 0110 1110", (_f, o) => o.set(OP_DP_RETURN, DP_SUB | (14 << 4), 0)) // ERET
  .add("cccc 0001 0100 iiii iiii iiii 0111 jjjj", (f, o, w) => (f.c !== 14 ? undef(f, o, w) : o.set(OP_HVC, (f.i << 4) | f.j)))
  .add("cccc 0001 0110 0000 0000 0000 0111 iiii", (f, o) => o.set(OP_SMC, f.i))
  // ---- data processing (immediate) and its special cases
  .add("cccc 0011 0010 0000 ---- ---- hhhh hhhh", (f, o) => hint(o, f.h))
  .add("cccc 0011 0R10 mmmm ---- iiii iiii iiii", (f, o) =>
    f.m !== 0 ? o.set(OP_MSR_PSR, armExpandImm(f.i), f.m | (f.R << 4) | 32) : false)
  .add("cccc 0011 0000 iiii dddd jjjj jjjj jjjj", (f, o) => o.set(OP_MOVW, f.d, (f.i << 12) | f.j))
  .add("cccc 0011 0100 iiii dddd jjjj jjjj jjjj", (f, o) => o.set(OP_MOVT, f.d, (f.i << 12) | f.j))
  .add("cccc 0011 0--0 ---- ---- ---- ---- ----", undef)
  .add("cccc 0010 1000 1111 dddd iiii iiii iiii", (f, o) => o.set(OP_ADR, f.d, armExpandImm(f.i)))
  .add("cccc 0010 0100 1111 dddd iiii iiii iiii", (f, o) => o.set(OP_ADR, f.d, -armExpandImm(f.i)))
  .add("cccc 001o oooS nnnn dddd iiii iiii iiii", (f, o) =>
    o.set(OP_DP_IMM, packDp(f.o, f.S, f.d, f.n), armExpandImm(f.i), armExpandImmCarry(f.i)))
  // ---- multiplies and synchronization (bits 7..4 = 1001)
  .add("cccc 0000 000S dddd ---- mmmm 1001 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, 0), MUL_MUL, f.S << 2))
  .add("cccc 0000 001S dddd aaaa mmmm 1001 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_MLA, f.S << 2))
  .add("cccc 0000 0100 hhhh llll mmmm 1001 nnnn", (f, o) => o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_UMAAL))
  .add("cccc 0000 0110 dddd aaaa mmmm 1001 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_MLS))
  .add("cccc 0000 1ooS hhhh llll mmmm 1001 nnnn", (f, o) =>
    o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), [MUL_UMULL, MUL_UMLAL, MUL_SMULL, MUL_SMLAL][f.o], f.S << 2))
  .add("cccc 0001 1ooL nnnn tttt ---- 1001 mmmm", (f, o) => {
    const size = [4, 8, 1, 2][f.o];
    if (f.L) return o.set(OP_LDREX, f.t | (f.n << 4) | (size << 8) | (((f.t + 1) & 15) << 12), 0);
    return o.set(OP_STREX, f.m | (f.n << 4) | (size << 8) | (((f.m + 1) & 15) << 12) | (f.t << 16), 0);
  })
  .add("cccc 0000 ---- ---- ---- ---- 1001 ----", undef)
  .add("cccc 0001 ---- ---- ---- ---- 1001 ----", undef) // SWP/SWPB: UNDEFINED (ARMv7 + virtualization)
  // ---- extra load/store (bits 7..4 = 1xx1, op2 != 00)
  .add("cccc 000P U0Wl nnnn tttt ---- 1oo1 mmmm", (f, o) => {
    if (f.o === 0) return false;
    const kind = extraKind(f.l, f.o);
    return o.set(OP_LS_REG, packLs(kind, f.t, f.n, f.P, f.U, f.W, (f.t + 1) & 15), f.m, 0, 0);
  })
  .add("cccc 000P U1Wl nnnn tttt iiii 1oo1 jjjj", (f, o) => {
    if (f.o === 0) return false;
    const kind = extraKind(f.l, f.o);
    return o.set(OP_LS_IMM, packLs(kind, f.t, f.n, f.P, f.U, f.W, (f.t + 1) & 15), (f.i << 4) | f.j);
  })
  // ---- miscellaneous (op 10xx0, bit 7 = 0) and halfword multiplies (bit 7 = 1, bit 4 = 0)
  .add("cccc 0001 0R00 mmmm dddd 001M 0000 0000", (f, o) => o.set(OP_BANKED, f.d, (f.M << 4) | f.m | (f.R << 5), 0))
  .add("cccc 0001 0R00 ---- dddd ---- 0000 ----", (f, o) => (f.R === 0 ? o.set(OP_MRS, f.d) : o.set(OP_MRS_PSR, f.d, 1)))
  .add("cccc 0001 0R10 mmmm ---- 001M 0000 nnnn", (f, o) => o.set(OP_BANKED, f.n, (f.M << 4) | f.m | (f.R << 5), 1))
  .add("cccc 0001 0R10 mmmm ---- ---- 0000 nnnn", (f, o) => (f.m !== 0 ? o.set(OP_MSR_PSR, f.n, f.m | (f.R << 4)) : false))
  .add("cccc 0001 0010 ---- ---- ---- 0001 mmmm", (f, o) => o.set(OP_BX, f.m))
  .add("cccc 0001 0010 ---- ---- ---- 0010 mmmm", (f, o) => o.set(OP_BX, f.m)) // BXJ: trivial Jazelle
  .add("cccc 0001 0010 ---- ---- ---- 0011 mmmm", (f, o) => o.set(OP_BLX_REG, f.m))
  .add("cccc 0001 0110 ---- dddd ---- 0001 mmmm", (f, o) => o.set(OP_BITS, packRrr(f.d, 0, f.m), BITS_CLZ))
  .add("cccc 0001 0oo0 nnnn dddd ---- 0101 mmmm", (f, o) => o.set(OP_QADDSUB, packRrr(f.d, f.n, f.m), f.o))
  .add("cccc 0001 0010 iiii iiii iiii 0111 jjjj", (f, o, w) => o.set(OP_BKPT, (f.i << 4) | f.j, w))
  .add("cccc 0001 0000 dddd aaaa mmmm 1yx0 nnnn", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMLAXY, (f.x << 1) | f.y))
  .add("cccc 0001 0010 dddd aaaa mmmm 1y00 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMLAWY, f.y))
  .add("cccc 0001 0010 dddd ---- mmmm 1y10 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, 0), MUL_SMULWY, f.y))
  .add("cccc 0001 0100 hhhh llll mmmm 1yx0 nnnn", (f, o) =>
    o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), MUL_SMLALXY, (f.x << 1) | f.y))
  .add("cccc 0001 0110 dddd ---- mmmm 1yx0 nnnn", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, 0), MUL_SMULXY, (f.x << 1) | f.y))
  .add("cccc 0001 0--0 ---- ---- ---- ---- ----", undef)
  // ---- data processing (register, register-shifted register)
  .add("cccc 000o oooS nnnn dddd iiii itt0 mmmm", dpReg)
  .add("cccc 000o oooS nnnn dddd ssss 0tt1 mmmm", (f, o) => o.set(OP_DP_RSR, packDp(f.o, f.S, f.d, f.n), f.m, f.t, f.s))
  // ---- media (bits 27..25 = 011, bit 4 = 1)
  .add("cccc 0110 0ppp nnnn dddd ---- ooo1 mmmm", (f, o) =>
    f.p === 0 || f.p === 4 || f.o === 5 || f.o === 6 ? false : o.set(OP_PARALLEL, packRrr(f.d, f.n, f.m), f.p, f.o))
  .add("cccc 0110 1000 nnnn dddd iiii it01 mmmm", (f, o) =>
    o.set(OP_PKH, packRrr(f.d, f.n, f.m), f.t, f.t && f.i === 0 ? 32 : f.i))
  .add("cccc 0110 1000 nnnn dddd ---- 1011 mmmm", (f, o) => o.set(OP_SEL, packRrr(f.d, f.n, f.m)))
  .add("cccc 0110 1u10 ssss dddd ---- 0011 nnnn", (f, o) =>
    o.set(OP_SAT16, f.d | (f.n << 4) | (f.u << 8), f.u ? f.s : f.s + 1))
  .add("cccc 0110 1ooo nnnn dddd rr-- 0111 mmmm", (f, o) => {
    const kind = [4, -1, 0, 1, 5, -1, 2, 3][f.o];
    return kind < 0 ? false : o.set(OP_EXTEND, packRrr(f.d, f.n, f.m), kind, f.r * 8);
  })
  .add("cccc 0110 1011 ---- dddd ---- 0011 mmmm", (f, o) => o.set(OP_BITS, packRrr(f.d, 0, f.m), BITS_REV))
  .add("cccc 0110 1011 ---- dddd ---- 1011 mmmm", (f, o) => o.set(OP_BITS, packRrr(f.d, 0, f.m), BITS_REV16))
  .add("cccc 0110 1111 ---- dddd ---- 0011 mmmm", (f, o) => o.set(OP_BITS, packRrr(f.d, 0, f.m), BITS_RBIT))
  .add("cccc 0110 1111 ---- dddd ---- 1011 mmmm", (f, o) => o.set(OP_BITS, packRrr(f.d, 0, f.m), BITS_REVSH))
  .add("cccc 0110 1u1s ssss dddd iiii it01 nnnn", (f, o) =>
    o.set(OP_SAT, f.d | (f.n << 4) | (f.u << 8), f.u ? f.s : f.s + 1, f.t ? 2 : 0, f.t ? (f.i === 0 ? 32 : f.i) : f.i))
  .add("cccc 0111 0000 dddd aaaa mmmm 0sX1 nnnn", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), f.s ? MUL_SMLSD : MUL_SMLAD, f.X | (f.a === 15 ? 0 : 2)))
  .add("cccc 0111 0100 hhhh llll mmmm 0sX1 nnnn", (f, o) =>
    o.set(OP_MUL_LONG, packMul(f.l, f.h, f.n, f.m), f.s ? MUL_SMLSLD : MUL_SMLALD, f.X))
  .add("cccc 0111 0001 dddd 1111 mmmm 0001 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, 0), MUL_SDIV))
  .add("cccc 0111 0011 dddd 1111 mmmm 0001 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, 0), MUL_UDIV))
  .add("cccc 0111 0101 dddd aaaa mmmm 00R1 nnnn", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMMLA, f.R | (f.a === 15 ? 0 : 2)))
  .add("cccc 0111 0101 dddd aaaa mmmm 11R1 nnnn", (f, o) => o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_SMMLS, f.R | 2))
  .add("cccc 0111 1000 dddd aaaa mmmm 0001 nnnn", (f, o) =>
    o.set(OP_MUL, packMul(f.d, f.n, f.m, f.a), MUL_USADA8, f.a === 15 ? 0 : 2))
  .add("cccc 0111 1u1w wwww dddd llll l101 nnnn", (f, o) =>
    f.l + f.w + 1 > 32 ? false : o.set(OP_BFX, f.d | (f.n << 4), f.l, f.w + 1, f.u ? 0 : 1))
  .add("cccc 0111 110m mmmm dddd llll l001 nnnn", (f, o) => o.set(OP_BFI, f.d | (f.n << 4), f.l, f.m))
  .add("cccc 011- ---- ---- ---- ---- ---1 ----", undef) // includes UDF
  // ---- load/store word and unsigned byte
  .add("cccc 010P UBWl nnnn tttt iiii iiii iiii", (f, o) =>
    o.set(OP_LS_IMM, packLs(f.l ? (f.B ? LS_LDRB : LS_LDR) : f.B ? LS_STRB : LS_STR, f.t, f.n, f.P, f.U, f.W), f.i))
  .add("cccc 011P UBWl nnnn tttt iiii iss0 mmmm", (f, o) =>
    o.set(OP_LS_REG, packLs(f.l ? (f.B ? LS_LDRB : LS_LDR) : f.B ? LS_STRB : LS_STR, f.t, f.n, f.P, f.U, f.W), f.m,
      immShiftType(f.s, f.i), immShiftAmount(f.s, f.i)))
  // ---- branch, block transfer (the S bit forms are privileged)
  .add("cccc 100P U1Wl nnnn rrrr rrrr rrrr rrrr", (f, o) =>
    f.r === 0 ? false : o.set(OP_LDM_STM_USER, f.n | (f.W << 4) | (((f.P << 1) | f.U) << 5) | (f.l << 7), f.r))
  .add("cccc 100P U0Wl nnnn rrrr rrrr rrrr rrrr", (f, o) =>
    f.r === 0 ? false : o.set(OP_LDM_STM, f.n | (f.W << 4) | (((f.P << 1) | f.U) << 5) | (f.l << 7), f.r))
  .add("cccc 1010 iiii iiii iiii iiii iiii iiii", (f, o) => o.set(OP_B, (f.i << 8) >> 6))
  .add("cccc 1011 iiii iiii iiii iiii iiii iiii", (f, o) => o.set(OP_BL, (f.i << 8) >> 6))
  // ---- coprocessor: VFP (10, 11), CP15, supervisor call
  .add("cccc 110- ---- ---- ---- 101- ---- ----", (_f, o, w) => decodeFpSimd(w, false, o))
  .add("cccc 1110 ---- ---- ---- 101- ---- ----", (_f, o, w) => decodeFpSimd(w, false, o))
  .add("cccc 1110 ooo1 nnnn tttt 1111 ppp1 mmmm", (f, o) => o.set(OP_MRC15, cp15Key(f.o, f.n, f.m, f.p), f.t))
  .add("cccc 1110 ooo0 nnnn tttt 1111 ppp1 mmmm", (f, o) => o.set(OP_MCR15, cp15Key(f.o, f.n, f.m, f.p), f.t))
  .add("cccc 1100 0101 uuuu tttt 1111 oooo mmmm", (f, o) => o.set(OP_MRRC15, (f.o << 4) | f.m, f.t, f.u))
  .add("cccc 1100 0100 uuuu tttt 1111 oooo mmmm", (f, o) => o.set(OP_MCRR15, (f.o << 4) | f.m, f.t, f.u))
  .add("cccc 1110 ---1 ---- tttt 1110 ---1 ----", (f, o) => o.set(OP_CP14, f.t, 1))
  .add("cccc 1110 ---0 ---- ---- 1110 ---1 ----", (_f, o) => o.set(OP_CP14, 0, 0))
  .add("cccc 1100 0101 uuuu tttt 1110 ---- ----", (f, o) => o.set(OP_CP14, f.t | (f.u << 4) | 0x100, 1))
  .add("cccc 1100 0100 ---- ---- 1110 ---- ----", (_f, o) => o.set(OP_CP14, 0, 0))
  .add("cccc 1111 iiii iiii iiii iiii iiii iiii", (f, o) => o.set(OP_SVC, f.i));

const unconditional = new DecodeTable(20)
  .add("1111 0001 0000 0001 0000 00E0 0000 0000", (f, o) => o.set(OP_SETEND, f.E))
  .add("1111 0001 0000 ooM0 ---- ---A IF0m mmmm", (f, o) =>
    o.set(OP_CPS, f.o, (f.A << 2) | (f.I << 1) | f.F, f.M ? f.m : -1)) // no effect at PL0
  .add("1111 100P U1W0 1101 ---- ---- ---m mmmm", (f, o) => o.set(OP_SRS, f.m, (f.P << 1) | f.U, f.W))
  .add("1111 100P U0W1 nnnn ---- ---- ---- ----", (f, o) => o.set(OP_RFE, f.n, (f.P << 1) | f.U, f.W))
  .add("1111 0101 0111 1111 1111 0000 0001 1111", (_f, o) => o.set(OP_CLREX))
  .add("1111 0101 0111 1111 1111 0000 01oo ----", (f, o) => (f.o === 3 ? false : o.set(OP_NOP))) // DSB DMB ISB
  .add("1111 0100 -101 ---- ---- ---- ---- ----", (_f, o) => o.set(OP_NOP)) // PLI
  .add("1111 0101 -R01 ---- ---- ---- ---- ----", (_f, o) => o.set(OP_NOP)) // PLD, PLDW
  .add("1111 0110 -101 ---- ---- ---- ---0 ----", (_f, o) => o.set(OP_NOP)) // PLI (register)
  .add("1111 0111 -R01 ---- ---- ---- ---0 ----", (_f, o) => o.set(OP_NOP)) // PLD, PLDW (register)
  .add("1111 101H iiii iiii iiii iiii iiii iiii", (f, o) => o.set(OP_BLX_IMM, ((f.i << 8) >> 6) | (f.H << 1)))
  .add("1111 001- ---- ---- ---- ---- ---- ----", (_f, o, w) => decodeFpSimd(w, false, o))
  .add("1111 0100 ---0 ---- ---- ---- ---- ----", (_f, o, w) => decodeFpSimd(w, false, o));

/** Decode one A32 word into `out` (cond, op, operands); false: UNDEFINED. */
export function decodeA32(word: number, out: Decoded): boolean {
  const cond = word >>> 28;
  out.size = 4;
  if (cond === 15) {
    out.cond = 14;
    return unconditional.decode(word, out);
  }
  out.cond = cond;
  return conditional.decode(word, out);
}

