// KVM_RUN's entry sequence and its exits other than MMIO (reference kvm-arm32-abi.md §4.2, §9.1,
// §9.4 last row, §10.5): ENOEXEC before INIT, vGIC readiness on the first run, immediate_exit,
// exit_reason reset, the time slice's -EINTR / KVM_EXIT_INTR, -EFAULT for slot memory without a host
// mapping, prefetch aborts for fetches outside memory, device_irq_level without an in-kernel irqchip.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEV_BASE, ERRNO, EXIT, RAM_BASE, REG_PC, REG_R, RUN_OFF, load, reg, runRaw, runView, start, tinyVm,
} from "./tiny-vm.js";

test("KVM_RUN before KVM_ARM_VCPU_INIT is ENOEXEC, and leaves kvm_run alone", () => {
  const t = tinyVm({ noInit: true });
  const c = t.vcpus[0]!;
  runView(c).setUint32(RUN_OFF.exit_reason, 0x1234, true);
  assert.equal(runRaw(t, c), -ERRNO.ENOEXEC);
  assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), 0x1234);
});

test("KVM_RUN with a non-zero argument is EINVAL", () => {
  const t = tinyVm();
  const c = t.vcpus[0]!;
  c.getRun();
  assert.equal(t.host.ioctl(c.fd, 0x0000ae80, 1n), -ERRNO.EINVAL);
});

test("immediate_exit: EINTR before the guest runs, exit_reason untouched", () => {
  const t = tinyVm();
  const entry = load(t, "mov r1, #1\nb .");
  const c = start(t, entry);
  const v = runView(c);
  v.setUint32(RUN_OFF.exit_reason, 0xabcd, true);
  v.setUint8(RUN_OFF.immediate_exit, 1);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(v.getUint32(RUN_OFF.exit_reason, true), 0xabcd);
  assert.equal(reg(c, REG_PC), entry, "nothing ran");
  assert.equal(reg(c, REG_R(1)), 0);
});

test("the slice ends with -EINTR and KVM_EXIT_INTR; the guest made progress and resumes where it was", () => {
  const t = tinyVm();
  const entry = load(t, "1: add r1, r1, #1\nb 1b");
  const c = start(t, entry);
  const t0 = performance.now();
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  const ms = performance.now() - t0;
  assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
  const n1 = reg(c, REG_R(1));
  assert.ok(n1 > 1000, `guest ran (${n1} iterations)`);
  assert.ok(ms >= 2 && ms < 200, `slice ${ms.toFixed(2)} ms`);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.ok(reg(c, REG_R(1)) > n1, "resumed");
});

test("exit_reason is KVM_EXIT_UNKNOWN while running: -EFAULT for a slot page whose host memory is gone", () => {
  const t = tinyVm();
  const entry = load(t, "ldr r1, [r0]\nb .");
  const c = start(t, entry);
  c.setOneReg(REG_R(0), RAM_BASE + 0x8000);
  assert.equal(t.host.munmap(t.ramAddr + 0x8000n, 0x1000), 0);
  runView(c).setUint32(RUN_OFF.exit_reason, EXIT.INTR, true);
  assert.equal(runRaw(t, c), -ERRNO.EFAULT);
  assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.UNKNOWN);
  assert.equal(reg(c, REG_PC), entry, "the access did not complete");
  assert.equal(runRaw(t, c), -ERRNO.EFAULT, "and fails again");
});

test("an instruction fetch outside every slot takes a Prefetch Abort inside the guest (no exit)", () => {
  const t = tinyVm();
  // VBAR -> RAM_BASE + 0x1000; the prefetch abort vector (+0x0C) reports IFAR, IFSR, LR_abt, CPSR to MMIO.
  const vectors = "b .\nb .\nb .\nb pabt\nb .\nb .\nb .\nb .\n" +
    "pabt: mrc p15, 0, r4, c6, c0, 2\nmrc p15, 0, r5, c5, c0, 1\nmov r6, lr\nmrs r7, cpsr\nstr r4, [r9]\nb .";
  load(t, vectors, { offset: 0x1000 });
  const entry = load(t, "ldr r0, =0x40001000\nmcr p15, 0, r0, c12, c0, 0\nisb\nldr r9, =0x09000000\nldr r1, =0x20000000\nbx r1\n.ltorg");
  const c = start(t, entry);
  assert.equal(runRaw(t, c), 0);
  const v = runView(c);
  assert.equal(v.getUint32(RUN_OFF.exit_reason, true), EXIT.MMIO);
  assert.equal(Number(v.getBigUint64(RUN_OFF.mmio_phys_addr, true)), DEV_BASE);
  assert.equal(reg(c, REG_R(4)) >>> 0, 0x2000_0000, "IFAR = the address fetched");
  // IFSR: synchronous external abort, short-descriptor FS = 0b01000 (KVM injects DFSR_FSC_EXTABT_nLPAE)
  assert.equal(reg(c, REG_R(5)) & 0x40f, 0x008, "IFSR.FS = external abort");
  assert.equal(reg(c, REG_R(6)) >>> 0, 0x2000_0004, "LR_abt = faulting address + 4");
  assert.equal(reg(c, REG_R(7)) & 0x1f, 0x17, "ABT mode");
});

test("no in-kernel irqchip: a timer line change returns -EINTR / KVM_EXIT_INTR with device_irq_level", () => {
  const t = tinyVm();
  // Virtual timer: TVAL = 2400 ticks (100 µs at 24 MHz: CNTFRQ is read back to scale), enabled, unmasked.
  const entry = load(t, [
    "mrc p15, 0, r1, c14, c0, 0", // CNTFRQ
    "lsr r1, r1, #14", // ~ 60 µs worth of ticks
    "mcr p15, 0, r1, c14, c3, 0", // CNTV_TVAL
    "mov r2, #1",
    "mcr p15, 0, r2, c14, c3, 1", // CNTV_CTL = ENABLE
    "isb",
    "1: add r3, r3, #1",
    "b 1b",
  ].join("\n"));
  const c = start(t, entry);
  const v = runView(c);
  let level = 0n;
  for (let i = 0; i < 100 && (level & 1n) === 0n; i++) {
    assert.equal(runRaw(t, c), -ERRNO.EINTR);
    assert.equal(v.getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
    level = v.getBigUint64(RUN_OFF.device_irq_level, true);
  }
  assert.equal(level, 1n, "KVM_ARM_DEV_EL1_VTIMER set, PTIMER and PMU clear");
  // The guest masks the timer (IMASK): the level drops and the next KVM_RUN reports it at once.
  const ctl = 0x4020_0000_000f_7181n; // §5.6 KVM_REG_ARM_TIMER_CTL
  c.setOneReg(ctl, 3);
  const t0 = performance.now();
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.ok(performance.now() - t0 < 3, "returned before the slice ended");
  assert.equal(v.getBigUint64(RUN_OFF.device_irq_level, true), 0n);
});
