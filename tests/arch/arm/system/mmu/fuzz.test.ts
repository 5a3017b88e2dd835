/**
 * MMU robustness: random translation tables (short and long descriptors, including garbage words),
 * random SCTLR/TTBCR/DACR/ASID settings, privilege switches, TLB maintenance, ATS and accesses of
 * every size and kind. Whatever the guest builds, the only thing that may leave the MMU is the
 * architectural GUEST_STOP with a well-formed abort record, and every access that completes agrees
 * with a direct read of the physical address the MMU translates it to (the fast TLBs never serve a
 * stale or foreign-context page).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCTLR_A, SCTLR_AFE, SCTLR_EE, SCTLR_M, SCTLR_TRE, SCTLR_UWXN, SCTLR_WXN } from "../../../../../src/arch/arm/cp15/state.js";
import { ACCESS_FETCH, ACCESS_READ } from "../../../../../src/arch/arm/memory.js";
import {
  FAULT_ADDRESS_SIZE, FAULT_ALIGNMENT, GUEST_STOP, STOP_DATA_ABORT, STOP_PREFETCH_ABORT,
} from "../../../../../src/arch/arm/stop.js";
import { machine, RAM_LOW_SIZE, type Machine } from "./harness.js";

/** xorshift32, seeded: runs are repeatable. */
function rng(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

const TABLES = 0x0010_0000; // 1 MiB of table space the random descriptors point into
const FLAGS = [SCTLR_A, SCTLR_AFE, SCTLR_EE, SCTLR_TRE, SCTLR_WXN, SCTLR_UWXN];

/** A random descriptor word: mostly pointing at RAM (tables or data), sometimes anywhere. */
function word(r: () => number): number {
  const k = r() % 8;
  if (k === 0) return r();
  const base = k < 4 ? TABLES + (r() % 0x100) * 0x1000 : (r() % (RAM_LOW_SIZE >>> 12)) << 12;
  return (base | (r() & 0xfff)) >>> 0;
}

function randomise(m: Machine, r: () => number): void {
  for (let i = 0; i < 4096; i++) m.port.poke32(TABLES + (r() % 0x40000) * 4, word(r));
  const cp = m.mmu.cp15;
  let sctlr = r() % 4 === 0 ? 0 : SCTLR_M;
  for (const f of FLAGS) if (r() % 4 === 0) sctlr |= f;
  cp.sctlr = sctlr;
  cp.ttbcr = r() % 2 === 0 ? r() % 8 | (r() % 4 === 0 ? 0x30 : 0) : (0x80000000 | (r() & 0x00c700b7)) >>> 0;
  cp.ttbr0Lo = (TABLES + (r() % 0x100) * 0x1000) | (r() & 0x7f);
  cp.ttbr1Lo = (TABLES + (r() % 0x100) * 0x1000) | (r() & 0x7f);
  cp.ttbr0Hi = r() % 8 === 0 ? r() & 0xff00ff : (r() & 0xff) << 16;
  cp.ttbr1Hi = (r() & 0xff) << 16;
  cp.dacr = r();
  cp.contextidr = r() & 0xff;
  cp.prrr = r();
  cp.nmrr = r();
  m.mmu.translationRegimeChanged();
}

test("MMU fuzz: random tables and settings raise only architectural aborts; completed accesses match the translation", () => {
  const m = machine();
  const r = rng(0x5eed1234);
  const mmu = m.mmu, info = m.info;
  let completed = 0, aborted = 0;
  for (let round = 0; round < 300; round++) {
    randomise(m, r);
    for (let i = 0; i < 400; i++) {
      const va = r() % 3 === 0 ? (r() & ~0xfff) | (r() & 7) : r();
      info.reason = 0;
      try {
        switch (r() % 14) {
          case 0: mmu.read8(va); break;
          case 1: mmu.read16(va); break;
          case 2: {
            const v = mmu.read32(va);
            if ((va & 0xfff) <= 0xffc) {
              const pa = mmu.translate(va, ACCESS_READ);
              if (pa < RAM_LOW_SIZE && (pa & 3) === 0) assert.equal(v >>> 0, m.port.peek32(pa), `read32 ${va.toString(16)}`);
            }
            break;
          }
          case 3: mmu.write8(va, r() & 0xff); break;
          case 4: mmu.write16(va, r() & 0xffff); break;
          case 5: mmu.write32(va & ~0xfff | 0x800, r()); break; // keep writes away from the table area's start
          case 6: mmu.fetchPage(va); break;
          case 7: mmu.probeWrite(va, 8); break;
          case 8: mmu.checkAlign(va, 3, false); break;
          case 9: mmu.ats1(va, (r() & 1) === 1, (r() & 1) === 1); break;
          case 10: mmu.setUser((r() & 1) === 1); break;
          case 11: mmu.tlbInvalidateByMva(va); break;
          case 12: mmu.tlbInvalidateByAsid(r() & 0xff); break;
          default: (r() & 1) === 1 ? mmu.tlbInvalidateByMvaAllAsid(va) : mmu.tlbInvalidateAll(); break;
        }
        completed++;
      } catch (e) {
        if (e !== GUEST_STOP) throw e;
        aborted++;
        assert.ok(info.reason === STOP_DATA_ABORT || info.reason === STOP_PREFETCH_ABORT, `reason ${info.reason}`);
        assert.ok(info.faultType >= FAULT_ALIGNMENT && info.faultType <= FAULT_ADDRESS_SIZE, `type ${info.faultType}`);
        assert.equal(info.reason === STOP_PREFETCH_ABORT, info.access === ACCESS_FETCH);
        assert.ok(info.faultLevel >= 0 && info.faultLevel <= 3);
      }
    }
  }
  assert.ok(completed > 10_000 && aborted > 10_000, `both outcomes exercised: ${completed} completed, ${aborted} aborted`);
});
