import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_BKPT, STOP_PREFETCH_ABORT, STOP_SVC, STOP_UNDEFINED } from "../../../../src/arch/arm/cpu.js";
import { CODE_BASE, DATA_BASE, FlatMemory, assemble, run, u32 } from "./harness.js";

test("A32 <-> Thumb interworking: BLX imm, BX, BLX reg, LDR pc and POP pc return to the right state", () => {
  const { cpu, stop } = run(
    ".arm\nblx t1\nmov r2, #2\nadr r3, t2\nadd r3, r3, #1\nblx r3\nmov r4, #4\nsvc #0\n" +
      ".thumb\n.align 2\nt1: movs r1, #1\nbx lr\n.align 2\nt2: push {lr}\nmovs r5, #5\npop {pc}\n",
  );
  assert.equal(stop, STOP_SVC);
  assert.deepEqual([1, 2, 4, 5].map((r) => cpu.regs[r]), [1, 2, 4, 5]);
  assert.equal(cpu.thumb, false);
});

test("Thumb: CBZ/CBNZ, TBB and TBH jump tables, BL across a literal pool", () => {
  const { cpu } = run(
    "movs r0, #0\ncbz r0, 1f\nmovs r1, #99\n1: movs r1, #1\ncbnz r1, 2f\nmovs r2, #99\n2: movs r2, #2\n" +
      "movs r3, #2\ntbb [pc, r3]\n3: .byte (4f-3b)/2, (4f-3b)/2, (5f-3b)/2, 0\n4: movs r4, #99\nb 6f\n5: movs r4, #4\n" +
      "6: movs r3, #1\ntbh [pc, r3, lsl #1]\n7: .hword (8f-7b)/2, (9f-7b)/2\n8: movs r5, #99\nb 10f\n9: movs r5, #5\n" +
      "10: bl 11f\nsvc #0\n.ltorg\n11: movs r6, #6\nbx lr\n",
    { thumb: true },
  );
  assert.deepEqual([1, 2, 4, 5, 6].map((r) => cpu.regs[r]), [1, 2, 4, 5, 6]);
});

test("A32: conditional branches on signed and unsigned comparisons", () => {
  const { cpu } = run(
    "mvn r0, #0\nmov r1, #1\nmov r5, #0\ncmp r0, r1\nblt 1f\nadd r5, r5, #1\n1: cmp r0, r1\nbhi 2f\nadd r5, r5, #2\n" +
      "2: cmp r1, r1\nbne 3f\nbge 3f\nadd r5, r5, #4\n3: svc #0",
  );
  assert.equal(cpu.regs[5], 0); // -1 < 1 signed; 0xffffffff > 1 unsigned; 1 >= 1
});

test("SVC leaves PC after the instruction with the immediate; BKPT and UDF stop at the instruction", () => {
  let r = run("svc #0x123456\n");
  assert.equal(r.stop, STOP_SVC);
  assert.equal(r.cpu.stopInfo.imm, 0x123456);
  assert.equal(r.cpu.pc, CODE_BASE + 4);
  r = run("nop\nbkpt #0x42\n", { thumb: true });
  assert.equal(r.stop, STOP_BKPT);
  assert.equal(r.cpu.stopInfo.imm, 0x42);
  assert.equal(r.cpu.pc, CODE_BASE + 2);
  r = run("nop\nudf #7\n");
  assert.equal(r.stop, STOP_UNDEFINED);
  assert.equal(u32(r.cpu.stopInfo.insn), 0xe7f000f7);
  assert.equal(r.cpu.pc, CODE_BASE + 4);
  r = run("udf.w #1\n", { thumb: true });
  assert.equal(r.stop, STOP_UNDEFINED);
  assert.equal(u32(r.cpu.stopInfo.insn), 0xf7f0a001);
});

test("CP15 at PL0: TPIDRURW read/write, TPIDRURO read-only, CNTVCT via MRRC; other registers UNDEFINED", () => {
  const mem = new FlatMemory();
  const code = assemble(
    "mov r0, #0x55\nmcr p15, 0, r0, c13, c0, 2\nmrc p15, 0, r1, c13, c0, 2\nmrc p15, 0, r2, c13, c0, 3\n" +
      "mrrc p15, 1, r4, r5, c14\nmrc p15, 0, r6, c14, c0, 0\nsvc #0\nmrc p15, 0, r3, c1, c0, 0\n",
    false,
  );
  mem.bytes.set(code, CODE_BASE);
  const cpu = new ArmCpu({ memory: mem, readCounter: () => 0x123456789, counterFrequency: 1000 });
  cpu.tpidruro = 0xdead0000;
  cpu.pc = CODE_BASE;
  assert.equal(cpu.run(100), STOP_SVC);
  assert.equal(cpu.tpidrurw, 0x55);
  assert.equal(cpu.regs[1], 0x55);
  assert.equal(u32(cpu.regs[2]), 0xdead0000);
  assert.equal(u32(cpu.regs[4]), 0x23456789);
  assert.equal(cpu.regs[5], 1);
  assert.equal(cpu.regs[6], 1000);
  assert.equal(cpu.run(100), STOP_UNDEFINED); // SCTLR is PL1-only
  assert.equal(cpu.pc, CODE_BASE + 28);
});

test("self-modifying code: a store over already-executed code takes effect on the next execution", () => {
  // The loop runs `mov r1, #1` once, then patches that instruction to `mov r1, #2` and runs it again.
  const { cpu } = run(
    "mov r3, #0\nadr r0, target\nldr r2, =0xe3a01002\nloop: \ntarget: mov r1, #1\nadd r3, r3, #1\ncmp r3, #2\nbeq done\n" +
      "str r2, [r0]\nb loop\ndone: svc #0\n.ltorg",
  );
  assert.equal(cpu.regs[1], 2);
});

test("code written behind the core's back runs after invalidateCode", () => {
  const mem = new FlatMemory();
  const cpu = new ArmCpu({ memory: mem });
  mem.bytes.set(assemble("mov r0, #1\nsvc #0", false), CODE_BASE);
  cpu.pc = CODE_BASE;
  cpu.run(10);
  assert.equal(cpu.regs[0], 1);
  mem.bytes.set(assemble("mov r0, #2\nsvc #0", false), CODE_BASE);
  cpu.invalidateCode(CODE_BASE, 8);
  cpu.pc = CODE_BASE;
  cpu.run(10);
  assert.equal(cpu.regs[0], 2);
});

test("executing from an unmapped page is a prefetch abort at that address", () => {
  const mem = new FlatMemory();
  mem.unmapped.add(DATA_BASE >>> 12);
  const r = run(`ldr r0, =${DATA_BASE + 0x10}\nbx r0\n.ltorg`, { memory: mem });
  assert.equal(r.stop, STOP_PREFETCH_ABORT);
  assert.equal(r.cpu.stopInfo.address, DATA_BASE + 0x10);
  assert.equal(r.cpu.pc, DATA_BASE + 0x10);
});

test("a 32-bit Thumb instruction straddling a page boundary executes", () => {
  const mem = new FlatMemory();
  const code = assemble("movw r0, #0x1234\nmovt r0, #0x5678\nsvc #0", true);
  const at = CODE_BASE + 0x1000 - 2;
  mem.bytes.set(code, at);
  const cpu = new ArmCpu({ memory: mem });
  cpu.pc = at | 1;
  assert.equal(cpu.run(10), STOP_SVC);
  assert.equal(u32(cpu.regs[0]), 0x56781234);
});

test("retired counts instructions across runs and the budget stops the core", () => {
  const r = run("1: add r0, r0, #1\nb 1b", { budget: 1000 });
  assert.equal(r.cpu.retired, 1000);
  assert.equal(r.cpu.regs[0], 500);
  r.cpu.run(10);
  assert.equal(r.cpu.retired, 1010);
});

test("Thumb: 32-bit conditional and unconditional branches forwards and backwards over 1 MiB", () => {
  const mem = new FlatMemory(0x400000);
  const { cpu, stop } = run(
    "movs r0, #0\ncmp r0, #0\nbeq.w fwd\nmovs r1, #99\nback: movs r2, #2\nbl.w far\nsvc #0\n" +
      ".space 300000\nfwd: movs r1, #1\ncmp r0, #0\nbne.w fwd\nb.w back\n.space 1200000\nfar: movs r3, #3\nbx lr\n",
    { thumb: true, memory: mem },
  );
  assert.equal(stop, STOP_SVC);
  assert.deepEqual([1, 2, 3].map((r) => cpu.regs[r]), [1, 2, 3]);
});
