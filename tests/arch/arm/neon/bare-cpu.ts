/**
 * Just enough of ArmCpu for running Advanced SIMD executors directly: core registers, the FP/SIMD
 * register file and a flat 64-byte memory at MEM_BASE. Alignment faults and accesses outside the
 * buffer throw (the real MMU stops the guest instead). FP/SIMD access is on (User mode, CPACR full
 * access, FPEXC.EN), so the executors' access gate lets them run.
 */
import { enableFpSimdAccess, FpSimdState } from "../../../../src/arch/arm/fp-simd.js";

export const MEM_BASE = 0x10000;

export class BareCpu {
  readonly fp = new FpSimdState();
  readonly cp15 = { cpacr: 0 };
  readonly mode = 0x10;
  readonly regs = new Int32Array(16);
  bigEndian = false;
  readonly mem = new Uint8Array(64);
  private readonly view = new DataView(this.mem.buffer);
  readonly mmu = {
    checkAlign: (va: number, mask: number) => {
      if ((va & mask) !== 0) throw new Error(`alignment fault at ${va.toString(16)}`);
    },
    probeWrite: (va: number, size: number) => void this.offset(va, size),
    read8: (va: number) => this.view.getUint8(this.offset(va, 1)),
    read16: (va: number) => this.view.getUint16(this.offset(va, 2), true),
    read32: (va: number) => this.view.getInt32(this.offset(va, 4), true),
    write8: (va: number, v: number) => this.view.setUint8(this.offset(va, 1), v),
    write16: (va: number, v: number) => this.view.setUint16(this.offset(va, 2), v, true),
    write32: (va: number, v: number) => this.view.setInt32(this.offset(va, 4), v, true),
  };
  constructor() {
    enableFpSimdAccess(this);
  }
  private offset(va: number, size: number): number {
    const o = (va >>> 0) - MEM_BASE;
    if (o < 0 || o + size > 64) throw new Error(`access outside the buffer at ${va.toString(16)}`);
    return o;
  }
}

