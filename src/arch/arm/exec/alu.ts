/**
 * Data processing: the sixteen A32 operations (plus T32's ORN), with immediate, immediate-shifted
 * register and register-shifted register second operands; the shifter; MOVW/MOVT; ADR.
 *
 * Operand packing for OP_DP_*: a = op | s << 5 | rd << 8 | rn << 12 (see `packDp`), where s is
 * S_NONE, S_SET or S_OUTSIDE_IT (16-bit Thumb: flags set only outside an IT block).
 *   OP_DP_IMM  b = imm32, c = shifter carry-out (0/1) or -1 for "C unchanged"
 *   OP_DP_REG  b = rm, c = shift type (SHIFT_*), d = amount (already DecodeImmShift'ed)
 *   OP_DP_RSR  b = rm, c = shift type, d = rs
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";

export const DP_AND = 0, DP_EOR = 1, DP_SUB = 2, DP_RSB = 3, DP_ADD = 4, DP_ADC = 5, DP_SBC = 6, DP_RSC = 7;
export const DP_TST = 8, DP_TEQ = 9, DP_CMP = 10, DP_CMN = 11, DP_ORR = 12, DP_MOV = 13, DP_BIC = 14, DP_MVN = 15;
export const DP_ORN = 16;

export const S_NONE = 0, S_SET = 1, S_OUTSIDE_IT = 2;

export const SHIFT_LSL = 0, SHIFT_LSR = 1, SHIFT_ASR = 2, SHIFT_ROR = 3, SHIFT_RRX = 4;

export function packDp(op: number, s: number, rd: number, rn: number): number {
  return op | (s << 5) | (rd << 8) | (rn << 12);
}

/** DecodeImmShift: (type, imm5) -> amount; ROR #0 means RRX (returns type via `immShiftType`). */
export function immShiftType(type: number, imm5: number): number {
  return type === SHIFT_ROR && imm5 === 0 ? SHIFT_RRX : type;
}
export function immShiftAmount(type: number, imm5: number): number {
  if ((type === SHIFT_LSR || type === SHIFT_ASR) && imm5 === 0) return 32;
  if (type === SHIFT_ROR && imm5 === 0) return 1;
  return imm5;
}

/** Shift_C: returns the shifted value; the carry-out goes to cpu.shc. `amount` may be 0..255. */
export function shift(cpu: ArmCpu, v: number, type: number, amount: number): number {
  if (amount === 0 && type !== SHIFT_RRX) {
    cpu.shc = cpu.cf;
    return v;
  }
  switch (type) {
    case SHIFT_LSL:
      if (amount < 32) {
        cpu.shc = (v >>> (32 - amount)) & 1;
        return v << amount;
      }
      cpu.shc = amount === 32 ? v & 1 : 0;
      return 0;
    case SHIFT_LSR:
      if (amount < 32) {
        cpu.shc = (v >>> (amount - 1)) & 1;
        return (v >>> amount) | 0;
      }
      cpu.shc = amount === 32 ? v >>> 31 : 0;
      return 0;
    case SHIFT_ASR:
      if (amount < 32) {
        cpu.shc = (v >> (amount - 1)) & 1;
        return v >> amount;
      }
      cpu.shc = v >>> 31;
      return v >> 31;
    case SHIFT_ROR: {
      const r = amount & 31;
      if (r === 0) {
        cpu.shc = v >>> 31;
        return v;
      }
      cpu.shc = (v >>> (r - 1)) & 1;
      return (v >>> r) | (v << (32 - r));
    }
    default: // RRX
      cpu.shc = v & 1;
      return (v >>> 1) | (cpu.cf << 31);
  }
}

/** Shift without carry-out (for addressing modes and extends). */
export function shiftValue(cpu: ArmCpu, v: number, type: number, amount: number): number {
  const c = cpu.shc;
  const r = shift(cpu, v, type, amount);
  cpu.shc = c;
  return r;
}

/** AddWithCarry, setting NZCV when `setflags`. */
export function addWithCarry(cpu: ArmCpu, x: number, y: number, carryIn: number, setflags: boolean): number {
  const r = (x + y + carryIn) | 0;
  if (setflags) {
    cpu.nf = cpu.zf = r;
    cpu.cf = (x >>> 0) + (y >>> 0) + carryIn > 0xffffffff ? 1 : 0;
    cpu.vf = (~(x ^ y) & (x ^ r)) >>> 31;
  }
  return r;
}

function dataProcessing(cpu: ArmCpu, a: number, op2: number, carry: number): void {
  const op = a & 31, rd = (a >>> 8) & 15;
  let s = (a >>> 5) & 3;
  if (s === S_OUTSIDE_IT) s = cpu.itstate === 0 ? 1 : 0;
  const setflags = s === 1 && rd !== 15;
  const n = cpu.regs[(a >>> 12) & 15];
  let r: number;
  switch (op) {
    case DP_AND: r = n & op2; break;
    case DP_EOR: r = n ^ op2; break;
    case DP_SUB: r = addWithCarry(cpu, n, ~op2, 1, setflags); break;
    case DP_RSB: r = addWithCarry(cpu, op2, ~n, 1, setflags); break;
    case DP_ADD: r = addWithCarry(cpu, n, op2, 0, setflags); break;
    case DP_ADC: r = addWithCarry(cpu, n, op2, cpu.cf, setflags); break;
    case DP_SBC: r = addWithCarry(cpu, n, ~op2, cpu.cf, setflags); break;
    case DP_RSC: r = addWithCarry(cpu, op2, ~n, cpu.cf, setflags); break;
    case DP_TST:
      r = n & op2;
      cpu.nf = cpu.zf = r;
      if (carry >= 0) cpu.cf = carry;
      return;
    case DP_TEQ:
      r = n ^ op2;
      cpu.nf = cpu.zf = r;
      if (carry >= 0) cpu.cf = carry;
      return;
    case DP_CMP: addWithCarry(cpu, n, ~op2, 1, true); return;
    case DP_CMN: addWithCarry(cpu, n, op2, 0, true); return;
    case DP_ORR: r = n | op2; break;
    case DP_MOV: r = op2; break;
    case DP_BIC: r = n & ~op2; break;
    case DP_MVN: r = ~op2; break;
    default: r = n | ~op2; break; // ORN
  }
  if (rd === 15) {
    cpu.aluWritePc(r);
    return;
  }
  cpu.regs[rd] = r;
  if (setflags && (op < DP_SUB || op >= DP_ORR)) {
    // logical operations: N, Z from the result, C from the shifter
    cpu.nf = cpu.zf = r;
    if (carry >= 0) cpu.cf = carry;
  }
}

export const OP_DP_IMM = defineExecutor((cpu, a, imm, carry) => dataProcessing(cpu, a, imm, carry));

export const OP_DP_REG = defineExecutor((cpu, a, rm, type, amount) => {
  const v = shift(cpu, cpu.regs[rm], type, amount);
  dataProcessing(cpu, a, v, cpu.shc);
});

export const OP_DP_RSR = defineExecutor((cpu, a, rm, type, rs) => {
  const v = shift(cpu, cpu.regs[rm], type, cpu.regs[rs] & 0xff);
  dataProcessing(cpu, a, v, cpu.shc);
});

/** MOVW: a = rd, b = imm16. */
export const OP_MOVW = defineExecutor((cpu, rd, imm) => {
  cpu.regs[rd] = imm;
});

/** MOVT: a = rd, b = imm16. */
export const OP_MOVT = defineExecutor((cpu, rd, imm) => {
  cpu.regs[rd] = (cpu.regs[rd] & 0xffff) | (imm << 16);
});

/** ADR (and ADD/SUB rd, PC, #imm): a = rd, b = signed offset from Align(PC, 4). */
export const OP_ADR = defineExecutor((cpu, rd, offset) => {
  const v = ((cpu.regs[15] & ~3) + offset) | 0;
  if (rd === 15) cpu.aluWritePc(v);
  else cpu.regs[rd] = v;
});

/** A32 modified immediate: ARMExpandImm_C. Returns the value; carry via `armExpandImmCarry`. */
export function armExpandImm(imm12: number): number {
  const rot = (imm12 >>> 8) * 2, v = imm12 & 0xff;
  return rot === 0 ? v : (v >>> rot) | (v << (32 - rot));
}
/** The carry-out of ARMExpandImm_C: -1 (unchanged) for rotation 0, else bit 31 of the result. */
export function armExpandImmCarry(imm12: number): number {
  return imm12 >>> 8 === 0 ? -1 : armExpandImm(imm12) >>> 31;
}

/** T32 modified immediate: ThumbExpandImm_C (i:imm3:imm8 as a 12-bit value). */
export function thumbExpandImm(imm12: number): number {
  const v = imm12 & 0xff;
  if (imm12 >>> 10 === 0) {
    switch ((imm12 >>> 8) & 3) {
      case 0: return v;
      case 1: return (v << 16) | v;
      case 2: return (v << 24) | (v << 8);
      default: return (v << 24) | (v << 16) | (v << 8) | v;
    }
  }
  const unrot = 0x80 | (imm12 & 0x7f), rot = imm12 >>> 7;
  return (unrot >>> rot) | (unrot << (32 - rot));
}
export function thumbExpandImmCarry(imm12: number): number {
  return imm12 >>> 10 === 0 ? -1 : thumbExpandImm(imm12) >>> 31;
}
