/**
 * KvmRun: a typed view over a vCPU's mmapped kvm_run page (and the coalesced-MMIO ring page after it).
 * Getters and setters read and write the shared bytes directly, so the kernel sees what the VMM sets
 * (mmio.data for a read, papr_hcall.ret, immediate_exit) and vice versa. Reference kvm-arm32-abi.md §4.2,
 * §9, kvm-ppc-abi.md §4.
 */
import * as R from "../abi/structs/run.js";
import {
  KVM_COALESCED_MMIO_ENTRY_DATA, KVM_COALESCED_MMIO_ENTRY_LEN, KVM_COALESCED_MMIO_ENTRY_PHYS_ADDR,
  KVM_COALESCED_MMIO_ENTRY_SIZE, KVM_COALESCED_MMIO_MAX, KVM_COALESCED_MMIO_RING_ENTRIES,
  KVM_COALESCED_MMIO_RING_FIRST, KVM_COALESCED_MMIO_RING_LAST, PAGE_SIZE,
} from "../abi/structs/memory.js";

export interface CoalescedMmio {
  readonly phys_addr: bigint;
  readonly len: number;
  readonly data: Uint8Array;
}

export class KvmRun {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < R.KVM_RUN_STRUCT_SIZE) throw new RangeError("kvm_run mapping too small");
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  // ---- header ----
  get exit_reason(): number { return this.view.getUint32(R.KVM_RUN_EXIT_REASON, true); }
  set exit_reason(v: number) { this.view.setUint32(R.KVM_RUN_EXIT_REASON, v >>> 0, true); }
  get immediate_exit(): number { return this.view.getUint8(R.KVM_RUN_IMMEDIATE_EXIT); }
  set immediate_exit(v: number) { this.view.setUint8(R.KVM_RUN_IMMEDIATE_EXIT, v); }
  get request_interrupt_window(): number { return this.view.getUint8(R.KVM_RUN_REQUEST_INTERRUPT_WINDOW); }
  set request_interrupt_window(v: number) { this.view.setUint8(R.KVM_RUN_REQUEST_INTERRUPT_WINDOW, v); }
  get flags(): number { return this.view.getUint16(R.KVM_RUN_FLAGS, true); }
  get kvm_valid_regs(): bigint { return this.view.getBigUint64(R.KVM_RUN_KVM_VALID_REGS, true); }
  get kvm_dirty_regs(): bigint { return this.view.getBigUint64(R.KVM_RUN_KVM_DIRTY_REGS, true); }
  set kvm_dirty_regs(v: bigint) { this.view.setBigUint64(R.KVM_RUN_KVM_DIRTY_REGS, v, true); }

  // ---- KVM_EXIT_UNKNOWN / FAIL_ENTRY ----
  get hardware_exit_reason(): bigint { return this.view.getBigUint64(R.KVM_RUN_HW_HARDWARE_EXIT_REASON, true); }
  get hardware_entry_failure_reason(): bigint {
    return this.view.getBigUint64(R.KVM_RUN_FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON, true);
  }

  // ---- KVM_EXIT_MMIO ----
  get mmio_phys_addr(): bigint { return this.view.getBigUint64(R.KVM_RUN_MMIO_PHYS_ADDR, true); }
  get mmio_len(): number { return this.view.getUint32(R.KVM_RUN_MMIO_LEN, true); }
  get mmio_is_write(): boolean { return this.view.getUint8(R.KVM_RUN_MMIO_IS_WRITE) !== 0; }
  /** The 8 data bytes, live (memory order): read them for a write, fill them for a read. */
  get mmio_data(): Uint8Array { return this.bytes.subarray(R.KVM_RUN_MMIO_DATA, R.KVM_RUN_MMIO_DATA + 8); }
  /** mmio.data[0..len) as a little-endian number (a convenience for little-endian devices). */
  get mmio_data_le(): number {
    let v = 0;
    for (let i = Math.min(this.mmio_len, 4) - 1; i >= 0; i--) v = (v * 256) + this.bytes[R.KVM_RUN_MMIO_DATA + i]!;
    return v;
  }
  /** Stores `value` little-endian into mmio.data[0..len) (completing an MMIO read). */
  set mmio_data_le(value: number) {
    const len = Math.min(this.mmio_len, 8);
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    for (let i = 0; i < len; i++) { this.bytes[R.KVM_RUN_MMIO_DATA + i] = Number(v & 0xffn); v >>= 8n; }
  }

  // ---- KVM_EXIT_SYSTEM_EVENT ----
  get system_event_type(): number { return this.view.getUint32(R.KVM_RUN_SYSTEM_EVENT_TYPE, true); }
  get system_event_flags(): bigint { return this.view.getBigUint64(R.KVM_RUN_SYSTEM_EVENT_FLAGS, true); }

  // ---- KVM_EXIT_INTERNAL_ERROR ----
  get internal_suberror(): number { return this.view.getUint32(R.KVM_RUN_INTERNAL_SUBERROR, true); }
  get internal_data(): bigint[] {
    const n = Math.min(this.view.getUint32(R.KVM_RUN_INTERNAL_NDATA, true), R.KVM_INTERNAL_ERROR_MAX_DATA);
    return Array.from({ length: n }, (_, i) => this.view.getBigUint64(R.KVM_RUN_INTERNAL_DATA + 8 * i, true));
  }

  // ---- KVM_EXIT_ARM_NISV ----
  get arm_nisv_esr_iss(): bigint { return this.view.getBigUint64(R.KVM_RUN_ARM_NISV_ESR_ISS, true); }
  get arm_nisv_fault_ipa(): bigint { return this.view.getBigUint64(R.KVM_RUN_ARM_NISV_FAULT_IPA, true); }

  // ---- ARM sync regs ----
  get device_irq_level(): bigint { return this.view.getBigUint64(R.KVM_RUN_S_REGS_DEVICE_IRQ_LEVEL, true); }

  // ---- PowerPC exits ----
  get papr_hcall_nr(): bigint { return this.view.getBigUint64(R.KVM_RUN_PAPR_HCALL_NR, true); }
  get papr_hcall_ret(): bigint { return this.view.getBigUint64(R.KVM_RUN_PAPR_HCALL_RET, true); }
  set papr_hcall_ret(v: bigint) { this.view.setBigUint64(R.KVM_RUN_PAPR_HCALL_RET, BigInt.asUintN(64, v), true); }
  paprHcallArg(i: number): bigint { return this.view.getBigUint64(this.paprArgOff(i), true); }
  setPaprHcallArg(i: number, v: bigint): void { this.view.setBigUint64(this.paprArgOff(i), BigInt.asUintN(64, v), true); }
  private paprArgOff(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= R.KVM_PAPR_HCALL_NARGS) throw new RangeError(`papr_hcall.args[${i}]`);
    return R.KVM_RUN_PAPR_HCALL_ARGS + 8 * i;
  }
  osiGpr(i: number): bigint { return this.view.getBigUint64(this.osiOff(i), true); }
  setOsiGpr(i: number, v: bigint): void { this.view.setBigUint64(this.osiOff(i), BigInt.asUintN(64, v), true); }
  private osiOff(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= 32) throw new RangeError(`osi.gprs[${i}]`);
    return R.KVM_RUN_OSI_GPRS + 8 * i;
  }
  get epr(): number { return this.view.getUint32(R.KVM_RUN_EPR_EPR, true); }
  set epr(v: number) { this.view.setUint32(R.KVM_RUN_EPR_EPR, v >>> 0, true); }
  get debug_address(): bigint { return this.view.getBigUint64(R.KVM_RUN_DEBUG_ARCH_ADDRESS, true); }
  get debug_status(): number { return this.view.getUint32(R.KVM_RUN_DEBUG_ARCH_STATUS, true); }

  // ---- coalesced MMIO ring (page KVM_COALESCED_MMIO_PAGE_OFFSET of the same mapping) ----
  /**
   * Takes every queued coalesced write out of the ring (advancing `first`), oldest first. Returns []
   * if the mapping does not include the ring page.
   */
  drainCoalescedMmio(): CoalescedMmio[] {
    const base = PAGE_SIZE; // KVM_COALESCED_MMIO_PAGE_OFFSET * PAGE_SIZE
    if (this.bytes.length < base + PAGE_SIZE) return [];
    const out: CoalescedMmio[] = [];
    let first = this.view.getUint32(base + KVM_COALESCED_MMIO_RING_FIRST, true);
    const last = this.view.getUint32(base + KVM_COALESCED_MMIO_RING_LAST, true);
    while (first !== last && first < KVM_COALESCED_MMIO_MAX) {
      const e = base + KVM_COALESCED_MMIO_RING_ENTRIES + first * KVM_COALESCED_MMIO_ENTRY_SIZE;
      const len = this.view.getUint32(e + KVM_COALESCED_MMIO_ENTRY_LEN, true);
      out.push({
        phys_addr: this.view.getBigUint64(e + KVM_COALESCED_MMIO_ENTRY_PHYS_ADDR, true),
        len,
        data: this.bytes.slice(e + KVM_COALESCED_MMIO_ENTRY_DATA, e + KVM_COALESCED_MMIO_ENTRY_DATA + Math.min(len, 8)),
      });
      first = (first + 1) % KVM_COALESCED_MMIO_MAX;
      this.view.setUint32(base + KVM_COALESCED_MMIO_RING_FIRST, first, true);
    }
    return out;
  }
}
