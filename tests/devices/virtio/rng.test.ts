/** virtio-rng (virtio 1.x §5.4) with the host CSPRNG: device ID 4, buffers filled and returned. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { VirtioMmioTransport } from "../../../src/devices/virtio/mmio.js";
import { VirtioRng } from "../../../src/devices/virtio/rng.js";
import { DATA, DESC, driverInit, guestRam, makeAvailable, r32, usedRing, w32, writeDescs } from "./rings.js";

test("virtio-rng fills a 256-byte writable buffer with host random bytes", () => {
  const mem = guestRam();
  const t = new VirtioMmioTransport(new VirtioRng(), { set() {} }, mem);
  assert.equal(r32(t, 0x008), 4);
  assert.equal(driverInit(t, 8), 15);
  writeDescs(mem, DESC, 0, [{ addr: DATA, len: 256, flags: 2 }]);
  makeAvailable(mem, 8, [0]);
  w32(t, 0x050, 0);
  assert.deepEqual(usedRing(mem, 8), { idx: 1, elems: [[0, 256]] });
  const bytes = mem.read(DATA, 256);
  assert.ok(new Set(bytes).size > 64, "256 random bytes take many distinct values (RAM was zero)");
});
