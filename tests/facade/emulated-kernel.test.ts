// The facade over the real emulated kernel (createHost): the generic KVM paths that exist today.
// Expected values from kvm-arm32-abi.md §2–3 and kvm-ppc-abi.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost } from "../../src/kvm/index.js";
import { Kvm, KvmError } from "../../src/facade/index.js";
import { KVM_CAP_NR_MEMSLOTS, KVM_CAP_ONE_REG, KVM_CAP_USER_MEMORY } from "../../src/abi/capabilities.js";
import { KVM_MEM_LOG_DIRTY_PAGES } from "../../src/abi/structs/memory.js";

const isErr = (code: string, ioctl?: string) => (e: unknown): boolean =>
  e instanceof KvmError && e.code === code && (ioctl === undefined || e.ioctl === ioctl);

for (const arch of ["arm", "ppc"] as const) {
  test(`${arch}: system ioctls through the facade (§2)`, () => {
    const kvm = Kvm.open(createHost({ arch, cpus: 2 }));
    assert.equal(kvm.getApiVersion(), 12);
    assert.equal(kvm.getVcpuMmapSize(), 8192);
    assert.equal(kvm.checkExtension(KVM_CAP_USER_MEMORY), 1);
    assert.equal(kvm.checkExtension(KVM_CAP_ONE_REG), 1);
    if (arch === "arm") assert.equal(kvm.checkExtension(KVM_CAP_NR_MEMSLOTS), 32); // §2.4
    assert.throws(() => kvm.createVm(7), isErr("EINVAL", "KVM_CREATE_VM"));
    kvm.close();
  });

  test(`${arch}: memory slots, overlap, dirty log without logging, vCPU creation and kvm_run mapping`, () => {
    const host = createHost({ arch, cpus: 2 });
    const kvm = Kvm.open(host);
    const vm = kvm.createVm();
    const mem = host.mmap(-1, 0x10000);
    assert.ok(typeof mem !== "number");
    vm.setUserMemoryRegion({ slot: 0, guest_phys_addr: 0x4000_0000n, memory_size: 0x10000, userspace_addr: mem.addr });
    // overlapping a populated slot → EEXIST (§3.1 check 12)
    assert.throws(
      () => vm.setUserMemoryRegion({ slot: 1, guest_phys_addr: 0x4000_8000n, memory_size: 0x10000, userspace_addr: mem.addr }),
      isErr("EEXIST", "KVM_SET_USER_MEMORY_REGION"),
    );
    // memory_size not a multiple of 4096 → EINVAL (check 3)
    assert.throws(
      () => vm.setUserMemoryRegion({ slot: 2, guest_phys_addr: 0x5000_0000n, memory_size: 0x800, userspace_addr: mem.addr }),
      isErr("EINVAL"),
    );
    // a slot without LOG_DIRTY_PAGES has no bitmap → ENOENT (§3.7)
    assert.throws(() => vm.getDirtyLog(0, 0x10000), isErr("ENOENT", "KVM_GET_DIRTY_LOG"));
    const mem2 = host.mmap(-1, 0x10000);
    assert.ok(typeof mem2 !== "number");
    vm.setUserMemoryRegion({ slot: 3, flags: KVM_MEM_LOG_DIRTY_PAGES, guest_phys_addr: 0x6000_0000n, memory_size: 0x10000, userspace_addr: mem2.addr });
    assert.deepEqual([...vm.getDirtyLog(3, 0x10000)], new Array(8).fill(0));
    const vcpu = vm.createVcpu(0);
    assert.throws(() => vm.createVcpu(0), isErr("EEXIST", "KVM_CREATE_VCPU"));
    const run = vcpu.getRun();
    assert.equal(run.bytes.length, 8192);
    assert.equal(run.immediate_exit, 0);
    vcpu.close();
    vm.close();
    kvm.close();
  });
}
