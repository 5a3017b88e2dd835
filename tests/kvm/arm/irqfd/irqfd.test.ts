// KVM_IRQFD and KVM_SET_GSI_ROUTING on an ARM VM with a vGIC v2, through the raw interface (request
// numbers and layouts from reference kvm-arm32-abi.md §1.2, §3.10) and the facade. Rules from
// virt/kvm/eventfd.c (kvm_irqfd, kvm_irqfd_assign/deassign), virt/kvm/irqchip.c
// (kvm_set_irq_routing, setup_routing_entry) and vgic-irqfd.c (irqchip 0, pin < 988, SPI = pin + 32,
// default routing GSI g → pin g at vGIC init). Pending state is read back as GICD_ISPENDR1 through
// the vGIC device's DIST_REGS attributes (§10.4).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost, type EmulatedKvmHost } from "../../../../src/kvm/host.js";
import { Kvm, type DeviceFd, type VmFd } from "../../../../src/facade/index.js";
import type { VmFile } from "../../../../src/kvm/vm.js";

const KVM_IRQFD = 0x4020ae76, KVM_SET_GSI_ROUTING = 0x4008ae6a;
const DEASSIGN = 1, RESAMPLE = 2;
const E = { EBADF: 9, EAGAIN: 11, EFAULT: 14, EBUSY: 16, EINVAL: 22 } as const;
const GRP_DIST_REGS = 1, GRP_CTRL = 4, VGIC_V2 = 5;
const GICD_ISPENDR1 = 0x204, GICD_ICPENDR1 = 0x284;

interface Setup { host: EmulatedKvmHost; vm: VmFd; gic: DeviceFd }

function setup(init = true): Setup {
  const host = createHost({ cpus: 1 });
  const vm = Kvm.open(host).createVm();
  vm.createVcpu(0);
  const gic = vm.createDevice(VGIC_V2);
  if (init) gic.setDeviceAttr({ group: GRP_CTRL, attr: 0 });
  return { host, vm, gic };
}

/** struct kvm_irqfd (32 bytes): fd @0, gsi @4, flags @8, resamplefd @12. */
function irqfd(fd: number, gsi: number, flags = 0, resamplefd = 0): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setUint32(0, fd >>> 0, true);
  v.setUint32(4, gsi, true);
  v.setUint32(8, flags, true);
  v.setUint32(12, resamplefd >>> 0, true);
  return b;
}

/** KVM_SET_GSI_ROUTING: header {nr, flags} then 48-byte entries (gsi, type, flags, pad, u). */
function routing(entries: { gsi: number; type?: number; flags?: number; u: number[] }[], nr = entries.length, flags = 0): Uint8Array {
  const b = new Uint8Array(8 + 48 * entries.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, nr, true);
  v.setUint32(4, flags, true);
  entries.forEach((e, i) => {
    const o = 8 + 48 * i;
    v.setUint32(o, e.gsi, true);
    v.setUint32(o + 4, e.type ?? 1, true);
    v.setUint32(o + 8, e.flags ?? 0, true);
    e.u.forEach((w, k) => v.setUint32(o + 16 + 4 * k, w, true));
  });
  return b;
}

const pending1 = (s: Setup): number => Number(s.gic.getDeviceAttr({ group: GRP_DIST_REGS, attr: GICD_ISPENDR1 }));
const clearPending1 = (s: Setup): void => s.gic.setDeviceAttr({ group: GRP_DIST_REGS, attr: GICD_ICPENDR1, value: 0xffffffff });
const u64 = (v: bigint): Uint8Array => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); return b; };
const signal = (s: Setup, fd: number): void => assert.equal(s.host.write(fd, u64(1n)), 8);
const irqfdCount = (s: Setup): number => (s.host.kernel.fds.get(s.vm.fd) as VmFile).vm.irqfds!.count;

test("KVM_IRQFD: unknown flags EINVAL first, EAGAIN before the vGIC is initialized, EFAULT for a short struct", () => {
  const s = setup(false);
  const efd = s.host.eventfd(0, 0);
  assert.equal(s.host.ioctl(s.vm.fd, KVM_IRQFD, irqfd(efd, 0, 4)), -E.EINVAL);
  assert.equal(s.host.ioctl(s.vm.fd, KVM_IRQFD, irqfd(efd, 0)), -E.EAGAIN);
  assert.equal(s.host.ioctl(s.vm.fd, KVM_IRQFD, irqfd(efd, 0, DEASSIGN)), 0, "deassign needs no vGIC");
  assert.equal(s.host.ioctl(s.vm.fd, KVM_IRQFD, new Uint8Array(16)), -E.EFAULT);
  const bare = Kvm.open(s.host).createVm();
  assert.equal(s.host.ioctl(bare.fd, KVM_IRQFD, irqfd(efd, 0)), -E.EAGAIN, "no irqchip at all");
  s.gic.setDeviceAttr({ group: GRP_CTRL, attr: 0 });
  assert.equal(s.host.ioctl(s.vm.fd, KVM_IRQFD, irqfd(efd, 0)), 0);
});

test("KVM_IRQFD assign/deassign: EBADF, EINVAL (not an eventfd), EBUSY for an eventfd in use; resamplefd checked too", () => {
  const s = setup();
  const a = s.host.eventfd(0, 0), b = s.host.eventfd(0, 0);
  const call = (fd: number, gsi: number, flags = 0, rfd = 0) => s.host.ioctl(s.vm.fd, KVM_IRQFD, irqfd(fd, gsi, flags, rfd));
  assert.equal(call(999, 0), -E.EBADF);
  assert.equal(call(-1, 0), -E.EBADF);
  assert.equal(call(s.vm.fd, 0), -E.EINVAL);
  assert.equal(call(a, 0, RESAMPLE, 999), -E.EBADF);
  assert.equal(call(a, 0, RESAMPLE, s.vm.fd), -E.EINVAL);
  assert.equal(call(a, 3), 0);
  assert.equal(call(a, 4), -E.EBUSY, "one eventfd, one irqfd — whatever the gsi");
  assert.equal(call(a, 3, RESAMPLE, b), -E.EBUSY);
  assert.equal(call(b, 3), 0, "two eventfds may drive one gsi");
  assert.equal(call(999, 3, DEASSIGN), -E.EBADF);
  assert.equal(call(s.vm.fd, 3, DEASSIGN), -E.EINVAL);
  assert.equal(call(a, 9, DEASSIGN), 0, "no match is not an error");
  assert.equal(irqfdCount(s), 2);
  assert.equal(call(a, 3, DEASSIGN), 0);
  assert.equal(irqfdCount(s), 1);
  assert.equal(call(a, 4), 0, "free again");
});

test("irqfd: a write makes SPI gsi + 32 pending (default routing); a pending count injects at assign; deassign stops it", () => {
  const s = setup();
  const efd = s.host.eventfd(0, 0);
  s.vm.irqfd(efd, 5);
  assert.equal(pending1(s), 0);
  signal(s, efd);
  assert.equal(pending1(s), 1 << 5, "INTID 37 pending");
  const early = s.host.eventfd(1, 0); // counter already 1
  s.vm.irqfd(early, 7);
  assert.equal(pending1(s), (1 << 5) | (1 << 7), "an event before KVM_IRQFD is not missed");
  clearPending1(s);
  s.vm.irqfdDeassign(efd, 5);
  signal(s, efd);
  assert.equal(pending1(s), 0, "deassigned");
});

test("irqfd: closing the eventfd or the VM fd deactivates irqfds (EPOLLHUP, kvm_irqfd_release)", () => {
  const s = setup();
  const a = s.host.eventfd(0, 0), b = s.host.eventfd(0, 0);
  s.vm.irqfd(a, 1);
  s.vm.irqfd(b, 2);
  assert.equal(irqfdCount(s), 2);
  s.host.close(a);
  assert.equal(irqfdCount(s), 1);
  const vmFile = s.host.kernel.fds.get(s.vm.fd) as VmFile;
  s.vm.close();
  assert.equal(vmFile.vm.irqfds!.count, 0);
});

test("KVM_SET_GSI_ROUTING rows: nr > 4096, flags, short entries, gsi >= 4096, entry flags, pins, irqchips, types, doubles", () => {
  const s = setup();
  const set = (b: Uint8Array) => s.host.ioctl(s.vm.fd, KVM_SET_GSI_ROUTING, b);
  const chip = (gsi: number, pin: number, irqchip = 0, flags = 0) => ({ gsi, flags, u: [irqchip, pin] });
  assert.equal(set(routing([], 4097)), -E.EINVAL);
  assert.equal(set(routing([], 0, 1)), -E.EINVAL);
  assert.equal(set(routing([chip(0, 0)], 2)), -E.EFAULT, "nr says 2, one entry there");
  assert.equal(set(new Uint8Array(4)), -E.EFAULT);
  assert.equal(set(routing([chip(4096, 0)])), -E.EINVAL);
  assert.equal(set(routing([chip(0, 0, 0, 1)])), -E.EINVAL, "irqchip entries take no flags");
  assert.equal(set(routing([chip(0, 988)])), -E.EINVAL, "KVM_IRQCHIP_NUM_PINS = 988");
  assert.equal(set(routing([chip(0, 0, 1)])), -E.EINVAL, "one irqchip on ARM");
  assert.equal(set(routing([{ gsi: 0, type: 3, u: [] }])), -E.EINVAL, "s390 adapter");
  assert.equal(set(routing([chip(0, 1), chip(0, 2)])), -E.EINVAL, "a gsi twice on irqchip 0");
  assert.equal(set(routing([{ gsi: 0, type: 2, flags: 2, u: [0, 0, 0, 0] }])), -E.EINVAL, "MSI flags beyond VALID_DEVID");
  assert.equal(set(routing([chip(0, 1), { gsi: 0, type: 2, u: [0x1000, 0, 5, 0] }])), -E.EINVAL, "irqchip + MSI on one gsi");
  assert.equal(set(routing([chip(4095, 987), { gsi: 1, type: 2, flags: 1, u: [0x1000, 0, 5, 7] }, chip(2, 5), chip(3, 5)])), 0);
  assert.equal(set(routing([])), 0, "an empty table");
});

test("KVM_SET_GSI_ROUTING replaces the table (a refused table keeps the old one); vGIC init installs the default", () => {
  const s = setup(false);
  const efd = s.host.eventfd(0, 0);
  s.vm.setGsiRouting([{ gsi: 0, pin: 10 }]);
  s.gic.setDeviceAttr({ group: GRP_CTRL, attr: 0 }); // vgic_init: default routing replaces it
  s.vm.irqfd(efd, 0);
  signal(s, efd);
  assert.equal(pending1(s), 1 << 0, "default: GSI 0 → SPI 32");
  clearPending1(s);
  s.vm.setGsiRouting([{ gsi: 0, pin: 10 }, { gsi: 1, pin: 11 }]);
  signal(s, efd);
  assert.equal(pending1(s), 1 << 10, "GSI 0 → pin 10 → SPI 42");
  clearPending1(s);
  assert.equal(s.host.ioctl(s.vm.fd, KVM_SET_GSI_ROUTING, routing([{ gsi: 0, u: [0, 3] }, { gsi: 0, u: [0, 4] }])), -E.EINVAL);
  signal(s, efd);
  assert.equal(pending1(s), 1 << 10, "the old table still routes");
  clearPending1(s);
  s.vm.setGsiRouting([{ gsi: 1, pin: 11 }]);
  signal(s, efd);
  assert.equal(pending1(s), 0, "GSI 0 unrouted: nothing injected, no error");
  clearPending1(s);
  s.vm.setGsiRouting([{ gsi: 0, pin: 300 }]); // SPI 332 >= 256 interrupts: vgic_valid_spi fails, nothing
  signal(s, efd);
  assert.equal(pending1(s), 0);
});
