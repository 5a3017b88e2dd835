// Firmware pseudo-registers through ONE_REG (reference kvm-arm32-abi.md §5.7) and their agreement
// with what the guest's HVCs see (§8.1, §8.2): PSCI_VERSION per feature and VM-wide, the workaround
// levels and their write rules, ENOENT for other ids and sizes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KvmError } from "../../../../src/facade/index.js";
import { FN, FW_REG, REG_PSCI_VERSION, RET, TARGET, hvc, psciVm } from "./psci-vm.js";

const WA1 = FW_REG(1);
const WA2 = FW_REG(2);
const E = { ENOENT: 2, EINVAL: 22 } as const;

type Vcpu = ReturnType<typeof psciVm>["t"]["vcpus"][number];

/** SET_ONE_REG's errno (0 on success). */
function setErrno(c: Vcpu, id: bigint, value: bigint): number {
  try {
    c.setOneReg(id, value);
    return 0;
  } catch (e) {
    if (e instanceof KvmError) return e.errno;
    throw e;
  }
}
function getErrno(c: Vcpu, id: bigint): number {
  try {
    c.getOneReg(id);
    return 0;
  } catch (e) {
    if (e instanceof KvmError) return e.errno;
    throw e;
  }
}

test("PSCI_VERSION reads 0x1 without PSCI_0_2, 0x10000 with it; writes: 1 only without, 2 / 0x10000 only with, else EINVAL", () => {
  const old = psciVm({ psci02: false }).t.vcpus[0]!;
  assert.equal(old.getOneReg(REG_PSCI_VERSION), 0x1n);
  for (const bad of [0n, 2n, 0x10000n, 0x10001n, 3n, 0x100000000n]) assert.equal(setErrno(old, REG_PSCI_VERSION, bad), E.EINVAL, `0.1 vCPU, ${bad}`);
  assert.equal(setErrno(old, REG_PSCI_VERSION, 1n), 0);

  const now = psciVm().t.vcpus[0]!;
  assert.equal(now.getOneReg(REG_PSCI_VERSION), 0x10000n);
  for (const bad of [0n, 1n, 0x10001n, 0x20000n, 0x100000002n]) assert.equal(setErrno(now, REG_PSCI_VERSION, bad), E.EINVAL, `0.2 vCPU, ${bad}`);
  assert.equal(now.getOneReg(REG_PSCI_VERSION), 0x10000n, "rejected writes change nothing");
  assert.equal(setErrno(now, REG_PSCI_VERSION, 2n), 0);
  assert.equal(now.getOneReg(REG_PSCI_VERSION), 0x2n);
  assert.equal(setErrno(now, REG_PSCI_VERSION, 0x10000n), 0);
  assert.equal(now.getOneReg(REG_PSCI_VERSION), 0x10000n);
});

test("PSCI_VERSION is VM-wide: set through one vCPU, read and used by every PSCI_0_2 vCPU's HVC", () => {
  const { t, v } = psciVm({ vcpus: 2 });
  t.vcpus[1]!.setOneReg(REG_PSCI_VERSION, 2n);
  assert.equal(t.vcpus[0]!.getOneReg(REG_PSCI_VERSION), 2n);
  assert.deepEqual(hvc(v[0]!, [FN.PSCI_VERSION]).r, [2, 0, 0, 0]);
  assert.deepEqual(hvc(v[0]!, [FN.PSCI_FEATURES, FN.CPU_ON]).r, [RET.NOT_SUPPORTED, 0, 0, 0], "no PSCI_FEATURES in 0.2");
});

test("a VM whose 0.1 vCPU stored version 0.1 gives its PSCI_0_2 vCPUs 0.1 too (kvm->arch.psci_version is VM-wide)", () => {
  // vCPU 0 without PSCI_0_2, vCPU 1 with it
  const mixed = psciVm({ ids: [0, 1], noInit: true });
  mixed.t.vcpus[0]!.armVcpuInit({ target: TARGET.A15, features: [0], rawFeatureWords: true });
  mixed.t.vcpus[1]!.armVcpuInit({ target: TARGET.A15, features: [2], rawFeatureWords: true });
  assert.equal(mixed.t.vcpus[1]!.getOneReg(REG_PSCI_VERSION), 0x10000n);
  mixed.t.vcpus[0]!.setOneReg(REG_PSCI_VERSION, 1n);
  assert.equal(mixed.t.vcpus[1]!.getOneReg(REG_PSCI_VERSION), 1n);
  assert.deepEqual(hvc(mixed.v[1]!, [FN.PSCI_VERSION]).r, [RET.NOT_SUPPORTED, 0, 0, 0], "PSCI_VERSION is not a 0.1 function");
  assert.deepEqual(hvc(mixed.v[1]!, [FN.V01_CPU_ON, 0, 0x40000000, 0]).r, [RET.INVALID_PARAMS, 0, 0, 0], "0.1 CPU_ON: already on");
});

test("SMCCC_ARCH_WORKAROUND_1: A15 reads 1 (AVAIL), A7 reads 2 (NOT_REQUIRED); writes ≤ the level accepted, above it or with bits over 3..0 EINVAL", () => {
  const { t, v } = psciVm({ ids: [0, 1], targets: [TARGET.A15, TARGET.A7] });
  const [a15, a7] = t.vcpus as [Vcpu, Vcpu];
  assert.equal(a15.getOneReg(WA1), 1n);
  assert.equal(a7.getOneReg(WA1), 2n);
  for (const [c, level] of [[a15, 1n], [a7, 2n]] as const) {
    for (let w = 0n; w <= 15n; w++) assert.equal(setErrno(c, WA1, w), w <= level ? 0 : E.EINVAL, `level ${level}, write ${w}`);
    for (const w of [0x10n, 0x11n, 0x100000000n, 0x8000000000000000n]) assert.equal(setErrno(c, WA1, w), E.EINVAL);
    assert.equal(c.getOneReg(WA1), level, "no state change");
  }
  // The guest's ARCH_FEATURES answer matches the register: 1 → 0 (call it), 2 → NOT_REQUIRED.
  assert.equal(hvc(v[0]!, [FN.SMCCC_ARCH_FEATURES, FN.ARCH_WORKAROUND_1]).r[0], 0);
  assert.equal(hvc(v[1]!, [FN.SMCCC_ARCH_FEATURES, FN.ARCH_WORKAROUND_1]).r[0], RET.NOT_REQUIRED);
});

test("SMCCC_ARCH_WORKAROUND_2 reads 1 (UNKNOWN); writes 0 and 1 accepted; above the level, ENABLED without AVAIL, other bits EINVAL", () => {
  for (const target of [TARGET.A15, TARGET.A7]) {
    const c = psciVm({ targets: [target] }).t.vcpus[0]!;
    assert.equal(c.getOneReg(WA2), 1n);
    assert.equal(setErrno(c, WA2, 0n), 0);
    assert.equal(setErrno(c, WA2, 1n), 0);
    for (const w of [2n, 3n, 15n, 0x10n, 0x11n, 0x12n, 0x20n, 0x21n, 0x100000001n]) assert.equal(setErrno(c, WA2, w), E.EINVAL, `write 0x${w.toString(16)}`);
    assert.equal(c.getOneReg(WA2), 1n);
  }
});

test("other firmware ids, and the FW ids with a 32-bit size, are ENOENT for GET and SET", () => {
  const c = psciVm().t.vcpus[0]!;
  for (const id of [FW_REG(3), FW_REG(0xffff), 0x4020_0000_0014_0000n, 0x4020_0000_0014_0001n]) {
    assert.equal(getErrno(c, id), E.ENOENT, `get 0x${id.toString(16)}`);
    assert.equal(setErrno(c, id, 0n), E.ENOENT, `set 0x${id.toString(16)}`);
  }
});
