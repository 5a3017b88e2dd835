/**
 * The device-control API (KVM_CREATE_DEVICE, KVM_{SET,GET,HAS}_DEVICE_ATTR) and the attribute spaces of
 * the ARM VGIC v2 device and the ARM vCPU. Reference kvm-arm32-abi.md §3.8, §4.9, §10.4.
 */
import { defineStruct } from "../struct.js";

/** KVM_CREATE_DEVICE (12 bytes): `type` in, `fd` out, `flags` in. */
export const kvm_create_device = defineStruct("kvm_create_device", 12, [
  { name: "type", offset: 0, type: "u32" },
  { name: "fd", offset: 4, type: "u32" },
  { name: "flags", offset: 8, type: "u32" },
] as const);
export const KVM_CREATE_DEVICE_TEST = 1;

/** enum kvm_device_type. */
export const KVM_DEV_TYPE_FSL_MPIC_20 = 1;
export const KVM_DEV_TYPE_FSL_MPIC_42 = 2;
export const KVM_DEV_TYPE_XICS = 3;
export const KVM_DEV_TYPE_VFIO = 4;
export const KVM_DEV_TYPE_ARM_VGIC_V2 = 5;
export const KVM_DEV_TYPE_FLIC = 6;
export const KVM_DEV_TYPE_ARM_VGIC_V3 = 7;
export const KVM_DEV_TYPE_ARM_VGIC_ITS = 8;
export const KVM_DEV_TYPE_XIVE = 9;
export const KVM_DEV_TYPE_ARM_PV_TIME = 10;

/** KVM_{SET,GET,HAS}_DEVICE_ATTR (24 bytes): `addr` is a user pointer to the attribute's value. */
export const kvm_device_attr = defineStruct("kvm_device_attr", 24, [
  { name: "flags", offset: 0, type: "u32" },
  { name: "group", offset: 4, type: "u32" },
  { name: "attr", offset: 8, type: "u64" },
  { name: "addr", offset: 16, type: "u64" },
] as const);

// ---- VGIC (v2) device attribute groups -----------------------------------------------------------
export const KVM_DEV_ARM_VGIC_GRP_ADDR = 0;
export const KVM_DEV_ARM_VGIC_GRP_DIST_REGS = 1;
export const KVM_DEV_ARM_VGIC_GRP_CPU_REGS = 2;
export const KVM_DEV_ARM_VGIC_GRP_NR_IRQS = 3;
export const KVM_DEV_ARM_VGIC_GRP_CTRL = 4;
/** GICv3 / ITS only. */
export const KVM_DEV_ARM_VGIC_GRP_REDIST_REGS = 5;
export const KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS = 6;
export const KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO = 7;
export const KVM_DEV_ARM_VGIC_GRP_ITS_REGS = 8;

export const KVM_DEV_ARM_VGIC_CTRL_INIT = 0;

/** DIST_REGS / CPU_REGS attr: bits 39..32 vCPU index, bits 31..0 register offset. */
export const KVM_DEV_ARM_VGIC_CPUID_SHIFT = 32;
export const KVM_DEV_ARM_VGIC_CPUID_MASK = 0xffn << 32n;
export const KVM_DEV_ARM_VGIC_OFFSET_SHIFT = 0;
export const KVM_DEV_ARM_VGIC_OFFSET_MASK = 0xffffffffn;

/** The attr of a DIST_REGS / CPU_REGS access to `offset` as seen by vCPU `cpuid`. */
export const vgicRegAttr = (cpuid: number, offset: number): bigint =>
  ((BigInt(cpuid) & 0xffn) << 32n) | (BigInt(offset >>> 0) & KVM_DEV_ARM_VGIC_OFFSET_MASK);

export function vgicRegAttrDecode(attr: bigint): { cpuid: number; offset: number } {
  return {
    cpuid: Number((attr & KVM_DEV_ARM_VGIC_CPUID_MASK) >> 32n),
    offset: Number(attr & KVM_DEV_ARM_VGIC_OFFSET_MASK),
  };
}

/** The value VGIC_GRP_ADDR reads for an address not yet set. */
export const VGIC_ADDR_UNDEF = 0xffffffffffffffffn;
/** Limits of GRP_NR_IRQS (total interrupts, multiple of 32). */
export const VGIC_NR_IRQS_MIN = 64;
export const VGIC_NR_IRQS_MAX = 1024;
export const VGIC_NR_IRQS_DEFAULT = 256;

// ---- vCPU device attributes (on the vCPU fd) -----------------------------------------------------
export const KVM_ARM_VCPU_PMU_V3_CTRL = 0;
export const KVM_ARM_VCPU_PMU_V3_IRQ = 0;
export const KVM_ARM_VCPU_PMU_V3_INIT = 1;
export const KVM_ARM_VCPU_TIMER_CTRL = 1;
export const KVM_ARM_VCPU_TIMER_IRQ_VTIMER = 0;
export const KVM_ARM_VCPU_TIMER_IRQ_PTIMER = 1;
/** Default timer INTIDs (PPIs 11 and 14). */
export const KVM_ARM_VTIMER_DEFAULT_IRQ = 27;
export const KVM_ARM_PTIMER_DEFAULT_IRQ = 30;
