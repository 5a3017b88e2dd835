// The facade's eventfd family against a scripted host: EventFd's read/write bytes and errors, and the
// argument bytes of KVM_IRQFD, KVM_SET_GSI_ROUTING, KVM_IOEVENTFD and KVM_REGISTER_COALESCED_MMIO
// (layouts and request numbers from reference kvm-arm32-abi.md §1.2, §3.10–§3.12).
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeHost, dv } from "./fake-host.js";
import { EventFd, Kvm, KvmError } from "../../src/facade/index.js";

const IRQFD = 0x4020ae76, SET_GSI_ROUTING = 0x4008ae6a, IOEVENTFD = 0x4040ae79, REGISTER_COALESCED_MMIO = 0x4010ae67;

function armVm(h: FakeHost) {
  h.handlers.set(0xae04, () => 8192);
  h.handlers.set(0xae01, () => h.newFd());
  for (const r of [IRQFD, SET_GSI_ROUTING, IOEVENTFD, REGISTER_COALESCED_MMIO]) h.handlers.set(r, () => 0);
  const kvm = Kvm.open(h);
  return { kvm, vm: kvm.createVm() };
}

test("EventFd: eventfd2 arguments, 8-byte little-endian writes, reads, EAGAIN as null or KvmError", () => {
  const h = new FakeHost("arm");
  const { kvm } = armVm(h);
  const e = kvm.createEventFd(3, 0o4000);
  assert.deepEqual(h.eventfds, [{ initval: 3, flags: 0o4000 }]);
  e.write(0x0102030405060708n);
  assert.deepEqual([...h.writes[0]!.bytes], [8, 7, 6, 5, 4, 3, 2, 1]);
  assert.equal(h.writes[0]!.fd, e.fd);
  h.readHandler = (_fd, buf) => (dv(buf).setBigUint64(0, 42n, true), 8);
  assert.equal(e.read(), 42n);
  h.readHandler = () => -11;
  assert.equal(e.tryRead(), null);
  assert.throws(() => e.read(), (err: unknown) => err instanceof KvmError && err.code === "EAGAIN" && err.ioctl === "read");
  h.writeResult = -22;
  assert.throws(() => e.write(1), (err: unknown) => err instanceof KvmError && err.code === "EINVAL");
  h.eventfdResult = -24;
  assert.throws(() => EventFd.create(h), (err: unknown) => err instanceof KvmError && err.code === "EMFILE" && err.ioctl === "eventfd");
});

test("VmFd.irqfd / irqfdDeassign: struct kvm_irqfd bytes (fd, gsi, flags, resamplefd)", () => {
  const h = new FakeHost("arm");
  const { kvm, vm } = armVm(h);
  const a = kvm.createEventFd(), r = kvm.createEventFd();
  vm.irqfd(a, 7);
  vm.irqfd(a.fd, 8, r);
  vm.irqfdDeassign(a, 7);
  const args = h.callsTo(IRQFD).map((c) => dv(c.arg as Uint8Array));
  assert.equal((h.callsTo(IRQFD)[0]!.arg as Uint8Array).length, 32);
  assert.deepEqual(args.map((v) => [v.getUint32(0, true), v.getUint32(4, true), v.getUint32(8, true), v.getUint32(12, true)]),
    [[a.fd, 7, 0, 0], [a.fd, 8, 2, r.fd], [a.fd, 7, 1, 0]]);
});

test("VmFd.setGsiRouting: header nr/flags, 48-byte entries with the irqchip or MSI union at 16", () => {
  const h = new FakeHost("arm");
  const { vm } = armVm(h);
  vm.setGsiRouting([{ gsi: 3, pin: 9 }, { gsi: 4, type: 2, flags: 1, msi: { address_lo: 0x1000, address_hi: 2, data: 5, devid: 6 } }]);
  const b = h.callsTo(SET_GSI_ROUTING)[0]!.arg as Uint8Array;
  assert.equal(b.length, 8 + 2 * 48);
  const v = dv(b);
  assert.deepEqual([v.getUint32(0, true), v.getUint32(4, true)], [2, 0]);
  assert.deepEqual([8, 12, 16, 24, 28].map((o) => v.getUint32(o, true)), [3, 1, 0, 0, 9]);
  assert.deepEqual([56, 60, 64, 72, 76, 80, 84].map((o) => v.getUint32(o, true)), [4, 2, 1, 0x1000, 2, 5, 6]);
});

test("VmFd.ioeventfd: datamatch @0, addr @8, len @16, fd @20, flags @24 (DATAMATCH, PIO, DEASSIGN); zones carry pio", () => {
  const h = new FakeHost("arm");
  const { kvm, vm } = armVm(h);
  const e = kvm.createEventFd();
  vm.ioeventfd({ addr: 0x0a000050n, len: 4, fd: e, datamatch: 3 });
  vm.ioeventfd({ addr: 0x60, len: 0, fd: e, pio: true });
  vm.ioeventfdDeassign({ addr: 0x0a000050n, len: 4, fd: e, datamatch: 3 });
  const rows = h.callsTo(IOEVENTFD).map((c) => dv(c.arg as Uint8Array))
    .map((v) => [v.getBigUint64(0, true), v.getBigUint64(8, true), v.getUint32(16, true), v.getInt32(20, true), v.getUint32(24, true)]);
  assert.deepEqual(rows, [[3n, 0x0a000050n, 4, e.fd, 1], [0n, 0x60n, 0, e.fd, 2], [3n, 0x0a000050n, 4, e.fd, 5]]);
  vm.registerCoalescedMmio(0x3f8, 8, true);
  const z = dv(h.callsTo(REGISTER_COALESCED_MMIO)[0]!.arg as Uint8Array);
  assert.deepEqual([z.getBigUint64(0, true), z.getUint32(8, true), z.getUint32(12, true)], [0x3f8n, 8, 1]);
});
