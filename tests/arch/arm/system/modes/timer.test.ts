/**
 * Generic timer semantics (ARM ARM B8.1, reference §11) on a counter the test controls: TVAL as a
 * signed 32-bit view of CVAL − count, CTL.ISTATUS, output level = ENABLE && !IMASK && ISTATUS,
 * CNTVOFF, and the next-event query an idle vCPU sleeps on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GenericTimer } from "../../../../../src/arch/arm/timer.js";

function timer(): { t: GenericTimer; set: (v: number) => void } {
  let now = 1000;
  const t = new GenericTimer(24_000_000, () => now);
  return { t, set: (v) => void (now = v) };
}

test("TVAL write sets CVAL = count + sign-extended value; TVAL reads CVAL - count truncated", () => {
  const { t, set } = timer();
  t.writeTval(t.virtual, 500);
  assert.equal(t.virtual.cval(), 1500);
  set(1600);
  assert.equal(t.readTval(t.virtual), -100);
  t.writeTval(t.virtual, 0xffffff00); // -256
  assert.equal(t.virtual.cval(), 1600 - 256);
});

test("output needs ENABLE, not IMASK, and CVAL <= count; ISTATUS reads only while enabled", () => {
  const { t, set } = timer();
  t.writeCval(t.physical, 2000, 0);
  t.writeCtl(t.physical, 1);
  assert.equal(t.physicalOutput, false);
  assert.equal(t.readCtl(t.physical), 1);
  set(2000);
  assert.equal(t.physicalOutput, true);
  assert.equal(t.readCtl(t.physical), 5);
  t.writeCtl(t.physical, 3 | 4); // IMASK; ISTATUS is read-only
  assert.equal(t.physicalOutput, false);
  assert.equal(t.readCtl(t.physical), 7);
  t.writeCtl(t.physical, 0);
  assert.equal(t.readCtl(t.physical), 0);
  assert.equal(t.kvmCtl(t.physical), 4, "ONE_REG TIMER_CTL reports ISTATUS regardless of ENABLE (§11)");
});

test("virtual timer compares against count - CNTVOFF; next event in ticks and ms", () => {
  const { t, set } = timer();
  t.cntvoff = 400;
  assert.equal(t.virtualCount(), 600);
  t.writeCval(t.virtual, 624, 0);
  t.writeCtl(t.virtual, 1);
  assert.equal(t.nextEventTicks(), 24);
  assert.equal(t.nextEventMs(), 0.001);
  set(1024);
  assert.equal(t.virtualOutput, true);
  assert.equal(t.nextEventTicks(), 0);
  t.writeCtl(t.virtual, 3);
  assert.equal(t.nextEventTicks(), Infinity);
});

test("a 64-bit CVAL keeps both halves exactly; a huge CVAL never fires", () => {
  const { t } = timer();
  t.writeCval(t.virtual, 0xffffffff, 0xffffffff);
  t.writeCtl(t.virtual, 1);
  assert.equal(t.virtual.cvalLo, 0xffffffff);
  assert.equal(t.virtual.cvalHi, 0xffffffff);
  assert.equal(t.virtualOutput, false);
});
