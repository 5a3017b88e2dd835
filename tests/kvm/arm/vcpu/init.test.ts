// KVM_ARM_PREFERRED_TARGET (§3.6), KVM_ARM_VCPU_INIT (§4.1), the ENOEXEC-before-INIT rows (§4.2–§4.5),
// MP state (§4.6) and the big.LITTLE extension, through the raw interface. Expected values from
// reference kvm-arm32-abi.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BAD_PTR, E, R, core, cp15, getReg, init, machine, regList, setReg, vcpuInit } from "./vcpu-raw.js";

test("PREFERRED_TARGET: target = host target, features all zero; EFAULT on a bad pointer", () => {
  for (const target of [0, 1]) {
    const m = machine(0, { target });
    const out = new Uint8Array(32).fill(0xff);
    assert.equal(m.host.ioctl(m.vm, R.KVM_ARM_PREFERRED_TARGET, out), 0);
    const expected = new Uint8Array(32);
    expected[0] = target;
    assert.deepEqual(out, expected);
    assert.equal(m.host.ioctl(m.vm, R.KVM_ARM_PREFERRED_TARGET, BAD_PTR), -E.EFAULT);
  }
});

test("before INIT: ONE_REG, REG_LIST, KVM_RUN and FINALIZE are ENOEXEC; MP state reads RUNNABLE", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  assert.equal(getReg(m, fd, core(0))[0], -E.ENOEXEC);
  assert.equal(setReg(m, fd, core(0), 1n), -E.ENOEXEC);
  assert.equal(regList(m, fd, 0)[0], -E.ENOEXEC);
  assert.equal(m.host.ioctl(fd, R.KVM_RUN, 0), -E.ENOEXEC);
  assert.equal(m.host.ioctl(fd, R.KVM_ARM_VCPU_FINALIZE, new Uint8Array(4)), -E.ENOEXEC);
  const mp = new Uint8Array(4).fill(0xff);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_MP_STATE, mp), 0);
  assert.deepEqual([...mp], [0, 0, 0, 0]);
});

test("INIT errno rows in order: target, re-INIT target, feature bit >= 2, re-INIT features", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  assert.equal(init(m, fd, 2), -E.EINVAL, "target outside the known targets");
  assert.equal(init(m, fd, 0xffffffff, [4]), -E.EINVAL, "the target is checked before the features");
  assert.equal(init(m, fd, 0, [1 << 2]), -E.ENOENT, "feature bit 2");
  assert.equal(init(m, fd, 0, [0, 1]), -E.ENOENT, "feature bit 32");
  assert.equal(init(m, fd, 0, [0, 0, 0, 0, 0, 0, 0x80000000]), -E.ENOENT, "feature bit 223");
  assert.equal(getReg(m, fd, core(0))[0], -E.ENOEXEC, "a failed INIT leaves the vCPU uninitialized");
  assert.equal(init(m, fd, 0, [2]), 0, "PSCI_0_2");
  assert.equal(init(m, fd, 1, [2]), -E.EINVAL, "another target after INIT");
  assert.equal(init(m, fd, 1, [4]), -E.EINVAL, "target mismatch wins over a bad feature");
  assert.equal(init(m, fd, 0, [4]), -E.ENOENT, "bad feature wins over a feature mismatch");
  assert.equal(init(m, fd, 0, [0]), -E.EINVAL, "features differ from the first INIT");
  assert.equal(init(m, fd, 0, [3]), -E.EINVAL, "POWER_OFF added");
  assert.equal(init(m, fd, 0, [2]), 0, "the same target and features again");
  assert.equal(m.host.ioctl(fd, R.KVM_ARM_VCPU_INIT, BAD_PTR), -E.EFAULT);
});

test("re-INIT resets the core registers and CP15 but not VFP (§4.1, §7)", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  assert.equal(init(m, fd), 0);
  assert.equal(setReg(m, fd, core(0), 0x1234n), 0);
  assert.equal(setReg(m, fd, core(15), 0x8000n), 0);
  assert.equal(setReg(m, fd, core(16), 0x10n), 0);
  assert.equal(setReg(m, fd, cp15(12, 0, 0, 0), 0x4000n), 0); // VBAR
  assert.equal(setReg(m, fd, 0x4030000000120003n, 0x0123456789abcdefn), 0); // D3
  assert.equal(init(m, fd), 0);
  assert.deepEqual(getReg(m, fd, core(0)), [0, 0n]);
  assert.deepEqual(getReg(m, fd, core(15)), [0, 0n]);
  assert.deepEqual(getReg(m, fd, core(16)), [0, 0x1d3n]);
  assert.deepEqual(getReg(m, fd, cp15(12, 0, 0, 0)), [0, 0n]);
  assert.deepEqual(getReg(m, fd, 0x4030000000120003n), [0, 0x0123456789abcdefn], "VFP survives INIT");
});

test("POWER_OFF feature: MP state STOPPED; SET_MP_STATE RUNNABLE/STOPPED, others EINVAL", () => {
  const m = machine(2);
  const [a, b] = m.vcpus as [number, number];
  assert.equal(init(m, a, 0, [1]), 0);
  assert.equal(init(m, b, 0, [0]), 0);
  const mp = new Uint8Array(4);
  const state = (fd: number): number => (m.host.ioctl(fd, R.KVM_GET_MP_STATE, mp), new DataView(mp.buffer).getUint32(0, true));
  assert.equal(state(a), 5, "STOPPED");
  assert.equal(state(b), 0, "RUNNABLE");
  const set = (fd: number, s: number): number => m.host.ioctl(fd, R.KVM_SET_MP_STATE, new Uint8Array(new Uint32Array([s]).buffer));
  assert.equal(set(a, 0), 0);
  assert.equal(state(a), 0);
  assert.equal(set(b, 5), 0);
  assert.equal(state(b), 5);
  for (const bad of [1, 2, 3, 4, 6, 7, 8, 9]) assert.equal(set(a, bad), -E.EINVAL, `mp_state ${bad}`);
  assert.equal(m.host.ioctl(a, R.KVM_SET_MP_STATE, BAD_PTR), -E.EFAULT);
  assert.equal(m.host.ioctl(a, R.KVM_GET_MP_STATE, BAD_PTR), -E.EFAULT);
  // re-INIT with POWER_OFF puts the vCPU back to STOPPED
  assert.equal(init(m, a, 0, [1]), 0);
  assert.equal(state(a), 5);
});

test("§4.5: GET/SET_REGS, SREGS, FPU, TRANSLATE, GUEST_DEBUG, INTERRUPT, vCPU ENABLE_CAP are EINVAL; FINALIZE EINVAL after INIT", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  assert.equal(m.host.ioctl(fd, R.KVM_GET_REGS, new Uint8Array(152)), -E.EINVAL, "GET_REGS, even before INIT");
  assert.equal(init(m, fd), 0);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_REGS, new Uint8Array(152)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_REGS, new Uint8Array(152)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_SREGS, new Uint8Array(8)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_SREGS, new Uint8Array(8)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_FPU, new Uint8Array(8)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_FPU, new Uint8Array(8)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_TRANSLATE, new Uint8Array(24)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_GUEST_DEBUG, new Uint8Array(8)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_INTERRUPT, new Uint8Array(4)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_ENABLE_CAP, new Uint8Array(104)), -E.EINVAL);
  for (const what of [0, 1, 0x7fffffff]) {
    assert.equal(m.host.ioctl(fd, R.KVM_ARM_VCPU_FINALIZE, new Uint8Array(new Int32Array([what]).buffer)), -E.EINVAL);
  }
  assert.equal(m.host.ioctl(fd, R.KVM_ARM_VCPU_FINALIZE, BAD_PTR), -E.EFAULT);
});

test("KVM_SET_SIGNAL_MASK: NULL removes the mask; len must be 8", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  assert.equal(m.host.ioctl(fd, R.KVM_SET_SIGNAL_MASK, 0), 0);
  const arg = (len: number): Uint8Array => {
    const b = new Uint8Array(4 + 8);
    new DataView(b.buffer).setUint32(0, len, true);
    return b;
  };
  assert.equal(m.host.ioctl(fd, R.KVM_SET_SIGNAL_MASK, arg(8)), 0);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_SIGNAL_MASK, arg(4)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_SIGNAL_MASK, arg(128)), -E.EINVAL);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_SIGNAL_MASK, BAD_PTR), -E.EFAULT);
});

test("big.LITTLE: an A15 host accepts target 1 per vCPU; each vCPU shows its own MIDR, CTR, ID_MMFR0, SCTLR, FPSID", () => {
  const m = machine(2);
  const [big, little] = m.vcpus as [number, number];
  assert.equal(init(m, big, 0), 0);
  assert.equal(init(m, little, 1), 0);
  const rows: [bigint, bigint, bigint][] = [
    [cp15(0, 0, 0, 0), 0x412fc0f1n, 0x410fc075n], // MIDR
    [cp15(0, 0, 0, 1), 0x8444c004n, 0x84448003n], // CTR
    [cp15(0, 0, 1, 4), 0x10201105n, 0x10101105n], // ID_MMFR0
    [cp15(0, 0, 1, 5), 0x20000000n, 0x40000000n], // ID_MMFR1
    [cp15(1, 0, 0, 0), 0x00c50078n, 0x00c50878n], // SCTLR reset
    [0x4020000000121000n, 0x410430f0n, 0x41023075n], // FPSID
    [0x4030000000140001n, 1n, 2n], // SMCCC_ARCH_WORKAROUND_1: AVAIL on A15, NOT_REQUIRED on A7
  ];
  for (const [id, a15, a7] of rows) {
    assert.deepEqual(getReg(m, big, id), [0, a15], id.toString(16));
    assert.deepEqual(getReg(m, little, id), [0, a7], id.toString(16));
  }
  assert.equal(init(m, little, 0), -E.EINVAL, "the target cannot change after INIT");
  assert.equal(regList(m, little, 200)[1], 136);
  // KVM_ARM_PREFERRED_TARGET still answers the host's target
  const out = new Uint8Array(32);
  assert.equal(m.host.ioctl(m.vm, R.KVM_ARM_PREFERRED_TARGET, out), 0);
  assert.equal(out[0], 0);
});

test("an A7 host: PREFERRED_TARGET 1, INIT with target 1 gives A7 identification", () => {
  const m = machine(1, { target: 1 });
  const fd = m.vcpus[0]!;
  assert.equal(init(m, fd, 1), 0);
  assert.deepEqual(getReg(m, fd, cp15(0, 0, 0, 0)), [0, 0x410fc075n]);
  assert.notEqual(m.host.ioctl(fd, R.KVM_ARM_VCPU_INIT, vcpuInit(1)), -E.EINVAL);
});
