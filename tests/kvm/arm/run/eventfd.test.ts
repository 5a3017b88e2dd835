// The eventfd family seen from a guest (KVM_RUN): an irqfd write injects an SPI and kicks a vCPU
// waiting in WFI; a resampling irqfd keeps a level SPI high until the guest EOIs, then signals the
// resamplefd; an ioeventfd absorbs matching writes (no KVM_EXIT_MMIO) and signals its eventfd; writes
// in a coalesced zone are queued in the ring (vCPU mmap page 1) and reads there still exit. Ring
// layout from reference §3.12: first @0, last @4, entries of 24 bytes from @8 (phys_addr u64, len
// u32, pio u32, data[8]); room test as coalesced_mmio_has_room computes it: (first − last − 1) as a
// u32, modulo 170, must be non-zero.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEV_BASE, ERRNO, EXIT, RUN_OFF, load, runRaw, runUntilExit, runView, start, tinyVm, type TinyVm } from "./tiny-vm.js";
import { EventFd } from "../../../../src/facade/index.js";
import type { EmulatedKvmHost } from "../../../../src/kvm/host.js";
import type { VmFile } from "../../../../src/kvm/vm.js";
import type { ArmVcpu } from "../../../../src/kvm/arm/vcpu.js";

const GICD = 0x08000000, GICC = 0x08010000;
const PAGE = 4096;

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

/** Runs to the next MMIO exit; returns its address offset from DEV_BASE, length, direction and data word. */
function nextExit(t: TinyVm, vcpu = 0): { off: number; len: number; write: boolean; data: number } {
  const c = t.vcpus[vcpu]!;
  assert.equal(runUntilExit(t, c), 0);
  const v = runView(c);
  assert.equal(v.getUint32(RUN_OFF.exit_reason, true), EXIT.MMIO);
  return {
    off: Number(v.getBigUint64(RUN_OFF.mmio_phys_addr, true)) - DEV_BASE,
    len: v.getUint32(RUN_OFF.mmio_len, true),
    write: v.getUint8(RUN_OFF.mmio_is_write) === 1,
    data: v.getUint32(RUN_OFF.mmio_data, true),
  };
}

const PROLOGUE = [
  "ldr r9, =0x09000000", "ldr r10, =0x08000000", "ldr r11, =0x08010000",
  "mov r0, #1", "str r0, [r10]", "str r0, [r11]", // GICD_CTLR, GICC_CTLR EnableGrp0
  "mov r0, #0xf0", "str r0, [r11, #4]", // GICC_PMR
  "ldr r0, =0x40001000", "mcr p15, 0, r0, c12, c0, 0", "isb", // VBAR
];
const VECTORS = "b .\nb .\nb .\nb .\nb .\nb .\nb irq\nb .\n";

const wakeWordOf = (t: TinyVm): Int32Array =>
  ((((t.host as EmulatedKvmHost).kernel.fds.get(t.vm.fd) as VmFile).vm.vcpus[0]!.arch) as ArmVcpu).wakeWord;

test("guest: an irqfd write injects SPI 40 (GSI 8), kicks the vCPU waiting in WFI, and the guest takes it", () => {
  const t = withGic();
  load(t, VECTORS + "irq: ldr r1, [r11, #0xc]\nstr r1, [r9]\nstr r1, [r11, #0x10]\nsubs pc, lr, #4", { offset: 0x1000 });
  const entry = load(t, [
    ...PROLOGUE,
    "mov r0, #0xa0", "strb r0, [r10, #0x428]", // IPRIORITYR of INTID 40
    "mov r0, #1", "strb r0, [r10, #0x828]", // ITARGETSR: CPU 0
    "mov r0, #0x100", "str r0, [r10, #0x104]", // ISENABLER1 bit 8
    "cpsie i", "1: wfi", "b 1b", ".ltorg",
  ].join("\n"));
  start(t, entry);
  const c = t.vcpus[0]!;
  // The first KVM_RUN initializes the vGIC; the guest ends up waiting in WFI (the slice ends: EINTR).
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  assert.equal(runRaw(t, c), -ERRNO.EINTR, "nothing pending: it waits");
  const efd = t.kvm.createEventFd();
  t.vm.irqfd(efd, 8);
  Atomics.store(wakeWordOf(t), 0, 0);
  efd.write(1n);
  assert.notEqual(Atomics.load(wakeWordOf(t), 0), 0, "the vGIC raised IRQ and kicked the vCPU");
  assert.deepEqual(nextExit(t), { off: 0, len: 4, write: true, data: 40 }, "IAR = 40 in the IRQ handler");
  assert.equal(efd.read(), 1n, "irqfd does not consume the counter");
});

test("guest: a resampling irqfd keeps level SPI 41 pending until EOI, then lowers it and signals the resamplefd", () => {
  const t = withGic();
  load(t, VECTORS + [
    "irq: ldr r1, [r11, #0xc]", "str r1, [r9]", // report IAR
    "str r1, [r11, #0x10]", // EOIR: deactivates (EOImode 0)
    "ldr r2, [r10, #0x204]", "str r2, [r9, #4]", // report GICD_ISPENDR1 after EOI
    "subs pc, lr, #4",
  ].join("\n"), { offset: 0x1000 });
  const entry = load(t, [
    ...PROLOGUE,
    "mov r0, #0", "str r0, [r10, #0xc08]", // GICD_ICFGR2: INTIDs 32..47 level-sensitive
    "mov r0, #0xa0", "strb r0, [r10, #0x429]", "mov r0, #1", "strb r0, [r10, #0x829]",
    "mov r0, #0x200", "str r0, [r10, #0x104]", // ISENABLER1 bit 9 = INTID 41
    "cpsie i", "1: wfi", "b 1b", ".ltorg",
  ].join("\n"));
  start(t, entry);
  assert.equal(runRaw(t, t.vcpus[0]!), -ERRNO.EINTR, "vGIC initialized, guest waiting");
  const efd = t.kvm.createEventFd(), rfd = t.kvm.createEventFd(0, 0o4000);
  t.vm.irqfd(efd, 9, rfd);
  efd.write(1n);
  assert.deepEqual(nextExit(t), { off: 0, len: 4, write: true, data: 41 });
  assert.equal(rfd.tryRead(), null, "not acked yet");
  assert.deepEqual(nextExit(t), { off: 4, len: 4, write: true, data: 0 }, "after EOI the line is low: not pending again");
  assert.equal(rfd.read(), 1n, "resamplefd signalled once");
  assert.equal(runRaw(t, t.vcpus[0]!), -ERRNO.EINTR, "no second interrupt");
  efd.write(1n);
  assert.deepEqual(nextExit(t), { off: 0, len: 4, write: true, data: 41 }, "the device signals again: taken again");
});

test("guest: ioeventfd writes are absorbed (DATAMATCH, exact length; length 0 = any); others exit", () => {
  const t = tinyVm();
  const a = t.kvm.createEventFd(), any = t.kvm.createEventFd();
  t.vm.ioeventfd({ addr: DEV_BASE + 0x100, len: 4, fd: a, datamatch: 7 });
  t.vm.ioeventfd({ addr: DEV_BASE + 0x104, len: 0, fd: any });
  const entry = load(t, [
    "ldr r9, =0x09000000", "add r8, r9, #0x100", "mov r0, #7", "mov r1, #8",
    "str r0, [r8]", // matches: absorbed
    "str r1, [r8]", // datamatch differs: exits
    "strb r0, [r8]", // length differs: exits
    "str r0, [r8, #4]", "strh r1, [r8, #4]", // any length: absorbed twice
    "ldr r2, [r8]", // reads always exit
    "str r0, [r9]", "b .", ".ltorg",
  ].join("\n"));
  start(t, entry);
  assert.deepEqual(nextExit(t), { off: 0x100, len: 4, write: true, data: 8 });
  assert.equal(a.read(), 1n, "the matching write signalled once");
  assert.deepEqual(nextExit(t), { off: 0x100, len: 1, write: true, data: 7 }, "data byte 0 = 7, bytes 1..3 as the last exit left them");
  const r = nextExit(t);
  assert.deepEqual([r.off, r.len, r.write], [0x100, 4, false]);
  assert.equal(any.read(), 2n);
  assert.deepEqual(nextExit(t), { off: 0, len: 4, write: true, data: 7 });
  assert.equal(a.tryRead(), null);
  t.vm.ioeventfdDeassign({ addr: DEV_BASE + 0x100, len: 4, fd: a, datamatch: 7 });
});

/** Ring header and entries as raw bytes of a vCPU mapping's page 1 (reference §3.12). */
function ring(bytes: Uint8Array): { first: number; last: number; entry: (i: number) => { pa: number; len: number; pio: number; data: number[] } } {
  const v = new DataView(bytes.buffer, bytes.byteOffset + PAGE, PAGE);
  return {
    first: v.getUint32(0, true),
    last: v.getUint32(4, true),
    entry: (i) => {
      const e = 8 + 24 * i;
      return { pa: Number(v.getBigUint64(e, true)), len: v.getUint32(e + 8, true), pio: v.getUint32(e + 12, true),
        data: [...new Uint8Array(v.buffer, v.byteOffset + e + 16, v.getUint32(e + 8, true))] };
    },
  };
}

test("guest: writes in a coalesced zone are queued in order (first/last), straddling writes and reads exit; vCPU 1 sees a copy", () => {
  const t = tinyVm({ vcpus: 2 });
  t.vm.registerCoalescedMmio(DEV_BASE + 0x200, 0xfe);
  const entry = load(t, [
    "ldr r9, =0x09000000", "add r8, r9, #0x200",
    "ldr r0, =0x11", "strb r0, [r8]",
    "ldr r0, =0x2233", "strh r0, [r8, #4]",
    "ldr r0, =0x44556677", "str r0, [r8, #8]",
    "str r0, [r8, #0xfc]", // 0x2fc + 4 > 0x2fe: not inside the zone, exits
    "ldr r1, [r8]", // a read in the zone exits
    "b .", ".ltorg",
  ].join("\n"));
  start(t, entry);
  assert.deepEqual(nextExit(t), { off: 0x2fc, len: 4, write: true, data: 0x44556677 });
  const r0 = ring(t.vcpus[0]!.getRun().bytes);
  assert.deepEqual([r0.first, r0.last], [0, 3]);
  assert.deepEqual(r0.entry(0), { pa: DEV_BASE + 0x200, len: 1, pio: 0, data: [0x11] });
  assert.deepEqual(r0.entry(1), { pa: DEV_BASE + 0x204, len: 2, pio: 0, data: [0x33, 0x22] });
  assert.deepEqual(r0.entry(2), { pa: DEV_BASE + 0x208, len: 4, pio: 0, data: [0x77, 0x66, 0x55, 0x44] });
  const r1 = ring(t.vcpus[1]!.getRun().bytes);
  assert.deepEqual([r1.first, r1.last, r1.entry(2).data], [0, 3, [0x77, 0x66, 0x55, 0x44]], "vCPU 1's page 1 mirrors the ring");
  const rd = nextExit(t);
  assert.deepEqual([rd.off, rd.len, rd.write], [0x200, 4, false]);
  assert.equal(ring(t.vcpus[0]!.getRun().bytes).last, 3, "the read was not queued");
  const drained = t.vcpus[0]!.getRun().drainCoalescedMmio();
  assert.deepEqual(drained.map((d) => [Number(d.phys_addr) - DEV_BASE, d.len]), [[0x200, 1], [0x204, 2], [0x208, 4]]);
  assert.equal(ring(t.vcpus[0]!.getRun().bytes).first, 3, "the VMM advanced first in the VM ring");
});

test("guest: a full ring makes the write exit; room follows the kernel's u32 arithmetic (85 entries from 0, then 169)", () => {
  const t = tinyVm();
  t.vm.registerCoalescedMmio(DEV_BASE + 0x300, 4);
  const entry = load(t, ["ldr r9, =0x09000000", "mov r0, #0", "1: str r0, [r9, #0x300]", "add r0, r0, #1", "b 1b", ".ltorg"].join("\n"));
  start(t, entry);
  // first = 0: (0 − last − 1) mod 2^32 mod 170 is 0 first at last = 85 (2^32 mod 170 = 86): 85 entries.
  assert.deepEqual(nextExit(t), { off: 0x300, len: 4, write: true, data: 85 });
  const run = t.vcpus[0]!.getRun();
  assert.deepEqual([ring(run.bytes).first, ring(run.bytes).last], [0, 85]);
  assert.deepEqual(run.drainCoalescedMmio().map((d) => new DataView(d.data.buffer).getUint32(0, true)), Array.from({ length: 85 }, (_, i) => i));
  // first = last = 85: room until last = 84 (first − last − 1 = 0): 169 entries, values 86..254.
  assert.deepEqual(nextExit(t), { off: 0x300, len: 4, write: true, data: 86 + 169 });
  assert.deepEqual([ring(run.bytes).first, ring(run.bytes).last], [85, 84]);
  const again = run.drainCoalescedMmio();
  assert.equal(again.length, 169);
  assert.equal(new DataView(again[168]!.data.buffer).getUint32(0, true), 254);
});
