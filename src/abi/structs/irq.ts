/**
 * Interrupt-injection structs (include/uapi/linux/kvm.h, arch/arm/include/uapi/asm/kvm.h):
 * KVM_IRQ_LINE and its ARM `irq` field layout, the legacy vGIC address API, irqfd, ioeventfd, MSI and
 * GSI routing. Reference kvm-arm32-abi.md §3.4, §3.5, §3.10, §3.11.
 */
import { defineStruct } from "../struct.js";

/** KVM_IRQ_LINE / KVM_IRQ_LINE_STATUS (8 bytes): `irq` shares offset 0 with the s32 `status` out-field. */
export const kvm_irq_level = defineStruct("kvm_irq_level", 8, [
  { name: "irq", offset: 0, type: "u32" },
  { name: "level", offset: 4, type: "u32" },
] as const);
/** The same bytes read through the union's other arm (KVM_IRQ_LINE_STATUS result). */
export const kvm_irq_level_status = defineStruct("kvm_irq_level", 8, [
  { name: "status", offset: 0, type: "s32" },
  { name: "level", offset: 4, type: "u32" },
] as const);

// ARM layout of kvm_irq_level.irq
export const KVM_ARM_IRQ_VCPU2_SHIFT = 28;
export const KVM_ARM_IRQ_VCPU2_MASK = 0xf;
export const KVM_ARM_IRQ_TYPE_SHIFT = 24;
export const KVM_ARM_IRQ_TYPE_MASK = 0xf;
export const KVM_ARM_IRQ_VCPU_SHIFT = 16;
export const KVM_ARM_IRQ_VCPU_MASK = 0xff;
export const KVM_ARM_IRQ_NUM_SHIFT = 0;
export const KVM_ARM_IRQ_NUM_MASK = 0xffff;

export const KVM_ARM_IRQ_TYPE_CPU = 0;
export const KVM_ARM_IRQ_TYPE_SPI = 1;
export const KVM_ARM_IRQ_TYPE_PPI = 2;
/** irq_id values for KVM_ARM_IRQ_TYPE_CPU: the vCPU's raw IRQ and FIQ pins. */
export const KVM_ARM_IRQ_CPU_IRQ = 0;
export const KVM_ARM_IRQ_CPU_FIQ = 1;
/** Obsolete SPI limit of old kernels. */
export const KVM_ARM_IRQ_GIC_MAX = 127;

export interface ArmIrqFields {
  readonly irq_type: number;
  /** Low 8 bits of the vCPU index. */
  readonly vcpu_index: number;
  /** Bits 11..8 of the vCPU index (KVM_CAP_ARM_IRQ_LINE_LAYOUT_2). */
  readonly vcpu2_index: number;
  readonly irq_id: number;
}

/** Packs the four fields into kvm_irq_level.irq. Each field must fit its width. */
export function armIrqEncode(f: ArmIrqFields): number {
  const check = (name: string, v: number, mask: number): number => {
    if (!Number.isInteger(v) || v < 0 || v > mask) throw new RangeError(`${name} ${v} out of range`);
    return v;
  };
  return (
    ((check("vcpu2_index", f.vcpu2_index, KVM_ARM_IRQ_VCPU2_MASK) << KVM_ARM_IRQ_VCPU2_SHIFT) |
      (check("irq_type", f.irq_type, KVM_ARM_IRQ_TYPE_MASK) << KVM_ARM_IRQ_TYPE_SHIFT) |
      (check("vcpu_index", f.vcpu_index, KVM_ARM_IRQ_VCPU_MASK) << KVM_ARM_IRQ_VCPU_SHIFT) |
      (check("irq_id", f.irq_id, KVM_ARM_IRQ_NUM_MASK) << KVM_ARM_IRQ_NUM_SHIFT)) >>> 0
  );
}

export function armIrqDecode(irq: number): ArmIrqFields {
  const v = irq >>> 0;
  return {
    vcpu2_index: (v >>> KVM_ARM_IRQ_VCPU2_SHIFT) & KVM_ARM_IRQ_VCPU2_MASK,
    irq_type: (v >>> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK,
    vcpu_index: (v >>> KVM_ARM_IRQ_VCPU_SHIFT) & KVM_ARM_IRQ_VCPU_MASK,
    irq_id: (v >>> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK,
  };
}

/** The full vCPU index named by an irq value: vcpu_index + 256·vcpu2_index. */
export const armIrqVcpu = (f: ArmIrqFields): number => f.vcpu_index + 256 * f.vcpu2_index;

/** Convenience: an irq value for (type, full vCPU index 0..4095, irq id). */
export const armIrq = (irq_type: number, vcpu: number, irq_id: number): number =>
  armIrqEncode({ irq_type, vcpu_index: vcpu & 0xff, vcpu2_index: vcpu >>> 8, irq_id });

/** KVM_ARM_SET_DEVICE_ADDR (16 bytes). */
export const kvm_arm_device_addr = defineStruct("kvm_arm_device_addr", 16, [
  { name: "id", offset: 0, type: "u64" },
  { name: "addr", offset: 8, type: "u64" },
] as const);
export const KVM_ARM_DEVICE_ID_SHIFT = 16;
export const KVM_ARM_DEVICE_ID_MASK = 0xffff << KVM_ARM_DEVICE_ID_SHIFT;
export const KVM_ARM_DEVICE_TYPE_SHIFT = 0;
export const KVM_ARM_DEVICE_TYPE_MASK = 0xffff;
export const KVM_ARM_DEVICE_VGIC_V2 = 0;
export const KVM_VGIC_V2_ADDR_TYPE_DIST = 0;
export const KVM_VGIC_V2_ADDR_TYPE_CPU = 1;
export const KVM_VGIC_V2_DIST_SIZE = 0x1000;
export const KVM_VGIC_V2_CPU_SIZE = 0x2000;
/** kvm_arm_device_addr.id for (device, address type). */
export const armDeviceAddrId = (device: number, type: number): bigint =>
  BigInt((((device & 0xffff) << KVM_ARM_DEVICE_ID_SHIFT) | (type & KVM_ARM_DEVICE_TYPE_MASK)) >>> 0);

/** KVM_IRQFD (32 bytes). */
export const kvm_irqfd = defineStruct("kvm_irqfd", 32, [
  { name: "fd", offset: 0, type: "u32" },
  { name: "gsi", offset: 4, type: "u32" },
  { name: "flags", offset: 8, type: "u32" },
  { name: "resamplefd", offset: 12, type: "u32" },
  { name: "pad", offset: 16, type: "bytes", count: 16 },
] as const);
export const KVM_IRQFD_FLAG_DEASSIGN = 1 << 0;
export const KVM_IRQFD_FLAG_RESAMPLE = 1 << 1;

/** KVM_IOEVENTFD (64 bytes). */
export const kvm_ioeventfd = defineStruct("kvm_ioeventfd", 64, [
  { name: "datamatch", offset: 0, type: "u64" },
  { name: "addr", offset: 8, type: "u64" },
  { name: "len", offset: 16, type: "u32" },
  { name: "fd", offset: 20, type: "s32" },
  { name: "flags", offset: 24, type: "u32" },
  { name: "pad", offset: 28, type: "bytes", count: 36 },
] as const);
export const KVM_IOEVENTFD_FLAG_DATAMATCH = 1 << 0;
export const KVM_IOEVENTFD_FLAG_PIO = 1 << 1;
export const KVM_IOEVENTFD_FLAG_DEASSIGN = 1 << 2;
export const KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY = 1 << 3;
/**
 * KVM_IOEVENTFD_VALID_FLAG_MASK = (1 << kvm_ioeventfd_flag_nr_max) - 1: the uapi enum also names bit 4
 * (kvm_ioeventfd_flag_nr_fast_mmio, no macro), so 0x1f; any other bit is EINVAL.
 */
export const KVM_IOEVENTFD_VALID_FLAG_MASK = 0x1f;

/** KVM_SIGNAL_MSI (32 bytes). */
export const kvm_msi = defineStruct("kvm_msi", 32, [
  { name: "address_lo", offset: 0, type: "u32" },
  { name: "address_hi", offset: 4, type: "u32" },
  { name: "data", offset: 8, type: "u32" },
  { name: "flags", offset: 12, type: "u32" },
  { name: "devid", offset: 16, type: "u32" },
  { name: "pad", offset: 20, type: "bytes", count: 12 },
] as const);
export const KVM_MSI_VALID_DEVID = 1 << 0;

/** KVM_SET_GSI_ROUTING header (8 bytes); `nr` entries of 48 bytes follow at KVM_IRQ_ROUTING_ENTRIES. */
export const kvm_irq_routing = defineStruct("kvm_irq_routing", 8, [
  { name: "nr", offset: 0, type: "u32" },
  { name: "flags", offset: 4, type: "u32" },
] as const);
export const KVM_IRQ_ROUTING_ENTRIES = 8;
export const KVM_IRQ_ROUTING_ENTRY_SIZE = 48;

/**
 * struct kvm_irq_routing_entry (48 bytes): the union `u` at 16 (32 bytes) is given in its irqchip arm
 * (`irqchip`, `pin`) and its msi arm (`address_lo`, `address_hi`, `data`, `devid`) — same bytes.
 */
export const kvm_irq_routing_entry = defineStruct("kvm_irq_routing_entry", 48, [
  { name: "gsi", offset: 0, type: "u32" },
  { name: "type", offset: 4, type: "u32" },
  { name: "flags", offset: 8, type: "u32" },
  { name: "pad", offset: 12, type: "u32" },
  { name: "u", offset: 16, type: "bytes", count: 32 },
] as const);
export const kvm_irq_routing_irqchip = defineStruct("kvm_irq_routing_irqchip", 8, [
  { name: "irqchip", offset: 0, type: "u32" },
  { name: "pin", offset: 4, type: "u32" },
] as const);
export const kvm_irq_routing_msi = defineStruct("kvm_irq_routing_msi", 16, [
  { name: "address_lo", offset: 0, type: "u32" },
  { name: "address_hi", offset: 4, type: "u32" },
  { name: "data", offset: 8, type: "u32" },
  { name: "devid", offset: 12, type: "u32" },
] as const);
/** Offset of the union within a routing entry. */
export const KVM_IRQ_ROUTING_ENTRY_U = 16;
export const KVM_IRQ_ROUTING_IRQCHIP = 1;
export const KVM_IRQ_ROUTING_MSI = 2;
export const KVM_IRQ_ROUTING_S390_ADAPTER = 3;
export const KVM_IRQ_ROUTING_HV_SINT = 4;
/** KVM_NR_IRQCHIPS on ARM: one irqchip (the vGIC), number 0. */
export const KVM_ARM_NR_IRQCHIPS = 1;
/** KVM_IRQCHIP_NUM_PINS on ARM (include/kvm/arm_vgic.h): 1020 − 32 SPIs; routing pins are below it. */
export const KVM_ARM_IRQCHIP_NUM_PINS = 988;
/** KVM_MAX_IRQ_ROUTES (value of KVM_CAP_IRQ_ROUTING on ARM, 4.8+). */
export const KVM_MAX_IRQ_ROUTES = 4096;
