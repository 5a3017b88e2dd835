/**
 * What the instruction emitters (emit.ts, emit-memory.ts) share: where an instruction sits, what
 * an emitted statement may do, register reads and constant shifts as source text.
 */
import { S_OUTSIDE_IT, S_SET, SHIFT_ASR, SHIFT_LSL, SHIFT_LSR, SHIFT_ROR, SHIFT_RRX } from "../exec/alu.js";

/** What an emitted instruction may do besides computing: decides the bookkeeping around it. */
export const EMIT_PURE = 0; // cannot fault, cannot leave the block
export const EMIT_LOAD = 1; // may fault (GUEST_STOP) before committing anything
export const EMIT_STORE = 2; // may fault; may also invalidate decoded code (the block must re-check)

/** Where one instruction sits: its address, size and the PC value it reads (address + 8 or + 4). */
export interface Site {
  pc: number;
  size: number;
  pcRead: number;
  thumb: boolean;
  /** inside an IT block (ITSTATE != 0 before the instruction): "outside IT" flag setting is off */
  inIt: boolean;
}

/** Whether an S_* setting sets the flags at this site. */
export function sets(s: number, site: Site): boolean {
  return s === S_SET || (s === S_OUTSIDE_IT && !site.inIt);
}

/** The emitted statement and its kind; `code` is empty when the instruction was not inlined. */
export class Emitted {
  code = "";
  kind = EMIT_PURE;
  /** true when the code reads or writes the flag locals */
  flags = false;
}

/** A register read: PC reads as the constant address + 8 (A32) / + 4 (T32). */
export function reg(n: number, s: Site): string {
  return n === 15 ? String(s.pcRead | 0) : `r[${n}]`;
}

/**
 * Shift_C of the value in the local `m` by a constant (type, amount as DecodeImmShift gives it):
 * sets `value` to the result expression and `carry` to the carry-out expression ("" = C unchanged).
 */
export class Shifted {
  value = "";
  carry = "";
  usesCarryIn = false;
}
export function shiftConst(type: number, amount: number, out: Shifted): void {
  out.usesCarryIn = false;
  if (amount === 0 && type !== SHIFT_RRX) {
    out.value = "m";
    out.carry = "";
    return;
  }
  switch (type) {
    case SHIFT_LSL:
      if (amount < 32) (out.value = `(m << ${amount})`), (out.carry = `((m >>> ${32 - amount}) & 1)`);
      else (out.value = "0"), (out.carry = amount === 32 ? "(m & 1)" : "0");
      return;
    case SHIFT_LSR:
      if (amount < 32) (out.value = `((m >>> ${amount}) | 0)`), (out.carry = `((m >>> ${amount - 1}) & 1)`);
      else (out.value = "0"), (out.carry = amount === 32 ? "(m >>> 31)" : "0");
      return;
    case SHIFT_ASR:
      if (amount < 32) (out.value = `(m >> ${amount})`), (out.carry = `((m >> ${amount - 1}) & 1)`);
      else (out.value = "(m >> 31)"), (out.carry = "(m >>> 31)");
      return;
    case SHIFT_ROR: {
      const n = amount & 31;
      if (n === 0) (out.value = "m"), (out.carry = "(m >>> 31)");
      else (out.value = `((m >>> ${n}) | (m << ${32 - n}))`), (out.carry = `((m >>> ${n - 1}) & 1)`);
      return;
    }
    default: // RRX
      out.value = "((m >>> 1) | (cf << 31))";
      out.carry = "(m & 1)";
      out.usesCarryIn = true;
  }
}
