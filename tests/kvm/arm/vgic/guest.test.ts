// The vGIC as a guest sees it through KVM_RUN: a VMM sets it up with KVM_CREATE_IRQCHIP and
// KVM_ARM_SET_DEVICE_ADDR (reference §3.3, §3.4), the guest programs the distributor and CPU interface
// (in-kernel, no exits) and reports what it read through a store to an address in no slot (a
// KVM_EXIT_MMIO, §9). Expected values from ARM IHI 0048B: IAR = INTID | source << 10, RPR = running
// priority (0xFF idle), 1023 spurious.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEV_BASE, ERRNO, EXIT, RUN_OFF, load, runRaw, runUntilExit, runView, start, tinyVm, type TinyVm } from "../run/tiny-vm.js";

const GICD = 0x08000000;
const GICC = 0x08010000;

function withGic(vcpus = 1): TinyVm {
  return tinyVm({
    vcpus,
    beforeInit: (t) => {
      assert.equal(t.host.ioctl(t.vm.fd, 0x0000ae60, 0), 0, "KVM_CREATE_IRQCHIP");
      for (const [id, addr] of [[0n, GICD], [1n, GICC]] as const) {
        const b = new Uint8Array(16);
        const v = new DataView(b.buffer);
        v.setBigUint64(0, id, true);
        v.setBigUint64(8, BigInt(addr), true);
        assert.equal(t.host.ioctl(t.vm.fd, 0x4010aeab, b), 0, "KVM_ARM_SET_DEVICE_ADDR");
      }
    },
  });
}

/** Runs to the next MMIO exit and returns the stored word (the guest only stores words to DEV_BASE). */
function nextReport(t: TinyVm, vcpu = 0): number {
  const c = t.vcpus[vcpu]!;
  assert.equal(runUntilExit(t, c), 0);
  const v = runView(c);
  assert.equal(v.getUint32(RUN_OFF.exit_reason, true), EXIT.MMIO);
  assert.equal(Number(v.getBigUint64(RUN_OFF.mmio_phys_addr, true)), DEV_BASE);
  assert.equal(v.getUint8(RUN_OFF.mmio_is_write), 1);
  return v.getUint32(RUN_OFF.mmio_data, true);
}

const PROLOGUE = [
  "ldr r9, =0x09000000", "ldr r10, =0x08000000", "ldr r11, =0x08010000",
  "mov r0, #1", "str r0, [r10]", "str r0, [r11]", // GICD_CTLR, GICC_CTLR EnableGrp0
  "mov r0, #0xf0", "str r0, [r11, #4]", // GICC_PMR
];

test("guest: a self-SGI is acknowledged through GICC_IAR with its source, raises RPR, and EOIR returns to idle", () => {
  const t = withGic();
  const entry = load(t, [
    ...PROLOGUE,
    "ldr r0, [r10, #4]", "str r0, [r9]", // GICD_TYPER
    "ldr r0, =0x02000003", "str r0, [r10, #0xf00]", // GICD_SGIR: self, SGI 3
    "ldr r1, [r11, #0xc]", "str r1, [r9]", // IAR
    "ldr r2, [r11, #0x14]", "str r2, [r9]", // RPR
    "str r1, [r11, #0x10]", // EOIR
    "ldr r2, [r11, #0x14]", "str r2, [r9]",
    "ldr r1, [r11, #0xc]", "str r1, [r9]",
    "b .", ".ltorg",
  ].join("\n"));
  start(t, entry);
  assert.equal(nextReport(t), 0x07, "GICD_TYPER: 256 interrupts, 1 CPU");
  assert.equal(nextReport(t), 3, "SGI 3 from CPU 0");
  assert.equal(nextReport(t), 0x00, "running priority = SGI 3's priority 0");
  assert.equal(nextReport(t), 0xff, "idle after EOI");
  assert.equal(nextReport(t), 1023, "spurious");
});

test("guest: an SPI injected with KVM_IRQ_LINE wakes a WFI and is taken through the IRQ vector; edge: once", () => {
  const t = withGic();
  // Vectors at RAM_BASE + 0x1000; the IRQ handler reports IAR and EOIs it.
  load(t, "b .\nb .\nb .\nb .\nb .\nb .\nb irq\nb .\n" +
    "irq: ldr r1, [r11, #0xc]\nstr r1, [r9]\nstr r1, [r11, #0x10]\nsubs pc, lr, #4", { offset: 0x1000 });
  const entry = load(t, [
    ...PROLOGUE,
    "ldr r0, =0x40001000", "mcr p15, 0, r0, c12, c0, 0", "isb", // VBAR
    "mov r0, #0xa0", "strb r0, [r10, #0x428]", // IPRIORITYR byte of INTID 40
    "mov r0, #1", "strb r0, [r10, #0x828]", // ITARGETSR: CPU 0
    "mov r0, #0x100", "str r0, [r10, #0x104]", // ISENABLER1 bit 8 = INTID 40
    "cpsie i",
    "1: wfi", "b 1b", ".ltorg",
  ].join("\n"));
  const c = start(t, entry);
  assert.equal(runRaw(t, c), -ERRNO.EINTR, "nothing pending: the slice ends with the vCPU asleep");
  assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
  const line = new Uint8Array(8);
  new DataView(line.buffer).setUint32(0, 0x01000028, true); // SPI 40
  new DataView(line.buffer).setUint32(4, 1, true);
  assert.equal(t.host.ioctl(t.vm.fd, 0x4008ae61, line), 0, "KVM_IRQ_LINE");
  assert.equal(nextReport(t), 40);
  assert.equal(runRaw(t, c), -ERRNO.EINTR, "EOI'd edge interrupt is not taken again");
  assert.equal(runView(c).getUint32(RUN_OFF.exit_reason, true), EXIT.INTR);
});

test("guest: two vCPUs exchange an SGI through GICD_SGIR's target list; IAR reports the sender", () => {
  const t = withGic(2);
  const sender = load(t, [
    ...PROLOGUE,
    "ldr r0, =0x00010005", "str r0, [r10, #0xf00]", // SGI 5 to CPU 0
    "b .", ".ltorg",
  ].join("\n"));
  const receiver = load(t, [
    ...PROLOGUE,
    "str r0, [r9]", // ready
    "1: ldr r1, [r11, #0xc]", "ldr r2, =1023", "cmp r1, r2", "beq 1b",
    "str r1, [r9]", "b .", ".ltorg",
  ].join("\n"), { offset: 0x800 });
  start(t, receiver, { vcpu: 0 });
  assert.equal(nextReport(t, 0), 0xf0, "receiver polling");
  start(t, sender, { vcpu: 1 });
  assert.equal(runRaw(t, t.vcpus[1]!), -ERRNO.EINTR, "sender sent and spins");
  assert.equal(nextReport(t, 0), 5 | (1 << 10), "SGI 5 from CPU 1");
});
