/**
 * Why `ArmCpu.run` returned, and the details the layer above needs to handle the event.
 *
 * Contract (user level):
 * - STOP_SVC: PC has advanced past the SVC; `imm` holds its immediate (24 bits A32, 8 bits T32).
 * - STOP_UNDEFINED / STOP_BKPT / STOP_HVC / STOP_SMC: PC is the instruction's address; `insn` holds
 *   its encoding (a T32 32-bit instruction as hw1 << 16 | hw2), `imm` the BKPT/HVC/SMC immediate.
 * - STOP_DATA_ABORT: PC is the faulting instruction; `address`, `access`, `status`.
 * - STOP_PREFETCH_ABORT: PC is the unfetchable address; `address`.
 * - STOP_IO: an access to an I/O page whose `ioRead`/`ioWrite` returned IO_STOP; PC is the
 *   instruction (it is restarted by the next `run`); `address`, `size`, `access`, `value` (writes).
 * - STOP_WFI / STOP_WFE: PC has advanced past the hint (the caller may wait, then run again).
 * - STOP_BUDGET: the instruction budget ran out.
 */

export const STOP_NONE = 0;
export const STOP_BUDGET = 1;
export const STOP_SVC = 2;
export const STOP_UNDEFINED = 3;
export const STOP_BKPT = 4;
export const STOP_DATA_ABORT = 5;
export const STOP_PREFETCH_ABORT = 6;
export const STOP_HVC = 7;
export const STOP_SMC = 8;
export const STOP_WFI = 9;
export const STOP_WFE = 10;
export const STOP_IO = 11;

/** Fault status values (the ARMv7 short-descriptor FSR encodings the MMU will report). */
export const FSR_ALIGNMENT = 0x01;
export const FSR_TRANSLATION_PAGE = 0x07;
export const FSR_PERMISSION_PAGE = 0x0f;

/**
 * Abort *types* (StopInfo.faultType), independent of the FSR format; `encodeFsrShort` /
 * `encodeFsrLong` turn type + level (+ domain) into the DFSR/IFSR value (ARM ARM B3.13.3, B3.13.5).
 */
export const FAULT_NONE = 0;
export const FAULT_ALIGNMENT = 1;
export const FAULT_TRANSLATION = 2;
export const FAULT_ACCESS_FLAG = 3;
export const FAULT_DOMAIN = 4; // short-descriptor only
export const FAULT_PERMISSION = 5;
/** synchronous external abort on a normal access (the port answered PHYS_FAULT) */
export const FAULT_EXTERNAL = 6;
/** synchronous external abort on a translation table walk (a table in no RAM) */
export const FAULT_EXTERNAL_WALK = 7;
/** long-descriptor only: an output or table address beyond the supported PA range */
export const FAULT_ADDRESS_SIZE = 8;
export const FAULT_DEBUG = 9;

export class StopInfo {
  reason = STOP_NONE;
  /** SVC / BKPT / HVC / SMC immediate. */
  imm = 0;
  /** The instruction encoding, for UNDEFINED and BKPT. */
  insn = 0;
  /** Faulting (virtual) address for aborts; I/O physical address for STOP_IO. */
  address = 0;
  /** ACCESS_READ / ACCESS_WRITE / ACCESS_FETCH (memory.ts). */
  access = 0;
  /**
   * Aborts: the FSR status in the format in effect when the abort happened (short-descriptor FS with
   * FS[4] at bit 10, or long-descriptor STATUS), without WnR/ExT/LPAE bits. User level (no MMU):
   * FSR_* values.
   */
  status = 0;
  /** Aborts: FAULT_* type, translation level (short: 1 section/first level, 2 page/second level;
   *  long: 0..3), domain (short-descriptor; 0 when unknown), and whether the long-descriptor format
   *  (TTBCR.EAE) was in effect. */
  faultType = FAULT_NONE;
  faultLevel = 0;
  faultDomain = 0;
  faultLong = false;
  /** STOP_IO: access size in bytes and, for writes, the unsigned value. */
  size = 0;
  value = 0;
}

/**
 * Thrown (never allocated per event: this one object) by memory accesses that cannot complete. The
 * run loop catches it; the instruction has not committed any register state (executors perform all
 * their loads before writing registers), so it is restartable.
 */
export const GUEST_STOP: { readonly guestStop: true } = Object.freeze({ guestStop: true });

/**
 * The short-descriptor DFSR/IFSR value of an abort (B3.13.3, Table B3-23): FS[4] at bit 10, FS[3:0]
 * at bits 3:0, domain at bits 7:4 (where the architecture defines it), WnR at bit 11 for writes.
 */
export function encodeFsrShort(info: StopInfo): number {
  const fs = shortFs(info.faultType, info.faultLevel);
  let v = (fs & 0xf) | ((fs & 0x10) << 6);
  if (info.faultType === FAULT_DOMAIN || info.faultType === FAULT_PERMISSION || info.faultType === FAULT_ACCESS_FLAG ||
    (info.faultType === FAULT_TRANSLATION && info.faultLevel === 2)) v |= (info.faultDomain & 15) << 4;
  if (info.access === 1 /* ACCESS_WRITE */) v |= 1 << 11;
  return v;
}

/** The long-descriptor DFSR/IFSR value (B3.13.5): LPAE bit 9 set, STATUS[5:0], WnR at bit 11. */
export function encodeFsrLong(info: StopInfo): number {
  let v = (1 << 9) | longStatus(info.faultType, info.faultLevel);
  if (info.access === 1 /* ACCESS_WRITE */) v |= 1 << 11;
  return v;
}

/** Short-descriptor FS[4:0] for a fault type and level (1 = section/first level, 2 = page/second). */
export function shortFs(type: number, level: number): number {
  const page = level >= 2;
  switch (type) {
    case FAULT_ALIGNMENT: return 0x01;
    case FAULT_DEBUG: return 0x02;
    case FAULT_ACCESS_FLAG: return page ? 0x06 : 0x03;
    case FAULT_TRANSLATION: return page ? 0x07 : 0x05;
    case FAULT_DOMAIN: return page ? 0x0b : 0x09;
    case FAULT_PERMISSION: return page ? 0x0f : 0x0d;
    case FAULT_EXTERNAL_WALK: return page ? 0x0e : 0x0c;
    default: return 0x08; // synchronous external abort (address size cannot happen here)
  }
}

/** Long-descriptor STATUS[5:0] for a fault type and level (0..3). */
export function longStatus(type: number, level: number): number {
  const ll = level & 3;
  switch (type) {
    case FAULT_ALIGNMENT: return 0x21;
    case FAULT_DEBUG: return 0x22;
    case FAULT_ADDRESS_SIZE: return ll;
    case FAULT_TRANSLATION: return 0x04 | ll;
    case FAULT_ACCESS_FLAG: return 0x08 | ll;
    case FAULT_PERMISSION: return 0x0c | ll;
    case FAULT_EXTERNAL_WALK: return 0x14 | ll;
    default: return 0x10;
  }
}
