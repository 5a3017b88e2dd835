/**
 * A VM's guest-physical memory as the CPU cores see it: a PhysicalMemoryPort (src/arch/arm/memory.ts)
 * built from the VM's memory slots.
 *
 * - A page in a slot is RAM: its bytes are the host memory at the slot's userspace_addr (no copy; a
 *   write through the host mapping is visible to the guest at once, and the other way round).
 * - A write to a READONLY slot, and any access to an address in no slot, is PHYS_IO (the architecture
 *   turns data accesses into KVM_EXIT_MMIO; ARM turns a fetch into a Prefetch Abort).
 * - A slot page whose host address is in no live mapping (never mapped, or munmap'ed since) is
 *   PHYS_FAULT: KVM_RUN must fail with -EFAULT, as Linux's get_user_pages failure does.
 * - A write lookup in a slot with KVM_MEM_LOG_DIRTY_PAGES sets the page's dirty bit.
 *
 * `generation` moves on every slot change, every dirty-log clear that cleared a bit (the CPU then
 * refills its TLB, so the next write to a clean page comes back here and marks it again) and every
 * change of the host address space. Lookups cache the last slot hit and each slot's host region.
 *
 * I/O goes to `io`, which the architecture installs (per-vCPU state such as kvm_run lives there);
 * until one is installed every I/O access asks the core to stop. `bus` is the VM's in-kernel write
 * bus (ioeventfds, coalesced-MMIO zones: io-bus.ts), which the architecture's MMIO path consults
 * before it exits to userspace.
 */
import { KVM_MEM_READONLY } from "../abi/structs/memory.js";
import {
  ACCESS_READ,
  ACCESS_WRITE,
  IO_STOP,
  PAGE_SIZE,
  PHYS_FAULT,
  PHYS_IO,
  PHYS_RAM,
  type AccessKind,
  type PhysicalMemoryPort,
  type PhysPage,
} from "../arch/arm/memory.js";
import type { HostMemory } from "./host-memory.js";
import type { MmioWriteBus } from "./io-bus.js";
import type { MemorySlot, Memslots } from "./memslots.js";

/** The I/O half of a PhysicalMemoryPort. */
export interface GuestIo {
  ioRead(pa: number, size: number): number;
  ioWrite(pa: number, size: number, value: number): number;
}

const STOP_IO: GuestIo = { ioRead: () => IO_STOP, ioWrite: () => IO_STOP };

/** cacheRegion values besides a region index. */
const UNRESOLVED = -2;
const SCATTERED = -1;

export class GuestMemory implements PhysicalMemoryPort {
  readonly regions: Uint8Array[] = [];
  io: GuestIo = STOP_IO;
  /** The VM's ioeventfds and coalesced zones (set by the VM); null: none. */
  bus: MmioWriteBus | null = null;
  private readonly regionOf = new Map<Uint8Array, number>();
  private hostChanges = 0;
  private cacheGen = -1;
  private last: MemorySlot | undefined = undefined;
  /** Per slot id: the region holding the whole slot (or UNRESOLVED / SCATTERED) and its byte offset. */
  private readonly cacheRegion: Int32Array;
  private readonly cacheOffset: Float64Array;
  private readonly page: PhysPage = { region: 0, offset: 0 };
  private readonly onHostChange = (): void => {
    this.hostChanges++;
  };

  constructor(
    readonly slots: Memslots,
    private readonly host: HostMemory,
    userMemSlots: number,
  ) {
    this.cacheRegion = new Int32Array(userMemSlots).fill(UNRESOLVED);
    this.cacheOffset = new Float64Array(userMemSlots);
    host.addListener(this.onHostChange);
  }

  get generation(): number {
    return this.slots.generation + this.hostChanges;
  }

  lookup(pa: number, access: AccessKind, out: PhysPage): typeof PHYS_RAM | typeof PHYS_IO | typeof PHYS_FAULT {
    if (this.cacheGen !== this.generation) this.flushCaches();
    const gfn = Math.floor(pa / PAGE_SIZE);
    let s = this.last;
    if (s === undefined || gfn < s.baseGfn || gfn >= s.baseGfn + s.npages) {
      s = this.slots.find(gfn);
      if (s === undefined) return PHYS_IO;
      this.last = s;
    }
    if (access === ACCESS_WRITE && (s.flags & KVM_MEM_READONLY) !== 0) return PHYS_IO;
    const rel = gfn - s.baseGfn;
    let region = this.cacheRegion[s.id]!;
    if (region === UNRESOLVED) region = this.resolveSlot(s);
    if (region >= 0) {
      out.region = region;
      out.offset = this.cacheOffset[s.id]! + rel * PAGE_SIZE;
    } else if (!this.resolvePage(s, rel, out)) {
      return PHYS_FAULT;
    }
    const bitmap = s.dirtyBitmap;
    if (access === ACCESS_WRITE && bitmap !== null) bitmap[rel >>> 3]! |= 1 << (rel & 7);
    return PHYS_RAM;
  }

  ioRead(pa: number, size: number): number {
    return this.io.ioRead(pa, size);
  }

  ioWrite(pa: number, size: number, value: number): number {
    return this.io.ioWrite(pa, size, value);
  }

  /**
   * kvm_read_guest: copies guest RAM at `gpa` into `out`. False if any byte is not slot RAM backed
   * by host memory (the caller's -EFAULT).
   */
  readGuest(gpa: number, out: Uint8Array): boolean {
    return this.copy(gpa, out, false);
  }

  /** kvm_write_guest: copies `data` into guest RAM at `gpa`, marking pages dirty; false as readGuest. */
  writeGuest(gpa: number, data: Uint8Array): boolean {
    return this.copy(gpa, data, true);
  }

  /** Stops following host address-space changes (the VM is being destroyed). */
  detach(): void {
    this.host.removeListener(this.onHostChange);
  }

  private copy(gpa: number, buf: Uint8Array, write: boolean): boolean {
    let done = 0;
    while (done < buf.length) {
      const pa = gpa + done;
      const r = this.lookup(pa, write ? ACCESS_WRITE : ACCESS_READ, this.page);
      if (r !== PHYS_RAM) return false;
      const inPage = pa % PAGE_SIZE;
      const n = Math.min(buf.length - done, PAGE_SIZE - inPage);
      const bytes = this.regions[this.page.region]!;
      const at = this.page.offset + inPage;
      if (write) bytes.set(buf.subarray(done, done + n), at);
      else buf.set(bytes.subarray(at, at + n), done);
      done += n;
    }
    return true;
  }

  private flushCaches(): void {
    this.cacheGen = this.generation;
    this.last = undefined;
    this.cacheRegion.fill(UNRESOLVED);
  }

  /** Region index of a backing store, adding it to `regions` the first time. */
  private region(backing: Uint8Array): number {
    let r = this.regionOf.get(backing);
    if (r === undefined) {
      r = this.regions.length;
      this.regions.push(backing);
      this.regionOf.set(backing, r);
    }
    return r;
  }

  /** Caches whether one host mapping holds the whole slot (the usual case). */
  private resolveSlot(s: MemorySlot): number {
    const hva = this.slots.hostAddress(s);
    const m = this.host.mappingAt(hva);
    let region = SCATTERED;
    if (m !== undefined && hva + s.npages * PAGE_SIZE <= m.end) {
      region = this.region(m.backing);
      this.cacheOffset[s.id] = m.backingOffset + (hva - m.start);
    }
    this.cacheRegion[s.id] = region;
    return region;
  }

  /** A slot spread over several mappings, or partly unmapped: resolve one page. */
  private resolvePage(s: MemorySlot, rel: number, out: PhysPage): boolean {
    const hva = this.host.pointer(this.slots.hostAddress(s) + rel * PAGE_SIZE);
    if (hva < 0) return false;
    const m = this.host.mappingAt(hva);
    if (m === undefined) return false;
    out.region = this.region(m.backing);
    out.offset = m.backingOffset + (hva - m.start);
    return true;
  }
}
