/**
 * ARM PrimeCell UART (PL011) r1p5, as Linux's amba-pl011 driver and earlycon use it on the virt
 * board (ARM DDI 0183G, "PrimeCell UART (PL011) Technical Reference Manual", chapter 3).
 *
 * The serial line is the host: a byte written to DR is handed to `transmit` at once, so the TX FIFO
 * is always empty (FR.TXFE = 1, TXFF = BUSY = 0). Received bytes come from the host through
 * `receive()` into a 32-entry RX FIFO (1 entry when LCR_H.FEN = 0); `receive` takes only what fits
 * and returns the count, so the VMM keeps the rest — nothing is lost to overrun. Line-speed and frame
 * settings (IBRD, FBRD, LCR_H WLEN/PEN/STP2) are stored and read back but change nothing.
 *
 * Like QEMU's model (and unlike the TRM), DR transmits and receives whatever CR.UARTEN/TXE/RXE say:
 * Linux's earlycon on the virt board writes DR before any driver has set UARTEN.
 *
 * Interrupts (TRM §3.4, latched in RIS, UARTINTR = OR of RIS & IMSC, one level line):
 *  - TX  set when a DR write leaves the TX FIFO at or below the TX trigger level — always, since the
 *        FIFO drains at once; cleared by ICR.TXIC (a new write sets it again).
 *  - RX  set when `receive` brings the RX FIFO to its trigger level or above (any byte with FEN = 0);
 *        cleared by ICR.RXIC or by reads taking the FIFO below the trigger level.
 *  - RT  receive timeout: set when `receive` adds data (the 32-bit-period timeout is taken as
 *        elapsed at once, the host delivers in bursts); cleared by ICR.RTIC or when the FIFO empties.
 */
import type { IrqLine, MmioDevice } from "./bus.js";

/** Register offsets (TRM Table 3-1). */
export const PL011 = {
  DR: 0x000,
  RSR_ECR: 0x004,
  FR: 0x018,
  ILPR: 0x020,
  IBRD: 0x024,
  FBRD: 0x028,
  LCR_H: 0x02c,
  CR: 0x030,
  IFLS: 0x034,
  IMSC: 0x038,
  RIS: 0x03c,
  MIS: 0x040,
  ICR: 0x044,
  DMACR: 0x048,
} as const;

/** UARTFR bits. */
export const FR_BUSY = 1 << 3;
export const FR_RXFE = 1 << 4;
export const FR_TXFF = 1 << 5;
export const FR_RXFF = 1 << 6;
export const FR_TXFE = 1 << 7;
/** LCR_H.FEN: FIFOs enabled. */
export const LCR_H_FEN = 1 << 4;
/** Interrupt bits shared by IMSC/RIS/MIS/ICR. */
export const INT_RX = 1 << 4;
export const INT_TX = 1 << 5;
export const INT_RT = 1 << 6;
const INT_ALL = 0x7ff;

/** FIFO depth of r1p5 (Linux derives 32 from PeriphID2's revision field 3). */
export const PL011_FIFO_DEPTH = 32;

/** UARTPeriphID0-3 (PL011, ARM, revision 3 = r1p5) and UARTPCellID0-3, at 0xFE0-0xFFC. */
const ID_BYTES = [0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/** IFLS trigger fractions in eighths for field values 0-4 (1/8, 1/4, 1/2, 3/4, 7/8). */
const TRIGGER_EIGHTHS = [1, 2, 4, 6, 7];

export interface Pl011Options {
  irq: IrqLine;
  /** Receives every byte the guest transmits. */
  transmit: (byte: number) => void;
  /** Called when a guest read frees RX FIFO space (the VMM may then `receive` more). */
  rxSpaceAvailable?: () => void;
}

export class Pl011 implements MmioDevice {
  readonly windowSize = 0x1000;
  private readonly rxFifo = new Uint8Array(PL011_FIFO_DEPTH);
  private rxHead = 0;
  private rxCount = 0;
  private ilpr = 0;
  private ibrd = 0;
  private fbrd = 0;
  private lcrH = 0;
  private cr = 0x0300;
  private ifls = 0x12;
  private imsc = 0;
  private ris = 0;
  private dmacr = 0;
  private irqLevel = false;

  constructor(private readonly options: Pl011Options) {}

  /** Power-on/reset values (TRM §3.2). The IRQ line is lowered. */
  reset(): void {
    this.rxHead = this.rxCount = 0;
    this.ilpr = this.ibrd = this.fbrd = this.lcrH = this.imsc = this.ris = this.dmacr = 0;
    this.cr = 0x0300;
    this.ifls = 0x12;
    this.updateIrq();
  }

  /** RX FIFO entries free now (1 when FIFOs are disabled and the holding register is empty). */
  rxSpace(): number {
    return this.rxCapacity() - this.rxCount;
  }

  /** Host → guest bytes; takes as many as fit and returns that count. */
  receive(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.rxSpace());
    for (let i = 0; i < n; i++) {
      this.rxFifo[(this.rxHead + this.rxCount) % PL011_FIFO_DEPTH] = bytes[i]!;
      this.rxCount++;
    }
    if (n > 0) {
      this.ris |= INT_RT;
      if (this.rxCount >= this.rxTrigger()) this.ris |= INT_RX;
      this.updateIrq();
    }
    return n;
  }

  mmioRead(offset: number, size: number): number {
    const word = this.readRegister(offset & ~3);
    const shifted = word >>> (8 * (offset & 3));
    return size >= 4 ? shifted >>> 0 : shifted & ((1 << (8 * size)) - 1);
  }

  mmioWrite(offset: number, size: number, value: number): void {
    if ((offset & 3) !== 0) return; // sub-word writes into the middle of a register are ignored
    const v = size >= 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1);
    switch (offset) {
      case PL011.DR:
        this.options.transmit(v & 0xff);
        this.ris |= INT_TX;
        break;
      case PL011.RSR_ECR:
        break; // ECR: any write clears the (never set) error bits
      case PL011.ILPR:
        this.ilpr = v & 0xff;
        break;
      case PL011.IBRD:
        this.ibrd = v & 0xffff;
        break;
      case PL011.FBRD:
        this.fbrd = v & 0x3f;
        break;
      case PL011.LCR_H:
        this.lcrH = v & 0xff;
        break;
      case PL011.CR:
        this.cr = v & 0xff87; // bits 6:3 reserved
        break;
      case PL011.IFLS:
        this.ifls = v & 0x3f;
        if (this.rxCount > 0 && this.rxCount >= this.rxTrigger()) this.ris |= INT_RX;
        break;
      case PL011.IMSC:
        this.imsc = v & INT_ALL;
        break;
      case PL011.ICR:
        this.ris &= ~v;
        break;
      case PL011.DMACR:
        this.dmacr = v & 0x7;
        break;
      default:
        return; // read-only and reserved registers
    }
    this.updateIrq();
  }

  private readRegister(offset: number): number {
    if (offset >= 0xfe0 && offset <= 0xffc) return ID_BYTES[(offset - 0xfe0) >> 2]!;
    switch (offset) {
      case PL011.DR:
        return this.popRx();
      case PL011.RSR_ECR:
        return 0;
      case PL011.FR: {
        let fr = FR_TXFE;
        if (this.rxCount === 0) fr |= FR_RXFE;
        if (this.rxCount >= this.rxCapacity()) fr |= FR_RXFF;
        return fr;
      }
      case PL011.ILPR:
        return this.ilpr;
      case PL011.IBRD:
        return this.ibrd;
      case PL011.FBRD:
        return this.fbrd;
      case PL011.LCR_H:
        return this.lcrH;
      case PL011.CR:
        return this.cr;
      case PL011.IFLS:
        return this.ifls;
      case PL011.IMSC:
        return this.imsc;
      case PL011.RIS:
        return this.ris;
      case PL011.MIS:
        return this.ris & this.imsc;
      case PL011.DMACR:
        return this.dmacr;
      default:
        return 0; // ICR is write-only; reserved and test registers read as zero
    }
  }

  private popRx(): number {
    if (this.rxCount === 0) return 0;
    const byte = this.rxFifo[this.rxHead]!;
    this.rxHead = (this.rxHead + 1) % PL011_FIFO_DEPTH;
    this.rxCount--;
    if (this.rxCount < this.rxTrigger()) this.ris &= ~INT_RX;
    if (this.rxCount === 0) this.ris &= ~INT_RT;
    this.updateIrq();
    this.options.rxSpaceAvailable?.();
    return byte;
  }

  private rxCapacity(): number {
    return this.lcrH & LCR_H_FEN ? PL011_FIFO_DEPTH : 1;
  }

  /** RX FIFO level at which the RX interrupt asserts (IFLS.RXIFLSEL, bits 5:3). */
  private rxTrigger(): number {
    if (!(this.lcrH & LCR_H_FEN)) return 1;
    const sel = (this.ifls >> 3) & 7;
    return ((TRIGGER_EIGHTHS[sel] ?? 4) * PL011_FIFO_DEPTH) / 8;
  }

  private updateIrq(): void {
    const level = (this.ris & this.imsc) !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.options.irq.set(level);
    }
  }
}
