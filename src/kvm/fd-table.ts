/**
 * The process's file-descriptor table, as the emulated kernel sees it. Like Linux: a new fd is the
 * lowest free number (0, 1, 2 are taken by stdio, so the first is 3); RLIMIT_NOFILE's default soft
 * limit of 1024 applies (-EMFILE beyond it); `close` of a number that is not open is -EBADF.
 *
 * An open file is a `KvmFile`: /dev/kvm (system), a VM, a vCPU, a device or an eventfd (eventfd.ts,
 * the one kind with read and write). Its `release` runs when
 * its fd is closed; objects that outlive their fd (a VM while vCPU fds are open) count references
 * themselves, as struct kvm does with kvm_get_kvm/kvm_put_kvm.
 */
import { EBADF, EMFILE } from "../abi/errno.js";
import type { HostMapping } from "../abi/syscalls.js";
import type { IoctlArg } from "./uaccess.js";

export type FileKind = "system" | "vm" | "vcpu" | "device" | "eventfd";

export interface KvmFile {
  readonly kind: FileKind;
  /** The ioctl handler of this file: a result >= 0 or a negative errno. */
  ioctl(request: number, arg: IoctlArg): number;
  /** mmap of this file, or a negative errno (-ENODEV for files that cannot be mapped). */
  mmap(length: number, offset: number): HostMapping | number;
  /** read(2): bytes read or a negative errno; absent = no read op (-EINVAL, as vfs_read answers). */
  read?(buf: Uint8Array): number;
  /** write(2): bytes written or a negative errno; absent = no write op (-EINVAL). */
  write?(buf: Uint8Array): number;
  /** Called once, when the fd is closed. */
  release(): void;
}

/** Default RLIMIT_NOFILE soft limit. */
export const NR_OPEN_DEFAULT = 1024;
/** The first fd a new file can get: 0, 1 and 2 belong to stdin, stdout and stderr. */
export const FIRST_FREE_FD = 3;

export class FdTable {
  private readonly files: (KvmFile | undefined)[] = [];

  constructor(readonly limit = NR_OPEN_DEFAULT) {}

  /** Installs `file` at the lowest free fd; the fd, or -EMFILE. */
  install(file: KvmFile): number {
    for (let fd = FIRST_FREE_FD; fd < this.limit; fd++) {
      if (this.files[fd] === undefined) {
        this.files[fd] = file;
        return fd;
      }
    }
    return -EMFILE;
  }

  /** The open file behind `fd`, or undefined (the caller answers -EBADF). */
  get(fd: number): KvmFile | undefined {
    if (typeof fd !== "number" || !Number.isInteger(fd) || fd < FIRST_FREE_FD || fd >= this.limit) return undefined;
    return this.files[fd];
  }

  /** Closes `fd`: 0, or -EBADF if it is not open. */
  close(fd: number): number {
    const file = this.get(fd);
    if (file === undefined) return -EBADF;
    this.files[fd] = undefined;
    file.release();
    return 0;
  }

  /** The open fds, ascending. */
  openFds(): number[] {
    const out: number[] = [];
    this.files.forEach((f, fd) => {
      if (f !== undefined) out.push(fd);
    });
    return out;
  }
}
