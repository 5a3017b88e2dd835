// Sizes and offsets of the arch-independent structs, from kvm-arm32-abi.md §3–4 (the same layouts on
// ppc64 per kvm-ppc-abi.md §1.4 sizes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertLayout } from "./layout.js";
import * as mem from "../../src/abi/structs/memory.js";
import * as vcpu from "../../src/abi/structs/vcpu.js";
import * as irq from "../../src/abi/structs/irq.js";
import * as dev from "../../src/abi/structs/device.js";

test("memory-slot structs (§3.1, §3.7, §3.12)", () => {
  assertLayout(mem.kvm_userspace_memory_region, 32, {
    slot: [0, 4], flags: [4, 4], guest_phys_addr: [8, 8], memory_size: [16, 8], userspace_addr: [24, 8],
  });
  assertLayout(mem.kvm_dirty_log, 16, { slot: [0, 4], padding1: [4, 4], dirty_bitmap: [8, 8] });
  assertLayout(mem.kvm_clear_dirty_log, 24, { slot: [0, 4], num_pages: [4, 4], first_page: [8, 8], dirty_bitmap: [16, 8] });
  assertLayout(mem.kvm_coalesced_mmio_zone, 16, { addr: [0, 8], size: [8, 4], pad: [12, 4] });
  assertLayout(mem.kvm_coalesced_mmio, 24, { phys_addr: [0, 8], len: [8, 4], pad: [12, 4], data: [16, 8] });
  assert.equal(mem.KVM_MEM_LOG_DIRTY_PAGES, 1);
  assert.equal(mem.KVM_MEM_READONLY, 2);
  assert.equal(mem.KVM_USER_MEM_SLOTS, 32);
  assert.equal(mem.KVM_COALESCED_MMIO_PAGE_OFFSET, 1);
  assert.equal(mem.KVM_COALESCED_MMIO_RING_FIRST, 0);
  assert.equal(mem.KVM_COALESCED_MMIO_RING_LAST, 4);
  assert.equal(mem.KVM_COALESCED_MMIO_RING_ENTRIES, 8);
  assert.equal(mem.KVM_COALESCED_MMIO_ENTRY_SIZE, 24);
  assert.equal(mem.KVM_COALESCED_MMIO_MAX, 170);
  // the ring must fit in one page
  assert.ok(mem.KVM_COALESCED_MMIO_RING_ENTRIES + mem.KVM_COALESCED_MMIO_MAX * 24 <= 4096);
  assert.ok(mem.KVM_COALESCED_MMIO_RING_ENTRIES + (mem.KVM_COALESCED_MMIO_MAX + 1) * 24 > 4096);
});

test("vCPU structs (§3.6, §3.9, §4.1–4.8)", () => {
  assertLayout(vcpu.kvm_one_reg, 16, { id: [0, 8], addr: [8, 8] });
  assertLayout(vcpu.kvm_reg_list, 8, { n: [0, 8] });
  assert.equal(vcpu.KVM_REG_LIST_REG, 8);
  assert.equal(vcpu.kvmRegListSize(136), 8 + 136 * 8);
  assertLayout(vcpu.kvm_vcpu_init, 32, { target: [0, 4], features: [4, 28] });
  assertLayout(vcpu.kvm_mp_state, 4, { mp_state: [0, 4] });
  assertLayout(vcpu.kvm_vcpu_events, 64, {
    serror_pending: [0, 1], serror_has_esr: [1, 1], ext_dabt_pending: [2, 1], pad: [3, 5], serror_esr: [8, 8],
    reserved: [16, 48],
  });
  assertLayout(vcpu.kvm_signal_mask, 4, { len: [0, 4] });
  assertLayout(vcpu.kvm_translation, 24, {
    linear_address: [0, 8], physical_address: [8, 8], valid: [16, 1], writeable: [17, 1], usermode: [18, 1], pad: [19, 5],
  });
  assertLayout(vcpu.kvm_interrupt, 4, { irq: [0, 4] });
  assertLayout(vcpu.kvm_enable_cap, 104, { cap: [0, 4], flags: [4, 4], args: [8, 32], pad: [40, 64] });
  assertLayout(vcpu.kvm_guest_debug_arm, 8, { control: [0, 4], pad: [4, 4] });
  assert.equal(vcpu.KVM_ARM_TARGET_CORTEX_A15, 0);
  assert.equal(vcpu.KVM_ARM_TARGET_CORTEX_A7, 1);
  assert.equal(vcpu.KVM_ARM_NUM_TARGETS, 2);
  assert.equal(vcpu.KVM_ARM_VCPU_POWER_OFF, 0);
  assert.equal(vcpu.KVM_ARM_VCPU_PSCI_0_2, 1);
  assert.equal(vcpu.KVM_VCPU_MAX_FEATURES, 2);
  // kvm-ppc-abi.md §4.4
  assert.equal(vcpu.KVM_INTERRUPT_SET, 0xffffffff);
  assert.equal(vcpu.KVM_INTERRUPT_UNSET, 0xfffffffe);
  assert.equal(vcpu.KVM_INTERRUPT_SET_LEVEL, 0xfffffffd);
});

test("IRQ structs (§3.4, §3.5, §3.10, §3.11)", () => {
  assertLayout(irq.kvm_irq_level, 8, { irq: [0, 4], level: [4, 4] });
  assertLayout(irq.kvm_irq_level_status, 8, { status: [0, 4], level: [4, 4] });
  assertLayout(irq.kvm_arm_device_addr, 16, { id: [0, 8], addr: [8, 8] });
  assertLayout(irq.kvm_irqfd, 32, { fd: [0, 4], gsi: [4, 4], flags: [8, 4], resamplefd: [12, 4], pad: [16, 16] });
  assertLayout(irq.kvm_ioeventfd, 64, { datamatch: [0, 8], addr: [8, 8], len: [16, 4], fd: [20, 4], flags: [24, 4], pad: [28, 36] });
  assertLayout(irq.kvm_msi, 32, { address_lo: [0, 4], address_hi: [4, 4], data: [8, 4], flags: [12, 4], devid: [16, 4], pad: [20, 12] });
  assertLayout(irq.kvm_irq_routing, 8, { nr: [0, 4], flags: [4, 4] });
  assertLayout(irq.kvm_irq_routing_entry, 48, { gsi: [0, 4], type: [4, 4], flags: [8, 4], pad: [12, 4], u: [16, 32] });
  assertLayout(irq.kvm_irq_routing_irqchip, 8, { irqchip: [0, 4], pin: [4, 4] });
  assert.equal(irq.KVM_IRQ_ROUTING_ENTRY_SIZE, 48);
  assert.equal(irq.KVM_IRQFD_FLAG_DEASSIGN, 1);
  assert.equal(irq.KVM_IRQFD_FLAG_RESAMPLE, 2);
  assert.deepEqual(
    [irq.KVM_IOEVENTFD_FLAG_DATAMATCH, irq.KVM_IOEVENTFD_FLAG_PIO, irq.KVM_IOEVENTFD_FLAG_DEASSIGN, irq.KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY],
    [1, 2, 4, 8],
  );
  assert.equal(irq.KVM_VGIC_V2_DIST_SIZE, 0x1000);
  assert.equal(irq.KVM_VGIC_V2_CPU_SIZE, 0x2000);
  assert.equal(irq.armDeviceAddrId(irq.KVM_ARM_DEVICE_VGIC_V2, irq.KVM_VGIC_V2_ADDR_TYPE_DIST), 0n);
  assert.equal(irq.armDeviceAddrId(irq.KVM_ARM_DEVICE_VGIC_V2, irq.KVM_VGIC_V2_ADDR_TYPE_CPU), 1n);
});

test("ARM irq field: the §3.5 examples encode and decode", () => {
  const { armIrqEncode, armIrqDecode, armIrq, armIrqVcpu } = irq;
  // SPI 33 high = irq 0x01000021
  assert.equal(armIrqEncode({ irq_type: irq.KVM_ARM_IRQ_TYPE_SPI, vcpu_index: 0, vcpu2_index: 0, irq_id: 33 }), 0x01000021);
  // PPI 27 on vCPU 1 = 0x0201001B
  assert.equal(armIrq(irq.KVM_ARM_IRQ_TYPE_PPI, 1, 27), 0x0201001b);
  // vCPU 0 raw IRQ / FIQ
  assert.equal(armIrq(irq.KVM_ARM_IRQ_TYPE_CPU, 0, irq.KVM_ARM_IRQ_CPU_IRQ), 0);
  assert.equal(armIrq(irq.KVM_ARM_IRQ_TYPE_CPU, 0, irq.KVM_ARM_IRQ_CPU_FIQ), 1);
  // vcpu2_index in bits 31..28: vCPU 0x305 → vcpu2 3, vcpu 5
  const v = armIrq(irq.KVM_ARM_IRQ_TYPE_PPI, 0x305, 30);
  assert.equal(v, 0x3205001e);
  assert.deepEqual(armIrqDecode(v), { vcpu2_index: 3, irq_type: 2, vcpu_index: 5, irq_id: 30 });
  assert.equal(armIrqVcpu(armIrqDecode(v)), 0x305);
  assert.deepEqual(armIrqDecode(0x0201001b), { vcpu2_index: 0, irq_type: 2, vcpu_index: 1, irq_id: 27 });
  assert.throws(() => armIrqEncode({ irq_type: 16, vcpu_index: 0, vcpu2_index: 0, irq_id: 0 }), RangeError);
  assert.throws(() => armIrqEncode({ irq_type: 1, vcpu_index: 256, vcpu2_index: 0, irq_id: 0 }), RangeError);
  assert.throws(() => armIrqEncode({ irq_type: 1, vcpu_index: 0, vcpu2_index: 0, irq_id: 0x10000 }), RangeError);
});

test("device structs and attribute constants (§3.8, §4.9, §10.4)", () => {
  assertLayout(dev.kvm_create_device, 12, { type: [0, 4], fd: [4, 4], flags: [8, 4] });
  assertLayout(dev.kvm_device_attr, 24, { flags: [0, 4], group: [4, 4], attr: [8, 8], addr: [16, 8] });
  assert.equal(dev.KVM_CREATE_DEVICE_TEST, 1);
  assert.deepEqual(
    [dev.KVM_DEV_TYPE_FSL_MPIC_20, dev.KVM_DEV_TYPE_FSL_MPIC_42, dev.KVM_DEV_TYPE_XICS, dev.KVM_DEV_TYPE_VFIO,
      dev.KVM_DEV_TYPE_ARM_VGIC_V2, dev.KVM_DEV_TYPE_FLIC, dev.KVM_DEV_TYPE_ARM_VGIC_V3, dev.KVM_DEV_TYPE_ARM_VGIC_ITS],
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.deepEqual(
    [dev.KVM_DEV_ARM_VGIC_GRP_ADDR, dev.KVM_DEV_ARM_VGIC_GRP_DIST_REGS, dev.KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
      dev.KVM_DEV_ARM_VGIC_GRP_NR_IRQS, dev.KVM_DEV_ARM_VGIC_GRP_CTRL],
    [0, 1, 2, 3, 4],
  );
  assert.equal(dev.KVM_DEV_ARM_VGIC_CTRL_INIT, 0);
  assert.equal(dev.KVM_DEV_ARM_VGIC_CPUID_SHIFT, 32);
  assert.equal(dev.KVM_DEV_ARM_VGIC_CPUID_MASK, 0xff00000000n);
  assert.equal(dev.KVM_DEV_ARM_VGIC_OFFSET_MASK, 0xffffffffn);
  assert.equal(dev.vgicRegAttr(3, 0x104), 0x0000000300000104n);
  assert.deepEqual(dev.vgicRegAttrDecode(0x0000000700000f00n), { cpuid: 7, offset: 0xf00 });
  assert.equal(dev.KVM_ARM_VCPU_PMU_V3_CTRL, 0);
  assert.equal(dev.KVM_ARM_VCPU_TIMER_CTRL, 1);
  assert.equal(dev.KVM_ARM_VCPU_TIMER_IRQ_VTIMER, 0);
  assert.equal(dev.KVM_ARM_VCPU_TIMER_IRQ_PTIMER, 1);
});

test("codec write puts little-endian bytes at the reference offsets; read round-trips", () => {
  const buf = new Uint8Array(32);
  const view = new DataView(buf.buffer);
  mem.kvm_userspace_memory_region.write(view, {
    slot: 0x00010002, flags: mem.KVM_MEM_READONLY, guest_phys_addr: 0x4000_0000n, memory_size: 0x10_0000n,
    userspace_addr: 0x7f00_1234_5000n,
  });
  assert.deepEqual([...buf.subarray(0, 4)], [0x02, 0x00, 0x01, 0x00]);
  assert.deepEqual([...buf.subarray(4, 8)], [0x02, 0, 0, 0]);
  assert.deepEqual([...buf.subarray(8, 16)], [0, 0, 0, 0x40, 0, 0, 0, 0]);
  assert.deepEqual([...buf.subarray(16, 24)], [0, 0, 0x10, 0, 0, 0, 0, 0]);
  assert.deepEqual([...buf.subarray(24, 32)], [0x00, 0x50, 0x34, 0x12, 0x00, 0x7f, 0, 0]);
  assert.deepEqual(mem.kvm_userspace_memory_region.read(view), {
    slot: 0x00010002, flags: 2, guest_phys_addr: 0x4000_0000n, memory_size: 0x10_0000n, userspace_addr: 0x7f00_1234_5000n,
  });
  const ev = new DataView(new ArrayBuffer(64));
  vcpu.kvm_vcpu_events.write(ev, { serror_pending: 1, serror_esr: 0x1234n, reserved: Array(12).fill(0) });
  const back = vcpu.kvm_vcpu_events.read(ev);
  assert.equal(back.serror_pending, 1);
  assert.equal(back.serror_esr, 0x1234n);
  assert.equal(back.reserved.length, 12);
  assert.deepEqual([...back.pad], [0, 0, 0, 0, 0]);
});
