/**
 * PL011 r1p5 against ARM DDI 0183G (PL011 TRM) chapter 3: reset values (Table 3-1), FR bits
 * (Table 3-3), the IFLS trigger levels (Table 3-12), the interrupt rules of §3.4 and the ID registers
 * (Tables 3-16..3-23: PeriphID 0x11 0x10 0x34 0x00 — revision 3 is r1p5 — and PCellID 0x0D 0xF0
 * 0x05 0xB1).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Pl011 } from "../../src/devices/pl011.js";

function uart() {
  const levels: boolean[] = [];
  const sent: number[] = [];
  const u = new Pl011({ irq: { set: (l) => levels.push(l) }, transmit: (b) => sent.push(b) });
  const line = () => levels.at(-1) ?? false;
  return { u, levels, sent, line, r: (o: number) => u.mmioRead(o, 4), w: (o: number, v: number) => u.mmioWrite(o, 4, v) };
}

test("reset values: FR = TXFE|RXFE, CR = TXE|RXE (0x300), IFLS = 0x12, the rest 0", () => {
  const { r } = uart();
  assert.equal(r(0x18), 0x90);
  assert.equal(r(0x30), 0x300);
  assert.equal(r(0x34), 0x12);
  for (const off of [0x00, 0x04, 0x20, 0x24, 0x28, 0x2c, 0x38, 0x3c, 0x40, 0x48]) assert.equal(r(off), 0, `0x${off.toString(16)}`);
});

test("PeriphID0-3 and PCellID0-3 read 0x11 0x10 0x34 0x00 / 0x0D 0xF0 0x05 0xB1 (AMBA id 0x00341011)", () => {
  const { r } = uart();
  assert.deepEqual([0xfe0, 0xfe4, 0xfe8, 0xfec].map(r), [0x11, 0x10, 0x34, 0x00]);
  assert.deepEqual([0xff0, 0xff4, 0xff8, 0xffc].map(r), [0x0d, 0xf0, 0x05, 0xb1]);
});

test("register widths: IBRD 16 bits, FBRD 6 bits, LCR_H 8, CR without bits 6:3, IFLS 6, IMSC 11, DMACR 3", () => {
  const { r, w } = uart();
  const widths: [number, number][] = [[0x20, 0xff], [0x24, 0xffff], [0x28, 0x3f], [0x2c, 0xff], [0x30, 0xff87], [0x34, 0x3f], [0x38, 0x7ff], [0x48, 0x7]];
  for (const [off, mask] of widths) {
    w(off, 0xffffffff);
    assert.equal(r(off), mask, `0x${off.toString(16)}`);
  }
});

test("DR write transmits the low byte and raises TXRIS; ICR.TXIC clears it; IMSC gates the line", () => {
  const { r, w, sent, line } = uart();
  w(0x00, 0x141);
  assert.deepEqual(sent, [0x41]);
  assert.equal(r(0x3c) & 0x20, 0x20);
  assert.equal(r(0x40), 0);
  assert.equal(line(), false);
  w(0x38, 0x20);
  assert.equal(r(0x40), 0x20);
  assert.equal(line(), true);
  w(0x44, 0x20);
  assert.equal(r(0x3c) & 0x20, 0);
  assert.equal(line(), false);
  assert.equal(r(0x18) & 0xa8, 0x80, "TX FIFO empty, never full or busy");
});

test("RX without FIFOs: one-byte holding register, RXFF at 1, RX and RT interrupts, reads clear them", () => {
  const { u, r, w, line } = uart();
  w(0x38, 0x50);
  assert.equal(u.receive(Uint8Array.of(0x61, 0x62)), 1);
  assert.equal(r(0x18) & 0x50, 0x40, "RXFF set, RXFE clear");
  assert.equal(r(0x3c) & 0x50, 0x50);
  assert.equal(line(), true);
  assert.equal(r(0x00), 0x61);
  assert.equal(r(0x18) & 0x50, 0x10);
  assert.equal(r(0x3c) & 0x50, 0);
  assert.equal(line(), false);
  assert.equal(r(0x00), 0, "empty FIFO reads 0");
});

test("RX with FIFOs: 32 entries, RX interrupt at the IFLS trigger level, RT whenever data waits", () => {
  const { u, r, w } = uart();
  w(0x2c, 0x70); // FEN, 8 bits
  w(0x38, 0x50);
  // IFLS reset 0x12: RXIFLSEL = 010 = 1/2 full = 16 entries.
  assert.equal(u.receive(new Uint8Array(15).fill(0x30)), 15);
  assert.equal(r(0x3c) & 0x50, 0x40, "RT only below the trigger");
  u.receive(Uint8Array.of(0x31));
  assert.equal(r(0x3c) & 0x50, 0x50, "RX at 16");
  r(0x00);
  assert.equal(r(0x3c) & 0x50, 0x40, "RX clears when the level drops below 16");
  w(0x44, 0x40);
  assert.equal(r(0x3c) & 0x50, 0, "ICR.RTIC");
  assert.equal(u.receive(new Uint8Array(40)), 17, "32 entries in all");
  assert.equal(r(0x18) & 0x50, 0x40);
  assert.equal(u.rxSpace(), 0);
  for (let i = 0; i < 32; i++) r(0x00);
  assert.equal(r(0x18) & 0x50, 0x10);
  assert.equal(r(0x3c) & 0x50, 0);
});

test("IFLS RXIFLSEL 1/8, 1/4, 3/4, 7/8 → 4, 8, 24, 28 entries", () => {
  for (const [sel, level] of [[0, 4], [1, 8], [3, 24], [4, 28]] as const) {
    const { u, r, w } = uart();
    w(0x2c, 0x10);
    w(0x34, sel << 3);
    u.receive(new Uint8Array(level - 1));
    assert.equal(r(0x3c) & 0x10, 0, `sel ${sel} below`);
    u.receive(new Uint8Array(1));
    assert.equal(r(0x3c) & 0x10, 0x10, `sel ${sel} at ${level}`);
  }
});

test("data is received in order and rxSpaceAvailable fires on reads", () => {
  let calls = 0;
  const u = new Pl011({ irq: { set() {} }, transmit() {}, rxSpaceAvailable: () => calls++ });
  u.mmioWrite(0x2c, 4, 0x10);
  u.receive(new TextEncoder().encode("hello"));
  let s = "";
  while (!(u.mmioRead(0x18, 4) & 0x10)) s += String.fromCharCode(u.mmioRead(0x00, 4));
  assert.equal(s, "hello");
  assert.equal(calls, 5);
});

test("byte and halfword reads see the register's bytes; reset() restores reset values and lowers the line", () => {
  const { u, r, w, line } = uart();
  assert.equal(u.mmioRead(0x31, 1), 0x03);
  assert.equal(u.mmioRead(0x30, 2), 0x300);
  w(0x38, 0x20);
  w(0x00, 0x41);
  assert.equal(line(), true);
  u.reset();
  assert.equal(line(), false);
  assert.equal(r(0x38), 0);
  assert.equal(r(0x30), 0x300);
});
