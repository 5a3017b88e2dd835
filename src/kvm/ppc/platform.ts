/**
 * KVM_PPC_SET_PLATFORM: the 2011 RFC ("[RFC PATCH 17/17] KVM: PPC: Add an ioctl for userspace to
 * select which platform to emulate", Paul Mackerras), which never reached mainline. tskvm implements
 * it as a VM ioctl with the semantics written down in docs/ppc-platform.md; reference kvm-ppc-abi.md
 * §1 (the RFC and what mainline did instead), §8.5/§8.6 (ISA levels, logical PVRs, arch compat).
 *
 * The argument, struct kvm_ppc_set_platform { u16 platform; u16 guest_arch; u32 flags; }, is checked
 * in this order (the first failing rule decides; every rule but the last is -EINVAL):
 *   1. flags outside KVM_PPC_CROSS_ARCH;
 *   2. platform not PV_NONE / PV_KVM / PV_SPAPR;
 *   3. guest_arch (0 = the host's level) not a Power ISA level tskvm knows, or newer than the host's
 *      without KVM_PPC_CROSS_ARCH (mainline's ARCH_COMPAT rule: "not newer than the host");
 *   4. PV_SPAPR on a level that is not 64-bit server, or together with KVM_PPC_CROSS_ARCH (a PAPR
 *      guest kernel runs in supervisor state, which the RFC's CROSS_ARCH forbids);
 *   5. a vCPU already created → -EBUSY (the platform decides how vCPUs are built).
 * Rules 1–4 are a pure function of the argument (`checkPlatform`), so their order is testable.
 */
import { EBUSY, EINVAL } from "../../abi/errno.js";
import { KVM_PPC_CROSS_ARCH, KVM_PPC_PV_KVM, KVM_PPC_PV_NONE, KVM_PPC_PV_SPAPR } from "../../abi/structs/ppc.js";

/** A Power ISA level, as the RFC writes it: decimal major·100 + minor (206 = v2.06, 310 = v3.1). */
export interface PowerIsaLevel {
  readonly level: number;
  /** The processor that introduced it (reference §8.4). */
  readonly cpu: string;
  /** True for a 64-bit server (Book3S-64) level: what PAPR requires. */
  readonly server64: boolean;
  /**
   * The sPAPR logical PVR for the level (reference §8.5: 2.04 0x0F000001 … 3.1 0x0F000006), or null
   * where none is defined (2.01–2.03 predate logical PVRs: a vCPU must report a processor PVR).
   */
  readonly logicalPvr: number | null;
}

/** The levels tskvm's software CPU can present (the brief's list; reference §8.4/§8.5). */
export const POWER_ISA_LEVELS: readonly PowerIsaLevel[] = [
  { level: 201, cpu: "PPC970", server64: true, logicalPvr: null },
  { level: 202, cpu: "POWER5", server64: true, logicalPvr: null },
  { level: 203, cpu: "POWER5+", server64: true, logicalPvr: null },
  { level: 204, cpu: "ISA 2.04", server64: true, logicalPvr: 0x0f000001 },
  { level: 205, cpu: "POWER6", server64: true, logicalPvr: 0x0f000002 },
  { level: 206, cpu: "POWER7", server64: true, logicalPvr: 0x0f000003 },
  { level: 207, cpu: "POWER8", server64: true, logicalPvr: 0x0f000004 },
  { level: 300, cpu: "POWER9", server64: true, logicalPvr: 0x0f000005 },
  { level: 310, cpu: "POWER10", server64: true, logicalPvr: 0x0f000006 },
];

const LEVELS: ReadonlyMap<number, PowerIsaLevel> = new Map(POWER_ISA_LEVELS.map((l) => [l.level, l]));

/** The emulated host CPU is a POWER8: Power ISA 2.07. */
export const PPC_HOST_ISA_LEVEL = 207;

/** The Power ISA level `level`, or undefined if tskvm does not know it. */
export function powerIsaLevel(level: number): PowerIsaLevel | undefined {
  return LEVELS.get(level);
}

/** The argument of KVM_PPC_SET_PLATFORM as read from user memory. */
export interface SetPlatformArgs {
  readonly platform: number;
  readonly guest_arch: number;
  readonly flags: number;
}

/** Which rule refused an argument (docs/ppc-platform.md numbers them 1–4). */
export type PlatformRejection =
  | "flags" // 1: unknown flag bits
  | "platform" // 2: unknown platform
  | "guest_arch" // 3: ISA level unknown to tskvm
  | "newer_than_host" // 3: newer than the host without KVM_PPC_CROSS_ARCH
  | "spapr_level" // 4: PAPR on a level that is not 64-bit server
  | "spapr_cross_arch"; // 4: PAPR together with KVM_PPC_CROSS_ARCH

/** An accepted platform: guest_arch resolved (never 0). */
export interface ResolvedPlatform {
  readonly platform: number;
  readonly guestArch: number;
  readonly crossArch: boolean;
}

/** Rules 1–4 in order: the resolved platform, or the first rule the argument fails. */
export function checkPlatform(a: SetPlatformArgs): ResolvedPlatform | { readonly rejected: PlatformRejection } {
  const flags = a.flags >>> 0;
  if ((flags & ~KVM_PPC_CROSS_ARCH) !== 0) return { rejected: "flags" };
  const crossArch = (flags & KVM_PPC_CROSS_ARCH) !== 0;
  const platform = a.platform;
  if (platform !== KVM_PPC_PV_NONE && platform !== KVM_PPC_PV_KVM && platform !== KVM_PPC_PV_SPAPR) {
    return { rejected: "platform" };
  }
  const guestArch = a.guest_arch === 0 ? PPC_HOST_ISA_LEVEL : a.guest_arch;
  const level = LEVELS.get(guestArch);
  if (level === undefined) return { rejected: "guest_arch" };
  if (guestArch > PPC_HOST_ISA_LEVEL && !crossArch) return { rejected: "newer_than_host" };
  if (platform === KVM_PPC_PV_SPAPR) {
    if (!level.server64) return { rejected: "spapr_level" };
    if (crossArch) return { rejected: "spapr_cross_arch" };
  }
  return { platform, guestArch, crossArch };
}

/**
 * The platform a PPC VM presents, as KVM_PPC_SET_PLATFORM last recorded it. Before any call:
 * PV_NONE, the host's ISA level, no cross-arch.
 */
export class PpcPlatform {
  platform = KVM_PPC_PV_NONE;
  /** The guest's Power ISA level, resolved (0 in the argument means the host's): never 0. */
  guestArch = PPC_HOST_ISA_LEVEL;
  crossArch = false;

  /**
   * KVM_PPC_SET_PLATFORM after copy_from_user: 0, or -EINVAL / -EBUSY. `vcpusCreated` is
   * kvm->created_vcpus; the recorded state changes only on success (replacing an earlier setting).
   */
  set(a: SetPlatformArgs, vcpusCreated: number): number {
    const r = checkPlatform(a);
    if ("rejected" in r) return -EINVAL;
    if (vcpusCreated > 0) return -EBUSY;
    this.platform = r.platform;
    this.guestArch = r.guestArch;
    this.crossArch = r.crossArch;
    return 0;
  }

  /** sPAPR (pseries): sc 1 is a PAPR hypercall; the guest kernel runs in supervisor state. */
  get papr(): boolean {
    return this.platform === KVM_PPC_PV_SPAPR;
  }

  /** KVM's own paravirt interface (kvm_para.h: magic-r0 hypercalls, the magic page). */
  get kvmParavirt(): boolean {
    return this.platform === KVM_PPC_PV_KVM;
  }

  /** The RFC's CROSS_ARCH: a guest of a sufficiently different architecture may not use supervisor state. */
  get supervisorAllowed(): boolean {
    return !this.crossArch;
  }

  /** The logical PVR the vCPUs report for the level, or null for 2.01–2.03 (no logical PVR exists). */
  get logicalPvr(): number | null {
    return LEVELS.get(this.guestArch)?.logicalPvr ?? null;
  }
}
