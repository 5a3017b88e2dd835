// The facade against a scripted host: request numbers, argument bytes, pointer plumbing and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakeHost, dv } from "./fake-host.js";
import { Kvm, KvmError } from "../../src/facade/index.js";

// Request values written from the reference tables (kvm-arm32-abi.md §1, kvm-ppc-abi.md §1.4).
const ARM = {
  GET_API_VERSION: 0x0000ae00, CREATE_VM: 0x0000ae01, CHECK_EXTENSION: 0x0000ae03, GET_VCPU_MMAP_SIZE: 0x0000ae04,
  CREATE_VCPU: 0x0000ae41, GET_DIRTY_LOG: 0x4010ae42, SET_USER_MEMORY_REGION: 0x4020ae46, CREATE_IRQCHIP: 0x0000ae60,
  IRQ_LINE: 0x4008ae61, ARM_SET_DEVICE_ADDR: 0x4010aeab, ARM_PREFERRED_TARGET: 0x8020aeaf, CREATE_DEVICE: 0xc00caee0,
  RUN: 0x0000ae80, GET_MP_STATE: 0x8004ae98, SET_MP_STATE: 0x4004ae99, GET_ONE_REG: 0x4010aeab, SET_ONE_REG: 0x4010aeac,
  ARM_VCPU_INIT: 0x4020aeae, GET_REG_LIST: 0xc008aeb0, SET_DEVICE_ATTR: 0x4018aee1, GET_DEVICE_ATTR: 0x4018aee2,
  HAS_DEVICE_ATTR: 0x4018aee3, ENABLE_CAP: 0x4068aea3, REGISTER_COALESCED_MMIO: 0x4010ae67,
  GET_VCPU_EVENTS: 0x8040ae9f, SET_VCPU_EVENTS: 0x4040aea0,
};

function armHost(): FakeHost {
  const h = new FakeHost("arm");
  h.handlers.set(ARM.GET_API_VERSION, () => 12);
  h.handlers.set(ARM.GET_VCPU_MMAP_SIZE, () => 8192);
  h.handlers.set(ARM.CREATE_VM, (_fd, arg) => (arg === 0 ? h.newFd() : -22));
  h.handlers.set(ARM.CREATE_VCPU, () => h.newFd());
  return h;
}

test("Kvm.open, version, extension and VM creation use the ARM request numbers", () => {
  const h = armHost();
  h.handlers.set(ARM.CHECK_EXTENSION, (_fd, cap) => (cap === 70 ? 1 : 0));
  const kvm = Kvm.open(h);
  assert.equal(kvm.getApiVersion(), 12);
  assert.equal(kvm.checkExtension(70), 1);
  assert.equal(kvm.checkExtension(93), 0);
  assert.equal(kvm.getVcpuMmapSize(), 8192);
  const vm = kvm.createVm();
  assert.equal(h.callsTo(ARM.CREATE_VM)[0]!.arg, 0);
  assert.notEqual(vm.fd, kvm.fd);
  vm.close();
  kvm.close();
  assert.deepEqual(h.closed, [vm.fd, kvm.fd]);
});

test("errors become KvmError with positive errno, kernel name and request name", () => {
  const h = armHost();
  const kvm = Kvm.open(h);
  assert.throws(() => kvm.createVm(1), (e: unknown) => {
    assert.ok(e instanceof KvmError && e instanceof Error);
    assert.equal(e.errno, 22);
    assert.equal(e.code, "EINVAL");
    assert.equal(e.ioctl, "KVM_CREATE_VM");
    return true;
  });
  assert.throws(() => Kvm.open(h, "/dev/nope"), (e: unknown) => e instanceof KvmError && e.code === "ENOENT" && e.ioctl === "open");
  kvm.close();
  assert.throws(() => kvm.getApiVersion(), (e: unknown) => e instanceof KvmError && e.code === "EBADF");
});

test("setUserMemoryRegion sends the 32-byte struct at the reference offsets", () => {
  const h = armHost();
  h.handlers.set(ARM.SET_USER_MEMORY_REGION, () => 0);
  const vm = Kvm.open(h).createVm();
  vm.setUserMemoryRegion({ slot: 3, flags: 2, guest_phys_addr: 0x4000_0000n, memory_size: 0x20_0000, userspace_addr: 0x7f12_3400_0000n });
  const b = h.callsTo(ARM.SET_USER_MEMORY_REGION)[0]!.arg as Uint8Array;
  assert.equal(b.length, 32);
  const v = dv(b);
  assert.equal(v.getUint32(0, true), 3);
  assert.equal(v.getUint32(4, true), 2);
  assert.equal(v.getBigUint64(8, true), 0x4000_0000n);
  assert.equal(v.getBigUint64(16, true), 0x20_0000n);
  assert.equal(v.getBigUint64(24, true), 0x7f12_3400_0000n);
});

test("ONE_REG values travel through a host pointer the kernel resolves", () => {
  const h = armHost();
  const regs = new Map<bigint, bigint>();
  const oneReg = (write: boolean) => (_fd: number, arg: unknown) => {
    const v = dv(arg as Uint8Array);
    const id = v.getBigUint64(0, true), addr = v.getBigUint64(8, true);
    const size = 1 << Number((id >> 52n) & 0xfn);
    const mem = dv(h.resolve(addr, size));
    if (write) regs.set(id, size === 4 ? BigInt(mem.getUint32(0, true)) : mem.getBigUint64(0, true));
    else if (size === 4) mem.setUint32(0, Number(regs.get(id) ?? 0n), true);
    else mem.setBigUint64(0, regs.get(id) ?? 0n, true);
    return 0;
  };
  h.handlers.set(ARM.GET_ONE_REG, oneReg(false));
  h.handlers.set(ARM.SET_ONE_REG, oneReg(true));
  const vcpu = Kvm.open(h).createVm().createVcpu(0);
  const PC = 0x402000000010000fn, CNT = 0x40300000000f0708n;
  vcpu.setOneReg(PC, 0x8000_1234);
  vcpu.setOneReg(CNT, 0x1_0000_0002n);
  assert.equal(regs.get(PC), 0x8000_1234n);
  assert.equal(vcpu.getOneReg(PC), 0x8000_1234n);
  assert.equal(vcpu.getOneReg(CNT), 0x1_0000_0002n);
  // the struct sent is kvm_one_reg {id, addr} and addr lies in a host mapping
  const sent = dv(h.callsTo(ARM.GET_ONE_REG)[0]!.arg as Uint8Array);
  assert.equal(sent.getBigUint64(0, true), PC);
  assert.doesNotThrow(() => h.resolve(sent.getBigUint64(8, true), 4));
  assert.throws(() => vcpu.setOneReg(PC, new Uint8Array(8)), RangeError);
});

test("getRegList asks with n = 0, gets E2BIG with the count, then fetches the ids", () => {
  const h = armHost();
  const ids = [0x4020000000100000n, 0x4030000000140000n, 0x40200000000f0000n];
  const seen: bigint[] = [];
  h.handlers.set(ARM.GET_REG_LIST, (_fd, arg) => {
    const mem = dv(h.resolve(BigInt(arg as bigint), 8));
    const cap = mem.getBigUint64(0, true);
    seen.push(cap);
    mem.setBigUint64(0, BigInt(ids.length), true);
    if (cap < BigInt(ids.length)) return -7;
    const list = dv(h.resolve(BigInt(arg as bigint), 8 + 8 * ids.length));
    ids.forEach((id, i) => list.setBigUint64(8 + 8 * i, id, true));
    return 0;
  });
  const vcpu = Kvm.open(h).createVm().createVcpu(0);
  assert.deepEqual(vcpu.getRegList(), ids);
  assert.deepEqual(seen, [0n, 3n]);
  h.handlers.set(ARM.GET_REG_LIST, () => -8);
  assert.throws(() => vcpu.getRegList(), (e: unknown) => e instanceof KvmError && e.code === "ENOEXEC" && e.ioctl === "KVM_GET_REG_LIST");
});

test("armVcpuInit packs feature bits into features[n/32]; preferred target is decoded", () => {
  const h = armHost();
  h.handlers.set(ARM.ARM_VCPU_INIT, () => 0);
  h.handlers.set(ARM.ARM_PREFERRED_TARGET, (_fd, arg) => { dv(arg as Uint8Array).setUint32(0, 1, true); return 0; });
  const vm = Kvm.open(h).createVm();
  assert.deepEqual(vm.armPreferredTarget(), { target: 1, features: [0, 0, 0, 0, 0, 0, 0] });
  vm.createVcpu(0).armVcpuInit({ target: 1, features: [0, 1, 33] });
  const b = dv(h.callsTo(ARM.ARM_VCPU_INIT)[0]!.arg as Uint8Array);
  assert.equal(b.byteLength, 32);
  assert.equal(b.getUint32(0, true), 1);
  assert.equal(b.getUint32(4, true), 0b11);
  assert.equal(b.getUint32(8, true), 0b10);
});

test("MP state, IRQ line, device address, coalesced zone and enable-cap argument bytes", () => {
  const h = armHost();
  for (const r of [ARM.SET_MP_STATE, ARM.IRQ_LINE, ARM.ARM_SET_DEVICE_ADDR, ARM.REGISTER_COALESCED_MMIO, ARM.ENABLE_CAP, ARM.CREATE_IRQCHIP]) h.handlers.set(r, () => 0);
  h.handlers.set(ARM.GET_MP_STATE, (_fd, arg) => { dv(arg as Uint8Array).setUint32(0, 5, true); return 0; });
  const vm = Kvm.open(h).createVm();
  const vcpu = vm.createVcpu(0);
  assert.equal(vcpu.getMpState(), 5);
  vcpu.setMpState(0);
  assert.deepEqual([...(h.callsTo(ARM.SET_MP_STATE)[0]!.arg as Uint8Array)], [0, 0, 0, 0]);
  vm.createIrqchip();
  vm.irqLine(0x01000021, true);
  assert.deepEqual([...(h.callsTo(ARM.IRQ_LINE)[0]!.arg as Uint8Array)], [0x21, 0, 0, 1, 1, 0, 0, 0]);
  vm.armSetDeviceAddr(1, 0x0801_0000);
  const da = dv(h.callsTo(ARM.ARM_SET_DEVICE_ADDR)[0]!.arg as Uint8Array);
  assert.equal(da.getBigUint64(0, true), 1n);
  assert.equal(da.getBigUint64(8, true), 0x0801_0000n);
  vm.registerCoalescedMmio(0x0a00_0000, 0x200);
  const z = dv(h.callsTo(ARM.REGISTER_COALESCED_MMIO)[0]!.arg as Uint8Array);
  assert.equal(z.getBigUint64(0, true), 0x0a00_0000n);
  assert.equal(z.getUint32(8, true), 0x200);
  vm.enableCap(168, [1]);
  const ec = dv(h.callsTo(ARM.ENABLE_CAP)[0]!.arg as Uint8Array);
  assert.equal(ec.byteLength, 104);
  assert.equal(ec.getUint32(0, true), 168);
  assert.equal(ec.getBigUint64(8, true), 1n);
});

test("device creation and attributes: value by pointer, ENXIO → hasDeviceAttr false", () => {
  const h = armHost();
  let devFd = -1;
  let stored = 0n;
  h.handlers.set(ARM.CREATE_DEVICE, (_fd, arg) => {
    const v = dv(arg as Uint8Array);
    if (v.getUint32(0, true) !== 5) return -19;
    if (v.getUint32(8, true) & 1) return 0;
    devFd = h.newFd();
    v.setUint32(4, devFd, true);
    return 0;
  });
  h.handlers.set(ARM.SET_DEVICE_ATTR, (_fd, arg) => {
    const v = dv(arg as Uint8Array);
    const addr = v.getBigUint64(16, true);
    if (addr !== 0n) stored = dv(h.resolve(addr, 8)).getBigUint64(0, true);
    return 0;
  });
  h.handlers.set(ARM.GET_DEVICE_ATTR, (_fd, arg) => {
    dv(h.resolve(dv(arg as Uint8Array).getBigUint64(16, true), 8)).setBigUint64(0, stored, true);
    return 0;
  });
  h.handlers.set(ARM.HAS_DEVICE_ATTR, (_fd, arg) => (dv(arg as Uint8Array).getUint32(4, true) <= 4 ? 0 : -6));
  const vm = Kvm.open(h).createVm();
  assert.equal(vm.supportsDevice(5), true);
  assert.equal(vm.supportsDevice(7), false);
  assert.equal(devFd, -1, "TEST flag creates nothing");
  const dev = vm.createDevice(5);
  assert.equal(dev.fd, devFd);
  dev.setDeviceAttr({ group: 0, attr: 0, value: 0x0800_0000n });
  const sa = dv(h.callsTo(ARM.SET_DEVICE_ATTR)[0]!.arg as Uint8Array);
  assert.equal(sa.byteLength, 24);
  assert.equal(sa.getUint32(4, true), 0);
  assert.equal(stored, 0x0800_0000n);
  assert.equal(dev.getDeviceAttr({ group: 0, attr: 0 }), 0x0800_0000n);
  assert.equal(dev.hasDeviceAttr({ group: 4, attr: 0 }), true);
  assert.equal(dev.hasDeviceAttr({ group: 9, attr: 0 }), false);
  assert.throws(() => vm.createDevice(7), (e: unknown) => e instanceof KvmError && e.code === "ENODEV");
  // an attribute with no value passes addr = 0
  dev.setDeviceAttr({ group: 4, attr: 0 });
  assert.equal(dv(h.callsTo(ARM.SET_DEVICE_ATTR)[1]!.arg as Uint8Array).getBigUint64(16, true), 0n);
});

test("run() returns exit_reason from the mmapped kvm_run; KvmRun reads and writes the shared page", () => {
  const h = armHost();
  let runPage: Uint8Array | null = null;
  const origMmap = h.mmap.bind(h);
  h.mmap = (fd, length) => {
    const m = origMmap(fd, length);
    if (fd !== -1 && typeof m !== "number") runPage = m.bytes;
    return m;
  };
  h.handlers.set(ARM.RUN, (_fd, arg) => {
    if (arg !== 0) return -22;
    const v = dv(runPage!);
    if (v.getUint8(1)) return -4; // immediate_exit
    v.setUint32(8, 6, true);
    v.setBigUint64(32, 0x0900_0000n, true);
    v.setUint32(48, 4, true);
    v.setUint8(52, 0);
    return 0;
  });
  const vcpu = Kvm.open(h).createVm().createVcpu(0);
  assert.equal(vcpu.run(), 6);
  const run = vcpu.getRun();
  assert.equal(run.bytes.length, 8192);
  assert.equal(run.mmio_phys_addr, 0x0900_0000n);
  assert.equal(run.mmio_len, 4);
  assert.equal(run.mmio_is_write, false);
  run.mmio_data_le = 0x11223344;
  assert.deepEqual([...runPage!.subarray(40, 44)], [0x44, 0x33, 0x22, 0x11]);
  run.immediate_exit = 1;
  assert.throws(() => vcpu.run(), (e: unknown) => e instanceof KvmError && e.code === "EINTR" && e.ioctl === "KVM_RUN");
  // the coalesced ring page: one entry queued by the "kernel"
  const ring = dv(runPage!.subarray(4096));
  ring.setUint32(4, 1, true); // last = 1
  ring.setBigUint64(8, 0x0a00_0010n, true);
  ring.setUint32(16, 2, true);
  runPage![8 + 16] = 0xab; runPage![4096 + 8 + 16] = 0xcd; runPage![4096 + 8 + 17] = 0xef;
  const drained = run.drainCoalescedMmio();
  assert.equal(drained.length, 1);
  assert.equal(drained[0]!.phys_addr, 0x0a00_0010n);
  assert.deepEqual([...drained[0]!.data], [0xcd, 0xef]);
  assert.equal(ring.getUint32(0, true), 1, "first advanced");
  assert.deepEqual(run.drainCoalescedMmio(), []);
});

test("dirty log: bitmap pointer in kvm_dirty_log, bitmap copied out", () => {
  const h = armHost();
  h.handlers.set(ARM.GET_DIRTY_LOG, (_fd, arg) => {
    const v = dv(arg as Uint8Array);
    if (v.getUint32(0, true) !== 1) return -2;
    h.resolve(v.getBigUint64(8, true), 8).set([0b101, 0, 0, 0, 0, 0, 0, 0x80]);
    return 0;
  });
  const vm = Kvm.open(h).createVm();
  const bm = vm.getDirtyLog(1, 64 * 4096);
  assert.equal(bm.length, 8);
  assert.deepEqual([...bm], [0b101, 0, 0, 0, 0, 0, 0, 0x80]);
  assert.throws(() => vm.getDirtyLog(2, 4096), (e: unknown) => e instanceof KvmError && e.code === "ENOENT");
});

test("a PowerPC host gets the powerpc request numbers", () => {
  const h = new FakeHost("ppc");
  h.handlers.set(0x2000ae00, () => 12);
  h.handlers.set(0x2000ae04, () => 8192);
  h.handlers.set(0x2000ae01, () => h.newFd());
  h.handlers.set(0x2000ae41, () => h.newFd());
  h.handlers.set(0x8008aef0, () => 0); // KVM_PPC_SET_PLATFORM
  h.handlers.set(0x4188ae81, (_fd, arg) => { dv(arg as Uint8Array).setBigUint64(136 + 8 * 3, 0xdeadn, true); return 0; });
  h.handlers.set(0x8188ae82, () => 0);
  h.handlers.set(0x8068aea3, () => 0);
  const kvm = Kvm.open(h);
  assert.equal(kvm.getApiVersion(), 12);
  const vm = kvm.createVm();
  vm.ppcSetPlatform({ platform: 2, guest_arch: 206, flags: 1 });
  assert.deepEqual([...(h.callsTo(0x8008aef0)[0]!.arg as Uint8Array)], [2, 0, 206, 0, 1, 0, 0, 0]);
  const vcpu = vm.createVcpu(0);
  const regs = vcpu.getRegs() as { gpr: bigint[] };
  assert.equal(regs.gpr[3], 0xdeadn);
  vcpu.setRegs({ pc: 0x100n });
  assert.equal((h.callsTo(0x8188ae82)[0]!.arg as Uint8Array).length, 392);
  vcpu.enableCap(68);
  assert.equal(dv(h.callsTo(0x8068aea3)[0]!.arg as Uint8Array).getUint32(0, true), 68);
});
