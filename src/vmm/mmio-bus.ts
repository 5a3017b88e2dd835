/**
 * The VMM's MMIO bus: the guest-physical windows of userspace devices, and the dispatch of a
 * KVM_EXIT_MMIO to the device owning the address (like kvmtool's kvm__emulate_mmio over its
 * rb-tree of regions, or QEMU's address_space_rw on the system memory region).
 *
 * kvm_run.mmio (reference §4.2): `phys_addr`, `len` (1, 2, 4 or 8), `is_write`, and `data[8]` holding
 * the bytes in memory order. KVM/ARM hands over the value as the device sees it (already swapped if the
 * guest runs big-endian), stored in the host's byte order — little-endian here — so every device gets
 * a plain number and a read is completed by storing its value little-endian into data[0..len).
 */
import type { MmioDevice } from "../devices/bus.js";

export interface MmioRegion {
  /** Guest-physical base of the window. */
  readonly base: number;
  readonly device: MmioDevice;
  /** For messages (e.g. "pl011", "virtio-mmio@0xa000000"). */
  readonly name: string;
}

/** What happened to one access: handled by a device, or no device at that address. */
export type MmioOutcome = "handled" | "unmapped";

export class MmioBus {
  /** Sorted by base; windows never overlap (checked in add). */
  private readonly regions: MmioRegion[] = [];
  /** The region of the previous access: consecutive exits usually hit the same device. */
  private last: MmioRegion | undefined;

  add(base: number, device: MmioDevice, name: string): void {
    const size = device.windowSize;
    if (!Number.isSafeInteger(base) || base < 0 || !Number.isSafeInteger(size) || size <= 0) {
      throw new RangeError(`${name}: bad MMIO window 0x${base.toString(16)} + 0x${size.toString(16)}`);
    }
    for (const r of this.regions) {
      if (base < r.base + r.device.windowSize && r.base < base + size) {
        throw new RangeError(`${name} at 0x${base.toString(16)} overlaps ${r.name} at 0x${r.base.toString(16)}`);
      }
    }
    this.regions.push({ base, device, name });
    this.regions.sort((a, b) => a.base - b.base);
  }

  /** The region whose window contains [addr, addr + len), or undefined. Binary search over bases. */
  find(addr: number, len: number): MmioRegion | undefined {
    const l = this.last;
    if (l !== undefined && addr >= l.base && addr + len <= l.base + l.device.windowSize) return l;
    let lo = 0;
    let hi = this.regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.regions[mid]!;
      if (addr < r.base) hi = mid - 1;
      else if (addr >= r.base + r.device.windowSize) lo = mid + 1;
      else {
        if (addr + len > r.base + r.device.windowSize) return undefined; // straddles the window's end
        this.last = r;
        return r;
      }
    }
    return undefined;
  }

  /**
   * Serves one access. `data` is kvm_run.mmio.data: read for a write, filled for a read. An access no
   * device claims reads as zero and drops writes, as on a bus without a slave answering with an error
   * — the caller decides whether to report it.
   */
  access(addr: number, len: number, isWrite: boolean, data: Uint8Array): MmioOutcome {
    const r = this.find(addr, len);
    if (r === undefined) {
      if (!isWrite) data.fill(0, 0, len);
      return "unmapped";
    }
    const offset = addr - r.base;
    if (isWrite) {
      let value = 0;
      for (let i = Math.min(len, 4) - 1; i >= 0; i--) value = value * 256 + data[i]!;
      r.device.mmioWrite(offset, len, value);
    } else {
      let value = r.device.mmioRead(offset, len) >>> 0;
      for (let i = 0; i < len; i++) {
        data[i] = i < 4 ? value & 0xff : 0;
        if (i < 4) value >>>= 8;
      }
    }
    return "handled";
  }

  get size(): number {
    return this.regions.length;
  }
}
