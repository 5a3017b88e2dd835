/**
 * Long-descriptor (LPAE) translation (ARM ARM B3.6) through ArmMmu: 1 GiB / 2 MiB blocks and 4 KiB
 * pages, 40-bit output, faults per level with the long-format STATUS (B3.13.5: 0b0001LL translation,
 * 0b0010LL access flag, 0b0011LL permission, 0b0000LL address size), APTable/XNTable/PXNTable,
 * MAIR device attributes, the T0SZ/T1SZ split with level-2 starts, and the ASID from TTBR0 or TTBR1.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCTLR_M, TTBCR_EAE } from "../../../../../src/arch/arm/cp15/state.js";
import { ACCESS_READ } from "../../../../../src/arch/arm/memory.js";
import {
  FAULT_ACCESS_FLAG, FAULT_ADDRESS_SIZE, FAULT_ALIGNMENT, FAULT_PERMISSION, FAULT_TRANSLATION, encodeFsrLong,
} from "../../../../../src/arch/arm/stop.js";
import { RAM_HIGH, aborts, machine, type Machine } from "./harness.js";

const L1 = 0x0020_0000, L2A = 0x0020_1000, L2B = 0x0020_2000, L3 = 0x0020_3000;
const AF = 1 << 10, NG = 1 << 11;
const XN_HI = 1 << 22, PXN_HI = 1 << 21; // descriptor bits 54 and 53
const attr = (i: number) => i << 2;
const AP_RO = 2 << 6, AP_USER = 1 << 6;
/** Block or page: [lo, hi] words. `pa` may exceed 32 bits. */
function leaf(pa: number, lo: number, hi = 0, page = false): [number, number] {
  return [((pa % 0x1_0000_0000) | lo | (page ? 3 : 1) | AF) >>> 0, (Math.floor(pa / 0x1_0000_0000) | hi) >>> 0];
}
function table(pa: number, hi = 0): [number, number] {
  return [(pa | 3) >>> 0, hi >>> 0];
}
function put(m: Machine, at: number, d: [number, number]): void {
  m.port.poke64(at, d[0], d[1]);
}

function lpaeOn(m: Machine, ttbcr = 0, asid = 0): void {
  const cp = m.mmu.cp15;
  cp.ttbcr = (TTBCR_EAE | ttbcr) >>> 0;
  cp.ttbr0Lo = L1;
  cp.ttbr0Hi = asid << 16;
  cp.prrr = 0x0044ff00; // MAIR0: attr0 device, attr1 normal WB, attr2 normal NC
  cp.nmrr = 0;
  cp.sctlr = SCTLR_M;
  m.mmu.translationRegimeChanged();
}

function build(m: Machine): void {
  put(m, L1 + 0 * 8, table(L2A));
  put(m, L1 + 1 * 8, leaf(0x0000_0000, attr(1))); // 0x40000000: 1 GiB block -> PA 0
  put(m, L1 + 2 * 8, table(L2B));
  put(m, L2B + 0 * 8, table(L3));
  put(m, L2B + 1 * 8, leaf(0x0060_0000, attr(1))); // 0x80200000: 2 MiB block
  put(m, L2B + 3 * 8, leaf(RAM_HIGH, attr(1))); // 0x80600000: 2 MiB block above 4 GiB
  put(m, L3 + 1 * 8, leaf(0x0040_2000, attr(1), 0, true));
  put(m, L3 + 2 * 8, [(0x0040_2000 | attr(1) | 3) >>> 0, 0]); // AF clear
  put(m, L3 + 3 * 8, leaf(0x0040_2000, attr(1) | AP_RO, 0, true));
  put(m, L3 + 6 * 8, leaf(0x0040_2000, attr(1), XN_HI, true));
  put(m, L3 + 7 * 8, leaf(0x0040_2000, attr(0), 0, true)); // device
  put(m, L3 + 8 * 8, leaf(0x0040_2000, attr(1), 0x100, true)); // output address bit 40 set
}

test("LPAE: 1 GiB and 2 MiB blocks and 4 KiB pages, 40-bit output addresses", () => {
  const m = machine();
  build(m);
  m.port.poke32(0x0040_2010, 0x31313131);
  m.port.poke32(0x0065_4320, 0x20202020);
  m.port.poke32(0x0012_3450, 0x10101010);
  m.port.poke32(RAM_HIGH + 0x1_2340, 0x40404040);
  lpaeOn(m);
  assert.equal(m.mmu.read32(0x8000_1010) >>> 0, 0x31313131);
  assert.equal(m.mmu.read32(0x8025_4320) >>> 0, 0x20202020);
  assert.equal(m.mmu.read32(0x4012_3450) >>> 0, 0x10101010);
  assert.equal(m.mmu.read32(0x8061_2340) >>> 0, 0x40404040);
  assert.equal(m.mmu.translate(0x8061_2345, ACCESS_READ), RAM_HIGH + 0x1_2345);
});

test("LPAE faults carry their level and the long-format status", () => {
  const m = machine();
  build(m);
  lpaeOn(m);
  const cases: [number, number, number, number][] = [
    [0xc000_0010, FAULT_TRANSLATION, 1, 0x05],
    [0x8040_0010, FAULT_TRANSLATION, 2, 0x06],
    [0x8000_4010, FAULT_TRANSLATION, 3, 0x07],
    [0x8000_2010, FAULT_ACCESS_FLAG, 3, 0x0b],
    [0x8000_8010, FAULT_ADDRESS_SIZE, 3, 0x03],
  ];
  for (const [va, type, level, status] of cases) {
    const f = aborts(m, () => m.mmu.read32(va));
    assert.deepEqual([f.type, f.level, f.status, f.long], [type, level, status, true], `VA ${va.toString(16)}`);
  }
  assert.doesNotThrow(() => m.mmu.read32(0x8000_3010));
  const f = aborts(m, () => m.mmu.write32(0x8000_3010, 1));
  assert.deepEqual([f.type, f.level, f.status], [FAULT_PERMISSION, 3, 0x0f]);
  m.info.faultType = f.type, m.info.faultLevel = f.level, m.info.access = f.access;
  assert.equal(encodeFsrLong(m.info), 0x200 | 0x800 | 0x0f, "DFSR: LPAE bit 9, WnR bit 11, STATUS");
  const x = aborts(m, () => m.mmu.fetchPage(0x8000_6100));
  assert.deepEqual([x.type, x.level, x.status], [FAULT_PERMISSION, 3, 0x0f]);
  const a = aborts(m, () => m.mmu.read32(0x8000_7002));
  assert.deepEqual([a.type, a.status], [FAULT_ALIGNMENT, 0x21], "MAIR attr 0x00 is device: unaligned faults");
});

test("LPAE AP[2:1] and hierarchical APTable, XNTable, PXNTable", () => {
  const m = machine();
  // L1[2] -> L2B with APTable = 01 (no PL0), L2B[0] -> L3 plain; L1[0] -> L2A with APTable = 10 (read-only), XNTable
  put(m, L1 + 0 * 8, table(L2A, (2 << 29) | (1 << 28)));
  put(m, L1 + 2 * 8, table(L2B, (1 << 29) | (1 << 27)));
  put(m, L2B + 0 * 8, table(L3));
  put(m, L3 + 0 * 8, leaf(0x0040_0000, attr(1) | AP_USER, 0, true)); // 0x80000000: RW at PL0 by its own AP
  put(m, L2A + 0 * 8, leaf(0x0060_0000, attr(1) | AP_USER)); // 0x00000000: 2 MiB block
  lpaeOn(m);
  assert.doesNotThrow(() => m.mmu.write32(0x8000_0000, 1), "PL1 write allowed");
  let f = aborts(m, () => m.mmu.fetchPage(0x8000_0000));
  assert.deepEqual([f.type, f.level], [FAULT_PERMISSION, 3], "PXNTable: PL1 cannot execute below it");
  m.mmu.setUser(true);
  f = aborts(m, () => m.mmu.read32(0x8000_0000));
  assert.deepEqual([f.type, f.level], [FAULT_PERMISSION, 3], "APTable[0]: no PL0 access below it");
  assert.doesNotThrow(() => m.mmu.read32(0x0000_0000), "APTable[1] leaves PL0 reads");
  f = aborts(m, () => m.mmu.write32(0x0000_0000, 1));
  assert.deepEqual([f.type, f.level], [FAULT_PERMISSION, 2], "APTable[1]: read-only below it");
  f = aborts(m, () => m.mmu.fetchPage(0x0000_0000));
  assert.equal(f.type, FAULT_PERMISSION, "XNTable");
  m.mmu.setUser(false);
  f = aborts(m, () => m.mmu.write32(0x0000_0000, 1));
  assert.equal(f.type, FAULT_PERMISSION, "APTable[1] applies at PL1 too");
  void PXN_HI;
});

test("LPAE T0SZ/T1SZ: TTBR1 covers the top, walks start at level 2 when TxSZ >= 2, the gap faults", () => {
  const m = machine();
  // T0SZ = 2 (TTBR0: 0..1 GiB, level-2 start, 512 entries), T1SZ = 1 (TTBR1: 2..4 GiB, level-1 start, 2 entries)
  const t0 = 0x0030_0000, t1 = 0x0030_1000, t1l2 = 0x0030_2000;
  put(m, t0 + (0x0020_0000 >>> 21) * 8, leaf(0x0060_0000, attr(1)));
  put(m, t1 + 1 * 8, table(t1l2)); // VA[30] = 1: 0xC0000000..
  put(m, t1l2 + 0 * 8, leaf(0x0080_0000, attr(1)));
  m.port.poke32(0x0060_0004, 6);
  m.port.poke32(0x0080_0008, 8);
  const cp = m.mmu.cp15;
  cp.ttbr0Lo = t0;
  cp.ttbr0Hi = 5 << 16;
  cp.ttbr1Lo = t1;
  cp.ttbr1Hi = 9 << 16;
  cp.ttbcr = (TTBCR_EAE | 2 | (1 << 16)) >>> 0;
  cp.prrr = 0x0044ff00;
  cp.sctlr = SCTLR_M;
  m.mmu.translationRegimeChanged();
  assert.equal(m.mmu.read32(0x0020_0004), 6);
  assert.equal(m.mmu.read32(0xc000_0008), 8);
  const f = aborts(m, () => m.mmu.read32(0x4000_0000));
  assert.deepEqual([f.type, f.level], [FAULT_TRANSLATION, 1], "between the two regions");
});

test("LPAE ASIDs: TTBR0.ASID (A1 = 0) or TTBR1.ASID (A1 = 1) tags nG entries; global entries serve every ASID", () => {
  const m = machine();
  build(m);
  put(m, L3 + 5 * 8, leaf(0x0040_3000, attr(1) | NG, 0, true));
  m.port.poke32(0x0040_3010, 0xa1);
  m.port.poke32(0x0040_4010, 0xb2);
  m.port.poke32(0x0040_2010, 0x31);
  lpaeOn(m, 0, 1);
  assert.equal(m.mmu.read32(0x8000_5010), 0xa1);
  assert.equal(m.mmu.read32(0x8000_1010), 0x31);
  put(m, L3 + 5 * 8, leaf(0x0040_4000, attr(1) | NG, 0, true)); // remap both without invalidating
  put(m, L3 + 1 * 8, leaf(0x0040_3000, attr(1), 0, true));
  m.mmu.cp15.ttbr0Hi = 2 << 16;
  m.mmu.translationRegimeChanged();
  assert.equal(m.mmu.read32(0x8000_5010), 0xb2, "ASID 2 does not use ASID 1's entry");
  assert.equal(m.mmu.read32(0x8000_1010), 0x31, "the global entry is still cached and used");
  // A1 = 1: the ASID comes from TTBR1, and TTBR0's ASID field no longer matters
  m.mmu.cp15.ttbr1Hi = 3 << 16;
  m.mmu.cp15.ttbcr = (TTBCR_EAE | (1 << 22)) >>> 0;
  m.mmu.translationRegimeChanged();
  assert.equal(m.mmu.read32(0x8000_5010), 0xb2, "walked and cached under ASID 3");
  put(m, L3 + 5 * 8, leaf(0x0040_2000, attr(1) | NG, 0, true)); // remap without invalidating
  m.mmu.cp15.ttbr0Hi = 7 << 16;
  m.mmu.translationRegimeChanged();
  assert.equal(m.mmu.read32(0x8000_5010), 0xb2, "still ASID 3: its cached entry is used");
  m.mmu.cp15.ttbr1Hi = 4 << 16;
  m.mmu.translationRegimeChanged();
  assert.equal(m.mmu.read32(0x8000_5010), 0x31, "ASID 4 walks and sees the new descriptor");
  m.mmu.cp15.ttbr1Hi = 3 << 16;
  m.mmu.translationRegimeChanged();
  m.mmu.tlbInvalidateByAsid(3);
  assert.equal(m.mmu.read32(0x8000_5010), 0x31, "after TLBIASID(3) ASID 3 walks too");
});
