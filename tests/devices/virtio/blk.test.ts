/**
 * virtio-blk (virtio 1.x §5.2) on a temporary host file: config layout (capacity @0, size_max @8,
 * seg_max @12, blk_size @20), features, IN/OUT/FLUSH/GET_ID, status bytes, read-only images.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VirtioMmioTransport } from "../../../src/devices/virtio/mmio.js";
import { VirtioBlk } from "../../../src/devices/virtio/blk.js";
import { DATA, DESC, driverInit, guestRam, makeAvailable, r32, usedRing, w32, writeDescs } from "./rings.js";

const F_NEXT = 1, F_WRITE = 2;
const HDR = DATA, BUF = DATA + 0x1000, STATUS = DATA + 0x100;

function image(bytes: number, readOnly = false) {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-blk-"));
  const path = join(dir, "disk.img");
  const content = new Uint8Array(bytes).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
  writeFileSync(path, content);
  const mem = guestRam();
  const blk = new VirtioBlk({ path, readOnly, serial: "tskvm-test-serial-0123456789" });
  const t = new VirtioMmioTransport(blk, { set() {} }, mem);
  assert.equal(driverInit(t, 16), 15);
  return {
    mem, t, blk, path, content,
    done: () => { blk.close(); rmSync(dir, { recursive: true }); },
  };
}

function header(mem: ReturnType<typeof guestRam>, type: number, sector: number): void {
  mem.writeU32(HDR, type);
  mem.writeU32(HDR + 4, 0);
  mem.writeU32(HDR + 8, sector);
  mem.writeU32(HDR + 12, 0);
}

/** Submits header + data descriptors + status; returns [status byte, used len]. */
function submit(env: ReturnType<typeof image>, type: number, sector: number, data: { len: number; write: boolean }[]): [number, number] {
  const { mem, t } = env;
  header(mem, type, sector);
  mem.write(STATUS, Uint8Array.of(0xee));
  const descs = [{ addr: HDR, len: 16, flags: F_NEXT, next: 1 }];
  let addr = BUF;
  data.forEach((d, i) => {
    descs.push({ addr, len: d.len, flags: (d.write ? F_WRITE : 0) | F_NEXT, next: i + 2 });
    addr += d.len;
  });
  descs.push({ addr: STATUS, len: 1, flags: F_WRITE, next: 0 });
  writeDescs(mem, DESC, 0, descs);
  makeAvailable(mem, 16, [0]);
  w32(t, 0x050, 0);
  const used = usedRing(mem, 16);
  return [mem.read(STATUS, 1)[0]!, used.elems.at(-1)![1]];
}

test("config: capacity in 512-byte sectors, size_max, seg_max, blk_size; features FLUSH/BLK_SIZE/SEG_MAX/SIZE_MAX", () => {
  const env = image(64 * 512 + 100);
  const { t } = env;
  assert.equal(r32(t, 0x008), 2);
  assert.equal(r32(t, 0x100), 64);
  assert.equal(r32(t, 0x104), 0);
  assert.equal(t.mmioRead(0x100, 8), 64, "8-byte access gives the low word");
  assert.equal(r32(t, 0x108), 1 << 20);
  assert.equal(r32(t, 0x10c), 254);
  assert.equal(r32(t, 0x114), 512);
  assert.equal(t.mmioRead(0x114, 2), 512);
  w32(t, 0x014, 0);
  const f = r32(t, 0x010);
  assert.equal(f & ((1 << 1) | (1 << 2) | (1 << 6) | (1 << 9)), (1 << 1) | (1 << 2) | (1 << 6) | (1 << 9));
  assert.equal(f & (1 << 5), 0, "not read-only");
  env.done();
});

test("IN reads sectors into a scattered buffer; used len counts data + status", () => {
  const env = image(16 * 512);
  const [status, len] = submit(env, 0, 3, [{ len: 512, write: true }, { len: 512, write: true }]);
  assert.equal(status, 0);
  assert.equal(len, 1025);
  assert.deepEqual(env.mem.read(BUF, 1024), env.content.subarray(3 * 512, 5 * 512));
  env.done();
});

test("OUT writes to the host file; FLUSH answers OK", () => {
  const env = image(16 * 512);
  const data = new Uint8Array(1024).map((_, i) => 255 - (i & 0xff));
  env.mem.write(BUF, data);
  const [status, len] = submit(env, 1, 7, [{ len: 1024, write: false }]);
  assert.equal(status, 0);
  assert.equal(len, 1);
  assert.deepEqual(submit(env, 4, 0, []), [0, 1]);
  const file = readFileSync(env.path);
  assert.deepEqual(new Uint8Array(file.subarray(7 * 512, 9 * 512)), data);
  assert.deepEqual(new Uint8Array(file.subarray(0, 7 * 512)), env.content.subarray(0, 7 * 512));
  env.done();
});

test("GET_ID writes the 20-byte serial", () => {
  const env = image(512);
  const [status, len] = submit(env, 8, 0, [{ len: 20, write: true }]);
  assert.equal(status, 0);
  assert.equal(len, 21);
  assert.equal(new TextDecoder().decode(env.mem.read(BUF, 20)), "tskvm-test-serial-01");
  env.done();
});

test("out-of-range sectors and partial sectors are IOERR; unknown types UNSUPP", () => {
  const env = image(8 * 512);
  assert.equal(submit(env, 0, 7, [{ len: 1024, write: true }])[0], 1);
  assert.equal(submit(env, 0, 0xffffffff, [{ len: 512, write: true }])[0], 1);
  assert.equal(submit(env, 0, 0, [{ len: 100, write: true }])[0], 1);
  assert.equal(submit(env, 11, 0, [])[0], 2, "DISCARD not offered");
  assert.equal(submit(env, 0, 7, [{ len: 512, write: true }])[0], 0, "last sector is fine");
  env.done();
});

test("read-only image: F_RO offered, OUT is IOERR and the file is unchanged, IN works", () => {
  const env = image(8 * 512, true);
  w32(env.t, 0x014, 0);
  assert.equal(r32(env.t, 0x010) & (1 << 5), 1 << 5);
  env.mem.write(BUF, new Uint8Array(512).fill(0xaa));
  assert.equal(submit(env, 1, 0, [{ len: 512, write: false }])[0], 1);
  assert.deepEqual(new Uint8Array(readFileSync(env.path)), env.content);
  assert.equal(submit(env, 0, 1, [{ len: 512, write: true }])[0], 0);
  env.done();
});

test("a request without header or status byte is malformed → DEVICE_NEEDS_RESET", () => {
  const env = image(512);
  writeDescs(env.mem, DESC, 0, [{ addr: HDR, len: 16, flags: 0 }]);
  makeAvailable(env.mem, 16, [0]);
  w32(env.t, 0x050, 0);
  assert.equal(r32(env.t, 0x070) & 0x40, 0x40);
  env.done();
});
