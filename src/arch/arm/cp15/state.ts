/**
 * The CP15 system-control state of one ARMv7-A processor (Non-secure PL1 view, as KVM presents it):
 * plain numeric fields, read directly on hot paths (the MMU reads SCTLR/TTBCR/TTBRs/DACR/remap
 * registers on every walk; exception entry reads SCTLR/VBAR).
 *
 * The declarative CP15 register *table* (coordinates, access rights, reset values, read/write
 * behaviour) lives next to this file and is the only code that writes these fields on behalf of
 * MRC/MCR/MRRC/MCRR, ONE_REG and reset. Other writers: exception entry (DFSR/DFAR/IFSR/IFAR) and
 * address translation operations (PAR).
 *
 * 64-bit registers are kept as two 32-bit halves (`…Lo` / `…Hi`): the 32-bit TTBR0/TTBR1 views are the
 * low words, as KVM's ONE_REG storage aliases them (reference kvm-arm32-abi.md §6.3).
 */
export class Cp15State {
  // c0: identification (invariant per model; MPIDR from the vCPU id)
  midr = 0;
  mpidr = 0;
  ctr = 0;
  clidr = 0;
  /** CSSELR: cache size selection (selects which CCSIDR reads) */
  csselr = 0;

  // c1: system control
  sctlr = 0;
  actlr = 0;
  cpacr = 0;

  // c2, c3: translation table base and control, domains
  ttbr0Lo = 0;
  ttbr0Hi = 0;
  ttbr1Lo = 0;
  ttbr1Hi = 0;
  ttbcr = 0;
  dacr = 0;

  // c5, c6: fault status and address
  dfsr = 0;
  ifsr = 0;
  adfsr = 0;
  aifsr = 0;
  dfar = 0;
  ifar = 0;

  // c7: PAR (64-bit; the 32-bit view is the low word)
  parLo = 0;
  parHi = 0;

  // c9: L2 control (implementation defined, A15/A7)
  l2ctlr = 0;

  // c10: memory region remap (PRRR/NMRR when TTBCR.EAE = 0; MAIR0/MAIR1 when EAE = 1: same storage)
  prrr = 0;
  nmrr = 0;
  amair0 = 0;
  amair1 = 0;

  // c12, c13: vectors, process and thread ids
  vbar = 0;
  contextidr = 0;
  tpidrurw = 0;
  tpidruro = 0;
  tpidrprw = 0;

  // c14: generic timer kernel control
  cntkctl = 0;
}

/** SCTLR bits used by the core. */
export const SCTLR_M = 1 << 0;
export const SCTLR_A = 1 << 1;
export const SCTLR_C = 1 << 2;
export const SCTLR_Z = 1 << 11;
export const SCTLR_I = 1 << 12;
export const SCTLR_V = 1 << 13;
export const SCTLR_WXN = 1 << 19;
export const SCTLR_UWXN = 1 << 20;
export const SCTLR_EE = 1 << 25;
export const SCTLR_TRE = 1 << 28;
export const SCTLR_AFE = 1 << 29;
export const SCTLR_TE = 1 << 30;

/** TTBCR.EAE: long-descriptor (LPAE) translation and fault-status format. */
export const TTBCR_EAE = 1 << 31;
