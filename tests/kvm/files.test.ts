// Host address space (mmap/munmap/pointer resolution) and fd numbering / close semantics.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost } from "../../src/kvm/host.js";
import { VmFile } from "../../src/kvm/vm.js";
import { E, REQ, armVm, hostMem, region } from "./raw.js";

test("mmap(-1): zero-filled, page-aligned, below TASK_SIZE, distinct; SharedArrayBuffer-backed", () => {
  const host = createHost({ arch: "arm", cpus: 1 });
  const a = hostMem(host, 100);
  const b = hostMem(host, 8192);
  assert.equal(a.addr % 4096n, 0n);
  assert.equal(a.bytes.length, 4096, "rounded up to a page");
  assert.ok(a.bytes.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(b.bytes, new Uint8Array(8192));
  assert.ok(b.addr >= a.addr + 4096n, "no overlap");
  assert.ok(b.addr + 8192n <= 0xbf000000n);
  assert.ok(a.addr > 0n, "NULL is never mapped");
});

test("mmap(-1) errors: length 0 / negative -EINVAL; more than the ARM32 user space -ENOMEM", () => {
  const host = createHost({ arch: "arm", cpus: 1 });
  assert.equal(host.mmap(-1, 0), -E.EINVAL);
  assert.equal(host.mmap(-1, -4096), -E.EINVAL);
  assert.equal(host.mmap(-1, 4096, 123), -E.EINVAL, "unaligned offset");
  assert.equal(host.mmap(-1, 0xbf000000), -E.ENOMEM, "TASK_SIZE minus the never-mapped low pages cannot fit");
});

test("munmap: 0; an address that starts no mapping -EINVAL; partial unmaps keep the rest", () => {
  const host = createHost({ arch: "arm", cpus: 1 });
  const m = hostMem(host, 3 * 4096);
  m.bytes[2 * 4096] = 9;
  assert.equal(host.munmap(m.addr + 4096n, 4096), 0, "middle page");
  assert.equal(host.kernel.mem.resolve(m.addr, 4096)?.length, 4096);
  assert.equal(host.kernel.mem.resolve(m.addr + 4096n, 1), null);
  assert.equal(host.kernel.mem.resolve(m.addr + 8192n, 1)?.[0], 9, "last page keeps its bytes");
  assert.equal(host.munmap(m.addr + 4096n, 4096), -E.EINVAL, "already unmapped");
  assert.equal(host.munmap(m.addr + 1n, 4096), -E.EINVAL);
  assert.equal(host.munmap(m.addr, 0), -E.EINVAL);
  assert.equal(host.munmap(m.addr, 4096), 0);
  assert.equal(host.munmap(m.addr + 8192n, 1), 0, "length rounded up");
  assert.equal(host.kernel.mem.mappingCount, 0);
});

test("pointer arguments: a struct spanning two adjacent mappings is copied like copy_from_user", () => {
  const { host, vm } = armVm();
  const a = hostMem(host, 4096);
  const b = hostMem(host, 4096);
  assert.equal(b.addr, a.addr + 4096n, "first fit places them adjacently");
  const mem = hostMem(host, 4096);
  const r = region(0, 0, 0n, 0x1000n, mem.addr);
  a.bytes.set(r.subarray(0, 16), 4096 - 16);
  b.bytes.set(r.subarray(16), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, a.addr + 4096n - 16n), 0);
});

test("fds: lowest free number from 3; close gives 0 then -EBADF; numbers are reused", () => {
  const host = createHost({ arch: "arm", cpus: 1 });
  assert.equal(host.open("/dev/kvm"), 3);
  assert.equal(host.open("/dev/kvm"), 4);
  const vm = host.ioctl(3, REQ.KVM_CREATE_VM, 0);
  assert.equal(vm, 5);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0), 6);
  assert.equal(host.close(4), 0);
  assert.equal(host.close(4), -E.EBADF);
  assert.equal(host.close(0), -E.EBADF, "stdio is not ours to close");
  assert.equal(host.close(-1), -E.EBADF);
  assert.equal(host.open("/dev/kvm"), 4, "lowest free again");
  assert.equal(host.ioctl(4, REQ.KVM_GET_API_VERSION), 12);
});

test("closing /dev/kvm leaves its VMs working", () => {
  const { host, kvm, vm } = armVm();
  assert.equal(host.close(kvm), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_CHECK_EXTENSION, 3), 1);
  assert.ok(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0) >= 3);
});

test("closing the VM fd while a vCPU fd is open keeps the VM alive; the last close destroys it", () => {
  const { host, vm } = armVm();
  const mem = hostMem(host, 4096);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, region(0, 0, 0n, 4096n, mem.addr)), 0);
  const cpu = host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0);
  const kvmVm = (host.kernel.fds.get(vm) as VmFile).vm;
  assert.equal(host.close(vm), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_CHECK_EXTENSION, 3), -E.EBADF, "the fd is gone");
  assert.ok(kvmVm.alive);
  assert.equal(kvmVm.memory.lookup(0x10, 0, { region: 0, offset: 0 }), 0 /* RAM */, "memory still there");
  const run = host.mmap(cpu, 8192, 0);
  assert.ok(typeof run !== "number", "vCPU fd still usable");
  assert.equal(host.close(cpu), 0);
  assert.equal(kvmVm.alive, false);
});
