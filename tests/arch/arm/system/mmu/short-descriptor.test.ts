/**
 * Short-descriptor translation (ARM ARM B3.5) through ArmMmu: every descriptor type, the TTBCR.N
 * split, supersection PA extension, domains, AP[2:0] at PL0 and PL1, XN/PXN, the access flag under
 * SCTLR.AFE, TEX remap to device memory, and the fault types/levels/FS codes of Table B3-23.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCTLR_A, SCTLR_AFE, SCTLR_EE, SCTLR_M, SCTLR_TRE } from "../../../../../src/arch/arm/cp15/state.js";
import { ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE } from "../../../../../src/arch/arm/memory.js";
import {
  FAULT_ACCESS_FLAG, FAULT_ALIGNMENT, FAULT_DOMAIN, FAULT_EXTERNAL, FAULT_EXTERNAL_WALK, FAULT_PERMISSION, FAULT_TRANSLATION,
  STOP_DATA_ABORT, STOP_PREFETCH_ABORT,
} from "../../../../../src/arch/arm/stop.js";
import { RAM_HIGH, aborts, machine, type Machine } from "./harness.js";

const L1 = 0x0010_0000; // 16 KiB aligned
const L2 = 0x0010_4000;

interface Attr { ap?: number; domain?: number; xn?: boolean; pxn?: boolean; ng?: boolean; tex?: number; c?: number; b?: number }
/** First-level section descriptor (B3.5.1, Figure B3-4). */
function section(pa: number, a: Attr = {}): number {
  const ap = a.ap ?? 3;
  return (pa | 2 | ((a.b ?? 1) << 2) | ((a.c ?? 1) << 3) | (a.xn ? 1 << 4 : 0) | ((a.domain ?? 0) << 5) | ((ap & 3) << 10) |
    ((a.tex ?? 1) << 12) | ((ap >> 2) << 15) | (a.ng ? 1 << 17 : 0) | (a.pxn ? 1 : 0)) >>> 0;
}
/** Supersection: PA[31:24], PA[35:32] in bits 23:20, PA[39:36] in bits 8:5. */
function supersection(pa: number, a: Attr = {}): number {
  const hi = Math.floor(pa / 0x1_0000_0000);
  return ((section((pa % 0x1_0000_0000) & 0xff000000, a) & ~(15 << 5)) | (1 << 18) | ((hi & 15) << 20) | ((hi >> 4) << 5)) >>> 0;
}
function pageTable(l2: number, domain = 0, pxn = false): number {
  return (l2 | 1 | (pxn ? 4 : 0) | (domain << 5)) >>> 0;
}
function small(pa: number, a: Attr = {}): number {
  const ap = a.ap ?? 3;
  return (pa | 2 | (a.xn ? 1 : 0) | ((a.b ?? 1) << 2) | ((a.c ?? 1) << 3) | ((ap & 3) << 4) | ((a.tex ?? 1) << 6) |
    ((ap >> 2) << 9) | (a.ng ? 1 << 11 : 0)) >>> 0;
}
function large(pa: number, a: Attr = {}): number {
  const ap = a.ap ?? 3;
  return (pa | 1 | ((a.b ?? 1) << 2) | ((a.c ?? 1) << 3) | ((ap & 3) << 4) | ((ap >> 2) << 9) | (a.ng ? 1 << 11 : 0) |
    ((a.tex ?? 1) << 12) | (a.xn ? 1 << 15 : 0)) >>> 0;
}

function mmuOn(m: Machine, extra = 0): void {
  const cp = m.mmu.cp15;
  cp.ttbr0Lo = L1;
  cp.ttbcr = 0;
  cp.dacr = 0x55555555; // all clients
  cp.sctlr = SCTLR_M | extra;
  m.mmu.translationRegimeChanged();
}
const l1 = (m: Machine, va: number, d: number) => m.port.poke32(L1 + (va >>> 20) * 4, d);
const l2 = (m: Machine, va: number, d: number) => m.port.poke32(L2 + ((va >>> 12) & 0xff) * 4, d);

test("sections, small and large pages translate VA to the descriptor's PA", () => {
  const m = machine();
  m.port.poke32(0x0030_0040, 0x11111111);
  m.port.poke32(0x0040_2abc, 0x33333333);
  m.port.poke32(0x0041_fff0, 0x44444444);
  l1(m, 0x8000_0000, section(0x0030_0000));
  l1(m, 0x8200_0000, pageTable(L2));
  l2(m, 0x8200_1000, small(0x0040_2000));
  for (let i = 0; i < 16; i++) l2(m, 0x8201_0000 + i * 0x1000, large(0x0041_0000));
  mmuOn(m);
  assert.equal(m.mmu.read32(0x8000_0040) >>> 0, 0x11111111);
  assert.equal(m.mmu.read32(0x8200_1abc) >>> 0, 0x33333333);
  assert.equal(m.mmu.read32(0x8201_fff0) >>> 0, 0x44444444, "large page: VA[15:12] selects the 4 KiB page within it");
  m.mmu.write32(0x8000_0044, 0xabcd);
  assert.equal(m.port.peek32(0x0030_0044), 0xabcd);
  assert.equal(m.mmu.translate(0x8000_0123, ACCESS_READ), 0x0030_0123);
});

test("supersection: PA[39:32] from the extended base fields (40-bit output address)", () => {
  const m = machine();
  const pa = RAM_HIGH; // 0x12_3400_0000: 16 MiB aligned
  m.port.poke32(pa + 0x23_4560, 0x22222222);
  for (let i = 0; i < 16; i++) l1(m, 0x8100_0000 + (i << 20), supersection(pa));
  mmuOn(m);
  assert.equal(m.mmu.read32(0x8123_4560) >>> 0, 0x22222222);
  assert.equal(m.mmu.translate(0x8123_4567, ACCESS_READ), pa + 0x23_4567);
});

test("TTBCR.N splits VA between TTBR0 (low 2^(32-N)) and TTBR1", () => {
  const m = machine();
  const t0 = 0x0012_0000, t1 = 0x0014_0000; // N = 2: TTBR0 table 4 KiB (1024 entries)
  m.port.poke32(t0 + (0x3000_0000 >>> 20) * 4, section(0x0030_0000));
  m.port.poke32(t1 + (0x4000_0000 >>> 20) * 4, section(0x0050_0000));
  m.port.poke32(t1 + (0xc000_0000 >>> 20) * 4, section(0x0060_0000));
  m.port.poke32(0x0030_0000, 1);
  m.port.poke32(0x0050_0000, 2);
  m.port.poke32(0x0060_0000, 3);
  const cp = m.mmu.cp15;
  cp.ttbr0Lo = t0;
  cp.ttbr1Lo = t1;
  cp.ttbcr = 2;
  cp.dacr = 0x55555555;
  cp.sctlr = SCTLR_M;
  m.mmu.translationRegimeChanged();
  assert.equal(m.mmu.read32(0x3000_0000), 1, "VA < 0x40000000 walks TTBR0");
  assert.equal(m.mmu.read32(0x4000_0000), 2, "VA >= 0x40000000 walks TTBR1 (indexed by VA[31:20])");
  assert.equal(m.mmu.read32(0xc000_0000), 3);
  cp.ttbcr = 2 | 0x20; // PD1: no walks through TTBR1
  m.mmu.tlbInvalidateAll();
  m.mmu.translationRegimeChanged();
  const f = aborts(m, () => m.mmu.read32(0xc000_0000));
  assert.equal(f.type, FAULT_TRANSLATION);
  assert.equal(f.level, 1);
  assert.equal(m.mmu.read32(0x3000_0000), 1);
});

test("translation faults: section 0x05 (level 1), page 0x07 (level 2, with the domain); WnR via access", () => {
  const m = machine();
  l1(m, 0x8200_0000, pageTable(L2, 7));
  mmuOn(m);
  let f = aborts(m, () => m.mmu.read32(0x8300_0010));
  assert.deepEqual([f.reason, f.address, f.access, f.type, f.level, f.status, f.long], [STOP_DATA_ABORT, 0x8300_0010, ACCESS_READ, FAULT_TRANSLATION, 1, 0x05, false]);
  f = aborts(m, () => m.mmu.write8(0x8200_2008, 1));
  assert.deepEqual([f.access, f.type, f.level, f.domain, f.status], [ACCESS_WRITE, FAULT_TRANSLATION, 2, 7, 0x07]);
  f = aborts(m, () => m.mmu.fetchPage(0x8200_2000));
  assert.deepEqual([f.reason, f.access, f.status], [STOP_PREFETCH_ABORT, ACCESS_FETCH, 0x07]);
});

test("AP[2:0] at PL1 and PL0 follows Table B3-8 (sections and pages)", () => {
  // [AP, PL1 read, PL1 write, PL0 read, PL0 write]
  const table: [number, boolean, boolean, boolean, boolean][] = [
    [0b000, false, false, false, false], [0b001, true, true, false, false], [0b010, true, true, true, false],
    [0b011, true, true, true, true], [0b101, true, false, false, false], [0b110, true, false, true, false],
    [0b111, true, false, true, false],
  ];
  for (const [ap, pr, pw, ur, uw] of table) {
    const m = machine();
    l1(m, 0x8000_0000, section(0x0030_0000, { ap }));
    l1(m, 0x8200_0000, pageTable(L2));
    l2(m, 0x8200_0000, small(0x0040_0000, { ap }));
    mmuOn(m);
    for (const [va, level] of [[0x8000_0000, 1], [0x8200_0000, 2]] as const) {
      const expectations: [boolean, boolean, boolean][] = [[false, false, pr], [false, true, pw], [true, false, ur], [true, true, uw]];
      for (const [user, write, allowed] of expectations) {
        m.mmu.setUser(user);
        const access = () => (write ? m.mmu.write32(va, 5) : m.mmu.read32(va));
        const what = `AP=${ap.toString(2)} ${user ? "PL0" : "PL1"} ${write ? "write" : "read"} level ${level}`;
        if (allowed) assert.doesNotThrow(access, what);
        else {
          const f = aborts(m, access);
          assert.deepEqual([f.type, f.level, f.status], [FAULT_PERMISSION, level, level === 1 ? 0x0d : 0x0f], what);
        }
      }
    }
  }
});

test("domains: no access and reserved fault (0x09/0x0B), client checks AP, manager ignores AP and XN", () => {
  const m = machine();
  l1(m, 0x8400_0000, section(0x0030_0000, { domain: 3, ap: 0, xn: true }));
  l1(m, 0x8200_0000, pageTable(L2, 5));
  l2(m, 0x8200_0000, small(0x0040_0000, { ap: 0 }));
  mmuOn(m);
  const cp = m.mmu.cp15;
  for (const d of [0, 2]) {
    cp.dacr = (0x55555555 & ~(3 << 6) & ~(3 << 10)) | (d << 6) | (d << 10);
    m.mmu.translationRegimeChanged();
    let f = aborts(m, () => m.mmu.read32(0x8400_0000));
    assert.deepEqual([f.type, f.level, f.domain, f.status], [FAULT_DOMAIN, 1, 3, 0x09]);
    f = aborts(m, () => m.mmu.read32(0x8200_0000));
    assert.deepEqual([f.type, f.level, f.domain, f.status], [FAULT_DOMAIN, 2, 5, 0x0b]);
  }
  cp.dacr = 0x55555555;
  m.mmu.translationRegimeChanged();
  const f = aborts(m, () => m.mmu.read32(0x8400_0000));
  assert.deepEqual([f.type, f.domain, f.status], [FAULT_PERMISSION, 3, 0x0d]);
  cp.dacr = 0x55555555 | (3 << 6);
  m.mmu.translationRegimeChanged();
  m.port.poke32(0x0030_0000, 77);
  assert.equal(m.mmu.read32(0x8400_0000), 77, "manager: no permission check");
  m.mmu.write32(0x8400_0000, 78);
  assert.doesNotThrow(() => m.mmu.fetchPage(0x8400_0000), "manager: XN not checked");
});

test("XN faults instruction fetch only; PXN only at PL1; reading is needed to execute", () => {
  const m = machine();
  l1(m, 0x8600_0000, section(0x0030_0000, { xn: true }));
  l1(m, 0x8700_0000, section(0x0030_0000, { pxn: true }));
  l1(m, 0x8800_0000, section(0x0030_0000, { ap: 0b001 }));
  l1(m, 0x8200_0000, pageTable(L2, 0, true)); // PXN in the page table entry
  l2(m, 0x8200_0000, small(0x0040_0000));
  l2(m, 0x8200_1000, small(0x0040_0000, { xn: true }));
  mmuOn(m);
  assert.doesNotThrow(() => m.mmu.read32(0x8600_0000));
  let f = aborts(m, () => m.mmu.fetchPage(0x8600_0100));
  assert.deepEqual([f.reason, f.type, f.level, f.status], [STOP_PREFETCH_ABORT, FAULT_PERMISSION, 1, 0x0d]);
  f = aborts(m, () => m.mmu.fetchPage(0x8700_0000));
  assert.equal(f.type, FAULT_PERMISSION);
  f = aborts(m, () => m.mmu.fetchPage(0x8200_0000));
  assert.deepEqual([f.type, f.level], [FAULT_PERMISSION, 2], "PXN from the first-level page table entry");
  f = aborts(m, () => m.mmu.fetchPage(0x8200_1000));
  assert.deepEqual([f.type, f.level, f.status], [FAULT_PERMISSION, 2, 0x0f]);
  m.mmu.setUser(true);
  assert.doesNotThrow(() => m.mmu.fetchPage(0x8700_0000), "PXN does not restrict PL0");
  assert.doesNotThrow(() => m.mmu.fetchPage(0x8200_0000));
  f = aborts(m, () => m.mmu.fetchPage(0x8800_0000));
  assert.equal(f.type, FAULT_PERMISSION, "PL0 cannot execute what it cannot read");
});

test("SCTLR.AFE: AP[0] = 0 gives access flag faults 0x03 (section) and 0x06 (page); AP[2:1] model", () => {
  const m = machine();
  l1(m, 0x8700_0000, section(0x0030_0000, { ap: 0b010 }));
  l1(m, 0x8800_0000, section(0x0030_0000, { ap: 0b011 }));
  l1(m, 0x8200_0000, pageTable(L2, 4));
  l2(m, 0x8200_3000, small(0x0040_0000, { ap: 0b010 }));
  mmuOn(m, SCTLR_AFE);
  let f = aborts(m, () => m.mmu.read32(0x8700_0040));
  assert.deepEqual([f.type, f.level, f.status], [FAULT_ACCESS_FLAG, 1, 0x03]);
  f = aborts(m, () => m.mmu.read32(0x8200_3abc));
  assert.deepEqual([f.type, f.level, f.domain, f.status], [FAULT_ACCESS_FLAG, 2, 4, 0x06]);
  m.mmu.setUser(true);
  assert.doesNotThrow(() => m.mmu.write32(0x8800_0000, 1), "AP[2:1] = 01: read/write at any level");
});

test("device memory (TEX remap through PRRR) and the MMU off make unaligned data accesses alignment faults", () => {
  const m = machine();
  // TRE: TEX[0]C B = 001 -> region 1, PRRR TR1 = 01 (device); region 0 = normal (10)
  l1(m, 0x8000_0000, section(0x0030_0000, { tex: 0, c: 0, b: 1 }));
  l1(m, 0x8100_0000, section(0x0030_0000, { tex: 0, c: 0, b: 0 }));
  m.mmu.cp15.prrr = (0b01 << 2) | 0b10;
  mmuOn(m, SCTLR_TRE);
  assert.doesNotThrow(() => m.mmu.read32(0x8100_0001), "normal memory: unaligned allowed with A = 0");
  let f = aborts(m, () => m.mmu.read32(0x8000_0002));
  assert.deepEqual([f.type, f.status], [FAULT_ALIGNMENT, 0x01]);
  assert.doesNotThrow(() => m.mmu.read32(0x8000_0004));
  f = aborts(m, () => m.mmu.write16(0x8000_0001, 1));
  assert.equal(f.type, FAULT_ALIGNMENT);
  // SCTLR.A = 1: every unaligned access faults, also on normal memory, even after an aligned hit
  mmuOn(m, SCTLR_TRE | SCTLR_A);
  assert.doesNotThrow(() => m.mmu.read32(0x8100_0000));
  f = aborts(m, () => m.mmu.read32(0x8100_0002));
  assert.equal(f.type, FAULT_ALIGNMENT);
  // MMU off: data is Strongly-ordered
  m.mmu.cp15.sctlr = 0;
  m.mmu.translationRegimeChanged();
  assert.equal(m.mmu.read32(0x0030_0000), m.port.peek32(0x0030_0000));
  f = aborts(m, () => m.mmu.read32(0x0030_0001));
  assert.equal(f.type, FAULT_ALIGNMENT);
  f = aborts(m, () => m.mmu.read8(0x7000_0000));
  assert.equal(f.type, FAULT_EXTERNAL, "no memory at the PA: synchronous external abort");
});

test("a walk that reads no RAM is a synchronous external abort on the walk (0x0C first level, 0x0E second)", () => {
  const m = machine();
  l1(m, 0x8200_0000, pageTable(0x7000_0000));
  mmuOn(m);
  let f = aborts(m, () => m.mmu.read32(0x8200_0000));
  assert.deepEqual([f.type, f.level, f.status], [FAULT_EXTERNAL_WALK, 2, 0x0e]);
  m.mmu.cp15.ttbr0Lo = 0x7000_0000;
  m.mmu.translationRegimeChanged();
  f = aborts(m, () => m.mmu.read32(0x8000_0000));
  assert.deepEqual([f.type, f.level, f.status], [FAULT_EXTERNAL_WALK, 1, 0x0c]);
});

test("SCTLR.EE: translation tables are read big-endian", () => {
  const m = machine();
  m.port.poke32(L1 + (0x8000_0000 >>> 20) * 4, section(0x0030_0000), true);
  m.port.poke32(0x0030_0000, 0x01020304);
  mmuOn(m, SCTLR_EE);
  assert.equal(m.mmu.translate(0x8000_0000, ACCESS_READ), 0x0030_0000);
});

test("PL0 and PL1 keep separate fast TLBs: a PL1-only page faults at PL0 right after a PL1 hit", () => {
  const m = machine();
  l1(m, 0x8000_0000, section(0x0030_0000, { ap: 0b001 }));
  mmuOn(m);
  m.mmu.write32(0x8000_0000, 9);
  assert.equal(m.mmu.read32(0x8000_0000), 9);
  m.mmu.setUser(true);
  const f = aborts(m, () => m.mmu.read32(0x8000_0000));
  assert.deepEqual([f.type, f.level], [FAULT_PERMISSION, 1]);
  m.mmu.setUser(false);
  assert.equal(m.mmu.read32(0x8000_0000), 9);
});

test("unprivileged accesses (LDRT/STRT) at PL1 use PL0 permissions, then PL1 ones again", () => {
  const m = machine();
  l1(m, 0x8000_0000, section(0x0030_0000, { ap: 0b001 })); // PL1 RW, PL0 none
  l1(m, 0x8100_0000, section(0x0030_0000, { ap: 0b010 })); // PL1 RW, PL0 RO
  mmuOn(m);
  m.port.poke32(0x0030_0000, 0x5a);
  assert.equal(m.mmu.read32(0x8000_0000), 0x5a);
  let f = aborts(m, () => m.mmu.readUnprivileged(0x8000_0000, 4));
  assert.deepEqual([f.type, f.level, f.status], [FAULT_PERMISSION, 1, 0x0d]);
  assert.equal(m.mmu.readUnprivileged(0x8100_0000, 1), 0x5a);
  f = aborts(m, () => m.mmu.writeUnprivileged(0x8100_0000, 2, 1));
  assert.deepEqual([f.type, f.access], [FAULT_PERMISSION, ACCESS_WRITE]);
  m.mmu.write32(0x8000_0000, 0x77);
  assert.equal(m.mmu.read32(0x8000_0000), 0x77, "back at PL1 permissions after the faulting unprivileged access");
});
