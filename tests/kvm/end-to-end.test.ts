// A VMM's first steps through the raw system-call interface only, as a C program would do them:
// open /dev/kvm, check the API version, create a VM, give it memory, create a vCPU, map kvm_run.
// Uses nothing but the public entry point (src/index.ts) and the RawKvmHost methods.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost, ARM_REQUESTS as R, type RawKvmHost } from "../../src/index.js";

test("open → API version → CREATE_VM → memory slot → CREATE_VCPU → mmap kvm_run → close", () => {
  const host: RawKvmHost = createHost({ arch: "arm", cpus: 2 });
  const kvm = host.open("/dev/kvm");
  assert.ok(kvm >= 0);
  assert.equal(host.ioctl(kvm, R.KVM_GET_API_VERSION, 0), 12);
  assert.equal(host.ioctl(kvm, R.KVM_CHECK_EXTENSION, 3 /* KVM_CAP_USER_MEMORY */), 1);
  const vm = host.ioctl(kvm, R.KVM_CREATE_VM, 0);
  assert.ok(vm >= 0);

  // 16 MiB of guest RAM at 0x80000000 (kvmtool's ARM layout)
  const ram = host.mmap(-1, 16 << 20);
  assert.ok(typeof ram !== "number");
  // the region struct lives in host memory too, and is passed by address
  const args = host.mmap(-1, 4096);
  assert.ok(typeof args !== "number");
  const v = new DataView(args.bytes.buffer, args.bytes.byteOffset);
  v.setUint32(0, 0, true); // slot
  v.setUint32(4, 0, true); // flags
  v.setBigUint64(8, 0x80000000n, true); // guest_phys_addr
  v.setBigUint64(16, BigInt(16 << 20), true); // memory_size
  v.setBigUint64(24, ram.addr, true); // userspace_addr
  assert.equal(host.ioctl(vm, R.KVM_SET_USER_MEMORY_REGION, args.addr), 0);

  const vcpu = host.ioctl(vm, R.KVM_CREATE_VCPU, 0);
  assert.ok(vcpu >= 0);
  const size = host.ioctl(kvm, R.KVM_GET_VCPU_MMAP_SIZE, 0);
  assert.equal(size, 8192);
  const run = host.mmap(vcpu, size, 0);
  assert.ok(typeof run !== "number");
  assert.equal(new DataView(run.bytes.buffer, run.bytes.byteOffset).getUint32(8, true), 0, "exit_reason");

  // teardown in a VMM's usual order
  assert.equal(host.munmap(run.addr, size), 0);
  assert.equal(host.close(vcpu), 0);
  assert.equal(host.close(vm), 0);
  assert.equal(host.munmap(ram.addr, 16 << 20), 0);
  assert.equal(host.close(kvm), 0);
  assert.equal(host.close(kvm), -9 /* EBADF */);
});
