// Distributor and CPU interface reset values, masks and access widths: reference kvm-arm32-abi.md
// §10.1–§10.3 and ARM IHI 0048B (GICv2 without Security Extensions, 5 priority bits).
import { test } from "node:test";
import assert from "node:assert/strict";
import { C, D, readyGic } from "./gic.js";

test("GICD_TYPER encodes ITLinesNumber and CPUNumber: 0x07, 0x27, 0x67, 0xE7 for 1, 2, 4, 8 vCPUs (256 IRQs)", () => {
  const expected: [number, number][] = [[1, 0x07], [2, 0x27], [4, 0x67], [8, 0xe7]];
  for (const [cpus, typer] of expected) assert.equal(readyGic(cpus).dr(0, D.TYPER), typer, `${cpus} vCPUs`);
  // 64 interrupts: ITLinesNumber = 64/32 - 1 = 1; 1024: 31.
  assert.equal(readyGic(1, 64).dr(0, D.TYPER), 0x01);
  assert.equal(readyGic(3, 1024).dr(0, D.TYPER), 0x1f | (2 << 5));
});

test("distributor reset state (§10.1): disabled, IIDR 0x4B00243B, group 0, priority 0, SGIs enabled edge, PPIs disabled level, SPIs edge with no target", () => {
  const g = readyGic(2);
  assert.equal(g.dr(0, D.CTLR), 0);
  assert.equal(g.dr(0, D.IIDR), 0x4b00243b);
  for (let n = 0; n < 8; n++) {
    assert.equal(g.dr(0, D.IGROUPR + 4 * n), 0, `IGROUPR${n}`);
    assert.equal(g.dr(1, D.ISPENDR + 4 * n), 0, `ISPENDR${n}`);
    assert.equal(g.dr(1, D.ISACTIVER + 4 * n), 0, `ISACTIVER${n}`);
  }
  assert.equal(g.dr(0, D.ISENABLER), 0x0000ffff);
  assert.equal(g.dr(1, D.ICENABLER), 0x0000ffff);
  assert.equal(g.dr(0, D.ISENABLER + 4), 0);
  for (let n = 0; n < 64; n++) assert.equal(g.dr(0, D.IPRIORITYR + 4 * n), 0);
  assert.equal(g.dr(0, D.ICFGR), 0xaaaaaaaa, "SGIs edge");
  assert.equal(g.dr(0, D.ICFGR + 4), 0, "PPIs level");
  for (let n = 2; n < 16; n++) assert.equal(g.dr(0, D.ICFGR + 4 * n), 0xaaaaaaaa, `ICFGR${n}: SPIs edge`);
  for (let n = 0; n < 8; n++) {
    assert.equal(g.dr(0, D.ITARGETSR + 4 * n), 0x01010101, "private targets read the own CPU");
    assert.equal(g.dr(1, D.ITARGETSR + 4 * n), 0x02020202);
  }
  assert.equal(g.dr(0, D.ITARGETSR + 32), 0, "SPI targets reset to none");
  assert.equal(g.dr(0, D.SGIR), 0, "GICD_SGIR is write-only");
  assert.equal(g.dr(0, 0xfe8), 0, "ID registers RAZ");
});

test("CPU interface reset state: CTLR 0, PMR 0, BPR 2, ABPR 3 (5 priority bits), RPR idle 0xFF, IAR spurious, IIDR 0x04B2043B", () => {
  const g = readyGic(1);
  assert.equal(g.cr(0, C.CTLR), 0);
  assert.equal(g.cr(0, C.PMR), 0);
  assert.equal(g.cr(0, C.BPR), 2);
  assert.equal(g.cr(0, C.ABPR), 3);
  assert.equal(g.cr(0, C.RPR), 0xff);
  assert.equal(g.cr(0, C.IAR), 1023);
  assert.equal(g.cr(0, C.HPPIR), 1023);
  assert.equal(g.cr(0, C.APR0), 0);
  assert.equal(g.cr(0, C.IIDR), 0x04b2043b);
});

test("GICD_CTLR keeps only bit 0; TYPER and IIDR ignore writes", () => {
  const g = readyGic(1);
  g.dw(0, D.CTLR, 0xffffffff);
  assert.equal(g.dr(0, D.CTLR), 1);
  g.dw(0, D.TYPER, 0);
  g.dw(0, D.IIDR, 0);
  assert.equal(g.dr(0, D.TYPER), 0x07);
  assert.equal(g.dr(0, D.IIDR), 0x4b00243b);
});

test("IPRIORITYR keeps the top 5 bits, by byte and by word; halfword accesses RAZ/WI", () => {
  const g = readyGic(1);
  g.dw(0, D.IPRIORITYR + 33, 0xff, 1);
  assert.equal(g.dr(0, D.IPRIORITYR + 33, 1), 0xf8);
  assert.equal(g.dr(0, D.IPRIORITYR + 32), 0x0000f800);
  g.dw(0, D.IPRIORITYR + 40, 0x12345678);
  assert.equal(g.dr(0, D.IPRIORITYR + 40), 0x10305078);
  g.dw(0, D.IPRIORITYR + 44, 0xffff, 2);
  assert.equal(g.dr(0, D.IPRIORITYR + 44), 0, "16-bit write ignored");
  assert.equal(g.dr(0, D.IPRIORITYR + 40, 2), 0, "16-bit read is zero");
  g.dw(0, D.IPRIORITYR + 48, 0xffffffff);
  assert.equal(g.dr(0, D.IPRIORITYR + 49), 0, "misaligned word read is zero");
});

test("word-only registers ignore byte accesses; misaligned words RAZ/WI", () => {
  const g = readyGic(1);
  g.dw(0, D.ISENABLER + 4, 0xff, 1);
  assert.equal(g.dr(0, D.ISENABLER + 4), 0);
  assert.equal(g.dr(0, D.ISENABLER, 1), 0, "byte read of ISENABLER0 reads zero");
  g.dw(0, D.CTLR + 2, 1);
  assert.equal(g.dr(0, D.CTLR), 0);
});

test("ITARGETSR: SPI targets masked to existing vCPUs; private bytes read-only", () => {
  const g = readyGic(2);
  g.dw(0, D.ITARGETSR + 32, 0xff, 1);
  assert.equal(g.dr(0, D.ITARGETSR + 32, 1), 0x03);
  g.dw(1, D.ITARGETSR + 36, 0x01020304);
  assert.equal(g.dr(0, D.ITARGETSR + 36), 0x01020300, "0x04 names no vCPU; 0x03 keeps both");
  g.dw(0, D.ITARGETSR + 16, 0xffffffff);
  assert.equal(g.dr(0, D.ITARGETSR + 16), 0x01010101);
});

test("ICFGR: SGI and PPI fields read-only; SPI bit 1 selects edge, bit 0 reads zero", () => {
  const g = readyGic(1);
  g.dw(0, D.ICFGR, 0);
  g.dw(0, D.ICFGR + 4, 0xffffffff);
  assert.equal(g.dr(0, D.ICFGR), 0xaaaaaaaa);
  assert.equal(g.dr(0, D.ICFGR + 4), 0);
  g.dw(0, D.ICFGR + 8, 0x55555555);
  assert.equal(g.dr(0, D.ICFGR + 8), 0, "all level");
  g.dw(0, D.ICFGR + 8, 0xffffffff);
  assert.equal(g.dr(0, D.ICFGR + 8), 0xaaaaaaaa);
});

test("enable, group and active bits: set/clear registers; interrupts at or above nr_irqs RAZ/WI", () => {
  const g = readyGic(1);
  g.dw(0, D.ISENABLER + 4, 0x80000001);
  assert.equal(g.dr(0, D.ISENABLER + 4), 0x80000001);
  g.dw(0, D.ICENABLER + 4, 0x00000001);
  assert.equal(g.dr(0, D.ICENABLER + 4), 0x80000000);
  g.dw(0, D.ICENABLER, 0x00000003);
  assert.equal(g.dr(0, D.ISENABLER), 0x0000fffc, "SGIs can be disabled");
  g.dw(0, D.IGROUPR + 8, 0xf0f0f0f0);
  assert.equal(g.dr(0, D.IGROUPR + 8), 0xf0f0f0f0, "the guest writes groups (IIDR revision 2)");
  g.dw(0, D.ISACTIVER + 4, 0x4);
  assert.equal(g.dr(0, D.ICACTIVER + 4), 0x4);
  g.dw(0, D.ICACTIVER + 4, 0x4);
  assert.equal(g.dr(0, D.ISACTIVER + 4), 0);
  // 256 interrupts: ISENABLER8 would be INTIDs 256..287.
  g.dw(0, D.ISENABLER + 32, 0xffffffff);
  assert.equal(g.dr(0, D.ISENABLER + 32), 0);
  g.dw(0, D.IPRIORITYR + 256, 0xff, 1);
  assert.equal(g.dr(0, D.IPRIORITYR + 256, 1), 0);
  const small = readyGic(1, 64);
  small.dw(0, D.ISENABLER + 8, 0xffffffff);
  assert.equal(small.dr(0, D.ISENABLER + 8), 0, "64 interrupts: INTIDs 64..95 do not exist");
});

test("GICC_PMR keeps 5 bits; BPR and ABPR cannot go below 2 and 3; CTLR keeps bits 0-4 and 9", () => {
  const g = readyGic(1);
  g.cw(0, C.PMR, 0xff);
  assert.equal(g.cr(0, C.PMR), 0xf8);
  g.cw(0, C.BPR, 0);
  assert.equal(g.cr(0, C.BPR), 2);
  g.cw(0, C.BPR, 5);
  assert.equal(g.cr(0, C.BPR), 5);
  g.cw(0, C.ABPR, 1);
  assert.equal(g.cr(0, C.ABPR), 3);
  g.cw(0, C.ABPR, 7);
  assert.equal(g.cr(0, C.ABPR), 7);
  g.cw(0, C.CTLR, 0xffffffff);
  assert.equal(g.cr(0, C.CTLR), 0x21f);
  g.cw(0, C.PMR, 0x80, 1);
  assert.equal(g.cr(0, C.PMR), 0xf8, "byte write ignored");
});
