/**
 * KVM on a 64-bit PowerPC (Book3S) host, modelled as Book3S **PR** KVM: the guest runs under the
 * emulated CPU in problem state, as kvm-pr.ko does, and there is no HV module. Reference
 * kvm-ppc-abi.md §1.3 (machine types), §4.5 (capabilities).
 *
 * Choices, documented:
 * - KVM_CREATE_VM type: 0 (default: HV if loaded, else PR → PR here) and 2 (KVM_VM_PPC_PR) succeed;
 *   1 (KVM_VM_PPC_HV) is -EINVAL ("requested flavour not loaded"), anything else -EINVAL.
 * - Capabilities: §4.5's "PR", "Book3S", "Book3S-64" and unconditional rows are 1; "HV", BookE/e500,
 *   in-kernel MPIC/XICS/XIVE, and host-hardware rows (HWRNG, HTM, radix, ultravisor) are 0.
 *   PPC_SMT reports 0 (PR keeps no SMT mode), PPC_SMT_POSSIBLE 1 (vsmt 1 only).
 * - KVM_MAX_VCPUS = NR_CPUS = 2048 (Debian's ppc64el config); KVM_MAX_VCPU_ID = MAX_SMT_THREADS (8) ×
 *   KVM_MAX_VCORES (NR_CPUS) = 16384 (arch/powerpc/include/asm/kvm_host.h, Book3S-64).
 * - KVM_USER_MEM_SLOTS = 512; no __KVM_HAVE_READONLY_MEM (KVM_MEM_READONLY is -EINVAL); no
 *   KVM_GENERIC_DIRTYLOG_READ_PROTECT (MANUAL_DIRTY_LOG_PROTECT2 reports 0, KVM_CLEAR_DIRTY_LOG -EINVAL).
 *
 * - VM ioctl KVM_PPC_SET_PLATFORM (the 2011 RFC, tskvm's request number): platform.ts and
 *   docs/ppc-platform.md. No capability announces it (the RFC proposed none); KVM_CHECK_EXTENSION's
 *   answers describe the host and do not change with the platform chosen.
 *
 * vCPU ioctls (SREGS, ONE_REG, KVM_RUN over the PowerPC core, PAPR) belong to the PowerPC work; until
 * then they are unknown (-EINVAL).
 */
import { EFAULT, EINVAL } from "../../abi/errno.js";
import {
  KVM_CAP_COALESCED_MMIO,
  KVM_CAP_DEVICE_CTRL,
  KVM_CAP_ENABLE_CAP,
  KVM_CAP_IMMEDIATE_EXIT,
  KVM_CAP_IOEVENTFD,
  KVM_CAP_MAX_VCPUS,
  KVM_CAP_MAX_VCPU_ID,
  KVM_CAP_NR_MEMSLOTS,
  KVM_CAP_NR_VCPUS,
  KVM_CAP_ONE_REG,
  KVM_CAP_PPC_ENABLE_HCALL,
  KVM_CAP_PPC_FIXUP_HCALL,
  KVM_CAP_PPC_GET_CPU_CHAR,
  KVM_CAP_PPC_GET_PVINFO,
  KVM_CAP_PPC_GET_SMMU_INFO,
  KVM_CAP_PPC_GUEST_DEBUG_SSTEP,
  KVM_CAP_PPC_HIOR,
  KVM_CAP_PPC_IRQ_LEVEL,
  KVM_CAP_PPC_OSI,
  KVM_CAP_PPC_PAIRED_SINGLES,
  KVM_CAP_PPC_PAPR,
  KVM_CAP_PPC_RTAS,
  KVM_CAP_PPC_SEGSTATE,
  KVM_CAP_PPC_SMT_POSSIBLE,
  KVM_CAP_PPC_UNSET_IRQ,
  KVM_CAP_SPAPR_MULTITCE,
  KVM_CAP_SPAPR_TCE,
  KVM_CAP_SPAPR_TCE_64,
  KVM_CAP_SYNC_MMU,
} from "../../abi/capabilities.js";
import { POWERPC_IOCTL } from "../../abi/ioctl.js";
import { PPC_REQUESTS } from "../../abi/requests.js";
import { KVM_COALESCED_MMIO_PAGE_OFFSET, KVM_MEM_LOG_DIRTY_PAGES } from "../../abi/structs/memory.js";
import { kvm_ppc_set_platform } from "../../abi/structs/ppc.js";
import type { KvmArch, KvmArchVcpu, KvmArchVm } from "../arch.js";
import { PPC64_TASK_SIZE } from "../host-memory.js";
import { viewOf, type IoctlArg } from "../uaccess.js";
import type { KvmVm } from "../vm.js";
import { PpcPlatform } from "./platform.js";

export const KVM_VM_PPC_HV = 1;
export const KVM_VM_PPC_PR = 2;
export const PPC_KVM_MAX_VCPUS = 2048;
export const PPC_KVM_MAX_VCPU_ID = 8 * PPC_KVM_MAX_VCPUS;
export const PPC_KVM_USER_MEM_SLOTS = 512;

const PPC_PR_CAPS_ONE: ReadonlySet<number> = new Set([
  KVM_CAP_PPC_SEGSTATE,
  KVM_CAP_PPC_PAIRED_SINGLES,
  KVM_CAP_PPC_OSI,
  KVM_CAP_PPC_UNSET_IRQ,
  KVM_CAP_ENABLE_CAP,
  KVM_CAP_PPC_GET_PVINFO,
  KVM_CAP_PPC_IRQ_LEVEL,
  KVM_CAP_SPAPR_TCE,
  KVM_CAP_PPC_HIOR,
  KVM_CAP_PPC_PAPR,
  KVM_CAP_ONE_REG,
  KVM_CAP_PPC_GET_SMMU_INFO,
  KVM_CAP_PPC_RTAS,
  KVM_CAP_SPAPR_MULTITCE,
  KVM_CAP_PPC_FIXUP_HCALL,
  KVM_CAP_PPC_ENABLE_HCALL,
  KVM_CAP_SPAPR_TCE_64,
  KVM_CAP_IMMEDIATE_EXIT,
  KVM_CAP_PPC_SMT_POSSIBLE,
  KVM_CAP_PPC_GET_CPU_CHAR,
  KVM_CAP_PPC_GUEST_DEBUG_SSTEP,
  KVM_CAP_SYNC_MMU,
  KVM_CAP_IOEVENTFD,
  KVM_CAP_DEVICE_CTRL,
]);

/** Per-VM Book3S PR state (kvm->arch): the platform chosen with KVM_PPC_SET_PLATFORM, more to come. */
export class PpcVm implements KvmArchVm {
  readonly maxVcpus = PPC_KVM_MAX_VCPU_ID;
  /** What KVM_PPC_SET_PLATFORM recorded (defaults: PV_NONE, the host's ISA level, no cross-arch). */
  readonly platformState = new PpcPlatform();

  constructor(private readonly vm: KvmVm) {}

  /** KVM_PPC_PV_NONE / _KVM / _SPAPR. */
  get platform(): number {
    return this.platformState.platform;
  }

  /** The guest's Power ISA level (e.g. 206), resolved: never 0. */
  get guestArch(): number {
    return this.platformState.guestArch;
  }

  get crossArch(): boolean {
    return this.platformState.crossArch;
  }

  get papr(): boolean {
    return this.platformState.papr;
  }

  get kvmParavirt(): boolean {
    return this.platformState.kvmParavirt;
  }

  get supervisorAllowed(): boolean {
    return this.platformState.supervisorAllowed;
  }

  /** The logical PVR the vCPUs will report (null for ISA 2.01–2.03, which have none). */
  get logicalPvr(): number | null {
    return this.platformState.logicalPvr;
  }

  prepareMemoryRegion(): number {
    return 0;
  }

  vcpuPrecreate(): number {
    return 0;
  }

  createVcpu(): KvmArchVcpu {
    return { ioctl: () => undefined, destroy: () => {} };
  }

  deviceOps(): undefined {
    return undefined;
  }

  ioctl(request: number, arg: IoctlArg): number | undefined {
    if (request !== PPC_REQUESTS.KVM_PPC_SET_PLATFORM) return undefined;
    const bytes = arg.copyIn(kvm_ppc_set_platform.size);
    if (bytes === null) return -EFAULT;
    // kvm->created_vcpus: KvmVm never shrinks its vCPU list (a closed vCPU fd keeps its vCPU).
    return this.platformState.set(kvm_ppc_set_platform.read(viewOf(bytes)), this.vm.vcpus.length);
  }

  enableCap(): number {
    return -EINVAL;
  }

  destroy(): void {}
}

export function createPpcArch(options: { cpus?: number } = {}): KvmArch {
  const cpus = options.cpus ?? 1;
  return {
    name: "ppc",
    encoding: POWERPC_IOCTL,
    requests: PPC_REQUESTS,
    longBits: 64,
    taskSize: PPC64_TASK_SIZE,
    userMemSlots: PPC_KVM_USER_MEM_SLOTS,
    memFlags: KVM_MEM_LOG_DIRTY_PAGES,
    maxVcpus: PPC_KVM_MAX_VCPUS,
    maxVcpuId: PPC_KVM_MAX_VCPU_ID,
    dirtyLogManualProtect: false,
    checkExtension(cap) {
      if (PPC_PR_CAPS_ONE.has(cap)) return 1;
      switch (cap) {
        case KVM_CAP_NR_VCPUS:
          return cpus;
        case KVM_CAP_MAX_VCPUS:
          return PPC_KVM_MAX_VCPUS;
        case KVM_CAP_MAX_VCPU_ID:
          return PPC_KVM_MAX_VCPU_ID;
        case KVM_CAP_NR_MEMSLOTS:
          return PPC_KVM_USER_MEM_SLOTS;
        case KVM_CAP_COALESCED_MMIO:
          return KVM_COALESCED_MMIO_PAGE_OFFSET;
      }
      return 0;
    },
    createVm(type, vm) {
      return type === 0n || type === BigInt(KVM_VM_PPC_PR) ? new PpcVm(vm) : -EINVAL;
    },
  };
}
