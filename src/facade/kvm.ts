/**
 * Kvm: the /dev/kvm fd — the entry point of the facade (in the spirit of rust-vmm's kvm-ioctls).
 * Written against RawKvmHost only; which kernel is underneath it does not know.
 */
import type { RawKvmHost } from "../abi/syscalls.js";
import { FdObject, ScratchMapping, requestsFor } from "./fd.js";
import { check } from "./error.js";
import { VmFd } from "./vm.js";
import { EventFd } from "./eventfd.js";

export class Kvm extends FdObject {
  private mmapSize: number | null = null;

  private constructor(host: RawKvmHost, fd: number) {
    super(host, fd, requestsFor(host), new ScratchMapping(host));
  }

  /** Opens /dev/kvm on the host. */
  static open(host: RawKvmHost, path = "/dev/kvm"): Kvm {
    return new Kvm(host, check(host.open(path), "open"));
  }

  getApiVersion(): number {
    return this.ioctl("KVM_GET_API_VERSION", 0);
  }

  /** 0 if unsupported, otherwise the capability's (positive) value. */
  checkExtension(cap: number): number {
    return this.ioctl("KVM_CHECK_EXTENSION", cap);
  }

  getVcpuMmapSize(): number {
    this.mmapSize ??= this.ioctl("KVM_GET_VCPU_MMAP_SIZE", 0);
    return this.mmapSize;
  }

  /** A new eventfd on the same host (for KVM_IRQFD / KVM_IOEVENTFD). */
  createEventFd(initval = 0, flags = 0): EventFd {
    return EventFd.create(this.host, initval, flags);
  }

  createVm(type = 0): VmFd {
    const size = this.getVcpuMmapSize();
    const fd = this.ioctl("KVM_CREATE_VM", type);
    return new VmFd(this.host, fd, this.requests, this.scratch, size);
  }
}
