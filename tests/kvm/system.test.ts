// System ioctls and KVM_CHECK_EXTENSION on an ARM host: reference kvm-arm32-abi.md §1.4 and §2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost } from "../../src/kvm/host.js";
import { E, REQ, armVm, enableCap } from "./raw.js";

test("open: /dev/kvm gives fd 3, other paths -ENOENT", () => {
  const host = createHost({ arch: "arm", cpus: 2 });
  assert.equal(host.open("/dev/kvm0"), -E.ENOENT);
  assert.equal(host.open("/dev/null"), -E.ENOENT);
  assert.equal(host.open("/dev/kvm"), 3);
  assert.equal(host.arch, "arm");
});

test("KVM_GET_API_VERSION is 12; a non-zero argument is -EINVAL (§2.1)", () => {
  const { host, kvm } = armVm();
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_API_VERSION), 12);
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_API_VERSION, 0), 12);
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_API_VERSION, 0n), 12);
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_API_VERSION, 1), -E.EINVAL);
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_API_VERSION, 0x100000000n), 12, "unsigned long is 32 bits on ARM32");
});

test("KVM_CREATE_VM: type 0 only on ARM (§2.2); several VMs may exist", () => {
  const { host, kvm } = armVm();
  assert.equal(host.ioctl(kvm, REQ.KVM_CREATE_VM, 1), -E.EINVAL);
  assert.equal(host.ioctl(kvm, REQ.KVM_CREATE_VM, 40), -E.EINVAL, "no arm64 IPA-size encoding");
  assert.equal(host.ioctl(kvm, REQ.KVM_CREATE_VM, -1), -E.EINVAL);
  const a = host.ioctl(kvm, REQ.KVM_CREATE_VM, 0);
  const b = host.ioctl(kvm, REQ.KVM_CREATE_VM, 0);
  assert.ok(a > 0 && b > 0 && a !== b);
});

test("KVM_GET_VCPU_MMAP_SIZE is 8192; argument must be 0 (§2.3)", () => {
  const { host, kvm } = armVm();
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_VCPU_MMAP_SIZE), 8192);
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_VCPU_MMAP_SIZE, 7), -E.EINVAL);
});

/** §2.4, with NR_VCPUS = the host CPU count (4 here) and MAX_VCPUS = 512 (VGIC_V3_MAX_CPUS, 5.4+). */
const ARM_CAPS: [number, number][] = [
  [0, 1], [3, 1], [9, 4], [10, 32], [14, 1], [15, 1], [16, 1], [21, 1], [25, 4096], [30, 1], [32, 1], [36, 1],
  [40, 1], [41, 1], [66, 512], [70, 1], [77, 1], [81, 1], [82, 1], [87, 1], [88, 1], [89, 1], [98, 1], [102, 1],
  [105, 1], [122, 1], [128, 512], [136, 1], [144, 1], [162, 1], [168, 1], [174, 1], [177, 1], [178, 1],
  // "everything else": 0
  [23, 0], [93, 0], [126, 0], [74, 0], [165, 0], [118, 0], [158, 0], [1, 0], [2, 0], [43, 0], [68, 0], [92, 0],
  [123, 0], [170, 0], [171, 0], [172, 0], [182, 0], [192, 0], [1000, 0], [0x7fffffff, 0], [0xffffffff, 0],
];

test("KVM_CHECK_EXTENSION on /dev/kvm: every §2.4 value; MSI_DEVID is -EINVAL", () => {
  const { host, kvm } = armVm(4);
  for (const [cap, want] of ARM_CAPS) assert.equal(host.ioctl(kvm, REQ.KVM_CHECK_EXTENSION, cap), want, `cap ${cap}`);
  assert.equal(host.ioctl(kvm, REQ.KVM_CHECK_EXTENSION, 131), -E.EINVAL);
});

test("KVM_CHECK_EXTENSION on a VM fd: the same values; MSI_DEVID is 0 for a GICv2 VM", () => {
  const { host, vm } = armVm(4);
  for (const [cap, want] of ARM_CAPS) assert.equal(host.ioctl(vm, REQ.KVM_CHECK_EXTENSION, cap), want, `cap ${cap}`);
  assert.equal(host.ioctl(vm, REQ.KVM_CHECK_EXTENSION, 131), 0);
});

test("NR_VCPUS follows the host CPU count option", () => {
  for (const cpus of [1, 2, 8]) {
    const { host, kvm } = armVm(cpus);
    assert.equal(host.ioctl(kvm, REQ.KVM_CHECK_EXTENSION, 9), cpus);
  }
});

test("unknown ioctls: -EINVAL on /dev/kvm and VM fds (§1.4)", () => {
  const { host, kvm, vm } = armVm();
  for (const req of [0x0000ae02, 0x0000ae05, 0x0000aeff, 0x12345678, 0xc008ae67]) {
    assert.equal(host.ioctl(kvm, req), -E.EINVAL, `system ${req.toString(16)}`);
  }
  // VM ioctls on /dev/kvm and system ioctls on a VM fd are unknown there
  assert.equal(host.ioctl(kvm, REQ.KVM_CREATE_VCPU, 0), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_GET_API_VERSION), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VM, 0), -E.EINVAL);
  assert.equal(host.ioctl(vm, 0x0000aeff), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_RUN), -E.EINVAL);
});

test("requests are normalised to 32 bits (negative numbers are the same request)", () => {
  const { host, kvm, vm } = armVm();
  assert.equal(host.ioctl(kvm, REQ.KVM_GET_API_VERSION + 2 ** 32), 12);
  const region = new Uint8Array(32);
  // 0x4020AE46 | 0 as a signed int is positive; KVM_CLEAR_DIRTY_LOG 0xC018AEC0 is negative as int32
  assert.equal(host.ioctl(vm, REQ.KVM_CLEAR_DIRTY_LOG | 0, region), host.ioctl(vm, REQ.KVM_CLEAR_DIRTY_LOG, region));
});

test("ioctl on an fd that is not open: -EBADF", () => {
  const { host } = armVm();
  for (const fd of [-1, 0, 1, 2, 99, 1.5, NaN]) assert.equal(host.ioctl(fd, REQ.KVM_GET_API_VERSION), -E.EBADF);
});

test("/dev/kvm and VM fds cannot be mapped: -ENODEV", () => {
  const { host, kvm, vm } = armVm();
  assert.equal(host.mmap(kvm, 4096, 0), -E.ENODEV);
  assert.equal(host.mmap(vm, 4096, 0), -E.ENODEV);
  assert.equal(host.mmap(77, 4096, 0), -E.EBADF);
});

test("KVM_CREATE_DEVICE with no registered device types: -ENODEV; bad pointer -EFAULT", () => {
  const { host, vm } = armVm();
  const cd = new Uint8Array(12);
  new DataView(cd.buffer).setUint32(0, 7, true); // VGIC_V3: never registered on an A15 host
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, cd), -E.ENODEV);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, new Uint8Array(11)), -E.EFAULT);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, 0), -E.EFAULT);
});

test("KVM_ENABLE_CAP on a VM: MANUAL_DIRTY_LOG_PROTECT2 and NISV_TO_USER rules (§3.7, §3.9)", () => {
  const { host, vm } = armVm();
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(168, 0, [1n])), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(168, 0, [0n])), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(168, 0, [2n])), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(168, 1, [1n])), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(177, 0)), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(177, 1)), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(87, 0)), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, new Uint8Array(103)), -E.EFAULT);
});
