/**
 * ICIMVAU (invalidate instruction cache line by VA to PoU; broadcast within the inner-shareable
 * domain on ARMv7 MP cores): a vCPU that wrote code and cleans/invalidates by address makes the
 * other vCPUs of the VM see the new code at that address. Each core's decoded-code cache only sees
 * its own stores, so the peers must drop the page the VA translates to — and only that page: other
 * decoded pages stay (they are not re-decoded for every fork/exec). A VA that does not translate
 * drops everything.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_HVC } from "../../../../../src/arch/arm/cpu.js";
import { PHYS_FAULT, PHYS_RAM, type PhysicalMemoryPort } from "../../../../../src/arch/arm/memory.js";

const RAM = 4 << 20;
const L1 = 0x4000;
const CODE_A = 0x0010_0000; // VA 0x80000000
const CODE_B = 0x0020_0000; // VA 0x90000000
const MAINT = 0x0030_0000; // VA 0xa0000000: mcr p15, 0, r0, c7, c5, 1; hvc #0

function pair(): { cpus: ArmCpu[]; dv: DataView } {
  const ram = new Uint8Array(RAM);
  const dv = new DataView(ram.buffer);
  const port: PhysicalMemoryPort = {
    regions: [ram], generation: 0,
    lookup: (pa, _a, out) => {
      if (pa >= RAM) return PHYS_FAULT;
      out.region = 0;
      out.offset = pa - (pa % 4096);
      return PHYS_RAM;
    },
    ioRead: () => 0,
    ioWrite: () => 0,
  };
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

test("ICIMVAU on one vCPU drops the other's decoded copy of that page only", () => {
  const { cpus: [a, b], dv } = pair();
  assert.equal(call(b, 0x8000_0000), 1);
  assert.equal(call(b, 0x9000_0000), 2);
  dv.setUint32(CODE_A, 0xe3a00000 | 7, true); // new code, written behind b's back (another vCPU's store)
  assert.equal(call(b, 0x8000_0000), 1, "b still runs its decoded copy: no maintenance yet");
  call(a, 0xa000_0000, 0x8000_0000); // a: ICIMVAU 0x80000000
  assert.equal(b.hasCode(CODE_A / 4096), false, "the page of the address is dropped");
  assert.equal(b.hasCode(CODE_B / 4096), true, "other pages stay decoded");
  assert.equal(call(b, 0x8000_0000), 7, "b runs the new code");
  assert.equal(call(b, 0x9000_0000), 2);
});

test("ICIMVAU of an address that does not translate drops all of the peers' decoded code", () => {
  const { cpus: [a, b] } = pair();
  assert.equal(call(b, 0x8000_0000), 1);
  assert.equal(call(b, 0x9000_0000), 2);
  call(a, 0xa000_0000, 0x7000_0000); // no mapping
  assert.equal(b.hasCode(CODE_A / 4096), false);
  assert.equal(b.hasCode(CODE_B / 4096), false);
});
