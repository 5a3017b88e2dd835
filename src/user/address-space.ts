/**
 * A Linux process's 32-bit virtual address space, presented to the ARM core as its physical memory
 * port: "physical" address = the process's virtual address (the core runs with its MMU off in user
 * emulation), permissions come from mmap/mprotect, and an unmapped or protection-violating page is
 * PHYS_FAULT (the process gets SIGSEGV).
 *
 * Page bytes live in 4 MiB arenas (`regions`) allocated on demand; a mapped page gets its frame on
 * first touch (demand-zero, like anonymous memory in Linux), so an 8 MiB stack or a large mmap costs
 * nothing until used. Freed frames are zeroed and reused; arenas are never dropped or reordered.
 */
import {
  ACCESS_FETCH,
  ACCESS_READ,
  ACCESS_WRITE,
  PAGE_SHIFT,
  PAGE_SIZE,
  PHYS_FAULT,
  PHYS_RAM,
  type AccessKind,
  type PhysPage,
  type PhysicalMemoryPort,
} from "../arch/arm/memory.js";

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
const PROT_MASK = 7;
/** Internal page-state bit: the page belongs to some mapping (even PROT_NONE). */
const MAPPED = 8;

const PAGE_COUNT = 1 << (32 - PAGE_SHIFT);
const ARENA_SHIFT = 10; // frames per arena = 1024 → 4 MiB arenas
const ARENA_FRAMES = 1 << ARENA_SHIFT;
const PAGE_MASK = PAGE_SIZE - 1;

/** Lowest address a non-fixed mapping may get (Linux's default vm.mmap_min_addr on ARM). */
export const MMAP_MIN_ADDR = 0x1000;

export function pageAlignUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

export class AddressSpace implements PhysicalMemoryPort {
  readonly regions: Uint8Array[] = [];
  generation = 0;
  /** Called after bytes the process did not store itself (read(), loaders) reach memory. */
  onExternalWrite: ((addr: number, len: number) => void) | null = null;

  private readonly pageFrame = new Int32Array(PAGE_COUNT).fill(-1);
  private readonly pageState = new Uint8Array(PAGE_COUNT);
  private readonly freeFrames: number[] = [];
  private framesAllocated = 0;
  private readonly scratch: PhysPage = { region: 0, offset: 0 };

  // ---------------------------------------------------------------- the port the core calls

  lookup(pa: number, access: AccessKind, out: PhysPage): typeof PHYS_RAM | typeof PHYS_FAULT {
    if (pa < 0 || pa > 0xffffffff) return PHYS_FAULT;
    const page = pa >>> PAGE_SHIFT;
    const state = this.pageState[page];
    if (!permits(state, access)) return PHYS_FAULT;
    let frame = this.pageFrame[page];
    if (frame < 0) frame = this.pageFrame[page] = this.allocateFrame();
    out.region = frame >>> ARENA_SHIFT;
    out.offset = (frame & (ARENA_FRAMES - 1)) << PAGE_SHIFT;
    return PHYS_RAM;
  }

  ioRead(): number {
    return 0; // a process address space has no I/O pages: lookup never answers PHYS_IO
  }

  ioWrite(): number {
    return 0;
  }

  // ---------------------------------------------------------------- mappings

  /** Protection of the page holding `addr` (PROT_* bits), or -1 if unmapped. */
  protectionAt(addr: number): number {
    const state = this.pageState[addr >>> PAGE_SHIFT];
    return state & MAPPED ? state & PROT_MASK : -1;
  }

  isMapped(addr: number): boolean {
    return (this.pageState[addr >>> PAGE_SHIFT] & MAPPED) !== 0;
  }

  /** True if no page of [addr, addr+len) is mapped and the range lies inside 4 GiB. */
  isFree(addr: number, len: number): boolean {
    if (addr < 0 || addr + len > 0x100000000) return false;
    const first = addr >>> PAGE_SHIFT;
    const end = first + pageAlignUp(len) / PAGE_SIZE;
    for (let p = first; p < end; p++) if (this.pageState[p] & MAPPED) return false;
    return true;
  }

  /** True if every page of [addr, addr+len) is mapped. */
  isFullyMapped(addr: number, len: number): boolean {
    if (addr < 0 || addr + len > 0x100000000) return false;
    const first = addr >>> PAGE_SHIFT;
    const end = first + pageAlignUp(len) / PAGE_SIZE;
    for (let p = first; p < end; p++) if (!(this.pageState[p] & MAPPED)) return false;
    return true;
  }

  /**
   * Maps fresh zero pages over page-aligned [addr, addr+len), replacing whatever was there
   * (MAP_FIXED semantics).
   */
  map(addr: number, len: number, prot: number): void {
    const first = addr >>> PAGE_SHIFT;
    const end = first + pageAlignUp(len) / PAGE_SIZE;
    for (let p = first; p < end; p++) {
      this.releasePage(p);
      this.pageState[p] = MAPPED | (prot & PROT_MASK);
    }
    this.changed(addr, len);
  }

  /** Removes every page of page-aligned [addr, addr+len); unmapped pages are skipped (munmap). */
  unmap(addr: number, len: number): void {
    const first = addr >>> PAGE_SHIFT;
    const end = first + pageAlignUp(len) / PAGE_SIZE;
    for (let p = first; p < end; p++) {
      this.releasePage(p);
      this.pageState[p] = 0;
    }
    this.changed(addr, len);
  }

  /** Changes protection of mapped pages; false (ENOMEM) if part of the range is unmapped. */
  protect(addr: number, len: number, prot: number): boolean {
    if (!this.isFullyMapped(addr, len)) return false;
    const first = addr >>> PAGE_SHIFT;
    const end = first + pageAlignUp(len) / PAGE_SIZE;
    for (let p = first; p < end; p++) this.pageState[p] = MAPPED | (prot & PROT_MASK);
    this.generation++;
    return true;
  }

  /** Drops the contents of mapped pages so they read as zeros again (MADV_DONTNEED). */
  discard(addr: number, len: number): void {
    const first = addr >>> PAGE_SHIFT;
    const end = first + pageAlignUp(len) / PAGE_SIZE;
    for (let p = first; p < end; p++) this.releasePage(p);
    this.changed(addr, len);
  }

  /**
   * Moves the pages of [from, from+len) to [to, to+len) without copying their bytes (mremap).
   * The destination must be free; the source ends up unmapped.
   */
  move(from: number, to: number, len: number): void {
    const count = pageAlignUp(len) / PAGE_SIZE;
    const src = from >>> PAGE_SHIFT;
    const dst = to >>> PAGE_SHIFT;
    for (let i = 0; i < count; i++) {
      this.pageFrame[dst + i] = this.pageFrame[src + i];
      this.pageState[dst + i] = this.pageState[src + i];
      this.pageFrame[src + i] = -1;
      this.pageState[src + i] = 0;
    }
    this.changed(from, len);
    this.changed(to, len);
  }

  /**
   * The highest free page-aligned range of `len` bytes in [low, high) (Linux's top-down mmap
   * layout), or -1.
   */
  findFree(len: number, low: number, high: number): number {
    const count = pageAlignUp(len) / PAGE_SIZE;
    if (count === 0) return -1;
    let run = 0;
    for (let p = (high >>> PAGE_SHIFT) - 1; p >= low >>> PAGE_SHIFT; p--) {
      run = this.pageState[p] & MAPPED ? 0 : run + 1;
      if (run === count) return p * PAGE_SIZE;
    }
    return -1;
  }

  // ---------------------------------------------------------------- access on the process's behalf

  /**
   * True if every byte of [addr, addr+len) may be accessed as `access` (what copy_from_user /
   * copy_to_user would accept). Zero length is always accessible.
   */
  accessible(addr: number, len: number, access: AccessKind): boolean {
    if (len === 0) return true;
    if (addr < 0 || addr + len > 0x100000000) return false;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = addr >>> PAGE_SHIFT; p <= last; p++) if (!permits(this.pageState[p], access)) return false;
    return true;
  }

  /** Copies guest bytes out; null if any byte is unreadable (EFAULT). */
  read(addr: number, len: number): Uint8Array | null {
    if (!this.accessible(addr, len, ACCESS_READ)) return null;
    const out = new Uint8Array(len);
    this.copy(addr, len, out, false);
    return out;
  }

  /** Copies bytes into guest memory with user write permission; false if any page forbids it. */
  write(addr: number, data: Uint8Array): boolean {
    if (!this.accessible(addr, data.length, ACCESS_WRITE)) return false;
    this.copy(addr, data.length, data, true);
    this.onExternalWrite?.(addr, data.length);
    return true;
  }

  /** Writes regardless of protection (the loader filling read-only segments, the kuser page). */
  poke(addr: number, data: Uint8Array): void {
    if (!this.isFullyMapped(addr, data.length)) throw new RangeError(`poke outside mappings at 0x${addr.toString(16)}`);
    this.copy(addr, data.length, data, true);
    this.onExternalWrite?.(addr, data.length);
  }

  readU32(addr: number): number | null {
    const b = this.read(addr, 4);
    return b === null ? null : (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  writeU32(addr: number, value: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.write(addr, b);
  }

  /** A NUL-terminated string (bytes as UTF-8), or null if it runs into an unreadable page or past `max`. */
  readCString(addr: number, max = 4096): string | null {
    const bytes: number[] = [];
    for (let a = addr; bytes.length < max; a++) {
      if (a > 0xffffffff || !permits(this.pageState[a >>> PAGE_SHIFT], ACCESS_READ)) return null;
      const byte = this.byteAt(a);
      if (byte === 0) return Buffer.from(bytes).toString("utf8");
      bytes.push(byte);
    }
    return null;
  }

  /** Bytes in use by page frames (for sysinfo and tests). */
  get residentBytes(): number {
    return (this.framesAllocated - this.freeFrames.length) * PAGE_SIZE;
  }

  // ---------------------------------------------------------------- internals

  private byteAt(addr: number): number {
    const page = addr >>> PAGE_SHIFT;
    const frame = this.pageFrame[page];
    if (frame < 0) return 0;
    return this.regions[frame >>> ARENA_SHIFT][((frame & (ARENA_FRAMES - 1)) << PAGE_SHIFT) | (addr & PAGE_MASK)];
  }

  /** Copies between guest [addr, addr+len) and `buf` (toGuest: buf → guest). Pages must be mapped. */
  private copy(addr: number, len: number, buf: Uint8Array, toGuest: boolean): void {
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const page = a >>> PAGE_SHIFT;
      const chunk = Math.min(len - done, PAGE_SIZE - (a & PAGE_MASK));
      let frame = this.pageFrame[page];
      if (frame < 0) {
        if (!toGuest) {
          buf.fill(0, done, done + chunk); // demand-zero page never touched: reads as zeros
          done += chunk;
          continue;
        }
        frame = this.pageFrame[page] = this.allocateFrame();
      }
      const bytes = this.regions[frame >>> ARENA_SHIFT];
      const at = ((frame & (ARENA_FRAMES - 1)) << PAGE_SHIFT) | (a & PAGE_MASK);
      if (toGuest) bytes.set(buf.subarray(done, done + chunk), at);
      else buf.set(bytes.subarray(at, at + chunk), done);
      done += chunk;
    }
  }

  private allocateFrame(): number {
    const reused = this.freeFrames.pop();
    if (reused !== undefined) return reused;
    const frame = this.framesAllocated++;
    if (frame >>> ARENA_SHIFT >= this.regions.length) this.regions.push(new Uint8Array(ARENA_FRAMES * PAGE_SIZE));
    return frame;
  }

  private releasePage(page: number): void {
    const frame = this.pageFrame[page];
    if (frame < 0) return;
    const offset = (frame & (ARENA_FRAMES - 1)) << PAGE_SHIFT;
    this.regions[frame >>> ARENA_SHIFT].fill(0, offset, offset + PAGE_SIZE);
    this.freeFrames.push(frame);
    this.pageFrame[page] = -1;
  }

  /** A mapping changed: the core's TLBs and any code it decoded from these addresses are stale. */
  private changed(addr: number, len: number): void {
    this.generation++;
    this.onExternalWrite?.(addr, len);
  }
}

/**
 * Whether a page in `state` allows `access`, as ARMv7 Linux enforces it: any mapped page with some
 * permission is readable (the MMU cannot express write-only or execute-only), writes need
 * PROT_WRITE, instruction fetches need PROT_EXEC (XN).
 */
function permits(state: number, access: AccessKind): boolean {
  if (!(state & MAPPED)) return false;
  if (access === ACCESS_WRITE) return (state & PROT_WRITE) !== 0;
  if (access === ACCESS_FETCH) return (state & PROT_EXEC) !== 0;
  return (state & PROT_MASK) !== 0;
}
