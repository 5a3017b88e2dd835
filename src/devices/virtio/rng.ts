/**
 * virtio-rng, the entropy device (device ID 4, virtio 1.x §5.4): one request queue, no feature
 * bits, no config space. Every available buffer's device-writable part is filled with bytes from
 * the host's CSPRNG (node:crypto) and returned with that length.
 */
import { randomFillSync } from "node:crypto";
import type { VirtioDevice } from "./mmio.js";
import type { SplitVirtqueue } from "./virtqueue.js";

export const VIRTIO_ID_RNG = 4;
export const RNG_QUEUE_SIZE = 64;
/** Most bytes served per buffer (the driver asks for far less; this bounds a hostile request). */
export const RNG_MAX_PER_BUFFER = 1 << 16;

export class VirtioRng implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_RNG;
  readonly features = 0n;
  readonly queueMaxSizes = [RNG_QUEUE_SIZE];

  constructor(private readonly fill: (bytes: Uint8Array) => void = (b) => void randomFillSync(b)) {}

  readConfig(): number {
    return 0;
  }

  writeConfig(): void {}

  reset(): void {}

  processQueue(_index: number, queue: SplitVirtqueue): void {
    for (let chain = queue.pop(); chain; chain = queue.pop()) {
      const bytes = new Uint8Array(Math.min(chain.writableLength, RNG_MAX_PER_BUFFER));
      this.fill(bytes);
      queue.pushUsed(chain.head, queue.writeChain(chain, bytes));
    }
  }
}
