/**
 * The seam between the CP15 table and the MMU (mmu.ts, owned by the MMU engineer): TLB maintenance,
 * address translation operations, and "the translation regime changed" (SCTLR, TTBRs, TTBCR, DACR,
 * CONTEXTIDR writes). Each call uses the MMU's targeted operation when it provides one and otherwise
 * drops every cached translation, which is always correct (a TLB may forget entries at any time).
 */
import type { ArmCpu } from "../cpu.js";

interface MmuMaintenance {
  tlbInvalidateAll?(): void;
  tlbInvalidateByMva?(mva: number): void;
  tlbInvalidateByAsid?(asid: number): void;
  tlbInvalidateByMvaAllAsid?(mva: number): void;
  /** ATS1C**: translate `va` as a PL1 (or, with `user`, PL0) read or write and write PAR. */
  ats1?(va: number, write: boolean, user: boolean): void;
  /** SCTLR/TTBR/TTBCR/DACR/CONTEXTIDR changed. */
  translationRegimeChanged?(): void;
  /** DACR alone changed. */
  dacrChanged?(): void;
}

const mmuOf = (cpu: ArmCpu): MmuMaintenance => cpu.mmu as unknown as MmuMaintenance;

export function translationChanged(cpu: ArmCpu): void {
  const mmu = mmuOf(cpu);
  if (mmu.translationRegimeChanged) {
    mmu.translationRegimeChanged();
    cpu.flushCodeMap();
  } else cpu.flushTlb();
}

/** DACR written: the MMU's targeted update when it has one, else the whole regime. */
export function domainAccessChanged(cpu: ArmCpu): void {
  const mmu = mmuOf(cpu);
  if (mmu.dacrChanged) mmu.dacrChanged();
  else translationChanged(cpu);
}

export function tlbInvalidateAll(cpu: ArmCpu): void {
  const mmu = mmuOf(cpu);
  if (mmu.tlbInvalidateAll) mmu.tlbInvalidateAll();
  else cpu.mmu.flush();
  cpu.flushCodeMap();
}

export function tlbInvalidateMva(cpu: ArmCpu, mva: number): void {
  const mmu = mmuOf(cpu);
  if (mmu.tlbInvalidateByMva) mmu.tlbInvalidateByMva(mva);
  else cpu.mmu.flush();
  cpu.flushCodeMap();
}

export function tlbInvalidateAsid(cpu: ArmCpu, asid: number): void {
  const mmu = mmuOf(cpu);
  if (mmu.tlbInvalidateByAsid) mmu.tlbInvalidateByAsid(asid & 0xff);
  else cpu.mmu.flush();
  cpu.flushCodeMap();
}

export function tlbInvalidateMvaAllAsid(cpu: ArmCpu, mva: number): void {
  const mmu = mmuOf(cpu);
  if (mmu.tlbInvalidateByMvaAllAsid) mmu.tlbInvalidateByMvaAllAsid(mva);
  else cpu.mmu.flush();
  cpu.flushCodeMap();
}

/**
 * ATS1CPR/CPW/CUR/CUW. Without an MMU translation (flat VA = PA) the result is the input address
 * with the format TTBCR.EAE selects: short PAR = PA[31:12] (attributes 0), long PAR = LPAE bit 11.
 */
export function atsOperation(cpu: ArmCpu, va: number, write: boolean, user: boolean): void {
  const mmu = mmuOf(cpu);
  if (mmu.ats1) {
    mmu.ats1(va, write, user);
    return;
  }
  const cp = cpu.cp15;
  if (cp.ttbcr & 0x80000000) {
    cp.parLo = ((va & ~0xfff) | (1 << 11)) >>> 0;
    cp.parHi = 0;
  } else {
    cp.parLo = (va & ~0xfff) >>> 0;
    cp.parHi = 0;
  }
}
