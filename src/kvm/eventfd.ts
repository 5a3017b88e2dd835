/**
 * eventfd (fs/eventfd.c): an 8-byte counter behind a file descriptor, and the kernel side KVM uses
 * (eventfd_signal, poll wake-ups, the EPOLLHUP sent when the file goes away).
 *
 * User side (the EventFdFile's read/write, reached through RawKvmHost.read/write):
 * - write adds the u64 it is given to the counter: -EINVAL for a buffer under 8 bytes or the value
 *   ULLONG_MAX; when the sum would reach ULLONG_MAX a non-blocking fd answers -EAGAIN, and so does a
 *   blocking one here (deviation: Linux sleeps until a read makes room — nothing may block the JS
 *   thread). Every successful write wakes the waiters with EPOLLIN, even a write of 0, as Linux does.
 * - read returns the counter and zeroes it (EFD_SEMAPHORE: returns 1 and decrements); a zero counter
 *   is -EAGAIN (for a blocking fd too: same deviation). -EINVAL for a buffer under 8 bytes.
 *
 * Kernel side: `signal(n)` is eventfd_signal (saturating at ULLONG_MAX, never failing); waiters (an
 * irqfd) are called synchronously on every signal/write — Linux runs the irqfd injection from a work
 * item right after the wake-up, which a single-threaded kernel collapses into the call itself — and
 * hear `hangup` when the last fd is closed (the irqfd then deactivates itself, as on EPOLLHUP).
 * Objects that took a reference (an ioeventfd, a resamplefd: eventfd_ctx_fdget) keep the EventFd
 * alive after its fd is closed; their signals then go to a counter nobody can read, as in Linux.
 */
import { EAGAIN, EBADF, EINVAL, ENOTTY } from "../abi/errno.js";
import { EFD_FLAGS_SET, EFD_NONBLOCK, EFD_SEMAPHORE, EVENTFD_ULLONG_MAX, EVENTFD_VALUE_SIZE } from "../abi/eventfd.js";
import type { HostMapping } from "../abi/syscalls.js";
import type { FdTable, KvmFile } from "./fd-table.js";
import { notMappable } from "./vcpu.js";

/** Someone polling the eventfd from inside the kernel (an irqfd's wait-queue entry). */
export interface EventFdWaiter {
  /** EPOLLIN: the eventfd was written or signalled. */
  wake(): void;
  /** EPOLLHUP: the eventfd file was released. */
  hangup(): void;
}

/** struct eventfd_ctx. */
export class EventFd {
  /** The counter: below ULLONG_MAX after writes; eventfd_signal may saturate it at ULLONG_MAX. */
  count: bigint;
  private readonly waiters = new Set<EventFdWaiter>();

  constructor(
    initval: bigint,
    /** EFD_SEMAPHORE / EFD_NONBLOCK / EFD_CLOEXEC as given to eventfd2. */
    readonly flags: number,
  ) {
    this.count = initval;
  }

  /** eventfd_signal: add `n`, saturating just below ULLONG_MAX, and wake the waiters. Returns what was added. */
  signal(n = 1n): bigint {
    const room = EVENTFD_ULLONG_MAX - this.count;
    const add = n > room ? room : n;
    this.count += add;
    this.wakeAll();
    return add;
  }

  /** write(2)'s counter step: 0 on success or a negative errno. */
  write(value: bigint): number {
    if (value === EVENTFD_ULLONG_MAX) return -EINVAL;
    if (EVENTFD_ULLONG_MAX - this.count <= value) return -EAGAIN; // would block (blocking fds too: see above)
    this.count += value;
    this.wakeAll();
    return 0;
  }

  /** read(2)'s counter step: the value read, or a negative errno (as a negative bigint). */
  read(): bigint {
    if (this.count === 0n) return BigInt(-EAGAIN);
    const value = (this.flags & EFD_SEMAPHORE) !== 0 ? 1n : this.count;
    this.count -= value;
    return value;
  }

  /** Whether a read would not block (poll's EPOLLIN). */
  get readable(): boolean {
    return this.count > 0n;
  }

  get nonBlocking(): boolean {
    return (this.flags & EFD_NONBLOCK) !== 0;
  }

  /** add_wait_queue. */
  addWaiter(w: EventFdWaiter): void {
    this.waiters.add(w);
  }

  /** remove_wait_queue. */
  removeWaiter(w: EventFdWaiter): void {
    this.waiters.delete(w);
  }

  /** The file is being released: EPOLLHUP to every waiter. */
  hangup(): void {
    for (const w of [...this.waiters]) w.hangup();
    this.waiters.clear();
  }

  private wakeAll(): void {
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) w.wake();
  }
}

/** The eventfd's file: read/write of the counter; no ioctl (-ENOTTY), no mmap (-ENODEV). */
export class EventFdFile implements KvmFile {
  readonly kind = "eventfd" as const;

  constructor(readonly ctx: EventFd) {}

  ioctl(): number {
    return -ENOTTY;
  }

  mmap(): HostMapping | number {
    return notMappable();
  }

  read(buf: Uint8Array): number {
    if (!(buf instanceof Uint8Array) || buf.length < EVENTFD_VALUE_SIZE) return -EINVAL;
    const v = this.ctx.read();
    if (v < 0n) return Number(v);
    new DataView(buf.buffer, buf.byteOffset, EVENTFD_VALUE_SIZE).setBigUint64(0, v, true);
    return EVENTFD_VALUE_SIZE;
  }

  write(buf: Uint8Array): number {
    if (!(buf instanceof Uint8Array) || buf.length < EVENTFD_VALUE_SIZE) return -EINVAL;
    const v = new DataView(buf.buffer, buf.byteOffset, EVENTFD_VALUE_SIZE).getBigUint64(0, true);
    const r = this.ctx.write(v);
    return r < 0 ? r : EVENTFD_VALUE_SIZE;
  }

  release(): void {
    this.ctx.hangup();
  }
}

/** eventfd2(initval, flags): a new fd, -EINVAL for unknown flags, -EMFILE when the table is full. */
export function createEventFd(fds: FdTable, initval: number, flags: number): number {
  if (typeof flags !== "number" || !Number.isInteger(flags) || (flags & ~EFD_FLAGS_SET) !== 0 || flags < 0) return -EINVAL;
  // `unsigned int count`: C's conversion keeps the low 32 bits.
  const init = typeof initval === "number" && Number.isFinite(initval) ? BigInt.asUintN(32, BigInt(Math.trunc(initval))) : 0n;
  return fds.install(new EventFdFile(new EventFd(init, flags)));
}

/**
 * eventfd_ctx_fdget: the eventfd behind `fd`, or a negative errno: -EBADF if the fd is not open,
 * -EINVAL if it is open but no eventfd.
 */
export function eventfdCtxFdget(fds: FdTable, fd: number): EventFd | number {
  const file = fds.get(fd);
  if (file === undefined) return -EBADF;
  if (!(file instanceof EventFdFile)) return -EINVAL;
  return file.ctx;
}
