// Test helpers for the raw interface: request numbers and struct layouts typed in from reference
// kvm-arm32-abi.md §1 and §3 (not taken from src/abi, so the tests check the kernel against the
// reference, not against itself).
import { createHost, type EmulatedKvmHost } from "../../src/kvm/host.js";

/** ARM32 request numbers, reference §1.1–1.3. */
export const REQ = {
  KVM_GET_API_VERSION: 0x0000ae00,
  KVM_CREATE_VM: 0x0000ae01,
  KVM_CHECK_EXTENSION: 0x0000ae03,
  KVM_GET_VCPU_MMAP_SIZE: 0x0000ae04,
  KVM_CREATE_VCPU: 0x0000ae41,
  KVM_GET_DIRTY_LOG: 0x4010ae42,
  KVM_SET_USER_MEMORY_REGION: 0x4020ae46,
  KVM_CREATE_IRQCHIP: 0x0000ae60,
  KVM_ENABLE_CAP: 0x4068aea3,
  KVM_CLEAR_DIRTY_LOG: 0xc018aec0,
  KVM_CREATE_DEVICE: 0xc00caee0,
  KVM_RUN: 0x0000ae80,
  KVM_GET_ONE_REG: 0x4010aeab,
  KVM_ARM_VCPU_INIT: 0x4020aeae,
  KVM_SET_DEVICE_ATTR: 0x4018aee1,
} as const;

export const E = {
  EPERM: 1, ENOENT: 2, EBADF: 9, ENOMEM: 12, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22, ENOTTY: 25,
} as const;

export const KVM_MEM_LOG_DIRTY_PAGES = 1;
export const KVM_MEM_READONLY = 2;

/** struct kvm_userspace_memory_region (32 bytes, §3.1). */
export function region(slot: number, flags: number, gpa: bigint, size: bigint, uaddr: bigint): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setUint32(0, slot, true);
  v.setUint32(4, flags, true);
  v.setBigUint64(8, gpa, true);
  v.setBigUint64(16, size, true);
  v.setBigUint64(24, uaddr, true);
  return b;
}

/** struct kvm_dirty_log (16 bytes, §3.7). */
export function dirtyLog(slot: number, bitmap: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, slot, true);
  v.setBigUint64(8, bitmap, true);
  return b;
}

/** struct kvm_clear_dirty_log (24 bytes, §3.7). */
export function clearLog(slot: number, numPages: number, firstPage: bigint, bitmap: bigint): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, slot, true);
  v.setUint32(4, numPages, true);
  v.setBigUint64(8, firstPage, true);
  v.setBigUint64(16, bitmap, true);
  return b;
}

/** struct kvm_enable_cap (104 bytes, §3.9). */
export function enableCap(cap: number, flags: number, args: bigint[] = []): Uint8Array {
  const b = new Uint8Array(104);
  const v = new DataView(b.buffer);
  v.setUint32(0, cap, true);
  v.setUint32(4, flags, true);
  args.forEach((a, i) => v.setBigUint64(8 + 8 * i, a, true));
  return b;
}

export interface ArmVm {
  host: EmulatedKvmHost;
  kvm: number;
  vm: number;
}

/** A host (ARM, 4 CPUs), /dev/kvm and one VM. */
export function armVm(cpus = 4): ArmVm {
  const host = createHost({ arch: "arm", cpus });
  const kvm = host.open("/dev/kvm");
  const vm = host.ioctl(kvm, REQ.KVM_CREATE_VM, 0);
  if (vm < 0) throw new Error(`KVM_CREATE_VM: ${vm}`);
  return { host, kvm, vm };
}

/** Anonymous host memory; throws if mmap fails. */
export function hostMem(host: EmulatedKvmHost, len: number): { addr: bigint; bytes: Uint8Array } {
  const m = host.mmap(-1, len);
  if (typeof m === "number") throw new Error(`mmap: ${m}`);
  return m;
}
