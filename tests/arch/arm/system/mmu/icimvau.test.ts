/**
 * Instruction-cache maintenance and the decoded-code cache. Each core's decoded code follows its own
 * stores at once; what it cannot see — another vCPU's stores, a device's DMA — becomes visible at
 * the point the architecture requires software to invalidate the instruction cache:
 *  - ICIMVAU (by VA to PoU; broadcast within the inner-shareable domain on ARMv7 MP cores): every
 *    core re-checks the page the VA translates to (a VA that does not translate: every page);
 *  - ICIALLU / ICIALLUIS: every page is re-checked, on this core too (DMA'd code).
 * Re-checked pages whose memory is unchanged keep their decoded and translated code, so a kernel that
 * invalidates the whole I-cache on every executable mapping does not lose it all each time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_HVC } from "../../../../../src/arch/arm/cpu.js";
import { flatRamPort } from "./harness.js";

const RAM = 4 << 20;
const L1 = 0x4000;
const CODE_A = 0x0010_0000; // VA 0x80000000
const CODE_B = 0x0020_0000; // VA 0x90000000
const MAINT = 0x0030_0000; // VA 0xa0000000: mcr p15, 0, r0, c7, c5, 1; hvc #0

function pair(): { cpus: ArmCpu[]; dv: DataView } {
  const { port, dv } = flatRamPort(RAM);
  const section = (pa: number) => pa | (3 << 10) | 0xc | 2;
  dv.setUint32(L1 + 0x800 * 4, section(CODE_A), true);
  dv.setUint32(L1 + 0x900 * 4, section(CODE_B), true);
  dv.setUint32(L1 + 0xa00 * 4, section(MAINT), true);
  const code = (pa: number, imm: number) => {
    dv.setUint32(pa, 0xe3a00000 | imm, true); // mov r0, #imm
    dv.setUint32(pa + 4, 0xe1400070, true); // hvc #0
  };
  code(CODE_A, 1);
  code(CODE_B, 2);
  dv.setUint32(MAINT, 0xee070f35, true); // mcr p15, 0, r0, c7, c5, 1 (ICIMVAU)
  dv.setUint32(MAINT + 4, 0xe1400070, true);
  dv.setUint32(MAINT + 8, 0xee070f15, true); // mcr p15, 0, r0, c7, c5, 0 (ICIALLU)
  dv.setUint32(MAINT + 12, 0xe1400070, true);
  const cpus = [0, 1].map((id) => {
    const cpu = new ArmCpu({ memory: port, translateThreshold: 1, vcpuId: id, vcpuCount: 2 });
    cpu.systemMode = true;
    cpu.reset();
    cpu.cp15.ttbr0Lo = L1;
    cpu.cp15.dacr = 0x55555555;
    cpu.cp15.sctlr |= 1;
    cpu.mmu.translationRegimeChanged();
    return cpu;
  });
  for (const cpu of cpus) cpu.shareableDomain = () => cpus;
  return { cpus, dv };
}

function call(cpu: ArmCpu, va: number, r0 = 0): number {
  cpu.cpsr = 0x1d3;
  cpu.regs[0] = r0;
  cpu.pc = va;
  assert.equal(cpu.run(50), STOP_HVC);
  return cpu.regs[0];
}

test("ICIMVAU on one vCPU: the other runs the new code at that address; other pages keep theirs", () => {
  const { cpus: [a, b], dv } = pair();
  assert.equal(call(b, 0x8000_0000), 1);
  assert.equal(call(b, 0x9000_0000), 2);
  dv.setUint32(CODE_A, 0xe3a00000 | 7, true); // new code, written behind b's back (another vCPU's store)
  dv.setUint32(CODE_B, 0xe3a00000 | 8, true); // and in a page no maintenance names
  assert.equal(call(b, 0x8000_0000), 1, "b still runs its decoded copy: no maintenance yet");
  call(a, 0xa000_0000, 0x8000_0000); // a: ICIMVAU 0x80000000
  assert.equal(call(b, 0x8000_0000), 7, "b runs the new code");
  assert.equal(call(b, 0x9000_0000), 2, "the other page was not re-checked: its decoded copy stays");
  assert.equal(b.hasCode(CODE_B / 4096), true);
});

test("ICIMVAU of an address that does not translate re-checks every page of the peers", () => {
  const { cpus: [a, b], dv } = pair();
  assert.equal(call(b, 0x8000_0000), 1);
  assert.equal(call(b, 0x9000_0000), 2);
  dv.setUint32(CODE_B, 0xe3a00000 | 8, true);
  call(a, 0xa000_0000, 0x7000_0000); // no mapping
  assert.equal(call(b, 0x8000_0000), 1, "unchanged page: same code");
  assert.equal(call(b, 0x9000_0000), 8, "changed page: the new code");
});

test("ICIALLU on a lone CPU: code a device wrote by DMA runs after the invalidate, not before", () => {
  const { cpus: [a], dv } = pair();
  a.shareableDomain = () => [a];
  assert.equal(call(a, 0x8000_0000), 1);
  dv.setUint32(CODE_A, 0xe3a00000 | 9, true); // no store by any core: DMA
  assert.equal(call(a, 0x8000_0000), 1, "before maintenance the decoded copy may run (the I-cache is not coherent)");
  call(a, 0xa000_0008); // ICIALLU
  assert.equal(call(a, 0x8000_0000), 9);
});
