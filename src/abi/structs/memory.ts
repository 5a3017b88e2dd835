/**
 * Memory-slot structs (include/uapi/linux/kvm.h): user memory regions, the dirty log, coalesced MMIO
 * zones and the layout of the coalesced-MMIO ring page. Reference kvm-arm32-abi.md §3.1, §3.7, §3.12.
 */
import { defineStruct } from "../struct.js";

/** KVM_SET_USER_MEMORY_REGION argument (32 bytes). `slot`: bits 15..0 slot id, 31..16 address space. */
export const kvm_userspace_memory_region = defineStruct("kvm_userspace_memory_region", 32, [
  { name: "slot", offset: 0, type: "u32" },
  { name: "flags", offset: 4, type: "u32" },
  { name: "guest_phys_addr", offset: 8, type: "u64" },
  { name: "memory_size", offset: 16, type: "u64" },
  { name: "userspace_addr", offset: 24, type: "u64" },
] as const);

export const KVM_MEM_LOG_DIRTY_PAGES = 1 << 0;
export const KVM_MEM_READONLY = 1 << 1;
/** Slots per address space visible to userspace (ARM has no private slots). */
export const KVM_USER_MEM_SLOTS = 32;
/** Bits of `slot` holding the slot id; the address-space id sits above them. */
export const KVM_MEM_SLOT_ID_MASK = 0xffff;
export const KVM_MEM_AS_ID_SHIFT = 16;

/** KVM_GET_DIRTY_LOG argument (16 bytes); `dirty_bitmap` is a user pointer (union with padding2). */
export const kvm_dirty_log = defineStruct("kvm_dirty_log", 16, [
  { name: "slot", offset: 0, type: "u32" },
  { name: "padding1", offset: 4, type: "u32" },
  { name: "dirty_bitmap", offset: 8, type: "u64" },
] as const);

/** KVM_CLEAR_DIRTY_LOG argument (24 bytes). */
export const kvm_clear_dirty_log = defineStruct("kvm_clear_dirty_log", 24, [
  { name: "slot", offset: 0, type: "u32" },
  { name: "num_pages", offset: 4, type: "u32" },
  { name: "first_page", offset: 8, type: "u64" },
  { name: "dirty_bitmap", offset: 16, type: "u64" },
] as const);

/** KVM_(UN)REGISTER_COALESCED_MMIO argument (16 bytes); `pad` is the union with `pio`. */
export const kvm_coalesced_mmio_zone = defineStruct("kvm_coalesced_mmio_zone", 16, [
  { name: "addr", offset: 0, type: "u64" },
  { name: "size", offset: 8, type: "u32" },
  { name: "pad", offset: 12, type: "u32" },
] as const);

/** The ring lives in page 1 of every vCPU fd's mmap (also the value KVM_CAP_COALESCED_MMIO reports). */
export const KVM_COALESCED_MMIO_PAGE_OFFSET = 1;
export const PAGE_SIZE = 4096;

/** struct kvm_coalesced_mmio_ring header: `first` (consumer index) @0, `last` (producer index) @4. */
export const KVM_COALESCED_MMIO_RING_FIRST = 0;
export const KVM_COALESCED_MMIO_RING_LAST = 4;
/** Offset of coalesced_mmio[0] within the ring page. */
export const KVM_COALESCED_MMIO_RING_ENTRIES = 8;

/** One ring entry, struct kvm_coalesced_mmio (24 bytes): `pad` is the union with `pio`. */
export const kvm_coalesced_mmio = defineStruct("kvm_coalesced_mmio", 24, [
  { name: "phys_addr", offset: 0, type: "u64" },
  { name: "len", offset: 8, type: "u32" },
  { name: "pad", offset: 12, type: "u32" },
  { name: "data", offset: 16, type: "bytes", count: 8 },
] as const);
export const KVM_COALESCED_MMIO_ENTRY_SIZE = 24;
export const KVM_COALESCED_MMIO_ENTRY_PHYS_ADDR = 0;
export const KVM_COALESCED_MMIO_ENTRY_LEN = 8;
export const KVM_COALESCED_MMIO_ENTRY_DATA = 16;
/** KVM_COALESCED_MMIO_MAX = (PAGE_SIZE - sizeof(ring header)) / sizeof(entry) = (4096 - 8) / 24. */
export const KVM_COALESCED_MMIO_MAX = 170;
