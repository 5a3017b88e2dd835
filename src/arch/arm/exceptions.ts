/**
 * Processor modes, banked registers, exception entry and exception return for the ARMv7-A core as a
 * KVM guest sees it (PL1 Non-secure, no Monitor or Hyp mode visible).
 *
 * Banked storage: `cpu.regs` is always the current mode's view (r0–r15), so executors never care
 * about modes. `cpu.banked` (38 words) uses the layout of KVM's `struct kvm_regs` (reference
 * kvm-arm32-abi.md §5.2) for every register *not* currently in `regs`, and always holds the SPSRs:
 *   8..12 r8–r12 (non-FIQ), 13/14 SP/LR usr+sys, 18..20 svc SP/LR/SPSR, 21..23 abt, 24..26 und,
 *   27..29 irq, 30..34 r8_fiq–r12_fiq, 35/36/37 fiq SP/LR/SPSR.
 * A mode change swaps SP/LR (and r8–r12 when entering or leaving FIQ) between the two.
 * `coreRegister`/`setCoreRegister` read and write any `struct kvm_regs` index whatever the mode.
 *
 * Exception entry (ARM ARM B1.8): SPSR_<mode> = CPSR, LR_<mode> = the per-exception return link,
 * CPSR.M = target mode, I set, A set for aborts/IRQ/FIQ, F set for FIQ (and reset), IT cleared,
 * T = SCTLR.TE, E = SCTLR.EE, PC = vector base (SCTLR.V ? 0xFFFF0000 : VBAR) + offset.
 *
 * Exception return (`exceptionReturn`): CPSR = SPSR of the current mode, PC = the computed address
 * aligned for the restored instruction set. With no SPSR (User/System mode: UNPREDICTABLE) the
 * return is a plain branch. An SPSR naming a mode that does not exist here (Monitor, Hyp, reserved
 * encodings) keeps the current mode (our documented choice for that UNPREDICTABLE case).
 */
import type { ArmCpu } from "./cpu.js";
import { SCTLR_EE, SCTLR_TE, SCTLR_V } from "./cp15/state.js";
import {
  FAULT_ALIGNMENT, FAULT_DEBUG, FAULT_EXTERNAL, FAULT_NONE, FAULT_PERMISSION, FAULT_TRANSLATION, StopInfo,
  encodeFsrLong, encodeFsrShort,
} from "./stop.js";

export const MODE_USR = 0x10;
export const MODE_FIQ = 0x11;
export const MODE_IRQ = 0x12;
export const MODE_SVC = 0x13;
export const MODE_ABT = 0x17;
export const MODE_UND = 0x1b;
export const MODE_SYS = 0x1f;

/** CPSR A, I, F as kept in `cpu.aif` (CPSR bits 8..6). */
export const AIF_A = 4;
export const AIF_I = 2;
export const AIF_F = 1;

/** Vector offsets. */
export const VECTOR_RESET = 0x00;
export const VECTOR_UNDEFINED = 0x04;
export const VECTOR_SVC = 0x08;
export const VECTOR_PREFETCH_ABORT = 0x0c;
export const VECTOR_DATA_ABORT = 0x10;
export const VECTOR_IRQ = 0x18;
export const VECTOR_FIQ = 0x1c;

/** A mode this vCPU implements (what MSR/CPS/exception return may switch to). */
export function isValidMode(m: number): boolean {
  return m === MODE_USR || m === MODE_FIQ || m === MODE_IRQ || m === MODE_SVC || m === MODE_ABT ||
    m === MODE_UND || m === MODE_SYS;
}

/** Index in `banked` (struct kvm_regs) of the mode's SP; its LR is the next word. */
export function spIndex(mode: number): number {
  switch (mode) {
    case MODE_SVC: return 18;
    case MODE_ABT: return 21;
    case MODE_UND: return 24;
    case MODE_IRQ: return 27;
    case MODE_FIQ: return 35;
    default: return 13; // USR, SYS
  }
}

/** Index in `banked` of the mode's SPSR, -1 for User and System mode (no SPSR). */
export function spsrIndex(mode: number): number {
  switch (mode) {
    case MODE_SVC: return 20;
    case MODE_ABT: return 23;
    case MODE_UND: return 26;
    case MODE_IRQ: return 29;
    case MODE_FIQ: return 37;
    default: return -1;
  }
}

/** Switch `regs` to the view of `mode` (a valid mode), saving the old mode's banked registers. */
export function switchMode(cpu: ArmCpu, mode: number): void {
  const old = cpu.mode;
  if (old === mode) return;
  const r = cpu.regs, b = cpu.banked;
  const oi = spIndex(old), ni = spIndex(mode);
  b[oi] = r[13];
  b[oi + 1] = r[14];
  if ((old === MODE_FIQ) !== (mode === MODE_FIQ)) {
    if (old === MODE_FIQ) {
      for (let i = 8; i <= 12; i++) (b[i + 22] = r[i]), (r[i] = b[i]);
    } else {
      for (let i = 8; i <= 12; i++) (b[i] = r[i]), (r[i] = b[i + 22]);
    }
  }
  r[13] = b[ni];
  r[14] = b[ni + 1];
  cpu.mode = mode;
  if ((old === MODE_USR) !== (mode === MODE_USR)) cpu.privilegeChanged();
}

/** Where register `index` of struct kvm_regs lives now: `regs` index, or -1 for `banked[index]`. */
function liveIndex(cpu: ArmCpu, index: number): number {
  if (index < 8 || index === 15) return index;
  const mode = cpu.mode;
  if (index <= 12) return mode === MODE_FIQ ? -1 : index;
  if (index >= 30 && index <= 34) return mode === MODE_FIQ ? index - 22 : -1;
  const sp = spIndex(mode);
  if (index === sp) return 13;
  if (index === sp + 1) return 14;
  return -1;
}

/** Read struct kvm_regs word `index` (0..37) whatever the current mode (16 = CPSR). */
export function coreRegister(cpu: ArmCpu, index: number): number {
  if (index === 16) return cpu.cpsr;
  if (index === 15) return cpu.pc;
  const live = liveIndex(cpu, index);
  return (live >= 0 ? cpu.regs[live] : cpu.banked[index]) >>> 0;
}

/** Write struct kvm_regs word `index` (0..37); 16 writes the whole CPSR (mode switch included). */
export function setCoreRegister(cpu: ArmCpu, index: number, value: number): void {
  if (index === 16) {
    cpu.cpsr = value;
    return;
  }
  if (index === 15) {
    cpu.regs[15] = value & ~1;
    return;
  }
  const live = liveIndex(cpu, index);
  if (live >= 0) cpu.regs[live] = value;
  else cpu.banked[index] = value;
}

/** User-mode register `i` (8..14) as LDM/STM with ^ (user bank) see it from the current mode. */
export function userRegister(cpu: ArmCpu, i: number): number {
  const mode = cpu.mode;
  if (i < 8 || mode === MODE_USR || mode === MODE_SYS) return cpu.regs[i];
  if (i <= 12) return mode === MODE_FIQ ? cpu.banked[i] : cpu.regs[i];
  return cpu.banked[i]; // 13, 14: SP_usr, LR_usr
}

export function setUserRegister(cpu: ArmCpu, i: number, v: number): void {
  const mode = cpu.mode;
  if (i < 8 || mode === MODE_USR || mode === MODE_SYS) cpu.regs[i] = v;
  else if (i <= 12 && mode !== MODE_FIQ) cpu.regs[i] = v;
  else cpu.banked[i] = v;
}

/**
 * Take an exception into `mode` at `offset` in the vector table; `lr` is the link value. Leaves
 * `pcCur`/`nextPc` at the vector.
 */
export function enterException(cpu: ArmCpu, mode: number, offset: number, lr: number, mask: number): void {
  const saved = cpu.cpsr;
  switchMode(cpu, mode);
  cpu.banked[spsrIndex(mode)] = saved;
  cpu.regs[14] = lr;
  cpu.aif |= mask;
  cpu.itstate = 0;
  const sctlr = cpu.cp15.sctlr;
  cpu.setThumb((sctlr & SCTLR_TE) !== 0);
  cpu.setBigEndian((sctlr & SCTLR_EE) !== 0);
  const base = sctlr & SCTLR_V ? 0xffff0000 : cpu.cp15.vbar & ~31;
  cpu.pcCur = cpu.nextPc = (base + offset) | 0;
  cpu.exclusiveAddress = -1;
}

/** The ITSTATE an exception return restored (the run loop re-applies it after the instruction). */
export const NO_ITSTATE = -1;

/**
 * CPSR = SPSR, branch to `addr`: SUBS PC, LR / MOVS PC and the other data-processing forms, LDM with
 * ^ and PC, RFE (which passes the loaded CPSR in `spsr`), ERET.
 */
export function exceptionReturn(cpu: ArmCpu, addr: number, spsr: number): void {
  writeCpsrByReturn(cpu, spsr);
  cpu.nextPc = cpu.thumb ? addr & ~1 : addr & ~3;
  cpu.signalStateChange(cpu.itstate);
}

/** SPSR of the current mode (the CPSR in User/System mode, which have none: see `hasSpsr`). */
export function currentSpsr(cpu: ArmCpu): number {
  const i = spsrIndex(cpu.mode);
  return i < 0 ? cpu.cpsr : cpu.banked[i] >>> 0;
}

export function hasSpsr(cpu: ArmCpu): boolean {
  return spsrIndex(cpu.mode) >= 0;
}

/** Exception-return CPSR write: every field, mode only if valid (and never above PL1). */
function writeCpsrByReturn(cpu: ArmCpu, v: number): void {
  const mode = v & 0x1f;
  cpu.cpsr = isValidMode(mode) ? v : (v & ~0x1f) | cpu.mode;
}

// ------------------------------------------------------------------ fault status

/**
 * The DFSR/IFSR value for the abort in `info`, from the type/level/domain the MMU reported
 * (stop.ts encoders, format chosen by TTBCR.EAE at the time of the fault). Aborts reported with a
 * bare short-descriptor `status` (no `faultType`) are mapped through it.
 */
export function abortFsr(info: StopInfo): number {
  if (info.faultType === FAULT_NONE) {
    const fs = (info.status & 0xf) | ((info.status >>> 6) & 0x10);
    info.faultType = fs === 0x01 ? FAULT_ALIGNMENT : fs === 0x05 || fs === 0x07 ? FAULT_TRANSLATION
      : fs === 0x0d || fs === 0x0f ? FAULT_PERMISSION : fs === 0x02 ? FAULT_DEBUG : FAULT_EXTERNAL;
    info.faultLevel = fs === 0x05 || fs === 0x0d ? 1 : 2;
  }
  const v = info.faultLong ? encodeFsrLong(info) : encodeFsrShort(info);
  info.faultType = FAULT_NONE; // consumed: a later abort reported without a type must not reuse it
  return v;
}
