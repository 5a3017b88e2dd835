// A vGIC driven directly (no VM): the frames at QEMU virt's addresses (reference §10.6), register
// offsets typed in from ARM IHI 0048B §4.1.2/§4.1.3 and reference §10.2/§10.3 (not imported from
// src/, so the tests check the implementation against the documents).
import { Vgic } from "../../../../src/kvm/arm/vgic/index.js";

export const DIST = 0x08000000;
export const CPUIF = 0x08010000;

export const D = {
  CTLR: 0x000, TYPER: 0x004, IIDR: 0x008, IGROUPR: 0x080, ISENABLER: 0x100, ICENABLER: 0x180,
  ISPENDR: 0x200, ICPENDR: 0x280, ISACTIVER: 0x300, ICACTIVER: 0x380, IPRIORITYR: 0x400,
  ITARGETSR: 0x800, ICFGR: 0xc00, SGIR: 0xf00, CPENDSGIR: 0xf10, SPENDSGIR: 0xf20,
} as const;

export const C = {
  CTLR: 0x000, PMR: 0x004, BPR: 0x008, IAR: 0x00c, EOIR: 0x010, RPR: 0x014, HPPIR: 0x018, ABPR: 0x01c,
  AIAR: 0x020, AEOIR: 0x024, AHPPIR: 0x028, APR0: 0x0d0, IIDR: 0x0fc, DIR: 0x1000,
} as const;

/** KVM_ARM_IRQ_TYPE_* (reference §3.5). */
export const IRQ_TYPE = { CPU: 0, SPI: 1, PPI: 2 } as const;

export interface Gic {
  vgic: Vgic;
  /** Current IRQ/FIQ outputs per CPU as reported through setIrqLines. */
  lines: { irq: boolean; fiq: boolean }[];
  /** Number of setIrqLines calls. */
  reports: () => number;
  dr(cpu: number, off: number, size?: number): number;
  dw(cpu: number, off: number, value: number, size?: number): void;
  cr(cpu: number, off: number, size?: number): number;
  cw(cpu: number, off: number, value: number, size?: number): void;
}

/** A vGIC for `cpus` vCPUs, with both frames set and first-run done (ready). */
export function readyGic(cpus: number, nrIrqs?: number): Gic {
  const g = newGic(cpus);
  if (nrIrqs !== undefined && g.vgic.setNrIrqs(nrIrqs) !== 0) throw new Error("setNrIrqs");
  if (g.vgic.setAddress(0, BigInt(DIST)) !== 0 || g.vgic.setAddress(1, BigInt(CPUIF)) !== 0) throw new Error("addr");
  if (g.vgic.firstRun() !== 0) throw new Error("firstRun");
  return g;
}

export function newGic(cpus: number, vcpuBusy?: () => boolean): Gic {
  const lines = Array.from({ length: 8 }, () => ({ irq: false, fiq: false }));
  let reports = 0;
  const vgic = new Vgic({
    vcpuCount: () => cpus,
    setIrqLines: (i, irq, fiq) => {
      reports++;
      lines[i] = { irq, fiq };
    },
    vcpuBusy,
  });
  return {
    vgic,
    lines,
    reports: () => reports,
    dr: (cpu, off, size = 4) => vgic.mmioRead(cpu, DIST + off, size),
    dw: (cpu, off, value, size = 4) => vgic.mmioWrite(cpu, DIST + off, size, value),
    cr: (cpu, off, size = 4) => vgic.mmioRead(cpu, CPUIF + off, size),
    cw: (cpu, off, value, size = 4) => vgic.mmioWrite(cpu, CPUIF + off, size, value),
  };
}

/**
 * Distributor and CPU interface `cpu` switched on (GICD_CTLR.Enable, GICC_CTLR = ctlr, PMR 0xF8), and
 * SPI/PPI `intid` enabled at `prio`, targeted at `cpu` if an SPI.
 */
export function enableIrq(g: Gic, cpu: number, intid: number, prio: number, ctlr = 1): void {
  g.dw(cpu, D.CTLR, 1);
  g.cw(cpu, C.CTLR, ctlr);
  g.cw(cpu, C.PMR, 0xf8);
  g.dw(cpu, D.IPRIORITYR + intid, prio, 1);
  if (intid >= 32) g.dw(cpu, D.ITARGETSR + intid, 1 << cpu, 1);
  g.dw(cpu, D.ISENABLER + 4 * (intid >> 5), 1 << (intid & 31));
}

/** Whether `intid`'s bit is set in the one-bit-per-interrupt register bank at `base`, for `cpu`. */
export function bit(g: Gic, cpu: number, base: number, intid: number): boolean {
  return ((g.dr(cpu, base + 4 * (intid >> 5)) >>> (intid & 31)) & 1) === 1;
}
