/**
 * The FP/SIMD access gate covers every form the FP/SIMD decoders produce: random encodings from
 * each CP10/CP11 and Advanced SIMD encoding space (A32 and T32, fpscr.ts lists them), run with
 * CPACR cp10/cp11 = 0b00, must all be UNDEFINED — the access check comes before any other
 * decision, VMRS/VMSR included — and leave PC, core and FP/SIMD registers and memory as they were.
 * Interpreted and translated (threshold 1). A missing gate on any executor fails this test.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_UNDEFINED } from "../../../../src/arch/arm/cpu.js";
import { Decoded } from "../../../../src/arch/arm/decode/pattern.js";
import { vfpDecoder } from "../../../../src/arch/arm/vfp/decode.js";
import { CODE_BASE, DATA_BASE, FlatMemory } from "../core/harness.js";

/** [fixed bits, random-bit mask] per encoding space; T32 words are hw1 << 16 | hw2. */
const SPACES: { name: string; thumb: boolean; fixed: number; free: number }[] = [
  { name: "A32 VFP load/store, 64-bit transfers (cccc 110x .. 101x)", thumb: false, fixed: 0xec000a00, free: 0x01fff1ff },
  { name: "A32 VFP data processing, transfers (cccc 1110 .. 101x)", thumb: false, fixed: 0xee000a00, free: 0x00fff1ff },
  { name: "A32 Advanced SIMD data processing (1111 001x)", thumb: false, fixed: 0xf2000000, free: 0x01ffffff },
  { name: "A32 Advanced SIMD element load/store (1111 0100 xxx0)", thumb: false, fixed: 0xf4000000, free: 0x00efffff },
  { name: "T32 VFP load/store, 64-bit transfers", thumb: true, fixed: 0xec000a00, free: 0x01fff1ff },
  { name: "T32 VFP data processing, transfers", thumb: true, fixed: 0xee000a00, free: 0x00fff1ff },
  { name: "T32 Advanced SIMD data processing (111x 1111)", thumb: true, fixed: 0xef000000, free: 0x10ffffff },
  { name: "T32 Advanced SIMD element load/store (1111 1001 xxx0)", thumb: true, fixed: 0xf9000000, free: 0x00efffff },
];
const PER_SPACE = 1500;

function xorshift(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

for (const jit of [false, true]) {
  test(`CPACR denied: every decodable FP/SIMD encoding is UNDEFINED and changes nothing (${jit ? "translated" : "interpreted"})`, () => {
    const mem = new FlatMemory();
    const view = mem.view();
    const cpu = new ArmCpu({ memory: mem, translateThreshold: jit ? 1 : Infinity });
    // User mode, CPACR 0 (no access), FPEXC.EN set: only CPACR denies
    cpu.fp.fpexc = 0x40000000;
    const rnd = xorshift(0x5eed ^ (jit ? 1 : 2));
    const out = new Decoded();
    for (const space of SPACES) {
      let decodable = 0;
      for (let i = 0; i < PER_SPACE; i++) {
        const word = (space.fixed | (rnd() & space.free)) >>> 0;
        if (vfpDecoder.decode(word | 0, space.thumb, out)) decodable++;
        if (space.thumb) {
          view.setUint16(CODE_BASE, word >>> 16, true);
          view.setUint16(CODE_BASE + 2, word & 0xffff, true);
        } else view.setUint32(CODE_BASE, word, true);
        cpu.invalidateCode(CODE_BASE, 4);
        for (let r = 0; r < 13; r++) cpu.regs[r] = DATA_BASE + 0x100 * r;
        cpu.regs[13] = DATA_BASE + 0x2000;
        cpu.regs[14] = 0x1234;
        for (let k = 0; k < 64; k++) cpu.fp.w[k] = (0x9e3779b9 * (k + 1)) >>> 0;
        cpu.fp.fpscr = 0x03000000;
        cpu.cpsr = 0x10 | (space.thumb ? 0x20 : 0);
        cpu.pc = CODE_BASE | (space.thumb ? 1 : 0);
        const what = `${space.name}: 0x${word.toString(16)}`;
        assert.equal(cpu.run(1), STOP_UNDEFINED, what);
        assert.equal(cpu.pc, CODE_BASE, `${what}: PC at the instruction`);
        assert.equal(cpu.stopInfo.insn, word, `${what}: encoding reported`);
        for (let r = 0; r < 13; r++) assert.equal(cpu.regs[r], DATA_BASE + 0x100 * r, `${what}: r${r}`);
        assert.equal(cpu.regs[13], DATA_BASE + 0x2000, `${what}: sp`);
        for (let k = 0; k < 64; k++) assert.equal(cpu.fp.w[k], (0x9e3779b9 * (k + 1)) >>> 0, `${what}: FP word ${k}`);
        assert.equal(cpu.fp.fpscr, 0x03000000, `${what}: FPSCR`);
        assert.equal(cpu.cpsr & 0xf8000000, 0, `${what}: flags`);
      }
      // the sweep must reach the executors, not only encodings the decoder rejects
      assert.ok(decodable > PER_SPACE / 4, `${space.name}: ${decodable} of ${PER_SPACE} decoded`);
    }
    assert.ok(mem.bytes.subarray(DATA_BASE - 0x1000, DATA_BASE + 0x3000).every((b) => b === 0), "memory unchanged");
  });
}
