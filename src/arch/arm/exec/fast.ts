/**
 * Fast paths: the decoded forms compilers emit most (MOV/ADD/SUB/CMP with an immediate or an
 * unshifted register, LDR/STR/LDRB/STRB with an immediate offset) rewritten after decoding into
 * executors without the generic operation switch. `specialize` only ever replaces a decoded
 * instruction by one with identical architectural behaviour; everything else is left alone.
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";
import type { Decoded } from "../decode/pattern.js";
import {
  DP_ADD, DP_CMP, DP_MOV, DP_SUB, OP_DP_IMM, OP_DP_REG, S_NONE, S_OUTSIDE_IT, S_SET, SHIFT_LSL, addWithCarry,
} from "./alu.js";
import { LS_LDR, LS_LDRB, LS_STR, LS_STRB, OP_LS_IMM } from "./loadstore.js";

function setflags(cpu: ArmCpu, s: number): boolean {
  return s === S_SET || (s === S_OUTSIDE_IT && cpu.itstate === 0);
}

/** rd = rn + imm (SUB decodes as the negated immediate when no flags are set): a = rd, b = rn, c = imm. */
export const OP_ADD_IMM_NF = defineExecutor((cpu, rd, rn, imm) => {
  cpu.regs[rd] = (cpu.regs[rn] + imm) | 0;
});

/** ADD(S)/SUB(S) immediate with flags: a = rd, b = rn, c = imm, d = s | sub << 2. */
export const OP_ADDSUB_IMM = defineExecutor((cpu, rd, rn, imm, d) => {
  const n = cpu.regs[rn], set = setflags(cpu, d & 3);
  cpu.regs[rd] = d & 4 ? addWithCarry(cpu, n, ~imm, 1, set) : addWithCarry(cpu, n, imm, 0, set);
});

/** MOV(S) immediate: a = rd, b = imm, c = s. (MOVS immediate leaves C alone for these encodings.) */
export const OP_MOV_IMM = defineExecutor((cpu, rd, imm, s) => {
  cpu.regs[rd] = imm;
  if (s !== S_NONE && setflags(cpu, s)) cpu.nf = cpu.zf = imm;
});

/** MOV(S) register: a = rd, b = rm, c = s. */
export const OP_MOV_REG = defineExecutor((cpu, rd, rm, s) => {
  const v = cpu.regs[rm];
  cpu.regs[rd] = v;
  if (s !== S_NONE && setflags(cpu, s)) cpu.nf = cpu.zf = v;
});

/** ADD(S)/SUB(S) register: a = rd, b = rn, c = rm, d = s | sub << 2. */
export const OP_ADDSUB_REG = defineExecutor((cpu, rd, rn, rm, d) => {
  const regs = cpu.regs, n = regs[rn], m = regs[rm];
  if ((d & 3) === S_NONE) regs[rd] = d & 4 ? (n - m) | 0 : (n + m) | 0;
  else {
    const set = setflags(cpu, d & 3);
    regs[rd] = d & 4 ? addWithCarry(cpu, n, ~m, 1, set) : addWithCarry(cpu, n, m, 0, set);
  }
});

/** CMP immediate / register: a = rn, b = imm or rm, c = 1 for register. */
export const OP_CMP = defineExecutor((cpu, rn, b, isReg) => {
  addWithCarry(cpu, cpu.regs[rn], ~(isReg ? cpu.regs[b] : b), 1, true);
});

/** LDR/STR/LDRB/STRB [rn, #+/-imm] without write-back: a = rt, b = rn, c = signed offset, d = kind. */
export const OP_LS_OFFSET = defineExecutor((cpu, rt, rn, offset, kind) => {
  const addr = (cpu.regs[rn] + offset) | 0;
  switch (kind) {
    case LS_LDR: cpu.regs[rt] = cpu.mmu.read32(addr); break;
    case LS_STR: cpu.mmu.write32(addr, cpu.regs[rt]); break;
    case LS_LDRB: cpu.regs[rt] = cpu.mmu.read8(addr); break;
    default: cpu.mmu.write8(addr, cpu.regs[rt] & 0xff); break;
  }
});

/** Rewrite `out` into a fast form when one applies. */
export function specialize(out: Decoded): void {
  const op = out.op;
  if (op === OP_DP_IMM || op === OP_DP_REG) {
    const a = out.a, dp = a & 31, s = (a >>> 5) & 3, rd = (a >>> 8) & 15, rn = (a >>> 12) & 15;
    if (rd === 15 || rn === 15) return;
    if (op === OP_DP_REG && (out.c !== SHIFT_LSL || out.d !== 0)) return;
    const reg = op === OP_DP_REG;
    const b = out.b;
    switch (dp) {
      case DP_MOV:
        if (reg) out.set(OP_MOV_REG, rd, b, s);
        else if (s === S_NONE || out.c < 0) out.set(OP_MOV_IMM, rd, b, s);
        return;
      case DP_ADD:
      case DP_SUB:
        if (reg) out.set(OP_ADDSUB_REG, rd, rn, b, s | (dp === DP_SUB ? 4 : 0));
        else if (s === S_NONE) out.set(OP_ADD_IMM_NF, rd, rn, dp === DP_SUB ? -b | 0 : b);
        else out.set(OP_ADDSUB_IMM, rd, rn, b, s | (dp === DP_SUB ? 4 : 0));
        return;
      case DP_CMP:
        out.set(OP_CMP, rn, b, reg ? 1 : 0);
        return;
    }
    return;
  }
  if (op === OP_LS_IMM) {
    const a = out.a, rt = a & 15, rn = (a >>> 4) & 15, kind = (a >>> 12) & 15;
    // offset addressing (P = 1, W = 0), no PC involvement, word/byte only
    if ((a & 0x500) !== 0x100 || rt === 15 || rn === 15) return;
    if (kind !== LS_LDR && kind !== LS_STR && kind !== LS_LDRB && kind !== LS_STRB) return;
    out.set(OP_LS_OFFSET, rt, rn, a & 0x200 ? out.b : -out.b | 0, kind);
  }
}
