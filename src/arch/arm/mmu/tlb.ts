/**
 * The main software TLB: walk results for 4 KiB virtual pages, tagged by ASID (non-global entries)
 * or global (nG clear: they match every ASID). Direct-mapped on the virtual page number, in typed
 * arrays (nothing allocated per access). An entry derived from a block (section, supersection, large
 * page, LPAE block) records the block's size, so invalidation by MVA removes every entry the block
 * gave, as the architecture requires of an entry that "contains" the address (B3.10).
 *
 * The per-access fast TLBs in mmu.ts are filled from here; every invalidation here is followed by a
 * flush of those (the MMU does that).
 */
import type { WalkResult } from "./walk.js";

export const TLB_ENTRIES = 2048;
const MASK = TLB_ENTRIES - 1;

/** `info` word layout */
export const INFO_PERMS = 0x3f; // PERM_* bits
export const INFO_DOMAIN_SHIFT = 6; // 5 bits: 0..15, 16 = none (long descriptors)
export const INFO_DEVICE = 1 << 11;
export const INFO_LEVEL_SHIFT = 12; // 2 bits
export const INFO_LONG = 1 << 14;

export class Tlb {
  /** virtual page number, -1 = empty */
  readonly vpn = new Int32Array(TLB_ENTRIES).fill(-1);
  /** ASID, or -1 for a global entry */
  readonly asid = new Int32Array(TLB_ENTRIES);
  readonly ppn = new Int32Array(TLB_ENTRIES);
  readonly info = new Int32Array(TLB_ENTRIES);
  /** log2 of the mapping size the entry came from (12 .. 30) */
  readonly shift = new Uint8Array(TLB_ENTRIES);
  /** PAR attributes (WalkResult.attrs) */
  readonly attrs = new Int32Array(TLB_ENTRIES);
  /** some entry came from a block larger than 4 KiB (invalidation by MVA must then scan) */
  private blocks = false;

  /** Index of the entry translating `vpn` under `asid`, or -1. */
  lookup(vpn: number, asid: number): number {
    const i = vpn & MASK;
    if (this.vpn[i] === vpn) {
      const a = this.asid[i];
      if (a < 0 || a === asid) return i;
    }
    return -1;
  }

  /** Cache a successful walk of `vpn`; returns its index. */
  insert(vpn: number, w: WalkResult): number {
    const i = vpn & MASK;
    this.vpn[i] = vpn;
    this.asid[i] = w.global ? -1 : w.asid;
    this.ppn[i] = w.ppn;
    this.info[i] = w.perms | (w.domain << INFO_DOMAIN_SHIFT) | (w.device ? INFO_DEVICE : 0) |
      (w.level << INFO_LEVEL_SHIFT) | (w.long ? INFO_LONG : 0);
    this.shift[i] = w.blockShift;
    this.attrs[i] = w.attrs;
    if (w.blockShift > 12) this.blocks = true;
    return i;
  }

  /** TLBIALL */
  invalidateAll(): void {
    this.vpn.fill(-1);
    this.blocks = false;
  }

  /** TLBIASID: non-global entries of `asid`. */
  invalidateByAsid(asid: number): void {
    const vpn = this.vpn, tag = this.asid;
    for (let i = 0; i < TLB_ENTRIES; i++) if (tag[i] === asid) vpn[i] = -1;
  }

  /**
   * TLBIMVA (`allAsids` false: entries of `asid` and global entries) / TLBIMVAA (`allAsids`: every
   * entry) for the entries that contain virtual address `va`.
   */
  invalidateByMva(va: number, asid: number, allAsids: boolean): void {
    const page = va >>> 12;
    if (!this.blocks) {
      const i = page & MASK;
      if (this.vpn[i] === page && (allAsids || this.asid[i] < 0 || this.asid[i] === asid)) this.vpn[i] = -1;
      return;
    }
    const vpn = this.vpn, tag = this.asid, shift = this.shift;
    for (let i = 0; i < TLB_ENTRIES; i++) {
      const v = vpn[i];
      if (v < 0 || ((v ^ page) >>> (shift[i] - 12)) !== 0) continue;
      if (allAsids || tag[i] < 0 || tag[i] === asid) vpn[i] = -1;
    }
  }
}
