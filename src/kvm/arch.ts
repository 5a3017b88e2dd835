/**
 * What the generic emulated kernel asks of an architecture: Linux's kvm_arch_* hooks, kept small.
 *
 * Three objects, one per lifetime:
 * - `KvmArch`: the host (one per createHost): request numbers, word size, limits, the capability table
 *   (the arch half of KVM_CHECK_EXTENSION) and KVM_CREATE_VM's type check.
 * - `KvmArchVm`: per VM (kvm->arch): max vCPUs, memory-region veto, vCPU pre-create checks, VM ioctls
 *   the generic code does not own, KVM_ENABLE_CAP for arch caps.
 * - `KvmArchVcpu`: per vCPU (vcpu->arch): every vCPU ioctl (the generic layer only checks the ioctl
 *   type byte and KVM_RUN's argument first).
 *
 * Ioctl hooks return `undefined` for a request they do not know; the generic layer then answers as
 * Linux does for an unknown ioctl (-EINVAL on VM and vCPU fds). They must not throw: a throw is a
 * tskvm bug, and the host turns it into -EFAULT only as a last resort.
 *
 * The generic layer owns: system ioctls, KVM_CREATE_VCPU, KVM_SET_USER_MEMORY_REGION, dirty logging,
 * KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2), the generic capabilities, KVM_CREATE_DEVICE and device
 * fds (device.ts), fds, and the kvm_run mapping.
 */
import type { IoctlEncoding } from "../abi/ioctl.js";
import type { KvmDeviceOps } from "./device.js";
import type { KvmArchIrqchip } from "./irqchip.js";
import type { KvmRequests } from "../abi/requests.js";
import type { MemoryChange, MemorySlot } from "./memslots.js";
import type { IoctlArg } from "./uaccess.js";
import type { KvmVcpu } from "./vcpu.js";
import type { KvmVm } from "./vm.js";

export interface KvmArch {
  readonly name: "arm" | "ppc";
  readonly encoding: IoctlEncoding;
  readonly requests: KvmRequests;
  /** BITS_PER_LONG: width of `unsigned long` and of user pointers. */
  readonly longBits: 32 | 64;
  /** TASK_SIZE: end of the user address space. */
  readonly taskSize: number;
  /** KVM_USER_MEM_SLOTS. */
  readonly userMemSlots: number;
  /** Memory-region flags accepted (KVM_MEM_READONLY only with __KVM_HAVE_READONLY_MEM). */
  readonly memFlags: number;
  /** KVM_MAX_VCPUS (compile-time limit). */
  readonly maxVcpus: number;
  /** KVM_MAX_VCPU_ID (vCPU ids are below it). */
  readonly maxVcpuId: number;
  /** Whether the generic dirty-log read-protect support (MANUAL_DIRTY_LOG_PROTECT2) is built in. */
  readonly dirtyLogManualProtect: boolean;
  /**
   * The arch half of KVM_CHECK_EXTENSION (the generic layer has answered generic caps already).
   * `vm` is null on /dev/kvm. A value >= 0, or a negative errno (ARM: MSI_DEVID on /dev/kvm).
   */
  checkExtension(cap: number, vm: KvmVm | null): number;
  /** kvm_arch_init_vm: checks the KVM_CREATE_VM type; the VM's arch state or a negative errno. */
  createVm(type: bigint, vm: KvmVm): KvmArchVm | number;
}

export interface KvmArchVm {
  /** kvm->arch.max_vcpus: vCPU ids must be below it (ARM with a GICv2: 8). */
  readonly maxVcpus: number;
  /** kvm_arch_prepare_memory_region: 0 or a negative errno. */
  prepareMemoryRegion(slot: Readonly<MemorySlot>, change: MemoryChange): number;
  /** kvm_arch_vcpu_precreate-style checks before a vCPU exists: 0 or a negative errno. */
  vcpuPrecreate(id: number): number;
  /** kvm_arch_vcpu_create: the vCPU's arch state, or a negative errno. */
  createVcpu(vcpu: KvmVcpu): KvmArchVcpu | number;
  /** The device types KVM_CREATE_DEVICE can create (kvm_device_ops_table); undefined = -ENODEV. */
  deviceOps(type: number): KvmDeviceOps | undefined;
  /** A VM ioctl the generic layer does not own; undefined = unknown. */
  ioctl(request: number, arg: IoctlArg): number | undefined;
  /** KVM_ENABLE_CAP for a capability the generic layer does not own: 0 or a negative errno. */
  enableCap(cap: number, flags: number, args: readonly bigint[]): number;
  /** kvm_arch_destroy_vm: the last reference to the VM is gone. */
  destroy(): void;
  /**
   * The in-kernel irqchip as GSI routing and KVM_IRQFD drive it (CONFIG_HAVE_KVM_IRQ_ROUTING /
   * HAVE_KVM_IRQFD); absent: KVM_IRQFD and KVM_SET_GSI_ROUTING are unknown ioctls.
   */
  readonly irqchip?: KvmArchIrqchip;
  /** In-kernel devices of the architecture on I/O bus `bus` (they count toward NR_IOBUS_DEVS). */
  ioBusDevices?(bus: number): number;
}

export interface KvmArchVcpu {
  /** A vCPU ioctl (type byte already checked); undefined = unknown. */
  ioctl(request: number, arg: IoctlArg): number | undefined;
  /** kvm_arch_vcpu_destroy. */
  destroy(): void;
}
