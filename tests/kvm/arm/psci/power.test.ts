// PSCI power management on the kernel's vCPU objects (reference kvm-arm32-abi.md §8.2–§8.4, §6.3
// MPIDR derivation, §7 CPU_ON reset): CPU_ON target selection by MPIDR affinity and its errors per
// version, the pending reset it leaves (PC, Thumb, context id, caller's endianness), the wake-up,
// AFFINITY_INFO levels and masks, SYSTEM_OFF / SYSTEM_RESET.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FN, REG_PSCI_VERSION, RET, hvc, psciVm } from "./psci-vm.js";

const SYSTEM_EVENT = { SHUTDOWN: 1, RESET: 2 } as const;

test("MPIDR affinity per §6.3: Aff0 = id mod 4, Aff1 = id / 4 (ids 0..5 → 0x000..0x003, 0x100, 0x101)", () => {
  const { v } = psciVm({ ids: [0, 1, 2, 3, 4, 5] });
  assert.deepEqual(v.map((c) => c.mpidr & 0xffffff), [0x000, 0x001, 0x002, 0x003, 0x100, 0x101]);
});

test("CPU_ON of a powered-off vCPU: r0 = 0, r1–r3 = 0; target powered on, kicked, with the pending reset of §8.3", () => {
  const { v } = psciVm({ ids: [0, 5], powerOff: [1] });
  const [caller, target] = v as [typeof v[0], typeof v[0]];
  assert.equal(target.powerOff, true);
  const kicks = Atomics.load(target.wakeWord, 0);
  // r1 carries MPIDR bit 31 (M) and junk in bits 31..24: only Aff2..Aff0 (0x000101) select.
  const { ret, r } = hvc(caller, [FN.CPU_ON, 0xff000101, 0x40001000, 0xcafe0001]);
  assert.equal(ret, 0);
  assert.deepEqual(r, [0, 0, 0, 0]);
  assert.equal(target.powerOff, false);
  assert.deepEqual(target.pendingReset, { pc: 0x40001000, r0: 0xcafe0001 | 0, thumb: false, bigEndian: false });
  assert.notEqual(Atomics.load(target.wakeWord, 0), kicks, "the target was kicked");
  assert.equal(caller.pendingReset, null, "the caller is untouched");
});

test("CPU_ON: entry bit 0 selects Thumb and is cleared from the PC; a big-endian caller (CPSR.E) gives a big-endian target", () => {
  const { v } = psciVm({ vcpus: 3, powerOff: [1, 2] });
  const [caller, t1, t2] = v as [typeof v[0], typeof v[0], typeof v[0]];
  assert.deepEqual(hvc(caller, [FN.CPU_ON, 1, 0x40002001, 7]).r, [0, 0, 0, 0]);
  assert.deepEqual(t1.pendingReset, { pc: 0x40002000, r0: 7, thumb: true, bigEndian: false });
  caller.cpu.cpsr = caller.cpu.cpsr | 0x200; // SETEND BE
  assert.deepEqual(hvc(caller, [FN.CPU_ON, 2, 0x40003000, 0]).r, [0, 0, 0, 0]);
  assert.deepEqual(t2.pendingReset, { pc: 0x40003000, r0: 0, thumb: false, bigEndian: true });
});

test("CPU_ON errors: no vCPU with that affinity → INVALID_PARAMS; target on → ALREADY_ON (0.2/1.0), INVALID_PARAMS (0.1)", () => {
  for (const mode of ["0.1", "0.2", "1.0"] as const) {
    const m = psciVm({ ids: [0, 1, 4], psci02: mode !== "0.1", powerOff: [2] });
    if (mode === "0.2") m.t.vcpus[0]!.setOneReg(REG_PSCI_VERSION, 2n);
    const on = mode === "0.1" ? FN.V01_CPU_ON : FN.CPU_ON;
    const [caller, other, off] = m.v as [typeof m.v[0], typeof m.v[0], typeof m.v[0]];
    const alreadyOn = mode === "0.1" ? RET.INVALID_PARAMS : RET.ALREADY_ON;
    for (const missing of [0x002, 0x004, 0x101, 0x10000, 0x00ffffff]) {
      assert.deepEqual(hvc(caller, [on, missing, 0x40000000, 0]).r, [RET.INVALID_PARAMS, 0, 0, 0], `${mode}: 0x${missing.toString(16)}`);
    }
    assert.deepEqual(hvc(caller, [on, 0x001, 0x40000000, 0]).r, [alreadyOn, 0, 0, 0], `${mode}: other vCPU on`);
    assert.deepEqual(hvc(caller, [on, 0x80000000, 0x40000000, 0]).r, [alreadyOn, 0, 0, 0], `${mode}: itself`);
    assert.equal(other.pendingReset, null);
    assert.equal(caller.pendingReset, null);
    // the id-4 vCPU is at affinity 0x100, not 0x004
    assert.deepEqual(hvc(caller, [on, 0x100, 0x40000000, 0]).r, [0, 0, 0, 0], `${mode}: POWER_OFF vCPU at 0x100`);
    assert.equal(off.powerOff, false);
    assert.deepEqual(hvc(caller, [on, 0x100, 0x40000000, 0]).r, [alreadyOn, 0, 0, 0], `${mode}: second CPU_ON`);
  }
});

test("CPU_OFF then CPU_ON from another vCPU brings the vCPU back with a fresh pending reset", () => {
  const { v } = psciVm({ vcpus: 2 });
  const [a, b] = v as [typeof v[0], typeof v[0]];
  assert.deepEqual(hvc(b, [FN.CPU_OFF]).r, [0, 0, 0, 0]);
  assert.equal(b.powerOff, true);
  assert.deepEqual(hvc(a, [FN.CPU_ON, 1, 0x40000400, 0x99]).r, [0, 0, 0, 0]);
  assert.equal(b.powerOff, false);
  assert.deepEqual(b.pendingReset, { pc: 0x40000400, r0: 0x99, thumb: false, bigEndian: false });
});

test("AFFINITY_INFO: level > 3 → INVALID_PARAMS; level 0 exact match; ON if any match is on, OFF if all off, none → INVALID_PARAMS", () => {
  const { v } = psciVm({ ids: [0, 1, 2, 3, 4, 5] });
  const c = v[0]!;
  const info = (aff: number, level: number) => {
    const { ret, r } = hvc(c, [FN.AFFINITY_INFO, aff, level, 0x1234]);
    assert.equal(ret, 0);
    assert.deepEqual(r.slice(1), [0, 0, 0]);
    return r[0];
  };
  for (const level of [4, 5, 0xff, 0xffffffff]) assert.equal(info(0, level), RET.INVALID_PARAMS, `level ${level}`);
  v[5]!.powerOff = true;
  assert.equal(info(0x101, 0), 1, "id 5 OFF");
  assert.equal(info(0x100, 0), 0, "id 4 ON");
  assert.equal(info(0x80000101, 0), 1, "MPIDR bit 31 ignored");
  assert.equal(info(0x102, 0), RET.INVALID_PARAMS, "no vCPU at 0x102");
  assert.equal(info(0x004, 0), RET.INVALID_PARAMS, "Aff0 = 4 exists in no cluster");
});

test("AFFINITY_INFO levels 1..3 mask off the lower affinity fields (mask = 0xFFFFFF & ~((1 << 8·level) − 1))", () => {
  const { v } = psciVm({ ids: [0, 1, 2, 3, 4, 5] });
  const c = v[0]!;
  const info = (aff: number, level: number) => hvc(c, [FN.AFFINITY_INFO, aff, level]).r[0];
  // cluster 1 = ids 4, 5
  assert.equal(info(0x100, 1), 0);
  assert.equal(info(0x1ff, 1), 0, "Aff0 ignored at level 1");
  v[4]!.powerOff = true;
  assert.equal(info(0x100, 1), 0, "id 5 still on");
  v[5]!.powerOff = true;
  assert.equal(info(0x100, 1), 1, "cluster 1 all off");
  assert.equal(info(0x000, 1), 0, "cluster 0 on");
  assert.equal(info(0x200, 1), RET.INVALID_PARAMS, "no cluster 2");
  // level 2: Aff2 only — everything is in Aff2 = 0
  assert.equal(info(0x0000ff, 2), 0);
  assert.equal(info(0x010000, 2), RET.INVALID_PARAMS);
  // level 3: the mask is empty on 32-bit ARM, every vCPU matches whatever r1 says
  assert.equal(info(0xffffff, 3), 0);
  for (const x of v) x.powerOff = true;
  assert.equal(info(0x123456, 3), 1, "all off");
  assert.equal(info(0x000, 1), 1);
});

test("AFFINITY_INFO does not exist in PSCI 0.1", () => {
  const { v } = psciVm({ vcpus: 2, psci02: false });
  assert.deepEqual(hvc(v[0]!, [FN.AFFINITY_INFO, 1, 0]).r, [RET.NOT_SUPPORTED, 0, 0, 0]);
});

for (const [name, fn, type] of [["SYSTEM_OFF", FN.SYSTEM_OFF, SYSTEM_EVENT.SHUTDOWN], ["SYSTEM_RESET", FN.SYSTEM_RESET, SYSTEM_EVENT.RESET]] as const) {
  test(`${name}: system event ${type}, caller r0 = INTERNAL_FAILURE, r1–r3 = 0, every vCPU powered off and kicked`, () => {
    const { v } = psciVm({ vcpus: 3, powerOff: [2] });
    const kicks = v.map((c) => Atomics.load(c.wakeWord, 0));
    const pc = (v[1]!.cpu.regs[15] = 0x40000010);
    const { ret, r } = hvc(v[1]!, [fn, 1, 2, 3]);
    assert.equal(ret, type);
    assert.deepEqual(r, [RET.INTERNAL_FAILURE, 0, 0, 0]);
    assert.equal(v[1]!.cpu.regs[15], pc, "PC stays past the HVC");
    assert.deepEqual(v.map((c) => c.powerOff), [true, true, true]);
    v.forEach((c, i) => assert.notEqual(Atomics.load(c.wakeWord, 0), kicks[i], `vCPU ${i} kicked`));
    // Afterwards AFFINITY_INFO (asked by a vCPU userspace resumed) sees everything off.
    assert.equal(hvc(v[0]!, [FN.AFFINITY_INFO, 0, 3]).r[0], 1);
  });
}
