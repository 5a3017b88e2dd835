/**
 * Every KVM ioctl request this project knows, as data: name, direction, number and argument size on
 * each host. The numeric values follow from the host's ioctl encoding (ioctl.ts); reference
 * kvm-arm32-abi.md §1 and kvm-ppc-abi.md §1.4 list the expected values, which the tests check.
 */
import { GENERIC_IOCTL, POWERPC_IOCTL, _IOC, type IoctlEncoding } from "./ioctl.js";

export const KVMIO = 0xae;
export const KVM_API_VERSION = 12;

type Dir = "none" | "r" | "w" | "rw";
/** Argument sizes: [ARM32 EABI, ppc64]. `null` where the request does not exist on that host. */
interface RequestSpec {
  readonly dir: Dir;
  readonly nr: number;
  readonly arm: number | null;
  readonly ppc: number | null;
}

const spec = (dir: Dir, nr: number, arm: number | null, ppc: number | null = arm): RequestSpec =>
  ({ dir, nr, arm, ppc });

/** The request table. Sizes are those of the argument struct on each host (structs/*.ts). */
export const REQUEST_SPECS = {
  // system ioctls
  KVM_GET_API_VERSION: spec("none", 0x00, 0),
  KVM_CREATE_VM: spec("none", 0x01, 0),
  KVM_CHECK_EXTENSION: spec("none", 0x03, 0),
  KVM_GET_VCPU_MMAP_SIZE: spec("none", 0x04, 0),
  // VM ioctls
  KVM_CREATE_VCPU: spec("none", 0x41, 0),
  KVM_GET_DIRTY_LOG: spec("w", 0x42, 16),
  KVM_SET_USER_MEMORY_REGION: spec("w", 0x46, 32),
  KVM_CREATE_IRQCHIP: spec("none", 0x60, 0),
  KVM_IRQ_LINE: spec("w", 0x61, 8),
  KVM_IRQ_LINE_STATUS: spec("rw", 0x67, 8),
  KVM_REGISTER_COALESCED_MMIO: spec("w", 0x67, 16),
  KVM_UNREGISTER_COALESCED_MMIO: spec("w", 0x68, 16),
  KVM_SET_GSI_ROUTING: spec("w", 0x6a, 8),
  KVM_IRQFD: spec("w", 0x76, 32),
  KVM_IOEVENTFD: spec("w", 0x79, 64),
  KVM_ENABLE_CAP: spec("w", 0xa3, 104),
  KVM_SIGNAL_MSI: spec("w", 0xa5, 32),
  KVM_ARM_SET_DEVICE_ADDR: spec("w", 0xab, 16, null),
  KVM_ARM_PREFERRED_TARGET: spec("r", 0xaf, 32, null),
  KVM_CLEAR_DIRTY_LOG: spec("rw", 0xc0, 24),
  KVM_CREATE_DEVICE: spec("rw", 0xe0, 12),
  // vCPU ioctls
  KVM_RUN: spec("none", 0x80, 0),
  KVM_GET_REGS: spec("r", 0x81, 152, 392),
  KVM_SET_REGS: spec("w", 0x82, 152, 392),
  KVM_GET_SREGS: spec("r", 0x83, 0, 1232),
  KVM_SET_SREGS: spec("w", 0x84, 0, 1232),
  KVM_TRANSLATE: spec("rw", 0x85, 24),
  KVM_INTERRUPT: spec("w", 0x86, 4),
  KVM_SET_SIGNAL_MASK: spec("w", 0x8b, 4),
  KVM_GET_FPU: spec("r", 0x8c, 0, 256),
  KVM_SET_FPU: spec("w", 0x8d, 0, 256),
  KVM_GET_MP_STATE: spec("r", 0x98, 4),
  KVM_SET_MP_STATE: spec("w", 0x99, 4),
  KVM_SET_GUEST_DEBUG: spec("w", 0x9b, 8, 264),
  KVM_GET_VCPU_EVENTS: spec("r", 0x9f, 64, null),
  KVM_SET_VCPU_EVENTS: spec("w", 0xa0, 64, null),
  KVM_GET_ONE_REG: spec("w", 0xab, 16),
  KVM_SET_ONE_REG: spec("w", 0xac, 16),
  KVM_ARM_VCPU_INIT: spec("w", 0xae, 32, null),
  KVM_GET_REG_LIST: spec("rw", 0xb0, 8, null),
  KVM_ARM_VCPU_FINALIZE: spec("w", 0xc2, 4, null),
  // device ioctls (also on vCPU fds on ARM)
  KVM_SET_DEVICE_ATTR: spec("w", 0xe1, 24),
  KVM_GET_DEVICE_ATTR: spec("w", 0xe2, 24),
  KVM_HAS_DEVICE_ATTR: spec("w", 0xe3, 24),
  // PowerPC VM ioctls
  KVM_PPC_GET_PVINFO: spec("w", 0xa1, null, 128),
  KVM_PPC_GET_SMMU_INFO: spec("r", 0xa6, null, 592),
  KVM_PPC_ALLOCATE_HTAB: spec("rw", 0xa7, null, 4),
  KVM_CREATE_SPAPR_TCE: spec("w", 0xa8, null, 16),
  KVM_CREATE_SPAPR_TCE_64: spec("w", 0xa8, null, 32),
  KVM_ALLOCATE_RMA: spec("r", 0xa9, null, 8),
  KVM_PPC_GET_HTAB_FD: spec("w", 0xaa, null, 32),
  KVM_DIRTY_TLB: spec("w", 0xaa, null, 16),
  KVM_PPC_RTAS_DEFINE_TOKEN: spec("w", 0xac, null, 128),
  KVM_PPC_RESIZE_HPT_PREPARE: spec("r", 0xad, null, 16),
  KVM_PPC_RESIZE_HPT_COMMIT: spec("r", 0xae, null, 16),
  KVM_PPC_CONFIGURE_V3_MMU: spec("w", 0xaf, null, 16),
  KVM_PPC_GET_RMMU_INFO: spec("w", 0xb0, null, 96),
  KVM_PPC_GET_CPU_CHAR: spec("r", 0xb1, null, 32),
  KVM_PPC_SVM_OFF: spec("none", 0xb3, null, 0),
  /**
   * KVM_PPC_SET_PLATFORM (2011 RFC, never merged; reference kvm-ppc-abi.md §1.2: its number was not
   * recoverable). tskvm's choice: _IOW(KVMIO, 0xf0, struct kvm_ppc_set_platform). Checked against
   * mainline include/uapi/linux/kvm.h: KVMIO numbers run 0x00–0xd5 and 0xe0–0xe3, nothing at 0xf0
   * (only out-of-tree patches — VMI, PASID and TDX-stepping proposals — ever used 0xf0), so it cannot
   * collide with a real request on either encoding.
   */
  KVM_PPC_SET_PLATFORM: spec("w", 0xf0, null, 8),
} as const satisfies Record<string, RequestSpec>;

export type KvmRequestName = keyof typeof REQUEST_SPECS;
export type KvmRequests = Readonly<Record<KvmRequestName, number>>;

function dirBits(enc: IoctlEncoding, dir: Dir): number {
  switch (dir) {
    case "none": return enc.NONE;
    case "r": return enc.READ;
    case "w": return enc.WRITE;
    case "rw": return enc.READ | enc.WRITE;
  }
}

/** Computes the request numbers of every request on a host with this encoding and struct sizes. */
export function buildRequests(enc: IoctlEncoding, host: "arm" | "ppc"): KvmRequests {
  const out: Record<string, number> = {};
  for (const [name, s] of Object.entries(REQUEST_SPECS) as [KvmRequestName, RequestSpec][]) {
    const size = s[host] ?? s.arm ?? s.ppc ?? 0;
    out[name] = _IOC(enc, dirBits(enc, s.dir), KVMIO, s.nr, size);
  }
  return Object.freeze(out) as KvmRequests;
}

/** Request numbers as a 32-bit ARM host sees them (generic encoding, ARM EABI struct sizes). */
export const ARM_REQUESTS: KvmRequests = buildRequests(GENERIC_IOCTL, "arm");
/** Request numbers as a 64-bit PowerPC host sees them (powerpc encoding, ppc64 struct sizes). */
export const PPC_REQUESTS: KvmRequests = buildRequests(POWERPC_IOCTL, "ppc");

/** True if this request exists on the given host (some are ARM-only or PowerPC-only). */
export function requestExists(name: KvmRequestName, host: "arm" | "ppc"): boolean {
  return REQUEST_SPECS[name][host] !== null;
}

/** Names of the requests with this value on the host (a value may have several: see §1.2 note). */
export function requestNames(requests: KvmRequests, value: number): KvmRequestName[] {
  const v = value >>> 0;
  return (Object.keys(requests) as KvmRequestName[]).filter((n) => requests[n] === v);
}
