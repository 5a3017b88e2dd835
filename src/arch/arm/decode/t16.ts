/**
 * 16-bit Thumb decoding (ARM ARM A6.2). Data-processing forms that set flags only outside an IT
 * block decode with S_OUTSIDE_IT; the executor checks the IT state when it runs.
 */
import {
  DP_ADC, DP_ADD, DP_AND, DP_BIC, DP_CMN, DP_CMP, DP_EOR, DP_MOV, DP_MVN, DP_ORR, DP_RSB, DP_SBC, DP_SUB, DP_TST,
  OP_ADR, OP_DP_IMM, OP_DP_REG, OP_DP_RSR, S_NONE, S_OUTSIDE_IT, S_SET, SHIFT_ASR, SHIFT_LSL, SHIFT_LSR,
  SHIFT_ROR, immShiftAmount, packDp,
} from "../exec/alu.js";
import { OP_B, OP_BLX_REG, OP_BX, OP_CBZ } from "../exec/branch.js";
import {
  LS_LDR, LS_LDRB, LS_LDRH, LS_LDRSB, LS_LDRSH, LS_STR, LS_STRB, LS_STRH, OP_LDM_STM, OP_LS_IMM, OP_LS_REG, packLs,
} from "../exec/loadstore.js";
import {
  BITS_REV, BITS_REV16, BITS_REVSH, EXT_SXTB, EXT_SXTH, EXT_UXTB, EXT_UXTH, OP_BITS, OP_EXTEND, packRrr,
} from "../exec/media.js";
import { MUL_MUL, OP_MUL, packMul } from "../exec/multiply.js";
import { OP_BKPT, OP_IT, OP_NOP, OP_SETEND, OP_SVC } from "../exec/system.js";
import { OP_CPS } from "../exec/privileged.js";
import { hint, undef } from "./a32.js";
import { DecodeTable, type Decoded } from "./pattern.js";

const REG_OPS = [DP_AND, DP_EOR, -1, -1, -1, DP_ADC, DP_SBC, -1, DP_TST, DP_RSB, DP_CMP, DP_CMN, DP_ORR, -1, DP_BIC, DP_MVN];
const REG_SHIFTS = [-1, -1, SHIFT_LSL, SHIFT_LSR, SHIFT_ASR, -1, -1, SHIFT_ROR];
const LS_REG_KINDS = [LS_STR, LS_STRH, LS_STRB, LS_LDRSB, LS_LDR, LS_LDRH, LS_LDRB, LS_LDRSH];

const table = new DecodeTable(8, 16)
  // shift (immediate), add, subtract, move, compare
  .add("000o oiii iimm mddd", (f, o) => {
    if (f.o === 3) return false;
    return o.set(OP_DP_REG, packDp(DP_MOV, S_OUTSIDE_IT, f.d, 0), f.m, f.o, immShiftAmount(f.o, f.i));
  })
  .add("0001 10sm mmnn nddd", (f, o) =>
    o.set(OP_DP_REG, packDp(f.s ? DP_SUB : DP_ADD, S_OUTSIDE_IT, f.d, f.n), f.m, SHIFT_LSL, 0))
  .add("0001 11si iinn nddd", (f, o) => o.set(OP_DP_IMM, packDp(f.s ? DP_SUB : DP_ADD, S_OUTSIDE_IT, f.d, f.n), f.i, -1))
  .add("001o oddd iiii iiii", (f, o) => {
    const op = [DP_MOV, DP_CMP, DP_ADD, DP_SUB][f.o];
    return o.set(OP_DP_IMM, packDp(op, op === DP_CMP ? S_SET : S_OUTSIDE_IT, f.d, f.d), f.i, -1);
  })
  // data processing (register)
  .add("0100 00oo oomm mddd", (f, o) => {
    const shiftType = REG_SHIFTS[f.o];
    if (f.o === 13) return o.set(OP_MUL, packMul(f.d, f.m, f.d, 0), MUL_MUL, 4 | 8);
    if (shiftType >= 0) return o.set(OP_DP_RSR, packDp(DP_MOV, S_OUTSIDE_IT, f.d, 0), f.d, shiftType, f.m);
    const op = REG_OPS[f.o];
    if (op === DP_RSB) return o.set(OP_DP_IMM, packDp(DP_RSB, S_OUTSIDE_IT, f.d, f.m), 0, -1); // NEG: RSBS rd, rm, #0
    const s = op >= DP_TST && op <= DP_CMN ? S_SET : S_OUTSIDE_IT;
    return o.set(OP_DP_REG, packDp(op, s, f.d, f.d), f.m, SHIFT_LSL, 0);
  })
  // special data processing, branch and exchange
  .add("0100 0100 Dmmm mddd", (f, o) => {
    const rd = (f.D << 3) | f.d;
    return o.set(OP_DP_REG, packDp(DP_ADD, S_NONE, rd, rd), f.m, SHIFT_LSL, 0);
  })
  .add("0100 0101 Nmmm mnnn", (f, o) => o.set(OP_DP_REG, packDp(DP_CMP, S_SET, 0, (f.N << 3) | f.n), f.m, SHIFT_LSL, 0))
  .add("0100 0110 Dmmm mddd", (f, o) => o.set(OP_DP_REG, packDp(DP_MOV, S_NONE, (f.D << 3) | f.d, 0), f.m, SHIFT_LSL, 0))
  .add("0100 0111 0mmm m000", (f, o) => o.set(OP_BX, f.m))
  .add("0100 0111 1mmm m000", (f, o) => (f.m === 15 ? false : o.set(OP_BLX_REG, f.m)))
  // load literal, load/store single
  .add("0100 1ttt iiii iiii", (f, o) => o.set(OP_LS_IMM, packLs(LS_LDR, f.t, 15, 1, 1, 0), f.i << 2))
  .add("0101 ooom mmnn nttt", (f, o) => o.set(OP_LS_REG, packLs(LS_REG_KINDS[f.o], f.t, f.n, 1, 1, 0), f.m, SHIFT_LSL, 0))
  .add("011B Liii iinn nttt", (f, o) =>
    o.set(OP_LS_IMM, packLs(f.L ? (f.B ? LS_LDRB : LS_LDR) : f.B ? LS_STRB : LS_STR, f.t, f.n, 1, 1, 0), f.B ? f.i : f.i << 2))
  .add("1000 Liii iinn nttt", (f, o) => o.set(OP_LS_IMM, packLs(f.L ? LS_LDRH : LS_STRH, f.t, f.n, 1, 1, 0), f.i << 1))
  .add("1001 Lttt iiii iiii", (f, o) => o.set(OP_LS_IMM, packLs(f.L ? LS_LDR : LS_STR, f.t, 13, 1, 1, 0), f.i << 2))
  // PC- and SP-relative addresses
  .add("1010 0ddd iiii iiii", (f, o) => o.set(OP_ADR, f.d, f.i << 2))
  .add("1010 1ddd iiii iiii", (f, o) => o.set(OP_DP_IMM, packDp(DP_ADD, S_NONE, f.d, 13), f.i << 2, -1))
  // miscellaneous
  .add("1011 0000 0iii iiii", (f, o) => o.set(OP_DP_IMM, packDp(DP_ADD, S_NONE, 13, 13), f.i << 2, -1))
  .add("1011 0000 1iii iiii", (f, o) => o.set(OP_DP_IMM, packDp(DP_SUB, S_NONE, 13, 13), f.i << 2, -1))
  .add("1011 z0i1 iiii innn", (f, o) => o.set(OP_CBZ, f.n, f.i << 1, f.z))
  .add("1011 0010 oomm mddd", (f, o) =>
    o.set(OP_EXTEND, packRrr(f.d, 15, f.m), [EXT_SXTH, EXT_SXTB, EXT_UXTH, EXT_UXTB][f.o], 0))
  .add("1011 010M rrrr rrrr", (f, o) => {
    const list = f.r | (f.M << 14);
    return list === 0 ? false : o.set(OP_LDM_STM, 13 | (1 << 4) | (2 << 5), list); // STMDB sp!
  })
  .add("1011 0110 0101 E000", (f, o) => o.set(OP_SETEND, f.E))
  .add("1011 0110 011i 0AIF", (f, o) => o.set(OP_CPS, f.i ? 3 : 2, (f.A << 2) | (f.I << 1) | f.F, -1)) // no effect at PL0
  .add("1011 1010 oomm mddd", (f, o) =>
    f.o === 2 ? false : o.set(OP_BITS, packRrr(f.d, 0, f.m), [BITS_REV, BITS_REV16, 0, BITS_REVSH][f.o]))
  .add("1011 110P rrrr rrrr", (f, o) => {
    const list = f.r | (f.P << 15);
    return list === 0 ? false : o.set(OP_LDM_STM, 13 | (1 << 4) | (1 << 5) | (1 << 7), list); // LDMIA sp!
  })
  .add("1011 1110 iiii iiii", (f, o, w) => o.set(OP_BKPT, f.i, w))
  .add("1011 1111 cccc mmmm", (f, o) => {
    if (f.m === 0) return hint(o, f.c);
    if (f.c === 15 || (f.c === 14 && (f.m & (f.m - 1)) !== 0)) return false;
    return o.set(OP_IT, (f.c << 4) | f.m);
  })
  // load/store multiple
  .add("1100 0nnn rrrr rrrr", (f, o) => (f.r === 0 ? false : o.set(OP_LDM_STM, f.n | (1 << 4) | (1 << 5), f.r)))
  .add("1100 1nnn rrrr rrrr", (f, o) => {
    if (f.r === 0) return false;
    const wback = (f.r >> f.n) & 1 ? 0 : 1;
    return o.set(OP_LDM_STM, f.n | (wback << 4) | (1 << 5) | (1 << 7), f.r);
  })
  // conditional branch, UDF, SVC; unconditional branch
  .add("1101 1110 ---- ----", undef)
  .add("1101 1111 iiii iiii", (f, o) => o.set(OP_SVC, f.i))
  .add("1101 cccc iiii iiii", (f, o) => {
    o.cond = f.c;
    return o.set(OP_B, (f.i << 24) >> 23);
  })
  .add("1110 0iii iiii iiii", (f, o) => o.set(OP_B, (f.i << 21) >> 20));

/** Decode a 16-bit Thumb instruction; false: UNDEFINED. */
export function decodeT16(hw: number, out: Decoded): boolean {
  out.size = 2;
  out.cond = 14;
  return table.decode(hw, out);
}

