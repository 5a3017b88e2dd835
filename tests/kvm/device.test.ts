// The generic device-control path (kvm_ioctl_create_device / kvm_device_ioctl): reference
// kvm-arm32-abi.md §3.8 and §1.4 (unknown ioctl on a device fd: ENOTTY). The ARM module registers no
// device types yet, so these tests register one on the VM's arch object.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { KvmDevice, KvmDeviceOps } from "../../src/kvm/device.js";
import { VmFile } from "../../src/kvm/vm.js";
import { E, REQ, armVm, hostMem } from "./raw.js";

function withDevice(device: Partial<KvmDevice>) {
  const env = armVm();
  const vm = (env.host.kernel.fds.get(env.vm) as VmFile).vm;
  let destroyed = 0;
  const ops: KvmDeviceOps = {
    name: "test-device",
    create: () => ({ ...device, destroy: () => void destroyed++ }),
  };
  vm.arch.deviceOps = (type: number) => (type === 5 ? ops : undefined);
  return { ...env, kvmVm: vm, destroyedCount: () => destroyed };
}

function createDevice(type: number, flags = 0): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(8, flags, true);
  return b;
}

test("KVM_CREATE_DEVICE: fd written back at offset 4; TEST flag creates nothing; unknown type ENODEV", () => {
  const { host, vm } = withDevice({});
  const test = createDevice(5, 1);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, test), 0);
  assert.equal(new DataView(test.buffer).getUint32(4, true), 0, "TEST: fd untouched");
  assert.equal(host.kernel.fds.openFds().length, 2);
  const cd = createDevice(5);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, cd), 0);
  const fd = new DataView(cd.buffer).getUint32(4, true);
  assert.equal(fd, 5);
  assert.equal(host.kernel.fds.get(fd)?.kind, "device");
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, createDevice(7)), -E.ENODEV);
});

test("device fd: unknown ioctl ENOTTY; missing attribute accessor EPERM; attr struct EFAULT", () => {
  const seen: bigint[] = [];
  const { host, vm } = withDevice({
    setAttr: (attr, arg) => {
      const value = arg.copyFromPointer(attr.addr, 4);
      if (value === null) return -E.EFAULT;
      seen.push(attr.attr, BigInt(attr.group), BigInt(value[0]!));
      return 0;
    },
  });
  const cd = createDevice(5);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, cd), 0);
  const dev = new DataView(cd.buffer).getUint32(4, true);
  assert.equal(host.ioctl(dev, REQ.KVM_RUN), -E.ENOTTY);
  assert.equal(host.ioctl(dev, 0x12345678), -E.ENOTTY);
  assert.equal(host.ioctl(dev, 0x4018aee2, new Uint8Array(24)), -E.EPERM, "GET_DEVICE_ATTR: no accessor");
  assert.equal(host.ioctl(dev, REQ.KVM_SET_DEVICE_ATTR, new Uint8Array(23)), -E.EFAULT);
  const mem = hostMem(host, 4096);
  mem.bytes[0] = 0x2a;
  const attr = new Uint8Array(24);
  const v = new DataView(attr.buffer);
  v.setUint32(4, 3, true); // group
  v.setBigUint64(8, 0x100000004n, true); // attr
  v.setBigUint64(16, mem.addr, true); // addr
  assert.equal(host.ioctl(dev, REQ.KVM_SET_DEVICE_ATTR, attr), 0);
  assert.deepEqual(seen, [0x100000004n, 3n, 0x2an]);
  assert.equal(host.mmap(dev, 4096, 0), -E.ENODEV);
});

test("a device fd holds a VM reference; devices are destroyed with the VM", () => {
  const { host, vm, kvmVm, destroyedCount } = withDevice({});
  const cd = createDevice(5);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, cd), 0);
  const dev = new DataView(cd.buffer).getUint32(4, true);
  assert.equal(host.close(vm), 0);
  assert.ok(kvmVm.alive);
  assert.equal(destroyedCount(), 0);
  assert.equal(host.close(dev), 0);
  assert.equal(kvmVm.alive, false);
  assert.equal(destroyedCount(), 1);
});
