/**
 * Decoded code is cached per physical page, but translated blocks hold virtual PCs: one physical
 * page executed through two virtual addresses (an alias: Linux's vectors page, head.S's identity
 * map) must see its own PC through each, translated or interpreted, and instruction fetch must
 * follow remaps after TLB maintenance.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_HVC } from "../../../../../src/arch/arm/cpu.js";
import { flatRamPort } from "./harness.js";

const RAM_SIZE = 4 << 20;
const L1 = 0x0000_4000;
const CODE = 0x0010_0000;
const OTHER = 0x0020_0000;

function setup(threshold: number): { cpu: ArmCpu; dv: DataView } {
  const { port, dv } = flatRamPort(RAM_SIZE);
  const cpu = new ArmCpu({ memory: port, translateThreshold: threshold });
  cpu.systemMode = true;
  cpu.reset();
  const section = (pa: number) => pa | (3 << 10) | (1 << 12) | 0xc | 2;
  dv.setUint32(L1 + 0x800 * 4, section(CODE), true); // 0x80000000 -> CODE
  dv.setUint32(L1 + 0x900 * 4, section(CODE), true); // 0x90000000 -> CODE (alias)
  for (const [at, word] of [[CODE, 0xe1a0000f], [CODE + 4, 0xe1400070], [OTHER, 0xe3a0002a], [OTHER + 4, 0xe1400070]]) {
    dv.setUint32(at, word, true); // mov r0, pc; hvc #0   /   mov r0, #42; hvc #0
  }
  cpu.cp15.ttbr0Lo = L1;
  cpu.cp15.dacr = 0x55555555;
  cpu.cp15.sctlr |= 1;
  cpu.mmu.translationRegimeChanged();
  return { cpu, dv };
}

function call(cpu: ArmCpu, va: number): number {
  cpu.pc = va;
  assert.equal(cpu.run(100), STOP_HVC);
  return cpu.regs[0] >>> 0;
}

for (const threshold of [1, Infinity]) {
  test(`an aliased physical page sees each VA's own PC (${threshold === 1 ? "translated blocks" : "interpreter"})`, () => {
    const { cpu } = setup(threshold);
    for (let i = 0; i < 3; i++) {
      assert.equal(call(cpu, 0x8000_0000), 0x8000_0008);
      assert.equal(call(cpu, 0x9000_0000), 0x9000_0008);
    }
  });

  test(`instruction fetch follows a remap after TLBIMVA (${threshold === 1 ? "translated blocks" : "interpreter"})`, () => {
    const { cpu, dv } = setup(threshold);
    assert.equal(call(cpu, 0x9000_0000), 0x9000_0008);
    dv.setUint32(L1 + 0x900 * 4, OTHER | (3 << 10) | (1 << 12) | 0xc | 2, true);
    cpu.mmu.tlbInvalidateByMva(0x9000_0000);
    assert.equal(call(cpu, 0x9000_0000), 42);
    assert.equal(call(cpu, 0x8000_0000), 0x8000_0008);
  });
}
