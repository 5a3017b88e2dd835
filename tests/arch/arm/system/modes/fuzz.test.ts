/**
 * No guest action raises a JavaScript exception out of the core: random A32 and T32 instruction
 * words (including every privileged and CP15 form they happen to hit) executed at PL1 in system
 * mode, from every mode, with the MMU off and with SCTLR.M set (whatever translation the MMU
 * provides), random vector bases and interrupt lines, for millions of instructions in total.
 * Each run must end with a defined stop reason and leave a valid mode in CPSR.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_BUDGET, STOP_IO } from "../../../../../src/arch/arm/cpu.js";
import { isValidMode } from "../../../../../src/arch/arm/exceptions.js";
import { PHYS_FAULT, PHYS_IO, PHYS_RAM, type PhysicalMemoryPort } from "../../../../../src/arch/arm/memory.js";

const RAM_SIZE = 1 << 20;
const MODES = [0x10, 0x11, 0x12, 0x13, 0x17, 0x1b, 0x1f];

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

function machine(ram: Uint8Array): PhysicalMemoryPort {
  return {
    regions: [ram], generation: 0,
    lookup: (pa, _a, out) => {
      if (pa < RAM_SIZE) {
        out.region = 0;
        out.offset = pa & ~0xfff;
        return PHYS_RAM;
      }
      return pa >= 0x0900_0000 && pa < 0x0900_1000 ? PHYS_IO : PHYS_FAULT;
    },
    ioRead: () => 0,
    ioWrite: () => 0,
  };
}

const KNOWN_STOPS = new Set([STOP_BUDGET, STOP_IO, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

function fuzz(seed: number, rounds: number, perRound: number, mmuOn: boolean): number {
  const rnd = xorshift(seed);
  const ram = new Uint8Array(RAM_SIZE);
  const words = new Uint32Array(ram.buffer);
  let total = 0;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < words.length; i++) words[i] = rnd();
    const cpu = new ArmCpu({ memory: machine(ram), translateThreshold: round % 2 ? 1 : Infinity });
    cpu.systemMode = true;
    cpu.reset();
    for (let r = 0; r < 15; r++) cpu.regs[r] = rnd() & (RAM_SIZE - 4);
    cpu.cp15.vbar = rnd() & (RAM_SIZE - 32);
    if (mmuOn) cpu.cp15.sctlr |= 1;
    cpu.cpsr = (rnd() & 0xf00001c0) | MODES[rnd() % MODES.length]! | (rnd() & 1 ? 0x20 : 0);
    cpu.pc = rnd() & (RAM_SIZE - 4);
    let left = perRound;
    while (left > 0) {
      cpu.setIrqLine((rnd() & 7) === 0);
      cpu.setFiqLine((rnd() & 15) === 0);
      const before = cpu.retired;
      const why = cpu.run(Math.min(left, 5000));
      assert.ok(KNOWN_STOPS.has(why), `seed ${seed} round ${round}: stop reason ${why}`);
      assert.ok(isValidMode(cpu.cpsr & 0x1f), `seed ${seed} round ${round}: mode ${(cpu.cpsr & 0x1f).toString(16)}`);
      const done = cpu.retired - before;
      left -= Math.max(done, 1);
      total += done;
      // escape a stuck place (stop without progress: I/O, HVC loops) by jumping elsewhere
      if (done === 0 || why !== STOP_BUDGET) cpu.pc = rnd() & (RAM_SIZE - 4);
    }
  }
  return total;
}

test("random A32/T32 words at PL1 with the MMU off never throw out of the core", () => {
  const n = fuzz(0x1234567, 8, 150_000, false);
  assert.ok(n > 1_000_000, `only ${n} instructions retired`);
});

test("random A32/T32 words at PL1 with SCTLR.M set never throw out of the core", () => {
  const n = fuzz(0x7654321, 4, 150_000, true);
  assert.ok(n > 500_000, `only ${n} instructions retired`);
});
