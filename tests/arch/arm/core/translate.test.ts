/**
 * The block translator against the interpreter and against the architecture's restart rules:
 * - lockstep: random instruction sequences (A32 and Thumb, biased towards the inlined forms) run on
 *   a translating core and on an interpreting one; at every stop the whole architectural state
 *   (registers, CPSR, retired count, stop details, memory) must be identical, and at a budget stop
 *   the interpreter, given exactly the instructions the translator retired, must land on the same
 *   state (`retired` exact, overshoot at most one block);
 * - a fault in the middle of a translated block leaves the state of the instruction boundary;
 * - code rewritten after it was translated (by a guest store and behind the core's back) runs new.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_BUDGET, STOP_DATA_ABORT, STOP_SVC } from "../../../../src/arch/arm/cpu.js";
import { MAX_BLOCK } from "../../../../src/arch/arm/jit/translate.js";
import { enableFpSimdAccess } from "../../../../src/arch/arm/fp-simd.js";
import { CODE_BASE, DATA_BASE, FlatMemory, assemble, flags, u32 } from "./harness.js";

function xorshift(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

const PROGRAM = 0x1000;
const UNMAPPED_PAGE = 0x30, READ_ONLY_PAGE = 0x31;

/**
 * A32 words, mostly from the classes the translator inlines: data processing and multiplies,
 * single and dual loads/stores, media, LDM/STM, VLDR/VSTR; one in ten fully random.
 */
function a32Word(rnd: () => number): number {
  const w = rnd();
  const pick = rnd() % 10;
  const cond = rnd() % 15;
  switch (pick) {
    case 0: case 1: case 2: return ((cond << 28) | (w & 0x03ffffff)) >>> 0; // data processing, multiply, LDRD/STRD, misc
    case 3: case 4: case 5: return ((cond << 28) | 0x04000000 | (w & 0x03ffffef)) >>> 0; // LDR/STR{B} imm/reg
    case 6: return ((cond << 28) | 0x06000010 | (w & 0x01ffffef)) >>> 0; // media: extend, bit fields, REV
    case 7: return ((cond << 28) | 0x08000000 | (w & 0x01ffffff)) >>> 0; // LDM/STM
    case 8: return ((cond << 28) | 0x0d000a00 | (w & 0x00dff1ff)) >>> 0; // VLDR/VSTR
    default: return w;
  }
}

/** Two Thumb halfwords; one in four pairs starts with an IT (random condition and mask). */
function thumbPair(rnd: () => number): number {
  const w = rnd();
  if ((w & 3) !== 0) return w;
  const it = 0xbf00 | ((rnd() % 14) << 4) | (((w >>> 2) & 15) || 8);
  return ((w & 0xffff0000) | it) >>> 0;
}

function state(cpu: ArmCpu): unknown {
  const i = cpu.stopInfo;
  return {
    regs: Array.from(cpu.regs), cpsr: u32(cpu.cpsr), retired: cpu.retired, reason: i.reason, fp: Array.from(cpu.fp.w),
    info: [i.address, i.access, i.status, i.imm, i.insn],
  };
}

function lockstep(thumb: boolean, seed: number, programs: number): void {
  const rnd = xorshift(seed);
  for (let p = 0; p < programs; p++) {
    const memories = [new FlatMemory(0x40000), new FlatMemory(0x40000)];
    for (const m of memories) m.unmapped.add(UNMAPPED_PAGE), m.readOnly.add(READ_ONLY_PAGE);
    const view = memories[0].view();
    const words = 24;
    for (let i = 0; i < words; i++) {
      if (thumb) view.setUint32(PROGRAM + 4 * i, thumbPair(rnd), true);
      else view.setUint32(PROGRAM + 4 * i, a32Word(rnd), true);
    }
    view.setUint32(PROGRAM + 4 * words, thumb ? 0xdf00df00 : 0xef000000, true); // svc
    for (let i = 0x20000; i < 0x30000; i += 4) view.setUint32(i, rnd(), true);
    memories[1].bytes.set(memories[0].bytes);
    const cpus = [
      new ArmCpu({ memory: memories[0], translateThreshold: 1 }),
      new ArmCpu({ memory: memories[1], translateThreshold: Infinity }),
    ];
    const regs = Array.from({ length: 15 }, (_, r) =>
      r % 3 === 0 ? rnd() | 0 : r === 4 ? PROGRAM + (rnd() & 0x7c) : 0x20000 + (rnd() & 0xfffc) + ((rnd() & 7) === 0 ? 0x10000 : 0),
    );
    const cpsr = (rnd() & 0xf80f0000) | 0x10 | (thumb ? 0x20 : 0);
    const fpWords = Array.from({ length: 64 }, () => rnd());
    for (const cpu of cpus) {
      regs.forEach((v, r) => (cpu.regs[r] = v));
      fpWords.forEach((v, r) => (cpu.fp.w[r] = v));
      cpu.cpsr = cpsr;
      cpu.pc = PROGRAM | (thumb ? 1 : 0);
    }
    const [jit, interp] = cpus;
    for (let stops = 0; stops < 40; stops++) {
      const before = jit.retired;
      const reason = jit.run(200);
      const ran = jit.retired - before;
      // exactly as many instructions (plus the one that stopped without retiring, for restartable
      // stops): the interpreter never overshoots
      interp.run(reason === STOP_BUDGET ? ran : ran + 1);
      assert.ok(ran <= 200 + MAX_BLOCK - 1, `overshoot ${ran}`);
      const where = `program ${p} (seed ${seed}), stop ${stops}: reason ${reason}`;
      assert.deepEqual(state(jit), state(interp), where);
      assert.ok(Buffer.from(memories[0].bytes.buffer).equals(Buffer.from(memories[1].bytes.buffer)), `memory: ${where}`);
      if (reason === STOP_BUDGET) continue;
      if (jit.stopInfo.reason === STOP_SVC && jit.pc === PROGRAM + 4 * words + (thumb ? 2 : 4)) break;
      const pc = jit.pc, next = (pc + (thumb ? 2 : 4)) | (thumb ? 1 : 0);
      if (pc < PROGRAM || pc >= PROGRAM + 4 * words) break; // left the program (prefetch abort, far branch)
      for (const cpu of cpus) cpu.pc = next; // step over the stopping instruction
    }
  }
}

test("lockstep: translated A32 blocks match the interpreter at every stop", () => lockstep(false, 0x1234567, 600));
test("lockstep: translated Thumb blocks match the interpreter at every stop", () => lockstep(true, 0x7654321, 600));

test("a data abort in the middle of a translated block: earlier instructions retired, flags and PC at the fault", () => {
  const mem = new FlatMemory();
  mem.unmapped.add(DATA_BASE >>> 12);
  mem.bytes.set(assemble(`mov r1, #5\ncmp r1, #9\nadd r2, r1, #1\nldr r3, [r0]\nmov r4, #1\nsvc #0`, false), CODE_BASE);
  const cpu = new ArmCpu({ memory: mem, translateThreshold: 1 });
  cpu.regs[0] = DATA_BASE + 8;
  cpu.regs[3] = 77;
  cpu.pc = CODE_BASE;
  assert.equal(cpu.run(100), STOP_DATA_ABORT);
  assert.equal(cpu.pc, CODE_BASE + 12);
  assert.equal(cpu.retired, 3);
  assert.equal(flags(cpu), "Nzcv"); // 5 - 9: negative, borrow
  assert.deepEqual([cpu.regs[2], cpu.regs[3], cpu.regs[4]], [6, 77, 0]);
  assert.equal(cpu.stopInfo.address, DATA_BASE + 8);
  mem.unmapped.clear();
  mem.generation++;
  assert.equal(cpu.run(100), STOP_SVC); // restarts at the load
  assert.equal(cpu.retired, 6);
  assert.equal(cpu.regs[4], 1);
});

test("a translated loop whose body is rewritten by a guest store runs the new instruction", () => {
  // Iterations 1..5 run `add r1, r1, #1` (translated after the first); iteration 5 patches it to
  // `add r1, r1, #16` in the same block, so iterations 6..10 must add 16: 5 * 1 + 5 * 16 = 85.
  const mem = new FlatMemory();
  const code = assemble(
    "mov r1, #0\nmov r3, #0\nadr r0, body\nldr r2, =0xe2811010\nloop: add r3, r3, #1\nbody: add r1, r1, #1\n" +
      "cmp r3, #5\nstreq r2, [r0]\ncmp r3, #10\nbne loop\nsvc #0\n.ltorg", false);
  mem.bytes.set(code, CODE_BASE);
  const cpu = new ArmCpu({ memory: mem, translateThreshold: 1 });
  cpu.pc = CODE_BASE;
  assert.equal(cpu.run(1000), STOP_SVC);
  assert.equal(cpu.regs[1], 85);
});

test("a translated block rewritten behind the core's back runs new after invalidateCode", () => {
  const mem = new FlatMemory();
  const cpu = new ArmCpu({ memory: mem, translateThreshold: 1 });
  for (const [value, thumb] of [[1, false], [2, false], [3, true], [4, true]] as const) {
    mem.bytes.set(assemble(`movs r1, #0\nloop: adds r1, r1, #1\ncmp r1, #3\nbne loop\nmovs r0, #${value}\nsvc #0`, thumb), CODE_BASE);
    cpu.invalidateCode(CODE_BASE, 64);
    cpu.pc = CODE_BASE | (thumb ? 1 : 0);
    assert.equal(cpu.run(100), STOP_SVC);
    assert.equal(cpu.regs[0], value);
  }
});

test("a block looping on itself stops within one block of the budget, with the exact retired count", () => {
  for (const thumb of [false, true]) {
    const mem = new FlatMemory();
    mem.bytes.set(assemble("mov r1, #0\nloop: add r1, r1, #3\nsubs r0, r0, #1\nbne loop\nsvc #0", thumb), CODE_BASE);
    const cpu = new ArmCpu({ memory: mem, translateThreshold: 1 });
    cpu.regs[0] = 1000;
    cpu.pc = CODE_BASE | (thumb ? 1 : 0);
    let stop = STOP_BUDGET;
    for (let runs = 0; stop === STOP_BUDGET; runs++) {
      const before = cpu.retired;
      stop = cpu.run(7);
      const ran = cpu.retired - before;
      assert.ok(ran >= 1 && ran <= 7 + 2, `run ${runs} retired ${ran}`); // a loop iteration is 3 instructions
      // between runs the state sits on an instruction boundary: adds retired = r1 / 3, subs retired =
      // 1000 - r0, and the branches retired are one fewer than the subs, or as many
      const adds = cpu.regs[1] / 3, subs = 1000 - cpu.regs[0], branches = cpu.retired - 1 - adds - subs;
      if (stop === STOP_BUDGET) {
        assert.ok(adds - subs === 0 || adds - subs === 1, `adds ${adds} subs ${subs}`);
        assert.ok(branches === subs || branches === subs - 1, `branches ${branches} subs ${subs}`);
      }
    }
    assert.equal(stop, STOP_SVC);
    assert.equal(cpu.retired, 1 + 3000 + 1);
    assert.equal(cpu.regs[1], 3000);
  }
});

test("a translated STM/STRD/VSTR that runs into a read-only page writes nothing and is restartable", () => {
  for (const [insn, thumb] of [
    ["stmia r0, {r1-r4}", false], ["strd r2, r3, [r0, #4]", false], ["vstr d1, [r0, #4]", false],
    ["stmia r0!, {r1-r4}", true], ["strd r2, r3, [r0, #4]", true],
  ] as const) {
    const mem = new FlatMemory();
    const readOnly = (DATA_BASE >>> 12) + 1;
    mem.readOnly.add(readOnly);
    mem.bytes.set(assemble(`adds r5, r5, #1\n${insn}\nsvc #0`, thumb), CODE_BASE);
    const cpu = new ArmCpu({ memory: mem, translateThreshold: 1 });
    const at = readOnly * 4096 - 8; // two words below the read-only page, the rest inside it
    cpu.regs[0] = at;
    [1, 2, 3, 4].forEach((r) => (cpu.regs[r] = 0x11111111 * r));
    enableFpSimdAccess(cpu); // VSTR needs CPACR/FPEXC.EN on, as for a Linux process
    cpu.fp.d[1] = 1.1; // both words nonzero
    cpu.pc = CODE_BASE | (thumb ? 1 : 0);
    assert.equal(cpu.run(100), STOP_DATA_ABORT, insn);
    assert.equal(cpu.pc, CODE_BASE + (thumb ? 2 : 4), insn);
    assert.equal(cpu.retired, 1, insn);
    assert.equal(cpu.regs[0], at, `${insn}: no write-back`);
    assert.equal(cpu.regs[5], 1);
    assert.ok(mem.bytes.subarray(at - 16, at + 16).every((b) => b === 0), `${insn}: memory unchanged`);
  }
});
