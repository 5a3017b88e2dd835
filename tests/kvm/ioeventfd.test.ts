// KVM_IOEVENTFD and KVM_(UN)REGISTER_COALESCED_MMIO errno rows through the raw interface. Request
// numbers and struct layouts from reference kvm-arm32-abi.md §1.2, §3.11, §3.12; rules from
// virt/kvm/eventfd.c (kvm_assign_ioeventfd, ioeventfd_check_collision, kvm_deassign_ioeventfd_idx),
// virt/kvm/coalesced_mmio.c and kvm_io_bus_register_dev (NR_IOBUS_DEVS = 1000, ioeventfds excluded).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost } from "../../src/kvm/host.js";

const KVM_IOEVENTFD = 0x4040ae79, KVM_REGISTER_COALESCED_MMIO = 0x4010ae67, KVM_UNREGISTER_COALESCED_MMIO = 0x4010ae68;
const DATAMATCH = 1, PIO = 2, DEASSIGN = 4, CCW = 8, FAST_MMIO_BIT = 16;
const E = { ENOENT: 2, EBADF: 9, EFAULT: 14, EEXIST: 17, EINVAL: 22, ENOSPC: 28 } as const;

function vm() {
  const host = createHost();
  const sys = host.open("/dev/kvm");
  const vmfd = host.ioctl(sys, 0xae01, 0);
  assert.ok(vmfd > 0);
  return { host, sys, vmfd, efd: host.eventfd(0, 0) };
}

/** struct kvm_ioeventfd (64 bytes): datamatch @0, addr @8, len @16, fd @20, flags @24. */
function ioe(addr: bigint, len: number, fd: number, flags: number, datamatch = 0n): Uint8Array {
  const b = new Uint8Array(64);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, datamatch, true);
  v.setBigUint64(8, addr, true);
  v.setUint32(16, len, true);
  v.setInt32(20, fd, true);
  v.setUint32(24, flags, true);
  return b;
}

/** struct kvm_coalesced_mmio_zone (16 bytes): addr @0, size @8, pio @12. */
function zone(addr: bigint, size: number, pio = 0): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, addr, true);
  v.setUint32(8, size, true);
  v.setUint32(12, pio, true);
  return b;
}

test("KVM_IOEVENTFD assign: len, overflow, flags and len-0 DATAMATCH are EINVAL before the fd is looked at", () => {
  const { host, vmfd } = vm();
  const bad = 999;
  for (const len of [3, 5, 6, 7, 16]) assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x1000n, len, bad, 0)), -E.EINVAL, `len ${len}`);
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0xffff_ffff_ffff_fffen, 4, bad, 0)), -E.EINVAL, "addr + len wraps");
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x1000n, 4, bad, 0x20)), -E.EINVAL, "flag bit 5");
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x1000n, 0, bad, DATAMATCH)), -E.EINVAL);
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x1000n, 4, bad, 0)), -E.EBADF);
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x1000n, 4, vmfd, 0)), -E.EINVAL, "not an eventfd");
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, new Uint8Array(32)), -E.EFAULT);
  const efd = host.eventfd(0, 0);
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0xffff_ffff_ffff_fffcn, 4, efd, 0)), -E.EINVAL, "addr + len = 2^64 wraps to 0");
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0xffff_ffff_ffff_fffbn, 4, efd, 0)), 0, "addr + len = 2^64 - 1: no wrap");
});

test("KVM_IOEVENTFD: collisions on one bus and address are EEXIST; other buses, addresses or datamatch values are not", () => {
  const { host, vmfd, efd } = vm();
  const other = host.eventfd(0, 0);
  const io = (addr: bigint, len: number, fd: number, flags: number, dm = 0n) => host.ioctl(vmfd, KVM_IOEVENTFD, ioe(addr, len, fd, flags, dm));
  assert.equal(io(0x1000n, 4, efd, DATAMATCH, 1n), 0);
  assert.equal(io(0x1000n, 4, other, DATAMATCH, 2n), 0, "different datamatch");
  assert.equal(io(0x1000n, 4, other, DATAMATCH, 1n), -E.EEXIST, "same datamatch, even with another eventfd");
  assert.equal(io(0x1000n, 4, other, 0), -E.EEXIST, "a wildcard of the same length");
  assert.equal(io(0x1000n, 0, other, 0), -E.EEXIST, "length 0 collides with any length");
  assert.equal(io(0x1000n, 2, other, 0), 0, "another length");
  assert.equal(io(0x1000n, 4, efd, DATAMATCH | PIO, 1n), 0, "the PIO bus is separate");
  assert.equal(io(0x1000n, 4, efd, DATAMATCH | CCW, 1n), 0, "the virtio-ccw bus is separate");
  assert.equal(io(0x1004n, 4, efd, DATAMATCH, 1n), 0, "another address");
  assert.equal(io(0x2000n, 8, efd, FAST_MMIO_BIT), 0, "bit 4 (fast_mmio) is inside the valid mask");
});

test("KVM_IOEVENTFD deassign: fd first, then ENOENT unless bus, eventfd, addr, len, wildcard and datamatch match", () => {
  const { host, vmfd, efd } = vm();
  const other = host.eventfd(0, 0);
  const io = (addr: bigint, len: number, fd: number, flags: number, dm = 0n) => host.ioctl(vmfd, KVM_IOEVENTFD, ioe(addr, len, fd, flags, dm));
  assert.equal(io(0x1000n, 4, efd, DATAMATCH, 7n), 0);
  assert.equal(io(0x1000n, 4, 999, DEASSIGN | DATAMATCH, 7n), -E.EBADF);
  assert.equal(io(0x1000n, 4, vmfd, DEASSIGN | DATAMATCH, 7n), -E.EINVAL);
  assert.equal(io(0x1000n, 4, other, DEASSIGN | DATAMATCH, 7n), -E.ENOENT, "another eventfd");
  assert.equal(io(0x1000n, 4, efd, DEASSIGN, 7n), -E.ENOENT, "wildcard vs datamatch");
  assert.equal(io(0x1000n, 4, efd, DEASSIGN | DATAMATCH, 8n), -E.ENOENT, "datamatch differs");
  assert.equal(io(0x1000n, 2, efd, DEASSIGN | DATAMATCH, 7n), -E.ENOENT, "len differs");
  assert.equal(io(0x1000n, 4, efd, DEASSIGN | DATAMATCH | PIO, 7n), -E.ENOENT, "bus differs");
  assert.equal(io(0x1000n, 3, efd, DEASSIGN | DATAMATCH, 7n), -E.ENOENT, "deassign does not validate len");
  assert.equal(io(0x1000n, 4, efd, DEASSIGN | DATAMATCH, 7n), 0);
  assert.equal(io(0x1000n, 4, efd, DEASSIGN | DATAMATCH, 7n), -E.ENOENT, "gone");
  assert.equal(io(0x1000n, 4, other, DATAMATCH, 7n), 0, "the slot is free again");
  assert.equal(host.close(efd), 0);
  assert.equal(io(0x3000n, 0, efd, 0), -E.EBADF, "closed eventfd");
});

test("coalesced zones: pio must be 0 or 1 (EINVAL); unregister removes zones containing the range, 0 even if none", () => {
  const { host, vmfd } = vm();
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x1000n, 0x100, 2)), -E.EINVAL);
  assert.equal(host.ioctl(vmfd, KVM_UNREGISTER_COALESCED_MMIO, zone(0x1000n, 0x100, 2)), -E.EINVAL);
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, new Uint8Array(8)), -E.EFAULT);
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x1000n, 0x100)), 0);
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x1000n, 0x100)), 0, "duplicates are accepted");
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x1000n, 0x100, 1)), 0, "PIO zone (COALESCED_PIO)");
  assert.equal(host.ioctl(vmfd, KVM_UNREGISTER_COALESCED_MMIO, zone(0x5000n, 0x10)), 0, "no zone: still 0");
});

test("the MMIO bus holds NR_IOBUS_DEVS = 1000 zones: then zones and ioeventfds are ENOSPC; the PIO bus is separate", () => {
  const { host, vmfd, efd } = vm();
  for (let i = 0; i < 1000; i++) assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(BigInt(0x10000 + i * 16), 16)), 0);
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x100000n, 16)), -E.ENOSPC);
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x200000n, 4, efd, 0)), -E.ENOSPC);
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x100000n, 16, 1)), 0, "PIO bus");
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x200000n, 4, efd, PIO)), 0, "PIO bus");
  // unregister one zone: room for one device again
  assert.equal(host.ioctl(vmfd, KVM_UNREGISTER_COALESCED_MMIO, zone(0x10000n, 16)), 0);
  assert.equal(host.ioctl(vmfd, KVM_IOEVENTFD, ioe(0x200000n, 4, efd, 0)), 0);
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x100000n, 16)), 0, "ioeventfds do not count");
  assert.equal(host.ioctl(vmfd, KVM_REGISTER_COALESCED_MMIO, zone(0x100010n, 16)), -E.ENOSPC);
});
