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
  /** FSR_* for aborts. */
  status = 0;
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
