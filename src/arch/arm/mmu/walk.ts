/**
 * What a translation table walk produces (`WalkResult`, one reusable object per MMU) and how walks
 * read descriptors from guest physical memory (`TableReader`: through the same PhysicalMemoryPort as
 * every other access, little- or big-endian per SCTLR.EE).
 *
 * Permissions are normalised at walk time into six bits (read / write / execute at PL1 and at PL0)
 * from the descriptors' AP, XN, PXN and, for long descriptors, the hierarchical APTable / XNTable /
 * PXNTable bits. What depends on registers that can change without TLB maintenance (the domain's DACR
 * field, SCTLR.WXN/UWXN) is applied per access in `accessFault` (mmu/permission.ts).
 */
import { ACCESS_READ, PHYS_RAM, type PhysicalMemoryPort, type PhysPage } from "../memory.js";

export const PERM_PL1_R = 1;
export const PERM_PL1_W = 2;
export const PERM_PL1_X = 4;
export const PERM_PL0_R = 8;
export const PERM_PL0_W = 16;
export const PERM_PL0_X = 32;
export const PERM_ALL = 63;

/** No domain (long descriptors). */
export const DOMAIN_NONE = 16;

export class WalkResult {
  /** physical page number (PA >> 12) of the translated 4 KiB page (PA up to 40 bits: < 2^28) */
  ppn = 0;
  /** log2 of the mapping's size: 12 small page, 16 large page, 20 section, 24 supersection; LPAE 12/21/30 */
  blockShift = 12;
  /** PERM_* bits before domain and WXN */
  perms = 0;
  /** short descriptors: domain 0..15; long descriptors: DOMAIN_NONE */
  domain = 0;
  /** nG clear: matches every ASID */
  global = true;
  /** ASID the entry was walked under (CONTEXTIDR[7:0] or TTBRx.ASID) */
  asid = 0;
  /** Device or Strongly-ordered memory: unaligned data accesses fault */
  device = false;
  /** level of the descriptor that gave the translation (short: 1 section, 2 page; long 1..3) */
  level = 1;
  /** long-descriptor format */
  long = false;
  /**
   * Attributes for PAR: short format = PAR bits [9:1] (SH bit 7, Inner[2:0] bits 6:4, Outer[1:0]
   * bits 3:2, SS bit 1: supersection); long format = MAIR attribute byte | SH[1:0] << 8.
   */
  attrs = 0;
  /** when the walk failed: FAULT_* type, level and (short) domain */
  faultType = 0;
  faultLevel = 0;
  faultDomain = 0;
}

/** Reads descriptors for walks. `read32`/`read64` return false when the address is not RAM. */
export class TableReader {
  private readonly phys: PhysPage = { region: 0, offset: 0 };
  private readonly views: DataView[] = [];
  bigEndian = false;
  /** the last read64's words */
  lo = 0;
  hi = 0;
  /** the last read32's word */
  word = 0;

  constructor(private readonly port: PhysicalMemoryPort) {}

  private view(region: number): DataView {
    const views = this.views;
    while (views.length <= region) {
      const r = this.port.regions[views.length];
      views.push(new DataView(r.buffer, r.byteOffset, r.byteLength));
    }
    return views[region];
  }

  /** 32-bit descriptor at physical address `pa` (word aligned). */
  read32(pa: number): boolean {
    if (this.port.lookup(pa, ACCESS_READ, this.phys) !== PHYS_RAM) return false;
    this.word = this.view(this.phys.region).getInt32(this.phys.offset + (pa % 4096), !this.bigEndian);
    return true;
  }

  /** 64-bit descriptor at physical address `pa` (doubleword aligned): `lo`, `hi`. */
  read64(pa: number): boolean {
    if (this.port.lookup(pa, ACCESS_READ, this.phys) !== PHYS_RAM) return false;
    const dv = this.view(this.phys.region), off = this.phys.offset + (pa % 4096);
    if (this.bigEndian) {
      this.hi = dv.getInt32(off, false);
      this.lo = dv.getInt32(off + 4, false);
    } else {
      this.lo = dv.getInt32(off, true);
      this.hi = dv.getInt32(off + 4, true);
    }
    return true;
  }
}
