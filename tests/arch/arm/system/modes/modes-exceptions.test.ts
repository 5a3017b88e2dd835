/**
 * Modes, banked registers (struct kvm_regs view), exception entry/return and IRQ/WFI through the
 * real core on a small RAM bus, with expected values from the ARM ARM (B1.8 exception entry
 * table) and reference §5.2/§7.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu, STOP_HVC, STOP_WFI } from "../../../../../src/arch/arm/cpu.js";
import { coreRegister, setCoreRegister } from "../../../../../src/arch/arm/exceptions.js";
import { PHYS_FAULT, PHYS_RAM, type PhysicalMemoryPort } from "../../../../../src/arch/arm/memory.js";

const RAM = new Uint8Array(1 << 16);
function bus(): PhysicalMemoryPort {
  RAM.fill(0);
  return {
    regions: [RAM], generation: 0,
    lookup: (pa, _a, out) => (pa < RAM.length ? ((out.region = 0), (out.offset = pa & ~0xfff), PHYS_RAM) : PHYS_FAULT),
    ioRead: () => 0, ioWrite: () => 0,
  };
}
function load(words: number[], at = 0x1000): void {
  const v = new DataView(RAM.buffer);
  words.forEach((w, i) => v.setUint32(at + 4 * i, w >>> 0, true));
}
function system(): ArmCpu {
  const c = new ArmCpu({ memory: bus(), translateThreshold: Infinity });
  c.systemMode = true;
  c.reset();
  return c;
}

test("reset state: SVC mode with A, I, F masked (CPSR 0x1D3), registers 0 (§7)", () => {
  const c = system();
  assert.equal(c.cpsr, 0x1d3);
  for (let i = 0; i < 38; i++) if (i !== 16) assert.equal(coreRegister(c, i), 0, `index ${i}`);
});

test("banked registers map onto struct kvm_regs whatever the current mode", () => {
  const c = system();
  c.regs[13] = 0x111; // sp_svc
  c.regs[8] = 0x888; // r8 (usr bank)
  setCoreRegister(c, 35, 0x35); // sp_fiq
  setCoreRegister(c, 30, 0x30); // r8_fiq
  setCoreRegister(c, 13, 0x13); // sp_usr
  assert.equal(coreRegister(c, 18), 0x111);
  c.cpsr = 0x1d1; // FIQ
  assert.equal(c.regs[13], 0x35);
  assert.equal(c.regs[8], 0x30);
  assert.equal(coreRegister(c, 8), 0x888, "usr r8 still readable through index 8");
  assert.equal(coreRegister(c, 18), 0x111);
  c.cpsr = 0x1df; // SYS shares the User bank
  assert.equal(c.regs[13], 0x13);
  assert.equal(c.regs[8], 0x888);
});

test("SVC from SVC mode: LR = next instruction, SPSR = old CPSR, I set, vector VBAR + 8; MOVS PC, LR returns", () => {
  const c = system();
  c.cp15.vbar = 0x2000;
  load([0xef000001, 0xe3a00007, 0xe1400070 /* HVC #0 */], 0x1000); // svc #1; mov r0, #7; hvc #0
  load([0xe1b0f00e], 0x2008); // movs pc, lr
  c.cpsr = 0x113; // SVC, A masked, I and F clear
  c.pc = 0x1000;
  const why = c.run(100);
  assert.equal(why, STOP_HVC);
  assert.equal(c.regs[0], 7);
  assert.equal(c.regs[14], 0x1004, "LR_svc = address of the instruction after SVC");
  assert.equal(coreRegister(c, 20), 0x113, "SPSR_svc = CPSR before the SVC");
  assert.equal(c.pc, 0x100c, "HVC stops with PC past it");
});

test("UNDEF enters UND mode with LR = insn + 4 (ARM); IRQ is taken at a boundary only when unmasked; WFI wakes on a masked pending IRQ", () => {
  const c = system();
  c.cp15.vbar = 0x2000;
  load([0xe7f000f0 /* udf */, 0xe320f003 /* wfi */, 0xe1400070], 0x1000);
  load([0xe1400070], 0x2004); // und vector: hvc
  c.cpsr = 0x1d3;
  c.pc = 0x1000;
  assert.equal(c.run(100), STOP_HVC);
  assert.equal(c.mode, 0x1b);
  assert.equal(c.regs[14], 0x1004);
  assert.equal(c.cpsr & 0x1c0, 0x1c0, "UNDEF keeps A and F, sets I");
  // back to SVC at the WFI: nothing pending -> STOP_WFI; masked pending IRQ -> WFI completes, no IRQ taken
  c.cpsr = 0x1d3;
  c.pc = 0x1004;
  assert.equal(c.run(100), STOP_WFI);
  c.pc = 0x1004;
  c.setIrqLine(true);
  assert.equal(c.run(100), STOP_HVC);
  assert.equal(c.mode, 0x13, "masked: no IRQ entry");
  // unmask: the IRQ is taken before the next instruction, LR = preferred return + 4
  load([0xe1400070], 0x2018);
  c.cpsr = 0x113;
  c.pc = 0x1008;
  assert.equal(c.run(100), STOP_HVC);
  assert.equal(c.mode, 0x12);
  assert.equal(c.regs[14], 0x100c);
  assert.equal(coreRegister(c, 29), 0x113, "SPSR_irq");
  assert.equal(c.cpsr & 0x1c0, 0x180, "IRQ entry sets A and I");
});
