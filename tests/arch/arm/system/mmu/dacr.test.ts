/**
 * DACR writes (ARM ARM B3.12.3, B4.1.43): every access is checked against the domain's field as it
 * is *now* — no access (0b00) gives a Domain fault, client (0b01) checks the descriptor's
 * permissions, manager (0b11) does not — however the MMU caches translations. These tests toggle
 * DACR the way Linux's non-LPAE kernels do around every user copy (the user domain between no
 * access and client), and between manager and client, with accesses in between, so a fast-TLB set
 * kept for an earlier DACR value that let an access through must not let it through under a value
 * that forbids it; and TLB maintenance done while another DACR value was current still applies.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SCTLR_M } from "../../../../../src/arch/arm/cp15/state.js";
import { domainAccessChanged } from "../../../../../src/arch/arm/cp15/mmu-ops.js";
import { ArmCpu, MODE_ABT, STOP_HVC } from "../../../../../src/arch/arm/cpu.js";
import { flatRamPort } from "./harness.js";
import { FAULT_DOMAIN, FAULT_PERMISSION } from "../../../../../src/arch/arm/stop.js";
import { aborts, machine, type Machine } from "./harness.js";

const L1 = 0x0010_0000;
const VA = 0x4000_0000; // a "user" section in domain 1
const KVA = 0xc000_0000; // a "kernel" section in domain 0

/** Section descriptor: AP[2:0] (AP[2] at bit 15), domain in bits 8:5. */
function section(pa: number, domain: number, ap = 3): number {
  return (pa | 2 | 0xc | (domain << 5) | ((ap & 3) << 10) | ((ap >> 2) << 15)) >>> 0;
}

const D1_NONE = 0x0000_0001; // domain 0 client, domain 1 no access (Linux: DACR_UACCESS_DISABLE)
const D1_CLIENT = 0x0000_0005; // both client (DACR_UACCESS_ENABLE, and user mode)
const D1_MANAGER = 0x0000_000d;

function setup(): Machine {
  const m = machine();
  m.port.poke32(0x0030_0000, 0x1111);
  m.port.poke32(0x0040_0000, 0x2222);
  m.port.poke32(0x0050_0000, 0x3333);
  m.port.poke32(L1 + (VA >>> 20) * 4, section(0x0030_0000, 1));
  m.port.poke32(L1 + (KVA >>> 20) * 4, section(0x0050_0000, 0, 1)); // PL1 read/write only
  const cp = m.mmu.cp15;
  cp.ttbr0Lo = L1;
  cp.dacr = D1_CLIENT;
  cp.sctlr = SCTLR_M;
  m.mmu.translationRegimeChanged();
  return m;
}

function setDacr(m: Machine, v: number): void {
  m.mmu.cp15.dacr = v;
  m.mmu.dacrChanged();
}

test("user domain toggled between client and no access: reads and writes fault exactly while it is no access", () => {
  const m = setup();
  for (let round = 0; round < 3; round++) {
    setDacr(m, D1_CLIENT);
    assert.equal(m.mmu.read32(VA), 0x1111, `round ${round}: client reads`);
    m.mmu.write32(VA + 4, round);
    assert.equal(m.mmu.read32(KVA), 0x3333, "the kernel section is unaffected");
    setDacr(m, D1_NONE);
    const r = aborts(m, () => m.mmu.read32(VA));
    assert.equal(r.type, FAULT_DOMAIN);
    assert.equal(r.domain, 1);
    assert.equal(r.address, VA);
    assert.equal(aborts(m, () => m.mmu.write32(VA + 4, 7)).type, FAULT_DOMAIN);
    assert.equal(aborts(m, () => m.mmu.read8(VA + 4)).type, FAULT_DOMAIN);
    assert.equal(m.mmu.read32(KVA), 0x3333, "the kernel section still reads under the other DACR value");
  }
  assert.equal(m.port.peek32(0x0030_0004), 2, "the client rounds' writes landed");
});

test("manager then client: a descriptor without permission is readable only while the domain is manager", () => {
  const m = setup();
  m.port.poke32(L1 + (VA >>> 20) * 4, section(0x0030_0000, 1, 0)); // AP = 0: no access for a client
  m.mmu.tlbInvalidateAll();
  for (let round = 0; round < 3; round++) {
    setDacr(m, D1_MANAGER);
    assert.equal(m.mmu.read32(VA), 0x1111);
    setDacr(m, D1_CLIENT);
    const r = aborts(m, () => m.mmu.read32(VA));
    assert.equal(r.type, FAULT_PERMISSION);
  }
});

test("TLB maintenance while another DACR value is current also empties the entries kept for the earlier value", () => {
  const m = setup();
  assert.equal(m.mmu.read32(VA), 0x1111); // cached under D1_CLIENT
  setDacr(m, D1_NONE);
  m.port.poke32(L1 + (VA >>> 20) * 4, section(0x0040_0000, 1));
  m.mmu.tlbInvalidateByMva(VA);
  setDacr(m, D1_CLIENT);
  assert.equal(m.mmu.read32(VA), 0x2222, "the remap is seen after switching back");
  // a third value recycles one of the two kept sets; the first two still behave
  setDacr(m, D1_MANAGER);
  assert.equal(m.mmu.read32(VA), 0x2222);
  setDacr(m, D1_NONE);
  assert.equal(aborts(m, () => m.mmu.read32(VA)).type, FAULT_DOMAIN);
  setDacr(m, D1_CLIENT);
  assert.equal(m.mmu.read32(VA), 0x2222);
});

test("PL0 accesses follow DACR changes made at PL1", () => {
  const m = setup();
  m.mmu.setUser(true);
  assert.equal(m.mmu.read32(VA), 0x1111);
  assert.equal(aborts(m, () => m.mmu.read32(KVA)).type, FAULT_PERMISSION, "AP=1 sections are PL1 only");
  m.mmu.setUser(false);
  setDacr(m, D1_NONE);
  m.mmu.setUser(true);
  assert.equal(aborts(m, () => m.mmu.read32(VA)).type, FAULT_DOMAIN);
  m.mmu.setUser(false);
  setDacr(m, D1_CLIENT);
  m.mmu.setUser(true);
  assert.equal(m.mmu.read32(VA), 0x1111);
});

test("instruction fetch follows DACR: code in a domain set to no access prefetch-aborts (translated and interpreted)", () => {
  for (const threshold of [1, Infinity]) {
    const RAM = 4 << 20;
    const { port, dv } = flatRamPort(RAM);
    const cpu = new ArmCpu({ memory: port, translateThreshold: threshold });
    cpu.systemMode = true;
    cpu.reset();
    const T = 0x4000;
    dv.setUint32(T + 0 * 4, section(0x0010_0000, 0), true); // VA 0 (vectors) -> 1 MiB, domain 0
    dv.setUint32(T + 0x800 * 4, section(0x0020_0000, 1), true); // VA 0x80000000 -> 2 MiB, domain 1
    dv.setUint32(0x0010_000c, 0xe1400070, true); // prefetch abort vector: hvc #0
    dv.setUint32(0x0020_0000, 0xe3a0002a, true); // mov r0, #42
    dv.setUint32(0x0020_0004, 0xe1400070, true); // hvc #0
    cpu.cp15.ttbr0Lo = T;
    cpu.cp15.dacr = D1_CLIENT;
    cpu.cp15.sctlr |= 1;
    cpu.mmu.translationRegimeChanged();
    const name = threshold === 1 ? "translated" : "interpreted";
    // three values through two kept sets: each is recycled, once after it let the fetch through
    const seq = [D1_CLIENT, D1_NONE, D1_MANAGER, D1_CLIENT, D1_NONE, D1_MANAGER, D1_NONE, D1_CLIENT, D1_NONE];
    seq.forEach((dacr, step) => {
      cpu.cpsr = 0x1d3;
      cpu.cp15.dacr = dacr;
      domainAccessChanged(cpu);
      cpu.regs[0] = 0;
      cpu.pc = 0x8000_0000;
      assert.equal(cpu.run(50), STOP_HVC, `${name} step ${step}`);
      if (dacr !== D1_NONE) {
        assert.equal(cpu.regs[0], 42, `${name} step ${step}: the code ran`);
        return;
      }
      assert.equal(cpu.mode, MODE_ABT, `${name} step ${step}: prefetch abort`);
      assert.equal(cpu.regs[0], 0, "mov r0, #42 did not run");
      assert.equal(cpu.cp15.ifar, 0x8000_0000);
      assert.equal(cpu.cp15.ifsr & 0x40f, 0x9, "IFSR.FS = 0b01001, section Domain fault");
    });
  }
});
