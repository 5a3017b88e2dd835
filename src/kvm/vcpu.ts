/**
 * A vCPU (struct kvm_vcpu) and its fd. The generic layer owns the kvm_run area and the ioctl entry
 * checks (virt/kvm/kvm_main.c kvm_vcpu_ioctl, v5.4): an ioctl whose type byte is not KVMIO is -EINVAL,
 * KVM_RUN with a non-zero argument is -EINVAL; everything else is the architecture's
 * (KvmArchVcpu.ioctl), and what it does not know is -EINVAL.
 *
 * The kvm_run area is KVM_GET_VCPU_MMAP_SIZE = 8192 bytes of a SharedArrayBuffer: page 0 is struct
 * kvm_run, page 1 the coalesced-MMIO ring (KVM_COALESCED_MMIO_PAGE_OFFSET). Each mmap of the vCPU fd
 * maps these same bytes at a new host address. In Linux the ring page is one page shared by all vCPUs
 * of the VM; a Uint8Array cannot alias two buffers, so the first vCPU (index 0) adopts the area the
 * VM allocated, whose page 1 is the VM's ring, and every later vCPU's page 1 is a copy of it that
 * the producer keeps current — see docs/kvm-run-mapping.md.
 */
import { EINVAL, ENODEV } from "../abi/errno.js";
import { _IOC_TYPE } from "../abi/ioctl.js";
import { KVMIO } from "../abi/requests.js";
import type { HostMapping } from "../abi/syscalls.js";
import type { KvmArchVcpu } from "./arch.js";
import type { KvmFile } from "./fd-table.js";
import { HOST_PAGE_SIZE } from "./host-memory.js";
import type { IoctlArg } from "./uaccess.js";
import type { KvmVm } from "./vm.js";

/** KVM_GET_VCPU_MMAP_SIZE: kvm_run page + coalesced-MMIO ring page. */
export const KVM_VCPU_MMAP_SIZE = 2 * HOST_PAGE_SIZE;

/** The arch state of a vCPU whose architecture module has not been attached yet: every ioctl unknown. */
const NO_ARCH: KvmArchVcpu = { ioctl: () => undefined, destroy: () => {} };

export class KvmVcpu {
  /** The whole mmap area: kvm_run at 0, the coalesced-MMIO ring at 4096. */
  readonly runArea: Uint8Array;
  /** struct kvm_run (page 0), for reads and writes without allocation. */
  readonly run: DataView;
  arch: KvmArchVcpu = NO_ARCH;

  constructor(
    readonly vm: KvmVm,
    /** vcpu_id: the id userspace chose (KVM_CREATE_VCPU's argument). */
    readonly id: number,
    /** vcpu_idx: creation order, 0, 1, 2, … (KVM_IRQ_LINE and device attributes use it). */
    readonly index: number,
  ) {
    if (index === 0) {
      this.runArea = vm.firstVcpuArea;
      this.runArea.fill(0, 0, HOST_PAGE_SIZE); // a failed earlier creation may have left page 0 used
    } else {
      this.runArea = new Uint8Array(new SharedArrayBuffer(KVM_VCPU_MMAP_SIZE));
    }
    this.run = new DataView(this.runArea.buffer, 0, HOST_PAGE_SIZE);
  }
}

export class VcpuFile implements KvmFile {
  readonly kind = "vcpu" as const;

  constructor(readonly vcpu: KvmVcpu) {}

  ioctl(request: number, arg: IoctlArg): number {
    if (_IOC_TYPE(request) !== KVMIO) return -EINVAL;
    if (request === this.vcpu.vm.kernel.arch.requests.KVM_RUN && arg.value !== 0n) return -EINVAL;
    return this.vcpu.arch.ioctl(request, arg) ?? -EINVAL;
  }

  /**
   * Maps the kvm_run area. Linux accepts any mapping and raises SIGBUS on a touch beyond page 1; a
   * JavaScript caller cannot take a SIGBUS, so tskvm refuses such mappings up front (-EINVAL), as it
   * does for an offset that is not page-aligned.
   */
  mmap(length: number, offset: number): HostMapping | number {
    if (!Number.isInteger(length) || !Number.isInteger(offset)) return -EINVAL;
    if (length <= 0 || offset < 0 || offset % HOST_PAGE_SIZE !== 0) return -EINVAL;
    const len = Math.ceil(length / HOST_PAGE_SIZE) * HOST_PAGE_SIZE;
    if (offset + len > KVM_VCPU_MMAP_SIZE) return -EINVAL;
    return this.vcpu.vm.kernel.mem.mmapShared(this.vcpu.runArea, offset, len);
  }

  release(): void {
    this.vcpu.vm.put();
  }
}

/** Files that cannot be mapped (/dev/kvm and VM fds: their file_operations have no mmap). */
export const notMappable = (): number => -ENODEV;
