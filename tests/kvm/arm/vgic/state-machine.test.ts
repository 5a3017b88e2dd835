// The GICv2 interrupt state machine as ARM IHI 0048B specifies it (without Security Extensions) and
// KVM's vGIC models it (reference §3.5, §10.1–§10.3): acknowledge / EOI / deactivate, priority mask,
// preemption by group priority with the binary point, running priority, SGI source CPUs, PPIs per CPU,
// SPI targets, level versus edge, EOImode split with GICC_DIR, group 0 as FIQ, AckCtl and the aliases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { C, D, IRQ_TYPE, bit, enableIrq, readyGic } from "./gic.js";

test("edge SPI: pending → IRQ raised; IAR acknowledges (active, IRQ drops, RPR = priority); EOIR deactivates and drops", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 40, 0xa0);
  assert.equal(g.vgic.irqLine(IRQ_TYPE.SPI, 0, 40, true), 0);
  assert.deepEqual(g.lines[0], { irq: true, fiq: false });
  assert.ok(bit(g, 0, D.ISPENDR, 40));
  assert.equal(g.cr(0, C.HPPIR), 40);
  assert.equal(g.cr(0, C.IAR), 40);
  assert.deepEqual(g.lines[0], { irq: false, fiq: false });
  assert.ok(bit(g, 0, D.ISACTIVER, 40));
  assert.ok(!bit(g, 0, D.ISPENDR, 40));
  assert.equal(g.cr(0, C.RPR), 0xa0);
  assert.equal(g.cr(0, C.APR0), 1 << (0xa0 >> 3), "APR0 bit for preemption level 0xA0");
  assert.equal(g.cr(0, C.IAR), 1023, "nothing else pending");
  g.cw(0, C.EOIR, 40);
  assert.ok(!bit(g, 0, D.ISACTIVER, 40));
  assert.equal(g.cr(0, C.RPR), 0xff);
  assert.equal(g.cr(0, C.APR0), 0);
});

test("edge SPI: level=0 does not clear a latched edge; a new edge while active is taken after deactivation", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 33, 0x80);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 33, true);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 33, false);
  assert.ok(bit(g, 0, D.ISPENDR, 33), "edge stays latched");
  assert.equal(g.cr(0, C.IAR), 33);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 33, true);
  assert.ok(bit(g, 0, D.ISPENDR, 33) && bit(g, 0, D.ISACTIVER, 33), "active and pending");
  assert.equal(g.lines[0]!.irq, false, "active and pending is not signalled");
  assert.equal(g.cr(0, C.IAR), 1023);
  g.cw(0, C.EOIR, 33);
  assert.equal(g.lines[0]!.irq, true);
  assert.equal(g.cr(0, C.IAR), 33);
  g.cw(0, C.EOIR, 33);
  assert.equal(g.cr(0, C.IAR), 1023);
});

test("level SPI: pending follows the line; acknowledged while high it stays pending and is taken again after EOI", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 34, 0x40);
  g.dw(0, D.ICFGR + 8, 0); // INTIDs 32..47 level-sensitive
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 34, true);
  assert.equal(g.cr(0, C.IAR), 34);
  assert.ok(bit(g, 0, D.ISPENDR, 34) && bit(g, 0, D.ISACTIVER, 34), "line still high: active and pending");
  g.cw(0, C.EOIR, 34);
  assert.equal(g.lines[0]!.irq, true, "re-asserted");
  assert.equal(g.cr(0, C.IAR), 34);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 34, false);
  assert.ok(!bit(g, 0, D.ISPENDR, 34), "line low: no longer pending");
  g.cw(0, C.EOIR, 34);
  assert.equal(g.cr(0, C.IAR), 1023);
  assert.equal(g.lines[0]!.irq, false);
});

test("level SPI: ICPENDR clears only the latch (line high keeps it pending); ISPENDR latches with the line low", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 35, 0x40);
  g.dw(0, D.ICFGR + 8, 0);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 35, true);
  g.dw(0, D.ICPENDR + 4, 1 << 3);
  assert.ok(bit(g, 0, D.ISPENDR, 35));
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 35, false);
  assert.ok(!bit(g, 0, D.ISPENDR, 35));
  g.dw(0, D.ISPENDR + 4, 1 << 3);
  assert.ok(bit(g, 0, D.ISPENDR, 35));
  assert.equal(g.cr(0, C.IAR), 35);
  assert.ok(!bit(g, 0, D.ISPENDR, 35), "acknowledge consumed the latch");
});

test("priority mask: signalled only when priority is strictly higher (lower value) than GICC_PMR", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 36, 0xa0);
  g.cw(0, C.PMR, 0xa0);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 36, true);
  assert.equal(g.lines[0]!.irq, false);
  assert.equal(g.cr(0, C.IAR), 1023);
  assert.equal(g.cr(0, C.HPPIR), 36, "HPPIR ignores the priority mask");
  g.cw(0, C.PMR, 0xa8);
  assert.equal(g.lines[0]!.irq, true);
  assert.equal(g.cr(0, C.IAR), 36);
});

test("nothing is signalled with the distributor or the group disabled", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 37, 0x10);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 37, true);
  assert.equal(g.lines[0]!.irq, true);
  g.dw(0, D.CTLR, 0);
  assert.equal(g.lines[0]!.irq, false);
  assert.equal(g.cr(0, C.IAR), 1023);
  g.dw(0, D.CTLR, 1);
  g.cw(0, C.CTLR, 0x2); // EnableGrp1 only: a group 0 interrupt stays quiet
  assert.equal(g.lines[0]!.irq, false);
  g.cw(0, C.CTLR, 0x1);
  assert.equal(g.lines[0]!.irq, true);
  g.dw(0, D.ICENABLER + 4, 1 << 5);
  assert.equal(g.lines[0]!.irq, false, "disabled interrupt not forwarded");
});

test("preemption by group priority: BPR 2 lets 0x88 preempt 0x90; BPR 5 (group bits 7..6) does not; 0x78 does", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 40, 0x90);
  enableIrq(g, 0, 41, 0x88);
  enableIrq(g, 0, 42, 0x78);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 40, true);
  assert.equal(g.cr(0, C.IAR), 40);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 41, true);
  assert.equal(g.lines[0]!.irq, true, "0x88 & 0xF8 < 0x90");
  assert.equal(g.cr(0, C.IAR), 41);
  assert.equal(g.cr(0, C.RPR), 0x88);
  g.cw(0, C.EOIR, 41);
  assert.equal(g.cr(0, C.RPR), 0x90, "priority drop restores the preempted level");
  g.cw(0, C.EOIR, 40);
  assert.equal(g.cr(0, C.RPR), 0xff);

  g.cw(0, C.BPR, 5);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 40, true);
  assert.equal(g.cr(0, C.IAR), 40);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 41, true);
  assert.equal(g.lines[0]!.irq, false, "0x88 & 0xC0 == 0x90 & 0xC0: no preemption");
  assert.equal(g.cr(0, C.IAR), 1023);
  assert.equal(g.cr(0, C.HPPIR), 41);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 42, true);
  assert.equal(g.lines[0]!.irq, true, "0x78 & 0xC0 = 0x40 < 0x80");
  assert.equal(g.cr(0, C.IAR), 42);
  g.cw(0, C.EOIR, 42);
  g.cw(0, C.EOIR, 40);
  assert.equal(g.cr(0, C.IAR), 41, "the held-off interrupt is taken once idle");
});

test("equal priority: the lowest INTID is taken first", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 50, 0x60);
  enableIrq(g, 0, 45, 0x60);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 50, true);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 45, true);
  assert.equal(g.cr(0, C.IAR), 45);
  g.cw(0, C.EOIR, 45);
  assert.equal(g.cr(0, C.IAR), 50);
});

test("SGIs: GICD_SGIR target list, all-but-self, self; IAR carries the source CPU in bits 12..10", () => {
  const g = readyGic(3);
  for (let cpu = 0; cpu < 3; cpu++) {
    g.cw(cpu, C.CTLR, 1);
    g.cw(cpu, C.PMR, 0xf8);
  }
  g.dw(0, D.CTLR, 1);
  g.dw(0, D.SGIR, (0 << 24) | (0x02 << 16) | 3); // cpu0 → cpu1, SGI 3
  assert.deepEqual([g.lines[0]!.irq, g.lines[1]!.irq, g.lines[2]!.irq], [false, true, false]);
  assert.equal(g.cr(1, C.IAR), 3 | (0 << 10));
  g.cw(1, C.EOIR, 3);
  g.dw(2, D.SGIR, (1 << 24) | 7); // cpu2 → all but self
  assert.equal(g.cr(0, C.IAR), 7 | (2 << 10));
  assert.equal(g.cr(1, C.IAR), 7 | (2 << 10));
  assert.equal(g.cr(2, C.IAR), 1023);
  g.cw(0, C.EOIR, 7 | (2 << 10));
  g.cw(1, C.EOIR, 7 | (2 << 10));
  g.dw(1, D.SGIR, (2 << 24) | (0x01 << 16) | 9); // self: the list is ignored
  assert.equal(g.cr(1, C.IAR), 9 | (1 << 10));
  assert.equal(g.cr(0, C.IAR), 1023);
  g.dw(0, D.SGIR, (3 << 24) | (0x07 << 16) | 1); // filter 3: reserved, nothing sent
  for (let cpu = 0; cpu < 3; cpu++) assert.ok(!bit(g, cpu, D.ISPENDR, 1));
});

test("SGIs: one pending bit per source; sources taken lowest first; SPENDSGIR/CPENDSGIR; ISPENDR/ICPENDR WI for SGIs", () => {
  const g = readyGic(3);
  g.dw(0, D.CTLR, 1);
  g.cw(1, C.CTLR, 1);
  g.cw(1, C.PMR, 0xf8);
  g.dw(2, D.SGIR, (0x02 << 16) | 5);
  g.dw(0, D.SGIR, (0x02 << 16) | 5);
  assert.equal(g.dr(1, D.SPENDSGIR + 5, 1), 0x05, "sources 0 and 2 for SGI 5 (byte 0xF25)");
  assert.equal(g.dr(1, D.CPENDSGIR + 4), 0x00000500, "word access: SGI 5 is byte 1 of the word at 0xF14");
  assert.equal(g.cr(1, C.IAR), 5 | (0 << 10));
  assert.equal(g.dr(1, D.SPENDSGIR + 5, 1), 0x04);
  assert.equal(g.cr(1, C.IAR), 1023, "SGI 5 is active: the other source waits");
  g.cw(1, C.EOIR, 5 | (0 << 10));
  assert.equal(g.cr(1, C.IAR), 5 | (2 << 10));
  g.cw(1, C.EOIR, 5 | (2 << 10));
  g.dw(1, D.SPENDSGIR, 0x00000300); // SGI 1 from sources 0 and 1
  assert.ok(bit(g, 1, D.ISPENDR, 1));
  g.dw(1, D.CPENDSGIR, 0x00000100, 4);
  assert.equal(g.dr(1, D.SPENDSGIR, 4), 0x00000200);
  g.dw(1, D.CPENDSGIR + 1, 0x02, 1);
  assert.ok(!bit(g, 1, D.ISPENDR, 1));
  g.dw(1, D.ISPENDR, 0xffff);
  assert.equal(g.dr(1, D.ISPENDR) & 0xffff, 0, "set-pending ignores SGI bits");
  g.dw(2, D.SGIR, (0x02 << 16) | 4);
  g.dw(1, D.ICPENDR, 0xffff);
  assert.ok(bit(g, 1, D.ISPENDR, 4), "clear-pending ignores SGI bits");
  g.dw(1, D.SPENDSGIR + 8, 0xff, 1);
  assert.equal(g.dr(1, D.SPENDSGIR + 8, 1), 0x07, "source bits of nonexistent CPUs are dropped");
});

test("PPIs are per CPU: KVM_IRQ_LINE PPI and setPpiLevel reach only the named vCPU; level-sensitive", () => {
  const g = readyGic(2);
  enableIrq(g, 1, 27, 0x20);
  g.vgic.setPpiLevel(1, 27, true);
  assert.ok(bit(g, 1, D.ISPENDR, 27));
  assert.ok(!bit(g, 0, D.ISPENDR, 27));
  assert.deepEqual([g.lines[0]!.irq, g.lines[1]!.irq], [false, true]);
  assert.equal(g.cr(1, C.IAR), 27);
  g.cw(1, C.EOIR, 27);
  assert.equal(g.cr(1, C.IAR), 27, "timer line still high: taken again");
  g.vgic.setPpiLevel(1, 27, false);
  g.cw(1, C.EOIR, 27);
  assert.equal(g.cr(1, C.IAR), 1023);
  assert.equal(g.vgic.irqLine(IRQ_TYPE.PPI, 1, 27, true), 0);
  assert.ok(bit(g, 1, D.ISPENDR, 27));
  assert.ok(!bit(g, 0, D.ISENABLER, 27), "enables are banked too");
});

test("SPI with several targets goes to the lowest-numbered vCPU (KVM's target_vcpu); retargeting moves it", () => {
  const g = readyGic(3);
  for (let cpu = 0; cpu < 3; cpu++) enableIrq(g, cpu, 60, 0x30);
  g.dw(0, D.ITARGETSR + 60, 0x06, 1);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 60, true);
  assert.deepEqual([g.lines[0]!.irq, g.lines[1]!.irq, g.lines[2]!.irq], [false, true, false]);
  g.dw(0, D.ITARGETSR + 60, 0x04, 1);
  assert.deepEqual([g.lines[1]!.irq, g.lines[2]!.irq], [false, true]);
  assert.equal(g.cr(2, C.IAR), 60);
  g.dw(0, D.ITARGETSR + 60, 0x00, 1);
  g.cw(2, C.EOIR, 60);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 60, true);
  assert.deepEqual([g.lines[0]!.irq, g.lines[1]!.irq, g.lines[2]!.irq], [false, false, false], "no target: not forwarded");
});

test("EOImode 1: EOIR only drops priority; the interrupt stays active until GICC_DIR; DIR ignored with EOImode 0", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 44, 0x50, 0x201);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 44, true);
  assert.equal(g.cr(0, C.IAR), 44);
  g.cw(0, C.EOIR, 44);
  assert.equal(g.cr(0, C.RPR), 0xff);
  assert.ok(bit(g, 0, D.ISACTIVER, 44), "still active after the priority drop");
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 44, true);
  assert.equal(g.lines[0]!.irq, false, "not signalled while active");
  g.cw(0, C.DIR, 44);
  assert.ok(!bit(g, 0, D.ISACTIVER, 44));
  assert.equal(g.lines[0]!.irq, true);
  assert.equal(g.cr(0, C.IAR), 44);
  g.cw(0, C.CTLR, 1); // EOImode 0
  g.cw(0, C.DIR, 44);
  assert.ok(bit(g, 0, D.ISACTIVER, 44), "DIR with EOImode 0 does nothing");
  g.cw(0, C.EOIR, 44);
  assert.ok(!bit(g, 0, D.ISACTIVER, 44));
});

test("group 0 is signalled as FIQ when FIQEn is set, as IRQ otherwise; group 1 always as IRQ", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 46, 0x50, 0x1 | 0x2 | 0x8);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 46, true);
  assert.deepEqual(g.lines[0], { irq: false, fiq: true });
  g.cw(0, C.CTLR, 0x3);
  assert.deepEqual(g.lines[0], { irq: true, fiq: false });
  g.dw(0, D.IGROUPR + 4, 1 << 14);
  g.cw(0, C.CTLR, 0x3 | 0x8);
  assert.deepEqual(g.lines[0], { irq: true, fiq: false });
});

test("group 1: IAR/HPPIR read 1022 unless AckCtl; AIAR/AHPPIR take it; AIAR reads 1022 for group 0", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 47, 0x50, 0x3);
  g.dw(0, D.IGROUPR + 4, 1 << 15);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 47, true);
  assert.equal(g.cr(0, C.HPPIR), 1022);
  assert.equal(g.cr(0, C.AHPPIR), 47);
  assert.equal(g.cr(0, C.IAR), 1022);
  assert.ok(!bit(g, 0, D.ISACTIVER, 47), "1022 acknowledges nothing");
  assert.equal(g.cr(0, C.AIAR), 47);
  g.cw(0, C.AEOIR, 47);
  assert.ok(!bit(g, 0, D.ISACTIVER, 47));
  g.cw(0, C.CTLR, 0x3 | 0x4); // AckCtl
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 47, true);
  assert.equal(g.cr(0, C.IAR), 47);
  g.cw(0, C.EOIR, 47);
  enableIrq(g, 0, 48, 0x50, 0x3);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 48, true);
  assert.equal(g.cr(0, C.AIAR), 1022);
  assert.equal(g.cr(0, C.AHPPIR), 1022);
  assert.equal(g.cr(0, C.IAR), 48);
});

test("group 1 preemption uses ABPR unless CBPR: ABPR 3 is the same 5-bit split as BPR 2; CBPR with BPR 7 forbids it", () => {
  for (const cbpr of [false, true]) {
    const g = readyGic(1);
    const ctlr = 0x3 | 0x4 | (cbpr ? 0x10 : 0);
    enableIrq(g, 0, 52, 0x90, ctlr);
    enableIrq(g, 0, 53, 0x88, ctlr);
    g.dw(0, D.IGROUPR + 4, (1 << 20) | (1 << 21));
    g.cw(0, C.BPR, 7); // no group priority bits: governs group 1 only with CBPR
    g.vgic.irqLine(IRQ_TYPE.SPI, 0, 52, true);
    assert.equal(g.cr(0, C.IAR), 52);
    g.vgic.irqLine(IRQ_TYPE.SPI, 0, 53, true);
    assert.equal(g.lines[0]!.irq, !cbpr, cbpr ? "CBPR, BPR 7: no preemption" : "ABPR 3: 0x88 preempts 0x90");
  }
});

test("the outputs are reported only when they change", () => {
  const g = readyGic(1);
  enableIrq(g, 0, 54, 0x50);
  const before = g.reports();
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 54, true);
  g.vgic.irqLine(IRQ_TYPE.SPI, 0, 54, true);
  g.dw(0, D.IPRIORITYR + 54, 0x48, 1);
  assert.equal(g.reports(), before + 1);
});
