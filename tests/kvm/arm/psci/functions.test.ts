// PSCI function tables per version (reference kvm-arm32-abi.md §8.2): the version a vCPU gets from
// its PSCI_0_2 feature and the VM-wide forced version, every function id's return value, r1–r3 = 0,
// PSCI_FEATURES only in 1.0 mode, the 64-bit ids NOT_SUPPORTED for a 32-bit guest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { psciVersionOf } from "../../../../src/kvm/arm/psci.js";
import { takeBlockRequest } from "../../../../src/kvm/arm/sleep.js";
import { FN, REG_PSCI_VERSION, RET, hvc, psciVm } from "./psci-vm.js";

test("psciVersionOf: 0.1 without PSCI_0_2; 1.0 by default with it; the VM-wide forced version otherwise", () => {
  const old = psciVm({ psci02: false });
  assert.equal(psciVersionOf(old.v[0]!), 0x1);
  const m = psciVm({ vcpus: 2 });
  assert.deepEqual(m.v.map(psciVersionOf), [0x10000, 0x10000]);
  m.t.vcpus[1]!.setOneReg(REG_PSCI_VERSION, 2n); // set through one vCPU, seen by all
  assert.deepEqual(m.v.map(psciVersionOf), [0x2, 0x2]);
  m.t.vcpus[0]!.setOneReg(REG_PSCI_VERSION, 0x10000n);
  assert.deepEqual(m.v.map(psciVersionOf), [0x10000, 0x10000]);
});

test("PSCI 0.1 (no PSCI_0_2 feature): KVM's ids; CPU_SUSPEND, MIGRATE, the 0.2 ids and unknown ids are NOT_SUPPORTED", () => {
  const { v } = psciVm({ psci02: false });
  const c = v[0]!;
  for (const fn of [FN.V01_CPU_SUSPEND, FN.V01_MIGRATE, FN.V01_MIGRATE + 1, FN.V01_CPU_SUSPEND - 1, FN.PSCI_VERSION,
    FN.CPU_SUSPEND, FN.CPU_ON, FN.AFFINITY_INFO, FN.MIGRATE_INFO_TYPE, FN.SYSTEM_OFF, FN.SYSTEM_RESET, FN.PSCI_FEATURES, 0]) {
    const { ret, r } = hvc(c, [fn, 1, 2, 3]);
    assert.equal(ret, 0, `0x${fn.toString(16)}: no system event`);
    assert.deepEqual(r, [RET.NOT_SUPPORTED, 0, 0, 0], `0x${fn.toString(16)}`);
  }
  assert.equal(c.powerOff, false, "SYSTEM_OFF's 0.2 id did nothing in 0.1 mode");
  assert.equal(takeBlockRequest(c), false, "CPU_SUSPEND did not block");
});

test("PSCI 0.1 CPU_OFF: r0 = 0, r1–r3 = 0, the caller is powered off", () => {
  const { v } = psciVm({ psci02: false });
  const { ret, r } = hvc(v[0]!, [FN.V01_CPU_OFF, 1, 2, 3]);
  assert.equal(ret, 0);
  assert.deepEqual(r, [0, 0, 0, 0]);
  assert.equal(v[0]!.powerOff, true);
});

for (const mode of ["0.2", "1.0"] as const) {
  const make = () => {
    const m = psciVm({ vcpus: 2 });
    if (mode === "0.2") m.t.vcpus[0]!.setOneReg(REG_PSCI_VERSION, 2n);
    return m;
  };

  test(`PSCI ${mode}: PSCI_VERSION, MIGRATE, MIGRATE_INFO_TYPE, MIGRATE_INFO_UP_CPU, unknown ids`, () => {
    const c = make().v[0]!;
    const rows: [number, number][] = [
      [FN.PSCI_VERSION, mode === "0.2" ? 0x00000002 : 0x00010000],
      [FN.MIGRATE, RET.NOT_SUPPORTED],
      [FN.MIGRATE_INFO_TYPE, 2],
      [FN.MIGRATE_INFO_UP_CPU, RET.NOT_SUPPORTED],
      [0x8400000b, RET.NOT_SUPPORTED],
      [0x8400001f, RET.NOT_SUPPORTED],
      [0xc4000000, RET.NOT_SUPPORTED],
      [FN.V01_CPU_OFF, RET.NOT_SUPPORTED], // the 0.1 ids are gone
      [FN.V01_CPU_ON, RET.NOT_SUPPORTED],
      [0x12345678, RET.NOT_SUPPORTED],
    ];
    for (const [fn, want] of rows) {
      const { ret, r } = hvc(c, [fn, 0xaaaa, 0xbbbb, 0xcccc]);
      assert.equal(ret, 0);
      assert.deepEqual(r, [want, 0, 0, 0], `0x${fn.toString(16)}`);
    }
    assert.equal(c.powerOff, false, "the 0.1 CPU_OFF id did not power the vCPU off");
  });

  test(`PSCI ${mode}: the 64-bit CPU_SUSPEND / CPU_ON / AFFINITY_INFO ids are NOT_SUPPORTED and do nothing`, () => {
    const { v } = make();
    const [c, other] = v as [typeof v[0], typeof v[0]];
    other.powerOff = true;
    assert.deepEqual(hvc(c, [FN.CPU_ON64, 1, 0x40000000, 0]).r, [RET.NOT_SUPPORTED, 0, 0, 0]);
    assert.equal(other.powerOff, true);
    assert.equal(other.pendingReset, null);
    assert.deepEqual(hvc(c, [FN.AFFINITY_INFO64, 0, 0, 0]).r, [RET.NOT_SUPPORTED, 0, 0, 0]);
    assert.deepEqual(hvc(c, [FN.CPU_SUSPEND64, 0, 0, 0]).r, [RET.NOT_SUPPORTED, 0, 0, 0]);
    assert.equal(takeBlockRequest(c), false);
  });

  test(`PSCI ${mode}: CPU_SUSPEND returns 0 and blocks the caller like WFI; CPU_OFF returns 0 and powers it off`, () => {
    const c = make().v[0]!;
    const pc = (c.cpu.regs[15] = 0x40000008);
    const { ret, r } = hvc(c, [FN.CPU_SUSPEND, 0x0100_0000, 0x40001000, 0x77]);
    assert.equal(ret, 0);
    assert.deepEqual(r, [0, 0, 0, 0]);
    assert.equal(takeBlockRequest(c), true, "the run loop is asked to block the vCPU");
    assert.equal(takeBlockRequest(c), false, "once");
    assert.equal(c.powerOff, false, "state preserved: still on");
    assert.equal(c.cpu.regs[15], pc, "no jump to the entry point argument");
    assert.deepEqual(hvc(c, [FN.CPU_OFF, 1, 2, 3]).r, [0, 0, 0, 0]);
    assert.equal(c.powerOff, true);
  });

  test(`PSCI ${mode}: PSCI_FEATURES ${mode === "1.0" ? "answers 0 for the §8.2 list, −1 otherwise" : "is NOT_SUPPORTED"}`, () => {
    const c = make().v[0]!;
    const supported = [FN.PSCI_VERSION, FN.CPU_SUSPEND, FN.CPU_OFF, FN.CPU_ON, FN.AFFINITY_INFO, FN.MIGRATE_INFO_TYPE,
      FN.SYSTEM_OFF, FN.SYSTEM_RESET, FN.PSCI_FEATURES, FN.SMCCC_VERSION];
    // The SMC64 ids: NOT_SUPPORTED for a 32-bit guest, as query and as call (kernel with the §8.2
    // "v5.6" 64-bit check, which applies it to PSCI_FEATURES too; the table's "32/64" predates it).
    const unsupported = [FN.CPU_SUSPEND64, FN.CPU_ON64, FN.AFFINITY_INFO64, FN.MIGRATE, FN.MIGRATE_INFO_UP_CPU, 0x8400000b, 0x8400000c, 0xc4000005, 0xc4000002,
      FN.SMCCC_ARCH_FEATURES, FN.ARCH_WORKAROUND_1, FN.ARCH_WORKAROUND_2, FN.V01_CPU_ON, 0];
    for (const f of supported) {
      const want = mode === "1.0" ? 0 : RET.NOT_SUPPORTED;
      assert.deepEqual(hvc(c, [FN.PSCI_FEATURES, f, 9, 9]).r, [want, 0, 0, 0], `feature 0x${f.toString(16)}`);
    }
    for (const f of unsupported) {
      assert.deepEqual(hvc(c, [FN.PSCI_FEATURES, f, 9, 9]).r, [RET.NOT_SUPPORTED, 0, 0, 0], `feature 0x${f.toString(16)}`);
    }
  });
}
