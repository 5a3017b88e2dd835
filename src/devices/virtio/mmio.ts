/**
 * The virtio-mmio transport, version 2 ("modern", virtio 1.x §4.2.2), over split virtqueues.
 *
 * A device type (virtio-blk, virtio-rng) implements VirtioDevice: its ID, feature bits, queue
 * sizes, config space and what to do when a queue is notified; the transport does the register
 * window, feature negotiation (VIRTIO_F_VERSION_1 required, FEATURES_OK refused otherwise or for
 * bits not offered), the status state machine (write 0 = reset), queues and interrupts
 * (InterruptStatus bit 0 used buffer, bit 1 configuration change; one level line = status != 0).
 *
 * Errors never leave the device: a malformed ring, a DMA outside RAM or an exception from the
 * device type set DEVICE_NEEDS_RESET and raise a configuration-change interrupt (§2.1.2), after
 * which notifications are ignored until the driver resets the device. `lastError` keeps the reason.
 */
import type { GuestMemoryAccess, IrqLine, MmioDevice } from "../bus.js";
import { SplitVirtqueue } from "./virtqueue.js";

export const VIRTIO_MMIO = {
  MAGIC_VALUE: 0x000,
  VERSION: 0x004,
  DEVICE_ID: 0x008,
  VENDOR_ID: 0x00c,
  DEVICE_FEATURES: 0x010,
  DEVICE_FEATURES_SEL: 0x014,
  DRIVER_FEATURES: 0x020,
  DRIVER_FEATURES_SEL: 0x024,
  QUEUE_SEL: 0x030,
  QUEUE_NUM_MAX: 0x034,
  QUEUE_NUM: 0x038,
  QUEUE_READY: 0x044,
  QUEUE_NOTIFY: 0x050,
  INTERRUPT_STATUS: 0x060,
  INTERRUPT_ACK: 0x064,
  STATUS: 0x070,
  QUEUE_DESC_LOW: 0x080,
  QUEUE_DESC_HIGH: 0x084,
  QUEUE_DRIVER_LOW: 0x090,
  QUEUE_DRIVER_HIGH: 0x094,
  QUEUE_DEVICE_LOW: 0x0a0,
  QUEUE_DEVICE_HIGH: 0x0a4,
  CONFIG_GENERATION: 0x0fc,
  CONFIG: 0x100,
} as const;

/** "virt" in little-endian. */
export const VIRTIO_MMIO_MAGIC = 0x74726976;
/** Our vendor ID: "TSKV" as little-endian bytes. */
export const VIRTIO_MMIO_VENDOR_TSKVM = 0x564b5354;

export const VIRTIO_STATUS_ACKNOWLEDGE = 1;
export const VIRTIO_STATUS_DRIVER = 2;
export const VIRTIO_STATUS_DRIVER_OK = 4;
export const VIRTIO_STATUS_FEATURES_OK = 8;
export const VIRTIO_STATUS_DEVICE_NEEDS_RESET = 64;
export const VIRTIO_STATUS_FAILED = 128;

export const VIRTIO_F_RING_INDIRECT_DESC = 28n;
export const VIRTIO_F_VERSION_1 = 32n;

export const VIRTIO_INT_USED_BUFFER = 1;
export const VIRTIO_INT_CONFIG_CHANGE = 2;

/** A virtio device type behind the transport. */
export interface VirtioDevice {
  readonly deviceId: number;
  /** Device-type feature bits (the transport adds VERSION_1 and RING_INDIRECT_DESC). */
  readonly features: bigint;
  /** QueueNumMax of each queue; the array's length is the number of queues. */
  readonly queueMaxSizes: readonly number[];
  /** Little-endian read of `size` bytes at `offset` in the config space (0 outside it). */
  readConfig(offset: number, size: number): number;
  writeConfig(offset: number, size: number, value: number): void;
  /** Services queue `index` after a notification: pop chains, push them used. May throw. */
  processQueue(index: number, queue: SplitVirtqueue): void;
  /** Device-type state back to its initial values (the transport resets the queues). */
  reset(): void;
}

export class VirtioMmioTransport implements MmioDevice {
  readonly windowSize = 0x200;
  readonly queues: SplitVirtqueue[];
  /** Why the device last entered DEVICE_NEEDS_RESET, for the VMM's diagnostics. */
  lastError: Error | null = null;
  private readonly offered: bigint;
  private status = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private interruptStatus = 0;
  private configGeneration = 0;
  private irqLevel = false;

  constructor(
    readonly device: VirtioDevice,
    private readonly irq: IrqLine,
    memory: GuestMemoryAccess,
  ) {
    this.offered = device.features | (1n << VIRTIO_F_VERSION_1) | (1n << VIRTIO_F_RING_INDIRECT_DESC);
    this.queues = device.queueMaxSizes.map((max) => new SplitVirtqueue(max, memory));
  }

  /** The features both sides agreed on (valid once FEATURES_OK is set). */
  get negotiatedFeatures(): bigint {
    return this.driverFeatures & this.offered;
  }

  /** The device's own configuration changed (e.g. a resized disk): bump the generation, interrupt. */
  configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    if (this.status & VIRTIO_STATUS_DRIVER_OK) this.raise(VIRTIO_INT_CONFIG_CHANGE);
  }

  mmioRead(offset: number, size: number): number {
    if (offset >= VIRTIO_MMIO.CONFIG) return this.device.readConfig(offset - VIRTIO_MMIO.CONFIG, size) >>> 0;
    if (size !== 4 || (offset & 3) !== 0) return 0; // §4.2.2.2: control registers are 32-bit only
    const q = this.queues[this.queueSel];
    switch (offset) {
      case VIRTIO_MMIO.MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
      case VIRTIO_MMIO.VERSION:
        return 2;
      case VIRTIO_MMIO.DEVICE_ID:
        return this.device.deviceId;
      case VIRTIO_MMIO.VENDOR_ID:
        return VIRTIO_MMIO_VENDOR_TSKVM;
      case VIRTIO_MMIO.DEVICE_FEATURES:
        return this.deviceFeaturesSel < 2 ? Number((this.offered >> BigInt(32 * this.deviceFeaturesSel)) & 0xffffffffn) : 0;
      case VIRTIO_MMIO.QUEUE_NUM_MAX:
        return q ? q.maxSize : 0;
      case VIRTIO_MMIO.QUEUE_READY:
        return q?.ready ? 1 : 0;
      case VIRTIO_MMIO.INTERRUPT_STATUS:
        return this.interruptStatus;
      case VIRTIO_MMIO.STATUS:
        return this.status;
      case VIRTIO_MMIO.CONFIG_GENERATION:
        return this.configGeneration;
      default:
        return 0; // write-only and reserved registers
    }
  }

  mmioWrite(offset: number, size: number, value: number): void {
    if (offset >= VIRTIO_MMIO.CONFIG) {
      this.guard(() => this.device.writeConfig(offset - VIRTIO_MMIO.CONFIG, size, value));
      return;
    }
    if (size !== 4 || (offset & 3) !== 0) return;
    const v = value >>> 0;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case VIRTIO_MMIO.DEVICE_FEATURES_SEL:
        this.deviceFeaturesSel = v;
        return;
      case VIRTIO_MMIO.DRIVER_FEATURES:
        if (this.status & VIRTIO_STATUS_FEATURES_OK || this.driverFeaturesSel > 1) return;
        {
          const shift = BigInt(32 * this.driverFeaturesSel);
          this.driverFeatures = (this.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(v) << shift);
        }
        return;
      case VIRTIO_MMIO.DRIVER_FEATURES_SEL:
        this.driverFeaturesSel = v;
        return;
      case VIRTIO_MMIO.QUEUE_SEL:
        this.queueSel = v;
        return;
      case VIRTIO_MMIO.QUEUE_NOTIFY:
        this.notify(v & 0xffff);
        return;
      case VIRTIO_MMIO.INTERRUPT_ACK:
        this.interruptStatus &= ~v;
        this.updateIrq();
        return;
      case VIRTIO_MMIO.STATUS:
        this.writeStatus(v & 0xff);
        return;
    }
    if (!q) return;
    if (offset === VIRTIO_MMIO.QUEUE_READY) {
      if (!(v & 1)) q.ready = false;
      else if (!q.ready) this.enableQueue(q);
      return;
    }
    if (q.ready) return; // §4.2.2.3: the driver sets a queue up only while it is not ready
    switch (offset) {
      case VIRTIO_MMIO.QUEUE_NUM:
        q.size = v;
        return;
      case VIRTIO_MMIO.QUEUE_DESC_LOW:
        q.descAddr = setLow(q.descAddr, v);
        return;
      case VIRTIO_MMIO.QUEUE_DESC_HIGH:
        q.descAddr = setHigh(q.descAddr, v);
        return;
      case VIRTIO_MMIO.QUEUE_DRIVER_LOW:
        q.driverAddr = setLow(q.driverAddr, v);
        return;
      case VIRTIO_MMIO.QUEUE_DRIVER_HIGH:
        q.driverAddr = setHigh(q.driverAddr, v);
        return;
      case VIRTIO_MMIO.QUEUE_DEVICE_LOW:
        q.deviceAddr = setLow(q.deviceAddr, v);
        return;
      case VIRTIO_MMIO.QUEUE_DEVICE_HIGH:
        q.deviceAddr = setHigh(q.deviceAddr, v);
        return;
    }
  }

  /** QueueReady = 1: start the queue if its size and ring addresses are valid, else NEEDS_RESET. */
  private enableQueue(q: SplitVirtqueue): void {
    const reason = q.invalidReason();
    if (reason) this.needsReset(new Error(reason));
    else q.enable();
  }

  private writeStatus(v: number): void {
    if (v === 0) {
      this.reset();
      return;
    }
    let next = v | (this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    if (v & VIRTIO_STATUS_FEATURES_OK && !(this.status & VIRTIO_STATUS_FEATURES_OK)) {
      const f = this.driverFeatures;
      const acceptable = (f & ~this.offered) === 0n && (f >> VIRTIO_F_VERSION_1) & 1n;
      if (acceptable) {
        const indirect = ((f >> VIRTIO_F_RING_INDIRECT_DESC) & 1n) === 1n;
        for (const q of this.queues) q.indirect = indirect;
      } else {
        next &= ~VIRTIO_STATUS_FEATURES_OK;
      }
    }
    this.status = next;
  }

  private reset(): void {
    this.status = 0;
    this.deviceFeaturesSel = this.driverFeaturesSel = this.queueSel = 0;
    this.driverFeatures = 0n;
    this.interruptStatus = 0;
    this.lastError = null;
    for (const q of this.queues) q.reset();
    this.guard(() => this.device.reset());
    this.updateIrq();
  }

  private notify(index: number): void {
    const q = this.queues[index];
    if (!q || !q.ready) return;
    if (!(this.status & VIRTIO_STATUS_DRIVER_OK) || this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) return;
    this.guard(() => {
      const before = q.usedIndex;
      this.device.processQueue(index, q);
      if (q.usedIndex !== before && q.wantsInterrupt()) this.raise(VIRTIO_INT_USED_BUFFER);
    });
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (e) {
      this.needsReset(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private needsReset(error: Error): void {
    this.lastError = error;
    if (this.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) return;
    this.status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    if (this.status & VIRTIO_STATUS_DRIVER_OK) this.raise(VIRTIO_INT_CONFIG_CHANGE);
  }

  private raise(bits: number): void {
    this.interruptStatus |= bits;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = this.interruptStatus !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq.set(level);
    }
  }
}

function setLow(addr: number, low: number): number {
  return Math.floor(addr / 2 ** 32) * 2 ** 32 + low;
}

function setHigh(addr: number, high: number): number {
  return high * 2 ** 32 + (addr % 2 ** 32);
}
