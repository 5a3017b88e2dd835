/**
 * A VM's memory slots (struct kvm_memslots) and KVM_SET_USER_MEMORY_REGION, with every validation row
 * of reference kvm-arm32-abi.md §3.1 in the kernel's order (virt/kvm/kvm_main.c
 * kvm_vm_ioctl_set_memory_region / __kvm_set_memory_region, v5.4).
 *
 * Arithmetic follows the kernel's types: `unsigned long` values (the user range checked by access_ok,
 * the page count `npages`) are truncated to BITS_PER_LONG, so on a 32-bit ARM host only the low 32
 * bits of `userspace_addr` matter, as the reference notes; `gfn_t` values stay 64-bit.
 *
 * A slot's guest memory is the host memory at `userspace_addr`; guest-memory.ts serves it to the CPU.
 */
import { EEXIST, EINVAL } from "../abi/errno.js";
import { KVM_MEM_LOG_DIRTY_PAGES, KVM_MEM_READONLY } from "../abi/structs/memory.js";

export const PAGE_SHIFT = 12;
const PAGE_SIZE_N = 1n << BigInt(PAGE_SHIFT);
/** KVM_MEM_MAX_NR_PAGES = (1UL << 31) - 1. */
export const KVM_MEM_MAX_NR_PAGES = 2 ** 31 - 1;
/** KVM_ADDRESS_SPACE_NUM: 1 on every architecture but x86. */
export const KVM_ADDRESS_SPACE_NUM = 1;

/** The decoded kvm_userspace_memory_region (the codec's output has exactly these fields). */
export interface UserspaceMemoryRegion {
  readonly slot: number;
  readonly flags: number;
  readonly guest_phys_addr: bigint;
  readonly memory_size: bigint;
  readonly userspace_addr: bigint;
}

/** enum kvm_mr_change. */
export const MemoryChange = { Create: 0, Delete: 1, Move: 2, FlagsOnly: 3 } as const;
export type MemoryChange = (typeof MemoryChange)[keyof typeof MemoryChange];

/** One populated slot (struct kvm_memory_slot). Page numbers fit in a double exactly (< 2^53). */
export interface MemorySlot {
  readonly id: number;
  baseGfn: number;
  npages: number;
  flags: number;
  readonly userspaceAddr: bigint;
  /**
   * One bit per page, the kernel's unsigned-long bitmap in little-endian byte order (page n = byte
   * n>>3, bit n&7), ALIGN(npages, BITS_PER_LONG)/8 bytes; null unless KVM_MEM_LOG_DIRTY_PAGES.
   */
  dirtyBitmap: Uint8Array | null;
}

/** What the architecture decides about memory slots. */
export interface MemslotPolicy {
  /** KVM_USER_MEM_SLOTS. */
  readonly userMemSlots: number;
  /** Flag bits accepted (LOG_DIRTY_PAGES, plus READONLY where the arch has __KVM_HAVE_READONLY_MEM). */
  readonly validFlags: number;
  /** BITS_PER_LONG. */
  readonly longBits: 32 | 64;
  /** TASK_SIZE: end of the user address range access_ok accepts. */
  readonly taskSize: number;
  /** kvm_arch_prepare_memory_region: 0 or a negative errno (ARM: the 40-bit IPA limit, -EFAULT). */
  prepareMemoryRegion(slot: Readonly<MemorySlot>, change: MemoryChange): number;
}

/** Bytes of a slot's dirty bitmap: ALIGN(npages, BITS_PER_LONG) / 8. */
export const dirtyBitmapBytes = (npages: number, longBits: number): number =>
  (Math.ceil(npages / longBits) * longBits) / 8;

export class Memslots {
  /** By slot id; undefined = not populated. */
  private readonly byId: (MemorySlot | undefined)[];
  /** Populated slots sorted by baseGfn (they never overlap). */
  sorted: MemorySlot[] = [];
  /** Incremented on every successful change (create, delete, move, flags-only). */
  generation = 0;

  constructor(private readonly policy: MemslotPolicy) {
    this.byId = new Array<MemorySlot | undefined>(policy.userMemSlots).fill(undefined);
  }

  /** The populated slot with this (u16) id, or undefined. */
  slot(id: number): MemorySlot | undefined {
    return this.byId[id];
  }

  /** The slot holding guest frame `gfn`, or undefined. */
  find(gfn: number): MemorySlot | undefined {
    const s = this.sorted;
    let lo = 0;
    let hi = s.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = s[mid]!;
      if (gfn < m.baseGfn) hi = mid - 1;
      else if (gfn >= m.baseGfn + m.npages) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /** KVM_SET_USER_MEMORY_REGION: 0 or a negative errno. */
  set(mem: UserspaceMemoryRegion): number {
    const p = this.policy;
    const longMask = (1n << BigInt(p.longBits)) - 1n;
    const id = mem.slot & 0xffff;
    const asId = mem.slot >>> 16;

    // 1. kvm_vm_ioctl_set_memory_region: (u16)slot >= KVM_USER_MEM_SLOTS
    if (id >= p.userMemSlots) return -EINVAL;
    // 2. check_memory_region_flags
    if ((mem.flags & ~p.validFlags) !== 0) return -EINVAL;
    // 3., 4. size and guest address page-aligned
    if ((mem.memory_size & (PAGE_SIZE_N - 1n)) !== 0n) return -EINVAL;
    if ((mem.guest_phys_addr & (PAGE_SIZE_N - 1n)) !== 0n) return -EINVAL;
    // 5. userspace_addr page-aligned and access_ok(uaddr, size) (both unsigned long)
    const uaddr = mem.userspace_addr & longMask;
    const usize = mem.memory_size & longMask;
    const task = BigInt(p.taskSize);
    if ((uaddr & (PAGE_SIZE_N - 1n)) !== 0n || uaddr > task || usize > task - uaddr) return -EINVAL;
    // 6. address space
    if (asId >= KVM_ADDRESS_SPACE_NUM) return -EINVAL;
    // 7. guest range wraps around 2^64
    if (mem.guest_phys_addr + mem.memory_size > 0xffffffffffffffffn) return -EINVAL;
    // 8. page count (unsigned long npages)
    const baseGfnN = mem.guest_phys_addr >> BigInt(PAGE_SHIFT);
    const npagesN = (mem.memory_size >> BigInt(PAGE_SHIFT)) & longMask;
    if (npagesN > BigInt(KVM_MEM_MAX_NR_PAGES)) return -EINVAL;
    const npages = Number(npagesN);

    const old = this.byId[id];
    let change: MemoryChange;
    if (npages !== 0) {
      if (old === undefined) {
        change = MemoryChange.Create;
      } else {
        // 9. a populated slot can move or change LOG_DIRTY_PAGES, nothing else
        if (mem.userspace_addr !== old.userspaceAddr || npages !== old.npages) return -EINVAL;
        if (((mem.flags ^ old.flags) & KVM_MEM_READONLY) !== 0) return -EINVAL;
        if (baseGfnN !== BigInt(old.baseGfn)) change = MemoryChange.Move;
        else if (mem.flags !== old.flags) change = MemoryChange.FlagsOnly;
        else return 0; // 10. identical: no-op
      }
    } else {
      // 11. deleting an empty slot
      if (old === undefined) return -EINVAL;
      change = MemoryChange.Delete;
    }

    // 12. creating or moving onto another slot's pages
    if (change === MemoryChange.Create || change === MemoryChange.Move) {
      const endN = baseGfnN + npagesN;
      for (const s of this.sorted) {
        if (s.id === id) continue;
        if (!(endN <= BigInt(s.baseGfn) || baseGfnN >= BigInt(s.baseGfn + s.npages))) return -EEXIST;
      }
    }

    // Guest frames beyond 2^53 cannot be reached by any emulated CPU (40-bit ARM IPA, 60-bit PPC real
    // addresses at most); slots that high are kept exact for the checks above and clamped here.
    const baseGfn = change === MemoryChange.Delete ? 0 : Number(baseGfnN);
    const flags = change === MemoryChange.Delete ? 0 : mem.flags;
    const next: MemorySlot = {
      id,
      baseGfn,
      npages,
      flags,
      userspaceAddr: old?.userspaceAddr ?? mem.userspace_addr,
      dirtyBitmap: null,
    };
    if (change !== MemoryChange.Delete && (flags & KVM_MEM_LOG_DIRTY_PAGES) !== 0) {
      // a moved slot keeps its dirty bits; turning logging on starts from a clean bitmap
      next.dirtyBitmap = old?.dirtyBitmap ?? new Uint8Array(dirtyBitmapBytes(npages, p.longBits));
    }

    // 13., 14. the architecture's say (ARM: stage-2 IPA limit -> EFAULT)
    const r = p.prepareMemoryRegion(next, change);
    if (r < 0) return r;

    this.commit(id, change === MemoryChange.Delete ? undefined : next);
    return 0;
  }

  private commit(id: number, slot: MemorySlot | undefined): void {
    this.byId[id] = slot;
    this.sorted = this.byId.filter((s): s is MemorySlot => s !== undefined).sort((a, b) => a.baseGfn - b.baseGfn);
    this.generation++;
  }

  /** Called after dirty bits were cleared (the CPU must refill its TLB to re-mark pages). */
  bump(): void {
    this.generation++;
  }

  /** A slot's userspace address as the host resolves it (truncated to BITS_PER_LONG). */
  hostAddress(slot: MemorySlot): number {
    return Number(BigInt.asUintN(this.policy.longBits, slot.userspaceAddr));
  }
}
