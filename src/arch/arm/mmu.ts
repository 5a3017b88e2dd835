/**
 * The ARM core's memory access path: the MMU (VMSAv7 short-descriptor and LPAE translation,
 * mmu/short-descriptor.ts and mmu/long-descriptor.ts), the ASID-tagged main TLB (mmu/tlb.ts), access
 * checks (mmu/permission.ts), address translation operations (mmu/ats.ts), and in front of them
 * direct-mapped *fast* TLBs per access kind over the physical memory port's regions.
 *
 * Fast TLBs: an entry maps one virtual page to the DataView of the RAM region holding it and the
 * page's byte offset there, valid for the current context only (privilege, ASID, SCTLR/TTBCR/DACR,
 * …): a hit costs one compare. There are four sets: two per privilege level, each tagged with the
 * DACR value its entries were checked under. `setUser` swaps privilege levels (an exception entry or
 * return needs no flush) and a DACR write (`dacrChanged`) switches to the set tagged with the new
 * value, recycling the other one of that level only when neither matches: Linux's non-LPAE kernels
 * toggle the user domain's DACR field around every user copy and on every kernel entry and exit, so
 * the two values they alternate between each keep their entries. Every other context change and
 * every TLB maintenance operation empties all four sets. The instruction side (the CPU's page map)
 * follows the same sets through `fetchContextChanged`. Halfword and word accesses look at `rTagW`/`wTagW`, which are the
 * same arrays except under strict alignment (SCTLR.A = 1, or the MMU off in system mode, where data
 * accesses are Strongly-ordered): then those point at an array that never hits, and every wider
 * access takes the slow path, which checks alignment. Device/Strongly-ordered RAM pages never get a
 * fast entry for the same reason. Pages holding decoded code never get a write entry: a write to one
 * goes through the slow path, which tells the code cache to drop the page first.
 *
 * Interface for the system registers (the CP15 table and exception code call these):
 * - `translationRegimeChanged()` after any write to SCTLR, TTBCR, TTBR0/1, DACR, CONTEXTIDR, PRRR/NMRR
 *   (MAIR0/1), and after reset; `system` (set once: PL1 system emulation, not tskvm user);
 * - `dacrChanged()` after a DACR write (a `translationRegimeChanged()` is always correct too);
 * - `setUser(pl0)` on every change between PL0 and PL1;
 * - TLB maintenance `tlbInvalidateAll`, `tlbInvalidateByMva(mva | asid)`, `tlbInvalidateByAsid`,
 *   `tlbInvalidateByMvaAllAsid`; ATS: `ats1(va, write, user)` writes PAR.
 * Aborts fill `StopInfo` (reason, address = VA, access, faultType/Level/Domain, faultLong, status)
 * and throw GUEST_STOP. At user level (`system` false) translation is flat and there are no
 * permission checks: the port's answers are the whole story, as before.
 * Data accesses honour CPSR.E (`littleEndian`); instruction fetch is always little-endian.
 */
import { Cp15State, SCTLR_A, SCTLR_EE, SCTLR_M, TTBCR_EAE } from "./cp15/state.js";
import {
  ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE, IO_STOP, PAGE_SHIFT, PHYS_IO, PHYS_RAM,
  type AccessKind, type PhysicalMemoryPort, type PhysPage,
} from "./memory.js";
import {
  FAULT_ALIGNMENT, FAULT_EXTERNAL, FAULT_TRANSLATION, GUEST_STOP, STOP_DATA_ABORT, STOP_IO, STOP_PREFETCH_ABORT,
  StopInfo, longStatus, shortFs,
} from "./stop.js";
import { ats1 } from "./mmu/ats.js";
import { longAsid, walkLong } from "./mmu/long-descriptor.js";
import { accessFault } from "./mmu/permission.js";
import { walkShort } from "./mmu/short-descriptor.js";
import { INFO_DEVICE, INFO_DOMAIN_SHIFT, INFO_LEVEL_SHIFT, Tlb } from "./mmu/tlb.js";
import { TableReader, WalkResult } from "./mmu/walk.js";

const TLB_SIZE = 256;
const TLB_MASK = TLB_SIZE - 1;
const EMPTY_VIEW = new DataView(new ArrayBuffer(8));
/** tags that never match: the wide-access tags under strict alignment */
const NEVER = new Int32Array(TLB_SIZE).fill(-1);

/** Told when a write lands on a physical page that has decoded code, and when translations change. */
export interface CodeWriteListener {
  hasCode(ppn: number): boolean;
  codeWritten(ppn: number): void;
  /** VA -> PA answers (or the permissions behind them) may have changed: drop fetch-side caches. */
  translationsChanged?(): void;
  /**
   * Data accesses now use fast-TLB set `slot` (0..3, `ArmMmu.FAST_SETS`): fetch-side caches keyed the
   * same way switch with it; `fresh` says the set was emptied (its fetch-side entries must go too).
   */
  fetchContextChanged?(slot: number, fresh: boolean): void;
}

/** One privilege level's fast TLBs. */
class FastTlb {
  readonly rTag = new Int32Array(TLB_SIZE).fill(-1);
  readonly rBase = new Int32Array(TLB_SIZE);
  readonly rView: DataView[] = new Array<DataView>(TLB_SIZE).fill(EMPTY_VIEW);
  readonly wTag = new Int32Array(TLB_SIZE).fill(-1);
  readonly wBase = new Int32Array(TLB_SIZE);
  readonly wView: DataView[] = new Array<DataView>(TLB_SIZE).fill(EMPTY_VIEW);
}

export class ArmMmu {
  /** CPSR.E clear: data accesses are little-endian. */
  littleEndian = true;
  /** PL1 system emulation: the MMU, permission checks and alignment rules apply (false: tskvm user). */
  system = false;
  /** The system registers translation reads (the CPU shares its own object here). */
  cp15 = new Cp15State();
  readonly tlb = new Tlb();
  // ---- context, recomputed by translationRegimeChanged()
  private enabled = false;
  private long = false;
  private strict = false;
  private asid = 0;
  private user = true;
  // ---- fast TLB sets: index (user ? 2 : 0) + k, k the DACR slot of that privilege level
  static readonly FAST_SETS = 4;
  private readonly fast: readonly FastTlb[] = [new FastTlb(), new FastTlb(), new FastTlb(), new FastTlb()];
  /** the DACR value each set's entries were checked under (-1: none; an empty set may carry any) */
  private readonly dacrTag = new Float64Array(4).fill(-1);
  /** the DACR slot k in use at PL1 (index 0) and at PL0 (index 1) */
  private readonly activeDacrSlot = new Int32Array(2);
  // ---- the current set's arrays (fields, so the access methods stay monomorphic)
  private rTag = this.fast[2].rTag;
  private rTagW = this.fast[2].rTag;
  private rBase = this.fast[2].rBase;
  private rView = this.fast[2].rView;
  private wTag = this.fast[2].wTag;
  private wTagW = this.fast[2].wTag;
  private wBase = this.fast[2].wBase;
  private wView = this.fast[2].wView;

  private generation = -1;
  private readonly views: DataView[] = [];
  private readonly phys: PhysPage = { region: 0, offset: 0 };
  private readonly walk = new WalkResult();
  private readonly reader: TableReader;
  /** the last `translate`: the page is Device/Strongly-ordered memory */
  private lastDevice = false;

  constructor(
    readonly port: PhysicalMemoryPort,
    private readonly info: StopInfo,
    private readonly code: CodeWriteListener,
  ) {
    this.reader = new TableReader(port);
  }

  // ------------------------------------------------------------------ context and maintenance

  /** Drop the fast TLBs if the port's mappings changed; true if they were dropped. */
  sync(): boolean {
    if (this.port.generation === this.generation) return false;
    this.generation = this.port.generation;
    this.flush();
    return true;
  }

  /** Drop the fast TLBs (every set, both privilege levels). */
  flush(): void {
    for (let i = 0; i < 4; i++) {
      const f = this.fast[i];
      f.rTag.fill(-1);
      f.wTag.fill(-1);
    }
  }

  flushWrites(): void {
    for (let i = 0; i < 4; i++) this.fast[i].wTag.fill(-1);
  }

  /** The fast-TLB set data accesses use now (see CodeWriteListener.fetchContextChanged). */
  get fastSet(): number {
    return (this.user ? 2 : 0) + this.activeDacrSlot[this.user ? 1 : 0];
  }

  /** Re-read the translation context from `cp15` (see the file comment for when). */
  translationRegimeChanged(): void {
    const cp15 = this.cp15, sctlr = cp15.sctlr;
    this.enabled = this.system && (sctlr & SCTLR_M) !== 0;
    this.long = (cp15.ttbcr & TTBCR_EAE) !== 0;
    this.asid = this.long ? longAsid(cp15) : cp15.contextidr & 0xff;
    this.strict = this.system && (!this.enabled || (sctlr & SCTLR_A) !== 0);
    this.reader.bigEndian = (sctlr & SCTLR_EE) !== 0;
    this.flush();
    // every set is empty now: the ones in use are checked under the current DACR from here on
    const dacr = cp15.dacr >>> 0, tag = this.dacrTag;
    this.activeDacrSlot[0] = this.activeDacrSlot[1] = 0;
    tag[0] = tag[2] = dacr;
    tag[1] = tag[3] = -1;
    this.selectFast();
    this.code.translationsChanged?.();
  }

  /**
   * DACR was written (nothing else): switch each privilege level to its set tagged with the new
   * value, emptying and retagging the level's other set when neither matches. The main TLB keeps
   * its entries (domains are checked at use). With the MMU off or LPAE, DACR affects no access.
   */
  dacrChanged(): void {
    const dacr = this.cp15.dacr >>> 0, tag = this.dacrTag;
    const matters = this.enabled && !this.long;
    for (let level = 0; level < 2; level++) {
      const base = level * 2, cur = this.activeDacrSlot[level];
      if (tag[base + cur] === dacr) continue;
      if (!matters) {
        tag[base + cur] = dacr; // its entries do not depend on DACR
        continue;
      }
      const other = 1 - cur;
      this.activeDacrSlot[level] = other;
      if (tag[base + other] !== dacr) {
        const f = this.fast[base + other];
        f.rTag.fill(-1);
        f.wTag.fill(-1);
        tag[base + other] = dacr;
        this.code.fetchContextChanged?.(base + other, true);
      }
    }
    this.selectFast();
    this.code.fetchContextChanged?.(this.fastSet, false);
  }

  /** Enter PL0 (`true`) or PL1 (`false`). */
  setUser(user: boolean): void {
    if (user === this.user) return;
    this.user = user;
    this.selectFast();
    this.code.fetchContextChanged?.(this.fastSet, false);
  }

  /**
   * LDRT/STRBT/…: a load with PL0 permissions whatever the current privilege (ARM ARM A8.8.92):
   * 1, 2 or 4 bytes, zero-extended (4: a signed int32, like read32).
   */
  readUnprivileged(va: number, size: number): number {
    if (this.user) return size === 1 ? this.read8(va) : size === 2 ? this.read16(va) : this.read32(va);
    this.asUser(true);
    try {
      return size === 1 ? this.read8(va) : size === 2 ? this.read16(va) : this.read32(va);
    } finally {
      this.asUser(false);
    }
  }

  /** STRT/STRBT/STRHT: a store with PL0 permissions. */
  writeUnprivileged(va: number, size: number, v: number): void {
    const user = this.user;
    if (!user) this.asUser(true);
    try {
      if (size === 1) this.write8(va, v);
      else if (size === 2) this.write16(va, v);
      else this.write32(va, v);
    } finally {
      if (!user) this.asUser(false);
    }
  }

  /** Switch the permission view only (no notification: instruction fetch keeps its privilege). */
  private asUser(user: boolean): void {
    this.user = user;
    this.selectFast();
  }

  private selectFast(): void {
    const f = this.fast[this.fastSet];
    this.rTag = f.rTag;
    this.rBase = f.rBase;
    this.rView = f.rView;
    this.wTag = f.wTag;
    this.wBase = f.wBase;
    this.wView = f.wView;
    this.rTagW = this.strict ? NEVER : f.rTag;
    this.wTagW = this.strict ? NEVER : f.wTag;
  }

  /** TLBIALL (also ITLBIALL, DTLBIALL and the Inner Shareable form). */
  tlbInvalidateAll(): void {
    this.tlb.invalidateAll();
    this.invalidated();
  }

  /** TLBIMVA: operand = MVA[31:12] | ASID[7:0]; global entries for the MVA go too. */
  tlbInvalidateByMva(mva: number): void {
    this.tlb.invalidateByMva(mva, mva & 0xff, false);
    this.invalidated();
  }

  /** TLBIASID: the non-global entries of ASID[7:0]. */
  tlbInvalidateByAsid(asid: number): void {
    this.tlb.invalidateByAsid(asid & 0xff);
    this.invalidated();
  }

  /** TLBIMVAA: every entry for MVA[31:12], whatever its ASID. */
  tlbInvalidateByMvaAllAsid(mva: number): void {
    this.tlb.invalidateByMva(mva, 0, true);
    this.invalidated();
  }

  private invalidated(): void {
    this.flush();
    this.code.translationsChanged?.();
  }

  /** ATS1CPR/CPW (user false) and ATS1CUR/CUW (user true): translate `va` and write PAR. */
  ats1(va: number, write: boolean, user: boolean): void {
    ats1(this.cp15, this.reader, this.walk, this.enabled, va, write, user);
  }

  // ------------------------------------------------------------------ translation

  /**
   * VA -> PA (a number, up to 40 bits) for an access at the current privilege level, through the
   * main TLB; aborts (throws) on translation, access flag, domain and permission faults. Sets
   * `lastDevice` for the page.
   */
  translate(va: number, access: AccessKind): number {
    if (!this.enabled) {
      this.lastDevice = this.strict && access !== ACCESS_FETCH;
      return va >>> 0;
    }
    const vpn = va >>> PAGE_SHIFT, tlb = this.tlb;
    let i = tlb.lookup(vpn, this.asid);
    if (i < 0) {
      const w = this.walk, cp15 = this.cp15;
      const ok = this.long ? walkLong(cp15, this.reader, va, this.asid, w) : walkShort(cp15, this.reader, va, this.asid, w);
      if (!ok) this.fault(va, access, w.faultType, w.faultLevel, w.faultDomain);
      i = tlb.insert(vpn, w);
    }
    const info = tlb.info[i];
    const f = accessFault(info, this.cp15.dacr, this.cp15.sctlr, access, this.user);
    if (f !== 0) this.fault(va, access, f, (info >>> INFO_LEVEL_SHIFT) & 3, (info >>> INFO_DOMAIN_SHIFT) & 15);
    this.lastDevice = (info & INFO_DEVICE) !== 0;
    return tlb.ppn[i] * 4096 + (va & 0xfff);
  }

  /**
   * VA -> PA for maintenance by address (ICIMVAU): the current regime's translation, no permission
   * check and no abort; -1 when the walk fails (the caller falls back to maintenance of everything).
   */
  probe(va: number): number {
    if (!this.enabled) return va >>> 0;
    const vpn = va >>> PAGE_SHIFT, tlb = this.tlb;
    let i = tlb.lookup(vpn, this.asid);
    if (i < 0) {
      const w = this.walk, cp15 = this.cp15;
      const ok = this.long ? walkLong(cp15, this.reader, va, this.asid, w) : walkShort(cp15, this.reader, va, this.asid, w);
      if (!ok) return -1;
      i = tlb.insert(vpn, w);
    }
    return tlb.ppn[i] * 4096 + (va & 0xfff);
  }

  /** Record an abort and stop the instruction (prefetch abort for fetches, else data abort). */
  fault(va: number, access: AccessKind, type: number, level: number, domain: number): never {
    const info = this.info;
    info.reason = access === ACCESS_FETCH ? STOP_PREFETCH_ABORT : STOP_DATA_ABORT;
    info.address = va >>> 0;
    info.access = access;
    info.faultType = type;
    info.faultLevel = level;
    info.faultDomain = domain;
    info.faultLong = this.long;
    info.status = this.long ? longStatus(type, level) : shortFs(type, level);
    throw GUEST_STOP;
  }

  /** The port has no memory at `pa`: an external abort in system mode, a page translation fault at user level. */
  private noMemory(va: number, access: AccessKind): never {
    if (this.system) this.fault(va, access, FAULT_EXTERNAL, 0, 0);
    this.fault(va, access, FAULT_TRANSLATION, 2, 0);
  }

  private view(region: number): DataView {
    const views = this.views;
    while (views.length <= region) {
      const r = this.port.regions[views.length];
      views.push(new DataView(r.buffer, r.byteOffset, r.byteLength));
    }
    return views[region];
  }

  /**
   * For instruction fetch: the physical page number of `va`, with `codeView`/`codeBase` set to where
   * its bytes live. Throws (prefetch abort) if the page is not executable RAM.
   */
  fetchPage(va: number): number {
    const pa = this.translate(va, ACCESS_FETCH);
    if (this.port.lookup(pa, ACCESS_FETCH, this.phys) !== PHYS_RAM) this.noMemory(va, ACCESS_FETCH);
    this.codeView = this.view(this.phys.region);
    this.codeBase = this.phys.offset;
    return Math.floor(pa / 4096);
  }
  codeView: DataView = EMPTY_VIEW;
  codeBase = 0;

  /** Alignment check for accesses that require it (LDM/STM, LDRD/STRD, LDREX/STREX, ...). */
  checkAlign(va: number, mask: number, write: boolean): void {
    if ((va & mask) !== 0) this.fault(va, write ? ACCESS_WRITE : ACCESS_READ, FAULT_ALIGNMENT, 0, 0);
  }

  // ------------------------------------------------------------------ reads (values zero-extended
  // for 8/16 bits; read32 returns a signed int32 like a register holds)

  read8(va: number): number {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.rTag[e] === vpn) return this.rView[e].getUint8(this.rBase[e] + (va & 0xfff));
    return this.readSlow(va, 1);
  }

  read16(va: number): number {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.rTagW[e] === vpn && (va & 0xfff) < 0xfff) return this.rView[e].getUint16(this.rBase[e] + (va & 0xfff), this.littleEndian);
    return this.readSlow(va, 2);
  }

  read32(va: number): number {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.rTagW[e] === vpn && (va & 0xfff) <= 0xffc) return this.rView[e].getInt32(this.rBase[e] + (va & 0xfff), this.littleEndian);
    return this.readSlow(va, 4) | 0;
  }

  private readSlow(va: number, size: number): number {
    if (this.strict && (va & (size - 1)) !== 0) this.fault(va, ACCESS_READ, FAULT_ALIGNMENT, 0, 0);
    if ((va & 0xfff) + size > 0x1000) {
      // Crosses a page: byte by byte, each byte through its own page.
      let v = 0;
      for (let i = 0; i < size; i++) {
        const b = this.read8((va + i) | 0);
        v = this.littleEndian ? v + b * 2 ** (8 * i) : v * 256 + b;
      }
      return v;
    }
    const pa = this.translate(va, ACCESS_READ);
    const kind = this.port.lookup(pa, ACCESS_READ, this.phys);
    if (this.lastDevice && (va & (size - 1)) !== 0) this.fault(va, ACCESS_READ, FAULT_ALIGNMENT, 0, 0);
    if (kind === PHYS_RAM) {
      const dv = this.view(this.phys.region), off = this.phys.offset + (va & 0xfff);
      if (!this.lastDevice || this.strict) {
        const e = (va >>> PAGE_SHIFT) & TLB_MASK;
        this.rTag[e] = va >>> PAGE_SHIFT;
        this.rView[e] = dv;
        this.rBase[e] = this.phys.offset;
      }
      return size === 1 ? dv.getUint8(off) : size === 2 ? dv.getUint16(off, this.littleEndian) : dv.getUint32(off, this.littleEndian);
    }
    if (kind === PHYS_IO) {
      const v = this.port.ioRead(pa, size);
      if (v === IO_STOP) this.ioStop(pa, size, ACCESS_READ, 0);
      return this.littleEndian ? v : swapBytes(v, size);
    }
    return this.noMemory(va, ACCESS_READ);
  }

  // ------------------------------------------------------------------ writes

  write8(va: number, v: number): void {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.wTag[e] === vpn) this.wView[e].setUint8(this.wBase[e] + (va & 0xfff), v);
    else this.writeSlow(va, 1, v & 0xff);
  }

  write16(va: number, v: number): void {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.wTagW[e] === vpn && (va & 0xfff) < 0xfff) this.wView[e].setUint16(this.wBase[e] + (va & 0xfff), v, this.littleEndian);
    else this.writeSlow(va, 2, v & 0xffff);
  }

  write32(va: number, v: number): void {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.wTagW[e] === vpn && (va & 0xfff) <= 0xffc) this.wView[e].setInt32(this.wBase[e] + (va & 0xfff), v, this.littleEndian);
    else this.writeSlow(va, 4, v >>> 0);
  }

  /**
   * Checks that a write of `size` bytes at `va` would not fault, without writing: used by stores
   * that write several locations (STM, STRD) so that no memory changes if any part faults.
   */
  probeWrite(va: number, size: number): void {
    const vpn = va >>> PAGE_SHIFT;
    if (this.wTag[vpn & TLB_MASK] === vpn && (va & 0xfff) + size <= 0x1000) return;
    for (let i = 0; i < size; i += 0x1000 - ((va + i) & 0xfff)) {
      const a = (va + i) | 0;
      const kind = this.port.lookup(this.translate(a, ACCESS_WRITE), ACCESS_WRITE, this.phys);
      if (kind !== PHYS_RAM && kind !== PHYS_IO) this.noMemory(a, ACCESS_WRITE);
    }
  }

  private writeSlow(va: number, size: number, v: number): void {
    if (this.strict && (va & (size - 1)) !== 0) this.fault(va, ACCESS_WRITE, FAULT_ALIGNMENT, 0, 0);
    if ((va & 0xfff) + size > 0x1000) {
      this.probeWrite(va, size);
      for (let i = 0; i < size; i++) {
        const shift = this.littleEndian ? 8 * i : 8 * (size - 1 - i);
        this.write8((va + i) | 0, (v >>> shift) & 0xff);
      }
      return;
    }
    const pa = this.translate(va, ACCESS_WRITE);
    const kind = this.port.lookup(pa, ACCESS_WRITE, this.phys);
    if (this.lastDevice && (va & (size - 1)) !== 0) this.fault(va, ACCESS_WRITE, FAULT_ALIGNMENT, 0, 0);
    if (kind === PHYS_RAM) {
      const ppn = Math.floor(pa / 4096);
      if (this.code.hasCode(ppn)) this.code.codeWritten(ppn);
      const dv = this.view(this.phys.region);
      if (!this.lastDevice || this.strict) {
        const e = (va >>> PAGE_SHIFT) & TLB_MASK;
        this.wTag[e] = va >>> PAGE_SHIFT;
        this.wView[e] = dv;
        this.wBase[e] = this.phys.offset;
      }
      const off = this.phys.offset + (va & 0xfff);
      if (size === 1) dv.setUint8(off, v);
      else if (size === 2) dv.setUint16(off, v, this.littleEndian);
      else dv.setUint32(off, v, this.littleEndian);
      return;
    }
    if (kind === PHYS_IO) {
      const value = this.littleEndian ? v : swapBytes(v, size);
      if (this.port.ioWrite(pa, size, value) === IO_STOP) this.ioStop(pa, size, ACCESS_WRITE, value);
      return;
    }
    this.noMemory(va, ACCESS_WRITE);
  }

  private ioStop(pa: number, size: number, access: AccessKind, value: number): never {
    const info = this.info;
    info.reason = STOP_IO;
    info.address = pa;
    info.size = size;
    info.access = access;
    info.value = value;
    throw GUEST_STOP;
  }
}

function swapBytes(v: number, size: number): number {
  if (size === 1) return v;
  if (size === 2) return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
