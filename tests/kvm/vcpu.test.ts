// KVM_CREATE_VCPU limits (reference kvm-arm32-abi.md §3.2), the vCPU fd's kvm_run mapping (§2.3),
// and generic vCPU ioctl dispatch (§1.4) on an ARM host.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ArmVm } from "../../src/kvm/arm/index.js";
import { VcpuFile } from "../../src/kvm/vcpu.js";
import { VmFile } from "../../src/kvm/vm.js";
import { E, REQ, armVm } from "./raw.js";

test("ids 0..7 succeed, id 8 is -EINVAL (GICv2 host: max_vcpus 8); duplicates -EEXIST", () => {
  const { host, vm } = armVm();
  const fds: number[] = [];
  for (const id of [7, 0, 3, 1, 2, 4, 6, 5]) {
    const fd = host.ioctl(vm, REQ.KVM_CREATE_VCPU, id);
    assert.ok(fd >= 3, `id ${id}: ${fd}`);
    fds.push(fd);
  }
  assert.equal(new Set(fds).size, 8);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 8), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 3), -E.EEXIST);
});

test("id >= KVM_MAX_VCPU_ID (512) is -EINVAL before anything else", () => {
  const { host, vm } = armVm();
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 512), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0xffffffff), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, new Uint8Array(4)), -E.EINVAL, "a pointer is a huge id");
});

test("row order: id >= KVM_MAX_VCPU_ID, then vGIC initialized (EBUSY), then max_vcpus, then EEXIST", () => {
  const { host, vm } = armVm();
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0), 3 + 2);
  const arch = (host.kernel.fds.get(vm) as VmFile).vm.arch as ArmVm;
  arch.vgicInitialized = true;
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0), -E.EBUSY, "EBUSY wins over EEXIST");
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 9), -E.EBUSY, "EBUSY wins over id >= max_vcpus");
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 600), -E.EINVAL, "id >= KVM_MAX_VCPU_ID wins over EBUSY");
});

test("vCPU index is creation order, id is the caller's", () => {
  const { host, vm } = armVm();
  const a = host.ioctl(vm, REQ.KVM_CREATE_VCPU, 5);
  const b = host.ioctl(vm, REQ.KVM_CREATE_VCPU, 2);
  const va = (host.kernel.fds.get(a) as VcpuFile).vcpu;
  const vb = (host.kernel.fds.get(b) as VcpuFile).vcpu;
  assert.deepEqual([va.id, va.index, vb.id, vb.index], [5, 0, 2, 1]);
});

test("closing a vCPU fd does not free its id (-EEXIST)", () => {
  const { host, vm } = armVm();
  const fd = host.ioctl(vm, REQ.KVM_CREATE_VCPU, 1);
  assert.equal(host.close(fd), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 1), -E.EEXIST);
});

test("mmap(vcpu, 8192, 0): page 0 is kvm_run, page 1 an empty coalesced-MMIO ring", () => {
  const { host, kvm, vm } = armVm();
  const cpu = host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0);
  const size = host.ioctl(kvm, REQ.KVM_GET_VCPU_MMAP_SIZE);
  const run = host.mmap(cpu, size, 0);
  assert.ok(typeof run !== "number");
  assert.equal(run.bytes.length, 8192);
  assert.equal(run.addr % 4096n, 0n);
  assert.deepEqual(run.bytes, new Uint8Array(8192), "exit_reason 0, ring first == last == 0");
  // a second mapping shows the same bytes at another address
  const again = host.mmap(cpu, 8192, 0);
  assert.ok(typeof again !== "number");
  assert.notEqual(again.addr, run.addr);
  run.bytes[1] = 1; // immediate_exit
  assert.equal(again.bytes[1], 1);
  // the kernel's view is the same memory
  const vcpu = (host.kernel.fds.get(cpu) as VcpuFile).vcpu;
  vcpu.run.setUint32(8, 6, true); // exit_reason @8 = KVM_EXIT_MMIO
  assert.equal(new DataView(run.bytes.buffer, run.bytes.byteOffset).getUint32(8, true), 6);
  // only page 1
  const ring = host.mmap(cpu, 4096, 4096);
  assert.ok(typeof ring !== "number");
  assert.equal(ring.bytes.length, 4096);
  assert.equal(ring.bytes.buffer, run.bytes.buffer);
});

test("vCPU mmap beyond 8192 bytes or at an unaligned offset is refused", () => {
  const { host, vm } = armVm();
  const cpu = host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0);
  assert.equal(host.mmap(cpu, 8193, 0), -E.EINVAL);
  assert.equal(host.mmap(cpu, 12288, 0), -E.EINVAL);
  assert.equal(host.mmap(cpu, 4096, 8192), -E.EINVAL);
  assert.equal(host.mmap(cpu, 4096, 100), -E.EINVAL);
  assert.equal(host.mmap(cpu, 0, 0), -E.EINVAL);
});

test("vCPU ioctls: type byte != 0xAE -> EINVAL; KVM_RUN arg != 0 -> EINVAL; unknown -> EINVAL", () => {
  const { host, vm } = armVm();
  const cpu = host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0);
  assert.equal(host.ioctl(cpu, 0x00005401), -E.EINVAL, "TCGETS");
  assert.equal(host.ioctl(cpu, 0x0000af80), -E.EINVAL, "KVM_RUN's nr under another type");
  assert.equal(host.ioctl(cpu, REQ.KVM_RUN, 1), -E.EINVAL);
  assert.equal(host.ioctl(cpu, 0x0000aeff), -E.EINVAL);
  // a generic ioctl 32-bit ARM has no handler for (KVM_INTERRUPT, _IOW 0x86) answers as unknown
  assert.equal(host.ioctl(cpu, 0x4004ae86, new Uint8Array(4)), -E.EINVAL);
  assert.equal(host.ioctl(cpu, REQ.KVM_GET_API_VERSION), -E.EINVAL, "system ioctl on a vCPU fd");
});

test("CREATE_VCPU on PPC: ids up to KVM_MAX_VCPU_ID - 1", async () => {
  const { createHost } = await import("../../src/kvm/host.js");
  const host = createHost({ arch: "ppc", cpus: 2 });
  const kvm = host.open("/dev/kvm");
  assert.equal(host.ioctl(kvm, 0x2000ae01, 1), -E.EINVAL, "HV not loaded");
  assert.equal(host.ioctl(kvm, 0x2000ae01, 3), -E.EINVAL);
  const pr = host.ioctl(kvm, 0x2000ae01, 2);
  assert.ok(pr > 0);
  const vm = host.ioctl(kvm, 0x2000ae01, 0);
  assert.equal(host.ioctl(vm, 0x2000ae41, 16383) >= 3, true);
  assert.equal(host.ioctl(vm, 0x2000ae41, 16384), -E.EINVAL);
  assert.equal(host.ioctl(vm, 0x2000ae41, 0x100000000n), -E.EINVAL, "unsigned long is 64 bits on ppc64");
});
