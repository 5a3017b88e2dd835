import { test } from "node:test";
import assert from "node:assert/strict";
import { STOP_DATA_ABORT, STOP_SVC } from "../../../../src/arch/arm/cpu.js";
import { ACCESS_READ, ACCESS_WRITE } from "../../../../src/arch/arm/memory.js";
import { FSR_ALIGNMENT } from "../../../../src/arch/arm/stop.js";
import { CODE_BASE, DATA_BASE, FlatMemory, run, u32 } from "./harness.js";

const data = `ldr r0, =${DATA_BASE}\n`;

for (const thumb of [false, true]) {
  const mode = thumb ? "T32" : "A32";

  test(`${mode}: addressing modes: offset, pre-indexed and post-indexed write-back`, () => {
    const mem = new FlatMemory();
    const view = mem.view();
    for (let i = 0; i < 16; i++) view.setUint32(DATA_BASE + 4 * i, 0x11111111 * i, true);
    const { cpu } = run(
      data + "ldr r1, [r0, #8]\nmov r2, r0\nldr r3, [r2, #4]!\nmov r4, r0\nldr r5, [r4], #12\n" +
        "mov r6, #3\nldr r7, [r0, r6, lsl #2]\nldr r8, [r0, #-0]\nsvc #0\n.ltorg",
      { thumb, memory: mem },
    );
    assert.equal(cpu.regs[1], 0x22222222);
    assert.equal(cpu.regs[2], DATA_BASE + 4);
    assert.equal(cpu.regs[3], 0x11111111);
    assert.equal(cpu.regs[4], DATA_BASE + 12);
    assert.equal(cpu.regs[5], 0);
    assert.equal(cpu.regs[7], 0x33333333);
  });

  test(`${mode}: byte/halfword/signed loads and stores, unaligned word access, LDRD/STRD`, () => {
    const mem = new FlatMemory();
    const view = mem.view();
    view.setUint32(DATA_BASE, 0x8899aabb, true);
    view.setUint32(DATA_BASE + 4, 0x11223344, true);
    const { cpu } = run(
      data + "ldrb r1, [r0]\nldrsb r2, [r0, #1]\nldrh r3, [r0, #2]\nldrsh r4, [r0, #2]\nldr r5, [r0, #1]\n" +
        "ldrd r6, r7, [r0]\nstrd r6, r7, [r0, #8]\nmov r8, #0x5a\nstrb r8, [r0, #17]\nldr r9, =0xcafef00d\nstrh r9, [r0, #20]\n" +
        "str r9, [r0, #23]\nsvc #0\n.ltorg",
      { thumb, memory: mem },
    );
    assert.equal(cpu.regs[1], 0xbb);
    assert.equal(cpu.regs[2], -0x56); // 0xaa
    assert.equal(cpu.regs[3], 0x8899);
    assert.equal(cpu.regs[4], 0x8899 - 0x10000);
    assert.equal(u32(cpu.regs[5]), 0x448899aa); // unaligned LDR: bytes 1..4, little-endian
    assert.equal(u32(cpu.regs[6]), 0x8899aabb);
    assert.equal(cpu.regs[7], 0x11223344);
    assert.equal(view.getUint32(DATA_BASE + 8, true), 0x8899aabb);
    assert.equal(view.getUint32(DATA_BASE + 12, true), 0x11223344);
    assert.equal(view.getUint8(DATA_BASE + 17), 0x5a);
    assert.equal(view.getUint16(DATA_BASE + 20, true), 0xf00d);
    assert.equal(view.getUint32(DATA_BASE + 23, true), 0xcafef00d);
  });

  test(`${mode}: PUSH/POP, STMDB/LDMIA with write-back, POP into PC returns`, () => {
    const { cpu } = run(
      "mov r1, #1\nmov r2, #2\nmov r3, #3\npush {r1-r3, lr}\nmov r1, #0\nmov r2, #0\nmov r3, #0\npop {r1-r3}\nadd sp, sp, #4\n" +
        data + "stmia r0!, {r1-r3}\nldmdb r0!, {r4-r6}\nbl f\nsvc #0\nf: push {lr}\nmov r7, #77\npop {pc}\n.ltorg",
      { thumb },
    );
    assert.deepEqual([cpu.regs[1], cpu.regs[2], cpu.regs[3]], [1, 2, 3]);
    assert.deepEqual([cpu.regs[4], cpu.regs[5], cpu.regs[6]], [1, 2, 3]);
    assert.equal(cpu.regs[0], DATA_BASE);
    assert.equal(cpu.regs[7], 77);
    assert.equal(cpu.regs[13], 0x80000);
  });

  test(`${mode}: LDREX/STREX succeed once; CLREX and a second STREX fail; byte/half/dual forms`, () => {
    const { cpu, mem } = run(
      data + "mov r1, #5\nldrex r2, [r0]\nstrex r3, r1, [r0]\nstrex r4, r1, [r0]\nldrex r2, [r0]\nclrex\nstrex r5, r1, [r0]\n" +
        "ldrexb r6, [r0]\nstrexb r7, r1, [r0, #0]\nmov r8, #0x77\nmov r9, #0x66\nldrexd r10, r11, [r0]\nstrexd r12, r8, r9, [r0]\n" +
        "svc #0\n.ltorg",
      { thumb },
    );
    assert.equal(cpu.regs[3], 0);
    assert.equal(cpu.regs[4], 1);
    assert.equal(cpu.regs[5], 1);
    assert.equal(cpu.regs[6], 5);
    assert.equal(cpu.regs[7], 0);
    assert.equal(cpu.regs[12], 0);
    assert.equal(mem.view().getUint32(DATA_BASE + 4, true), 0x66);
  });

  test(`${mode}: LDREX of an unaligned address is an alignment fault that leaves registers untouched`, () => {
    const { cpu, stop } = run(data + "mov r2, #9\nadd r1, r0, #2\nldrex r2, [r1]\nsvc #0\n.ltorg", { thumb });
    assert.equal(stop, STOP_DATA_ABORT);
    assert.equal(cpu.stopInfo.status, FSR_ALIGNMENT);
    assert.equal(cpu.stopInfo.address, DATA_BASE + 2);
    assert.equal(cpu.stopInfo.access, ACCESS_READ);
    assert.equal(cpu.regs[2], 9);
  });

  test(`${mode}: a store to a read-only page aborts before write-back; the instruction is restartable`, () => {
    const mem = new FlatMemory();
    mem.readOnly.add(DATA_BASE >>> 12);
    const r = run(data + "mov r1, #42\nstr r1, [r0, #4]!\nsvc #0\n.ltorg", { thumb, memory: mem });
    assert.equal(r.stop, STOP_DATA_ABORT);
    assert.equal(r.cpu.stopInfo.address, DATA_BASE + 4);
    assert.equal(r.cpu.stopInfo.access, ACCESS_WRITE);
    assert.equal(r.cpu.regs[0], DATA_BASE);
    const pc = r.cpu.pc;
    assert.ok(pc > CODE_BASE);
    // the "kernel" makes the page writable and resumes at the same instruction
    mem.readOnly.clear();
    mem.generation++;
    assert.equal(r.cpu.run(100), STOP_SVC);
    assert.equal(r.cpu.regs[0], DATA_BASE + 4);
    assert.equal(mem.view().getUint32(DATA_BASE + 4, true), 42);
  });

  test(`${mode}: STM that would fault on its second page writes nothing`, () => {
    const mem = new FlatMemory();
    mem.readOnly.add((DATA_BASE >>> 12) + 1);
    const r = run(`ldr r0, =${DATA_BASE + 0xff8}\nmov r1, #1\nmov r2, #2\nmov r3, #3\nstmia r0!, {r1-r3}\nsvc #0\n.ltorg`, {
      thumb, memory: mem,
    });
    assert.equal(r.stop, STOP_DATA_ABORT);
    assert.equal(r.cpu.stopInfo.address, DATA_BASE + 0x1000);
    assert.equal(mem.view().getUint32(DATA_BASE + 0xff8, true), 0);
    assert.equal(r.cpu.regs[0], DATA_BASE + 0xff8);
  });
}

test("SETEND BE makes data accesses big-endian; instruction fetch is unaffected", () => {
  const mem = new FlatMemory();
  mem.view().setUint32(DATA_BASE, 0x11223344, true);
  const { cpu } = run(data + "setend be\nldr r1, [r0]\nldrh r2, [r0]\nstr r1, [r0, #4]\nsetend le\nsvc #0\n.ltorg", { memory: mem });
  assert.equal(u32(cpu.regs[1]), 0x44332211);
  assert.equal(cpu.regs[2], 0x4433);
  assert.equal(mem.view().getUint32(DATA_BASE + 4, true), 0x11223344);
});
