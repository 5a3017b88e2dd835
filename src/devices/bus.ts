/**
 * The small interfaces a device sees (docs/ARCHITECTURE.md, "src/devices/ imports src/abi/ at most"):
 * an interrupt line it drives, a register window the VMM routes KVM_EXIT_MMIO accesses to, and a
 * guest-physical memory accessor for DMA. The VMM implements them over the public KVM API
 * (KVM_IRQ_LINE, the memory slots' host mappings); tests implement them with plain arrays.
 */

/** One level-sensitive interrupt line (the VMM maps it to KVM_IRQ_LINE on the device's SPI). */
export interface IrqLine {
  set(level: boolean): void;
}

/**
 * A device's register window. `offset` is relative to the window base, `size` is the access width
 * in bytes (1, 2, 4 or 8, as kvm_run.mmio.len). Reads return the value zero-extended to 32 bits
 * (for 8-byte accesses the low word); neither call ever throws for any offset/size a guest can make.
 */
export interface MmioDevice {
  readonly windowSize: number;
  mmioRead(offset: number, size: number): number;
  mmioWrite(offset: number, size: number, value: number): void;
}

/**
 * A DMA access outside guest RAM (or otherwise impossible). Devices catch it and turn it into a
 * device-level error state (virtio: DEVICE_NEEDS_RESET); it never escapes a device into the VMM.
 */
export class GuestMemoryError extends Error {
  constructor(
    readonly gpa: number,
    readonly length: number,
  ) {
    super(`guest memory access outside RAM: ${length} byte(s) at 0x${gpa.toString(16)}`);
    this.name = "GuestMemoryError";
  }
}

/**
 * Guest-physical memory as a device doing DMA sees it. Addresses are numbers (exact below 2^53,
 * far beyond any 32-bit ARM guest's RAM); every access is little-endian, as virtio 1.x rings are.
 * Every method throws GuestMemoryError when any byte of the access lies outside guest RAM.
 */
export interface GuestMemoryAccess {
  /** A copy of `length` bytes at `gpa`. */
  read(gpa: number, length: number): Uint8Array;
  /** Copies `bytes` to `gpa`. */
  write(gpa: number, bytes: Uint8Array): void;
  readU16(gpa: number): number;
  readU32(gpa: number): number;
  readU64(gpa: number): bigint;
  writeU16(gpa: number, value: number): void;
  writeU32(gpa: number, value: number): void;
}

/**
 * GuestMemoryAccess over one contiguous block of RAM (a memory slot's host mapping): `bytes[0]` is
 * guest-physical `base`. On the virt board that is RAM at 0x40000000.
 */
export class RamGuestMemory implements GuestMemoryAccess {
  private readonly view: DataView;

  constructor(
    readonly base: number,
    readonly bytes: Uint8Array,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Offset of [gpa, gpa+length) inside `bytes`, or a GuestMemoryError. */
  private offsetOf(gpa: number, length: number): number {
    const off = gpa - this.base;
    if (!Number.isSafeInteger(gpa) || length < 0 || off < 0 || off + length > this.bytes.length) {
      throw new GuestMemoryError(gpa, length);
    }
    return off;
  }

  read(gpa: number, length: number): Uint8Array {
    const off = this.offsetOf(gpa, length);
    return this.bytes.slice(off, off + length);
  }

  write(gpa: number, bytes: Uint8Array): void {
    this.bytes.set(bytes, this.offsetOf(gpa, bytes.length));
  }

  readU16(gpa: number): number {
    return this.view.getUint16(this.offsetOf(gpa, 2), true);
  }

  readU32(gpa: number): number {
    return this.view.getUint32(this.offsetOf(gpa, 4), true);
  }

  readU64(gpa: number): bigint {
    return this.view.getBigUint64(this.offsetOf(gpa, 8), true);
  }

  writeU16(gpa: number, value: number): void {
    this.view.setUint16(this.offsetOf(gpa, 2), value, true);
  }

  writeU32(gpa: number, value: number): void {
    this.view.setUint32(this.offsetOf(gpa, 4), value >>> 0, true);
  }
}
