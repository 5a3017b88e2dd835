/**
 * Every A32 word and every Thumb halfword pair must decode to an instruction or UNDEFINED and run
 * without a host exception: random words executed one at a time in both states, with registers
 * pointing into (and outside) mapped memory so loads, stores and faults all happen.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_NONE } from "../../../../src/arch/arm/cpu.js";
import { enableFpSimdAccess } from "../../../../src/arch/arm/fp-simd.js";
import { FlatMemory } from "./harness.js";

function xorshift(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

for (const thumb of [false, true]) {
  test(`random ${thumb ? "Thumb" : "A32"} instructions never throw and always report a stop reason`, () => {
    const rnd = xorshift(thumb ? 0x5eed : 0xbeef);
    const mem = new FlatMemory(0x40000);
    mem.unmapped.add(0x30);
    mem.readOnly.add(0x31);
    const cpu = new ArmCpu({ memory: mem });
    enableFpSimdAccess(cpu); // random VFP/NEON encodings execute rather than stopping at the access check
    const view = mem.view();
    const base = 0x1000;
    for (let i = 0; i < 40000; i++) {
      const word = rnd();
      // A32: one word; Thumb: a halfword pair (the second halfword only matters for 32-bit forms)
      view.setUint32(base, word, true);
      cpu.invalidateCode(base, 4);
      for (let r = 0; r < 15; r++) cpu.regs[r] = r % 3 === 0 ? rnd() : 0x20000 + (rnd() & 0xfffc);
      cpu.regs[13] = 0x30800;
      cpu.cpsr = (rnd() & 0xf80f0000) | 0x10 | (thumb ? 0x20 : 0);
      cpu.pc = base | (thumb ? 1 : 0);
      const stop = cpu.run(1);
      assert.notEqual(stop, STOP_NONE);
    }
  });
}
