/**
 * The CP15 table against reference kvm-arm32-abi.md §6 for Cortex-A15 and Cortex-A7: the invariant
 * and saved register sets with their ONE_REG ids (in KVM_GET_REG_LIST order), reset values, MPIDR
 * and L2CTLR derivation from the vCPU id/count, and the guest-visible access rules.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmCpu } from "../../../../../src/arch/arm/cpu.js";
import { kvmCp15Get, kvmCp15Registers, kvmCp15Id, cp15Register32, cp15Allowed } from "../../../../../src/arch/arm/cp15/table.js";
import type { PhysicalMemoryPort } from "../../../../../src/arch/arm/memory.js";

const noMemory: PhysicalMemoryPort = {
  regions: [], generation: 0, lookup: () => 2, ioRead: () => 0, ioWrite: () => 0,
};
function cpu(model: "cortex-a15" | "cortex-a7", vcpuId = 0, vcpuCount = 1): ArmCpu {
  const c = new ArmCpu({ memory: noMemory, model, vcpuId, vcpuCount });
  c.systemMode = true;
  c.reset();
  return c;
}
const hex = (v: bigint): string => "0x" + v.toString(16).toUpperCase().padStart(16, "0");

// §6.2: id and the typical value, in table order.
const INVARIANT_A15: [string, string, number][] = [
  ["MIDR", "0x40200000000F0000", 0x412fc0f1], ["CTR", "0x40200000000F0001", 0x8444c004],
  ["TCMTR", "0x40200000000F0002", 0], ["TLBTR", "0x40200000000F0003", 0], ["REVIDR", "0x40200000000F0006", 0],
  ["CLIDR", "0x40200000000F0009", 0x0a200023], ["AIDR", "0x40200000000F000F", 0],
  ["ID_PFR0", "0x40200000000F0080", 0x1131], ["ID_PFR1", "0x40200000000F0081", 0x11011],
  ["ID_DFR0", "0x40200000000F0082", 0x02010555], ["ID_AFR0", "0x40200000000F0083", 0],
  ["ID_MMFR0", "0x40200000000F0084", 0x10201105], ["ID_MMFR1", "0x40200000000F0085", 0x20000000],
  ["ID_MMFR2", "0x40200000000F0086", 0x01240000], ["ID_MMFR3", "0x40200000000F0087", 0x02102211],
  ["ID_ISAR0", "0x40200000000F0100", 0x02101110], ["ID_ISAR1", "0x40200000000F0101", 0x13112111],
  ["ID_ISAR2", "0x40200000000F0102", 0x21232041], ["ID_ISAR3", "0x40200000000F0103", 0x11112131],
  ["ID_ISAR4", "0x40200000000F0104", 0x10011142], ["ID_ISAR5", "0x40200000000F0105", 0],
];

// §6.3: id and reset value (MPIDR, ACTLR, L2CTLR for vCPU 0 of 1).
const SAVED_A15: [string, string, bigint][] = [
  ["MPIDR", "0x40200000000F0005", 0x80000000n], ["CSSELR", "0x40200000000F0010", 0xdecafbadn],
  ["SCTLR", "0x40200000000F0800", 0x00c50078n], ["ACTLR", "0x40200000000F0801", 0n],
  ["CPACR", "0x40200000000F0802", 0n], ["TTBR0", "0x40300000000F0100", 0xd0c0ffeedecafbadn],
  ["TTBR0", "0x40200000000F1000", 0xdecafbadn], ["TTBR1", "0x40200000000F1001", 0xdecafbadn],
  ["TTBCR", "0x40200000000F1002", 0n], ["TTBR1", "0x40300000000F0108", 0xd0c0ffeedecafbadn],
  ["DACR", "0x40200000000F1800", 0xdecafbadn], ["DFSR", "0x40200000000F2800", 0xdecafbadn],
  ["IFSR", "0x40200000000F2801", 0xdecafbadn], ["ADFSR", "0x40200000000F2880", 0xdecafbadn],
  ["AIFSR", "0x40200000000F2881", 0xdecafbadn], ["DFAR", "0x40200000000F3000", 0xdecafbadn],
  ["IFAR", "0x40200000000F3002", 0xdecafbadn], ["PAR", "0x40300000000F0380", 0xd0c0ffeedecafbadn],
  ["L2CTLR", "0x40200000000F480A", 0n], ["PRRR", "0x40200000000F5100", 0xdecafbadn],
  ["NMRR", "0x40200000000F5101", 0xdecafbadn], ["AMAIR0", "0x40200000000F5180", 0xdecafbadn],
  ["AMAIR1", "0x40200000000F5181", 0xdecafbadn], ["VBAR", "0x40200000000F6000", 0n],
  ["CONTEXTIDR", "0x40200000000F6801", 0n], ["TPIDRURW", "0x40200000000F6802", 0xdecafbadn],
  ["TPIDRURO", "0x40200000000F6803", 0xdecafbadn], ["TPIDRPRW", "0x40200000000F6804", 0xdecafbadn],
  ["CNTKCTL", "0x40200000000F7080", 0n],
];

test("invariant CP15 registers: §6.2 set, order, ids and Cortex-A15 values", () => {
  const c = cpu("cortex-a15");
  const { invariant } = kvmCp15Registers();
  assert.deepEqual(invariant.map((r) => [r.name, hex(kvmCp15Id(r)), Number(kvmCp15Get(c, r))]), INVARIANT_A15);
});

test("saved CP15 registers: §6.3 set, sort order, ids and reset values (A15, vCPU 0 of 1)", () => {
  const c = cpu("cortex-a15");
  const { saved } = kvmCp15Registers();
  assert.equal(saved.length, 29);
  assert.deepEqual(saved.map((r) => [r.name, hex(kvmCp15Id(r)), kvmCp15Get(c, r)]), SAVED_A15);
});

test("Cortex-A7 differs in MIDR, CTR, ID_MMFR0/1 and the SCTLR reset (§6.4)", () => {
  const c = cpu("cortex-a7");
  const { invariant, saved } = kvmCp15Registers();
  const get = (list: typeof invariant, name: string) => Number(kvmCp15Get(c, list.find((r) => r.name === name)!));
  assert.equal(get(invariant, "MIDR"), 0x410fc075);
  assert.equal(get(invariant, "CTR"), 0x84448003);
  assert.equal(get(invariant, "ID_MMFR0"), 0x10101105);
  assert.equal(get(invariant, "ID_MMFR1"), 0x40000000);
  assert.equal(get(saved, "SCTLR"), 0x00c50878);
  assert.equal(saved.length, 29);
});

test("MPIDR = M bit | Aff1 = id / 4 | Aff0 = id % 4; L2CTLR[25:24] = cores in the cluster - 1; ACTLR.SMP with > 1 vCPU", () => {
  const mpidr = (id: number, n: number) => cpu("cortex-a15", id, n).cp15.mpidr;
  assert.equal(mpidr(0, 1), 0x80000000);
  assert.equal(mpidr(5, 8), 0x80000101);
  assert.equal(mpidr(3, 8), 0x80000003);
  const l2 = (id: number, n: number) => cpu("cortex-a15", id, n).cp15.l2ctlr;
  assert.equal(l2(0, 1), 0);
  assert.equal(l2(0, 2), 1 << 24);
  assert.equal(l2(1, 8), 3 << 24);
  assert.equal(l2(5, 6), 1 << 24); // second cluster holds vCPUs 4 and 5
  assert.equal(cpu("cortex-a15", 0, 2).cp15.actlr, 1 << 6);
});

test("access rules: ID registers are read-only, TPIDRURO is PL0 read-only, CNTVCT at PL0 follows CNTKCTL", () => {
  const c = cpu("cortex-a15");
  const midr = cp15Register32(0, 0, 0, 0)!;
  assert.equal(cp15Allowed(c, midr, false, false), true);
  assert.equal(cp15Allowed(c, midr, true, false), false);
  assert.equal(cp15Allowed(c, midr, false, true), false);
  const uro = cp15Register32(0, 13, 0, 3)!;
  assert.equal(cp15Allowed(c, uro, false, true), true);
  assert.equal(cp15Allowed(c, uro, true, true), false);
  const cntfrq = cp15Register32(0, 14, 0, 0)!;
  assert.equal(cp15Allowed(c, cntfrq, false, true), false, "CNTKCTL = 0 after reset: no PL0 counter access");
  c.cp15.cntkctl = 2;
  assert.equal(cp15Allowed(c, cntfrq, false, true), true);
  assert.equal(cp15Allowed(c, cntfrq, true, false), false, "CNTFRQ is read-only in Non-secure PL1");
});
