/**
 * The state of an emulated GICv2 without Security Extensions (ARM IHI 0048B) as KVM's vGIC presents it
 * (reference kvm-arm32-abi.md §10.1–§10.3): the distributor's per-interrupt state and each CPU
 * interface's registers, plus the interrupt state machine both MMIO frames and the injection paths drive.
 *
 * Storage: one slot per interrupt instance in flat typed arrays. SGIs and PPIs (INTIDs 0–31) are banked
 * per CPU: slot `cpu * 32 + intid`; SPIs follow: slot `256 + intid - 32`. Everything is allocated once
 * for the architectural maxima (8 CPUs, 1024 INTIDs), so no path allocates.
 *
 * Pending state follows KVM's model (virt/kvm/arm/vgic): an edge interrupt is pending when its latch
 * is set; a level interrupt when its latch (set by GICD_ISPENDR) or its input line is; an SGI when any
 * source CPU has it pending for this target (GICD_SGIR / SPENDSGIR keep one bit per source).
 * Acknowledging clears the latch (an SGI: the lowest source's bit), so a level interrupt whose line is
 * still high stays pending and is taken again after deactivation. An interrupt that is active is not
 * signalled again until deactivated (an active SGI with more sources is "active and pending").
 * An SPI targeting several CPUs is delivered to the lowest-numbered one, as KVM does (target_vcpu =
 * ffs(targets) − 1).
 *
 * Priority: 5 bits (mask 0xF8), so 32 preemption levels; GICC_BPR's minimum is 2, GICC_ABPR's 3.
 * GICC_APR0 bit n records an active preemption level with group priority n << 3; the running priority
 * is the highest of them (0xFF when idle). EOIR drops the highest active level; EOImode = 0 also
 * deactivates the interrupt named, EOImode = 1 leaves that to GICC_DIR.
 */

export const VGIC_MAX_CPUS = 8;
export const VGIC_NR_SGIS = 16;
export const VGIC_NR_PRIVATE_IRQS = 32;
export const VGIC_MAX_IRQS = 1024;
export const VGIC_PRI_MASK = 0xf8;
export const GIC_SPURIOUS = 1023;
/** GICC_IAR/HPPIR answer when the highest pending interrupt belongs to the other group's register. */
export const GIC_OTHER_GROUP = 1022;
export const GICC_IDLE_PRIORITY = 0xff;
/** Minimum GICC_BPR / GICC_ABPR with 5 priority bits (and their reset values). */
export const GICC_BPR_MIN = 2;
export const GICC_ABPR_MIN = 3;

// GICC_CTLR bits (GICv2 without Security Extensions, GICV_CTLR layout).
export const GICC_CTLR_ENABLE_GRP0 = 1 << 0;
export const GICC_CTLR_ENABLE_GRP1 = 1 << 1;
export const GICC_CTLR_ACKCTL = 1 << 2;
export const GICC_CTLR_FIQEN = 1 << 3;
export const GICC_CTLR_CBPR = 1 << 4;
export const GICC_CTLR_EOIMODE = 1 << 9;
export const GICC_CTLR_MASK =
  GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACKCTL | GICC_CTLR_FIQEN | GICC_CTLR_CBPR | GICC_CTLR_EOIMODE;

const SPI_BASE_SLOT = VGIC_MAX_CPUS * VGIC_NR_PRIVATE_IRQS;
const SLOTS = SPI_BASE_SLOT + VGIC_MAX_IRQS - VGIC_NR_PRIVATE_IRQS;

/** The slot of INTID `intid` as seen by CPU `cpu`. */
export const irqSlot = (cpu: number, intid: number): number =>
  intid < VGIC_NR_PRIVATE_IRQS ? cpu * VGIC_NR_PRIVATE_IRQS + intid : SPI_BASE_SLOT + intid - VGIC_NR_PRIVATE_IRQS;

/** Where the CPU interfaces' IRQ/FIQ outputs go (the VM wires them to the vCPUs' lines). */
export interface GicOutputs {
  setIrqLines(index: number, irq: boolean, fiq: boolean): void;
  /**
   * The guest deactivated an active level-sensitive SPI (GICC_EOIR with EOImode 0, GICC_DIR): on KVM
   * the list register's EOI maintenance interrupt, which runs the IRQ ack notifiers (resampling irqfds).
   */
  levelSpiDeactivated?(intid: number): void;
}

export class GicState {
  /** Interrupts implemented (GICD_TYPER.ITLinesNumber); 0 until the vGIC is initialized. */
  nrIrqs = 0;
  /** CPU interfaces (vCPUs at initialization; fixed afterwards). */
  nrCpus = 0;
  /** GICD_CTLR.Enable. */
  distEnabled = false;
  /** Userspace may write GICD_IGROUPR (after it wrote GICD_IIDR back, as in KVM 5.x). */
  groupsUserWritable = false;

  readonly enabled = new Uint8Array(SLOTS);
  readonly group = new Uint8Array(SLOTS);
  readonly priority = new Uint8Array(SLOTS);
  /** 1 = edge-triggered (GICD_ICFGR bit 1). */
  readonly edge = new Uint8Array(SLOTS);
  /** Input line level (level-sensitive interrupts). */
  readonly lineLevel = new Uint8Array(SLOTS);
  /** Latched pending state (edge event, GICD_ISPENDR). */
  readonly latch = new Uint8Array(SLOTS);
  readonly active = new Uint8Array(SLOTS);
  /** GICD_ITARGETSR of SPIs (CPU bit mask). */
  readonly targets = new Uint8Array(SLOTS);
  /** Per target CPU and SGI: bit mask of source CPUs with that SGI pending. */
  readonly sgiSources = new Uint8Array(VGIC_MAX_CPUS * VGIC_NR_SGIS);
  /**
   * vCPUs (one bit each) that should give the thread to the others soon (takeYieldHint): one that
   * sent an SGI to another vCPU — the sender usually waits for the answer (Linux's
   * smp_call_function with wait spins until the target has run the function) — and one that ended
   * an SGI (EOI), which Linux writes once the IPI's work is done, with the sender often still spinning.
   */
  yieldHints = 0;

  /** Whether `cpu` should yield (an SGI sent to another vCPU, or one ended) since the last call; forgets it. */
  takeYieldHint(cpu: number): boolean {
    const bit = 1 << cpu;
    if ((this.yieldHints & bit) === 0) return false;
    this.yieldHints &= ~bit;
    return true;
  }

  // CPU interface registers, one entry per CPU.
  readonly ctlr = new Uint32Array(VGIC_MAX_CPUS);
  readonly pmr = new Uint8Array(VGIC_MAX_CPUS);
  readonly bpr = new Uint8Array(VGIC_MAX_CPUS);
  readonly abpr = new Uint8Array(VGIC_MAX_CPUS);
  /** GICC_APR0: active preemption levels. */
  readonly apr = new Uint32Array(VGIC_MAX_CPUS);

  /** Last IRQ/FIQ outputs reported, per CPU. */
  private readonly outIrq = new Uint8Array(VGIC_MAX_CPUS);
  private readonly outFiq = new Uint8Array(VGIC_MAX_CPUS);
  /** Result registers of `highestPending` (no allocation). */
  bestIntid = GIC_SPURIOUS;
  bestSlot = -1;

  constructor(private readonly sink: GicOutputs) {}

  /** vgic_init: freeze the size and apply §10.1's defaults. */
  reset(nrIrqs: number, nrCpus: number): void {
    this.nrIrqs = nrIrqs;
    this.nrCpus = nrCpus;
    this.distEnabled = false;
    this.enabled.fill(0);
    this.group.fill(0);
    this.priority.fill(0);
    this.edge.fill(0);
    this.lineLevel.fill(0);
    this.latch.fill(0);
    this.active.fill(0);
    this.targets.fill(0);
    this.sgiSources.fill(0);
    for (let cpu = 0; cpu < VGIC_MAX_CPUS; cpu++) {
      const base = cpu * VGIC_NR_PRIVATE_IRQS;
      for (let i = 0; i < VGIC_NR_SGIS; i++) {
        this.enabled[base + i] = 1;
        this.edge[base + i] = 1;
      }
      this.ctlr[cpu] = 0;
      this.pmr[cpu] = 0;
      this.bpr[cpu] = GICC_BPR_MIN;
      this.abpr[cpu] = GICC_ABPR_MIN;
      this.apr[cpu] = 0;
    }
    // SPIs are edge-triggered by default in KVM's vGIC.
    this.edge.fill(1, SPI_BASE_SLOT);
    this.update();
  }

  /** The CPU an SPI is delivered to: the lowest existing CPU in its target list, or -1. */
  spiTarget(slot: number): number {
    const t = this.targets[slot]! & ((1 << this.nrCpus) - 1);
    return t === 0 ? -1 : 31 - Math.clz32(t & -t);
  }

  isPending(cpu: number, intid: number, slot: number): boolean {
    if (intid < VGIC_NR_SGIS) return this.sgiSources[cpu * VGIC_NR_SGIS + intid] !== 0;
    if (this.latch[slot] !== 0) return true;
    return this.edge[slot] === 0 && this.lineLevel[slot] !== 0;
  }

  /** The group-priority mask that applies to an interrupt of `group` on `cpu` (GICC_BPR/ABPR, CBPR). */
  groupPriorityMask(cpu: number, group: number): number {
    if (group === 0 || (this.ctlr[cpu]! & GICC_CTLR_CBPR) !== 0) return (0xff << (this.bpr[cpu]! + 1)) & 0xff;
    return (0xff << this.abpr[cpu]!) & 0xff;
  }

  /** GICC_RPR: the group priority of the highest active preemption level, or 0xFF. */
  runningPriority(cpu: number): number {
    const apr = this.apr[cpu]!;
    if (apr === 0) return GICC_IDLE_PRIORITY;
    return (31 - Math.clz32(apr & -apr)) << 3;
  }

  private groupEnabled(cpu: number, group: number): boolean {
    return (this.ctlr[cpu]! & (group === 0 ? GICC_CTLR_ENABLE_GRP0 : GICC_CTLR_ENABLE_GRP1)) !== 0;
  }

  private candidate(cpu: number, intid: number, slot: number): boolean {
    return (
      this.enabled[slot] !== 0 &&
      this.active[slot] === 0 &&
      this.isPending(cpu, intid, slot) &&
      this.groupEnabled(cpu, this.group[slot]!)
    );
  }

  /**
   * The highest-priority pending interrupt the distributor forwards to `cpu` (enabled, not active,
   * group enabled on the CPU interface, lowest INTID on a tie) into bestIntid/bestSlot; with `gated`,
   * only one that also passes GICC_PMR and preempts the running priority. Returns whether one exists.
   */
  highestPending(cpu: number, gated: boolean): boolean {
    this.bestIntid = GIC_SPURIOUS;
    this.bestSlot = -1;
    if (!this.distEnabled || cpu >= this.nrCpus) return false;
    let bestPrio = 0x100;
    const base = cpu * VGIC_NR_PRIVATE_IRQS;
    for (let intid = 0; intid < VGIC_NR_PRIVATE_IRQS; intid++) {
      const slot = base + intid;
      if (this.priority[slot]! < bestPrio && this.candidate(cpu, intid, slot)) {
        bestPrio = this.priority[slot]!;
        this.bestIntid = intid;
        this.bestSlot = slot;
      }
    }
    for (let intid = VGIC_NR_PRIVATE_IRQS; intid < this.nrIrqs; intid++) {
      const slot = SPI_BASE_SLOT + intid - VGIC_NR_PRIVATE_IRQS;
      if (this.priority[slot]! < bestPrio && this.candidate(cpu, intid, slot) && this.spiTarget(slot) === cpu) {
        bestPrio = this.priority[slot]!;
        this.bestIntid = intid;
        this.bestSlot = slot;
      }
    }
    if (this.bestSlot < 0) return false;
    if (gated && !this.canSignal(cpu, this.bestSlot)) {
      this.bestIntid = GIC_SPURIOUS;
      this.bestSlot = -1;
      return false;
    }
    return true;
  }

  /** Priority above GICC_PMR and group priority above the running priority (preemption). */
  private canSignal(cpu: number, slot: number): boolean {
    const prio = this.priority[slot]!;
    if (prio >= this.pmr[cpu]!) return false;
    return (prio & this.groupPriorityMask(cpu, this.group[slot]!)) < this.runningPriority(cpu);
  }

  /**
   * Acknowledge (GICC_IAR when `alias` is false, GICC_AIAR when true): the IAR value, with the SGI
   * source CPU in bits 12..10; 1023 when nothing can be signalled; 1022 when the interrupt belongs to
   * the other register's group (group 1 through IAR needs GICC_CTLR.AckCtl).
   */
  acknowledge(cpu: number, alias: boolean): number {
    if (!this.highestPending(cpu, true)) return GIC_SPURIOUS;
    const slot = this.bestSlot;
    const intid = this.bestIntid;
    const group = this.group[slot]!;
    if (alias ? group === 0 : group === 1 && (this.ctlr[cpu]! & GICC_CTLR_ACKCTL) === 0) return GIC_OTHER_GROUP;
    let value = intid;
    if (intid < VGIC_NR_SGIS) {
      const k = cpu * VGIC_NR_SGIS + intid;
      const sources = this.sgiSources[k]!;
      const source = 31 - Math.clz32(sources & -sources);
      this.sgiSources[k] = sources & ~(1 << source);
      value |= source << 10;
    } else {
      this.latch[slot] = 0;
    }
    this.active[slot] = 1;
    const gp = this.priority[slot]! & this.groupPriorityMask(cpu, group);
    this.apr[cpu] = this.apr[cpu]! | (1 << (gp >>> 3));
    this.update();
    return value;
  }

  /** GICC_HPPIR (`alias` false) / GICC_AHPPIR (true): ignores PMR and the running priority. */
  highestPendingId(cpu: number, alias: boolean): number {
    if (!this.highestPending(cpu, false)) return GIC_SPURIOUS;
    const group = this.group[this.bestSlot]!;
    if (alias ? group === 0 : group === 1 && (this.ctlr[cpu]! & GICC_CTLR_ACKCTL) === 0) return GIC_OTHER_GROUP;
    let value = this.bestIntid;
    if (value < VGIC_NR_SGIS) {
      const sources = this.sgiSources[cpu * VGIC_NR_SGIS + value]!;
      value |= (31 - Math.clz32(sources & -sources)) << 10;
    }
    return value;
  }

  /** GICC_EOIR / GICC_AEOIR: priority drop, and deactivation unless GICC_CTLR.EOImode. */
  endOfInterrupt(cpu: number, value: number): void {
    const intid = value & 0x3ff;
    if (intid >= 1020) return;
    const apr = this.apr[cpu]!;
    this.apr[cpu] = apr & (apr - 1);
    if (intid < VGIC_NR_SGIS && this.nrCpus > 1) this.yieldHints |= 1 << cpu;
    if ((this.ctlr[cpu]! & GICC_CTLR_EOIMODE) === 0) this.deactivateRaw(cpu, intid);
    this.update();
  }

  /** GICC_DIR: deactivation when GICC_CTLR.EOImode = 1 (UNPREDICTABLE otherwise: ignored). */
  deactivate(cpu: number, value: number): void {
    if ((this.ctlr[cpu]! & GICC_CTLR_EOIMODE) === 0) return;
    const intid = value & 0x3ff;
    if (intid >= 1020) return;
    this.deactivateRaw(cpu, intid);
    this.update();
  }

  private deactivateRaw(cpu: number, intid: number): void {
    if (intid >= this.nrIrqs) return;
    const slot = irqSlot(cpu, intid);
    if (this.active[slot] === 0) return;
    this.active[slot] = 0;
    if (intid >= VGIC_NR_PRIVATE_IRQS && this.edge[slot] === 0) this.sink.levelSpiDeactivated?.(intid);
  }

  /**
   * An input line change (KVM_IRQ_LINE SPI/PPI, the timers): a level interrupt follows the line; an
   * edge interrupt latches pending on a rising request (level = true) and ignores level = false.
   */
  setLine(cpu: number, intid: number, level: boolean): void {
    if (intid < VGIC_NR_SGIS || intid >= this.nrIrqs) return;
    const slot = irqSlot(cpu, intid);
    const v = level ? 1 : 0;
    if (this.edge[slot] !== 0) {
      if (v === 0 || this.latch[slot] !== 0) {
        this.lineLevel[slot] = v;
        return;
      }
      this.latch[slot] = 1;
    } else if (this.lineLevel[slot] === v) {
      return;
    }
    this.lineLevel[slot] = v;
    this.update();
  }

  /** GICD_SGIR: SGI `sgi` from `source` to every CPU in `targets`. */
  sendSgi(source: number, sgi: number, targets: number): void {
    if ((targets & ~(1 << source)) !== 0) this.yieldHints |= 1 << source;
    for (let cpu = 0; cpu < this.nrCpus; cpu++) {
      if ((targets & (1 << cpu)) === 0) continue;
      const k = cpu * VGIC_NR_SGIS + sgi;
      this.sgiSources[k] = this.sgiSources[k]! | (1 << source);
    }
    this.update();
  }

  /** Whether CPU interface `cpu` currently asserts IRQ or FIQ. */
  outputs(cpu: number): { irq: boolean; fiq: boolean } {
    return { irq: this.outIrq[cpu] !== 0, fiq: this.outFiq[cpu] !== 0 };
  }

  /** Drop every asserted output (the distributor is being torn down). */
  quiesce(): void {
    for (let cpu = 0; cpu < VGIC_MAX_CPUS; cpu++) {
      if (this.outIrq[cpu] === 0 && this.outFiq[cpu] === 0) continue;
      this.outIrq[cpu] = 0;
      this.outFiq[cpu] = 0;
      this.sink.setIrqLines(cpu, false, false);
    }
  }

  /** Recompute every CPU interface's IRQ/FIQ output and report the ones that changed. */
  update(): void {
    for (let cpu = 0; cpu < this.nrCpus; cpu++) {
      let irq = 0;
      let fiq = 0;
      if (this.highestPending(cpu, true)) {
        // Group 0 is signalled as FIQ when GICC_CTLR.FIQEn is set.
        if (this.group[this.bestSlot] === 0 && (this.ctlr[cpu]! & GICC_CTLR_FIQEN) !== 0) fiq = 1;
        else irq = 1;
      }
      if (irq !== this.outIrq[cpu] || fiq !== this.outFiq[cpu]) {
        this.outIrq[cpu] = irq;
        this.outFiq[cpu] = fiq;
        this.sink.setIrqLines(cpu, irq !== 0, fiq !== 0);
      }
    }
  }
}
