/**
 * Per-model CP15 data: the values a Cortex-A15 or Cortex-A7 vCPU shows for its invariant ID
 * registers (reference kvm-arm32-abi.md §6.2, §6.4) and the reset values that differ (§6.3).
 * The data lives in cortex-a15.ts / cortex-a7.ts; the register table (table.ts) reads it.
 */
export interface Cp15Model {
  readonly midr: number;
  readonly ctr: number;
  readonly tcmtr: number;
  readonly tlbtr: number;
  readonly revidr: number;
  readonly clidr: number;
  readonly aidr: number;
  /** ID_PFR0, ID_PFR1, ID_DFR0, ID_AFR0, ID_MMFR0..3 (c0, c1, op2 0..7) */
  readonly idC1: readonly number[];
  /** ID_ISAR0..5 (c0, c2, op2 0..5) */
  readonly idIsar: readonly number[];
  /** CCSIDR by CSSELR value (0 L1 D, 1 L1 I, 2 L2 unified); absent selectors read 0. */
  readonly ccsidr: readonly number[];
  readonly sctlrReset: number;
  /** Host ACTLR (bit 6, SMP, is set from the vCPU count). */
  readonly actlr: number;
  /** Host L2CTLR (bits 25..24 are set from the vCPU count). */
  readonly l2ctlr: number;
  /** Host MPIDR bits 31..30 (M = 1, U = 0 on an SMP host). */
  readonly mpidrHigh: number;
}
