/**
 * How the ARM core reaches memory: a physical memory port. The core owns address translation (its
 * MMU, once privileged state exists) and its software TLBs; the port only says, for a physical page,
 * where its bytes live (one of `regions`, at a byte offset) or that the page is I/O or inaccessible.
 *
 * - `tskvm user` implements the port as the process address space: "physical" = the process's virtual
 *   address, permissions from mmap/mprotect, PHYS_FAULT for unmapped or protected pages (SIGSEGV).
 * - The KVM layer implements it from memory slots: RAM pages are slot bytes; addresses in no slot, and
 *   writes to READONLY slots, are PHYS_IO (they become KVM_EXIT_MMIO).
 *
 * Nothing here allocates per access: the core calls `lookup` only on a TLB miss, with a reusable `out`.
 */

export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_FETCH = 2;
export type AccessKind = typeof ACCESS_READ | typeof ACCESS_WRITE | typeof ACCESS_FETCH;

/** lookup results */
export const PHYS_RAM = 0;
export const PHYS_IO = 1;
export const PHYS_FAULT = 2;

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Filled by `lookup` for PHYS_RAM: the page's bytes are regions[region][offset .. offset+4095]. */
export interface PhysPage {
  region: number;
  offset: number;
}

export interface PhysicalMemoryPort {
  /** Byte arrays pages live in. May grow (never shrink or reorder) over time. */
  readonly regions: readonly Uint8Array[];
  /**
   * Incremented whenever a lookup answer for some page may have changed (mapping, unmapping,
   * protection change, slot change). The core flushes its TLBs when it sees a new value.
   */
  readonly generation: number;
  /** Where the page containing physical address `pa` (a number, up to 40 bits) lives, for `access`. */
  lookup(pa: number, access: AccessKind, out: PhysPage): typeof PHYS_RAM | typeof PHYS_IO | typeof PHYS_FAULT;
  /**
   * An I/O read of `size` bytes (1, 2 or 4) at `pa`: the value in the guest's memory byte order folded
   * to an unsigned little-endian number (0 .. 2^32-1). The core splits wider accesses (LDRD, LDM) into
   * word accesses. Return IO_STOP (negative, so never a value) to make the core stop before the
   * instruction completes; the instruction is restarted later and the value then comes from `ioRead`
   * again (the layer above keeps the completed value until then).
   */
  ioRead(pa: number, size: number): number;
  /** An I/O write of `size` bytes, `value` unsigned. Return IO_DONE, or IO_STOP to stop the core first. */
  ioWrite(pa: number, size: number, value: number): number;
}

/** Returned by ioRead/ioWrite to ask the core to stop; reads are unsigned, so -1 is never a value. */
export const IO_STOP = -1;
/** Returned by ioWrite when the write was performed. */
export const IO_DONE = 0;
