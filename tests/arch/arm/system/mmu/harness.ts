/**
 * A test machine for the MMU alone: an ArmMmu over a physical memory port with RAM windows (one
 * below 4 GiB, one above, for 40-bit output addresses), an I/O page, and nothing elsewhere; helpers
 * to write descriptors and to run an access that is expected to abort, returning the StopInfo.
 */
import { ArmMmu, type CodeWriteListener } from "../../../../../src/arch/arm/mmu.js";
import {
  ACCESS_READ, IO_DONE, PHYS_FAULT, PHYS_IO, PHYS_RAM, type AccessKind, type PhysicalMemoryPort, type PhysPage,
} from "../../../../../src/arch/arm/memory.js";
import { GUEST_STOP, StopInfo } from "../../../../../src/arch/arm/stop.js";

export const RAM_LOW = 0x0000_0000;
export const RAM_LOW_SIZE = 0x0200_0000; // 32 MiB
export const RAM_HIGH = 0x12_3400_0000; // above 4 GiB (40-bit PA)
export const RAM_HIGH_SIZE = 0x0100_0000;
export const IO_PAGE = 0x0900_0000;

export class TestPort implements PhysicalMemoryPort {
  readonly regions = [new Uint8Array(RAM_LOW_SIZE), new Uint8Array(RAM_HIGH_SIZE)];
  generation = 0;
  readonly ioLog: string[] = [];
  lookup(pa: number, _access: AccessKind, out: PhysPage): typeof PHYS_RAM | typeof PHYS_IO | typeof PHYS_FAULT {
    if (pa >= RAM_LOW && pa < RAM_LOW + RAM_LOW_SIZE) {
      out.region = 0;
      out.offset = Math.floor((pa - RAM_LOW) / 4096) * 4096;
      return PHYS_RAM;
    }
    if (pa >= RAM_HIGH && pa < RAM_HIGH + RAM_HIGH_SIZE) {
      out.region = 1;
      out.offset = Math.floor((pa - RAM_HIGH) / 4096) * 4096;
      return PHYS_RAM;
    }
    if (pa >= IO_PAGE && pa < IO_PAGE + 4096) return PHYS_IO;
    return PHYS_FAULT;
  }
  ioRead(pa: number, size: number): number {
    this.ioLog.push(`r${size}@${pa.toString(16)}`);
    return 0x1234;
  }
  ioWrite(pa: number, size: number, value: number): number {
    this.ioLog.push(`w${size}@${pa.toString(16)}=${value.toString(16)}`);
    return IO_DONE;
  }
  private view(pa: number): [DataView, number] {
    const high = pa >= RAM_HIGH;
    const r = this.regions[high ? 1 : 0];
    return [new DataView(r.buffer), pa - (high ? RAM_HIGH : RAM_LOW)];
  }
  /** Little-endian word store into physical memory (test setup). */
  poke32(pa: number, v: number, bigEndian = false): void {
    const [dv, off] = this.view(pa);
    dv.setUint32(off, v >>> 0, !bigEndian);
  }
  peek32(pa: number): number {
    const [dv, off] = this.view(pa);
    return dv.getUint32(off, true);
  }
  /** A 64-bit descriptor: low and high words. */
  poke64(pa: number, lo: number, hi: number, bigEndian = false): void {
    if (bigEndian) {
      this.poke32(pa, hi, true);
      this.poke32(pa + 4, lo, true);
    } else {
      this.poke32(pa, lo);
      this.poke32(pa + 4, hi);
    }
  }
}

class NoCode implements CodeWriteListener {
  hasCode(): boolean {
    return false;
  }
  codeWritten(): void {}
  changes = 0;
  translationsChanged(): void {
    this.changes++;
  }
}

export interface Machine {
  port: TestPort;
  mmu: ArmMmu;
  info: StopInfo;
  listener: NoCode;
}

/** A system-mode MMU (PL1, MMU off until the test programs SCTLR and calls translationRegimeChanged). */
export function machine(): Machine {
  const port = new TestPort();
  const info = new StopInfo();
  const listener = new NoCode();
  const mmu = new ArmMmu(port, info, listener);
  mmu.system = true;
  mmu.setUser(false);
  mmu.translationRegimeChanged();
  return { port, mmu, info, listener };
}

/** Runs `f`, which must abort; returns the stop info (a copy of the fields tests look at). */
export function aborts(m: Machine, f: () => unknown): {
  reason: number; address: number; access: number; type: number; level: number; domain: number; long: boolean; status: number;
} {
  const info = m.info;
  info.reason = 0;
  info.faultType = 0;
  try {
    f();
  } catch (e) {
    if (e !== GUEST_STOP) throw e;
    return {
      reason: info.reason, address: info.address, access: info.access, type: info.faultType, level: info.faultLevel,
      domain: info.faultDomain, long: info.faultLong, status: info.status,
    };
  }
  throw new Error("expected an abort, the access completed");
}

export { ACCESS_READ };

/** One RAM region of `size` bytes at physical 0 and nothing else: the port the core-level MMU tests run on. */
export function flatRamPort(size: number): { port: PhysicalMemoryPort; ram: Uint8Array; dv: DataView } {
  const ram = new Uint8Array(size);
  const port: PhysicalMemoryPort = {
    regions: [ram], generation: 0,
    lookup: (pa, _a, out) => {
      if (pa >= size) return PHYS_FAULT;
      out.region = 0;
      out.offset = pa - (pa % 4096);
      return PHYS_RAM;
    },
    ioRead: () => 0,
    ioWrite: () => 0,
  };
  return { port, ram, dv: new DataView(ram.buffer) };
}
