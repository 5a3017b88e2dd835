/**
 * ARM32 `struct kvm_regs` (arch/arm/include/uapi/asm/kvm.h), 152 bytes = 38 32-bit words: pt_regs
 * usr_regs (uregs[18]: r0..r15, cpsr, ORIG_r0), then SP/LR/SPSR of SVC, ABT, UND and IRQ, then the FIQ
 * bank r8..r14 + SPSR_fiq. Reference kvm-arm32-abi.md §5.2. ONE_REG core index = byte offset / 4.
 *
 * KVM_GET/SET_REGS is EINVAL on ARM32 (§4.5); this layout exists for the ONE_REG core indices.
 */
import { defineStruct } from "../struct.js";

export const kvm_regs = defineStruct("kvm_regs", 152, [
  { name: "usr_regs", offset: 0, type: "u32", count: 18 },
  { name: "svc_regs", offset: 72, type: "u32", count: 3 },
  { name: "abt_regs", offset: 84, type: "u32", count: 3 },
  { name: "und_regs", offset: 96, type: "u32", count: 3 },
  { name: "irq_regs", offset: 108, type: "u32", count: 3 },
  { name: "fiq_regs", offset: 120, type: "u32", count: 8 },
] as const);

/** Number of 32-bit words in kvm_regs (valid core-register indices are 0..37). */
export const KVM_ARM_NUM_CORE_REGS = 38;

/** Index of uregs[n] in pt_regs (arch/arm/include/uapi/asm/ptrace.h). */
export const ARM_pc = 15;
export const ARM_cpsr = 16;
export const ARM_ORIG_r0 = 17;

/** CPSR mode field values a core-register CPSR write accepts (§5.2), and the rest for reference. */
export const USR_MODE = 0x10;
export const FIQ_MODE = 0x11;
export const IRQ_MODE = 0x12;
export const SVC_MODE = 0x13;
export const MON_MODE = 0x16;
export const ABT_MODE = 0x17;
export const HYP_MODE = 0x1a;
export const UND_MODE = 0x1b;
export const SYSTEM_MODE = 0x1f;
export const MODE_MASK = 0x1f;
export const PSR_T_BIT = 0x20;
export const PSR_F_BIT = 0x40;
export const PSR_I_BIT = 0x80;
export const PSR_A_BIT = 0x100;
export const PSR_E_BIT = 0x200;
/** CPSR after vCPU reset: SVC, A/I/F masked (§7). */
export const KVM_ARM_RESET_CPSR = SVC_MODE | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT;
