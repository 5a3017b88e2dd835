// Waiting vCPUs sleep inside KVM_RUN without burning host CPU (reference §4.2 row 6, §7; tskvm's
// scheduling decision in docs/ARCHITECTURE.md): WFI with nothing pending, a powered-off vCPU; an
// interrupt (KVM_IRQ_LINE, the virtual timer through the vGIC) makes the vCPU run again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ERRNO, EXIT, REG_PC, REG_R, RUN_OFF, load, reg, runRaw, runView, start, tinyVm, type TinyVm } from "./tiny-vm.js";
import type { VcpuFd } from "../../../../src/facade/index.js";

/** Host CPU time (user + system) and wall time over `n` KVM_RUN calls that must each end in -EINTR/INTR. */
function measure(t: TinyVm, c: VcpuFd, n: number): { cpuMs: number; wallMs: number; perRunMs: number } {
  const cpu0 = process.cpuUsage(), t0 = performance.now();
  for (let i = 0; i < n; i++) {
    assert.equal(runRaw(t, c), -ERRNO.EINTR);
    assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
  }
  const wallMs = performance.now() - t0, d = process.cpuUsage(cpu0);
  return { cpuMs: (d.user + d.system) / 1000, wallMs, perRunMs: wallMs / n };
}

test("WFI with nothing pending sleeps for the slice: -EINTR/KVM_EXIT_INTR, little host CPU", () => {
  const t = tinyVm();
  const entry = load(t, "1: wfi\nadd r1, r1, #1\nb 1b");
  const c = start(t, entry);
  measure(t, c, 2); // warm up (decode, first-run work)
  const m = measure(t, c, 40);
  assert.ok(m.perRunMs >= 2, `each KVM_RUN slept about a slice (${m.perRunMs.toFixed(2)} ms)`);
  assert.ok(m.cpuMs < 0.25 * m.wallMs, `CPU ${m.cpuMs.toFixed(1)} ms over ${m.wallMs.toFixed(1)} ms wall`);
  assert.ok(reg(c, REG_R(1)) < 100, "the WFI loop did not spin");
});

test("a powered-off vCPU sleeps in KVM_RUN until made RUNNABLE, without executing", () => {
  const t = tinyVm({ powerOff: [0] });
  const entry = load(t, "mov r1, #5\nb .");
  const c = start(t, entry);
  const m = measure(t, c, 20);
  assert.ok(m.cpuMs < 0.25 * m.wallMs, `CPU ${m.cpuMs.toFixed(1)} ms over ${m.wallMs.toFixed(1)} ms wall`);
  assert.equal(reg(c, REG_PC), entry);
  assert.equal(c.getMpState(), 5, "KVM_MP_STATE_STOPPED");
  c.setMpState(0);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(reg(c, REG_R(1)), 5, "runs once RUNNABLE");
});

test("no irqchip: KVM_IRQ_LINE (CPU type, IRQ) wakes a WFI and the guest takes the IRQ", () => {
  const t = tinyVm();
  load(t, "b .\nb .\nb .\nb .\nb .\nb .\nb irq\nb .\nirq: mov r5, #1\nb .", { offset: 0x1000 });
  const entry = load(t, "ldr r0, =0x40001000\nmcr p15, 0, r0, c12, c0, 0\ncpsie i\n1: wfi\nadd r1, r1, #1\nb 1b\n.ltorg");
  const c = start(t, entry);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(reg(c, REG_R(5)), 0);
  // §3.5 irq field: type 0 (CPU) in bits 27:24, vcpu index 0, irq 0 = IRQ line
  t.vm.irqLine(0, 1);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(reg(c, REG_R(5)), 1, "IRQ taken after the wake-up");
});

test("vGIC: the virtual timer's PPI 27 wakes a WFI within about the timer deadline", () => {
  const GICD = 0x0800_0000, GICC = 0x0801_0000;
  const t = tinyVm({
    beforeInit: (tv) => {
      tv.vm.createIrqchip();
      tv.vm.armSetDeviceAddr(0n << 16n | 0n, GICD); // §3.4 id: type ARM_DEVICE_VGIC_V2 (0) << 16 | ADDR_TYPE_DIST (0)
      tv.vm.armSetDeviceAddr(0n << 16n | 1n, GICC); // ADDR_TYPE_CPU (1)
    },
  });
  const irqHandler = [
    "irq: ldr r8, [r11, #0x0c]", // GICC_IAR
    "mov r6, r8",
    "mov r7, #2", // CNTV_CTL = IMASK: the level drops before the EOI
    "mcr p15, 0, r7, c14, c3, 1",
    "isb",
    "str r8, [r11, #0x10]", // GICC_EOIR
    "add r5, r5, #1",
    "subs pc, lr, #4",
  ].join("\n");
  load(t, "b .\nb .\nb .\nb .\nb .\nb .\nb irq\nb .\n" + irqHandler, { offset: 0x1000 });
  const entry = load(t, [
    "ldr r0, =0x40001000", "mcr p15, 0, r0, c12, c0, 0",
    "ldr r10, =0x08000000", "ldr r11, =0x08010000",
    "mov r0, #1", "str r0, [r10]", // GICD_CTLR
    "mov r0, #(1 << 27)", "str r0, [r10, #0x100]", // GICD_ISENABLER0: PPI 27
    "mov r0, #0xf0", "str r0, [r11, #0x4]", // GICC_PMR
    "mov r0, #1", "str r0, [r11]", // GICC_CTLR
    // CNTFRQ / 64 ticks ~ 15.6 ms: long enough that a spinning wait (CPU ≈ wall) stands out from the
    // few ms of CPU the host process spends anyway (V8 compiling, GC), also on a loaded machine
    "mrc p15, 0, r1, c14, c0, 0", "lsr r1, r1, #6",
    "mcr p15, 0, r1, c14, c3, 0", "mov r1, #1", "mcr p15, 0, r1, c14, c3, 1", "isb",
    "cpsie i",
    "1: wfi", "cmp r5, #0", "beq 1b",
    "2: b 2b",
    ".ltorg",
  ].join("\n"));
  const c = start(t, entry);
  const cpu0 = process.cpuUsage(), t0 = performance.now();
  let runs = 0;
  while (reg(c, REG_R(5)) === 0 && performance.now() - t0 < 2000) {
    const r = runRaw(t, c);
    assert.equal(r, -ERRNO.EINTR, `run ${runs}: ${r} exit ${runView(c).getUint32(RUN_OFF.exit_reason, true)}`);
    runs++;
  }
  const wall = performance.now() - t0, d = process.cpuUsage(cpu0);
  assert.equal(reg(c, REG_R(6)), 27, "GICC_IAR gave the vtimer PPI");
  assert.equal(reg(c, REG_R(5)), 1, "exactly one interrupt (the level dropped before the EOI)");
  assert.ok(wall >= 12 && wall < 300, `woke after ${wall.toFixed(1)} ms`);
  assert.ok((d.user + d.system) / 1000 < 0.5 * wall + 5, "slept, did not spin");
  for (let i = 0; i < 5; i++) assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(reg(c, REG_R(5)), 1, "no second interrupt once masked");
});

test("a waiting vCPU yields at once while another vCPU of the VM has work; sleeps once all wait", () => {
  const t = tinyVm({ vcpus: 2, powerOff: [1] });
  const busy = load(t, "1: add r1, r1, #1\nb 1b");
  const c0 = start(t, busy), c1 = start(t, busy, { vcpu: 1 });
  assert.equal(runRaw(t, c1), -ERRNO.EINTR); // vCPU 0 never ran: vCPU 1 sleeps its slice
  assert.equal(runRaw(t, c0), -ERRNO.EINTR); // vCPU 0 runs a busy slice
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) assert.equal(runRaw(t, c1), -ERRNO.EINTR);
  const yielded = performance.now() - t0;
  assert.ok(yielded < 10, `10 KVM_RUNs of the powered-off vCPU took ${yielded.toFixed(2)} ms: it did not hold the thread`);
  assert.equal(runView(c1).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
  assert.equal(reg(c1, REG_R(1)), 0, "still powered off");
  // vCPU 0 now waits too (WFI with interrupts masked): both sleep their slices.
  t.ram.set([0x03, 0xf0, 0x20, 0xe3, 0xfd, 0xff, 0xff, 0xea], 0x100); // wfi; b .-4 (A32, little-endian)
  c0.setOneReg(REG_PC, 0x4000_0100);
  assert.equal(runRaw(t, c0), -ERRNO.EINTR);
  const t1 = performance.now();
  assert.equal(runRaw(t, c1), -ERRNO.EINTR);
  assert.ok(performance.now() - t1 >= 2, "with every vCPU waiting, KVM_RUN sleeps");
});
