/**
 * TLB maintenance really invalidates (TLBIALL, TLBIMVA with its ASID plus global entries,
 * TLBIASID on non-global entries only, TLBIMVAA for every ASID, by-MVA on any address inside a
 * section), nG entries are tagged with CONTEXTIDR's ASID, and ATS1C* write PAR in the short
 * (B4.1.112, 32-bit) and long (64-bit) formats.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCTLR_M, TTBCR_EAE } from "../../../../../src/arch/arm/cp15/state.js";
import { machine, RAM_HIGH, type Machine } from "./harness.js";

const L1 = 0x0010_0000;
const VA = 0x8000_0000;

function section(pa: number, ng: boolean, ap = 3): number {
  return (pa | 2 | (1 << 12) | 0xc | ((ap & 3) << 10) | ((ap >> 2) << 15) | (ng ? 1 << 17 : 0)) >>> 0;
}

function setup(): Machine {
  const m = machine();
  for (let i = 0; i < 8; i++) m.port.poke32(0x0030_0000 + (i << 20), 0xa0 + i);
  const cp = m.mmu.cp15;
  cp.ttbr0Lo = L1;
  cp.dacr = 0x55555555;
  cp.contextidr = 1;
  cp.sctlr = SCTLR_M;
  m.mmu.translationRegimeChanged();
  return m;
}
const remap = (m: Machine, pa: number, ng: boolean) => m.port.poke32(L1 + (VA >>> 20) * 4, section(pa, ng));
const read = (m: Machine, va = VA) => m.mmu.read32(va);

test("TLBIMVA, TLBIMVAA and TLBIALL make a changed global section visible; by-MVA hits anywhere in the section", () => {
  const m = setup();
  remap(m, 0x0030_0000, false);
  assert.equal(read(m), 0xa0);
  remap(m, 0x0040_0000, false);
  assert.equal(read(m), 0xa0, "the TLB still holds the old translation (no maintenance yet)");
  m.mmu.tlbInvalidateByMva((VA + 0x8_0000) | 7); // another page of the section, another ASID: global entries go
  assert.equal(read(m), 0xa1);
  remap(m, 0x0050_0000, false);
  m.mmu.tlbInvalidateByMvaAllAsid(VA);
  assert.equal(read(m), 0xa2);
  remap(m, 0x0060_0000, false);
  m.mmu.tlbInvalidateAll();
  assert.equal(read(m), 0xa3);
});

test("nG entries are tagged by CONTEXTIDR's ASID; TLBIASID drops only that ASID's non-global entries", () => {
  const m = setup();
  const G = 0x9010_0000; // another main-TLB slot than VA
  m.port.poke32(L1 + (G >>> 20) * 4, section(0x0070_0000, false));
  remap(m, 0x0030_0000, true);
  assert.equal(read(m), 0xa0);
  assert.equal(read(m, G), 0xa4);
  remap(m, 0x0040_0000, true);
  m.port.poke32(L1 + (G >>> 20) * 4, section(0x0060_0000, false));
  m.mmu.cp15.contextidr = 2;
  m.mmu.translationRegimeChanged();
  assert.equal(read(m), 0xa1, "ASID 2 walks: ASID 1's entry is not used");
  assert.equal(read(m, G), 0xa4, "the global entry is used under any ASID");
  remap(m, 0x0050_0000, true);
  m.mmu.tlbInvalidateByAsid(1);
  assert.equal(read(m), 0xa1, "TLBIASID(1) leaves ASID 2's entry");
  m.mmu.tlbInvalidateByAsid(2);
  assert.equal(read(m), 0xa2, "TLBIASID(2) drops it");
  assert.equal(read(m, G), 0xa4, "TLBIASID leaves global entries");
  m.mmu.cp15.contextidr = 1;
  m.mmu.translationRegimeChanged();
  assert.equal(read(m), 0xa2, "ASID 1 walks (its entry shared a TLB slot with ASID 2's)");
  remap(m, 0x0070_0000, true);
  m.mmu.tlbInvalidateByMva(VA | 2);
  assert.equal(read(m), 0xa2, "TLBIMVA with ASID 2 leaves ASID 1's non-global entry");
  m.mmu.tlbInvalidateByMva(VA | 1);
  assert.equal(read(m), 0xa4);
});

test("ATS1CPR/CPW/CUR/CUW: short-format PAR for sections, supersections and faults", () => {
  const m = setup();
  remap(m, 0x0030_0000, false);
  m.port.poke32(L1 + (0x8500_0000 >>> 20) * 4, section(0x0030_0000, false, 0b101)); // PL1 read-only
  const hi = Math.floor(RAM_HIGH / 0x1_0000_0000); // 0x12
  for (let i = 0; i < 16; i++) {
    m.port.poke32(L1 + ((0x8100_0000 >>> 20) + i) * 4,
      ((RAM_HIGH % 0x1_0000_0000) | (1 << 18) | ((hi & 15) << 20) | ((hi >> 4) << 5) | 2 | (1 << 12) | 0xc | (3 << 10)) >>> 0);
  }
  const cp = m.mmu.cp15;
  m.mmu.ats1(0x8000_0123, false, false);
  assert.equal(cp.parLo & 0xfffff003, 0x0030_0000, "PA[31:12], SS = 0, F = 0");
  assert.equal((cp.parLo >>> 4) & 7, 0b101, "Inner: write-back write-allocate (TEX 001, C B 11)");
  m.mmu.ats1(0x8123_4567, false, false);
  assert.equal(cp.parLo >>> 24, (RAM_HIGH / 2 ** 24) & 0xff, "supersection: PA[31:24]");
  assert.equal((cp.parLo >>> 16) & 0xff, hi, "supersection: PA[39:32] in PAR[23:16]");
  assert.equal(cp.parLo & 3, 2, "SS = 1, F = 0");
  m.mmu.ats1(0x8300_0000, false, false);
  assert.equal(cp.parLo & 0x7f, (0x05 << 1) | 1, "translation fault, section: FS in bits 5:1, F = 1");
  m.mmu.ats1(0x8500_0000, true, false);
  assert.equal(cp.parLo & 0x7f, (0x0d << 1) | 1, "ATS1CPW on read-only: permission fault, section");
  m.mmu.ats1(0x8500_0000, false, false);
  assert.equal(cp.parLo & 1, 0, "ATS1CPR on read-only succeeds");
  m.mmu.ats1(0x8500_0000, false, true);
  assert.equal(cp.parLo & 0x7f, (0x0d << 1) | 1, "ATS1CUR: PL0 has no access");
  assert.equal(m.info.reason, 0, "ATS never aborts");
});

test("ATS with TTBCR.EAE = 1: the 64-bit PAR with LPAE, PA[39:12], ATTR from MAIR, FST on faults", () => {
  const m = machine();
  const l1 = 0x0020_0000, l2 = 0x0020_1000, l3 = 0x0020_2000;
  m.port.poke64(l1 + 2 * 8, l2 | 3, 0);
  m.port.poke64(l2, l3 | 3, 0);
  m.port.poke64(l3 + 8, (0x0040_2000 | (1 << 2) | (3 << 8) | (1 << 10) | 3) >>> 0, 0);
  m.port.poke64(l3 + 16, ((RAM_HIGH % 2 ** 32) | (2 << 2) | (1 << 10) | 3) >>> 0, Math.floor(RAM_HIGH / 2 ** 32));
  const cp = m.mmu.cp15;
  cp.ttbcr = TTBCR_EAE >>> 0;
  cp.ttbr0Lo = l1;
  cp.prrr = 0x0044ff00;
  cp.sctlr = SCTLR_M;
  m.mmu.translationRegimeChanged();
  m.mmu.ats1(0x8000_1234, false, false);
  assert.equal(cp.parLo & 0xfffff801, 0x0040_2800, "F = 0, LPAE = 1, PA[31:12]");
  assert.equal((cp.parLo >>> 7) & 3, 3, "SH: inner shareable");
  assert.equal(cp.parHi >>> 24, 0xff, "ATTR = MAIR attr1");
  assert.equal(cp.parHi & 0xff, 0);
  m.mmu.ats1(0x8000_2000, false, false);
  assert.equal(cp.parHi & 0xff, 0x12, "PA[39:32]");
  assert.equal(cp.parHi >>> 24, 0x44, "ATTR = MAIR attr2");
  m.mmu.ats1(0xc000_0000, false, false);
  assert.equal(cp.parLo & 0x87f, 0x800 | (0x05 << 1) | 1, "F = 1, LPAE, FST = level 1 translation");
  m.mmu.ats1(0x8000_3000, false, false);
  assert.equal(cp.parLo & 0x87f, 0x800 | (0x07 << 1) | 1, "level 3 translation");
});

test("ATS with the MMU off: PA = VA", () => {
  const m = machine();
  m.mmu.ats1(0x4567_8abc, false, false);
  assert.equal(m.mmu.cp15.parLo & 0xfffff001, 0x4567_8000);
});
