/**
 * PSCI 0.1 / 0.2 / 1.0 and SMCCC 1.1 over the HVC conduit, and the SMC trap, as KVM/ARM handles them
 * for a 32-bit guest (arch/arm/kvm/hyp/hyp-entry.S guest_hvc_trap, virt/kvm/arm/hypercalls.c,
 * virt/kvm/arm/psci.c, arch/arm/kvm/handle_exit.c, v5.4–5.6). Reference kvm-arm32-abi.md §8, §7.
 *
 * Seam with the run loop (run.ts): the core stops with STOP_HVC / STOP_SMC and the PC already past
 * the instruction; `handleHvc(v)` returns 0 (run on) or KVM_SYSTEM_EVENT_SHUTDOWN / _RESET (KVM_RUN
 * returns with that system event). CPU_ON leaves a `pendingReset` on the target, powers it on and
 * kicks it; CPU_SUSPEND asks the run loop to block the caller as WFI does (sleep.ts); CPU_OFF and
 * SYSTEM_OFF/RESET set `powerOff`, which the run loop turns into a sleep.
 *
 * Dispatch, in KVM's order:
 * 1. r0 = ARCH_WORKAROUND_1: the hyp-entry fast path — r0 = 0, r1 = the HSR of the HVC trap,
 *    r2 = ARCH_WORKAROUND_1, r3 unchanged (for every vCPU, whatever its PSCI version).
 * 2. SMCCC_VERSION and SMCCC_ARCH_FEATURES (kvm_hvc_call_handler), for every vCPU.
 * 3. The PSCI handler of the vCPU's version (psciVersionOf): 0.1 (KVM's private ids), 0.2, 1.0.
 * Every call of 2 and 3 writes r0 = result and r1 = r2 = r3 = 0 (smccc_set_retval).
 *
 * The 64-bit CPU_SUSPEND / CPU_ON / AFFINITY_INFO ids are NOT_SUPPORTED for a 32-bit guest, both as
 * calls and as PSCI_FEATURES queries: the kernel change that made the calls fail (§8.2, "v5.6":
 * kvm_psci_check_allowed_function, virt/kvm/arm/psci.c) applies the same check to PSCI_FEATURES' r1.
 * The §8.2 PSCI_FEATURES row ("32/64") describes the kernels before it; tskvm keeps the pair
 * consistent, so a guest is never told a function exists that then answers NOT_SUPPORTED.
 */
import { KVM_SYSTEM_EVENT_RESET, KVM_SYSTEM_EVENT_SHUTDOWN } from "../../abi/exits.js";
import { KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED } from "../../abi/one-reg-arm.js";
import { PSR_E_BIT } from "../../abi/structs/arm.js";
import { KVM_ARM_VCPU_PSCI_0_2 } from "../../abi/structs/vcpu.js";
import { fwRegLevel } from "./reg-list.js";
import { requestVcpuBlock } from "./sleep.js";
import type { ArmVcpu } from "./vcpu.js";

// ---- PSCI versions (PSCI_VERSION(major, minor) = major << 16 | minor; KVM_REG_ARM_PSCI_VERSION values)
export const KVM_ARM_PSCI_0_1 = 0x0000_0001;
export const KVM_ARM_PSCI_0_2 = 0x0000_0002;
export const KVM_ARM_PSCI_1_0 = 0x0001_0000;
/** The version a vCPU with KVM_ARM_VCPU_PSCI_0_2 gets unless the VM forced another one. */
export const KVM_ARM_PSCI_LATEST = KVM_ARM_PSCI_1_0;

// ---- SMCCC (include/linux/arm-smccc.h)
export const ARM_SMCCC_VERSION_FUNC_ID = 0x8000_0000;
export const ARM_SMCCC_ARCH_FEATURES_FUNC_ID = 0x8000_0001;
export const ARM_SMCCC_ARCH_WORKAROUND_1 = 0x8000_8000;
export const ARM_SMCCC_ARCH_WORKAROUND_2 = 0x8000_7fff;
export const ARM_SMCCC_VERSION_1_1 = 0x0001_0001;
export const SMCCC_RET_SUCCESS = 0;
export const SMCCC_RET_NOT_SUPPORTED = -1;
export const SMCCC_RET_NOT_REQUIRED = -2;

// ---- PSCI 0.1: KVM's own function ids (KVM_PSCI_FN(n) = KVM_PSCI_FN_BASE + n)
export const KVM_PSCI_FN_BASE = 0x95c1_ba5e;
export const KVM_PSCI_FN_CPU_SUSPEND = KVM_PSCI_FN_BASE + 0;
export const KVM_PSCI_FN_CPU_OFF = KVM_PSCI_FN_BASE + 1;
export const KVM_PSCI_FN_CPU_ON = KVM_PSCI_FN_BASE + 2;
export const KVM_PSCI_FN_MIGRATE = KVM_PSCI_FN_BASE + 3;

// ---- PSCI 0.2 / 1.0 function ids (include/uapi/linux/psci.h)
export const PSCI_0_2_FN_BASE = 0x8400_0000;
export const PSCI_0_2_64BIT = 0x4000_0000;
export const PSCI_0_2_FN_PSCI_VERSION = PSCI_0_2_FN_BASE + 0;
export const PSCI_0_2_FN_CPU_SUSPEND = PSCI_0_2_FN_BASE + 1;
export const PSCI_0_2_FN_CPU_OFF = PSCI_0_2_FN_BASE + 2;
export const PSCI_0_2_FN_CPU_ON = PSCI_0_2_FN_BASE + 3;
export const PSCI_0_2_FN_AFFINITY_INFO = PSCI_0_2_FN_BASE + 4;
export const PSCI_0_2_FN_MIGRATE = PSCI_0_2_FN_BASE + 5;
export const PSCI_0_2_FN_MIGRATE_INFO_TYPE = PSCI_0_2_FN_BASE + 6;
export const PSCI_0_2_FN_MIGRATE_INFO_UP_CPU = PSCI_0_2_FN_BASE + 7;
export const PSCI_0_2_FN_SYSTEM_OFF = PSCI_0_2_FN_BASE + 8;
export const PSCI_0_2_FN_SYSTEM_RESET = PSCI_0_2_FN_BASE + 9;
export const PSCI_1_0_FN_PSCI_FEATURES = PSCI_0_2_FN_BASE + 10;
export const PSCI_0_2_FN64_CPU_SUSPEND = (PSCI_0_2_FN_CPU_SUSPEND | PSCI_0_2_64BIT) >>> 0;
export const PSCI_0_2_FN64_CPU_ON = (PSCI_0_2_FN_CPU_ON | PSCI_0_2_64BIT) >>> 0;
export const PSCI_0_2_FN64_AFFINITY_INFO = (PSCI_0_2_FN_AFFINITY_INFO | PSCI_0_2_64BIT) >>> 0;

// ---- PSCI return codes and results
export const PSCI_RET_SUCCESS = 0;
export const PSCI_RET_NOT_SUPPORTED = -1;
export const PSCI_RET_INVALID_PARAMS = -2;
export const PSCI_RET_DENIED = -3;
export const PSCI_RET_ALREADY_ON = -4;
export const PSCI_RET_ON_PENDING = -5;
export const PSCI_RET_INTERNAL_FAILURE = -6;
export const PSCI_RET_NOT_PRESENT = -7;
export const PSCI_RET_DISABLED = -8;
export const PSCI_RET_INVALID_ADDRESS = -9;
export const PSCI_0_2_AFFINITY_LEVEL_ON = 0;
export const PSCI_0_2_AFFINITY_LEVEL_OFF = 1;
export const PSCI_0_2_AFFINITY_LEVEL_ON_PENDING = 2;
/** MIGRATE_INFO_TYPE: no Trusted OS that would need migrating (PSCI_0_2_TOS_MP). */
export const PSCI_0_2_TOS_MP = 2;

/** MPIDR_HWID_BITMASK on 32-bit ARM: Aff2..Aff0. */
const MPIDR_HWID_BITMASK = 0x00ff_ffff;

/** HSR of an HVC trap (ARM ARM B3.13.6): EC 0x12 (HVC), IL = 1 (HVC is a 32-bit instruction in A32 and T32), ISS = imm16. */
const HSR_EC_HVC = 0x12;
const HSR_EC_SHIFT = 26;
const HSR_IL = 1 << 25;
export function hvcHsr(imm16: number): number {
  return ((HSR_EC_HVC << HSR_EC_SHIFT) | HSR_IL | (imm16 & 0xffff)) >>> 0;
}

/** kvm_psci_version: 0.1 without the PSCI_0_2 feature; else the VM's forced version, or the latest. */
export function psciVersionOf(v: ArmVcpu): number {
  if ((v.features & (1 << KVM_ARM_VCPU_PSCI_0_2)) === 0) return KVM_ARM_PSCI_0_1;
  return v.vm.psciVersion ?? KVM_ARM_PSCI_LATEST;
}

/** smccc_set_retval(vcpu, r0, 0, 0, 0). */
function setRetval(v: ArmVcpu, r0: number): void {
  const r = v.cpu.regs;
  r[0] = r0;
  r[1] = 0;
  r[2] = 0;
  r[3] = 0;
}

/**
 * A trapped HVC (handle_hvc → kvm_hvc_call_handler). PC is already past the HVC. Returns 0 to keep
 * running, or the KVM_SYSTEM_EVENT_* type KVM_RUN must report.
 */
export function handleHvc(v: ArmVcpu): number {
  const regs = v.cpu.regs;
  const fn = regs[0]! >>> 0;
  if (fn === ARM_SMCCC_ARCH_WORKAROUND_1) {
    // guest_hvc_trap: answered in hyp before the world switch; r3 is left alone.
    regs[0] = 0;
    regs[1] = hvcHsr(v.cpu.stopInfo.imm);
    regs[2] = ARM_SMCCC_ARCH_WORKAROUND_1 | 0;
    return 0;
  }
  if (fn === ARM_SMCCC_VERSION_FUNC_ID) {
    setRetval(v, ARM_SMCCC_VERSION_1_1);
    return 0;
  }
  if (fn === ARM_SMCCC_ARCH_FEATURES_FUNC_ID) {
    setRetval(v, smcccArchFeature(v, regs[1]! >>> 0));
    return 0;
  }
  switch (psciVersionOf(v)) {
    case KVM_ARM_PSCI_0_1:
      return psci01Call(v, fn);
    case KVM_ARM_PSCI_0_2:
      return psci02Call(v, fn);
    default:
      return psci10Call(v, fn);
  }
}

/** A trapped SMC (handle_smc, 4.16+): r0 = 0xFFFFFFFF, nothing else changes; PC is already past it. */
export function handleSmc(v: ArmVcpu): void {
  v.cpu.regs[0] = -1;
}

/**
 * SMCCC_ARCH_FEATURES: WORKAROUND_1 is needed (0) where the host hardens the branch predictor
 * (Cortex-A15), NOT_REQUIRED on a Cortex-A7 — the same per-vCPU level the WORKAROUND_1 firmware
 * register reports (§5.7); WORKAROUND_2 has no SSBD detection on 32-bit ARM (NOT_SUPPORTED).
 */
function smcccArchFeature(v: ArmVcpu, feature: number): number {
  if (feature !== ARM_SMCCC_ARCH_WORKAROUND_1) return SMCCC_RET_NOT_SUPPORTED;
  switch (fwRegLevel(v, 1)) {
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL:
      return SMCCC_RET_SUCCESS;
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED:
      return SMCCC_RET_NOT_REQUIRED;
    default:
      return SMCCC_RET_NOT_SUPPORTED;
  }
}

/** kvm_psci_0_1_call: KVM's private ids; "already on" is INVALID_PARAMS here. */
function psci01Call(v: ArmVcpu, fn: number): number {
  let val: number;
  switch (fn) {
    case KVM_PSCI_FN_CPU_OFF:
      psciCpuOff(v);
      val = PSCI_RET_SUCCESS;
      break;
    case KVM_PSCI_FN_CPU_ON:
      val = psciCpuOn(v);
      break;
    default: // CPU_SUSPEND, MIGRATE and anything else
      val = PSCI_RET_NOT_SUPPORTED;
  }
  setRetval(v, val);
  return 0;
}

/** kvm_psci_1_0_call: PSCI_VERSION and PSCI_FEATURES, everything else as 0.2. */
function psci10Call(v: ArmVcpu, fn: number): number {
  if (fn === PSCI_0_2_FN_PSCI_VERSION) {
    setRetval(v, KVM_ARM_PSCI_1_0);
    return 0;
  }
  if (fn === PSCI_1_0_FN_PSCI_FEATURES) {
    setRetval(v, psciFeature(v.cpu.regs[1]! >>> 0));
    return 0;
  }
  return psci02Call(v, fn);
}

/**
 * PSCI_FEATURES(r1): 0 for the functions KVM implements for a 32-bit guest (§8.2 table without the
 * SMC64 ids, see the header), else NOT_SUPPORTED.
 */
function psciFeature(feature: number): number {
  switch (feature) {
    case PSCI_0_2_FN_PSCI_VERSION:
    case PSCI_0_2_FN_CPU_SUSPEND:
    case PSCI_0_2_FN_CPU_OFF:
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN_AFFINITY_INFO:
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
    case PSCI_0_2_FN_SYSTEM_OFF:
    case PSCI_0_2_FN_SYSTEM_RESET:
    case PSCI_1_0_FN_PSCI_FEATURES:
    case ARM_SMCCC_VERSION_FUNC_ID:
      return PSCI_RET_SUCCESS;
    default:
      return PSCI_RET_NOT_SUPPORTED;
  }
}

/** kvm_psci_0_2_call (also the body of 1.0 mode): PSCI_VERSION answers 0.2 here. */
function psci02Call(v: ArmVcpu, fn: number): number {
  let val: number;
  let event = 0;
  switch (fn) {
    case PSCI_0_2_FN_PSCI_VERSION:
      val = KVM_ARM_PSCI_0_2;
      break;
    case PSCI_0_2_FN_CPU_SUSPEND:
      // kvm_psci_vcpu_suspend: a WFI — the run loop blocks the vCPU until an interrupt is pending.
      requestVcpuBlock(v);
      val = PSCI_RET_SUCCESS;
      break;
    case PSCI_0_2_FN_CPU_OFF:
      psciCpuOff(v);
      val = PSCI_RET_SUCCESS;
      break;
    case PSCI_0_2_FN_CPU_ON:
      val = psciCpuOn(v);
      break;
    case PSCI_0_2_FN_AFFINITY_INFO:
      val = psciAffinityInfo(v);
      break;
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
      val = PSCI_0_2_TOS_MP;
      break;
    case PSCI_0_2_FN_SYSTEM_OFF:
      event = prepareSystemEvent(v, KVM_SYSTEM_EVENT_SHUTDOWN);
      val = PSCI_RET_INTERNAL_FAILURE;
      break;
    case PSCI_0_2_FN_SYSTEM_RESET:
      event = prepareSystemEvent(v, KVM_SYSTEM_EVENT_RESET);
      val = PSCI_RET_INTERNAL_FAILURE;
      break;
    default:
      // MIGRATE, MIGRATE_INFO_UP_CPU, PSCI_FEATURES in 0.2 mode, the 64-bit ids, anything unknown.
      val = PSCI_RET_NOT_SUPPORTED;
  }
  setRetval(v, val);
  return event;
}

/** kvm_psci_vcpu_off: the caller stops; the run loop puts it to sleep before its next instruction. */
function psciCpuOff(v: ArmVcpu): void {
  v.powerOff = true;
  v.kick();
}

/** kvm_mpidr_to_vcpu: the vCPU whose MPIDR affinity (Aff2..Aff0) is `affinity`. */
function vcpuByAffinity(v: ArmVcpu, affinity: number): ArmVcpu | undefined {
  for (const t of v.vm.vcpus) if (((t.mpidr & MPIDR_HWID_BITMASK) >>> 0) === affinity) return t;
  return undefined;
}

/** kvm_psci_vcpu_on (§8.3): r1 target MPIDR, r2 entry point, r3 context id. */
function psciCpuOn(v: ArmVcpu): number {
  const regs = v.cpu.regs;
  const target = vcpuByAffinity(v, (regs[1]! & MPIDR_HWID_BITMASK) >>> 0);
  if (target === undefined) return PSCI_RET_INVALID_PARAMS;
  if (!target.powerOff) return psciVersionOf(v) === KVM_ARM_PSCI_0_1 ? PSCI_RET_INVALID_PARAMS : PSCI_RET_ALREADY_ON;
  const entry = regs[2]! >>> 0;
  target.pendingReset = {
    pc: (entry & ~1) >>> 0,
    r0: regs[3]! | 0,
    thumb: (entry & 1) !== 0,
    bigEndian: (v.cpu.cpsr & PSR_E_BIT) !== 0,
  };
  target.powerOff = false;
  target.kick();
  return PSCI_RET_SUCCESS;
}

/**
 * kvm_psci_vcpu_affinity_info: r1 target affinity, r2 lowest affinity level. Level > 3 is
 * INVALID_PARAMS; the mask keeps the affinity fields at or above the level (level 3 on 32-bit ARM:
 * none, every vCPU matches); any matching vCPU powered on → ON, matches all off → OFF, none → INVALID_PARAMS.
 */
function psciAffinityInfo(v: ArmVcpu): number {
  const regs = v.cpu.regs;
  const level = regs[2]! >>> 0;
  if (level > 3) return PSCI_RET_INVALID_PARAMS;
  const mask = (MPIDR_HWID_BITMASK & ~((2 ** (8 * level)) - 1)) >>> 0;
  const affinity = (regs[1]! & mask) >>> 0;
  let matching = 0;
  for (const t of v.vm.vcpus) {
    if (((t.mpidr & mask) >>> 0) !== affinity) continue;
    matching++;
    if (!t.powerOff) return PSCI_0_2_AFFINITY_LEVEL_ON;
  }
  return matching === 0 ? PSCI_RET_INVALID_PARAMS : PSCI_0_2_AFFINITY_LEVEL_OFF;
}

/**
 * kvm_prepare_system_event (§8.4): every vCPU of the VM is powered off (each sleeps in KVM_RUN until
 * userspace re-INITs it or sets it RUNNABLE) and is kicked; the caller's KVM_RUN reports `type`.
 */
function prepareSystemEvent(v: ArmVcpu, type: number): number {
  for (const t of v.vm.vcpus) {
    t.powerOff = true;
    t.kick();
  }
  return type;
}
