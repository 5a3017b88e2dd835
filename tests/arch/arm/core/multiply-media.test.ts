import { test } from "node:test";
import assert from "node:assert/strict";
import { run, u32 } from "./harness.js";

const Q = 1 << 27;

for (const thumb of [false, true]) {
  const mode = thumb ? "T32" : "A32";
  const lit = "\nsvc #0\n.ltorg";

  test(`${mode}: UMULL/SMULL/UMLAL/SMLAL/UMAAL 64-bit results`, () => {
    const { cpu } = run(
      "ldr r0, =0xffffffff\nldr r1, =0xfffffffe\numull r2, r3, r0, r1\nsmull r4, r5, r0, r1\n" +
        "mov r6, #5\nmov r7, #1\numlal r6, r7, r0, r0\nldr r8, =0xffffffff\nldr r9, =0xffffffff\numaal r8, r9, r0, r0\n" +
        "mov r10, #0\nmov r11, #0\nsmlal r10, r11, r0, r1" + lit,
      { thumb },
    );
    // 0xffffffff * 0xfffffffe = 0xfffffffd_00000002
    assert.equal(u32(cpu.regs[2]), 0x00000002);
    assert.equal(u32(cpu.regs[3]), 0xfffffffd);
    // -1 * -2 = 2
    assert.equal(cpu.regs[4], 2);
    assert.equal(cpu.regs[5], 0);
    // 0xffffffff^2 = 0xfffffffe_00000001, + 0x1_00000005
    assert.equal(u32(cpu.regs[6]), 0x00000006);
    assert.equal(u32(cpu.regs[7]), 0xffffffff);
    // UMAAL: 0xffffffff^2 + 0xffffffff + 0xffffffff = 0xffffffff_ffffffff (the largest, no overflow)
    assert.equal(u32(cpu.regs[8]), 0xffffffff);
    assert.equal(u32(cpu.regs[9]), 0xffffffff);
    assert.equal(cpu.regs[10], 2);
    assert.equal(cpu.regs[11], 0);
  });

  test(`${mode}: MLA, MLS, SDIV/UDIV including divide by zero and INT_MIN / -1`, () => {
    const { cpu } = run(
      "mov r0, #7\nmov r1, #6\nmov r2, #100\nmla r3, r0, r1, r2\nmls r4, r0, r1, r2\n" +
        "mvn r5, #6\nsdiv r6, r5, r1\nudiv r7, r5, r1\nmov r8, #0\nsdiv r9, r0, r8\nudiv r10, r0, r8\n" +
        "ldr r11, =0x80000000\nmvn r12, #0\nsdiv r11, r11, r12" + lit,
      { thumb },
    );
    assert.equal(cpu.regs[3], 142);
    assert.equal(cpu.regs[4], 58);
    assert.equal(cpu.regs[6], -1); // -7 / 6 truncates toward zero
    assert.equal(u32(cpu.regs[7]), Math.floor(0xfffffff9 / 6));
    assert.equal(cpu.regs[9], 0);
    assert.equal(cpu.regs[10], 0);
    assert.equal(u32(cpu.regs[11]), 0x80000000);
  });

  test(`${mode}: halfword multiplies SMULBB/SMULTB/SMLABB (Q on overflow)/SMULWB/SMLALBB`, () => {
    const { cpu } = run(
      "ldr r0, =0x8000fffe\nldr r1, =0x00030005\nsmulbb r2, r0, r1\nsmultb r3, r0, r1\nsmulbt r4, r0, r1\n" +
        "ldr r5, =0x7fffffff\nmov r6, #1\nsmlabb r7, r6, r6, r5\nmrs r8, apsr\n" +
        "ldr r9, =0x40000000\nsmulwb r10, r9, r1\nmov r11, #0\nmvn r12, #0\nsmlalbb r11, r12, r0, r1" + lit,
      { thumb },
    );
    assert.equal(cpu.regs[2], -10); // -2 * 5
    assert.equal(cpu.regs[3], -0x8000 * 5);
    assert.equal(cpu.regs[4], -6); // -2 * 3
    assert.equal(u32(cpu.regs[7]), 0x80000000);
    assert.ok(u32(cpu.regs[8]) & Q);
    assert.equal(cpu.regs[10], (0x40000000 * 5) / 65536);
    // 0xffffffff_00000000 + (-10) = 0xfffffffe_fffffff6
    assert.equal(u32(cpu.regs[11]), 0xfffffff6);
    assert.equal(u32(cpu.regs[12]), 0xfffffffe);
  });

  test(`${mode}: dual multiplies SMUAD/SMUSDX/SMLAD/SMLALD and SMMUL/SMMULR/SMMLS`, () => {
    const { cpu } = run(
      "ldr r0, =0x00020003\nldr r1, =0x00040005\nsmuad r2, r0, r1\nsmusdx r3, r0, r1\nmov r4, #100\nsmlad r5, r0, r1, r4\n" +
        "mov r6, #1\nmov r7, #0\nsmlald r6, r7, r0, r1\n" +
        "ldr r8, =0x40000000\nldr r9, =0x00000003\nsmmul r10, r8, r9\nsmmulr r11, r8, r9\nmov r12, #1\nsmmls r12, r8, r9, r12" + lit,
      { thumb },
    );
    assert.equal(cpu.regs[2], 3 * 5 + 2 * 4);
    assert.equal(cpu.regs[3], 3 * 4 - 2 * 5);
    assert.equal(cpu.regs[5], 123);
    assert.equal(cpu.regs[6], 24);
    assert.equal(cpu.regs[7], 0);
    // 0x40000000 * 3 = 0xC0000000: high word 0, rounded 1
    assert.equal(cpu.regs[10], 0);
    assert.equal(cpu.regs[11], 1);
    // (1 << 32) - 0xC0000000 = 0x40000000: high word 0
    assert.equal(cpu.regs[12], 0);
  });

  test(`${mode}: QADD/QSUB/QDADD saturate and set Q; SSAT/USAT boundaries`, () => {
    const { cpu } = run(
      "mov r12, #0\nldr r0, =0x7fffffff\nmov r1, #1\nqadd r2, r0, r1\nmrs r3, apsr\nmsr apsr_nzcvq, r12\n" +
        "ldr r4, =0x80000000\nqsub r5, r4, r1\nqdadd r6, r1, r0\n" +
        "msr apsr_nzcvq, r12\nldr r7, =300\nssat r8, #8, r7\nmrs r9, apsr\n" +
        "mvn r7, #0\nusat r10, #8, r7\nmsr apsr_nzcvq, r12\nmov r7, #127\nssat r11, #8, r7\nmrs r12, apsr" + lit,
      { thumb },
    );
    assert.equal(u32(cpu.regs[2]), 0x7fffffff);
    assert.ok(u32(cpu.regs[3]) & Q);
    assert.equal(u32(cpu.regs[5]), 0x80000000);
    assert.equal(u32(cpu.regs[6]), 0x7fffffff);
    assert.equal(cpu.regs[8], 127);
    assert.ok(u32(cpu.regs[9]) & Q);
    assert.equal(cpu.regs[10], 0);
    assert.equal(cpu.regs[11], 127);
    assert.equal(u32(cpu.regs[12]) & Q, 0); // 127 fits in 8 signed bits: Q stays clear
  });

  test(`${mode}: parallel add/sub set GE, SEL picks bytes; UQADD8, SHADD16, USAD8`, () => {
    const { cpu } = run(
      "ldr r0, =0x7f80ff01\nldr r1, =0x01800102\nuadd8 r2, r0, r1\nsel r3, r0, r1\nsadd16 r4, r0, r1\n" +
        "uqadd8 r5, r0, r1\nshadd16 r6, r0, r1\nusad8 r7, r0, r1\nssub8 r8, r0, r1\nsel r9, r0, r1" + lit,
      { thumb },
    );
    // bytes: 7f+01=80, 80+80=100 (carry), ff+01=100 (carry), 01+02=03 -> GE = 0b0110
    assert.equal(u32(cpu.regs[2]), 0x80000003);
    assert.equal(u32(cpu.regs[3]), 0x0180ff02);
    // halves (signed): 0x7f80 + 0x0180 = 0x8100; 0xff01 + 0x0102 = 0x0003
    assert.equal(u32(cpu.regs[4]), 0x81000003);
    assert.equal(u32(cpu.regs[5]), 0x80ffff03);
    // signed halving: (0x7f80 + 0x0180) >> 1 = 0x4080; (-255 + 258) >> 1 = 1
    assert.equal(u32(cpu.regs[6]), 0x40800001);
    assert.equal(cpu.regs[7], 0x7e + 0 + 0xfe + 1);
    // signed bytes: 127-1=126 (ge), -128-(-128)=0 (ge), -1-1=-2, 1-2=-1 -> GE = 0b1100
    assert.equal(u32(cpu.regs[8]), 0x7e00feff);
    assert.equal(u32(cpu.regs[9]), 0x7f800102);
  });

  test(`${mode}: extends with rotation/accumulate, PKH, bit fields, REV family, RBIT, CLZ`, () => {
    const { cpu } = run(
      "ldr r0, =0x12b480f6\nsxtb r1, r0\nuxth r2, r0, ror #16\nsxtab r3, r0, r0, ror #8\nuxtb16 r4, r0\n" +
        "ldr r5, =0xaaaabbbb\npkhbt r6, r0, r5, lsl #16\npkhtb r7, r0, r5, asr #16\n" +
        "sbfx r8, r0, #4, #8\nubfx r9, r0, #28, #4\nmov r10, r0\nbfc r10, #8, #16\nmvn r11, #0\nbfi r11, r0, #4, #8\n" +
        "rev r12, r0" + lit,
      { thumb },
    );
    assert.equal(cpu.regs[1], -10);
    assert.equal(cpu.regs[2], 0x12b4);
    assert.equal(u32(cpu.regs[3]), u32(0x12b480f6 + -128));
    assert.equal(u32(cpu.regs[4]), 0x00b400f6);
    assert.equal(u32(cpu.regs[6]), 0xbbbb80f6);
    assert.equal(u32(cpu.regs[7]), 0x12b4aaaa);
    assert.equal(cpu.regs[8], 0x0f); // bits 11..4 = 0x0f
    assert.equal(cpu.regs[9], 1);
    assert.equal(u32(cpu.regs[10]), 0x120000f6);
    assert.equal(u32(cpu.regs[11]), 0xffffff6f);
    assert.equal(u32(cpu.regs[12]), 0xf680b412);
  });

  test(`${mode}: REV16, REVSH, RBIT, CLZ`, () => {
    const { cpu } = run(
      "ldr r0, =0x12b480f6\nrev16 r1, r0\nrevsh r2, r0\nrbit r3, r0\nclz r4, r0\nmov r5, #0\nclz r6, r5" + lit,
      { thumb },
    );
    assert.equal(u32(cpu.regs[1]), 0xb412f680);
    assert.equal(cpu.regs[2], -0x980); // 0xf680 sign-extended
    assert.equal(u32(cpu.regs[3]), 0x6f012d48);
    assert.equal(cpu.regs[4], 3);
    assert.equal(cpu.regs[6], 32);
  });
}
