/**
 * PL031 against ARM DDI 0224 (PL031 TRM) chapter 3: DR/MR/LR/CR/IMSC/RIS/MIS/ICR at 0x00-0x1C,
 * reset values 0 (DR counting), the match interrupt, and PeriphID 0x31 0x10 0x04 0x00 / PCellID
 * 0x0D 0xF0 0x05 0xB1.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Pl031 } from "../../src/devices/pl031.js";

function rtc(startMs: number) {
  let now = startMs;
  const levels: boolean[] = [];
  const d = new Pl031({ irq: { set: (l) => levels.push(l) }, nowMs: () => now });
  return {
    d,
    line: () => levels.at(-1) ?? false,
    advance: (ms: number) => (now += ms),
    r: (o: number) => d.mmioRead(o, 4),
    w: (o: number, v: number) => d.mmioWrite(o, 4, v),
  };
}

test("DR is host seconds since the epoch; registers reset to 0; IDs", () => {
  const { r } = rtc(1_700_000_000_500);
  assert.equal(r(0x00), 1_700_000_000);
  for (const off of [0x04, 0x08, 0x0c, 0x10, 0x14, 0x18]) assert.equal(r(off), 0);
  assert.deepEqual([0xfe0, 0xfe4, 0xfe8, 0xfec, 0xff0, 0xff4, 0xff8, 0xffc].map(r), [0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
});

test("DR with the real clock is close to Date.now()", () => {
  const d = new Pl031({ irq: { set() {} } });
  assert.ok(Math.abs(d.mmioRead(0, 4) - Date.now() / 1000) < 2);
});

test("LR sets the counter, which keeps counting; LR reads back the loaded value", () => {
  const { r, w, advance } = rtc(1_000_000);
  w(0x08, 0xfffffffe);
  assert.equal(r(0x00), 0xfffffffe);
  assert.equal(r(0x08), 0xfffffffe);
  advance(3000);
  assert.equal(r(0x00), 1, "wraps modulo 2^32");
});

test("CR.RTCStart: set by writing 1, writes of 0 leave it set", () => {
  const { r, w } = rtc(0);
  w(0x0c, 1);
  assert.equal(r(0x0c), 1);
  w(0x0c, 0);
  assert.equal(r(0x0c), 1);
});

test("match interrupt: RIS when the counter reaches MR, MIS/line with IMSC, ICR clears", () => {
  const { d, r, w, advance, line } = rtc(10_000_250);
  w(0x04, 10_002);
  w(0x10, 1);
  assert.equal(d.msUntilMatch(), 1750);
  advance(1000);
  d.poll();
  assert.equal(r(0x14), 0);
  advance(1000);
  d.poll();
  assert.equal(r(0x14), 1);
  assert.equal(r(0x18), 1);
  assert.equal(line(), true);
  w(0x1c, 1);
  assert.equal(r(0x14), 0);
  assert.equal(line(), false);
});

test("a counter that passed MR between two polls still matches; masked match sets RIS only", () => {
  const { d, r, advance, w, line } = rtc(5_000);
  w(0x04, 7);
  advance(10_000);
  d.poll();
  assert.equal(r(0x14), 1);
  assert.equal(r(0x18), 0);
  assert.equal(line(), false);
  assert.equal(d.msUntilMatch(), Infinity);
});
