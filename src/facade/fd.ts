/**
 * What every facade fd object shares: the host, the fd, the host's request numbers, a scratch mapping
 * for by-pointer values, and close().
 */
import type { HostMapping, RawKvmHost } from "../abi/syscalls.js";
import { ARM_REQUESTS, PPC_REQUESTS, type KvmRequestName, type KvmRequests } from "../abi/requests.js";
import { EBADF } from "../abi/errno.js";
import { KvmError, check } from "./error.js";

const PAGE = 4096;

/**
 * Host memory the facade points the kernel at for values the ABI passes by pointer (ONE_REG values,
 * device-attribute values, dirty bitmaps, register lists). One per Kvm, shared by its VMs and vCPUs;
 * grows by remapping when a caller needs more.
 */
export class ScratchMapping {
  private mapping: HostMapping | null = null;

  constructor(private readonly host: RawKvmHost) {}

  /** A mapping of at least `length` bytes; its contents are scratch (not preserved across calls). */
  get(length: number): HostMapping {
    const have = this.mapping;
    if (have && have.bytes.length >= length) return have;
    const size = Math.max(PAGE, Math.ceil(length / PAGE) * PAGE);
    const m = this.host.mmap(-1, size);
    if (typeof m === "number") throw new KvmError(-m, "mmap");
    if (have) this.host.munmap(have.addr, have.bytes.length);
    this.mapping = m;
    return m;
  }

  release(): void {
    if (this.mapping) this.host.munmap(this.mapping.addr, this.mapping.bytes.length);
    this.mapping = null;
  }
}

export function requestsFor(host: RawKvmHost): KvmRequests {
  return host.arch === "ppc" ? PPC_REQUESTS : ARM_REQUESTS;
}

export abstract class FdObject {
  protected closed = false;

  protected constructor(
    readonly host: RawKvmHost,
    readonly fd: number,
    protected readonly requests: KvmRequests,
    protected readonly scratch: ScratchMapping,
  ) {}

  get arch(): "arm" | "ppc" {
    return this.host.arch;
  }

  /** Issues a request by name; throws KvmError on a negative result. */
  protected ioctl(name: KvmRequestName, arg?: number | bigint | Uint8Array): number {
    if (this.closed) throw new KvmError(EBADF, name);
    return check(this.host.ioctl(this.fd, this.requests[name], arg), name);
  }

  /** Issues a request and returns the raw result (negative errno) without throwing. */
  protected ioctlRaw(name: KvmRequestName, arg?: number | bigint | Uint8Array): number {
    if (this.closed) return -EBADF;
    return this.host.ioctl(this.fd, this.requests[name], arg);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    check(this.host.close(this.fd), "close");
  }
}

/** A zeroed buffer for a struct argument and a little-endian DataView over it. */
export function structBuffer(size: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
}
