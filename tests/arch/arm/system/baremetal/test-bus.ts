/**
 * The bare-metal test machine for tskvm's ARM core: a PhysicalMemoryPort with the memory map of
 * QEMU's `virt` board, reduced to what the guests in guests/baremetal/ touch:
 *
 *   0x40000000  RAM (256 MiB, as `qemu-system-arm -m 256`), every page PHYS_RAM
 *   0x09000000  PL011 UARTDR: a byte written is console output; other UART registers read 0
 *   0x08000000  GIC distributor, 0x08010000 GIC CPU interface: a TEST STUB, not a GIC (the real
 *               GICv2 comes with the KVM/ARM issue). Writes are accepted and ignored except
 *               GICC_EOIR; GICC_IAR (0x0801000C) answers 27 (virtual timer PPI) while the virtual
 *               timer output is high and 27 is not active, else 30 (physical timer PPI) likewise,
 *               else 1023 (spurious). Reading IAR makes the ID active; writing it to GICC_EOIR
 *               (0x08010010) deactivates it. The CPU's IRQ line is the OR of the pending, not active
 *               timer outputs (`irqLevel`). Everything else in both frames reads 0.
 *   anything else  PHYS_FAULT (the core's external abort path)
 *
 * The runner (runner.ts) samples the timer outputs between run slices (`setTimerOutputs`) and
 * drives the core's IRQ input from `irqLevel`.
 */
import {
  PHYS_FAULT, PHYS_IO, PHYS_RAM, IO_DONE, type AccessKind, type PhysicalMemoryPort, type PhysPage,
} from "../../../../../src/arch/arm/memory.js";

export const RAM_BASE = 0x4000_0000;
export const RAM_SIZE = 256 * 1024 * 1024;
export const UART_BASE = 0x0900_0000;
export const UART_DR = UART_BASE;
export const GICD_BASE = 0x0800_0000;
export const GICC_BASE = 0x0801_0000;
export const GICC_IAR = GICC_BASE + 0x0c;
export const GICC_EOIR = GICC_BASE + 0x10;
export const PPI_VIRT_TIMER = 27;
export const PPI_PHYS_TIMER = 30;
export const SPURIOUS = 1023;

const FRAME = 0x1_0000;

export class BareMetalBus implements PhysicalMemoryPort {
  readonly regions: Uint8Array[];
  readonly generation = 0;
  private readonly out: number[] = [];
  private virtLevel = false;
  private physLevel = false;
  private virtActive = false;
  private physActive = false;
  /** IAR reads that returned a timer ID, for diagnostics. */
  acknowledged = 0;

  constructor() {
    this.regions = [new Uint8Array(RAM_SIZE)];
  }

  get ram(): Uint8Array {
    return this.regions[0]!;
  }

  lookup(pa: number, _access: AccessKind, out: PhysPage): typeof PHYS_RAM | typeof PHYS_IO | typeof PHYS_FAULT {
    if (pa >= RAM_BASE && pa < RAM_BASE + RAM_SIZE) {
      out.region = 0;
      out.offset = (pa - RAM_BASE) & ~0xfff;
      return PHYS_RAM;
    }
    if ((pa >= UART_BASE && pa < UART_BASE + 0x1000) || (pa >= GICD_BASE && pa < GICC_BASE + FRAME)) return PHYS_IO;
    return PHYS_FAULT;
  }

  ioRead(pa: number, _size: number): number {
    if (pa === GICC_IAR) {
      if (this.virtLevel && !this.virtActive) {
        this.virtActive = true;
        this.acknowledged++;
        return PPI_VIRT_TIMER;
      }
      if (this.physLevel && !this.physActive) {
        this.physActive = true;
        this.acknowledged++;
        return PPI_PHYS_TIMER;
      }
      return SPURIOUS;
    }
    return 0;
  }

  ioWrite(pa: number, _size: number, value: number): number {
    if (pa === UART_DR) this.out.push(value & 0xff);
    else if (pa === GICC_EOIR) {
      const id = value & 0x3ff;
      if (id === PPI_VIRT_TIMER) this.virtActive = false;
      else if (id === PPI_PHYS_TIMER) this.physActive = false;
    }
    return IO_DONE;
  }

  /** The timer outputs (CNTV/CNTP: ENABLE && ISTATUS && !IMASK) as the runner sampled them. */
  setTimerOutputs(virt: boolean, phys: boolean): void {
    this.virtLevel = virt;
    this.physLevel = phys;
  }

  /** The level the CPU's IRQ input should have. */
  get irqLevel(): boolean {
    return (this.virtLevel && !this.virtActive) || (this.physLevel && !this.physActive);
  }

  /** Console output so far (Latin-1; the guests print ASCII). */
  get text(): string {
    return Buffer.from(this.out).toString("latin1");
  }

  /** Copy bytes into RAM at physical address `pa`. */
  load(pa: number, bytes: Uint8Array): void {
    if (pa < RAM_BASE || pa + bytes.length > RAM_BASE + RAM_SIZE) {
      throw new Error(`segment at 0x${pa.toString(16)} (+${bytes.length}) is outside RAM`);
    }
    this.ram.set(bytes, pa - RAM_BASE);
  }
}
