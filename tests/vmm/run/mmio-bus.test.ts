// The MMIO bus: a KVM_EXIT_MMIO's data[] carries the value in memory byte order (little-endian here),
// routed by address to the window holding it, with the offset inside that window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MmioBus } from "../../../src/vmm/mmio-bus.js";
import type { MmioDevice } from "../../../src/devices/bus.js";

class Recorder implements MmioDevice {
  readonly log: string[] = [];
  constructor(readonly windowSize: number, private readonly answer: number) {}
  mmioRead(offset: number, size: number): number {
    this.log.push(`r ${offset.toString(16)}/${size}`);
    return this.answer;
  }
  mmioWrite(offset: number, size: number, value: number): void {
    this.log.push(`w ${offset.toString(16)}/${size}=${value.toString(16)}`);
  }
}

test("dispatch by address with the offset; writes assembled little-endian from data[]", () => {
  const bus = new MmioBus();
  const uart = new Recorder(0x1000, 0), virtio = new Recorder(0x200, 0);
  bus.add(0x0a00_0200, virtio, "virtio");
  bus.add(0x0900_0000, uart, "uart");
  assert.equal(bus.access(0x0900_0018, 4, true, Uint8Array.of(0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0)), "handled");
  assert.equal(bus.access(0x0a00_0270, 2, true, Uint8Array.of(0xcd, 0xab, 0, 0, 0, 0, 0, 0)), "handled");
  assert.equal(bus.access(0x0900_0000, 1, true, Uint8Array.of(0x41, 0xff, 0, 0, 0, 0, 0, 0)), "handled");
  assert.deepEqual(uart.log, ["w 18/4=12345678", "w 0/1=41"]);
  assert.deepEqual(virtio.log, ["w 70/2=abcd"]);
});

test("reads complete data[0..len) little-endian, truncated to len; 8-byte reads carry the low word", () => {
  const bus = new MmioBus();
  bus.add(0x1000, new Recorder(0x100, 0xdeadbeef), "dev");
  const data = new Uint8Array(8).fill(0x55);
  bus.access(0x1004, 4, false, data);
  assert.deepEqual([...data], [0xef, 0xbe, 0xad, 0xde, 0x55, 0x55, 0x55, 0x55]);
  data.fill(0x55);
  bus.access(0x1004, 2, false, data);
  assert.deepEqual([...data.subarray(0, 3)], [0xef, 0xbe, 0x55]);
  data.fill(0x55);
  bus.access(0x1008, 8, false, data);
  assert.deepEqual([...data], [0xef, 0xbe, 0xad, 0xde, 0, 0, 0, 0]);
});

test("unclaimed addresses (gaps, past the end, straddling a window's end) read 0 and are reported", () => {
  const bus = new MmioBus();
  const dev = new Recorder(0x100, 0xffffffff);
  bus.add(0x1000, dev, "dev");
  const data = new Uint8Array(8).fill(0x55);
  assert.equal(bus.access(0xfff, 1, false, data), "unmapped");
  assert.equal(data[0], 0);
  assert.equal(bus.access(0x1100, 4, true, data), "unmapped");
  assert.equal(bus.access(0x10fe, 4, false, data), "unmapped");
  assert.deepEqual(dev.log, []);
  assert.equal(bus.access(0x10fc, 4, false, data), "handled");
});

test("overlapping windows are refused", () => {
  const bus = new MmioBus();
  bus.add(0x1000, new Recorder(0x100, 0), "a");
  assert.throws(() => bus.add(0x10ff, new Recorder(0x10, 0), "b"), /b at 0x10ff overlaps a at 0x1000/);
  bus.add(0x1100, new Recorder(0x10, 0), "c");
  assert.equal(bus.size, 2);
});
