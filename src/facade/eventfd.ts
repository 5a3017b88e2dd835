/**
 * EventFd: an eventfd of the host (RawKvmHost.eventfd/read/write), the object KVM_IRQFD and
 * KVM_IOEVENTFD take. The counter is a u64 (bigint). Nothing blocks: a read of a zero counter is
 * EAGAIN even without EFD_NONBLOCK (`tryRead` answers null instead of throwing).
 */
import { EAGAIN, EBADF } from "../abi/errno.js";
import { EVENTFD_VALUE_SIZE } from "../abi/eventfd.js";
import type { RawKvmHost } from "../abi/syscalls.js";
import { KvmError, check } from "./error.js";

export class EventFd {
  private closed = false;
  private readonly buf = new Uint8Array(EVENTFD_VALUE_SIZE);
  private readonly view = new DataView(this.buf.buffer);

  private constructor(
    readonly host: RawKvmHost,
    readonly fd: number,
  ) {}

  /** eventfd2(initval, flags): flags from abi/eventfd (EFD_SEMAPHORE, EFD_NONBLOCK, EFD_CLOEXEC). */
  static create(host: RawKvmHost, initval = 0, flags = 0): EventFd {
    return new EventFd(host, check(host.eventfd(initval, flags), "eventfd"));
  }

  /** Adds `value` to the counter (write(2)); throws KvmError (EINVAL, EAGAIN) when the kernel refuses. */
  write(value: bigint | number = 1n): void {
    if (this.closed) throw new KvmError(EBADF, "write");
    this.view.setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
    check(this.host.write(this.fd, this.buf), "write");
  }

  /** read(2): the counter (1 with EFD_SEMAPHORE), reset (decremented); throws KvmError(EAGAIN) at 0. */
  read(): bigint {
    const v = this.tryRead();
    if (v === null) throw new KvmError(EAGAIN, "read");
    return v;
  }

  /** Like read, but null when the counter is 0. */
  tryRead(): bigint | null {
    if (this.closed) throw new KvmError(EBADF, "read");
    const r = this.host.read(this.fd, this.buf);
    if (r === -EAGAIN) return null;
    check(r, "read");
    return this.view.getBigUint64(0, true);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    check(this.host.close(this.fd), "close");
  }
}
