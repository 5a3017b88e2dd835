/**
 * Short-descriptor translation table walk (ARMv7-A ARM B3.5, TTBCR.EAE = 0): TTBCR.N splits the
 * address space between TTBR0 and TTBR1 (PD0/PD1 disable walks), first-level sections and
 * supersections (PA[39:32] from the extended base fields), page tables with 64 KiB large and 4 KiB
 * small pages; AP[2:0] (or the simplified AP[2:1] model with the access flag AP[0] when SCTLR.AFE is
 * set), XN, PXN (first-level bit 2 of a page table entry; bit 0 of a section: 0b11 entries),
 * nG against CONTEXTIDR's ASID, and the memory type with or without TEX remap (SCTLR.TRE, PRRR/NMRR).
 *
 * Faults are left in the result (type, level, domain); `walkShort` returns false for them.
 */
import { SCTLR_AFE, SCTLR_TRE, type Cp15State } from "../cp15/state.js";
import {
  FAULT_ACCESS_FLAG, FAULT_EXTERNAL_WALK, FAULT_TRANSLATION,
} from "../stop.js";
import {
  PERM_PL0_R, PERM_PL0_W, PERM_PL0_X, PERM_PL1_R, PERM_PL1_W, PERM_PL1_X, type TableReader, type WalkResult,
} from "./walk.js";

/** PERM_* read/write bits for AP[2:0] (B3.7.1, Table B3-8); execute added by the caller. */
const AP_PERMS = [
  0, // 000 no access
  PERM_PL1_R | PERM_PL1_W, // 001 PL1 RW
  PERM_PL1_R | PERM_PL1_W | PERM_PL0_R, // 010 PL1 RW, PL0 RO
  PERM_PL1_R | PERM_PL1_W | PERM_PL0_R | PERM_PL0_W, // 011 full access
  0, // 100 reserved
  PERM_PL1_R, // 101 PL1 RO
  PERM_PL1_R | PERM_PL0_R, // 110 RO (deprecated encoding)
  PERM_PL1_R | PERM_PL0_R, // 111 RO
];

/** Read/write permission bits for AP[2:0], honouring the simplified model under SCTLR.AFE. */
export function apPerms(ap: number, afe: boolean): number {
  return AP_PERMS[afe ? ap | 1 : ap];
}

/** Add execute permission wherever read is allowed, unless XN (both levels) or PXN (PL1). */
export function withExecute(perms: number, xn: boolean, pxn: boolean): number {
  if (xn) return perms;
  let p = perms;
  if (perms & PERM_PL0_R) p |= PERM_PL0_X;
  if (!pxn && perms & PERM_PL1_R) p |= PERM_PL1_X;
  return p;
}

/** PAR-style cacheability codes: Inner[2:0] and Outer[1:0] for a normal memory policy (00 NC, 01 WBWA, 10 WT, 11 WB). */
const INNER_CODE = [0b000, 0b101, 0b110, 0b111];

/**
 * Memory type and PAR attributes (short format, PAR bits [7:2]) from TEX[2:0], C, B, S: sets
 * `out.device` and `out.attrs` (SS is added by the caller).
 */
function memoryAttributes(cp15: Cp15State, tex: number, c: number, b: number, s: number, out: WalkResult): void {
  let type: number; // 0 strongly-ordered, 1 device, 2 normal
  let inner = 0, outer = 0, shareable = s;
  if (cp15.sctlr & SCTLR_TRE) {
    const n = ((tex & 1) << 2) | (c << 1) | b;
    type = (cp15.prrr >>> (2 * n)) & 3;
    if (type === 3) type = 2; // reserved: treated as normal
    if (type === 2) {
      inner = INNER_CODE[(cp15.nmrr >>> (2 * n)) & 3];
      outer = (cp15.nmrr >>> (16 + 2 * n)) & 3;
      shareable = (cp15.prrr >>> (18 + s)) & 1; // PRRR.NS0 (bit 18) for S = 0, NS1 (bit 19) for S = 1
    }
  } else if ((tex & 4) !== 0) {
    type = 2;
    inner = INNER_CODE[(c << 1) | b];
    outer = tex & 3;
  } else {
    const cb = (c << 1) | b;
    if (tex === 0 && cb === 0) type = 0;
    else if ((tex === 0 && cb === 1) || (tex === 2 && cb === 0)) type = 1;
    else {
      type = 2;
      if (tex === 0) (inner = cb === 2 ? 0b110 : 0b111), (outer = cb === 2 ? 2 : 3);
      else if (cb === 3) (inner = 0b101), (outer = 1);
      // TEX = 001, CB = 00: non-cacheable (codes 0)
    }
  }
  out.device = type !== 2;
  if (type === 0) inner = 0b001, shareable = 1;
  else if (type === 1) inner = 0b011, shareable = 1;
  out.attrs = (shareable << 7) | (inner << 4) | (outer << 2);
}

/**
 * Walk the short-descriptor tables for `va` with the given ASID; fills `out` and returns true, or
 * records the fault in `out` and returns false.
 */
export function walkShort(cp15: Cp15State, reader: TableReader, va: number, asid: number, out: WalkResult): boolean {
  const ttbcr = cp15.ttbcr, n = ttbcr & 7;
  const afe = (cp15.sctlr & SCTLR_AFE) !== 0;
  out.long = false;
  out.asid = asid;
  out.faultDomain = 0;
  let l1Addr: number;
  if (n === 0 || va >>> (32 - n) === 0) {
    if (ttbcr & 0x10) return fault(out, FAULT_TRANSLATION, 1, 0); // PD0
    l1Addr = ((cp15.ttbr0Lo & ~((1 << (14 - n)) - 1)) | (((va >>> 20) & (0xfff >>> n)) << 2)) >>> 0;
  } else {
    if (ttbcr & 0x20) return fault(out, FAULT_TRANSLATION, 1, 0); // PD1
    l1Addr = ((cp15.ttbr1Lo & ~0x3fff) | ((va >>> 20) << 2)) >>> 0;
  }
  if (!reader.read32(l1Addr)) return fault(out, FAULT_EXTERNAL_WALK, 1, 0);
  const l1 = reader.word;
  const type = l1 & 3;
  if (type === 0) return fault(out, FAULT_TRANSLATION, 1, 0);
  if (type === 1) {
    // page table: domain [8:5], PXN bit 2
    const domain = (l1 >>> 5) & 15;
    const pxn = (l1 & 4) !== 0;
    const l2Addr = ((l1 & ~0x3ff) | (((va >>> 12) & 0xff) << 2)) >>> 0;
    if (!reader.read32(l2Addr)) return fault(out, FAULT_EXTERNAL_WALK, 2, domain);
    const l2 = reader.word;
    if ((l2 & 3) === 0) return fault(out, FAULT_TRANSLATION, 2, domain);
    const ap = ((l2 >>> 7) & 4) | ((l2 >>> 4) & 3);
    if (afe && (ap & 1) === 0) return fault(out, FAULT_ACCESS_FLAG, 2, domain);
    let xn: boolean, tex: number;
    if ((l2 & 2) === 0) {
      // large page: base [31:16], XN bit 15, TEX [14:12]
      out.blockShift = 16;
      out.ppn = ((l2 >>> 16) << 4) | ((va >>> 12) & 15);
      xn = (l2 & 0x8000) !== 0;
      tex = (l2 >>> 12) & 7;
    } else {
      // small page: base [31:12], XN bit 0, TEX [8:6]
      out.blockShift = 12;
      out.ppn = l2 >>> 12;
      xn = (l2 & 1) !== 0;
      tex = (l2 >>> 6) & 7;
    }
    memoryAttributes(cp15, tex, (l2 >>> 3) & 1, (l2 >>> 2) & 1, (l2 >>> 10) & 1, out);
    out.perms = withExecute(apPerms(ap, afe), xn, pxn);
    out.domain = domain;
    out.global = (l2 & 0x800) === 0;
    out.level = 2;
    return true;
  }
  // section (bit 18 clear) or supersection; type 3 = the same with PXN (bit 0) set
  const ap = ((l1 >>> 13) & 4) | ((l1 >>> 10) & 3);
  const domain = l1 & 0x40000 ? 0 : (l1 >>> 5) & 15;
  if (afe && (ap & 1) === 0) return fault(out, FAULT_ACCESS_FLAG, 1, domain);
  let ss = 0;
  if (l1 & 0x40000) {
    // supersection: PA[31:24] = [31:24], PA[35:32] = [23:20], PA[39:36] = [8:5]
    const high = (((l1 >>> 5) & 15) << 4) | ((l1 >>> 20) & 15);
    out.blockShift = 24;
    out.ppn = high * 0x100000 + (((l1 >>> 24) << 12) | ((va >>> 12) & 0xfff));
    ss = 2;
  } else {
    out.blockShift = 20;
    out.ppn = ((l1 >>> 20) << 8) | ((va >>> 12) & 0xff);
  }
  memoryAttributes(cp15, (l1 >>> 12) & 7, (l1 >>> 3) & 1, (l1 >>> 2) & 1, (l1 >>> 16) & 1, out);
  out.attrs |= ss;
  out.perms = withExecute(apPerms(ap, afe), (l1 & 0x10) !== 0, type === 3);
  out.domain = domain;
  out.global = (l1 & 0x20000) === 0;
  out.level = 1;
  return true;
}

function fault(out: WalkResult, type: number, level: number, domain: number): false {
  out.faultType = type;
  out.faultLevel = level;
  out.faultDomain = domain;
  return false;
}
