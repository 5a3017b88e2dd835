/**
 * struct kvm_run: the first page of a vCPU fd's mmap (include/uapi/linux/kvm.h). Reference
 * kvm-arm32-abi.md §4.2 and kvm-ppc-abi.md §4.1–4.2.
 *
 * Two forms of the same facts: plain offset constants (for the kernel, which writes exits through a
 * DataView without allocating) and codecs. `kvm_run` is the common header; each union member is a codec
 * of its own, `kvm_run.mmio`, `kvm_run.papr_hcall`, …, whose offsets are absolute within kvm_run.
 */
import { defineStruct } from "../struct.js";

export const KVM_RUN_STRUCT_SIZE = 2352;

// ---- common header -----------------------------------------------------------------------------
export const KVM_RUN_REQUEST_INTERRUPT_WINDOW = 0;
export const KVM_RUN_IMMEDIATE_EXIT = 1;
export const KVM_RUN_PADDING1 = 2;
export const KVM_RUN_EXIT_REASON = 8;
export const KVM_RUN_READY_FOR_INTERRUPT_INJECTION = 12;
export const KVM_RUN_IF_FLAG = 13;
export const KVM_RUN_FLAGS = 14;
export const KVM_RUN_CR8 = 16;
export const KVM_RUN_APIC_BASE = 24;
/** Start and size of the exit-specific union. */
export const KVM_RUN_EXIT_UNION = 32;
export const KVM_RUN_EXIT_UNION_SIZE = 256;
export const KVM_RUN_KVM_VALID_REGS = 288;
export const KVM_RUN_KVM_DIRTY_REGS = 296;
/** The `s` union (sync regs), 2048 bytes. */
export const KVM_RUN_S = 304;
export const KVM_SYNC_REGS_SIZE_BYTES = 2048;

// ---- union members (absolute offsets in kvm_run) -----------------------------------------------
/** KVM_EXIT_UNKNOWN (and PPC KVM_EXIT_NMI): hw.hardware_exit_reason. */
export const KVM_RUN_HW_HARDWARE_EXIT_REASON = 32;
/** KVM_EXIT_FAIL_ENTRY. */
export const KVM_RUN_FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON = 32;
export const KVM_RUN_FAIL_ENTRY_CPU = 40;
/** KVM_EXIT_MMIO. */
export const KVM_RUN_MMIO_PHYS_ADDR = 32;
export const KVM_RUN_MMIO_DATA = 40;
export const KVM_RUN_MMIO_LEN = 48;
export const KVM_RUN_MMIO_IS_WRITE = 52;
/** KVM_EXIT_HYPERCALL (generic; not produced on ARM). */
export const KVM_RUN_HYPERCALL_NR = 32;
export const KVM_RUN_HYPERCALL_ARGS = 40;
export const KVM_RUN_HYPERCALL_RET = 88;
export const KVM_RUN_HYPERCALL_LONGMODE = 96;
/** KVM_EXIT_INTERNAL_ERROR. */
export const KVM_RUN_INTERNAL_SUBERROR = 32;
export const KVM_RUN_INTERNAL_NDATA = 36;
export const KVM_RUN_INTERNAL_DATA = 40;
export const KVM_INTERNAL_ERROR_MAX_DATA = 16;
/** KVM_EXIT_SYSTEM_EVENT: `flags` (5.x ARM) shares its offset with data[0] of newer kernels. */
export const KVM_RUN_SYSTEM_EVENT_TYPE = 32;
export const KVM_RUN_SYSTEM_EVENT_NDATA = 36;
export const KVM_RUN_SYSTEM_EVENT_FLAGS = 40;
export const KVM_RUN_SYSTEM_EVENT_DATA = 40;
/** KVM_EXIT_ARM_NISV. */
export const KVM_RUN_ARM_NISV_ESR_ISS = 32;
export const KVM_RUN_ARM_NISV_FAULT_IPA = 40;
/** KVM_EXIT_PAPR_HCALL: args[i] at 48 + 8i, i = 0..8. */
export const KVM_RUN_PAPR_HCALL_NR = 32;
export const KVM_RUN_PAPR_HCALL_RET = 40;
export const KVM_RUN_PAPR_HCALL_ARGS = 48;
export const KVM_PAPR_HCALL_NARGS = 9;
/** KVM_EXIT_OSI: gprs[i] at 32 + 8i, i = 0..31. */
export const KVM_RUN_OSI_GPRS = 32;
/** KVM_EXIT_EPR. */
export const KVM_RUN_EPR_EPR = 32;
/** KVM_EXIT_DCR (deprecated, 440). */
export const KVM_RUN_DCR_DCRN = 32;
export const KVM_RUN_DCR_DATA = 36;
export const KVM_RUN_DCR_IS_WRITE = 40;
/** KVM_EXIT_DEBUG, PowerPC `struct kvm_debug_exit_arch`. */
export const KVM_RUN_DEBUG_ARCH_ADDRESS = 32;
export const KVM_RUN_DEBUG_ARCH_STATUS = 40;
export const KVM_RUN_DEBUG_ARCH_RESERVED = 44;
export const KVMPPC_DEBUG_NONE = 0;
export const KVMPPC_DEBUG_BREAKPOINT = 1 << 1;
export const KVMPPC_DEBUG_WATCH_WRITE = 1 << 2;
export const KVMPPC_DEBUG_WATCH_READ = 1 << 3;

/** ARM `struct kvm_sync_regs { u64 device_irq_level; }` at kvm_run.s (KVM_CAP_ARM_USER_IRQ). */
export const KVM_RUN_S_REGS_DEVICE_IRQ_LEVEL = 304;
export const KVM_ARM_DEV_EL1_VTIMER = 1 << 0;
export const KVM_ARM_DEV_EL1_PTIMER = 1 << 1;
export const KVM_ARM_DEV_PMU = 1 << 2;

/** PowerPC kvm_run.flags bits 0..1 on KVM_EXIT_NMI (FWNMI disposition). */
export const KVM_RUN_PPC_NMI_DISP_MASK = 3;
export const KVM_RUN_PPC_NMI_DISP_FULLY_RECOV = 1;
export const KVM_RUN_PPC_NMI_DISP_LIMITED_RECOV = 2;
export const KVM_RUN_PPC_NMI_DISP_NOT_RECOV = 3;

// ---- codecs ------------------------------------------------------------------------------------
const S = KVM_RUN_STRUCT_SIZE;

const header = defineStruct("kvm_run", S, [
  { name: "request_interrupt_window", offset: KVM_RUN_REQUEST_INTERRUPT_WINDOW, type: "u8" },
  { name: "immediate_exit", offset: KVM_RUN_IMMEDIATE_EXIT, type: "u8" },
  { name: "padding1", offset: KVM_RUN_PADDING1, type: "bytes", count: 6 },
  { name: "exit_reason", offset: KVM_RUN_EXIT_REASON, type: "u32" },
  { name: "ready_for_interrupt_injection", offset: KVM_RUN_READY_FOR_INTERRUPT_INJECTION, type: "u8" },
  { name: "if_flag", offset: KVM_RUN_IF_FLAG, type: "u8" },
  { name: "flags", offset: KVM_RUN_FLAGS, type: "u16" },
  { name: "cr8", offset: KVM_RUN_CR8, type: "u64" },
  { name: "apic_base", offset: KVM_RUN_APIC_BASE, type: "u64" },
  { name: "kvm_valid_regs", offset: KVM_RUN_KVM_VALID_REGS, type: "u64" },
  { name: "kvm_dirty_regs", offset: KVM_RUN_KVM_DIRTY_REGS, type: "u64" },
] as const);

const members = {
  hw: defineStruct("kvm_run.hw", S, [
    { name: "hardware_exit_reason", offset: KVM_RUN_HW_HARDWARE_EXIT_REASON, type: "u64" },
  ] as const),
  fail_entry: defineStruct("kvm_run.fail_entry", S, [
    { name: "hardware_entry_failure_reason", offset: KVM_RUN_FAIL_ENTRY_HARDWARE_ENTRY_FAILURE_REASON, type: "u64" },
    { name: "cpu", offset: KVM_RUN_FAIL_ENTRY_CPU, type: "u32" },
  ] as const),
  mmio: defineStruct("kvm_run.mmio", S, [
    { name: "phys_addr", offset: KVM_RUN_MMIO_PHYS_ADDR, type: "u64" },
    { name: "data", offset: KVM_RUN_MMIO_DATA, type: "bytes", count: 8 },
    { name: "len", offset: KVM_RUN_MMIO_LEN, type: "u32" },
    { name: "is_write", offset: KVM_RUN_MMIO_IS_WRITE, type: "u8" },
  ] as const),
  hypercall: defineStruct("kvm_run.hypercall", S, [
    { name: "nr", offset: KVM_RUN_HYPERCALL_NR, type: "u64" },
    { name: "args", offset: KVM_RUN_HYPERCALL_ARGS, type: "u64", count: 6 },
    { name: "ret", offset: KVM_RUN_HYPERCALL_RET, type: "u64" },
    { name: "longmode", offset: KVM_RUN_HYPERCALL_LONGMODE, type: "u32" },
  ] as const),
  internal: defineStruct("kvm_run.internal", S, [
    { name: "suberror", offset: KVM_RUN_INTERNAL_SUBERROR, type: "u32" },
    { name: "ndata", offset: KVM_RUN_INTERNAL_NDATA, type: "u32" },
    { name: "data", offset: KVM_RUN_INTERNAL_DATA, type: "u64", count: KVM_INTERNAL_ERROR_MAX_DATA },
  ] as const),
  system_event: defineStruct("kvm_run.system_event", S, [
    { name: "type", offset: KVM_RUN_SYSTEM_EVENT_TYPE, type: "u32" },
    { name: "ndata", offset: KVM_RUN_SYSTEM_EVENT_NDATA, type: "u32" },
    { name: "flags", offset: KVM_RUN_SYSTEM_EVENT_FLAGS, type: "u64" },
  ] as const),
  arm_nisv: defineStruct("kvm_run.arm_nisv", S, [
    { name: "esr_iss", offset: KVM_RUN_ARM_NISV_ESR_ISS, type: "u64" },
    { name: "fault_ipa", offset: KVM_RUN_ARM_NISV_FAULT_IPA, type: "u64" },
  ] as const),
  papr_hcall: defineStruct("kvm_run.papr_hcall", S, [
    { name: "nr", offset: KVM_RUN_PAPR_HCALL_NR, type: "u64" },
    { name: "ret", offset: KVM_RUN_PAPR_HCALL_RET, type: "u64" },
    { name: "args", offset: KVM_RUN_PAPR_HCALL_ARGS, type: "u64", count: KVM_PAPR_HCALL_NARGS },
  ] as const),
  osi: defineStruct("kvm_run.osi", S, [
    { name: "gprs", offset: KVM_RUN_OSI_GPRS, type: "u64", count: 32 },
  ] as const),
  epr: defineStruct("kvm_run.epr", S, [
    { name: "epr", offset: KVM_RUN_EPR_EPR, type: "u32" },
  ] as const),
  dcr: defineStruct("kvm_run.dcr", S, [
    { name: "dcrn", offset: KVM_RUN_DCR_DCRN, type: "u32" },
    { name: "data", offset: KVM_RUN_DCR_DATA, type: "u32" },
    { name: "is_write", offset: KVM_RUN_DCR_IS_WRITE, type: "u8" },
  ] as const),
  /** PowerPC KVM_EXIT_DEBUG: debug.arch (struct kvm_debug_exit_arch). */
  debug: defineStruct("kvm_run.debug", S, [
    { name: "address", offset: KVM_RUN_DEBUG_ARCH_ADDRESS, type: "u64" },
    { name: "status", offset: KVM_RUN_DEBUG_ARCH_STATUS, type: "u32" },
    { name: "reserved", offset: KVM_RUN_DEBUG_ARCH_RESERVED, type: "u32" },
  ] as const),
  /** ARM sync regs: s.regs.device_irq_level. */
  s: defineStruct("kvm_run.s", S, [
    { name: "device_irq_level", offset: KVM_RUN_S_REGS_DEVICE_IRQ_LEVEL, type: "u64" },
  ] as const),
} as const;

/** The kvm_run header codec, with one codec per union member as a property (`kvm_run.mmio`, …). */
export const kvm_run: typeof header & typeof members = Object.freeze(Object.assign({}, header, members));
