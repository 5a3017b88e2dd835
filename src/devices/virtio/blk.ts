/**
 * virtio-blk (device ID 2, virtio 1.x §5.2) backed by a host file through Node's synchronous,
 * positional fs calls. One request queue. Requests: IN (0), OUT (1), FLUSH (4, fsync on the host
 * file), GET_ID (8, a 20-byte serial, NUL-padded); anything else completes with UNSUPP. Offered
 * features: SIZE_MAX, SEG_MAX, BLK_SIZE, FLUSH, and RO for read-only images (opened with "r"; every
 * OUT then completes with IOERR, §5.2.6.1).
 *
 * A request is: a device-readable header {le32 type, le32 reserved, le64 sector}, for OUT the data
 * (readable), for IN/GET_ID the data buffer (writable), and the last writable byte for the status.
 * A chain without a 16-byte header or a status byte is malformed (the transport sets
 * DEVICE_NEEDS_RESET); bad sectors, lengths not a multiple of 512 and host I/O errors are IOERR.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import type { VirtioDevice } from "./mmio.js";
import { VirtqueueError, type DescriptorChain, type SplitVirtqueue } from "./virtqueue.js";

export const VIRTIO_ID_BLOCK = 2;
export const VIRTIO_BLK_F_SIZE_MAX = 1n;
export const VIRTIO_BLK_F_SEG_MAX = 2n;
export const VIRTIO_BLK_F_RO = 5n;
export const VIRTIO_BLK_F_BLK_SIZE = 6n;
export const VIRTIO_BLK_F_FLUSH = 9n;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const SECTOR_SIZE = 512;
/** Length of the GET_ID serial (VIRTIO_BLK_ID_BYTES). */
export const VIRTIO_BLK_ID_BYTES = 20;
export const BLK_QUEUE_SIZE = 256;
/** Largest single segment we accept (config size_max). */
export const BLK_SIZE_MAX = 1 << 20;

export interface VirtioBlkOptions {
  path: string;
  readOnly?: boolean;
  /** GET_ID answer (at most 20 bytes are used); default "tskvm" + the file's inode number. */
  serial?: string;
}

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly features: bigint;
  readonly queueMaxSizes = [BLK_QUEUE_SIZE];
  readonly readOnly: boolean;
  /** Capacity in 512-byte sectors (a trailing partial sector is not exposed). */
  readonly capacity: bigint;
  private readonly fd: number;
  private readonly serial: Uint8Array;
  private readonly config = new DataView(new ArrayBuffer(24));

  /** Opens the image; throws Node's fs error (ENOENT, EACCES …) for the VMM to report. */
  constructor(options: VirtioBlkOptions) {
    this.readOnly = options.readOnly ?? false;
    this.fd = openSync(options.path, this.readOnly ? "r" : "r+");
    const st = fstatSync(this.fd);
    this.capacity = BigInt(Math.floor(st.size / SECTOR_SIZE));
    this.serial = new Uint8Array(VIRTIO_BLK_ID_BYTES);
    this.serial.set(new TextEncoder().encode(options.serial ?? `tskvm${st.ino}`).subarray(0, VIRTIO_BLK_ID_BYTES));
    let f = (1n << VIRTIO_BLK_F_SIZE_MAX) | (1n << VIRTIO_BLK_F_SEG_MAX) | (1n << VIRTIO_BLK_F_BLK_SIZE) | (1n << VIRTIO_BLK_F_FLUSH);
    if (this.readOnly) f |= 1n << VIRTIO_BLK_F_RO;
    this.features = f;
    // struct virtio_blk_config: capacity @0, size_max @8, seg_max @12, geometry @16, blk_size @20.
    this.config.setBigUint64(0, this.capacity, true);
    this.config.setUint32(8, BLK_SIZE_MAX, true);
    this.config.setUint32(12, BLK_QUEUE_SIZE - 2, true);
    this.config.setUint32(20, SECTOR_SIZE, true);
  }

  close(): void {
    closeSync(this.fd);
  }

  readConfig(offset: number, size: number): number {
    if (offset < 0 || offset + size > this.config.byteLength) return 0;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.config.getUint8(offset + i);
    return size >= 4 ? v % 2 ** 32 : v;
  }

  writeConfig(): void {
    // No writable fields without VIRTIO_BLK_F_CONFIG_WCE.
  }

  reset(): void {}

  processQueue(_index: number, queue: SplitVirtqueue): void {
    for (let chain = queue.pop(); chain; chain = queue.pop()) {
      queue.pushUsed(chain.head, this.handle(queue, chain));
    }
  }

  /** Serves one request; returns the bytes written into the chain (data + status). */
  private handle(queue: SplitVirtqueue, chain: DescriptorChain): number {
    if (chain.readableLength < 16) throw new VirtqueueError("virtio-blk request without a 16-byte header");
    if (chain.writableLength < 1) throw new VirtqueueError("virtio-blk request without a status byte");
    const header = new DataView(queue.readChain(chain, 16).buffer);
    const type = header.getUint32(0, true);
    const sector = header.getBigUint64(8, true);
    const dataIn = chain.writableLength - 1;
    let written = 0;
    let status: number;
    switch (type) {
      case VIRTIO_BLK_T_IN: {
        status = this.checkRange(sector, dataIn);
        if (status === VIRTIO_BLK_S_OK) {
          const buf = new Uint8Array(dataIn);
          status = this.io(() => readFully(this.fd, buf, sector));
          if (status === VIRTIO_BLK_S_OK) written = queue.writeChain(chain, buf);
        }
        break;
      }
      case VIRTIO_BLK_T_OUT: {
        const dataOut = chain.readableLength - 16;
        status = this.readOnly ? VIRTIO_BLK_S_IOERR : this.checkRange(sector, dataOut);
        if (status === VIRTIO_BLK_S_OK) {
          const buf = queue.readChainAt(chain, 16, dataOut);
          status = this.io(() => writeFully(this.fd, buf, sector));
        }
        break;
      }
      case VIRTIO_BLK_T_FLUSH:
        status = this.io(() => fsyncSync(this.fd));
        break;
      case VIRTIO_BLK_T_GET_ID:
        written = queue.writeChain(chain, this.serial.subarray(0, Math.min(dataIn, VIRTIO_BLK_ID_BYTES)));
        status = VIRTIO_BLK_S_OK;
        break;
      default:
        status = VIRTIO_BLK_S_UNSUPP;
    }
    queue.writeChain(chain, Uint8Array.of(status), chain.writableLength - 1);
    return written + 1;
  }

  private checkRange(sector: bigint, length: number): number {
    if (length % SECTOR_SIZE !== 0) return VIRTIO_BLK_S_IOERR;
    return sector + BigInt(length / SECTOR_SIZE) <= this.capacity ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
  }

  private io(action: () => void): number {
    try {
      action();
      return VIRTIO_BLK_S_OK;
    } catch {
      return VIRTIO_BLK_S_IOERR;
    }
  }
}

function readFully(fd: number, buf: Uint8Array, sector: bigint): void {
  let done = 0;
  const base = Number(sector) * SECTOR_SIZE;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, base + done);
    if (n === 0) throw new Error("unexpected end of image");
    done += n;
  }
}

function writeFully(fd: number, buf: Uint8Array, sector: bigint): void {
  let done = 0;
  const base = Number(sector) * SECTOR_SIZE;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, base + done);
}
