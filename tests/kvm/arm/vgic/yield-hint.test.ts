// The run loop's directed-yield hints (src/kvm/arm/run.ts): the vGIC tells the run loop which vCPU
// should hand the thread to the others — one that sent an SGI to another vCPU (Linux then usually
// spins until the target has run the function) and one that ended an SGI (EOI: the IPI's work is
// done, its sender may be spinning). A hint is taken once. SGIs to oneself and SPIs give none; on a
// one-vCPU VM nothing is hinted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { C, D, enableIrq, readyGic } from "./gic.js";

test("an SGI to another vCPU hints its sender; an SGI to itself does not", () => {
  const g = readyGic(2);
  enableIrq(g, 1, 1, 0xa0);
  assert.equal(g.vgic.yieldHint(0), false);
  g.dw(0, D.SGIR, (2 << 24) | 1); // to itself
  assert.equal(g.vgic.yieldHint(0), false);
  g.dw(0, D.SGIR, (2 << 16) | 1); // target list: CPU 1
  assert.equal(g.vgic.yieldHint(0), true);
  assert.equal(g.vgic.yieldHint(0), false, "taken once");
  assert.equal(g.vgic.yieldHint(1), false, "the target is not hinted by the send");
});

test("the target's EOI of the SGI hints the target; an SPI's EOI does not", () => {
  const g = readyGic(2);
  enableIrq(g, 1, 1, 0xa0);
  enableIrq(g, 1, 40, 0xa0);
  g.dw(1, D.ITARGETSR + 40, 2, 1);
  g.dw(0, D.SGIR, (2 << 16) | 1);
  g.vgic.yieldHint(0);
  const iar = g.cr(1, C.IAR);
  assert.equal(iar & 0x3ff, 1);
  assert.equal(g.vgic.yieldHint(1), false, "acknowledging is not enough");
  g.cw(1, C.EOIR, iar);
  assert.equal(g.vgic.yieldHint(1), true);
  g.vgic.irqLine(1, 0, 40, true);
  const spi = g.cr(1, C.IAR);
  assert.equal(spi, 40);
  g.cw(1, C.EOIR, spi);
  assert.equal(g.vgic.yieldHint(1), false);
});

test("one vCPU: its SGIs to itself and their EOIs give no hint", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 2, 0xa0);
  g.dw(0, D.SGIR, (2 << 24) | 2);
  const iar = g.cr(0, C.IAR);
  assert.equal(iar & 0x3ff, 2);
  g.cw(0, C.EOIR, iar);
  assert.equal(g.vgic.yieldHint(0), false);
});
