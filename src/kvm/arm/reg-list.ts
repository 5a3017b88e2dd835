/**
 * KVM_GET_REG_LIST content for a 32-bit ARM vCPU (arch/arm/kvm/guest.c kvm_arm_copy_reg_indices and
 * coproc.c kvm_arm_copy_coproc_indices, v5.3–5.6), reference kvm-arm32-abi.md §6.1:
 *
 *   core (38) · firmware (3) · timer CTL/CNT/CVAL (3) · invariant CP15 (21) · saved CP15 (29, sorted)
 *   · VFP D0..D31 then FPEXC, FPSCR, FPINST, FPINST2, MVFR0, MVFR1, FPSID (39) · CCSIDR (3)
 *
 * = 136 on a Cortex-A15 or Cortex-A7 vCPU (both have NEON's 32 D registers and two cache levels).
 * The CP15 blocks come from the core's table (kvmCp15Registers), never from a second list.
 * Also the per-vCPU values ONE_REG needs beside the table: FPSID/MVFR per model, the firmware
 * workaround levels, the CCSIDR selectors CLIDR makes valid.
 */
import {
  KVM_REG_ARM_PSCI_VERSION, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL,
  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2,
  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN, KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CVAL,
  KVM_REG_ARM_VFP_FPEXC, KVM_REG_ARM_VFP_FPINST, KVM_REG_ARM_VFP_FPINST2, KVM_REG_ARM_VFP_FPSCR, KVM_REG_ARM_VFP_FPSID,
  KVM_REG_ARM_VFP_MVFR0, KVM_REG_ARM_VFP_MVFR1, armCoreReg, armDemuxCcsidr, armVfpReg,
} from "../../abi/one-reg-arm.js";
import type { ArmCpu } from "../../arch/arm/cpu.js";
import { kvmCp15Id, kvmCp15Registers } from "../../arch/arm/cp15/table.js";
import { FPSID_CORTEX_A15, FPSID_CORTEX_A7, MVFR0_VFPV4_D32, MVFR1_WITH_NEON } from "../../arch/arm/vfp/fpscr.js";
import type { ArmVcpu } from "./vcpu.js";

/** MVFR0 / MVFR1 of both cores (VFPv4-D32 with NEON), §6.2. */
export const MVFR0_VALUE = MVFR0_VFPV4_D32;
export const MVFR1_VALUE = MVFR1_WITH_NEON;
/** CSSELR values 0..11 can name a cache (CSSELR_MAX). */
const CSSELR_MAX = 12;

export function fpsidOf(cpu: ArmCpu): number {
  return cpu.model === "cortex-a7" ? FPSID_CORTEX_A7 : FPSID_CORTEX_A15;
}

/** num_fp_regs: 32 D registers when MVFR0.A_SIMD_registers is 2, else 16. */
export function vfpDRegCount(_cpu: ArmCpu): number {
  return (MVFR0_VALUE & 0xf) === 2 ? 32 : 16;
}

/**
 * The firmware workaround level (§5.7) of this vCPU: WORKAROUND_1 is AVAIL on a Cortex-A15 (branch
 * predictor hardening) and NOT_REQUIRED on a Cortex-A7; WORKAROUND_2 is UNKNOWN on 32-bit ARM.
 * KVM reads the host CPU; with mixed targets (big.LITTLE) tskvm answers for the vCPU's own core.
 */
export function fwRegLevel(v: ArmVcpu, workaround: 1 | 2): number {
  if (workaround === 2) return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN;
  return v.cpu.model === "cortex-a7" ? KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED : KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL;
}

/** is_valid_cache: the selector names a cache CLIDR describes (bit 0 I/D, bits 3..1 level − 1). */
export function validCcsidrSelector(cpu: ArmCpu, sel: number): boolean {
  if (sel >= CSSELR_MAX) return false;
  const levels = cpu.cp15Model.clidr & ((1 << 21) - 1);
  const ctype = (levels >>> ((sel >>> 1) * 3)) & 7;
  switch (ctype) {
    case 1: return (sel & 1) !== 0; // instruction only
    case 2: // data only
    case 4: return (sel & 1) === 0; // unified
    case 3: return true; // separate I and D
    default: return false; // none, or reserved
  }
}

/** The ids of KVM_GET_REG_LIST, in the kernel's order (§6.1). */
export function regList(v: ArmVcpu): bigint[] {
  const cpu = v.cpu;
  const ids: bigint[] = [];
  for (let i = 0; i < 38; i++) ids.push(armCoreReg(i));
  ids.push(KVM_REG_ARM_PSCI_VERSION, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2);
  ids.push(KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_TIMER_CVAL);
  const { invariant, saved } = kvmCp15Registers();
  for (const r of invariant) ids.push(kvmCp15Id(r));
  for (const r of saved) ids.push(kvmCp15Id(r));
  const nd = vfpDRegCount(cpu);
  for (let i = 0; i < nd; i++) ids.push(armVfpReg(i));
  for (const c of [KVM_REG_ARM_VFP_FPEXC, KVM_REG_ARM_VFP_FPSCR, KVM_REG_ARM_VFP_FPINST, KVM_REG_ARM_VFP_FPINST2,
    KVM_REG_ARM_VFP_MVFR0, KVM_REG_ARM_VFP_MVFR1, KVM_REG_ARM_VFP_FPSID]) ids.push(armVfpReg(c));
  for (let sel = 0; sel < CSSELR_MAX; sel++) if (validCcsidrSelector(cpu, sel)) ids.push(armDemuxCcsidr(sel));
  return ids;
}
