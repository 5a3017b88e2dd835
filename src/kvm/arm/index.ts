/**
 * KVM/ARM on a 32-bit ARMv7 host (Cortex-A15/A7 with a GICv2), as of Linux 5.4–5.6: the parts the
 * generic kernel needs today. Reference kvm-arm32-abi.md §2.2, §2.4, §3.1 (row 13), §3.2, §3.9.
 *
 * This is the module the KVM/ARM work fills in (VCPU_INIT, ONE_REG, KVM_RUN over the ARM core, vGIC,
 * timer, PSCI). Until then every ARM vCPU ioctl and every ARM-specific VM ioctl is unknown (-EINVAL)
 * and no device type is registered (KVM_CREATE_DEVICE: -ENODEV).
 */
import { EBUSY, EFAULT, EINVAL } from "../../abi/errno.js";
import {
  KVM_CAP_ARM_INJECT_EXT_DABT,
  KVM_CAP_ARM_IRQ_LINE_LAYOUT_2,
  KVM_CAP_ARM_NISV_TO_USER,
  KVM_CAP_ARM_PSCI,
  KVM_CAP_ARM_PSCI_0_2,
  KVM_CAP_ARM_SET_DEVICE_ADDR,
  KVM_CAP_ARM_USER_IRQ,
  KVM_CAP_COALESCED_MMIO,
  KVM_CAP_COALESCED_PIO,
  KVM_CAP_DEVICE_CTRL,
  KVM_CAP_IMMEDIATE_EXIT,
  KVM_CAP_IOEVENTFD,
  KVM_CAP_IRQCHIP,
  KVM_CAP_IRQFD,
  KVM_CAP_IRQFD_RESAMPLE,
  KVM_CAP_IRQ_ROUTING,
  KVM_CAP_MAX_VCPUS,
  KVM_CAP_MAX_VCPU_ID,
  KVM_CAP_MP_STATE,
  KVM_CAP_MSI_DEVID,
  KVM_CAP_NR_MEMSLOTS,
  KVM_CAP_NR_VCPUS,
  KVM_CAP_ONE_REG,
  KVM_CAP_READONLY_MEM,
  KVM_CAP_SIGNAL_MSI,
  KVM_CAP_SYNC_MMU,
  KVM_CAP_VCPU_EVENTS,
} from "../../abi/capabilities.js";
import { GENERIC_IOCTL } from "../../abi/ioctl.js";
import { ARM_REQUESTS } from "../../abi/requests.js";
import { KVM_MAX_IRQ_ROUTES } from "../../abi/structs/irq.js";
import { KVM_COALESCED_MMIO_PAGE_OFFSET, KVM_MEM_LOG_DIRTY_PAGES, KVM_MEM_READONLY, KVM_USER_MEM_SLOTS } from "../../abi/structs/memory.js";
import type { KvmArch, KvmArchVcpu, KvmArchVm } from "../arch.js";
import { ARM32_TASK_SIZE } from "../host-memory.js";
import { MemoryChange, type MemorySlot } from "../memslots.js";

/**
 * KVM_MAX_VCPUS of arch/arm/include/asm/kvm_host.h: VGIC_V3_MAX_CPUS when built with
 * CONFIG_ARM_GIC_V3 (multi_v7, Debian's armmp), and include/kvm/arm_vgic.h has that at 512 since 5.4.
 * KVM_MAX_VCPU_ID defaults to KVM_MAX_VCPUS.
 */
export const ARM_KVM_MAX_VCPUS = 512;
/** VGIC_V2_MAX_CPUS: kvm->arch.max_vcpus on a GICv2 host (every Cortex-A15/A7). */
export const VGIC_V2_MAX_CPUS = 8;
/** KVM_PHYS_SHIFT: 40-bit IPA space; slots must end below the last page of it. */
export const KVM_PHYS_SHIFT = 40;
const IPA_LIMIT_PAGES = 2 ** (KVM_PHYS_SHIFT - 12);

export interface ArmHostOptions {
  /** Online host CPUs (KVM_CAP_NR_VCPUS). */
  readonly cpus?: number;
}

/** Per-VM ARM state (kvm->arch). The vGIC fields are the KVM/ARM work's to drive. */
export class ArmVm implements KvmArchVm {
  readonly maxVcpus = VGIC_V2_MAX_CPUS;
  /** An in-kernel vGIC exists and is initialized: no more vCPUs (EBUSY). */
  vgicInitialized = false;
  /** KVM_CAP_ARM_NISV_TO_USER enabled (kvm->arch.return_nisv_io_abort_to_user). */
  nisvToUser = false;
  /** vgic.msis_require_devid, reported as KVM_CAP_MSI_DEVID on the VM fd (GICv2: false). */
  msisRequireDevid = false;

  prepareMemoryRegion(slot: Readonly<MemorySlot>, change: MemoryChange): number {
    if (change !== MemoryChange.Create && change !== MemoryChange.Move && change !== MemoryChange.FlagsOnly) return 0;
    // virt/kvm/arm/mmu.c: base_gfn + npages >= kvm_phys_size >> PAGE_SHIFT is -EFAULT.
    return slot.baseGfn + slot.npages >= IPA_LIMIT_PAGES ? -EFAULT : 0;
  }

  vcpuPrecreate(id: number): number {
    if (this.vgicInitialized) return -EBUSY;
    if (id >= this.maxVcpus) return -EINVAL;
    return 0;
  }

  createVcpu(): KvmArchVcpu {
    return { ioctl: () => undefined, destroy: () => {} };
  }

  deviceOps(): undefined {
    return undefined;
  }

  ioctl(): number | undefined {
    return undefined;
  }

  /** kvm_vm_ioctl_enable_cap (virt/kvm/arm/arm.c, 5.5+): flags must be 0; only NISV_TO_USER. */
  enableCap(cap: number, flags: number): number {
    if (flags !== 0) return -EINVAL;
    if (cap === KVM_CAP_ARM_NISV_TO_USER) {
      this.nisvToUser = true;
      return 0;
    }
    return -EINVAL;
  }

  destroy(): void {}
}

/** Capabilities reported as 1 by the arch half of KVM_CHECK_EXTENSION (reference §2.4). */
const ARM_CAPS_ONE: ReadonlySet<number> = new Set([
  KVM_CAP_IRQCHIP, // the emulated host has a GIC with virtualization extensions
  KVM_CAP_MP_STATE,
  KVM_CAP_SYNC_MMU,
  KVM_CAP_IRQFD,
  KVM_CAP_IOEVENTFD,
  KVM_CAP_VCPU_EVENTS,
  KVM_CAP_ONE_REG,
  KVM_CAP_SIGNAL_MSI,
  KVM_CAP_READONLY_MEM,
  KVM_CAP_IRQFD_RESAMPLE,
  KVM_CAP_ARM_PSCI,
  KVM_CAP_ARM_SET_DEVICE_ADDR,
  KVM_CAP_DEVICE_CTRL,
  KVM_CAP_ARM_PSCI_0_2,
  KVM_CAP_IMMEDIATE_EXIT,
  KVM_CAP_ARM_USER_IRQ,
  KVM_CAP_COALESCED_PIO,
  KVM_CAP_ARM_IRQ_LINE_LAYOUT_2,
  KVM_CAP_ARM_NISV_TO_USER,
  KVM_CAP_ARM_INJECT_EXT_DABT,
]);

export function createArmArch(options: ArmHostOptions = {}): KvmArch {
  const cpus = options.cpus ?? 1;
  return {
    name: "arm",
    encoding: GENERIC_IOCTL,
    requests: ARM_REQUESTS,
    longBits: 32,
    taskSize: ARM32_TASK_SIZE,
    userMemSlots: KVM_USER_MEM_SLOTS,
    memFlags: KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY,
    maxVcpus: ARM_KVM_MAX_VCPUS,
    maxVcpuId: ARM_KVM_MAX_VCPUS,
    dirtyLogManualProtect: true,
    checkExtension(cap, vm) {
      if (ARM_CAPS_ONE.has(cap)) return 1;
      switch (cap) {
        case KVM_CAP_NR_VCPUS:
          return cpus;
        case KVM_CAP_NR_MEMSLOTS:
          return KVM_USER_MEM_SLOTS;
        case KVM_CAP_COALESCED_MMIO:
          return KVM_COALESCED_MMIO_PAGE_OFFSET;
        case KVM_CAP_IRQ_ROUTING:
          return KVM_MAX_IRQ_ROUTES;
        case KVM_CAP_MAX_VCPUS:
        case KVM_CAP_MAX_VCPU_ID:
          return ARM_KVM_MAX_VCPUS;
        case KVM_CAP_MSI_DEVID:
          if (vm === null) return -EINVAL;
          return (vm.arch as ArmVm).msisRequireDevid ? 1 : 0;
      }
      return 0;
    },
    createVm(type) {
      // kvm_arch_init_vm: there is no machine type on 32-bit ARM.
      return type !== 0n ? -EINVAL : new ArmVm();
    },
  };
}
