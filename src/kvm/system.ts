/**
 * /dev/kvm: the system ioctls (reference kvm-arm32-abi.md §2; virt/kvm/kvm_main.c kvm_dev_ioctl,
 * v5.4) and the generic half of KVM_CHECK_EXTENSION, shared with the VM fd.
 *
 * - KVM_GET_API_VERSION: 12; a non-zero argument is -EINVAL.
 * - KVM_CREATE_VM: the architecture checks the type (ARM: only 0); a VM fd.
 * - KVM_CHECK_EXTENSION: the capability's value (0 = unsupported).
 * - KVM_GET_VCPU_MMAP_SIZE: 8192; a non-zero argument is -EINVAL.
 * - anything else: -EINVAL (kvm_arch_dev_ioctl of ARM and PowerPC knows nothing more).
 *
 * Linux also answers -EIO when a VM, vCPU or device fd is used from a process other than its
 * creator (kvm->mm != current->mm). Everything here runs in one JavaScript process, and each
 * createHost() is its own "process" with its own fd table, so that situation cannot arise.
 */
import { EINVAL } from "../abi/errno.js";
import { KVM_API_VERSION } from "../abi/requests.js";
import type { HostMapping } from "../abi/syscalls.js";
import { checkExtension } from "./check-extension.js";
import type { KvmFile } from "./fd-table.js";
import type { KvmKernel } from "./kernel.js";
import type { IoctlArg } from "./uaccess.js";
import { KVM_VCPU_MMAP_SIZE, notMappable } from "./vcpu.js";
import { KvmVm, VmFile } from "./vm.js";

/** KVM_CREATE_VM: a VM fd, or a negative errno. */
export function createVm(kernel: KvmKernel, type: bigint): number {
  const vm = new KvmVm(kernel);
  const arch = kernel.arch.createVm(type, vm);
  if (typeof arch === "number") {
    vm.memory.detach();
    return arch;
  }
  vm.arch = arch;
  const fd = kernel.fds.install(new VmFile(vm));
  if (fd < 0) vm.put();
  return fd;
}

export class SystemFile implements KvmFile {
  readonly kind = "system" as const;

  constructor(readonly kernel: KvmKernel) {}

  ioctl(request: number, arg: IoctlArg): number {
    const R = this.kernel.arch.requests;
    switch (request) {
      case R.KVM_GET_API_VERSION:
        return arg.value !== 0n ? -EINVAL : KVM_API_VERSION;
      case R.KVM_CREATE_VM:
        return createVm(this.kernel, arg.value);
      case R.KVM_CHECK_EXTENSION:
        return checkExtension(this.kernel, arg.value, null);
      case R.KVM_GET_VCPU_MMAP_SIZE:
        return arg.value !== 0n ? -EINVAL : KVM_VCPU_MMAP_SIZE;
    }
    return -EINVAL;
  }

  mmap(): HostMapping | number {
    return notMappable();
  }

  release(): void {}
}
