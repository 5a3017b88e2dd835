/**
 * Long-descriptor (LPAE) translation table walk (ARMv7-A ARM B3.6, TTBCR.EAE = 1): T0SZ/T1SZ select
 * TTBR0 or TTBR1 (EPD0/EPD1 disable walks; an address in neither region faults at level 1); the walk
 * starts at level 1 (TxSZ 0..1) or level 2 (TxSZ 2..7); 1 GiB and 2 MiB blocks, 4 KiB pages, 40-bit
 * output addresses (bits 47:40 set in a descriptor give an address size fault), AttrIndx into
 * MAIR0/MAIR1, AP[2:1], XN, PXN, AF (an access-flag fault: no hardware update), nG, and the
 * hierarchical APTable / XNTable / PXNTable bits of table descriptors. The contiguous hint is ignored.
 *
 * Faults are left in the result (type, level); `walkLong` returns false for them.
 */
import type { Cp15State } from "../cp15/state.js";
import { FAULT_ACCESS_FLAG, FAULT_ADDRESS_SIZE, FAULT_EXTERNAL_WALK, FAULT_TRANSLATION } from "../stop.js";
import { apPerms, withExecute } from "./short-descriptor.js";
import { DOMAIN_NONE, PERM_PL0_R, PERM_PL0_W, PERM_PL1_W, type TableReader, type WalkResult } from "./walk.js";

const TWO_32 = 0x1_0000_0000;

/** TTBCR fields (long-descriptor format). */
export const TTBCR_EPD0 = 1 << 7;
export const TTBCR_A1 = 1 << 22;
export const TTBCR_EPD1 = 1 << 23;

/** The ASID in effect with long descriptors: TTBR0.ASID, or TTBR1.ASID when TTBCR.A1 is set. */
export function longAsid(cp15: Cp15State): number {
  return ((cp15.ttbcr & TTBCR_A1 ? cp15.ttbr1Hi : cp15.ttbr0Hi) >>> 16) & 0xff;
}

export function walkLong(cp15: Cp15State, reader: TableReader, va: number, asid: number, out: WalkResult): boolean {
  const ttbcr = cp15.ttbcr;
  const t0sz = ttbcr & 7, t1sz = (ttbcr >>> 16) & 7;
  va >>>= 0;
  out.long = true;
  out.asid = asid;
  out.domain = DOMAIN_NONE;
  out.faultDomain = 0;
  // region (B3.6.4): TTBR0 the bottom 2^(32 - T0SZ) bytes, TTBR1 the top 2^(32 - T1SZ); a size field
  // of 0 makes its TTBR cover whatever the other does not; with both non-zero the gap faults
  let useT1: boolean;
  if (t0sz === 0 && t1sz === 0) useT1 = false;
  else if (t0sz !== 0 && va >>> (32 - t0sz) === 0) useT1 = false;
  else if (t1sz !== 0 && va >>> (32 - t1sz) === (1 << t1sz) - 1) useT1 = true;
  else if (t0sz === 0) useT1 = false;
  else if (t1sz === 0) useT1 = true;
  else return fault(out, FAULT_TRANSLATION, 1);
  let size: number, lo: number, hi: number;
  if (useT1) {
    if (ttbcr & TTBCR_EPD1) return fault(out, FAULT_TRANSLATION, 1);
    (size = t1sz), (lo = cp15.ttbr1Lo), (hi = cp15.ttbr1Hi);
  } else {
    if (ttbcr & TTBCR_EPD0) return fault(out, FAULT_TRANSLATION, 1);
    (size = t0sz), (lo = cp15.ttbr0Lo), (hi = cp15.ttbr0Hi);
  }
  const n = 32 - size; // input address bits
  let level: number, index: number, baseLo: number;
  if (size <= 1) {
    level = 1;
    index = (va >>> 30) & ((1 << (n - 30)) - 1);
    baseLo = lo & ~((1 << (5 - size)) - 1);
  } else {
    level = 2;
    index = (va >>> 21) & ((1 << (n - 21)) - 1);
    baseLo = lo & ~((1 << (14 - size)) - 1);
  }
  let table = (hi & 0xff) * TWO_32 + (baseLo >>> 0);
  let apTable = 0, xnTable = false, pxnTable = false;
  for (;;) {
    if (!reader.read64(table + index * 8)) return fault(out, FAULT_EXTERNAL_WALK, level);
    const dlo = reader.lo, dhi = reader.hi;
    const kind = dlo & 3;
    if (kind === 0 || kind === 2 || (kind === 1 && level === 3)) return fault(out, FAULT_TRANSLATION, level);
    if ((dhi & 0xff00) !== 0) return fault(out, FAULT_ADDRESS_SIZE, level); // output address bits 47:40
    if (kind === 3 && level < 3) {
      apTable |= (dhi >>> 29) & 3;
      if (dhi & (1 << 28)) xnTable = true;
      if (dhi & (1 << 27)) pxnTable = true;
      table = (dhi & 0xff) * TWO_32 + ((dlo & ~0xfff) >>> 0);
      level++;
      index = level === 2 ? (va >>> 21) & 511 : (va >>> 12) & 511;
      continue;
    }
    // block (levels 1, 2) or page (level 3)
    if ((dlo & 0x400) === 0) return fault(out, FAULT_ACCESS_FLAG, level);
    const high = (dhi & 0xff) * 0x100000;
    if (level === 1) (out.ppn = high + (((dlo >>> 30) << 18) | ((va >>> 12) & 0x3ffff))), (out.blockShift = 30);
    else if (level === 2) (out.ppn = high + (((dlo >>> 21) << 9) | ((va >>> 12) & 0x1ff))), (out.blockShift = 21);
    else (out.ppn = high + (dlo >>> 12)), (out.blockShift = 12);
    let perms = apPerms(((dlo >>> 5) & 6) | 1, true);
    if (apTable & 1) perms &= ~(PERM_PL0_R | PERM_PL0_W);
    if (apTable & 2) perms &= ~(PERM_PL1_W | PERM_PL0_W);
    out.perms = withExecute(perms, xnTable || (dhi & (1 << 22)) !== 0, pxnTable || (dhi & (1 << 21)) !== 0);
    const index8 = (dlo >>> 2) & 7;
    const attr = ((index8 < 4 ? cp15.prrr : cp15.nmrr) >>> ((index8 & 3) * 8)) & 0xff;
    out.device = (attr & 0xf0) === 0;
    out.attrs = attr | (((dlo >>> 8) & 3) << 8);
    out.global = (dlo & 0x800) === 0;
    out.level = level;
    return true;
  }
}

function fault(out: WalkResult, type: number, level: number): false {
  out.faultType = type;
  out.faultLevel = level;
  out.faultDomain = 0;
  return false;
}
