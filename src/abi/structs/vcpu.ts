/**
 * vCPU ioctl argument structs (include/uapi/linux/kvm.h, arch/arm/include/uapi/asm/kvm.h).
 * Reference kvm-arm32-abi.md §3.6, §3.9, §4.1–4.8; kvm-ppc-abi.md §1.3, §4.4.
 */
import { defineStruct } from "../struct.js";

/** KVM_GET/SET_ONE_REG (16 bytes): `addr` is a user pointer to a value of KVM_REG_SIZE(id) bytes. */
export const kvm_one_reg = defineStruct("kvm_one_reg", 16, [
  { name: "id", offset: 0, type: "u64" },
  { name: "addr", offset: 8, type: "u64" },
] as const);

/** KVM_GET_REG_LIST header (8 bytes): `n` is the capacity in, the register count out. */
export const kvm_reg_list = defineStruct("kvm_reg_list", 8, [{ name: "n", offset: 0, type: "u64" }] as const);
/** reg[i] lives at KVM_REG_LIST_REG + 8·i. */
export const KVM_REG_LIST_REG = 8;
export const kvmRegListSize = (n: number): number => KVM_REG_LIST_REG + 8 * n;

/** KVM_ARM_VCPU_INIT / KVM_ARM_PREFERRED_TARGET (32 bytes). Feature bit n is features[n >> 5] bit n & 31. */
export const kvm_vcpu_init = defineStruct("kvm_vcpu_init", 32, [
  { name: "target", offset: 0, type: "u32" },
  { name: "features", offset: 4, type: "u32", count: 7 },
] as const);

export const KVM_ARM_TARGET_CORTEX_A15 = 0;
export const KVM_ARM_TARGET_CORTEX_A7 = 1;
export const KVM_ARM_NUM_TARGETS = 2;
export const KVM_ARM_VCPU_POWER_OFF = 0;
export const KVM_ARM_VCPU_PSCI_0_2 = 1;
export const KVM_VCPU_MAX_FEATURES = 2;

/** KVM_GET/SET_MP_STATE (4 bytes); values KVM_MP_STATE_* in exits.ts. */
export const kvm_mp_state = defineStruct("kvm_mp_state", 4, [{ name: "mp_state", offset: 0, type: "u32" }] as const);

/** ARM KVM_GET/SET_VCPU_EVENTS (64 bytes, §4.8). Nested `exception.*` fields flattened to their leaf names. */
export const kvm_vcpu_events = defineStruct("kvm_vcpu_events", 64, [
  { name: "serror_pending", offset: 0, type: "u8" },
  { name: "serror_has_esr", offset: 1, type: "u8" },
  { name: "ext_dabt_pending", offset: 2, type: "u8" },
  { name: "pad", offset: 3, type: "bytes", count: 5 },
  { name: "serror_esr", offset: 8, type: "u64" },
  { name: "reserved", offset: 16, type: "u32", count: 12 },
] as const);

/** KVM_SET_SIGNAL_MASK header (4 bytes); `len` bytes of sigset follow at KVM_SIGNAL_MASK_SIGSET. */
export const kvm_signal_mask = defineStruct("kvm_signal_mask", 4, [{ name: "len", offset: 0, type: "u32" }] as const);
export const KVM_SIGNAL_MASK_SIGSET = 4;

/** KVM_TRANSLATE (24 bytes). */
export const kvm_translation = defineStruct("kvm_translation", 24, [
  { name: "linear_address", offset: 0, type: "u64" },
  { name: "physical_address", offset: 8, type: "u64" },
  { name: "valid", offset: 16, type: "u8" },
  { name: "writeable", offset: 17, type: "u8" },
  { name: "usermode", offset: 18, type: "u8" },
  { name: "pad", offset: 19, type: "bytes", count: 5 },
] as const);

/** KVM_INTERRUPT (4 bytes). PowerPC values below. */
export const kvm_interrupt = defineStruct("kvm_interrupt", 4, [{ name: "irq", offset: 0, type: "u32" }] as const);
export const KVM_INTERRUPT_SET = 0xffffffff;
export const KVM_INTERRUPT_UNSET = 0xfffffffe;
export const KVM_INTERRUPT_SET_LEVEL = 0xfffffffd;

/** KVM_ENABLE_CAP on a VM or vCPU fd (104 bytes). */
export const kvm_enable_cap = defineStruct("kvm_enable_cap", 104, [
  { name: "cap", offset: 0, type: "u32" },
  { name: "flags", offset: 4, type: "u32" },
  { name: "args", offset: 8, type: "u64", count: 4 },
  { name: "pad", offset: 40, type: "bytes", count: 64 },
] as const);

/** KVM_SET_GUEST_DEBUG control bits (generic, and the PowerPC-specific ones). */
export const KVM_GUESTDBG_ENABLE = 0x00000001;
export const KVM_GUESTDBG_SINGLESTEP = 0x00000002;
export const KVM_GUESTDBG_USE_SW_BP = 0x00010000;
export const KVM_GUESTDBG_USE_HW_BP = 0x00020000;

/** ARM32 struct kvm_guest_debug (8 bytes): control, pad; kvm_guest_debug_arch is empty. */
export const kvm_guest_debug_arm = defineStruct("kvm_guest_debug", 8, [
  { name: "control", offset: 0, type: "u32" },
  { name: "pad", offset: 4, type: "u32" },
] as const);
