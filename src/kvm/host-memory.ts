/**
 * The host process's address space, as far as the emulated kernel needs one: anonymous mappings
 * (`mmap(-1, len)`), vCPU kvm_run mappings, `munmap`, and the user-pointer resolution behind
 * copy_from_user / copy_to_user.
 *
 * Every mapping is a page-aligned range of host addresses backed by bytes of a SharedArrayBuffer (so
 * vCPU worker threads can share it later). Addresses are kept as numbers internally (below 2^53 on
 * every host tskvm emulates) and handed out as bigints, the type ABI pointers have.
 *
 * Placement is first fit, bottom up, from `mmapMin` (Linux's mmap_min_addr: address 0 and the pages
 * above it are never mapped, so NULL always faults) to `taskSize` (TASK_SIZE: the end of user space,
 * 0xBF000000 on the ARM32 hosts tskvm models). A request that fits nowhere is -ENOMEM.
 */
import { EINVAL, ENOMEM } from "../abi/errno.js";
import type { HostMapping } from "../abi/syscalls.js";

export const HOST_PAGE_SIZE = 4096;
const PAGE_MASK = HOST_PAGE_SIZE - 1;

/** ARM32 TASK_SIZE with the default 3G/1G split minus the 16 MiB module area (arch/arm memory.h). */
export const ARM32_TASK_SIZE = 0xbf000000;
/** ppc64 TASK_SIZE_USER64 for 4K pages (64 TiB, the value of Linux 4.x–5.x before the 4 PiB change). */
export const PPC64_TASK_SIZE = 2 ** 46;
/** Lowest address mmap hands out (Linux's default mmap_min_addr on ARM is 32 KiB; tskvm uses 64 KiB). */
export const DEFAULT_MMAP_MIN = 0x10000;

/** One live mapping: host range [start, end) backed by backing[backingOffset ..]. */
export interface HostMappingRecord {
  readonly start: number;
  readonly end: number;
  /** The whole backing store (a view over its SharedArrayBuffer from byte 0). */
  readonly backing: Uint8Array;
  /** Byte offset in `backing` of host address `start`. */
  readonly backingOffset: number;
}

export interface HostMemoryOptions {
  readonly taskSize: number;
  readonly mmapMin?: number;
  /** Width of a user pointer in bits (32 on ARM32, 64 on ppc64); wider pointer values are truncated. */
  readonly pointerBits: 32 | 64;
}

/** Called after any mapping appears or disappears (memory slots re-resolve their host pages). */
export type HostMemoryListener = () => void;

const roundUp = (n: number): number => Math.ceil(n / HOST_PAGE_SIZE) * HOST_PAGE_SIZE;

export class HostMemory {
  readonly taskSize: number;
  readonly mmapMin: number;
  readonly pointerBits: 32 | 64;
  /** Live mappings sorted by start; never overlapping. */
  private maps: HostMappingRecord[] = [];
  private readonly listeners = new Set<HostMemoryListener>();

  constructor(opts: HostMemoryOptions) {
    this.taskSize = opts.taskSize;
    this.mmapMin = opts.mmapMin ?? DEFAULT_MMAP_MIN;
    this.pointerBits = opts.pointerBits;
  }

  /** Anonymous, zero-filled memory of `length` bytes (rounded up to whole pages). */
  mmapAnonymous(length: number): HostMapping | number {
    if (!Number.isFinite(length) || length <= 0 || length > this.taskSize) return -EINVAL;
    const len = roundUp(length);
    const start = this.findFree(len);
    if (start < 0) return -ENOMEM;
    let backing: Uint8Array;
    try {
      backing = new Uint8Array(new SharedArrayBuffer(len));
    } catch {
      return -ENOMEM; // the JavaScript heap refused the allocation
    }
    return this.insert(start, len, backing, 0);
  }

  /**
   * Maps existing bytes (`backing[offset .. offset+length)`, page-aligned) at a fresh host address: how
   * a vCPU fd's kvm_run area is mapped. Each call gives a new address over the same bytes.
   */
  mmapShared(backing: Uint8Array, offset: number, length: number): HostMapping | number {
    if (length <= 0 || (offset & PAGE_MASK) !== 0 || (length & PAGE_MASK) !== 0) return -EINVAL;
    if (offset + length > backing.byteLength) return -EINVAL;
    const start = this.findFree(length);
    if (start < 0) return -ENOMEM;
    return this.insert(start, length, backing, offset);
  }

  /**
   * Unmaps the pages of [addr, addr+length) (length rounded up to pages). `addr` must be page-aligned
   * and its page mapped (-EINVAL otherwise, as RawKvmHost documents; Linux itself would return 0 for
   * an unmapped range). Mappings partly inside the range are trimmed or split; their other pages stay.
   */
  munmap(addr: bigint, length: number): number {
    if (typeof addr !== "bigint" || !Number.isFinite(length) || length <= 0) return -EINVAL;
    if (addr < 0n || addr >= BigInt(this.taskSize)) return -EINVAL;
    const start = Number(addr);
    if ((start & PAGE_MASK) !== 0) return -EINVAL;
    if (this.mappingAt(start) === undefined) return -EINVAL;
    const end = Math.min(start + roundUp(length), this.taskSize);
    const kept: HostMappingRecord[] = [];
    for (const m of this.maps) {
      if (m.end <= start || m.start >= end) {
        kept.push(m);
        continue;
      }
      if (m.start < start) kept.push(this.record(m.start, start, m.backing, m.backingOffset));
      if (m.end > end) kept.push(this.record(end, m.end, m.backing, m.backingOffset + (end - m.start)));
    }
    this.maps = kept;
    this.changed();
    return 0;
  }

  /** The live mapping containing host address `addr`, or undefined. */
  mappingAt(addr: number): HostMappingRecord | undefined {
    const maps = this.maps;
    let lo = 0;
    let hi = maps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = maps[mid]!;
      if (addr < m.start) hi = mid - 1;
      else if (addr >= m.end) lo = mid + 1;
      else return m;
    }
    return undefined;
  }

  /**
   * The bytes of [addr, addr+len) if one live mapping holds all of them (a view, not a copy), else null
   * (the caller answers -EFAULT). `addr` is a user pointer: truncated to the host's pointer width.
   */
  resolve(addr: number | bigint, len: number): Uint8Array | null {
    const a = this.pointer(addr);
    if (a < 0 || len < 0) return null;
    const m = this.mappingAt(a);
    if (m === undefined || a + len > m.end) return null;
    const off = m.backingOffset + (a - m.start);
    return m.backing.subarray(off, off + len);
  }

  /** copy_from_user: a fresh copy of `len` bytes at `addr` (may span adjacent mappings), or null. */
  copyFromUser(addr: number | bigint, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    return this.walk(this.pointer(addr), len, (src, done) => out.set(src, done)) ? out : null;
  }

  /** copy_to_user: writes `data` at `addr`; false (EFAULT) if any byte is outside live mappings. */
  copyToUser(addr: number | bigint, data: Uint8Array): boolean {
    const a = this.pointer(addr);
    // Check the whole range first: a failed copy_to_user of a small struct must not half-write it.
    if (!this.walk(a, data.length, () => {})) return false;
    return this.walk(a, data.length, (dst, done) => dst.set(data.subarray(done, done + dst.length)));
  }

  /** A user pointer value as an address, truncated to the pointer width; -1 if not representable. */
  pointer(addr: number | bigint): number {
    let v: bigint;
    if (typeof addr === "bigint") v = addr;
    else if (Number.isFinite(addr)) v = BigInt(Math.trunc(addr));
    else return -1;
    v = BigInt.asUintN(this.pointerBits, v);
    return v < BigInt(this.taskSize) ? Number(v) : -1;
  }

  /** Number of live mappings (for tests and diagnostics). */
  get mappingCount(): number {
    return this.maps.length;
  }

  addListener(fn: HostMemoryListener): void {
    this.listeners.add(fn);
  }

  removeListener(fn: HostMemoryListener): void {
    this.listeners.delete(fn);
  }

  private walk(a: number, len: number, visit: (chunk: Uint8Array, done: number) => void): boolean {
    if (a < 0 || len < 0 || a + len > this.taskSize) return false;
    let done = 0;
    while (done < len) {
      const m = this.mappingAt(a + done);
      if (m === undefined) return false;
      const n = Math.min(len - done, m.end - (a + done));
      const off = m.backingOffset + (a + done - m.start);
      visit(m.backing.subarray(off, off + n), done);
      done += n;
    }
    return true;
  }

  /** Lowest page-aligned address >= mmapMin with `len` free bytes below taskSize, or -1. */
  private findFree(len: number): number {
    let candidate = this.mmapMin;
    for (const m of this.maps) {
      if (m.start - candidate >= len) break;
      if (m.end > candidate) candidate = m.end;
    }
    return candidate + len <= this.taskSize ? candidate : -1;
  }

  private insert(start: number, len: number, backing: Uint8Array, backingOffset: number): HostMapping {
    const rec = this.record(start, start + len, backing, backingOffset);
    let i = 0;
    while (i < this.maps.length && this.maps[i]!.start < start) i++;
    this.maps.splice(i, 0, rec);
    this.changed();
    return { addr: BigInt(start), bytes: backing.subarray(backingOffset, backingOffset + len) };
  }

  private record(start: number, end: number, backing: Uint8Array, backingOffset: number): HostMappingRecord {
    return Object.freeze({ start, end, backing, backingOffset });
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}
