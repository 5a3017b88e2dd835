// A scripted RawKvmHost for facade tests: records every call with a copy of the argument bytes, keeps
// a tiny host address space for mmap(-1), and answers ioctls through per-request handlers.
import type { HostMapping, RawKvmHost } from "../../src/abi/syscalls.js";

export interface Call {
  readonly fd: number;
  readonly request: number;
  /** Integer argument, or a copy of the struct bytes as received. */
  readonly arg: number | bigint | Uint8Array | undefined;
}

/** Handler: may modify `arg` bytes in place (written back for _IOR/_IOWR) and returns the result. */
export type Handler = (fd: number, arg: number | bigint | Uint8Array | undefined, host: FakeHost) => number;

export class FakeHost implements RawKvmHost {
  readonly calls: Call[] = [];
  readonly handlers = new Map<number, Handler>();
  readonly closed: number[] = [];
  readonly mappings = new Map<bigint, Uint8Array>();
  readonly munmapped: bigint[] = [];
  private nextFd = 3;
  private nextAddr = 0x7f0000000000n;

  constructor(readonly arch: "arm" | "ppc" = "arm") {}

  open(path: string): number {
    return path === "/dev/kvm" ? this.nextFd++ : -2;
  }
  newFd(): number {
    return this.nextFd++;
  }
  close(fd: number): number {
    this.closed.push(fd);
    return 0;
  }
  ioctl(fd: number, request: number, arg?: number | bigint | Uint8Array): number {
    this.calls.push({ fd, request, arg: arg instanceof Uint8Array ? arg.slice() : arg });
    const h = this.handlers.get(request >>> 0);
    return h ? h(fd, arg, this) : -22;
  }
  mmap(fd: number, length: number): HostMapping | number {
    const bytes = new Uint8Array(new SharedArrayBuffer(length));
    const addr = this.nextAddr;
    this.nextAddr += BigInt(Math.ceil(length / 4096) * 4096) + 0x10000n;
    this.mappings.set(addr, bytes);
    void fd;
    return { addr, bytes };
  }
  munmap(addr: bigint): number {
    this.munmapped.push(addr);
    return this.mappings.delete(addr) ? 0 : -22;
  }
  /** The bytes at a host address inside a live mapping (what copy_from_user would see). */
  resolve(addr: bigint, length: number): Uint8Array {
    for (const [base, bytes] of this.mappings) {
      if (addr >= base && addr + BigInt(length) <= base + BigInt(bytes.length)) {
        const off = Number(addr - base);
        return bytes.subarray(off, off + length);
      }
    }
    throw new Error(`fake host: EFAULT at 0x${addr.toString(16)}`);
  }
  /** eventfd2 calls seen, and what the next ones answer (default: a new fd). */
  readonly eventfds: { initval: number; flags: number }[] = [];
  eventfdResult: number | null = null;
  /** read/write calls seen (a copy of the buffer as passed) and their scripted answers. */
  readonly reads: number[] = [];
  readonly writes: { fd: number; bytes: Uint8Array }[] = [];
  /** read: fills the buffer and returns the byte count, or returns a negative errno. */
  readHandler: (fd: number, buf: Uint8Array) => number = () => -38;
  writeResult = 8;

  eventfd(initval: number, flags: number): number {
    this.eventfds.push({ initval, flags });
    return this.eventfdResult ?? this.nextFd++;
  }
  read(fd: number, buf: Uint8Array): number {
    this.reads.push(fd);
    return this.readHandler(fd, buf);
  }
  write(fd: number, buf: Uint8Array): number {
    this.writes.push({ fd, bytes: buf.slice() });
    return this.writeResult;
  }
  callsTo(request: number): Call[] {
    return this.calls.filter((c) => c.request === request >>> 0);
  }
}

export const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
