/**
 * FP/SIMD access control, bare-metal style on the real core in system mode (MMU off, vectors at
 * VBAR): CPACR.cp10/cp11 and FPEXC.EN decide whether VFP and Advanced SIMD instructions execute or
 * take the Undefined Instruction exception (ARM ARM B1.11.1-B1.11.3, CPACR B4.1.40, FPEXC, the
 * VMRS/VMSR pseudocode). Expected values from the architecture: UNDEFINED enters Undefined mode at
 * VBAR + 4 with LR_und = the instruction + 4 (ARM) / + 2 (Thumb), SPSR_und = the CPSR before, and
 * the instruction has written nothing.
 * Every case runs on the interpreter and through the block translator (threshold 1: translated from
 * the first instruction, which covers the translator's inline VLDR/VSTR).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_HVC, STOP_UNDEFINED } from "../../../../src/arch/arm/cpu.js";
import { coreRegister } from "../../../../src/arch/arm/exceptions.js";
import { CODE_BASE, DATA_BASE, FlatMemory, assemble } from "../core/harness.js";

const VBAR = 0x8000;
const MODE_USR = 0x10, MODE_SVC = 0x13, MODE_UND = 0x1b;
const FPEXC_EN = 0x40000000;
const CPACR_DENIED = 0, CPACR_PL1 = 0x00500000, CPACR_FULL = 0x00f00000;
/** struct kvm_regs index of SPSR_und (reference §5.2) */
const SPSR_UND = 26;

interface Setup {
  thumb: boolean;
  jit: boolean;
  mode: number;
  cpacr: number;
  fpexc: number;
  /** Undefined Instruction handler (ARM state); default: stop with HVC */
  undHandler?: string;
}

/** A reset core running `source` at CODE_BASE in `mode`, with the given CPACR and FPEXC. */
function machine(source: string, s: Setup): { cpu: ArmCpu; mem: FlatMemory } {
  const mem = new FlatMemory();
  mem.bytes.set(assemble(source, s.thumb), CODE_BASE);
  // vector table: everything but the Undefined Instruction vector stops with HVC
  const vectors = assemble(
    `hvc #1\nb und\nhvc #2\nhvc #3\nhvc #4\nhvc #5\nhvc #6\nhvc #7\nund:\n${s.undHandler ?? "hvc #0"}`, false);
  mem.bytes.set(vectors, VBAR);
  const cpu = new ArmCpu({ memory: mem, translateThreshold: s.jit ? 1 : Infinity });
  cpu.systemMode = true;
  cpu.reset();
  cpu.cp15.vbar = VBAR;
  cpu.cp15.cpacr = s.cpacr;
  cpu.fp.fpexc = s.fpexc;
  cpu.cpsr = 0x1c0 | (s.thumb ? 0x20 : 0) | s.mode; // A, I, F masked
  cpu.regs[0] = DATA_BASE;
  cpu.regs[13] = 0x80000;
  cpu.pc = CODE_BASE | (s.thumb ? 1 : 0);
  new DataView(mem.bytes.buffer).setFloat64(DATA_BASE, 2.5, true);
  return { cpu, mem };
}

/** The FP/SIMD instructions under test; each is preceded by one ordinary instruction. */
const INSTRUCTIONS: Record<string, string> = {
  "VADD.F32": "vadd.f32 s0, s2, s4",
  "VLDR": "vldr d0, [r0]",
  "VSTR": "vstr d1, [r0, #8]",
  "VMOV core to FP": "vmov s0, r1",
  "VMOV FP to core": "vmov r3, s2",
  "NEON VADD.I32": "vadd.i32 d0, d1, d2",
  "VMRS FPSCR": "vmrs r3, fpscr",
  "VMSR FPSCR": "vmsr fpscr, r1",
};

const VARIANTS = [false, true].flatMap((thumb) => [false, true].map((jit) => ({ thumb, jit })));
const label = (v: { thumb: boolean; jit: boolean }) => `${v.thumb ? "T32" : "A32"}, ${v.jit ? "translated" : "interpreted"}`;

/** Runs `insn` after a 16-bit/32-bit MOVS (N, Z stay clear) and checks that it raised UNDEFINED without side effects. */
function expectUndefined(name: string, insn: string, s: Setup): void {
  const { cpu, mem } = machine(`movs r5, #1\n${insn}\nmov r6, #1\nsvc #0`, s);
  cpu.regs[1] = 0x12345678;
  cpu.regs[3] = 0x0badf00d;
  cpu.fp.d[1] = 1.5;
  cpu.fp.d[2] = 0.25;
  const fpBefore = Array.from(cpu.fp.w);
  const cpsrBefore = cpu.cpsr;
  const what = `${name} (${insn}) ${label(s)} mode ${s.mode.toString(16)} CPACR ${s.cpacr.toString(16)} FPEXC ${s.fpexc.toString(16)}`;
  assert.equal(cpu.run(100), STOP_HVC, `${what}: reached the Undefined Instruction vector`);
  assert.equal(cpu.stopInfo.imm, 0, `${what}: the UNDEF vector, not another one`);
  const at = CODE_BASE + (s.thumb ? 2 : 4);
  assert.equal(cpu.mode, MODE_UND, what);
  assert.equal(cpu.regs[14] >>> 0, at + (s.thumb ? 2 : 4), `${what}: LR_und`);
  assert.equal(coreRegister(cpu, SPSR_UND), cpsrBefore, `${what}: SPSR_und = CPSR before`);
  assert.equal(cpu.pc, VBAR + 0x20 + 4, `${what}: stopped past the handler's HVC`);
  assert.equal(cpu.regs[5], 1, `${what}: the instruction before ran`);
  assert.equal(cpu.regs[6], 0, `${what}: the instruction after did not`);
  assert.equal(cpu.regs[3], 0x0badf00d, `${what}: no core register written`);
  assert.deepEqual(Array.from(cpu.fp.w), fpBefore, `${what}: no FP register written`);
  assert.equal(cpu.fp.fpscr, 0, `${what}: FPSCR untouched`);
  assert.ok(mem.bytes.subarray(DATA_BASE + 8, DATA_BASE + 16).every((b) => b === 0), `${what}: no store`);
}

/** Runs `insn` and checks that it executed (the snippet reaches its SVC in the same mode). */
function expectExecutes(insn: string, s: Setup): ArmCpu {
  const { cpu } = machine(`${insn}\nmov r6, #1\nsvc #0`, s);
  cpu.regs[1] = 0x12345678;
  const what = `${insn} ${label(s)} mode ${s.mode.toString(16)} CPACR ${s.cpacr.toString(16)} FPEXC ${s.fpexc.toString(16)}`;
  // SVC from the snippet: its vector is HVC #2
  assert.equal(cpu.run(100), STOP_HVC, what);
  assert.equal(cpu.stopInfo.imm, 2, `${what}: reached the SVC, not the UNDEF vector`);
  assert.equal(cpu.regs[6], 1, what);
  return cpu;
}

for (const v of VARIANTS) {
  test(`CPACR cp10/cp11 = 0b00: every FP/SIMD instruction is UNDEFINED at PL1 and PL0 (${label(v)})`, () => {
    for (const mode of [MODE_SVC, MODE_USR]) {
      for (const [name, insn] of Object.entries(INSTRUCTIONS)) {
        expectUndefined(name, insn, { ...v, mode, cpacr: CPACR_DENIED, fpexc: FPEXC_EN });
      }
      // the PL1-only registers need CPACR too
      expectUndefined("VMRS FPEXC", "vmrs r3, fpexc", { ...v, mode, cpacr: CPACR_DENIED, fpexc: FPEXC_EN });
    }
  });

  test(`CPACR = PL1 only: FP/SIMD is UNDEFINED at PL0 and runs at PL1 (${label(v)})`, () => {
    for (const [name, insn] of Object.entries(INSTRUCTIONS)) {
      expectUndefined(name, insn, { ...v, mode: MODE_USR, cpacr: CPACR_PL1, fpexc: FPEXC_EN });
    }
    const cpu = expectExecutes("vldr d2, [r0]\nvadd.f64 d3, d2, d2\nvadd.i32 d4, d2, d2\nvmov r4, s6",
      { ...v, mode: MODE_SVC, cpacr: CPACR_PL1, fpexc: FPEXC_EN });
    assert.equal(cpu.fp.d[3], 5);
    assert.equal(cpu.fp.w[7], 0x40140000); // high word of 5.0
    // cp10 = 0b10 (reserved) is treated as no access, even at PL1
    expectUndefined("VADD.F32", "vadd.f32 s0, s2, s4", { ...v, mode: MODE_SVC, cpacr: 0x00a00000, fpexc: FPEXC_EN });
  });

  test(`FPEXC.EN = 0: VADD/VLDR/VSTR/NEON/VMOV/VMRS FPSCR are UNDEFINED; FPSID, FPEXC, MVFR0/1 stay accessible at PL1 (${label(v)})`, () => {
    for (const mode of [MODE_SVC, MODE_USR]) {
      for (const [name, insn] of Object.entries(INSTRUCTIONS)) {
        expectUndefined(name, insn, { ...v, mode, cpacr: CPACR_FULL, fpexc: 0 });
      }
    }
    const cpu = expectExecutes("vmrs r7, fpexc\nvmrs r8, fpsid\nvmrs r9, mvfr0\nvmrs r10, mvfr1\nvmsr fpsid, r1",
      { ...v, mode: MODE_SVC, cpacr: CPACR_FULL, fpexc: 0 });
    assert.equal(cpu.regs[7], 0);
    assert.equal(cpu.regs[8] >>> 24, 0x41, "FPSID implementer: ARM");
    assert.equal(cpu.regs[9] & 0xf, 2, "MVFR0: 32 double registers");
    // enabling the unit with VMSR FPEXC (EN = 0) makes the next FP instruction run
    const on = expectExecutes(`mov r1, #${FPEXC_EN}\nvmsr fpexc, r1\nvldr d2, [r0]\nvadd.f64 d3, d2, d2\nvmrs r7, fpexc`,
      { ...v, mode: MODE_SVC, cpacr: CPACR_FULL, fpexc: 0 });
    assert.equal(on.fp.fpexc, FPEXC_EN);
    assert.equal(on.regs[7], FPEXC_EN);
    assert.equal(on.fp.d[3], 5);
  });

  test(`PL0: VMRS/VMSR of FPEXC, FPSID, MVFR0/1 are UNDEFINED even with full access; FPSCR and APSR_nzcv work (${label(v)})`, () => {
    const full = { ...v, mode: MODE_USR, cpacr: CPACR_FULL, fpexc: FPEXC_EN };
    for (const insn of ["vmrs r3, fpexc", "vmrs r3, fpsid", "vmrs r3, mvfr0", "vmrs r3, mvfr1", "vmsr fpexc, r1"]) {
      expectUndefined("PL1-only register", insn, full);
    }
    const cpu = expectExecutes("mov r1, #0x20000000\nvmsr fpscr, r1\nvmrs r7, fpscr\nvmrs APSR_nzcv, fpscr\nvadd.i32 d0, d1, d1", full);
    assert.equal(cpu.regs[7], 0x20000000);
    assert.equal(cpu.cpsr >>> 28, 0x2, "C copied from FPSCR");
  });
}

test("lazy enabling as Linux does it: the first FP instruction at PL0 traps, the handler sets FPEXC.EN and returns to it", () => {
  for (const v of VARIANTS) {
    // the handler counts traps in r11 (not banked in Undefined mode) and returns to the instruction
    const back = v.thumb ? "subs pc, lr, #2" : "subs pc, lr, #4";
    const { cpu } = machine("vldr d2, [r0]\nvadd.f64 d3, d2, d2\nvstr d3, [r0, #8]\nvmov r4, r5, d3\nsvc #0", {
      ...v, mode: MODE_USR, cpacr: CPACR_FULL, fpexc: 0,
      undHandler: `add r11, r11, #1\nmov r12, #${FPEXC_EN}\nvmsr fpexc, r12\n${back}`,
    });
    assert.equal(cpu.run(1000), STOP_HVC, label(v));
    assert.equal(cpu.stopInfo.imm, 2, `${label(v)}: ended at the SVC`);
    assert.equal(cpu.regs[11], 1, `${label(v)}: exactly one trap, on the first FP instruction`);
    assert.equal(cpu.fp.d[3], 5, label(v));
    assert.equal(cpu.regs[5] >>> 0, 0x40140000, label(v));
  }
});

test("reset: FPEXC.EN = 0 and CPACR = 0; a core nobody set FP/SIMD up for stops UNDEFINED (tskvm user sets it up)", () => {
  const mem = new FlatMemory();
  const cpu = new ArmCpu({ memory: mem });
  cpu.systemMode = true;
  cpu.reset();
  assert.equal(cpu.fp.fpexc & FPEXC_EN, 0, "FPEXC.EN resets to 0");
  assert.equal(cpu.cp15.cpacr, 0, "CPACR resets to 0");
  const bare = new ArmCpu({ memory: mem });
  mem.bytes.set(assemble("vadd.i32 d0, d1, d1\nsvc #0", false), CODE_BASE);
  bare.pc = CODE_BASE;
  assert.equal(bare.run(10), STOP_UNDEFINED);
  assert.equal(bare.pc, CODE_BASE);
  // 1111 0010 0 D=0 size=10 Vn=0001 Vd=0000 1000 N=0 Q=0 M=0 0 Vm=0001
  assert.equal(bare.stopInfo.insn, 0xf2210801, "the encoding of VADD.I32 d0, d1, d1");
});
