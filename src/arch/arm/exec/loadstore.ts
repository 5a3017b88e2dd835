/**
 * Loads and stores: single (word, byte, halfword, signed, dual, unprivileged "T" forms, which behave
 * as the plain forms at PL0), multiple (LDM/STM/PUSH/POP), and exclusive (LDREX/STREX of every size).
 *
 * Every executor performs all its memory accesses before it writes a register, so a fault or an
 * I/O stop (GUEST_STOP thrown by the MMU) leaves the instruction restartable. Multi-location stores
 * probe their whole range for faults before writing anything.
 *
 * Single transfers: a = rt | rn << 4 | P << 8 | U << 9 | W << 10 | kind << 12 | rt2 << 16
 *   OP_LS_IMM  b = offset (unsigned; U gives the sign)
 *   OP_LS_REG  b = rm, c = shift type, d = shift amount
 * Multiple: a = rn | W << 4 | (P << 1 | U) << 5 | L << 7, b = register list.
 * Exclusive: a = rt | rn << 4 | size << 8 | rt2 << 12 | rd << 16 (rd: STREX status), b = offset.
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";
import { shiftValue } from "./alu.js";

export const LS_STR = 0, LS_STRB = 1, LS_STRH = 2, LS_LDR = 3, LS_LDRB = 4, LS_LDRH = 5, LS_LDRSB = 6;
export const LS_LDRSH = 7, LS_LDRD = 8, LS_STRD = 9;

export function packLs(kind: number, rt: number, rn: number, p: number, u: number, w: number, rt2 = 0): number {
  return rt | (rn << 4) | (p << 8) | (u << 9) | (w << 10) | (kind << 12) | (rt2 << 16);
}

function loadStore(cpu: ArmCpu, a: number, offset: number): void {
  const regs = cpu.regs, mmu = cpu.mmu;
  const rt = a & 15, rn = (a >>> 4) & 15;
  let base = regs[rn];
  if (rn === 15) base &= ~3; // literal addressing uses Align(PC, 4)
  const offAddr = (a & 0x200 ? base + offset : base - offset) | 0;
  const addr = a & 0x100 ? offAddr : base;
  const wback = (a & 0x100) === 0 || (a & 0x400) !== 0;
  let v: number;
  switch ((a >>> 12) & 15) {
    case LS_STR: mmu.write32(addr, regs[rt]); break;
    case LS_STRB: mmu.write8(addr, regs[rt] & 0xff); break;
    case LS_STRH: mmu.write16(addr, regs[rt] & 0xffff); break;
    case LS_STRD: {
      if (!cpu.alignmentFixup) mmu.checkAlign(addr, 3, true);
      mmu.probeWrite(addr, 8);
      mmu.write32(addr, regs[rt]);
      mmu.write32((addr + 4) | 0, regs[(a >>> 16) & 15]);
      break;
    }
    case LS_LDRD: {
      if (!cpu.alignmentFixup) mmu.checkAlign(addr, 3, false);
      const lo = mmu.read32(addr), hi = mmu.read32((addr + 4) | 0);
      if (wback) regs[rn] = offAddr;
      regs[rt] = lo;
      regs[(a >>> 16) & 15] = hi;
      return;
    }
    default: {
      switch ((a >>> 12) & 15) {
        case LS_LDR: v = mmu.read32(addr); break;
        case LS_LDRB: v = mmu.read8(addr); break;
        case LS_LDRH: v = mmu.read16(addr); break;
        case LS_LDRSB: v = (mmu.read8(addr) << 24) >> 24; break;
        default: v = (mmu.read16(addr) << 16) >> 16; break;
      }
      if (wback) regs[rn] = offAddr;
      if (rt === 15) cpu.bxWritePc(v);
      else regs[rt] = v;
      return;
    }
  }
  if (wback) regs[rn] = offAddr;
}

export const OP_LS_IMM = defineExecutor((cpu, a, offset) => loadStore(cpu, a, offset));

export const OP_LS_REG = defineExecutor((cpu, a, rm, type, amount) =>
  loadStore(cpu, a, shiftValue(cpu, cpu.regs[rm], type, amount)),
);

function popcount16(x: number): number {
  x = x - ((x >>> 1) & 0x5555);
  x = (x & 0x3333) + ((x >>> 2) & 0x3333);
  x = (x + (x >>> 4)) & 0x0f0f;
  return (x + (x >>> 8)) & 0x1f;
}

/** LDM / STM (all four modes), PUSH / POP. */
export const OP_LDM_STM = defineExecutor((cpu, a, list) => {
  const regs = cpu.regs, mmu = cpu.mmu;
  const rn = a & 15, mode = (a >>> 5) & 3, bytes = popcount16(list) * 4;
  const base = regs[rn];
  let addr: number;
  switch (mode) {
    case 0: addr = base - bytes + 4; break; // DA
    case 1: addr = base; break; // IA
    case 2: addr = base - bytes; break; // DB
    default: addr = base + 4; break; // IB
  }
  addr |= 0;
  if (!cpu.alignmentFixup) mmu.checkAlign(addr, 3, (a & 0x80) === 0);
  const wbValue = (mode & 1 ? base + bytes : base - bytes) | 0;
  if (a & 0x80) {
    const staging = cpu.staging;
    for (let i = 0, p = addr; i < 16; i++) {
      if (list & (1 << i)) {
        staging[i] = mmu.read32(p);
        p = (p + 4) | 0;
      }
    }
    if (a & 0x10) regs[rn] = wbValue;
    for (let i = 0; i < 15; i++) if (list & (1 << i)) regs[i] = staging[i];
    if (list & 0x8000) cpu.bxWritePc(staging[15]);
  } else {
    mmu.probeWrite(addr, bytes);
    for (let i = 0, p = addr; i < 16; i++) {
      if (list & (1 << i)) {
        mmu.write32(p, regs[i]);
        p = (p + 4) | 0;
      }
    }
    if (a & 0x10) regs[rn] = wbValue;
  }
});

/** LDREX{B,H,D}: marks the address for exclusive access. */
export const OP_LDREX = defineExecutor((cpu, a, offset) => {
  const regs = cpu.regs, mmu = cpu.mmu;
  const rt = a & 15, size = (a >>> 8) & 15;
  const addr = (regs[(a >>> 4) & 15] + offset) | 0;
  mmu.checkAlign(addr, size - 1, false);
  let v: number, hi = 0;
  switch (size) {
    case 1: v = mmu.read8(addr); break;
    case 2: v = mmu.read16(addr); break;
    case 4: v = mmu.read32(addr); break;
    default: v = mmu.read32(addr); hi = mmu.read32((addr + 4) | 0); break;
  }
  cpu.exclusiveAddress = addr;
  cpu.exclusiveSize = size;
  regs[rt] = v;
  if (size === 8) regs[(a >>> 12) & 15] = hi;
});

/** STREX{B,H,D}: stores only if the monitor holds this address; rd = 0 on success, 1 on failure. */
export const OP_STREX = defineExecutor((cpu, a, offset) => {
  const regs = cpu.regs, mmu = cpu.mmu;
  const rt = a & 15, size = (a >>> 8) & 15, rd = (a >>> 16) & 15;
  const addr = (regs[(a >>> 4) & 15] + offset) | 0;
  mmu.checkAlign(addr, size - 1, true);
  if (cpu.exclusiveAddress !== addr || cpu.exclusiveSize !== size) {
    // The write permission check still applies (a failing STREX to an unwritable page faults).
    mmu.probeWrite(addr, size);
    cpu.exclusiveAddress = -1;
    regs[rd] = 1;
    return;
  }
  switch (size) {
    case 1: mmu.write8(addr, regs[rt] & 0xff); break;
    case 2: mmu.write16(addr, regs[rt] & 0xffff); break;
    case 4: mmu.write32(addr, regs[rt]); break;
    default:
      mmu.probeWrite(addr, 8);
      mmu.write32(addr, regs[rt]);
      mmu.write32((addr + 4) | 0, regs[(a >>> 12) & 15]);
      break;
  }
  cpu.exclusiveAddress = -1;
  regs[rd] = 0;
});

