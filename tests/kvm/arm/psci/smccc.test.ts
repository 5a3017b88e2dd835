// SMCCC over the HVC conduit and the SMC trap (reference kvm-arm32-abi.md §8.1): the
// ARCH_WORKAROUND_1 fast path, SMCCC_VERSION and SMCCC_ARCH_FEATURES for every PSCI version, r1–r3
// zeroing, SMC → r0 = 0xFFFFFFFF with nothing else touched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { handleSmc } from "../../../../src/kvm/arm/psci.js";
import { FN, REG_PSCI_VERSION, RET, TARGET, hvc, psciVm } from "./psci-vm.js";

/** One vCPU of each PSCI version: 0.1 (no PSCI_0_2 feature), 0.2 (forced VM-wide), 1.0 (default). */
function eachVersion(): { name: string; v: ReturnType<typeof psciVm>["v"][number] }[] {
  const v01 = psciVm({ psci02: false }).v[0]!;
  const m02 = psciVm();
  m02.t.vcpus[0]!.setOneReg(REG_PSCI_VERSION, 2n);
  const v10 = psciVm().v[0]!;
  return [{ name: "0.1", v: v01 }, { name: "0.2", v: m02.v[0]! }, { name: "1.0", v: v10 }];
}

test("ARCH_WORKAROUND_1 fast path: r0 = 0, r1 = HSR of the HVC (EC 0x12, IL, imm16), r2 = 0x80008000, r3 unchanged", () => {
  for (const { name, v } of eachVersion()) {
    for (const [imm, hsr] of [[0, 0x4a000000], [0x1234, 0x4a001234], [0xffff, 0x4a00ffff]] as const) {
      const { ret, r } = hvc(v, [FN.ARCH_WORKAROUND_1, 0x11111111, 0x22222222, 0x33333333], { imm });
      assert.equal(ret, 0);
      assert.deepEqual(r, [0, hsr, 0x80008000, 0x33333333], `PSCI ${name}, HVC #${imm}`);
    }
  }
});

test("SMCCC_VERSION is 1.1 (0x00010001) for every vCPU, r1–r3 = 0", () => {
  for (const { name, v } of eachVersion()) {
    const { ret, r } = hvc(v, [FN.SMCCC_VERSION, 7, 8, 9]);
    assert.equal(ret, 0);
    assert.deepEqual(r, [0x00010001, 0, 0, 0], `PSCI ${name}`);
  }
});

test("SMCCC_ARCH_FEATURES: WORKAROUND_1 needed on A15 (0), NOT_REQUIRED on A7 (−2); WORKAROUND_2 and others −1", () => {
  const { v } = psciVm({ ids: [0, 1], targets: [TARGET.A15, TARGET.A7] });
  const [a15, a7] = v as [typeof v[0], typeof v[0]];
  assert.equal(a15.cpu.model, "cortex-a15");
  assert.equal(a7.cpu.model, "cortex-a7");
  assert.deepEqual(hvc(a15, [FN.SMCCC_ARCH_FEATURES, FN.ARCH_WORKAROUND_1, 5, 6]).r, [0, 0, 0, 0]);
  assert.deepEqual(hvc(a7, [FN.SMCCC_ARCH_FEATURES, FN.ARCH_WORKAROUND_1, 5, 6]).r, [RET.NOT_REQUIRED, 0, 0, 0]);
  for (const c of [a15, a7]) {
    for (const f of [FN.ARCH_WORKAROUND_2, FN.SMCCC_VERSION, FN.SMCCC_ARCH_FEATURES, FN.PSCI_VERSION, 0]) {
      assert.deepEqual(hvc(c, [FN.SMCCC_ARCH_FEATURES, f, 5, 6]).r, [RET.NOT_SUPPORTED, 0, 0, 0], `feature ${f.toString(16)}`);
    }
  }
  // The same answers whatever the PSCI version.
  for (const { name, v: c } of eachVersion()) {
    assert.deepEqual(hvc(c, [FN.SMCCC_ARCH_FEATURES, FN.ARCH_WORKAROUND_1]).r, [0, 0, 0, 0], `PSCI ${name}`);
  }
});

test("calling ARCH_WORKAROUND_2 itself is an unknown function: NOT_SUPPORTED, r1–r3 = 0", () => {
  for (const { name, v } of eachVersion()) {
    assert.deepEqual(hvc(v, [FN.ARCH_WORKAROUND_2, 1, 2, 3]).r, [RET.NOT_SUPPORTED, 0, 0, 0], `PSCI ${name}`);
  }
});

test("SMC: r0 = 0xFFFFFFFF, r1–r3 and the PC untouched (the run loop already stepped past it)", () => {
  for (const { name, v } of eachVersion()) {
    const regs = v.cpu.regs;
    regs.set([FN.PSCI_VERSION | 0, 0x11, 0x22, 0x33], 0);
    regs[15] = 0x40000104;
    handleSmc(v);
    assert.deepEqual([0, 1, 2, 3, 15].map((i) => regs[i]! >>> 0), [0xffffffff, 0x11, 0x22, 0x33, 0x40000104], `PSCI ${name}`);
  }
});
