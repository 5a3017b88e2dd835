/**
 * 32-bit ARM ONE_REG ids (arch/arm/include/uapi/asm/kvm.h): core registers, CP15 (32- and 64-bit),
 * VFP, the CCSIDR demux, firmware pseudo-registers and the architected timer. Reference
 * kvm-arm32-abi.md §5.1–§5.7.
 */
import { KVM_REG_ARCH_MASK, KVM_REG_ARM, KVM_REG_SIZE, KVM_REG_SIZE_MASK, KVM_REG_SIZE_U32, KVM_REG_SIZE_U64 } from "./one-reg.js";

export const KVM_REG_ARM_COPROC_MASK = 0x000000000fff0000n;
export const KVM_REG_ARM_COPROC_SHIFT = 16n;
export const KVM_REG_ARM_SECURE_MASK = 0x0000000010000000n;
export const KVM_REG_ARM_32_OPC2_MASK = 0x7n;
export const KVM_REG_ARM_32_OPC2_SHIFT = 0n;
export const KVM_REG_ARM_OPC1_MASK = 0x78n;
export const KVM_REG_ARM_OPC1_SHIFT = 3n;
export const KVM_REG_ARM_CRM_MASK = 0x780n;
export const KVM_REG_ARM_CRM_SHIFT = 7n;
export const KVM_REG_ARM_32_CRN_MASK = 0x7800n;
export const KVM_REG_ARM_32_CRN_SHIFT = 11n;

/** Register groups (value of the coproc field, bits 27..16). */
export const KVM_REG_ARM_CP15 = 15;
export const KVM_REG_ARM_CORE_GROUP = 0x10;
export const KVM_REG_ARM_DEMUX_GROUP = 0x11;
export const KVM_REG_ARM_VFP_GROUP = 0x12;
export const KVM_REG_ARM_FW_GROUP = 0x14;
/** The group fields as they appear in an id (the kernel's names). */
export const KVM_REG_ARM_CORE = 0x10n << KVM_REG_ARM_COPROC_SHIFT;
export const KVM_REG_ARM_DEMUX = 0x11n << KVM_REG_ARM_COPROC_SHIFT;
export const KVM_REG_ARM_VFP = 0x12n << KVM_REG_ARM_COPROC_SHIFT;
export const KVM_REG_ARM_FW = 0x14n << KVM_REG_ARM_COPROC_SHIFT;
const CP15 = 15n << KVM_REG_ARM_COPROC_SHIFT;

// ---- core registers --------------------------------------------------------------------------------
/** Index (= word offset in struct kvm_regs) of each core register, §5.2. */
export const ARM_CORE_INDEX = Object.freeze({
  r0: 0, r1: 1, r2: 2, r3: 3, r4: 4, r5: 5, r6: 6, r7: 7, r8: 8, r9: 9, r10: 10, r11: 11, r12: 12,
  sp_usr: 13, lr_usr: 14, pc: 15, cpsr: 16, ORIG_r0: 17,
  sp_svc: 18, lr_svc: 19, spsr_svc: 20,
  sp_abt: 21, lr_abt: 22, spsr_abt: 23,
  sp_und: 24, lr_und: 25, spsr_und: 26,
  sp_irq: 27, lr_irq: 28, spsr_irq: 29,
  r8_fiq: 30, r9_fiq: 31, r10_fiq: 32, r11_fiq: 33, r12_fiq: 34, sp_fiq: 35, lr_fiq: 36, spsr_fiq: 37,
} as const);
export type ArmCoreRegName = keyof typeof ARM_CORE_INDEX;
export const KVM_ARM_CORE_REG_COUNT = 38;

/** KVM_REG_ARM | U32 | CORE | index. */
export function armCoreReg(index: number): bigint {
  if (!Number.isInteger(index) || index < 0 || index >= KVM_ARM_CORE_REG_COUNT) throw new RangeError(`core index ${index}`);
  return KVM_REG_ARM | KVM_REG_SIZE_U32 | KVM_REG_ARM_CORE | BigInt(index);
}

// ---- CP15 ------------------------------------------------------------------------------------------
const field = (name: string, v: number, max: number): bigint => {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`cp15 ${name} ${v} out of range`);
  return BigInt(v);
};

/** A 32-bit CP15 register (MRC/MCR p15, op1, Rt, CRn, CRm, op2). */
export function armCp15Reg32(op1: number, crn: number, crm: number, op2: number): bigint {
  return KVM_REG_ARM | KVM_REG_SIZE_U32 | CP15 |
    (field("crn", crn, 15) << KVM_REG_ARM_32_CRN_SHIFT) | (field("crm", crm, 15) << KVM_REG_ARM_CRM_SHIFT) |
    (field("op1", op1, 15) << KVM_REG_ARM_OPC1_SHIFT) | (field("op2", op2, 7) << KVM_REG_ARM_32_OPC2_SHIFT);
}

/** A 64-bit CP15 register (MRRC/MCRR p15, op1, Rt, Rt2, CRm). */
export function armCp15Reg64(op1: number, crm: number): bigint {
  return KVM_REG_ARM | KVM_REG_SIZE_U64 | CP15 |
    (field("crm", crm, 15) << KVM_REG_ARM_CRM_SHIFT) | (field("op1", op1, 15) << KVM_REG_ARM_OPC1_SHIFT);
}

// ---- VFP -------------------------------------------------------------------------------------------
export const KVM_REG_ARM_VFP_MASK = 0xffffn;
export const KVM_REG_ARM_VFP_BASE_REG = 0x0;
export const KVM_REG_ARM_VFP_FPSID = 0x1000;
export const KVM_REG_ARM_VFP_FPSCR = 0x1001;
export const KVM_REG_ARM_VFP_MVFR1 = 0x1006;
export const KVM_REG_ARM_VFP_MVFR0 = 0x1007;
export const KVM_REG_ARM_VFP_FPEXC = 0x1008;
export const KVM_REG_ARM_VFP_FPINST = 0x1009;
export const KVM_REG_ARM_VFP_FPINST2 = 0x100a;
const VFP_CONTROL = new Set([
  KVM_REG_ARM_VFP_FPSID, KVM_REG_ARM_VFP_FPSCR, KVM_REG_ARM_VFP_MVFR1, KVM_REG_ARM_VFP_MVFR0,
  KVM_REG_ARM_VFP_FPEXC, KVM_REG_ARM_VFP_FPINST, KVM_REG_ARM_VFP_FPINST2,
]);
export const ARM_VFP_NUM_DREGS = 32;

/** A VFP register by index: D0..D31 (0..31) are U64, the control registers (0x1000..) U32. */
export function armVfpReg(index: number): bigint {
  if (Number.isInteger(index) && index >= 0 && index < ARM_VFP_NUM_DREGS) {
    return KVM_REG_ARM | KVM_REG_SIZE_U64 | KVM_REG_ARM_VFP | BigInt(index);
  }
  if (VFP_CONTROL.has(index)) return KVM_REG_ARM | KVM_REG_SIZE_U32 | KVM_REG_ARM_VFP | BigInt(index);
  throw new RangeError(`VFP index ${index}`);
}
export const armVfpDReg = (n: number): bigint => armVfpReg(KVM_REG_ARM_VFP_BASE_REG + n);
export const KVM_REG_ARM_VFP_FPSID_ID = armVfpReg(KVM_REG_ARM_VFP_FPSID);
export const KVM_REG_ARM_VFP_FPSCR_ID = armVfpReg(KVM_REG_ARM_VFP_FPSCR);
export const KVM_REG_ARM_VFP_MVFR1_ID = armVfpReg(KVM_REG_ARM_VFP_MVFR1);
export const KVM_REG_ARM_VFP_MVFR0_ID = armVfpReg(KVM_REG_ARM_VFP_MVFR0);
export const KVM_REG_ARM_VFP_FPEXC_ID = armVfpReg(KVM_REG_ARM_VFP_FPEXC);
export const KVM_REG_ARM_VFP_FPINST_ID = armVfpReg(KVM_REG_ARM_VFP_FPINST);
export const KVM_REG_ARM_VFP_FPINST2_ID = armVfpReg(KVM_REG_ARM_VFP_FPINST2);

// ---- CCSIDR demux ----------------------------------------------------------------------------------
export const KVM_REG_ARM_DEMUX_ID_MASK = 0xff00n;
export const KVM_REG_ARM_DEMUX_ID_SHIFT = 8n;
export const KVM_REG_ARM_DEMUX_ID_CCSIDR = 0x00;
export const KVM_REG_ARM_DEMUX_VAL_MASK = 0xffn;
export const KVM_REG_ARM_DEMUX_VAL_SHIFT = 0n;

/** The CCSIDR of the cache CSSELR = `csselr` selects (U32). */
export function armDemuxCcsidr(csselr: number): bigint {
  return KVM_REG_ARM | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX |
    (BigInt(KVM_REG_ARM_DEMUX_ID_CCSIDR) << KVM_REG_ARM_DEMUX_ID_SHIFT) | BigInt(field("csselr", csselr, 0xff));
}

// ---- firmware pseudo-registers -----------------------------------------------------------------------
export const KVM_REG_ARM_FW_REG = (r: number): bigint =>
  KVM_REG_ARM | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW | BigInt(r & 0xffff);
export const armFwReg = KVM_REG_ARM_FW_REG;
export const KVM_REG_ARM_PSCI_VERSION = KVM_REG_ARM_FW_REG(0);
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 = KVM_REG_ARM_FW_REG(1);
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2 = KVM_REG_ARM_FW_REG(2);
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_AVAIL = 0;
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL = 1;
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED = 2;
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL = 0;
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN = 1;
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL = 2;
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED = 3;
export const KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED = 1 << 4;

// ---- architected timer -----------------------------------------------------------------------------
export const KVM_REG_ARM_TIMER_CTL = armCp15Reg32(0, 14, 3, 1);
export const KVM_REG_ARM_TIMER_CNT = armCp15Reg64(1, 14);
export const KVM_REG_ARM_TIMER_CVAL = armCp15Reg64(3, 14);
export const KVM_REG_ARM_PTIMER_CTL = armCp15Reg32(0, 14, 2, 1);
export const KVM_REG_ARM_PTIMER_CNT = armCp15Reg64(0, 14);
export const KVM_REG_ARM_PTIMER_CVAL = armCp15Reg64(2, 14);

// ---- decoding --------------------------------------------------------------------------------------
export type ArmRegId =
  | { readonly group: "core"; readonly index: number }
  | { readonly group: "cp15"; readonly is64: boolean; readonly op1: number; readonly crn: number; readonly crm: number; readonly op2: number }
  | { readonly group: "vfp"; readonly index: number }
  | { readonly group: "demux"; readonly demux_id: number; readonly value: number }
  | { readonly group: "fw"; readonly index: number }
  /**
   * `arch`: not an ARM id, or bits 51..32 set (the kernel answers EINVAL); `encoding`: an ARM id no
   * register can have — wrong size for its group, stray bits, unknown group (ENOENT).
   */
  | { readonly group: "invalid"; readonly reason: "arch" | "encoding" };

const ARCH_INVALID: ArmRegId = Object.freeze({ group: "invalid", reason: "arch" });
const ENC_INVALID: ArmRegId = Object.freeze({ group: "invalid", reason: "encoding" });

/**
 * Splits an id into its group and fields, checking only what the encoding itself fixes (size per
 * group, reserved bits, index ranges of §5); whether a well-formed CP15 register exists on a target
 * is the kernel's business.
 */
export function decodeArmRegId(rawId: bigint): ArmRegId {
  const id = BigInt.asUintN(64, rawId);
  if ((id & ~KVM_REG_SIZE_MASK) >> 32n !== KVM_REG_ARM >> 32n) return ARCH_INVALID;
  const size = KVM_REG_SIZE(id);
  const low = Number(id & 0xffffffffn);
  if (low & Number(KVM_REG_ARM_SECURE_MASK)) return ENC_INVALID;
  const group = Number((id & KVM_REG_ARM_COPROC_MASK) >> KVM_REG_ARM_COPROC_SHIFT);
  const rest = low & 0xe000ffff;
  switch (group) {
    case KVM_REG_ARM_CORE_GROUP:
      return size === 4 && rest < KVM_ARM_CORE_REG_COUNT ? { group: "core", index: rest } : ENC_INVALID;
    case KVM_REG_ARM_CP15: {
      if (rest & ~0x7fff) return ENC_INVALID;
      const op2 = rest & 7, op1 = (rest >>> 3) & 0xf, crm = (rest >>> 7) & 0xf, crn = (rest >>> 11) & 0xf;
      if (size === 4) return { group: "cp15", is64: false, op1, crn, crm, op2 };
      if (size === 8 && op2 === 0 && crn === 0) return { group: "cp15", is64: true, op1, crn, crm, op2 };
      return ENC_INVALID;
    }
    case KVM_REG_ARM_VFP_GROUP: {
      if (rest & ~0xffff) return ENC_INVALID;
      if (rest < ARM_VFP_NUM_DREGS) return size === 8 ? { group: "vfp", index: rest } : ENC_INVALID;
      return VFP_CONTROL.has(rest) && size === 4 ? { group: "vfp", index: rest } : ENC_INVALID;
    }
    case KVM_REG_ARM_DEMUX_GROUP: {
      if (size !== 4 || rest & ~0xffff) return ENC_INVALID;
      const demux_id = rest >>> 8;
      return demux_id === KVM_REG_ARM_DEMUX_ID_CCSIDR ? { group: "demux", demux_id, value: rest & 0xff } : ENC_INVALID;
    }
    case KVM_REG_ARM_FW_GROUP:
      return size === 8 && (rest & ~0xffff) === 0 ? { group: "fw", index: rest } : ENC_INVALID;
    default:
      return ENC_INVALID;
  }
}

/** True if the id is a well-formed 32-bit ARM register id of one of the groups above. */
export const isArmRegId = (id: bigint): boolean =>
  (BigInt.asUintN(64, id) & KVM_REG_ARCH_MASK) === KVM_REG_ARM && decodeArmRegId(id).group !== "invalid";
