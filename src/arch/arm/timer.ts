/**
 * The ARMv7 generic timer of one vCPU (ARM ARM B8; reference kvm-arm32-abi.md §11): the physical
 * count CNTPCT, the virtual count CNTVCT = CNTPCT − CNTVOFF, and two timers, physical (CNTP_*) and
 * virtual (CNTV_*), each with CTL (bit 0 ENABLE, bit 1 IMASK, bit 2 ISTATUS read-only), a 64-bit
 * CVAL and the 32-bit signed TVAL view (read: CVAL − count truncated; write: CVAL = count + sext).
 *
 * The count comes from a source function in ticks at `frequency` (default 24 MHz, the usual CNTFRQ
 * of A15/A7 boards, which KVM leaves as the firmware set it): host monotonic time by default, or a
 * deterministic source (ticks advance with retired instructions) so a run repeats exactly.
 * Counts are doubles: exact up to 2^53 ticks (≈ 12 years at 24 MHz). CVAL is kept as two exact
 * 32-bit halves.
 *
 * Outputs: `virtualOutput` / `physicalOutput` are the interrupt levels (ENABLE && !IMASK &&
 * ISTATUS) the interrupt controller above samples (PPI 27 and 30 on a GIC). `nextEventTicks()`
 * tells an idle vCPU how long it may sleep before an enabled, unmasked timer fires.
 */

export class TimerChannel {
  ctl = 0;
  cvalLo = 0;
  cvalHi = 0;
  /** Which count the channel compares against. */
  constructor(readonly virtual: boolean) {}
  cval(): number {
    return this.cvalHi * 4294967296 + this.cvalLo;
  }
}

export const CTL_ENABLE = 1;
export const CTL_IMASK = 2;
export const CTL_ISTATUS = 4;

export class GenericTimer {
  readonly physical = new TimerChannel(false);
  readonly virtual = new TimerChannel(true);
  /** CNTVOFF in ticks (set by the layer above; not guest-visible on a KVM vCPU). */
  cntvoff = 0;

  constructor(
    readonly frequency: number,
    /** The physical count source, in ticks. */
    readonly source: () => number,
  ) {}

  physicalCount(): number {
    return this.source();
  }
  virtualCount(): number {
    return this.source() - this.cntvoff;
  }
  private count(ch: TimerChannel): number {
    return ch.virtual ? this.virtualCount() : this.physicalCount();
  }

  /** ISTATUS: the condition CVAL <= count holds (reported whether or not the timer is enabled). */
  fired(ch: TimerChannel): boolean {
    return ch.cval() <= this.count(ch);
  }

  /** CTL as the guest reads it: ISTATUS only while enabled (UNKNOWN otherwise; 0 as QEMU and hardware show). */
  readCtl(ch: TimerChannel): number {
    return (ch.ctl & 3) | ((ch.ctl & CTL_ENABLE) !== 0 && this.fired(ch) ? CTL_ISTATUS : 0);
  }
  /** CTL as KVM's ONE_REG TIMER_CTL reports it: ISTATUS whenever CVAL <= count (reference §11). */
  kvmCtl(ch: TimerChannel): number {
    return (ch.ctl & 3) | (this.fired(ch) ? CTL_ISTATUS : 0);
  }
  writeCtl(ch: TimerChannel, v: number): void {
    ch.ctl = v & 3;
  }

  /** TVAL = (CVAL − count) truncated to 32 bits, as a signed value. */
  readTval(ch: TimerChannel): number {
    const now = this.count(ch);
    return (ch.cvalLo - (now % 4294967296)) | 0;
  }
  /** CVAL = count + SignExtend(TVAL). */
  writeTval(ch: TimerChannel, v: number): void {
    this.setCval(ch, this.count(ch) + (v | 0));
  }
  writeCval(ch: TimerChannel, lo: number, hi: number): void {
    ch.cvalLo = lo >>> 0;
    ch.cvalHi = hi >>> 0;
  }
  private setCval(ch: TimerChannel, value: number): void {
    let hi = Math.floor(value / 4294967296);
    ch.cvalLo = (value - hi * 4294967296) >>> 0;
    if (hi < 0) hi += 4294967296;
    ch.cvalHi = hi >>> 0;
  }

  private output(ch: TimerChannel): boolean {
    return (ch.ctl & (CTL_ENABLE | CTL_IMASK)) === CTL_ENABLE && this.fired(ch);
  }
  /** Virtual timer interrupt level (PPI 27). */
  get virtualOutput(): boolean {
    return this.output(this.virtual);
  }
  /** Physical timer interrupt level (PPI 30). */
  get physicalOutput(): boolean {
    return this.output(this.physical);
  }

  /**
   * Ticks until the earliest enabled, unmasked timer asserts its output: 0 if one already does,
   * Infinity if none is armed.
   */
  nextEventTicks(): number {
    let best = Infinity;
    for (const ch of [this.virtual, this.physical]) {
      if ((ch.ctl & (CTL_ENABLE | CTL_IMASK)) !== CTL_ENABLE) continue;
      best = Math.min(best, Math.max(0, ch.cval() - this.count(ch)));
    }
    return best;
  }

  /** Milliseconds until `nextEventTicks()` (Infinity if none). */
  nextEventMs(): number {
    return (this.nextEventTicks() * 1000) / this.frequency;
  }

  /** Reset (§7): both CTLs zero; CVALs and CNTVOFF keep their values. */
  reset(): void {
    this.physical.ctl = 0;
    this.virtual.ctl = 0;
  }
}

/** A host-time count source: monotonic clock in ticks at `frequency`. */
export function hostCounter(frequency: number): () => number {
  return () => Math.floor((performance.now() * frequency) / 1000);
}
