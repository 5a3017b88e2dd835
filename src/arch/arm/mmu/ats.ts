/**
 * Address translation operations ATS1CPR, ATS1CPW, ATS1CUR, ATS1CUW (ARM ARM B4.2.6): a stage 1
 * translation of a VA with the requested privilege and access, its result in PAR, in the format
 * TTBCR.EAE selects (B4.1.112):
 *
 * - short format (32 bits): success = PA[31:12] (a supersection: PA[31:24] and PA[39:32] in bits
 *   23:16), SH bit 7, Inner[2:0] bits 6:4, Outer[1:0] bits 3:2, SS bit 1, F = 0; abort = FS[4:0] in
 *   bits 5:1, ExT bit 6, F = 1.
 * - long format (64 bits): success = PA[39:12], SH bits 8:7, LPAE bit 11, ATTR (the MAIR byte) in
 *   bits 63:56, F = 0; abort = FST (the long-descriptor status) in bits 6:1, LPAE bit 11, F = 1.
 *
 * With the MMU off the PA is the VA and the attributes those of Strongly-ordered memory. The walk
 * does not use or fill the TLB (the architecture allows either); faults write PAR and never abort.
 */
import { TTBCR_EAE, type Cp15State } from "../cp15/state.js";
import { ACCESS_READ, ACCESS_WRITE } from "../memory.js";
import { longStatus, shortFs } from "../stop.js";
import { longAsid, walkLong } from "./long-descriptor.js";
import { accessFault } from "./permission.js";
import { walkShort } from "./short-descriptor.js";
import { INFO_DOMAIN_SHIFT } from "./tlb.js";
import type { TableReader, WalkResult } from "./walk.js";

const PAR_LPAE = 1 << 11;

export function ats1(
  cp15: Cp15State, reader: TableReader, w: WalkResult, enabled: boolean, va: number, write: boolean, user: boolean,
): void {
  const long = (cp15.ttbcr & TTBCR_EAE) !== 0;
  va >>>= 0;
  if (!enabled) {
    // Strongly-ordered, shareable: short Inner = 001, SH = 1; long ATTR = 0x00
    if (long) (cp15.parLo = ((va & ~0xfff) | PAR_LPAE) >>> 0), (cp15.parHi = 0);
    else (cp15.parLo = ((va & ~0xfff) | (1 << 7) | (1 << 4)) >>> 0), (cp15.parHi = 0);
    return;
  }
  const asid = long ? longAsid(cp15) : cp15.contextidr & 0xff;
  let faultType = 0, faultLevel = 0;
  if (!(long ? walkLong(cp15, reader, va, asid, w) : walkShort(cp15, reader, va, asid, w))) {
    faultType = w.faultType;
    faultLevel = w.faultLevel;
  } else {
    const info = w.perms | (w.domain << INFO_DOMAIN_SHIFT);
    faultType = accessFault(info, cp15.dacr, cp15.sctlr, write ? ACCESS_WRITE : ACCESS_READ, user);
    faultLevel = w.level;
  }
  if (faultType !== 0) {
    if (long) cp15.parLo = (PAR_LPAE | (longStatus(faultType, faultLevel) << 1) | 1) >>> 0;
    else cp15.parLo = (shortFs(faultType, faultLevel) << 1) | 1;
    cp15.parHi = 0;
    return;
  }
  const paLo = (w.ppn << 12) >>> 0, paHigh = Math.floor(w.ppn / 0x100000) & 0xff;
  if (long) {
    cp15.parLo = ((paLo & ~0xfff) | PAR_LPAE | (((w.attrs >>> 8) & 3) << 7)) >>> 0;
    cp15.parHi = (paHigh | ((w.attrs & 0xff) << 24)) >>> 0;
  } else if (w.attrs & 2) {
    // supersection: PA[39:32] in bits 23:16
    cp15.parLo = ((paLo & 0xff000000) | (paHigh << 16) | (w.attrs & 0x1fe)) >>> 0;
    cp15.parHi = 0;
  } else {
    cp15.parLo = ((paLo & ~0xfff) | (w.attrs & 0x1fe)) >>> 0;
    cp15.parHi = 0;
  }
}
