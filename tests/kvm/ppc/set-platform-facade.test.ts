// VmFd.ppcSetPlatform end to end over the emulated kernel: success, KvmError codes, ARM hosts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost } from "../../../src/kvm/index.js";
import { VmFile } from "../../../src/kvm/vm.js";
import { PpcVm } from "../../../src/kvm/ppc/index.js";
import { Kvm, KvmError } from "../../../src/facade/index.js";

const isErr = (code: string) => (e: unknown): boolean =>
  e instanceof KvmError && e.code === code && e.ioctl === "KVM_PPC_SET_PLATFORM";

test("ppc: ppcSetPlatform records the platform; bad arguments EINVAL, after a vCPU EBUSY", () => {
  const host = createHost({ arch: "ppc", cpus: 2 });
  const kvm = Kvm.open(host);
  const vm = kvm.createVm();
  const arch = (host.kernel.fds.get(vm.fd) as VmFile).vm.arch as PpcVm;
  vm.ppcSetPlatform({ platform: 2, guest_arch: 206 });
  assert.deepEqual([arch.platform, arch.guestArch, arch.papr, arch.logicalPvr], [2, 206, true, 0x0f000003]);
  vm.ppcSetPlatform({ platform: 1 });
  assert.deepEqual([arch.platform, arch.guestArch, arch.kvmParavirt], [1, 207, true], "guest_arch omitted = host's");
  vm.ppcSetPlatform({ platform: 0, guest_arch: 310, flags: 1 });
  assert.deepEqual([arch.guestArch, arch.crossArch, arch.supervisorAllowed], [310, true, false]);
  assert.throws(() => vm.ppcSetPlatform({ platform: 2, guest_arch: 206, flags: 1 }), isErr("EINVAL"));
  assert.throws(() => vm.ppcSetPlatform({ platform: 0, guest_arch: 310 }), isErr("EINVAL"));
  assert.throws(() => vm.ppcSetPlatform({ platform: 9, guest_arch: 206 }), isErr("EINVAL"));
  assert.throws(() => vm.ppcSetPlatform({ platform: 0, guest_arch: 206, flags: 4 }), isErr("EINVAL"));
  assert.deepEqual([arch.platform, arch.guestArch, arch.crossArch], [0, 310, true], "unchanged by failures");
  vm.createVcpu(0);
  assert.throws(() => vm.ppcSetPlatform({ platform: 2, guest_arch: 206 }), isErr("EBUSY"));
  kvm.close();
});

test("arm: ppcSetPlatform is an unknown VM ioctl (EINVAL)", () => {
  const kvm = Kvm.open(createHost({ arch: "arm", cpus: 2 }));
  const vm = kvm.createVm();
  assert.throws(() => vm.ppcSetPlatform({ platform: 0, guest_arch: 0 }), isErr("EINVAL"));
  kvm.close();
});
