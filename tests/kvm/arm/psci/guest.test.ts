// PSCI and SMCCC through the raw interface (reference kvm-arm32-abi.md §8, §7, §4.2, §4.6): tiny
// guests that issue HVC/SMC inside KVM_RUN and report r0 with an MMIO store; registers and MP state
// read with ONE_REG / KVM_GET_MP_STATE, the way a VMM sees them.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEV_BASE, ERRNO, EXIT, RAM_BASE, REG_CPSR, REG_PC, REG_R, RESET_CPSR, RUN_OFF, load, reg, runRaw, runUntilExit,
  runView, start, type TinyVm,
} from "../run/tiny-vm.js";
import { FN, MP_STATE, REG_PSCI_VERSION, RET, psciVm } from "./psci-vm.js";

/** A guest that makes one HVC (or SMC) and stores r0 to DEV_BASE (r5 = DEV_BASE set by the test). */
const CALL_AND_REPORT = (insn: string) => `${insn}\nstr r0, [r5]\nb .`;

function setArgs(t: TinyVm, i: number, r: number[]): void {
  r.forEach((x, n) => t.vcpus[i]!.setOneReg(REG_R(n), x >>> 0));
  t.vcpus[i]!.setOneReg(REG_R(5), DEV_BASE);
}

/** Runs vCPU i to its next exit, which must be the store of r0 to `addr`; returns the data bytes. */
function expectStore(t: TinyVm, i: number, addr = DEV_BASE): number[] {
  const c = t.vcpus[i]!;
  assert.equal(runUntilExit(t, c), 0);
  const run = runView(c);
  assert.equal(run.getUint32(RUN_OFF.exit_reason, true), EXIT.MMIO);
  assert.equal(Number(run.getBigUint64(RUN_OFF.mmio_phys_addr, true)), addr);
  assert.equal(run.getUint32(RUN_OFF.mmio_len, true), 4);
  assert.equal(run.getUint8(RUN_OFF.mmio_is_write), 1);
  return [0, 1, 2, 3].map((k) => run.getUint8(RUN_OFF.mmio_data + k));
}

const regs = (t: TinyVm, i: number) => [0, 1, 2, 3].map((n) => reg(t.vcpus[i]!, REG_R(n)) >>> 0);
const le = (x: number) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24];

test("HVC PSCI_VERSION in KVM_RUN: 0x10000 by default, 2 when forced, NOT_SUPPORTED for a 0.1 vCPU; r1–r3 = 0; PC past the HVC", () => {
  for (const [opts, forced, want] of [[{}, null, 0x10000], [{}, 2, 0x2], [{ psci02: false }, null, RET.NOT_SUPPORTED]] as const) {
    const { t } = psciVm(opts);
    if (forced !== null) t.vcpus[0]!.setOneReg(REG_PSCI_VERSION, BigInt(forced));
    const entry = load(t, CALL_AND_REPORT("hvc #0"));
    start(t, entry);
    setArgs(t, 0, [FN.PSCI_VERSION, 0x111, 0x222, 0x333]);
    assert.deepEqual(expectStore(t, 0), le(want));
    assert.deepEqual(regs(t, 0), [want, 0, 0, 0]);
    assert.equal(reg(t.vcpus[0]!, REG_PC), entry + 4, "stopped at the STR after the HVC");
  }
});

test("ARCH_WORKAROUND_1 in KVM_RUN: r1 = 0x4A00_0000 | imm16 (ARM and Thumb HVC), r2 = 0x80008000, r3 kept", () => {
  for (const thumb of [false, true]) {
    const { t } = psciVm();
    const entry = load(t, CALL_AND_REPORT("hvc #0xbeef"), { thumb });
    start(t, entry, { thumb });
    setArgs(t, 0, [FN.ARCH_WORKAROUND_1, 1, 2, 0x3333]);
    assert.deepEqual(expectStore(t, 0), le(0));
    assert.deepEqual(regs(t, 0), [0, 0x4a00beef, 0x80008000, 0x3333], thumb ? "Thumb" : "ARM");
    assert.equal(reg(t.vcpus[0]!, REG_PC), entry + 4);
  }
});

test("SMC in KVM_RUN: r0 = 0xFFFFFFFF, r1–r3 kept, the guest runs on after it", () => {
  const { t } = psciVm();
  const entry = load(t, CALL_AND_REPORT("smc #0"));
  start(t, entry);
  setArgs(t, 0, [FN.PSCI_VERSION, 0x11, 0x22, 0x33]);
  assert.deepEqual(expectStore(t, 0), le(0xffffffff));
  assert.deepEqual(regs(t, 0), [0xffffffff, 0x11, 0x22, 0x33]);
});

for (const callerBigEndian of [false, true]) {
  test(`CPU_ON of a POWER_OFF vCPU through KVM_RUN (Thumb entry, context id${callerBigEndian ? ", big-endian caller" : ""})`, () => {
    const { t } = psciVm({ vcpus: 2, powerOff: [1] });
    const [c0, c1] = t.vcpus as [typeof t.vcpus[0], typeof t.vcpus[0]];
    const secondary = load(t, "movw r1, #0x10\nmovt r1, #0x0900\nstr r0, [r1]\nb .", { thumb: true, offset: 0x400 });
    const entry = load(t, `${callerBigEndian ? "setend be\n" : ""}hvc #0\nstr r0, [r5]\nb .`);
    start(t, entry);
    setArgs(t, 0, [FN.CPU_ON, 0x80000001, secondary | 1, 0xcafe]);

    // Before CPU_ON the secondary sleeps through its slice: -EINTR / KVM_EXIT_INTR, still STOPPED.
    assert.equal(c1.getMpState(), MP_STATE.STOPPED);
    assert.equal(runRaw(t, c1), -ERRNO.EINTR);
    assert.equal(runView(c1).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);

    const ok = expectStore(t, 0);
    assert.deepEqual(ok, [0, 0, 0, 0], "CPU_ON returned SUCCESS");
    assert.equal(c1.getMpState(), MP_STATE.RUNNABLE);

    // The secondary runs from the entry point in Thumb state with r0 = context id.
    const data = expectStore(t, 1, 0x09000010);
    assert.deepEqual(data, callerBigEndian ? [0, 0, 0xca, 0xfe] : [0xfe, 0xca, 0, 0]);
    assert.equal(reg(c1, REG_R(0)), 0xcafe);
    assert.deepEqual([1, 2, 3].map((n) => reg(c1, REG_R(n))), [0x09000010, 0, 0], "r1 is the guest's; r2, r3 reset to 0");
    assert.equal(reg(c1, REG_CPSR), RESET_CPSR | 0x20 | (callerBigEndian ? 0x200 : 0), "SVC, AIF masked, Thumb");
    assert.equal(reg(c1, REG_PC), secondary + 8, "at the STR after MOVW/MOVT (32-bit each)");

    // A second CPU_ON of the now running vCPU is ALREADY_ON.
    c0.setOneReg(REG_PC, entry + (callerBigEndian ? 4 : 0)); // back to the HVC
    setArgs(t, 0, [FN.CPU_ON, 1, secondary | 1, 0]);
    const again = expectStore(t, 0);
    assert.deepEqual(again, callerBigEndian ? [0xff, 0xff, 0xff, 0xfc] : [0xfc, 0xff, 0xff, 0xff]);
  });
}

for (const [name, fn, type] of [["SYSTEM_OFF", FN.SYSTEM_OFF, 1], ["SYSTEM_RESET", FN.SYSTEM_RESET, 2]] as const) {
  test(`${name} through KVM_RUN: KVM_EXIT_SYSTEM_EVENT type ${type} flags 0, r0 = INTERNAL_FAILURE, all vCPUs STOPPED`, () => {
    const { t } = psciVm({ vcpus: 2 });
    const c0 = t.vcpus[0]!;
    const entry = load(t, CALL_AND_REPORT("hvc #0"));
    start(t, entry);
    setArgs(t, 0, [fn, 1, 2, 3]);
    assert.equal(runUntilExit(t, c0), 0);
    const run = runView(c0);
    assert.equal(run.getUint32(RUN_OFF.exit_reason, true), EXIT.SYSTEM_EVENT);
    assert.equal(run.getUint32(RUN_OFF.system_event_type, true), type);
    assert.equal(run.getBigUint64(RUN_OFF.system_event_flags, true), 0n);
    assert.deepEqual(regs(t, 0), [RET.INTERNAL_FAILURE, 0, 0, 0]);
    assert.equal(reg(c0, REG_PC), entry + 4, "PC after the HVC");
    assert.deepEqual(t.vcpus.map((c) => c.getMpState()), [MP_STATE.STOPPED, MP_STATE.STOPPED]);
    // Resumed without re-INIT, the caller sleeps: -EINTR, nothing executed.
    assert.equal(runRaw(t, c0), -ERRNO.EINTR);
    assert.equal(reg(c0, REG_PC), entry + 4);
  });
}

test("CPU_SUSPEND through KVM_RUN sleeps like WFI until an interrupt is pending (even masked), then returns 0", () => {
  const { t } = psciVm();
  const c = t.vcpus[0]!;
  const entry = load(t, CALL_AND_REPORT("hvc #0"));
  start(t, entry);
  setArgs(t, 0, [FN.CPU_SUSPEND, 0, RAM_BASE + 0x800, 0]);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
  assert.equal(reg(c, REG_PC), entry + 4, "suspended after the HVC");
  assert.equal(c.getMpState(), MP_STATE.RUNNABLE, "CPU_SUSPEND is not a power-off");
  t.vm.irqLine(0, 1); // §3.5: type CPU (0), vCPU 0, line IRQ — CPSR.I is set, so it only wakes
  assert.deepEqual(expectStore(t, 0), le(0));
});

test("CPU_OFF through KVM_RUN: the vCPU sleeps STOPPED; KVM_SET_MP_STATE(RUNNABLE) resumes it after the HVC with r0 = 0", () => {
  const { t } = psciVm();
  const c = t.vcpus[0]!;
  const entry = load(t, CALL_AND_REPORT("hvc #0"));
  start(t, entry);
  setArgs(t, 0, [FN.CPU_OFF, 7, 7, 7]);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(c.getMpState(), MP_STATE.STOPPED);
  assert.equal(reg(c, REG_PC), entry + 4);
  c.setMpState(MP_STATE.RUNNABLE);
  assert.deepEqual(expectStore(t, 0), le(0));
  assert.deepEqual(regs(t, 0), [0, 0, 0, 0]);
});
