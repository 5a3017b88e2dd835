// KVM_PPC_SET_PLATFORM through the raw interface of a PowerPC host (tskvm's definition of the 2011 RFC,
// docs/ppc-platform.md). Request numbers and the struct layout are typed in from reference
// kvm-ppc-abi.md §1.1/§1.4 (powerpc _IOW of the 8-byte struct = 0x8008AE00 | nr, tskvm's nr 0xf0), the
// logical PVRs from §8.5, not taken from src/abi.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost, type EmulatedKvmHost } from "../../../src/kvm/host.js";
import { VmFile } from "../../../src/kvm/vm.js";
import { PpcVm } from "../../../src/kvm/ppc/index.js";
import { kvm_ppc_set_platform } from "../../../src/abi/structs/ppc.js";
import { E } from "../raw.js";

/** powerpc encoding: dir (NONE 1, WRITE 4) << 29 | size << 16 | 0xAE << 8 | nr (§1.4). */
const PPC = {
  KVM_CREATE_VM: 0x2000ae01,
  KVM_CHECK_EXTENSION: 0x2000ae03,
  KVM_CREATE_VCPU: 0x2000ae41,
  KVM_PPC_SET_PLATFORM: 0x8008aef0,
} as const;
/** The same request under the generic (ARM) encoding: WRITE 1 << 30 | 8 << 16 | 0xAEF0. */
const ARM_SET_PLATFORM = 0x4008aef0;

const PV_NONE = 0, PV_KVM = 1, PV_SPAPR = 2, CROSS_ARCH = 1;
const HOST_LEVEL = 207; // POWER8
/** Logical PVRs, reference §8.5 (2.04 from the "Other logical PVR" line); 2.01–2.03 have none. */
const LOGICAL_PVR: Record<number, number | null> = {
  201: null, 202: null, 203: null,
  204: 0x0f000001, 205: 0x0f000002, 206: 0x0f000003, 207: 0x0f000004, 300: 0x0f000005, 310: 0x0f000006,
};
const LEVELS = Object.keys(LOGICAL_PVR).map(Number);

/** struct kvm_ppc_set_platform by hand, §1.1: u16 platform @0, u16 guest_arch @2, u32 flags @4 (LE host). */
function platformBytes(platform: number, guest_arch: number, flags: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint16(0, platform, true);
  v.setUint16(2, guest_arch, true);
  v.setUint32(4, flags >>> 0, true);
  return b;
}

/** The same struct built by the codec (what VMMs using src/abi do). */
function codecBytes(platform: number, guest_arch: number, flags: number): Uint8Array {
  const b = new Uint8Array(kvm_ppc_set_platform.size);
  kvm_ppc_set_platform.write(new DataView(b.buffer), { platform, guest_arch, flags });
  return b;
}

interface PpcFixture {
  host: EmulatedKvmHost;
  kvm: number;
  vm: number;
  arch: PpcVm;
  set(platform: number, guest_arch: number, flags: number): number;
}

function ppcVm(): PpcFixture {
  const host = createHost({ arch: "ppc", cpus: 2 });
  const kvm = host.open("/dev/kvm");
  const vm = host.ioctl(kvm, PPC.KVM_CREATE_VM, 0);
  assert.ok(vm >= 0, `KVM_CREATE_VM: ${vm}`);
  const arch = (host.kernel.fds.get(vm) as VmFile).vm.arch as PpcVm;
  const set = (p: number, g: number, f: number): number => host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, codecBytes(p, g, f));
  return { host, kvm, vm, arch, set };
}

const state = (a: PpcVm) => ({
  platform: a.platform, guestArch: a.guestArch, crossArch: a.crossArch, papr: a.papr,
  kvmParavirt: a.kvmParavirt, supervisorAllowed: a.supervisorAllowed, logicalPvr: a.logicalPvr,
});

test("codec bytes match the RFC layout (8 bytes: u16, u16, u32)", () => {
  assert.equal(kvm_ppc_set_platform.size, 8);
  for (const [p, g, f] of [[2, 206, 1], [0xffff, 0xabcd, 0x80000001], [1, 0, 0]] as const) {
    assert.deepEqual(codecBytes(p, g, f), platformBytes(p, g, f));
  }
});

test("default before any call: PV_NONE, the host's level (2.07, POWER8), no cross-arch", () => {
  const { arch } = ppcVm();
  assert.deepEqual(state(arch), {
    platform: PV_NONE, guestArch: HOST_LEVEL, crossArch: false, papr: false,
    kvmParavirt: false, supervisorAllowed: true, logicalPvr: 0x0f000004,
  });
});

test("every platform at every level not newer than the host, without CROSS_ARCH: 0, recorded", () => {
  for (const platform of [PV_NONE, PV_KVM, PV_SPAPR]) {
    for (const level of LEVELS.filter((l) => l <= HOST_LEVEL)) {
      const { host, vm, arch } = ppcVm();
      assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, platformBytes(platform, level, 0)), 0, `${platform}/${level}`);
      assert.deepEqual(state(arch), {
        platform, guestArch: level, crossArch: false, papr: platform === PV_SPAPR,
        kvmParavirt: platform === PV_KVM, supervisorAllowed: true, logicalPvr: LOGICAL_PVR[level],
      });
    }
  }
});

test("guest_arch 0 resolves to the host's level (207), never recorded as 0", () => {
  const { set, arch } = ppcVm();
  assert.equal(set(PV_KVM, 205, 0), 0);
  assert.equal(set(PV_SPAPR, 0, 0), 0);
  assert.equal(arch.guestArch, 207);
  assert.equal(arch.logicalPvr, 0x0f000004);
  assert.equal(set(PV_NONE, 0, CROSS_ARCH), 0);
  assert.deepEqual([arch.guestArch, arch.crossArch, arch.supervisorAllowed], [207, true, false]);
});

test("levels newer than the host: -EINVAL without CROSS_ARCH, accepted with it (not for SPAPR)", () => {
  for (const level of [300, 310]) {
    for (const platform of [PV_NONE, PV_KVM, PV_SPAPR]) {
      assert.equal(ppcVm().set(platform, level, 0), -E.EINVAL, `${platform}/${level} without CROSS_ARCH`);
    }
    for (const platform of [PV_NONE, PV_KVM]) {
      const { set, arch } = ppcVm();
      assert.equal(set(platform, level, CROSS_ARCH), 0);
      assert.deepEqual(state(arch), {
        platform, guestArch: level, crossArch: true, papr: false, kvmParavirt: platform === PV_KVM,
        supervisorAllowed: false, logicalPvr: LOGICAL_PVR[level],
      });
    }
  }
});

test("CROSS_ARCH at or below the host's level is accepted for NONE and KVM", () => {
  for (const level of [201, 206, 207]) {
    const { set, arch } = ppcVm();
    assert.equal(set(PV_KVM, level, CROSS_ARCH), 0);
    assert.deepEqual([arch.guestArch, arch.crossArch, arch.supervisorAllowed], [level, true, false]);
  }
});

test("rule 1: flag bits other than KVM_PPC_CROSS_ARCH are -EINVAL", () => {
  for (const flags of [2, 3, 0x80000000, 0xfffffffe, 0xffffffff, 0x100]) {
    assert.equal(ppcVm().set(PV_NONE, 206, flags), -E.EINVAL, `flags ${flags.toString(16)}`);
  }
});

test("rule 2: platforms other than 0, 1, 2 are -EINVAL", () => {
  for (const platform of [3, 4, 0x100, 0xffff]) assert.equal(ppcVm().set(platform, 206, 0), -E.EINVAL, `platform ${platform}`);
});

test("rule 3: ISA levels tskvm does not know are -EINVAL, also with CROSS_ARCH", () => {
  for (const level of [1, 100, 200, 208, 209, 299, 301, 311, 320, 400, 0xffff]) {
    assert.equal(ppcVm().set(PV_NONE, level, 0), -E.EINVAL, `level ${level}`);
    assert.equal(ppcVm().set(PV_NONE, level, CROSS_ARCH), -E.EINVAL, `level ${level} cross`);
  }
});

test("rule 4: PV_SPAPR together with CROSS_ARCH is -EINVAL at every level", () => {
  for (const level of [0, ...LEVELS]) assert.equal(ppcVm().set(PV_SPAPR, level, CROSS_ARCH), -E.EINVAL, `level ${level}`);
});

/** Inputs that each fail exactly one rule (1–4), with a vCPU-free VM. */
const ONE_RULE: readonly (readonly [string, number, number, number])[] = [
  ["1 flags", PV_NONE, 206, 2],
  ["2 platform", 3, 206, 0],
  ["3 unknown level", PV_KVM, 208, 0],
  ["3 newer than host", PV_NONE, 300, 0],
  ["4 spapr+cross", PV_SPAPR, 206, CROSS_ARCH],
];

test("inputs failing exactly one rule are -EINVAL and leave the recorded platform unchanged", () => {
  const { set, arch } = ppcVm();
  assert.equal(set(PV_KVM, 205, 0), 0);
  const before = state(arch);
  for (const [name, p, g, f] of ONE_RULE) {
    assert.equal(set(p, g, f), -E.EINVAL, name);
    assert.deepEqual(state(arch), before, name);
  }
});

test("rule 5: -EBUSY once a vCPU exists; argument checks come first; closing the vCPU does not help", () => {
  const { host, vm, set, arch } = ppcVm();
  assert.equal(set(PV_SPAPR, 206, 0), 0);
  assert.equal(host.ioctl(vm, PPC.KVM_CREATE_VCPU, 20000), -E.EINVAL, "id >= KVM_MAX_VCPU_ID: no vCPU");
  assert.equal(set(PV_SPAPR, 205, 0), 0, "a failed KVM_CREATE_VCPU does not count");
  const cpu = host.ioctl(vm, PPC.KVM_CREATE_VCPU, 0);
  assert.ok(cpu >= 0);
  assert.equal(set(PV_KVM, 206, 0), -E.EBUSY);
  assert.equal(set(PV_SPAPR, 205, 0), -E.EBUSY, "even the current setting");
  for (const [name, p, g, f] of ONE_RULE) assert.equal(set(p, g, f), -E.EINVAL, `${name} before EBUSY`);
  assert.equal(host.close(cpu), 0);
  assert.equal(set(PV_KVM, 206, 0), -E.EBUSY, "created_vcpus does not drop when the fd closes");
  assert.deepEqual([arch.platform, arch.guestArch], [PV_SPAPR, 205]);
});

test("a later call replaces the earlier setting entirely", () => {
  const { set, arch } = ppcVm();
  assert.equal(set(PV_SPAPR, 206, 0), 0);
  assert.deepEqual([arch.platform, arch.guestArch, arch.crossArch, arch.papr], [PV_SPAPR, 206, false, true]);
  assert.equal(set(PV_KVM, 310, CROSS_ARCH), 0);
  assert.deepEqual(state(arch), {
    platform: PV_KVM, guestArch: 310, crossArch: true, papr: false, kvmParavirt: true,
    supervisorAllowed: false, logicalPvr: 0x0f000006,
  });
  assert.equal(set(PV_NONE, 0, 0), 0);
  assert.deepEqual(state(arch), {
    platform: PV_NONE, guestArch: 207, crossArch: false, papr: false, kvmParavirt: false,
    supervisorAllowed: true, logicalPvr: 0x0f000004,
  });
});

test("the struct through a host-address pointer (bigint and number), and -EFAULT for bad pointers", () => {
  const { host, vm, arch } = ppcVm();
  const m = host.mmap(-1, 4096);
  assert.ok(typeof m !== "number");
  m.bytes.set(platformBytes(PV_SPAPR, 206, 0), 128);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, m.addr + 128n), 0);
  assert.deepEqual([arch.platform, arch.guestArch], [PV_SPAPR, 206]);
  m.bytes.set(platformBytes(PV_KVM, 204, 0), 4088);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, Number(m.addr) + 4088), 0, "last 8 bytes of the page");
  assert.deepEqual([arch.platform, arch.guestArch, arch.logicalPvr], [PV_KVM, 204, 0x0f000001]);
  // a struct crossing the end of the mapping, NULL, an unmapped address, a 7-byte buffer
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, m.addr + 4092n), -E.EFAULT);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, 0), -E.EFAULT);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, undefined), -E.EFAULT);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, 0x10n), -E.EFAULT);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, new Uint8Array(7)), -E.EFAULT);
  assert.equal(host.munmap(m.addr, 4096), 0);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, m.addr + 128n), -E.EFAULT, "after munmap");
  assert.deepEqual([arch.platform, arch.guestArch], [PV_KVM, 204], "failed copies change nothing");
  // EFAULT comes before EBUSY (copy_from_user first)
  assert.ok(host.ioctl(vm, PPC.KVM_CREATE_VCPU, 0) >= 0);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, 0), -E.EFAULT);
});

test("the platform is per VM", () => {
  const host = createHost({ arch: "ppc" });
  const kvm = host.open("/dev/kvm");
  const a = host.ioctl(kvm, PPC.KVM_CREATE_VM, 0);
  const b = host.ioctl(kvm, PPC.KVM_CREATE_VM, 2); // KVM_VM_PPC_PR
  assert.equal(host.ioctl(a, PPC.KVM_PPC_SET_PLATFORM, platformBytes(PV_SPAPR, 206, 0)), 0);
  const archOf = (fd: number) => (host.kernel.fds.get(fd) as VmFile).vm.arch as PpcVm;
  assert.deepEqual([archOf(a).platform, archOf(b).platform, archOf(b).guestArch], [PV_SPAPR, PV_NONE, 207]);
  assert.ok(host.ioctl(b, PPC.KVM_CREATE_VCPU, 0) >= 0);
  assert.equal(host.ioctl(a, PPC.KVM_PPC_SET_PLATFORM, platformBytes(PV_KVM, 205, 0)), 0, "b's vCPU is not a's");
});

test("it is a VM ioctl: /dev/kvm and vCPU fds answer -EINVAL", () => {
  const { host, kvm, vm } = ppcVm();
  const cpu = host.ioctl(vm, PPC.KVM_CREATE_VCPU, 0);
  const arg = platformBytes(PV_KVM, 206, 0);
  assert.equal(host.ioctl(kvm, PPC.KVM_PPC_SET_PLATFORM, arg), -E.EINVAL);
  assert.equal(host.ioctl(cpu, PPC.KVM_PPC_SET_PLATFORM, arg), -E.EINVAL);
});

test("no capability announces it: KVM_CHECK_EXTENSION answers do not depend on the platform", () => {
  const { host, kvm, vm, set } = ppcVm();
  const sweep = (fd: number) => Array.from({ length: 260 }, (_, cap) => host.ioctl(fd, PPC.KVM_CHECK_EXTENSION, cap));
  const sys = sweep(kvm), vmCaps = sweep(vm);
  for (const [p, g, f] of [[PV_SPAPR, 206, 0], [PV_KVM, 310, CROSS_ARCH], [PV_NONE, 201, 0]] as const) {
    assert.equal(set(p, g, f), 0);
    assert.deepEqual(sweep(vm), vmCaps, `vm fd after ${p}/${g}/${f}`);
    assert.deepEqual(sweep(kvm), sys, `/dev/kvm after ${p}/${g}/${f}`);
  }
});

test("an ARM host has no such request: -EINVAL for either encoding's number", () => {
  const host = createHost({ arch: "arm" });
  const kvm = host.open("/dev/kvm");
  const vm = host.ioctl(kvm, 0x0000ae01, 0);
  assert.ok(vm >= 0);
  assert.equal(host.ioctl(vm, ARM_SET_PLATFORM, platformBytes(PV_NONE, 0, 0)), -E.EINVAL);
  assert.equal(host.ioctl(vm, PPC.KVM_PPC_SET_PLATFORM, platformBytes(PV_NONE, 0, 0)), -E.EINVAL);
});
