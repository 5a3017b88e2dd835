/**
 * Coalesced MMIO (virt/kvm/coalesced_mmio.c, v5.4–5.6): zones of guest-physical space whose writes
 * are queued in a ring page instead of exiting; the VMM drains the ring when it next gets control.
 * Reference kvm-arm32-abi.md §3.12; ring placement: docs/kvm-run-mapping.md.
 *
 * KVM_REGISTER_COALESCED_MMIO: `pio` (the union with `pad`) other than 0 or 1 is EINVAL; a zone is a
 * device on the MMIO (pio = 0) or PIO (pio = 1) bus, so a bus already holding NR_IOBUS_DEVS devices
 * other than ioeventfds is ENOSPC (kvm_io_bus_register_dev; the ENOBUFS of the fixed 100-zone table
 * belongs to kernels before 3.x). Zones may overlap and repeat; nothing else is checked.
 * KVM_UNREGISTER_COALESCED_MMIO: EINVAL for a bad `pio`; every zone of that bus that contains the
 * whole range [addr, addr + size) is removed; 0 even when none did.
 *
 * The write path (coalesced_mmio_write): a write lies in a zone when [pa, pa + len) fits inside it
 * (reads are never coalesced: they exit). The entry goes at `last` when the ring has room, by the
 * kernel's own test: (first − last − 1) computed in u32 and taken modulo KVM_COALESCED_MMIO_MAX must be
 * non-zero, and `last` below the maximum. Because 2^32 is no multiple of 170 that test is exact only
 * while first > last; with first ≤ last the ring counts as full once last − first reaches 85 (86 mod
 * 170 is 2^32 mod 170) — 85 entries from an empty ring at 0, not 169. tskvm keeps the kernel's
 * arithmetic, so a VMM sees the same exits it would on Linux. Full: the write exits as usual.
 * An entry: phys_addr, len, pio (from the zone) and `len` data bytes in memory order (the rest of
 * data[8] keeps what it held); then `last` advances modulo 170.
 */
import { EFAULT, EINVAL, ENOSPC } from "../abi/errno.js";
import {
  KVM_COALESCED_MMIO_ENTRY_DATA, KVM_COALESCED_MMIO_ENTRY_LEN, KVM_COALESCED_MMIO_ENTRY_PHYS_ADDR,
  KVM_COALESCED_MMIO_ENTRY_SIZE, KVM_COALESCED_MMIO_MAX, KVM_COALESCED_MMIO_RING_ENTRIES,
  KVM_COALESCED_MMIO_RING_FIRST, KVM_COALESCED_MMIO_RING_LAST, kvm_coalesced_mmio_zone,
} from "../abi/structs/memory.js";
import { KVM_MMIO_BUS, KVM_PIO_BUS } from "./ioeventfd.js";
import { viewOf, type IoctlArg } from "./uaccess.js";

/** Offset of the `pio` word (union with `pad`) in a ring entry. */
const ENTRY_PIO = 12;
const TWO32 = 4294967296;

export interface CoalescedZone {
  readonly addr: bigint;
  readonly size: number;
  readonly pio: number;
}

export class KvmCoalescedMmio {
  /** kvm->coalesced_zones, in registration order. */
  private readonly zones: CoalescedZone[] = [];
  /** MMIO zones as numbers (guest-physical addresses fit a double exactly), for the write path. */
  private mmioStart: number[] = [];
  private mmioEnd: number[] = [];
  private readonly ringView: DataView;
  /** Other vCPUs' ring pages: copies of `ring`, refreshed on every queued write (see the mapping doc). */
  private readonly mirrors: Uint8Array[] = [];

  constructor(
    /** kvm->coalesced_mmio_ring: the 4096-byte page that is page 1 of the first vCPU's mmap area. */
    readonly ring: Uint8Array,
    private readonly busHasRoom: (bus: number) => boolean,
  ) {
    this.ringView = viewOf(ring);
  }

  /** Zones on `bus` (kvm_io_bus dev_count share). */
  zonesOn(bus: number): number {
    let n = 0;
    for (const z of this.zones) if ((z.pio === 1 ? KVM_PIO_BUS : KVM_MMIO_BUS) === bus) n++;
    return n;
  }

  /** Whether any MMIO zone exists (the write path's fast exit). */
  get anyMmio(): boolean {
    return this.mmioStart.length > 0;
  }

  /** A vCPU after the first: its ring page mirrors the VM ring from now on. */
  addMirror(page: Uint8Array): void {
    page.set(this.ring);
    this.mirrors.push(page);
  }

  /** KVM_REGISTER_COALESCED_MMIO / KVM_UNREGISTER_COALESCED_MMIO. */
  ioctl(arg: IoctlArg, register: boolean): number {
    const bytes = arg.copyIn(kvm_coalesced_mmio_zone.size);
    if (bytes === null) return -EFAULT;
    const z = kvm_coalesced_mmio_zone.read(viewOf(bytes));
    const zone: CoalescedZone = { addr: z.addr, size: z.size, pio: z.pad };
    return register ? this.register(zone) : this.unregister(zone);
  }

  register(zone: CoalescedZone): number {
    if (zone.pio !== 0 && zone.pio !== 1) return -EINVAL;
    if (!this.busHasRoom(zone.pio === 1 ? KVM_PIO_BUS : KVM_MMIO_BUS)) return -ENOSPC;
    this.zones.push({ ...zone });
    this.refresh();
    return 0;
  }

  unregister(zone: CoalescedZone): number {
    if (zone.pio !== 0 && zone.pio !== 1) return -EINVAL;
    const start = zone.addr, end = zone.addr + BigInt(zone.size);
    for (let i = this.zones.length - 1; i >= 0; i--) {
      const z = this.zones[i]!;
      if (z.pio === zone.pio && start >= z.addr && end <= z.addr + BigInt(z.size)) this.zones.splice(i, 1);
    }
    this.refresh();
    return 0;
  }

  private refresh(): void {
    const mmio = this.zones.filter((z) => z.pio === 0);
    this.mmioStart = mmio.map((z) => Number(z.addr));
    this.mmioEnd = mmio.map((z) => Number(z.addr) + z.size);
  }

  /**
   * A guest write on the MMIO bus (`value`: the bytes in memory order folded little-endian). Queues it
   * and returns true if it lies in a zone and the ring has room; false: it exits as usual.
   */
  mmioWrite(pa: number, size: number, value: number): boolean {
    const starts = this.mmioStart, ends = this.mmioEnd;
    let hit = false;
    for (let i = 0; i < starts.length; i++) {
      if (pa >= starts[i]! && pa + size <= ends[i]!) {
        hit = true;
        break;
      }
    }
    if (!hit) return false;
    const v = this.ringView;
    const first = v.getUint32(KVM_COALESCED_MMIO_RING_FIRST, true);
    const insert = v.getUint32(KVM_COALESCED_MMIO_RING_LAST, true);
    if (!hasRoom(first, insert) || insert >= KVM_COALESCED_MMIO_MAX) return false;
    const e = KVM_COALESCED_MMIO_RING_ENTRIES + insert * KVM_COALESCED_MMIO_ENTRY_SIZE;
    v.setUint32(e + KVM_COALESCED_MMIO_ENTRY_PHYS_ADDR, pa >>> 0, true);
    v.setUint32(e + KVM_COALESCED_MMIO_ENTRY_PHYS_ADDR + 4, Math.floor(pa / TWO32), true);
    v.setUint32(e + KVM_COALESCED_MMIO_ENTRY_LEN, size, true);
    for (let b = 0; b < size; b++) v.setUint8(e + KVM_COALESCED_MMIO_ENTRY_DATA + b, (value >>> (8 * b)) & 0xff);
    v.setUint32(e + ENTRY_PIO, 0, true);
    v.setUint32(KVM_COALESCED_MMIO_RING_LAST, (insert + 1) % KVM_COALESCED_MMIO_MAX, true);
    for (const m of this.mirrors) {
      m.set(this.ring.subarray(e, e + KVM_COALESCED_MMIO_ENTRY_SIZE), e);
      m.set(this.ring.subarray(0, KVM_COALESCED_MMIO_RING_ENTRIES), 0);
    }
    return true;
  }
}

/** coalesced_mmio_has_room: (first − last − 1) as a u32, modulo KVM_COALESCED_MMIO_MAX, must be non-zero. */
export function hasRoom(first: number, last: number): boolean {
  return ((first - last - 1) >>> 0) % KVM_COALESCED_MMIO_MAX !== 0;
}
