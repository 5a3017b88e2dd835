/**
 * Privileged and mode-changing instructions (ARM ARM B9): MRS/MSR of CPSR and SPSR (register,
 * immediate and banked forms), CPS, SRS, RFE, LDM/STM of the User bank, LDM with ^ and PC, the
 * data-processing exception returns (SUBS PC, LR and friends), ERET.
 *
 * Every executor that can change the mode or the interrupt masks signals STOP_EVENT
 * (`cpu.signalStateChange`) so translated blocks end there and the run loop re-checks interrupts.
 * At PL0 the privileged fields are ignored as CPSRWriteByInstr specifies; an exception return at
 * PL0 or in System mode (no SPSR: UNPREDICTABLE) is performed as a plain branch.
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";
import { STOP_UNDEFINED } from "../stop.js";
import {
  MODE_FIQ, MODE_SYS, MODE_USR, NO_ITSTATE, currentSpsr, exceptionReturn, hasSpsr, isValidMode,
  setUserRegister, spIndex, spsrIndex, switchMode, userRegister,
} from "../exceptions.js";
import { DP_ADC, DP_ADD, DP_AND, DP_BIC, DP_EOR, DP_MOV, DP_MVN, DP_ORR, DP_RSB, DP_RSC, DP_SBC, DP_SUB, shift } from "./alu.js";

function undefinedHere(cpu: ArmCpu): void {
  cpu.stopInfo.insn = cpu.currentInsn() >>> 0;
  cpu.stopHere(STOP_UNDEFINED);
}

/**
 * CPSRWriteByInstr (MSR CPSR / CPS): bytemask bit 3 = f (NZCVQ), 2 = s (GE), 1 = x (E, A), 0 = c
 * (I, F, M). The execution-state bits (IT, J, T) are never written by MSR.
 */
export function writeCpsrByInstr(cpu: ArmCpu, v: number, mask: number): void {
  const privileged = cpu.mode !== MODE_USR;
  cpu.writeApsr(v, (mask & 8) !== 0, (mask & 4) !== 0);
  let changed = false;
  if (mask & 2) {
    cpu.setBigEndian((v & (1 << 9)) !== 0);
    if (privileged) cpu.aif = (cpu.aif & 3) | ((v >>> 6) & 4);
    changed = privileged;
  }
  if ((mask & 1) && privileged) {
    cpu.aif = (cpu.aif & 4) | ((v >>> 6) & 3);
    const mode = v & 0x1f;
    if (isValidMode(mode)) switchMode(cpu, mode); // Monitor/Hyp/reserved: UNPREDICTABLE, ignored
    changed = true;
  }
  if (changed) cpu.signalStateChange(NO_ITSTATE);
}

/** MRS rd, CPSR|SPSR: a = rd, b = 1 for SPSR. CPSR reads with IT, J and T as zero. */
export const OP_MRS_PSR = defineExecutor((cpu, rd, spsr) => {
  if (spsr) {
    if (!hasSpsr(cpu)) return undefinedHere(cpu); // User/System: UNPREDICTABLE, UNDEFINED here
    cpu.regs[rd] = currentSpsr(cpu);
  } else cpu.regs[rd] = cpu.cpsr & 0xf8ff03df;
});

/** MSR CPSR|SPSR_<fields>: a = value source (register number, or the immediate), b = mask | R << 4 | imm << 5. */
export const OP_MSR_PSR = defineExecutor((cpu, src, flags) => {
  const v = flags & 32 ? src : cpu.regs[src];
  const mask = flags & 15;
  if (flags & 16) {
    const i = spsrIndex(cpu.mode);
    if (i < 0) return undefinedHere(cpu); // User/System: UNPREDICTABLE, UNDEFINED here
    let m = 0;
    if (mask & 8) m |= 0xff000000;
    if (mask & 4) m |= 0x00ff0000;
    if (mask & 2) m |= 0x0000ff00;
    if (mask & 1) m |= 0x000000ff;
    cpu.banked[i] = (cpu.banked[i] & ~m) | (v & m);
  } else writeCpsrByInstr(cpu, v, mask);
});

/**
 * Banked-register index in struct kvm_regs for MRS/MSR (banked) SYSm (R = 0): r8–r14 of User and
 * FIQ, SP/LR of IRQ, SVC, ABT, UND (ARM ARM B9.2.3); the mode owning it, or -1 when not encodable.
 */
function bankedIndex(sysm: number, spsr: boolean): number {
  if (spsr) return sysm === 0x0e ? 37 : sysm === 0x10 ? 29 : sysm === 0x12 ? 20 : sysm === 0x14 ? 23 : sysm === 0x16 ? 26 : -1;
  if (sysm <= 6) return 8 + sysm; // r8_usr .. lr_usr
  if (sysm >= 8 && sysm <= 14) return 30 + (sysm - 8); // r8_fiq .. lr_fiq
  switch (sysm) {
    case 0x10: return 28; // LR_irq
    case 0x11: return 27; // SP_irq
    case 0x12: return 19; // LR_svc
    case 0x13: return 18;
    case 0x14: return 22; // LR_abt
    case 0x15: return 21;
    case 0x16: return 25; // LR_und
    case 0x17: return 24;
    default: return -1;
  }
}

function bankedOwner(index: number): number {
  if (index >= 30) return MODE_FIQ;
  if (index <= 14) return MODE_USR;
  return index <= 20 ? 0x13 : index <= 23 ? 0x17 : index <= 26 ? 0x1b : 0x12;
}

/**
 * MRS/MSR (banked): a = rd/rn, b = SYSm | R << 5, c = 1 for MSR. UNPREDICTABLE cases (the current
 * mode's own register, PL0, unencodable SYSm) are UNDEFINED here.
 */
export const OP_BANKED = defineExecutor((cpu, rt, sys, write) => {
  const index = bankedIndex(sys & 31, (sys & 32) !== 0);
  if (cpu.mode === MODE_USR || index < 0) return undefinedHere(cpu);
  const owner = bankedOwner(index);
  const current = cpu.mode === MODE_SYS ? MODE_USR : cpu.mode;
  if (owner === current) return undefinedHere(cpu);
  // the register's storage: the bank, unless it is live in `regs` (r8–r12 usr/fiq outside that mode)
  let live = -1;
  if (index >= 8 && index <= 12 && cpu.mode !== MODE_FIQ) live = index;
  if (index >= 30 && index <= 34 && cpu.mode === MODE_FIQ) live = index - 22;
  if (write) {
    if (live >= 0) cpu.regs[live] = cpu.regs[rt];
    else cpu.banked[index] = cpu.regs[rt];
  } else cpu.regs[rt] = live >= 0 ? cpu.regs[live] : cpu.banked[index];
});

/** CPS: a = imod (2 enable, 3 disable, 0 none), b = AIF bits (A 4, I 2, F 1), c = mode or -1. PL0: no effect. */
export const OP_CPS = defineExecutor((cpu, imod, aif, mode) => {
  if (cpu.mode === MODE_USR) return;
  if (imod === 2) cpu.aif &= ~aif;
  else if (imod === 3) cpu.aif |= aif;
  if (mode >= 0 && isValidMode(mode)) switchMode(cpu, mode);
  cpu.signalStateChange(NO_ITSTATE);
});

/** SRS{DA,IA,DB,IB} SP{!}, #mode: a = mode, b = P << 1 | U, c = W. Stores LR and SPSR. */
export const OP_SRS = defineExecutor((cpu, mode, pu, wback) => {
  if (cpu.mode === MODE_USR || !hasSpsr(cpu) || !isValidMode(mode) || mode === MODE_USR) return undefinedHere(cpu);
  const same = mode === cpu.mode || (mode === MODE_SYS && cpu.mode === MODE_USR);
  const spI = spIndex(mode);
  const base = same ? cpu.regs[13] : cpu.banked[spI];
  const addr = (pu === 0 ? base - 4 : pu === 1 ? base : pu === 2 ? base - 8 : base + 4) | 0;
  const mmu = cpu.mmu;
  mmu.checkAlign(addr, 3, true);
  mmu.probeWrite(addr, 8);
  mmu.write32(addr, cpu.regs[14]);
  mmu.write32((addr + 4) | 0, currentSpsr(cpu));
  if (wback) {
    const nb = (pu & 1 ? base + 8 : base - 8) | 0;
    if (same) cpu.regs[13] = nb;
    else cpu.banked[spI] = nb;
  }
});

/** RFE{DA,IA,DB,IB} Rn{!}: a = rn, b = P << 1 | U, c = W. Loads PC and CPSR. */
export const OP_RFE = defineExecutor((cpu, rn, pu, wback) => {
  if (cpu.mode === MODE_USR) return undefinedHere(cpu);
  const base = cpu.regs[rn];
  const addr = (pu === 0 ? base - 4 : pu === 1 ? base : pu === 2 ? base - 8 : base + 4) | 0;
  const mmu = cpu.mmu;
  mmu.checkAlign(addr, 3, false);
  const pc = mmu.read32(addr);
  const psr = mmu.read32((addr + 4) | 0);
  if (wback) cpu.regs[rn] = (pu & 1 ? base + 8 : base - 8) | 0;
  exceptionReturn(cpu, pc, psr >>> 0);
});

/** Exception return to `addr` with CPSR = SPSR (or a plain branch where there is no SPSR). */
function returnFromException(cpu: ArmCpu, addr: number): void {
  if (hasSpsr(cpu)) exceptionReturn(cpu, addr, currentSpsr(cpu));
  else cpu.aluWritePc(addr);
}

/**
 * SUBS PC, LR, #imm and the other data-processing exception returns (S = 1, Rd = PC):
 * a = op | rn << 4 | reg << 8 (reg: b is Rm with shift c by d; else b = imm32).
 */
export const OP_DP_RETURN = defineExecutor((cpu, a, b, c, d) => {
  const n = cpu.regs[(a >>> 4) & 15];
  const op2 = a & 0x100 ? shift(cpu, cpu.regs[b], c, d) : b;
  let r: number;
  switch (a & 15) {
    case DP_AND: r = n & op2; break;
    case DP_EOR: r = n ^ op2; break;
    case DP_SUB: r = n - op2; break;
    case DP_RSB: r = op2 - n; break;
    case DP_ADD: r = n + op2; break;
    case DP_ADC: r = n + op2 + cpu.cf; break;
    case DP_SBC: r = n - op2 - 1 + cpu.cf; break;
    case DP_RSC: r = op2 - n - 1 + cpu.cf; break;
    case DP_ORR: r = n | op2; break;
    case DP_MOV: r = op2; break;
    case DP_BIC: r = n & ~op2; break;
    case DP_MVN: r = ~op2; break;
    default: return undefinedHere(cpu);
  }
  returnFromException(cpu, r | 0);
});

/** ERET outside Hyp mode: behaves as SUBS PC, LR, #0. */
export const OP_ERET = defineExecutor((cpu) => {
  returnFromException(cpu, cpu.regs[14]);
});

function popcount16(v: number): number {
  let n = 0;
  for (let x = v & 0xffff; x; x &= x - 1) n++;
  return n;
}

/**
 * LDM/STM with ^: a = rn | W << 4 | (P << 1 | U) << 5 | L << 7, b = register list.
 * Without PC in a load list (and for stores) the registers are the User bank's; LDM with PC is an
 * exception return (current-mode registers, then CPSR = SPSR).
 */
export const OP_LDM_STM_USER = defineExecutor((cpu, a, list) => {
  if (cpu.mode === MODE_USR) return undefinedHere(cpu); // UNPREDICTABLE at PL0
  const regs = cpu.regs, mmu = cpu.mmu;
  const rn = a & 15, mode = (a >>> 5) & 3, bytes = popcount16(list) * 4;
  const base = regs[rn];
  const addr = (mode === 0 ? base - bytes + 4 : mode === 1 ? base : mode === 2 ? base - bytes : base + 4) | 0;
  mmu.checkAlign(addr, 3, (a & 0x80) === 0);
  const wbValue = (mode & 1 ? base + bytes : base - bytes) | 0;
  if (a & 0x80) {
    const staging = cpu.staging;
    for (let i = 0, p = addr; i < 16; i++) {
      if (list & (1 << i)) {
        staging[i] = mmu.read32(p);
        p = (p + 4) | 0;
      }
    }
    if (list & 0x8000) {
      if (a & 0x10) regs[rn] = wbValue;
      for (let i = 0; i < 15; i++) if (list & (1 << i)) regs[i] = staging[i];
      returnFromException(cpu, staging[15]);
    } else {
      for (let i = 0; i < 15; i++) if (list & (1 << i)) setUserRegister(cpu, i, staging[i]);
    }
  } else {
    mmu.probeWrite(addr, bytes);
    for (let i = 0, p = addr; i < 16; i++) {
      if (list & (1 << i)) {
        mmu.write32(p, i === 15 ? regs[15] : userRegister(cpu, i));
        p = (p + 4) | 0;
      }
    }
  }
});
