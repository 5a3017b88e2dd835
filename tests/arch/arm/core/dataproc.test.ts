import { test } from "node:test";
import assert from "node:assert/strict";
import { STOP_SVC } from "../../../../src/arch/arm/cpu.js";
import { flags, run, u32 } from "./harness.js";

for (const thumb of [false, true]) {
  const mode = thumb ? "T32" : "A32";

  test(`${mode}: ADDS 0x7fffffff + 1 overflows: N set, V set, C and Z clear`, () => {
    const { cpu, stop } = run("ldr r0, =0x7fffffff\nmovs r1, #1\nadds r2, r0, r1\nsvc #0\n.ltorg", { thumb });
    assert.equal(stop, STOP_SVC);
    assert.equal(u32(cpu.regs[2]), 0x80000000);
    assert.equal(flags(cpu), "NzcV");
  });

  test(`${mode}: ADDS 0xffffffff + 1 gives zero with carry, no overflow`, () => {
    const { cpu } = run("mvn r0, #0\nadds r2, r0, #1\nsvc #0", { thumb });
    assert.equal(cpu.regs[2], 0);
    assert.equal(flags(cpu), "nZCv");
  });

  test(`${mode}: SUBS/CMP: borrow is NOT carry (3 - 5 clears C; 5 - 3 sets C)`, () => {
    let { cpu } = run("movs r0, #3\ncmp r0, #5\nsvc #0", { thumb });
    assert.equal(flags(cpu), "Nzcv");
    ({ cpu } = run("movs r0, #5\nsubs r1, r0, #3\nsvc #0", { thumb }));
    assert.equal(cpu.regs[1], 2);
    assert.equal(flags(cpu), "nzCv");
    ({ cpu } = run("ldr r0, =0x80000000\ncmp r0, #1\nsvc #0\n.ltorg", { thumb }));
    assert.equal(flags(cpu), "nzCV"); // most negative - 1 overflows to positive
  });

  test(`${mode}: ADC/SBC chain a 64-bit add and subtract`, () => {
    const { cpu } = run(
      "ldr r0, =0xffffffff\nldr r1, =0x00000001\nmovs r2, #1\nmovs r3, #0\nadds r4, r0, r2\nadcs r5, r1, r3\n" +
        "subs r6, r3, r2\nsbcs r7, r3, r3\nsvc #0\n.ltorg",
      { thumb },
    );
    assert.equal(cpu.regs[4], 0);
    assert.equal(cpu.regs[5], 2);
    assert.equal(u32(cpu.regs[6]), 0xffffffff);
    assert.equal(u32(cpu.regs[7]), 0xffffffff); // 0 - 0 - borrow
    assert.equal(flags(cpu), "Nzcv");
  });

  test(`${mode}: shifter carry-out: LSLS #1 of 0x80000001, LSRS #32 (imm form), ASR, ROR, RRX`, () => {
    const src =
      "ldr r0, =0x80000001\nlsls r1, r0, #1\nmrs r8, apsr\n" +
      "lsrs r2, r0, #32\nmrs r9, apsr\n" +
      "asrs r3, r0, #4\nmrs r10, apsr\n" +
      "rors r4, r0, #1\nmrs r11, apsr\n" +
      "movs r5, #0\nrrxs r5, r0\nmrs r12, apsr\nsvc #0\n.ltorg";
    const { cpu } = run(src, { thumb });
    assert.equal(cpu.regs[1], 2);
    assert.equal(u32(cpu.regs[8]) >>> 28, 0b0010); // C from bit 31
    assert.equal(cpu.regs[2], 0);
    assert.equal(u32(cpu.regs[9]) >>> 28, 0b0110); // Z, C = bit 31
    assert.equal(u32(cpu.regs[3]), 0xf8000000);
    assert.equal(u32(cpu.regs[10]) >>> 28, 0b1000); // C = bit 3 = 0
    assert.equal(u32(cpu.regs[4]), 0xc0000000);
    assert.equal(u32(cpu.regs[11]) >>> 28, 0b1010);
    // RRX shifts in the old C (set by RORS) and puts bit 0 in C
    assert.equal(u32(cpu.regs[5]), 0xc0000000);
    assert.equal(u32(cpu.regs[12]) >>> 28, 0b1010);
  });

  test(`${mode}: register-specified shifts by 0, 32, 33 and 256`, () => {
    const src =
      "ldr r0, =0x80000001\nmovs r1, #0\nmovs r7, #0\ncmp r7, #1\n" + // C clear
      "lsls r2, r0, r1\nmrs r8, apsr\n" +
      "movs r1, #32\nmov r3, r0\nlsls r3, r3, r1\nmrs r9, apsr\n" +
      "movs r1, #33\nmov r4, r0\nlsrs r4, r4, r1\nmrs r10, apsr\n" +
      "mov r1, #256\nmov r5, r0\nasrs r5, r5, r1\nmrs r11, apsr\nsvc #0\n.ltorg";
    const { cpu } = run(src, { thumb });
    assert.equal(u32(cpu.regs[2]), 0x80000001);
    assert.equal(u32(cpu.regs[8]) >>> 28, 0b1000); // shift by 0: C unchanged (clear)
    assert.equal(cpu.regs[3], 0);
    assert.equal(u32(cpu.regs[9]) >>> 28, 0b0110); // LSL #32: C = bit 0
    assert.equal(cpu.regs[4], 0);
    assert.equal(u32(cpu.regs[10]) >>> 28, 0b0100); // LSR #33: C = 0
    assert.equal(u32(cpu.regs[5]), 0x80000001); // amount is Rs[7:0] = 0
  });

  test(`${mode}: logical ops, MVN, BIC, ORR, EOR, TST/TEQ flags`, () => {
    const src =
      "ldr r0, =0xf0f0f0f0\nldr r1, =0x0ff00ff0\nand r2, r0, r1\norr r3, r0, r1\neor r4, r0, r1\nbic r5, r0, r1\n" +
      "mvn r6, r0\ntst r0, #0x0f\nmrs r8, apsr\nteq r0, r0\nmrs r9, apsr\nsvc #0\n.ltorg";
    const { cpu } = run(src, { thumb });
    assert.equal(u32(cpu.regs[2]), 0x00f000f0);
    assert.equal(u32(cpu.regs[3]), 0xfff0fff0);
    assert.equal(u32(cpu.regs[4]), 0xff00ff00);
    assert.equal(u32(cpu.regs[5]), 0xf000f000);
    assert.equal(u32(cpu.regs[6]), 0x0f0f0f0f);
    assert.equal(u32(cpu.regs[8]) >>> 30, 0b01); // Z
    assert.equal(u32(cpu.regs[9]) >>> 30, 0b01);
  });

  test(`${mode}: MOVW/MOVT build a constant; RSB negates`, () => {
    const { cpu } = run("movw r0, #0x5678\nmovt r0, #0x1234\nrsb r1, r0, #0\nsvc #0", { thumb });
    assert.equal(u32(cpu.regs[0]), 0x12345678);
    assert.equal(u32(cpu.regs[1]), u32(-0x12345678));
  });
}

test("A32: RSC and conditional execution", () => {
  const { cpu } = run(
    "mov r0, #10\nmov r1, #3\nsubs r2, r0, r1\nrsc r3, r1, r0\nmovgt r4, #1\nmovle r4, #2\nmoveq r5, #7\nsvc #0",
  );
  assert.equal(cpu.regs[3], 7); // C set from SUBS: 10 - 3 - 0
  assert.equal(cpu.regs[4], 1);
  assert.equal(cpu.regs[5], 0);
});

test("A32: data processing with PC as operand reads address + 8", () => {
  const { cpu } = run("mov r0, pc\nadd r1, pc, #4\nsvc #0");
  assert.equal(cpu.regs[0], 0x10008);
  assert.equal(cpu.regs[1], 0x10004 + 8 + 4);
});

test("T32: 16-bit flag setting is suppressed inside an IT block", () => {
  const { cpu } = run("movs r0, #0\ncmp r0, #0\nit eq\naddeq r1, r0, #1\nmrs r2, apsr\nsvc #0", { thumb: true });
  assert.equal(cpu.regs[1], 1);
  assert.equal(u32(cpu.regs[2]) >>> 28, 0b0110); // still Z and C from CMP, not flags of ADD
});

test("T32: IT blocks with then/else and a skipped condition", () => {
  const src =
    "movs r0, #5\ncmp r0, #3\nite gt\nmovgt r1, #1\nmovle r1, #2\n" +
    "itete lt\nmovlt r2, #1\nmovge r2, #2\nmovlt r3, #3\nmovge r3, #4\nsvc #0";
  const { cpu } = run(src, { thumb: true });
  assert.equal(cpu.regs[1], 1);
  assert.equal(cpu.regs[2], 2);
  assert.equal(cpu.regs[3], 4);
});
