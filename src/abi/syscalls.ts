/**
 * The system-call interface a VMM uses to talk to a KVM kernel: open, close, ioctl, mmap, munmap, and
 * eventfd with read/write (the eventfds KVM_IRQFD and KVM_IOEVENTFD take).
 * The emulated kernel (src/kvm/) implements it; a hardware kernel over a real /dev/kvm will too.
 * The facade (src/facade/) is written against this interface only.
 */

/** A mapping returned by mmap: its host address (what ABI pointers hold) and its bytes. */
export interface HostMapping {
  readonly addr: bigint;
  readonly bytes: Uint8Array;
}

export interface RawKvmHost {
  /** The architecture the kernel presents: decides request numbers (ioctl encoding) and struct sizes. */
  readonly arch: "arm" | "ppc";
  /** "/dev/kvm" gives a new fd; any other path a negative errno (-ENOENT). */
  open(path: string): number;
  /** 0, or -EBADF. */
  close(fd: number): number;
  /**
   * The result (>= 0) or a negative errno. Integer arguments as number/bigint; pointer arguments
   * either as a Uint8Array holding the struct's bytes (read for _IOW, written back for _IOR/_IOWR)
   * or as a host address (number/bigint) inside a live mapping. Never throws.
   */
  ioctl(fd: number, request: number, arg?: number | bigint | Uint8Array): number;
  /** fd = -1: anonymous zero-filled host memory. A vCPU fd: the kvm_run area. Else a negative errno. */
  mmap(fd: number, length: number, offset?: number): HostMapping | number;
  /** 0, or a negative errno (-EINVAL for an address that starts no mapping). */
  munmap(addr: bigint, length: number): number;
  /**
   * eventfd2(initval, flags): a new eventfd (its counter starts at `initval`, an unsigned int) or a
   * negative errno (-EINVAL for a flag outside EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK, -EMFILE).
   * A host without eventfds answers -ENOSYS.
   */
  eventfd(initval: number, flags: number): number;
  /**
   * read(2) of 8 bytes into `buf`: the byte count read, or a negative errno. On an eventfd: the
   * counter (1 with EFD_SEMAPHORE) in host byte order, -EINVAL for a buffer under 8 bytes, -EAGAIN when
   * the counter is 0 — also without EFD_NONBLOCK, since nothing may block the calling thread.
   */
  read(fd: number, buf: Uint8Array): number;
  /**
   * write(2) of the 8-byte value in `buf`: the byte count written, or a negative errno. On an eventfd
   * the value is added to the counter: -EINVAL for a buffer under 8 bytes or the value
   * 0xffffffffffffffff, -EAGAIN when the sum would reach it (blocking or not, as for read).
   */
  write(fd: number, buf: Uint8Array): number;
}
