/**
 * virtio-mmio version 2 (virtio 1.x §4.2.2) and split virtqueues (§2.6) driven like a guest driver
 * would, with virtio-rng (§5.4) as the device behind it: register values, feature negotiation,
 * direct and indirect chains, interrupts, and malformed rings ending in DEVICE_NEEDS_RESET.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { VirtioMmioTransport } from "../../../src/devices/virtio/mmio.js";
import { VirtioRng } from "../../../src/devices/virtio/rng.js";
import { AVAIL, DATA, DESC, INDIRECT, driverInit, guestRam, makeAvailable, r32, usedRing, w32, writeDescs } from "./rings.js";

const F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4;

function setup() {
  const mem = guestRam();
  const levels: boolean[] = [];
  let counter = 0;
  const rng = new VirtioRng((b) => b.forEach((_, i) => (b[i] = ++counter & 0xff)));
  const t = new VirtioMmioTransport(rng, { set: (l) => levels.push(l) }, mem);
  return { mem, t, line: () => levels.at(-1) ?? false, levels };
}

test("identification registers: magic 'virt', version 2, device ID 4, QueueNumMax per queue", () => {
  const { t } = setup();
  assert.equal(r32(t, 0x000), 0x74726976);
  assert.equal(r32(t, 0x004), 2);
  assert.equal(r32(t, 0x008), 4);
  assert.equal(r32(t, 0x070), 0);
  assert.equal(r32(t, 0x034), 64);
  w32(t, 0x030, 1);
  assert.equal(r32(t, 0x034), 0, "queue 1 does not exist");
  w32(t, 0x014, 1);
  assert.equal(r32(t, 0x010) & 1, 1, "VIRTIO_F_VERSION_1 is bit 32");
  w32(t, 0x014, 0);
  assert.equal(r32(t, 0x010), 1 << 28, "only RING_INDIRECT_DESC below 32 for rng");
  assert.equal(t.mmioRead(0x000, 1), 0, "control registers are 32-bit only");
});

test("FEATURES_OK is refused without VERSION_1 and with bits not offered, accepted otherwise", () => {
  const { t } = setup();
  assert.equal(driverInit(t, 16, 0n) & 8, 0);
  assert.equal(driverInit(t, 16, (1n << 32n) | (1n << 5n)) & 8, 0);
  assert.equal(driverInit(t, 16, 1n << 32n), 1 | 2 | 4 | 8);
});

test("a direct chain of writable buffers is filled, returned used with its length, and interrupts", () => {
  const { mem, t, line } = setup();
  driverInit(t, 16);
  writeDescs(mem, DESC, 3, [
    { addr: DATA, len: 5, flags: F_WRITE | F_NEXT, next: 7 },
  ]);
  writeDescs(mem, DESC, 7, [{ addr: DATA + 0x100, len: 3, flags: F_WRITE }]);
  makeAvailable(mem, 16, [3]);
  w32(t, 0x050, 0);
  assert.deepEqual(usedRing(mem, 16), { idx: 1, elems: [[3, 8]] });
  assert.deepEqual([...mem.read(DATA, 5)], [1, 2, 3, 4, 5]);
  assert.deepEqual([...mem.read(DATA + 0x100, 3)], [6, 7, 8]);
  assert.equal(r32(t, 0x060), 1);
  assert.equal(line(), true);
  w32(t, 0x064, 1);
  assert.equal(r32(t, 0x060), 0);
  assert.equal(line(), false);
});

test("an indirect table is followed; VIRTQ_AVAIL_F_NO_INTERRUPT suppresses the interrupt", () => {
  const { mem, t, line } = setup();
  driverInit(t, 8);
  writeDescs(mem, INDIRECT, 0, [
    { addr: DATA, len: 2, flags: F_WRITE | F_NEXT, next: 2 },
    { addr: 0, len: 0, flags: 0 },
    { addr: DATA + 0x40, len: 4, flags: F_WRITE },
  ]);
  writeDescs(mem, DESC, 0, [{ addr: INDIRECT, len: 48, flags: F_INDIRECT }]);
  mem.writeU16(AVAIL, 1);
  makeAvailable(mem, 8, [0]);
  w32(t, 0x050, 0);
  assert.deepEqual(usedRing(mem, 8), { idx: 1, elems: [[0, 6]] });
  assert.deepEqual([...mem.read(DATA, 2)], [1, 2]);
  assert.deepEqual([...mem.read(DATA + 0x40, 4)], [3, 4, 5, 6]);
  assert.equal(r32(t, 0x060), 0);
  assert.equal(line(), false);
});

test("several chains in one notification, and the used index wraps with the ring", () => {
  const { mem, t } = setup();
  driverInit(t, 2);
  writeDescs(mem, DESC, 0, [{ addr: DATA, len: 1, flags: F_WRITE }, { addr: DATA + 1, len: 1, flags: F_WRITE }]);
  makeAvailable(mem, 2, [0, 1]);
  w32(t, 0x050, 0);
  makeAvailable(mem, 2, [1]);
  w32(t, 0x050, 0);
  const used = usedRing(mem, 2);
  assert.equal(used.idx, 3);
  assert.deepEqual(used.elems[2], [1, 1], "third element lands in slot 0 again");
  assert.equal(mem.readU32(0x4000_2000 + 4), 1);
});

test("notifications before DRIVER_OK or for a queue that is not ready are ignored", () => {
  const { mem, t } = setup();
  writeDescs(mem, DESC, 0, [{ addr: DATA, len: 1, flags: F_WRITE }]);
  makeAvailable(mem, 4, [0]);
  w32(t, 0x050, 0);
  assert.equal(usedRing(mem, 4).idx, 0);
});

test("status 0 resets the device: queues not ready, features, interrupts and status cleared", () => {
  const { mem, t, line } = setup();
  driverInit(t, 4);
  writeDescs(mem, DESC, 0, [{ addr: DATA, len: 1, flags: F_WRITE }]);
  makeAvailable(mem, 4, [0]);
  w32(t, 0x050, 0);
  assert.equal(line(), true);
  w32(t, 0x070, 0);
  assert.equal(r32(t, 0x070), 0);
  assert.equal(r32(t, 0x060), 0);
  assert.equal(r32(t, 0x044), 0);
  assert.equal(line(), false);
});

/** Each malformed case sets DEVICE_NEEDS_RESET, raises the config-change interrupt, never throws. */
const MALFORMED: [string, (mem: ReturnType<typeof guestRam>) => void][] = [
  ["head outside the table", (m) => makeAvailable(m, 8, [8])],
  ["next outside the table", (m) => { writeDescs(m, DESC, 0, [{ addr: DATA, len: 1, flags: F_WRITE | F_NEXT, next: 9 }]); makeAvailable(m, 8, [0]); }],
  ["a loop", (m) => { writeDescs(m, DESC, 0, [{ addr: DATA, len: 1, flags: F_WRITE | F_NEXT, next: 1 }, { addr: DATA, len: 1, flags: F_WRITE | F_NEXT, next: 0 }]); makeAvailable(m, 8, [0]); }],
  ["readable after writable", (m) => { writeDescs(m, DESC, 0, [{ addr: DATA, len: 1, flags: F_WRITE | F_NEXT, next: 1 }, { addr: DATA, len: 1, flags: 0 }]); makeAvailable(m, 8, [0]); }],
  ["indirect with NEXT", (m) => { writeDescs(m, DESC, 0, [{ addr: INDIRECT, len: 16, flags: F_INDIRECT | F_NEXT, next: 1 }]); makeAvailable(m, 8, [0]); }],
  ["indirect table of 20 bytes", (m) => { writeDescs(m, DESC, 0, [{ addr: INDIRECT, len: 20, flags: F_INDIRECT }]); makeAvailable(m, 8, [0]); }],
  ["nested indirect", (m) => { writeDescs(m, INDIRECT, 0, [{ addr: INDIRECT, len: 16, flags: F_INDIRECT }]); writeDescs(m, DESC, 0, [{ addr: INDIRECT, len: 16, flags: F_INDIRECT }]); makeAvailable(m, 8, [0]); }],
  ["indirect loop", (m) => { writeDescs(m, INDIRECT, 0, [{ addr: DATA, len: 1, flags: F_WRITE | F_NEXT, next: 0 }]); writeDescs(m, DESC, 0, [{ addr: INDIRECT, len: 16, flags: F_INDIRECT }]); makeAvailable(m, 8, [0]); }],
  ["buffer outside RAM", (m) => { writeDescs(m, DESC, 0, [{ addr: 0x1000, len: 4, flags: F_WRITE }]); makeAvailable(m, 8, [0]); }],
  ["buffer above 4 GiB", (m) => { writeDescs(m, DESC, 0, [{ addr: 2 ** 40, len: 4, flags: F_WRITE }]); makeAvailable(m, 8, [0]); }],
  ["available index 9 ahead of a queue of 8", (m) => m.writeU16(AVAIL + 2, 9)],
];

for (const [name, build] of MALFORMED) {
  test(`malformed ring (${name}) → DEVICE_NEEDS_RESET and a config interrupt; reset recovers`, () => {
    const { mem, t, line } = setup();
    driverInit(t, 8);
    build(mem);
    assert.doesNotThrow(() => w32(t, 0x050, 0));
    assert.equal(r32(t, 0x070) & 0x40, 0x40);
    assert.equal(r32(t, 0x060) & 2, 2);
    assert.equal(line(), true);
    assert.ok(t.lastError);
    assert.equal(driverInit(t, 8), 1 | 2 | 4 | 8, "a reset and re-init clears NEEDS_RESET");
  });
}

test("indirect descriptors without RING_INDIRECT_DESC negotiated are malformed", () => {
  const { mem, t } = setup();
  driverInit(t, 8, 1n << 32n);
  writeDescs(mem, INDIRECT, 0, [{ addr: DATA, len: 1, flags: F_WRITE }]);
  writeDescs(mem, DESC, 0, [{ addr: INDIRECT, len: 16, flags: F_INDIRECT }]);
  makeAvailable(mem, 8, [0]);
  w32(t, 0x050, 0);
  assert.equal(r32(t, 0x070) & 0x40, 0x40);
});

test("QueueReady with a size that is not a power of 2, above QueueNumMax, or misaligned rings → NEEDS_RESET", () => {
  for (const [size, desc] of [[6, DESC], [128, DESC], [8, DESC + 8]] as const) {
    const { t } = setup();
    w32(t, 0x070, 1 | 2);
    w32(t, 0x024, 1);
    w32(t, 0x020, 1);
    w32(t, 0x070, 1 | 2 | 8);
    w32(t, 0x038, size);
    w32(t, 0x080, desc);
    w32(t, 0x090, AVAIL);
    w32(t, 0x0a0, 0x4000_2000);
    w32(t, 0x044, 1);
    assert.equal(r32(t, 0x044), 0, `size ${size}`);
    assert.equal(r32(t, 0x070) & 0x40, 0x40, `size ${size}`);
  }
});
