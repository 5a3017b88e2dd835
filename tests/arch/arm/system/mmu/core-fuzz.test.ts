/**
 * The whole core with the MMU really on (short descriptors and LPAE): random A32/T32 words at PL1
 * (and PL0 after exception returns) in a RAM section mapped read/write/execute, with the translation
 * tables in a section the guest can read but not write (AP = PL1/PL0 read-only), other sections
 * mapped with random permissions, XN and domains, or not at all. Translated blocks and the
 * interpreter both run. Nothing may escape the core but a defined stop; when random CP15 writes
 * wreck the translation context so that nothing retires any more, the context is rebuilt.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_BUDGET, STOP_IO } from "../../../../../src/arch/arm/cpu.js";
import { isValidMode } from "../../../../../src/arch/arm/exceptions.js";
import { PHYS_FAULT, PHYS_IO, PHYS_RAM, type PhysicalMemoryPort } from "../../../../../src/arch/arm/memory.js";

const RAM_SIZE = 2 << 20; // section 0: code and data; section 1: translation tables
const TABLES = 1 << 20;
const KNOWN_STOPS = new Set([STOP_BUDGET, STOP_IO, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

function port(ram: Uint8Array): PhysicalMemoryPort {
  return {
    regions: [ram], generation: 0,
    lookup: (pa, _a, out) => {
      if (pa < RAM_SIZE) {
        out.region = 0;
        out.offset = pa - (pa % 4096);
        return PHYS_RAM;
      }
      return pa >= 0x0900_0000 && pa < 0x0900_1000 ? PHYS_IO : PHYS_FAULT;
    },
    ioRead: () => 0,
    ioWrite: () => 0,
  };
}

/** Identity RWX section 0, read-only tables section, random others; TTBR0/TTBCR/DACR/SCTLR set. */
function mapShort(cpu: ArmCpu, dv: DataView, rnd: () => number): void {
  for (let i = 0; i < 4096; i++) {
    let d = 0;
    if (i === 0) d = 0x0000_0000 | (3 << 10) | 0xc | (1 << 12) | 2; // AP 011, normal WB
    else if (i === 1) d = TABLES | (1 << 15) | (3 << 10) | 0xc | 2; // AP 111: read-only
    else if (rnd() % 4 === 0) d = ((rnd() % 2) << 20) | (rnd() & 0x00017ffc) | (1 << 15) | 2; // RAM, random attributes, read-only
    dv.setUint32(TABLES + i * 4, d, true);
  }
  const cp = cpu.cp15;
  cp.ttbr0Lo = TABLES;
  cp.ttbcr = 0;
  cp.dacr = 0x55555555 | (rnd() & 0xaaaaaaa0); // domain 0..1 clients, others random
  cp.contextidr = rnd() & 0xff;
  cp.sctlr |= 1;
  cpu.mmu.translationRegimeChanged();
}

/** LPAE: level 1 -> level 2 for the first GiB -> level 3 for the first 2 MiB: code/data RWX, tables read-only. */
function mapLong(cpu: ArmCpu, dv: DataView, rnd: () => number): void {
  const l1 = TABLES, l2 = TABLES + 0x1000, l3 = TABLES + 0x2000;
  const put = (at: number, lo: number, hi: number) => {
    dv.setUint32(at, lo >>> 0, true);
    dv.setUint32(at + 4, hi >>> 0, true);
  };
  for (let i = 0; i < 4; i++) put(l1 + i * 8, i === 0 ? l2 | 3 : 0, 0);
  for (let i = 0; i < 512; i++) {
    if (i === 0) put(l2, l3 | 3, 0);
    else if (rnd() % 4 === 0) put(l2 + i * 8, ((rnd() & 1) << 21) | (rnd() & 0xffc) | (1 << 7) | 1, rnd() & 0x00700000); // read-only
    else put(l2 + i * 8, 0, 0);
  }
  for (let i = 0; i < 512; i++) {
    const ap = i < 256 ? 1 << 6 : 3 << 6; // RW at PL0/PL1 below the tables, read-only from them on
    put(l3 + i * 8, (i << 12) | (1 << 10) | ap | (1 << 2) | 3, 0);
  }
  const cp = cpu.cp15;
  cp.ttbr0Lo = l1;
  cp.ttbr0Hi = (rnd() & 0xff) << 16;
  cp.ttbcr = 0x8000_0000;
  cp.prrr = 0x0044ff00;
  cp.sctlr |= 1;
  cpu.mmu.translationRegimeChanged();
}

/**
 * DFSR status values (short: FS with bit 10; long: STATUS) left after each slice: evidence that the
 * MMU's translation and permission faults reached the guest (random MCRs write DFSR too).
 */
const statuses = new Set<number>();

function fuzz(seed: number, long: boolean, rounds: number, calls: number): number {
  const rnd = xorshift(seed);
  statuses.clear();
  let total = 0;
  for (let round = 0; round < rounds; round++) {
    const ram = new Uint8Array(RAM_SIZE);
    const words = new Uint32Array(ram.buffer, 0, TABLES / 4);
    for (let i = 0; i < words.length; i++) words[i] = rnd();
    const dv = new DataView(ram.buffer);
    const cpu = new ArmCpu({ memory: port(ram), translateThreshold: round % 2 ? 1 : 8 });
    cpu.systemMode = true;
    cpu.reset();
    const remap = () => {
      cpu.reset();
      if (long) mapLong(cpu, dv, rnd);
      else mapShort(cpu, dv, rnd);
      cpu.cp15.vbar = rnd() & 0xfffe0;
      cpu.pc = rnd() & 0xffffc;
    };
    remap();
    let stuck = 0;
    for (let c = 0; c < calls; c++) {
      const before = cpu.retired;
      const why = cpu.run(2000);
      assert.ok(KNOWN_STOPS.has(why), `seed ${seed} round ${round}: stop reason ${why}`);
      assert.ok(isValidMode(cpu.cpsr & 0x1f), `seed ${seed} round ${round}: mode ${(cpu.cpsr & 0x1f).toString(16)}`);
      const done = cpu.retired - before;
      statuses.add(cpu.cp15.dfsr & (long ? 0x3f : 0x40f));
      total += done;
      if (done === 0 || why !== STOP_BUDGET) {
        if (++stuck > 2) remap(), (stuck = 0);
        else cpu.pc = rnd() & 0xffffc;
      } else stuck = 0;
    }
  }
  return total;
}

test("random words at PL1 with short-descriptor translation on never throw out of the core", () => {
  const n = fuzz(0x2468ace, false, 8, 400);
  for (const fs of [0x05, 0x0d]) assert.ok(statuses.has(fs), `short FS 0x${fs.toString(16)} seen`);
  assert.ok(n > 1_000_000, `only ${n} instructions retired`);
});

test("random words at PL1 with LPAE translation on never throw out of the core", () => {
  const n = fuzz(0x13579bd, true, 8, 400);
  for (const fs of [0x06, 0x0f]) assert.ok(statuses.has(fs), `long STATUS 0x${fs.toString(16)} seen`);
  assert.ok(n > 1_000_000, `only ${n} instructions retired`);
});
