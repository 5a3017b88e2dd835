/**
 * A split virtqueue as the device side sees it (virtio 1.x §2.6 "Split Virtqueues"): the
 * descriptor table, the driver (available) ring and the device (used) ring, all little-endian in
 * guest memory. No VIRTIO_F_EVENT_IDX: interrupts are suppressed only by the available ring's
 * VIRTQ_AVAIL_F_NO_INTERRUPT flag.
 *
 * Anything malformed — an index outside the table, a loop, a readable descriptor after a writable
 * one, an indirect table that is empty, misaligned, nested or combined with NEXT, an available
 * index that runs more than the queue size ahead, a DMA address outside RAM — throws
 * VirtqueueError (or GuestMemoryError from the accessor); the transport turns both into
 * DEVICE_NEEDS_RESET.
 */
import type { GuestMemoryAccess } from "../bus.js";

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
/** Largest split queue size (§2.6). */
export const VIRTQ_MAX_SIZE = 32768;
const DESC_SIZE = 16;

export class VirtqueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VirtqueueError";
  }
}

/** A guest buffer: `len` bytes at guest-physical `addr`. */
export interface BufferSegment {
  readonly addr: number;
  readonly len: number;
}

/** One available buffer: its head index and its device-readable then device-writable parts. */
export interface DescriptorChain {
  readonly head: number;
  readonly readable: BufferSegment[];
  readonly writable: BufferSegment[];
  readonly readableLength: number;
  readonly writableLength: number;
}

export class SplitVirtqueue {
  /** QueueNum as the driver set it. */
  size = 0;
  ready = false;
  descAddr = 0;
  driverAddr = 0;
  deviceAddr = 0;
  /** Whether VIRTIO_F_RING_INDIRECT_DESC was negotiated. */
  indirect = false;
  private lastAvailIdx = 0;
  private usedIdx = 0;

  constructor(
    readonly maxSize: number,
    private readonly memory: GuestMemoryAccess,
  ) {}

  reset(): void {
    this.size = this.descAddr = this.driverAddr = this.deviceAddr = 0;
    this.ready = this.indirect = false;
    this.lastAvailIdx = this.usedIdx = 0;
  }

  /** The device's next used-ring index (the count of used buffers modulo 2^16). */
  get usedIndex(): number {
    return this.usedIdx;
  }

  /** Why the queue cannot be enabled with its current settings, or null when it can. */
  invalidReason(): string | null {
    const n = this.size;
    if (n === 0 || n > this.maxSize || (n & (n - 1)) !== 0) return `queue size ${n} is not a power of 2 ≤ ${this.maxSize}`;
    if (this.descAddr % 16 !== 0) return "descriptor table not 16-byte aligned";
    if (this.driverAddr % 2 !== 0) return "driver ring not 2-byte aligned";
    if (this.deviceAddr % 4 !== 0) return "device ring not 4-byte aligned";
    return null;
  }

  /** Starts the queue with empty rings (QueueReady = 1). */
  enable(): void {
    this.ready = true;
    this.lastAvailIdx = this.usedIdx = 0;
  }

  /** The next available chain, or null when the driver has made none available. */
  pop(): DescriptorChain | null {
    if (!this.ready) return null;
    const availIdx = this.memory.readU16(this.driverAddr + 2);
    const pending = (availIdx - this.lastAvailIdx) & 0xffff;
    if (pending === 0) return null;
    if (pending > this.size) throw new VirtqueueError(`available index ${availIdx} is ${pending} ahead of ${this.lastAvailIdx}`);
    const head = this.memory.readU16(this.driverAddr + 4 + 2 * (this.lastAvailIdx % this.size));
    this.lastAvailIdx = (this.lastAvailIdx + 1) & 0xffff;
    return this.walk(head);
  }

  /** Returns chain `head` to the driver with `written` bytes written into its writable part. */
  pushUsed(head: number, written: number): void {
    const elem = this.deviceAddr + 4 + 8 * (this.usedIdx % this.size);
    this.memory.writeU32(elem, head);
    this.memory.writeU32(elem + 4, written);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.memory.writeU16(this.deviceAddr + 2, this.usedIdx);
  }

  /** Whether the driver wants an interrupt for used buffers (no VIRTQ_AVAIL_F_NO_INTERRUPT). */
  wantsInterrupt(): boolean {
    return (this.memory.readU16(this.driverAddr) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  }

  /** The first `length` bytes of the chain's readable part (fewer if it is shorter). */
  readChain(chain: DescriptorChain, length: number = chain.readableLength): Uint8Array {
    const out = new Uint8Array(Math.min(length, chain.readableLength));
    let done = 0;
    for (const seg of chain.readable) {
      if (done === out.length) break;
      const n = Math.min(seg.len, out.length - done);
      out.set(this.memory.read(seg.addr, n), done);
      done += n;
    }
    return out;
  }

  /** Bytes of the readable part from byte `start`, `length` of them. */
  readChainAt(chain: DescriptorChain, start: number, length: number): Uint8Array {
    return this.readChain(chain, start + length).subarray(start);
  }

  /** Scatters `data` into the writable part starting at byte `start`; returns bytes written. */
  writeChain(chain: DescriptorChain, data: Uint8Array, start = 0): number {
    let skip = start;
    let done = 0;
    for (const seg of chain.writable) {
      if (done === data.length) break;
      if (skip >= seg.len) {
        skip -= seg.len;
        continue;
      }
      const n = Math.min(seg.len - skip, data.length - done);
      this.memory.write(seg.addr + skip, data.subarray(done, done + n));
      done += n;
      skip = 0;
    }
    return done;
  }

  private walk(head: number): DescriptorChain {
    const readable: BufferSegment[] = [];
    const writable: BufferSegment[] = [];
    let readableLength = 0;
    let writableLength = 0;
    let table = this.descAddr;
    let tableSize = this.size;
    let inIndirect = false;
    let index = head;
    let visited = 0;
    if (head >= this.size) throw new VirtqueueError(`head ${head} outside a table of ${this.size}`);
    for (;;) {
      if (index >= tableSize) throw new VirtqueueError(`descriptor ${index} outside a table of ${tableSize}`);
      if (++visited > tableSize) throw new VirtqueueError("descriptor chain loops");
      const at = table + DESC_SIZE * index;
      const addr = this.memory.readU64(at);
      const len = this.memory.readU32(at + 8);
      const flags = this.memory.readU16(at + 12);
      const next = this.memory.readU16(at + 14);
      if (addr > BigInt(Number.MAX_SAFE_INTEGER)) throw new VirtqueueError(`buffer address 0x${addr.toString(16)}`);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.indirect) throw new VirtqueueError("indirect descriptor without VIRTIO_F_RING_INDIRECT_DESC");
        if (inIndirect) throw new VirtqueueError("indirect descriptor inside an indirect table");
        if (flags & VIRTQ_DESC_F_NEXT) throw new VirtqueueError("indirect descriptor with NEXT");
        if (len === 0 || len % DESC_SIZE !== 0) throw new VirtqueueError(`indirect table of ${len} bytes`);
        table = Number(addr);
        if (table % DESC_SIZE !== 0) throw new VirtqueueError("indirect table not 16-byte aligned");
        tableSize = len / DESC_SIZE;
        inIndirect = true;
        index = 0;
        visited = 0;
        continue;
      }
      if (len > 0) {
        const seg = { addr: Number(addr), len };
        if (flags & VIRTQ_DESC_F_WRITE) {
          writable.push(seg);
          writableLength += len;
        } else {
          if (writable.length > 0) throw new VirtqueueError("device-readable descriptor after a device-writable one");
          readable.push(seg);
          readableLength += len;
        }
      } else if (!(flags & VIRTQ_DESC_F_WRITE) && writable.length > 0) {
        throw new VirtqueueError("device-readable descriptor after a device-writable one");
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) break;
      index = next;
    }
    return { head, readable, writable, readableLength, writableLength };
  }
}
