/**
 * createHost: an emulated KVM kernel behind the RawKvmHost system-call interface (open, close, ioctl,
 * mmap, munmap, and eventfd/read/write for the eventfds of KVM_IRQFD and KVM_IOEVENTFD: eventfd.ts). Each host is one "process" talking to one kernel: its own fd table and address space.
 *
 * The raw interface never throws for anything a caller can pass. Requests are normalised with `>>> 0`
 * and dispatched by fd kind (system, VM, vCPU, device); an fd that is not open is -EBADF.
 */
import { availableParallelism } from "node:os";
import { EBADF, EFAULT, EINVAL, ENOENT } from "../abi/errno.js";
import { createEventFd } from "./eventfd.js";
import type { HostMapping, RawKvmHost } from "../abi/syscalls.js";
import type { KvmArch } from "./arch.js";
import { createArmArch, type ArmHostOptions } from "./arm/index.js";
import { FdTable } from "./fd-table.js";
import { HOST_PAGE_SIZE, HostMemory } from "./host-memory.js";
import type { KvmKernel } from "./kernel.js";
import { createPpcArch } from "./ppc/index.js";
import { SystemFile } from "./system.js";
import { IoctlArg } from "./uaccess.js";

export interface HostOptions extends ArmHostOptions {
  /** The architecture the kernel presents (default "arm"). */
  readonly arch?: "arm" | "ppc";
  /** Online host CPUs, reported as KVM_CAP_NR_VCPUS (default os.availableParallelism()). */
  readonly cpus?: number;
}

/** The path of the KVM device node. */
export const KVM_DEVICE_PATH = "/dev/kvm";

export class EmulatedKvmHost implements RawKvmHost {
  readonly arch: "arm" | "ppc";
  readonly kernel: KvmKernel;
  /** Exceptions caught at the system-call boundary (each one a tskvm bug). */
  readonly internalErrors: unknown[] = [];

  constructor(kernel: KvmKernel) {
    this.kernel = kernel;
    this.arch = kernel.arch.name;
  }

  open(path: string): number {
    if (path !== KVM_DEVICE_PATH) return -ENOENT;
    return this.kernel.fds.install(new SystemFile(this.kernel));
  }

  close(fd: number): number {
    return this.guard(() => this.kernel.fds.close(fd));
  }

  ioctl(fd: number, request: number, arg?: number | bigint | Uint8Array): number {
    return this.guard(() => {
      const file = this.kernel.fds.get(fd);
      if (file === undefined) return -EBADF;
      const a = this.kernel.arch;
      return file.ioctl(Number(request) >>> 0, new IoctlArg(arg, this.kernel.mem, a.longBits));
    });
  }

  mmap(fd: number, length: number, offset = 0): HostMapping | number {
    try {
      // Anonymous memory: like Linux, the offset only has to be page-aligned.
      if (fd === -1) return offset % HOST_PAGE_SIZE === 0 ? this.kernel.mem.mmapAnonymous(length) : -EINVAL;
      const file = this.kernel.fds.get(fd);
      if (file === undefined) return -EBADF;
      return file.mmap(Number(length), Number(offset));
    } catch (e) {
      return this.internalError(e);
    }
  }

  munmap(addr: bigint, length: number): number {
    return this.guard(() => this.kernel.mem.munmap(addr, length));
  }

  eventfd(initval: number, flags: number): number {
    return this.guard(() => createEventFd(this.kernel.fds, initval, flags));
  }

  /** read(2): files without a read operation (every KVM fd) answer -EINVAL, as vfs_read does. */
  read(fd: number, buf: Uint8Array): number {
    return this.guard(() => {
      const file = this.kernel.fds.get(fd);
      if (file === undefined) return -EBADF;
      return file.read === undefined ? -EINVAL : file.read(buf);
    });
  }

  /** write(2): files without a write operation answer -EINVAL. */
  write(fd: number, buf: Uint8Array): number {
    return this.guard(() => {
      const file = this.kernel.fds.get(fd);
      if (file === undefined) return -EBADF;
      return file.write === undefined ? -EINVAL : file.write(buf);
    });
  }

  /**
   * Runs a system call. An exception here is a tskvm bug: it is recorded in `internalErrors` (tests
   * assert it stays empty) and answered with -EFAULT rather than thrown at the caller.
   */
  private guard(call: () => number): number {
    try {
      return call();
    } catch (e) {
      return this.internalError(e);
    }
  }

  private internalError(e: unknown): number {
    this.internalErrors.push(e);
    return -EFAULT;
  }
}

/** A new emulated KVM host. */
export function createHost(options: HostOptions = {}): EmulatedKvmHost {
  const cpus = options.cpus ?? availableParallelism();
  const arch: KvmArch = options.arch === "ppc" ? createPpcArch({ cpus }) : createArmArch({ ...options, cpus });
  const kernel: KvmKernel = {
    arch,
    mem: new HostMemory({ taskSize: arch.taskSize, pointerBits: arch.longBits }),
    fds: new FdTable(),
    hostCpus: cpus,
  };
  return new EmulatedKvmHost(kernel);
}
