/**
 * The CP15 register table: one declarative entry per register or operation (coordinates, access
 * rights, what KVM's ONE_REG shows of it, reset, read/write behaviour). It drives MRC/MCR/MRRC/MCRR
 * (exec/system.ts), architectural reset, and the register list the KVM layer exposes through
 * ONE_REG / KVM_GET_REG_LIST (`kvmCp15Registers`, `kvmCp15Id`). Anything not in the table is
 * UNDEFINED (what KVM injects for a trapped encoding it does not emulate).
 *
 * Register set and reset values: reference kvm-arm32-abi.md §6.2–§6.4 (Cortex-A15/A7 under KVM).
 * Timer registers are backed by timer.ts; TLB maintenance and ATS1C* go to the MMU (mmu-ops.ts).
 * Cache maintenance is architecturally harmless here: decoded code is tracked by physical page and
 * dropped on any write to it, so instruction-cache invalidation has nothing left to do.
 */
import type { ArmCpu } from "../cpu.js";
import { armCp15Reg32, armCp15Reg64 } from "../../../abi/one-reg-arm.js";
import type { Cp15Model } from "./model.js";
import { atsOperation, domainAccessChanged, tlbInvalidateAll, tlbInvalidateAsid, tlbInvalidateMva, tlbInvalidateMvaAllAsid, translationChanged } from "./mmu-ops.js";

export const PL0_R = 1, PL0_W = 2, PL1_R = 4, PL1_W = 8;
const PL1_RW = PL1_R | PL1_W, RO = PL1_R, WO = PL1_W;

/** How KVM presents the register through ONE_REG (reference §6). */
export const KVM_HIDDEN = 0, KVM_INVARIANT = 1, KVM_SAVED = 2;

export interface Cp15Register {
  readonly name: string;
  /** A 64-bit MRRC/MCRR register (crn and op2 are 0). */
  readonly wide: boolean;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
  /** PL0_R | PL0_W | PL1_R | PL1_W */
  readonly access: number;
  /** Extra PL0 gate (CNTKCTL, SCTLR.CP15BEN); PL0 access needs the access bit and this. */
  readonly pl0Gate?: (cpu: ArmCpu) => boolean;
  readonly kvm: number;
  /** Value (the low word of a 64-bit register; its high word goes to `wideHi.value`). */
  read(cpu: ArmCpu): number;
  write(cpu: ArmCpu, lo: number, hi: number): void;
  /** Architectural reset (absent: reset leaves the register alone). */
  reset?(cpu: ArmCpu, model: Cp15Model): void;
}

/** High word of the last 64-bit register read (no allocation per MRRC). */
export const wideHi = { value: 0 };

const UNKNOWN = 0xdecafbad, UNKNOWN_HI = 0xd0c0ffee;
const nop = (): void => {};
const zero = (): number => 0;

type Spec = Partial<Cp15Register> & Pick<Cp15Register, "name" | "access" | "read">;
const TABLE: Cp15Register[] = [];
const BY_KEY32 = new Map<number, Cp15Register>();
const BY_KEY64 = new Map<number, Cp15Register>();

export function key32(op1: number, crn: number, crm: number, op2: number): number {
  return (op1 << 12) | (crn << 8) | (crm << 4) | op2;
}
export function key64(op1: number, crm: number): number {
  return (op1 << 4) | crm;
}

function reg(crn: number, op1: number, crm: number, op2: number, spec: Spec): void {
  const r: Cp15Register = { wide: false, op1, crn, crm, op2, kvm: KVM_HIDDEN, write: nop, ...spec };
  TABLE.push(r);
  BY_KEY32.set(key32(op1, crn, crm, op2), r);
}
function reg64(op1: number, crm: number, spec: Spec): void {
  const r: Cp15Register = { wide: true, op1, crn: 0, crm, op2: 0, kvm: KVM_HIDDEN, write: nop, ...spec };
  TABLE.push(r);
  BY_KEY64.set(key64(op1, crm), r);
}
/** A write-only operation (maintenance, barriers, ATS). */
function op(crn: number, op1: number, crm: number, op2: number, name: string, run: (cpu: ArmCpu, v: number) => void, access = WO): void {
  reg(crn, op1, crm, op2, { name, access, read: zero, write: (cpu, v) => run(cpu, v) });
}
/** An invariant identification register (RO; KVM lists it as invariant). */
function id(crn: number, op1: number, crm: number, op2: number, name: string, value: (m: Cp15Model) => number, kvm = KVM_INVARIANT): void {
  reg(crn, op1, crm, op2, { name, access: RO, kvm, read: (cpu) => value(cpu.cp15Model) });
}
const raz = (crn: number, op1: number, crm: number, op2: number, name: string, access = PL1_RW): void =>
  reg(crn, op1, crm, op2, { name, access, read: zero });

// ---- c0: identification ----------------------------------------------------------------------------
id(0, 0, 0, 0, "MIDR", (m) => m.midr);
id(0, 0, 0, 1, "CTR", (m) => m.ctr);
id(0, 0, 0, 2, "TCMTR", (m) => m.tcmtr);
id(0, 0, 0, 3, "TLBTR", (m) => m.tlbtr);
id(0, 0, 0, 4, "MIDR (alias)", (m) => m.midr, KVM_HIDDEN);
reg(0, 0, 0, 5, {
  name: "MPIDR", access: RO, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.mpidr,
  reset: (cpu, m) => { cpu.cp15.mpidr = (m.mpidrHigh | ((cpu.vcpuId >>> 2) << 8) | (cpu.vcpuId & 3)) >>> 0; },
});
id(0, 0, 0, 6, "REVIDR", (m) => m.revidr);
id(0, 0, 0, 7, "MIDR (alias)", (m) => m.midr, KVM_HIDDEN);
const ID_C1 = ["ID_PFR0", "ID_PFR1", "ID_DFR0", "ID_AFR0", "ID_MMFR0", "ID_MMFR1", "ID_MMFR2", "ID_MMFR3"];
ID_C1.forEach((name, i) => id(0, 0, 1, i, name, (m) => m.idC1[i]!));
for (let i = 0; i < 6; i++) id(0, 0, 2, i, `ID_ISAR${i}`, (m) => m.idIsar[i]!);
for (let i = 6; i < 8; i++) id(0, 0, 2, i, `ID_ISAR${i} (reserved)`, () => 0, KVM_HIDDEN);
reg(0, 1, 0, 0, { name: "CCSIDR", access: RO, read: (cpu) => cpu.cp15Model.ccsidr[cpu.cp15.csselr & 0xf] ?? 0 });
id(0, 1, 0, 1, "CLIDR", (m) => m.clidr);
id(0, 1, 0, 7, "AIDR", (m) => m.aidr);
reg(0, 2, 0, 0, {
  name: "CSSELR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.csselr,
  write: (cpu, v) => { cpu.cp15.csselr = v & 0xf; }, reset: (cpu) => { cpu.cp15.csselr = UNKNOWN; },
});

// ---- c1: system control ----------------------------------------------------------------------------
reg(1, 0, 0, 0, {
  name: "SCTLR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.sctlr,
  write: (cpu, v) => { cpu.cp15.sctlr = v >>> 0; translationChanged(cpu); },
  reset: (cpu, m) => { cpu.cp15.sctlr = m.sctlrReset; },
});
reg(1, 0, 0, 1, {
  name: "ACTLR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.actlr, // guest writes ignored (§6.3)
  reset: (cpu, m) => { cpu.cp15.actlr = (m.actlr | (cpu.vcpuCount > 1 ? 1 << 6 : 0)) >>> 0; },
});
reg(1, 0, 0, 2, {
  name: "CPACR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.cpacr,
  // only CP10/CP11 exist (others RAZ/WI); ASEDIS/D32DIS are RAZ/WI (Advanced SIMD cannot be split off).
  // cp10 is what the FP/SIMD access gate reads at execution time (fp-simd.ts); reset 0: no access.
  write: (cpu, v) => { cpu.cp15.cpacr = v & 0x00f00000; }, reset: (cpu) => { cpu.cp15.cpacr = 0; },
});

// ---- c2, c3: translation tables, domains -------------------------------------------------------------
reg64(0, 2, {
  name: "TTBR0", access: PL1_RW, kvm: KVM_SAVED,
  read: (cpu) => ((wideHi.value = cpu.cp15.ttbr0Hi), cpu.cp15.ttbr0Lo),
  write: (cpu, lo, hi) => { cpu.cp15.ttbr0Lo = lo >>> 0; cpu.cp15.ttbr0Hi = hi >>> 0; translationChanged(cpu); },
  reset: (cpu) => { cpu.cp15.ttbr0Lo = UNKNOWN; cpu.cp15.ttbr0Hi = UNKNOWN_HI; },
});
reg(2, 0, 0, 0, {
  name: "TTBR0", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.ttbr0Lo,
  write: (cpu, v) => { cpu.cp15.ttbr0Lo = v >>> 0; translationChanged(cpu); },
});
reg(2, 0, 0, 1, {
  name: "TTBR1", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.ttbr1Lo,
  write: (cpu, v) => { cpu.cp15.ttbr1Lo = v >>> 0; translationChanged(cpu); },
});
reg(2, 0, 0, 2, {
  name: "TTBCR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.ttbcr,
  // short format: N (2:0), PD0/PD1 (5:4); long format: T0SZ, EPD0, IRGN/ORGN/SH, T1SZ, EPD1, A1
  write: (cpu, v) => { cpu.cp15.ttbcr = (v & (v < 0 ? 0xbfc73f87 : 0x37)) >>> 0; translationChanged(cpu); },
  reset: (cpu) => { cpu.cp15.ttbcr = 0; },
});
reg64(1, 2, {
  name: "TTBR1", access: PL1_RW, kvm: KVM_SAVED,
  read: (cpu) => ((wideHi.value = cpu.cp15.ttbr1Hi), cpu.cp15.ttbr1Lo),
  write: (cpu, lo, hi) => { cpu.cp15.ttbr1Lo = lo >>> 0; cpu.cp15.ttbr1Hi = hi >>> 0; translationChanged(cpu); },
  reset: (cpu) => { cpu.cp15.ttbr1Lo = UNKNOWN; cpu.cp15.ttbr1Hi = UNKNOWN_HI; },
});
reg(3, 0, 0, 0, {
  name: "DACR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.dacr,
  write: (cpu, v) => { cpu.cp15.dacr = v >>> 0; domainAccessChanged(cpu); }, reset: (cpu) => { cpu.cp15.dacr = UNKNOWN; },
});

// ---- c5, c6: fault status and address ----------------------------------------------------------------
type Field = "dfsr" | "ifsr" | "adfsr" | "aifsr" | "dfar" | "ifar" | "prrr" | "nmrr" | "amair0" | "amair1" | "contextidr" | "tpidrprw";
function plain(crn: number, op1: number, crm: number, op2: number, name: string, f: Field, resetValue = UNKNOWN): void {
  reg(crn, op1, crm, op2, {
    name, access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15[f],
    write: (cpu, v) => { cpu.cp15[f] = v >>> 0; }, reset: (cpu) => { cpu.cp15[f] = resetValue; },
  });
}
plain(5, 0, 0, 0, "DFSR", "dfsr");
plain(5, 0, 0, 1, "IFSR", "ifsr");
plain(5, 0, 1, 0, "ADFSR", "adfsr");
plain(5, 0, 1, 1, "AIFSR", "aifsr");
plain(6, 0, 0, 0, "DFAR", "dfar");
plain(6, 0, 0, 2, "IFAR", "ifar");

// ---- c7: PAR, cache maintenance, barriers, address translation ---------------------------------------
reg(7, 0, 4, 0, {
  name: "PAR", access: PL1_RW, read: (cpu) => cpu.cp15.parLo,
  write: (cpu, v) => { cpu.cp15.parLo = v >>> 0; },
});
reg64(0, 7, {
  name: "PAR", access: PL1_RW, kvm: KVM_SAVED,
  read: (cpu) => ((wideHi.value = cpu.cp15.parHi), cpu.cp15.parLo),
  write: (cpu, lo, hi) => { cpu.cp15.parLo = lo >>> 0; cpu.cp15.parHi = hi >>> 0; },
  reset: (cpu) => { cpu.cp15.parLo = UNKNOWN; cpu.cp15.parHi = UNKNOWN_HI; },
});
const cacheOps: [number, number, string][] = [
  [1, 0, "ICIALLUIS"], [1, 6, "BPIALLIS"], [5, 0, "ICIALLU"], [5, 1, "ICIMVAU"], [5, 6, "BPIALL"], [5, 7, "BPIMVA"],
  [6, 1, "DCIMVAC"], [6, 2, "DCISW"], [10, 1, "DCCMVAC"], [10, 2, "DCCSW"], [11, 1, "DCCMVAU"], [14, 1, "DCCIMVAC"],
  [14, 2, "DCCISW"],
];
/** Instruction-cache and branch-predictor maintenance: what other vCPUs decoded may be stale now. */
const icacheOps = new Set(["ICIALLUIS", "BPIALLIS", "ICIALLU", "ICIMVAU", "BPIALL", "BPIMVA"]);
for (const [crm, op2, name] of cacheOps) {
  const maintain = name === "ICIMVAU" ? (cpu: ArmCpu, v: number) => cpu.invalidatePeersCodeAt(v)
    : icacheOps.has(name) ? (cpu: ArmCpu) => cpu.invalidatePeersCode() : nop;
  op(7, 0, crm, op2, name, maintain);
}
const cp15BarrierGate = (cpu: ArmCpu): boolean => !cpu.systemMode || (cpu.cp15.sctlr & (1 << 5)) !== 0; // SCTLR.CP15BEN
for (const [crm, op2, name] of [[5, 4, "CP15ISB"], [10, 4, "CP15DSB"], [10, 5, "CP15DMB"]] as const) {
  reg(7, 0, crm, op2, { name, access: WO | PL0_W, pl0Gate: cp15BarrierGate, read: zero });
}
op(7, 0, 8, 0, "ATS1CPR", (cpu, v) => atsOperation(cpu, v, false, false));
op(7, 0, 8, 1, "ATS1CPW", (cpu, v) => atsOperation(cpu, v, true, false));
op(7, 0, 8, 2, "ATS1CUR", (cpu, v) => atsOperation(cpu, v, false, true));
op(7, 0, 8, 3, "ATS1CUW", (cpu, v) => atsOperation(cpu, v, true, true));

// ---- c8: TLB maintenance -------------------------------------------------------------------------------
for (const crm of [3, 5, 6, 7]) {
  const sfx = crm === 3 ? "IS" : "";
  const pre = crm === 5 ? "ITLB" : crm === 6 ? "DTLB" : "TLB";
  // The inner-shareable forms (c8, c3) act on every CPU of the domain.
  const on = crm === 3
    ? (fn: (c: ArmCpu, v: number) => void) => (cpu: ArmCpu, v: number) => { for (const c of cpu.shareableDomain()) fn(c, v); }
    : (fn: (c: ArmCpu, v: number) => void) => fn;
  op(8, 0, crm, 0, `${pre}IALL${sfx}`, on((c) => tlbInvalidateAll(c)));
  op(8, 0, crm, 1, `${pre}IMVA${sfx}`, on((c, v) => tlbInvalidateMva(c, v)));
  op(8, 0, crm, 2, `${pre}IASID${sfx}`, on((c, v) => tlbInvalidateAsid(c, v)));
  if (crm === 3 || crm === 7) op(8, 0, crm, 3, `TLBIMVAA${sfx}`, on((c, v) => tlbInvalidateMvaAllAsid(c, v)));
}

// ---- c9: L2 control, PMU (RAZ/WI as KVM presented it) -----------------------------------------------
reg(9, 1, 0, 2, {
  name: "L2CTLR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.l2ctlr,
  write: (cpu, v) => { cpu.cp15.l2ctlr = v >>> 0; },
  reset: (cpu, m) => {
    const cores = Math.min(cpu.vcpuCount - (cpu.vcpuId & ~3), 4);
    cpu.cp15.l2ctlr = ((m.l2ctlr & ~(3 << 24)) | (((cores - 1) & 3) << 24)) >>> 0;
  },
});
raz(9, 1, 0, 3, "L2ECTLR");
for (let op2 = 0; op2 < 8; op2++) if (op2 !== 4) raz(9, 0, 12, op2, ["PMCR", "PMCNTENSET", "PMCNTENCLR", "PMOVSR", "", "PMSELR", "PMCEID0", "PMCEID1"][op2]!);
raz(9, 0, 12, 4, "PMSWINC", WO);
for (let op2 = 0; op2 < 3; op2++) raz(9, 0, 13, op2, ["PMCCNTR", "PMXEVTYPER", "PMXEVCNTR"][op2]!);
raz(9, 0, 14, 0, "PMUSERENR", PL1_RW | PL0_R);
for (let op2 = 1; op2 < 4; op2++) raz(9, 0, 14, op2, ["", "PMINTENSET", "PMINTENCLR", "PMOVSSET"][op2]!);

// ---- c10: memory attributes; c12: vectors, interrupt status --------------------------------------------
plain(10, 0, 2, 0, "PRRR", "prrr");
plain(10, 0, 2, 1, "NMRR", "nmrr");
plain(10, 0, 3, 0, "AMAIR0", "amair0");
plain(10, 0, 3, 1, "AMAIR1", "amair1");
reg(12, 0, 0, 0, {
  name: "VBAR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.vbar,
  write: (cpu, v) => { cpu.cp15.vbar = (v & ~31) >>> 0; }, reset: (cpu) => { cpu.cp15.vbar = 0; },
});
reg(12, 0, 1, 0, {
  name: "ISR", access: RO, read: (cpu) => (cpu.irqLine ? 1 << 7 : 0) | (cpu.fiqLine ? 1 << 6 : 0),
});

// ---- c13: process, context and thread ids ---------------------------------------------------------------
raz(13, 0, 0, 0, "FCSEIDR");
reg(13, 0, 0, 1, {
  name: "CONTEXTIDR", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.contextidr,
  write: (cpu, v) => { cpu.cp15.contextidr = v >>> 0; translationChanged(cpu); },
  reset: (cpu) => { cpu.cp15.contextidr = 0; },
});
reg(13, 0, 0, 2, {
  name: "TPIDRURW", access: PL1_RW | PL0_R | PL0_W, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.tpidrurw,
  write: (cpu, v) => { cpu.cp15.tpidrurw = v >>> 0; }, reset: (cpu) => { cpu.cp15.tpidrurw = UNKNOWN; },
});
reg(13, 0, 0, 3, {
  name: "TPIDRURO", access: PL1_RW | PL0_R, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.tpidruro,
  write: (cpu, v) => { cpu.cp15.tpidruro = v >>> 0; }, reset: (cpu) => { cpu.cp15.tpidruro = UNKNOWN; },
});
plain(13, 0, 0, 4, "TPIDRPRW", "tpidrprw");

// ---- c14: generic timer (timer.ts) ----------------------------------------------------------------------
const kctl = (bits: number) => (cpu: ArmCpu): boolean => (cpu.cp15.cntkctl & bits) !== 0;
reg(14, 0, 0, 0, { name: "CNTFRQ", access: RO | PL0_R, pl0Gate: kctl(3), read: (cpu) => cpu.timer.frequency });
reg(14, 0, 1, 0, {
  name: "CNTKCTL", access: PL1_RW, kvm: KVM_SAVED, read: (cpu) => cpu.cp15.cntkctl,
  write: (cpu, v) => { cpu.cp15.cntkctl = v & 0x3ff; }, reset: (cpu) => { cpu.cp15.cntkctl = 0; },
});
for (const [crm, virt] of [[2, false], [3, true]] as const) {
  const gate = kctl(virt ? 1 << 8 : 1 << 9); // PL0VTEN / PL0PTEN
  const ch = (cpu: ArmCpu) => (virt ? cpu.timer.virtual : cpu.timer.physical);
  reg(14, 0, crm, 0, {
    name: virt ? "CNTV_TVAL" : "CNTP_TVAL", access: PL1_RW | PL0_R | PL0_W, pl0Gate: gate,
    read: (cpu) => cpu.timer.readTval(ch(cpu)), write: (cpu, v) => cpu.timer.writeTval(ch(cpu), v),
  });
  reg(14, 0, crm, 1, {
    name: virt ? "CNTV_CTL" : "CNTP_CTL", access: PL1_RW | PL0_R | PL0_W, pl0Gate: gate,
    read: (cpu) => cpu.timer.readCtl(ch(cpu)), write: (cpu, v) => cpu.timer.writeCtl(ch(cpu), v),
  });
  reg64(virt ? 3 : 2, 14, {
    name: virt ? "CNTV_CVAL" : "CNTP_CVAL", access: PL1_RW | PL0_R | PL0_W, pl0Gate: gate,
    read: (cpu) => ((wideHi.value = ch(cpu).cvalHi), ch(cpu).cvalLo),
    write: (cpu, lo, hi) => cpu.timer.writeCval(ch(cpu), lo, hi),
  });
}
function counter(op1: number, name: string, virt: boolean, gateBit: number): void {
  reg64(op1, 14, {
    name, access: RO | PL0_R, pl0Gate: kctl(gateBit),
    read: (cpu) => {
      const t = virt ? cpu.timer.virtualCount() : cpu.timer.physicalCount();
      wideHi.value = Math.floor(t / 4294967296) >>> 0;
      return t % 4294967296 >>> 0;
    },
  });
}
counter(0, "CNTPCT", false, 1);
counter(1, "CNTVCT", true, 2);

// ---- c15: implementation defined ---------------------------------------------------------------------
reg(15, 4, 0, 0, { name: "CBAR", access: RO, read: zero });

// ------------------------------------------------------------------ lookups

export function cp15Register32(op1: number, crn: number, crm: number, op2: number): Cp15Register | undefined {
  return BY_KEY32.get(key32(op1, crn, crm, op2));
}
export function cp15ByKey32(key: number): Cp15Register | undefined {
  return BY_KEY32.get(key);
}
export function cp15ByKey64(key: number): Cp15Register | undefined {
  return BY_KEY64.get(key);
}

/** May the current mode perform this access (the table's rights and PL0 gates)? */
export function cp15Allowed(cpu: ArmCpu, r: Cp15Register, write: boolean, user: boolean): boolean {
  if (!user) return (r.access & (write ? PL1_W : PL1_R)) !== 0;
  if ((r.access & (write ? PL0_W : PL0_R)) === 0) return false;
  return r.pl0Gate === undefined || r.pl0Gate(cpu);
}

/** Every register reset brings to a defined value (§6.3 / §7), in table order. */
export function resetCp15(cpu: ArmCpu): void {
  for (const r of TABLE) r.reset?.(cpu, cpu.cp15Model);
}

/** The whole table (read-only view), e.g. for tests. */
export const CP15_TABLE: readonly Cp15Register[] = TABLE;

/** The ONE_REG id of a table entry (reference §5.1). */
export function kvmCp15Id(r: Cp15Register): bigint {
  return r.wide ? armCp15Reg64(r.op1, r.crm) : armCp15Reg32(r.op1, r.crn, r.crm, r.op2);
}

/**
 * The registers KVM lists for CP15 in KVM_GET_REG_LIST order (§6.1): the invariant ID registers in
 * §6.2 order, then the saved registers (§6.3); both sorted by (CRn, CRm, op1, op2) with a 64-bit register's CRm
 * in the CRn position and 64-bit before 32-bit on equal keys (§6.3).
 */
export function kvmCp15Registers(): { invariant: Cp15Register[]; saved: Cp15Register[] } {
  const order = (r: Cp15Register): number[] => (r.wide ? [r.crm, 0, r.op1, 0, 0] : [r.crn, r.crm, r.op1, r.op2, 1]);
  const sorted = (kvm: number) => TABLE.filter((r) => r.kvm === kvm).sort((a, b) => {
    const x = order(a), y = order(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  });
  const invariant = sorted(KVM_INVARIANT), saved = sorted(KVM_SAVED);
  return { invariant, saved };
}

/** ONE_REG GET of a listed register (64-bit registers as one bigint). */
export function kvmCp15Get(cpu: ArmCpu, r: Cp15Register): bigint {
  const lo = r.read(cpu) >>> 0;
  return r.wide ? (BigInt(wideHi.value >>> 0) << 32n) | BigInt(lo) : BigInt(lo);
}

/**
 * ONE_REG SET of a saved register: stores the value (the KVM layer checks invariant registers
 * against `kvmCp15Get` itself). Read-only saved registers (MPIDR, ACTLR) take the value as KVM does.
 */
export function kvmCp15Set(cpu: ArmCpu, r: Cp15Register, value: bigint): void {
  const lo = Number(value & 0xffffffffn) | 0, hi = Number((value >> 32n) & 0xffffffffn) | 0;
  if (r.name === "MPIDR") cpu.cp15.mpidr = lo >>> 0;
  else if (r.name === "ACTLR") cpu.cp15.actlr = lo >>> 0;
  else r.write(cpu, lo, hi);
}
