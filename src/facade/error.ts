/**
 * The facade's one error type: a failed system call, carrying the positive errno, its kernel name and
 * the request (or system call) that failed.
 */
import { errnoName } from "../abi/errno.js";

export class KvmError extends Error {
  /** Positive errno, e.g. 22. */
  readonly errno: number;
  /** The kernel's name for it, e.g. "EINVAL". */
  readonly code: string;
  /** The ioctl request name ("KVM_RUN") or system call ("open", "mmap") that failed. */
  readonly ioctl: string;

  constructor(errno: number, ioctl: string) {
    const e = Math.abs(errno);
    super(`${ioctl}: ${errnoName(e)} (errno ${e})`);
    this.name = "KvmError";
    this.errno = e;
    this.code = errnoName(e);
    this.ioctl = ioctl;
  }
}

/** Throws a KvmError for a negative raw result, otherwise returns it. */
export function check(result: number, ioctl: string): number {
  if (result < 0) throw new KvmError(-result, ioctl);
  return result;
}
