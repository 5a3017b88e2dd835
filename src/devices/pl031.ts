/**
 * ARM PrimeCell Real Time Clock (PL031), as Linux's rtc-pl031 driver uses it (ARM DDI 0224B,
 * "PrimeCell Real Time Clock (PL031) Technical Reference Manual", chapter 3).
 *
 * The 1 Hz counter is host time: DR = floor(hostMs / 1000) + offset, where a write to LR sets the
 * offset so that DR reads the loaded value from then on. The counter runs from power-on whatever
 * CR.RTCStart says (the host clock cannot be stopped; Linux sets RTCStart in probe anyway); CR reads
 * back as written, and once set it stays set until reset, as the TRM specifies.
 *
 * The match interrupt (RIS bit 0) is set when the counter reaches MR: the VMM calls `poll()` from
 * its run loop (`msUntilMatch()` says how long it may sleep); a DR value that passed MR between two
 * polls still raises it, so a late poll never loses the alarm. ICR bit 0 clears it; the RTCINTR line
 * is RIS & IMSC.
 */
import type { IrqLine, MmioDevice } from "./bus.js";

export const PL031 = {
  DR: 0x000,
  MR: 0x004,
  LR: 0x008,
  CR: 0x00c,
  IMSC: 0x010,
  RIS: 0x014,
  MIS: 0x018,
  ICR: 0x01c,
} as const;

/** RTCPeriphID0-3 (PL031, ARM, revision 0) and RTCPCellID0-3, at 0xFE0-0xFFC. */
const ID_BYTES = [0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export interface Pl031Options {
  irq: IrqLine;
  /** Host time in milliseconds since the Unix epoch (default Date.now). */
  nowMs?: () => number;
}

export class Pl031 implements MmioDevice {
  readonly windowSize = 0x1000;
  private readonly nowMs: () => number;
  /** DR - host seconds, modulo 2^32. */
  private offset = 0;
  private mr = 0;
  private lr = 0;
  private cr = 0;
  private imsc = 0;
  private ris = 0;
  /** Counter value at the last match check. */
  private lastCount: number;
  private irqLevel = false;

  constructor(private readonly options: Pl031Options) {
    this.nowMs = options.nowMs ?? Date.now;
    this.lastCount = this.count();
  }

  reset(): void {
    this.offset = this.mr = this.lr = this.cr = this.imsc = this.ris = 0;
    this.lastCount = this.count();
    this.updateIrq();
  }

  /** The 32-bit counter (DR) now. */
  count(): number {
    return (Math.floor(this.nowMs() / 1000) + this.offset) >>> 0;
  }

  /** Checks the match condition against the current time (call from the VMM's run loop). */
  poll(): void {
    const now = this.count();
    // Did the counter step onto MR in (lastCount, now]? Distances modulo 2^32 handle wrap-around.
    const stepped = (now - this.lastCount) >>> 0;
    const toMatch = (this.mr - this.lastCount) >>> 0;
    if (stepped !== 0 && toMatch !== 0 && toMatch <= stepped) this.ris |= 1;
    this.lastCount = now;
    this.updateIrq();
  }

  /** Milliseconds until the counter reaches MR (Infinity when the interrupt is masked). */
  msUntilMatch(): number {
    if (!(this.imsc & 1)) return Infinity;
    const ms = this.nowMs();
    const seconds = (this.mr - this.count()) >>> 0;
    if (seconds === 0) return Infinity; // already there: it fires only when the counter steps onto MR
    return Math.max(0, seconds * 1000 - (ms - Math.floor(ms / 1000) * 1000));
  }

  mmioRead(offset: number, size: number): number {
    const word = this.readRegister(offset & ~3) >>> (8 * (offset & 3));
    return size >= 4 ? word >>> 0 : word & ((1 << (8 * size)) - 1);
  }

  mmioWrite(offset: number, size: number, value: number): void {
    if ((offset & 3) !== 0) return;
    const v = size >= 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1);
    this.poll();
    switch (offset) {
      case PL031.MR:
        this.mr = v;
        break;
      case PL031.LR:
        this.lr = v;
        this.offset = (v - Math.floor(this.nowMs() / 1000)) >>> 0;
        this.lastCount = this.count();
        break;
      case PL031.CR:
        this.cr |= v & 1;
        break;
      case PL031.IMSC:
        this.imsc = v & 1;
        break;
      case PL031.ICR:
        this.ris &= ~(v & 1);
        break;
      default:
        return; // DR, RIS, MIS are read-only
    }
    this.updateIrq();
  }

  private readRegister(offset: number): number {
    if (offset >= 0xfe0 && offset <= 0xffc) return ID_BYTES[(offset - 0xfe0) >> 2]!;
    switch (offset) {
      case PL031.DR:
        this.poll();
        return this.count();
      case PL031.MR:
        return this.mr;
      case PL031.LR:
        return this.lr; // the value last loaded
      case PL031.CR:
        return this.cr;
      case PL031.IMSC:
        return this.imsc;
      case PL031.RIS:
        this.poll();
        return this.ris;
      case PL031.MIS:
        this.poll();
        return this.ris & this.imsc;
      default:
        return 0;
    }
  }

  private updateIrq(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.options.irq.set(level);
    }
  }
}
