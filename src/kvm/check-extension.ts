/**
 * KVM_CHECK_EXTENSION, shared by /dev/kvm and VM fds: the generic capabilities first
 * (virt/kvm/kvm_main.c kvm_vm_ioctl_check_extension_generic, v5.4), then the architecture's table.
 */
import {
  KVM_CAP_CHECK_EXTENSION_VM,
  KVM_CAP_DESTROY_MEMORY_REGION_WORKS,
  KVM_CAP_ENABLE_CAP_VM,
  KVM_CAP_INTERNAL_ERROR_DATA,
  KVM_CAP_IOEVENTFD_ANY_LENGTH,
  KVM_CAP_JOIN_MEMORY_REGIONS_WORKS,
  KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
  KVM_CAP_USER_MEMORY,
} from "../abi/capabilities.js";
import type { KvmKernel } from "./kernel.js";
import type { KvmVm } from "./vm.js";

/** Capabilities the generic code answers 1 for on every architecture (kvm_vm_ioctl_check_extension_generic). */
export const GENERIC_CAPS: ReadonlySet<number> = new Set([
  KVM_CAP_USER_MEMORY,
  KVM_CAP_DESTROY_MEMORY_REGION_WORKS,
  KVM_CAP_JOIN_MEMORY_REGIONS_WORKS,
  KVM_CAP_INTERNAL_ERROR_DATA,
  KVM_CAP_IOEVENTFD_ANY_LENGTH,
  KVM_CAP_CHECK_EXTENSION_VM,
  KVM_CAP_ENABLE_CAP_VM,
]);

/**
 * KVM_CHECK_EXTENSION on /dev/kvm (vm = null) or a VM fd. The argument is a `long`; a value that is
 * no capability number is unsupported (0).
 */
export function checkExtension(kernel: KvmKernel, arg: bigint, vm: KvmVm | null): number {
  if (arg > 0x7fffffffn) return 0;
  const cap = Number(arg);
  if (GENERIC_CAPS.has(cap)) return 1;
  if (cap === KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) return kernel.arch.dirtyLogManualProtect ? 1 : 0;
  return kernel.arch.checkExtension(cap, vm);
}

