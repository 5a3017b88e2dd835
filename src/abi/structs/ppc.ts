/**
 * PowerPC (ppc64 host) structs of the KVM ABI: kvm_regs, kvm_sregs (Book3S and BookE arms), kvm_fpu,
 * the 2011 kvm_ppc_set_platform proposal and the PowerPC VM-ioctl structs. Reference kvm-ppc-abi.md
 * §1.1, §1.4, §2, §4.4, §5.2, §7.4; layouts the reference only sizes follow arch/powerpc/include/uapi/
 * asm/kvm.h with natural alignment.
 */
import { defineStruct } from "../struct.js";

/** struct kvm_regs (392 bytes, all u64). */
export const kvm_regs = defineStruct("kvm_regs", 392, [
  { name: "pc", offset: 0, type: "u64" },
  { name: "cr", offset: 8, type: "u64" },
  { name: "ctr", offset: 16, type: "u64" },
  { name: "lr", offset: 24, type: "u64" },
  { name: "xer", offset: 32, type: "u64" },
  { name: "msr", offset: 40, type: "u64" },
  { name: "srr0", offset: 48, type: "u64" },
  { name: "srr1", offset: 56, type: "u64" },
  { name: "pid", offset: 64, type: "u64" },
  { name: "sprg0", offset: 72, type: "u64" },
  { name: "sprg1", offset: 80, type: "u64" },
  { name: "sprg2", offset: 88, type: "u64" },
  { name: "sprg3", offset: 96, type: "u64" },
  { name: "sprg4", offset: 104, type: "u64" },
  { name: "sprg5", offset: 112, type: "u64" },
  { name: "sprg6", offset: 120, type: "u64" },
  { name: "sprg7", offset: 128, type: "u64" },
  { name: "gpr", offset: 136, type: "u64", count: 32 },
] as const);

export const KVM_SREGS_SIZE = 1232;
/** Book3S arm offsets: slb[i].slbe / slbv, sr[i], ibat[i], dbat[i]. */
export const KVM_SREGS_PVR = 0;
export const KVM_SREGS_S_SDR1 = 8;
export const KVM_SREGS_S_SLB = 16;
export const KVM_SREGS_S_SR = 1040;
export const KVM_SREGS_S_IBAT = 1104;
export const KVM_SREGS_S_DBAT = 1168;
export const KVM_SREGS_NUM_SLB = 64;
export const kvmSregsSlbe = (i: number): number => KVM_SREGS_S_SLB + 16 * i;
export const kvmSregsSlbv = (i: number): number => KVM_SREGS_S_SLB + 16 * i + 8;
/** The valid bit in an slbe (ESID) word. */
export const SLB_ESID_V = 0x08000000n;

/**
 * struct kvm_sregs, Book3S arm (u.s). `slb` is the array of 64 {slbe, slbv} pairs as 128 u64 words:
 * slb[2i] = slb[i].slbe, slb[2i+1] = slb[i].slbv.
 */
export const kvm_sregs = defineStruct("kvm_sregs", KVM_SREGS_SIZE, [
  { name: "pvr", offset: KVM_SREGS_PVR, type: "u32" },
  { name: "sdr1", offset: KVM_SREGS_S_SDR1, type: "u64" },
  { name: "slb", offset: KVM_SREGS_S_SLB, type: "u64", count: 2 * KVM_SREGS_NUM_SLB },
  { name: "sr", offset: KVM_SREGS_S_SR, type: "u32", count: 16 },
  { name: "ibat", offset: KVM_SREGS_S_IBAT, type: "u64", count: 8 },
  { name: "dbat", offset: KVM_SREGS_S_DBAT, type: "u64", count: 8 },
] as const);

/** struct kvm_sregs, BookE arm (u.e); `impl.fsl.*` fields are prefixed `fsl_`. */
export const kvm_sregs_booke = defineStruct("kvm_sregs", KVM_SREGS_SIZE, [
  { name: "pvr", offset: 0, type: "u32" },
  { name: "fsl_features", offset: 8, type: "u32" },
  { name: "fsl_svr", offset: 12, type: "u32" },
  { name: "fsl_mcar", offset: 16, type: "u64" },
  { name: "fsl_hid0", offset: 24, type: "u32" },
  { name: "fsl_pid1", offset: 28, type: "u32" },
  { name: "fsl_pid2", offset: 32, type: "u32" },
  { name: "features", offset: 264, type: "u32" },
  { name: "impl_id", offset: 268, type: "u32" },
  { name: "update_special", offset: 272, type: "u32" },
  { name: "pir", offset: 276, type: "u32" },
  { name: "sprg8", offset: 280, type: "u64" },
  { name: "sprg9", offset: 288, type: "u64" },
  { name: "csrr0", offset: 296, type: "u64" },
  { name: "dsrr0", offset: 304, type: "u64" },
  { name: "mcsrr0", offset: 312, type: "u64" },
  { name: "csrr1", offset: 320, type: "u32" },
  { name: "dsrr1", offset: 324, type: "u32" },
  { name: "mcsrr1", offset: 328, type: "u32" },
  { name: "esr", offset: 332, type: "u32" },
  { name: "dear", offset: 336, type: "u64" },
  { name: "ivpr", offset: 344, type: "u64" },
  { name: "mcivpr", offset: 352, type: "u64" },
  { name: "mcsr", offset: 360, type: "u64" },
  { name: "tsr", offset: 368, type: "u32" },
  { name: "tcr", offset: 372, type: "u32" },
  { name: "decar", offset: 376, type: "u32" },
  { name: "dec", offset: 380, type: "u32" },
  { name: "tb", offset: 384, type: "u64" },
  { name: "dbsr", offset: 392, type: "u32" },
  { name: "dbcr", offset: 396, type: "u32", count: 3 },
  { name: "iac", offset: 408, type: "u32", count: 4 },
  { name: "dac", offset: 424, type: "u32", count: 2 },
  { name: "dvc", offset: 432, type: "u32", count: 2 },
  { name: "num_iac", offset: 440, type: "u8" },
  { name: "num_dac", offset: 441, type: "u8" },
  { name: "num_dvc", offset: 442, type: "u8" },
  { name: "epr", offset: 444, type: "u32" },
  { name: "vrsave", offset: 448, type: "u32" },
  { name: "epcr", offset: 452, type: "u32" },
  { name: "mas0", offset: 456, type: "u32" },
  { name: "mas1", offset: 460, type: "u32" },
  { name: "mas2", offset: 464, type: "u64" },
  { name: "mas7_3", offset: 472, type: "u64" },
  { name: "mas4", offset: 480, type: "u32" },
  { name: "mas6", offset: 484, type: "u32" },
  { name: "ivor_low", offset: 488, type: "u32", count: 16 },
  { name: "ivor_high", offset: 552, type: "u32", count: 18 },
  { name: "mmucfg", offset: 624, type: "u32" },
  { name: "eptcfg", offset: 628, type: "u32" },
  { name: "tlbcfg", offset: 632, type: "u32", count: 4 },
  { name: "tlbps", offset: 648, type: "u32", count: 4 },
  { name: "eplc", offset: 664, type: "u32" },
  { name: "epsc", offset: 668, type: "u32" },
] as const);

export const KVM_SREGS_E_BASE = 1 << 0;
export const KVM_SREGS_E_ARCH206 = 1 << 1;
export const KVM_SREGS_E_64 = 1 << 2;
export const KVM_SREGS_E_SPRG8 = 1 << 3;
export const KVM_SREGS_E_MCIVPR = 1 << 4;
export const KVM_SREGS_E_IVOR = 1 << 5;
export const KVM_SREGS_E_ARCH206_MMU = 1 << 6;
export const KVM_SREGS_E_DEBUG = 1 << 7;
export const KVM_SREGS_E_ED = 1 << 8;
export const KVM_SREGS_E_SPE = 1 << 9;
export const KVM_SREGS_EXP = 1 << 10;
export const KVM_SREGS_E_PD = 1 << 11;
export const KVM_SREGS_E_PC = 1 << 12;
export const KVM_SREGS_E_PT = 1 << 13;
export const KVM_SREGS_E_PM = 1 << 14;
export const KVM_SREGS_E_FSL_PIDn = 1 << 0;
export const KVM_SREGS_E_UPDATE_MCSR = 1 << 0;
export const KVM_SREGS_E_UPDATE_TSR = 1 << 1;
export const KVM_SREGS_E_UPDATE_DEC = 1 << 2;
export const KVM_SREGS_E_UPDATE_DBSR = 1 << 3;

/** struct kvm_fpu (256 bytes); KVM_GET/SET_FPU are EOPNOTSUPP on Book3S. */
export const kvm_fpu = defineStruct("kvm_fpu", 256, [{ name: "fpr", offset: 0, type: "u64", count: 32 }] as const);

/** KVM_PPC_SET_PLATFORM (2011 RFC, tskvm's request number: requests.ts). */
export const kvm_ppc_set_platform = defineStruct("kvm_ppc_set_platform", 8, [
  { name: "platform", offset: 0, type: "u16" },
  { name: "guest_arch", offset: 2, type: "u16" },
  { name: "flags", offset: 4, type: "u32" },
] as const);
export const KVM_PPC_PV_NONE = 0;
export const KVM_PPC_PV_KVM = 1;
export const KVM_PPC_PV_SPAPR = 2;
export const KVM_PPC_CROSS_ARCH = 1;

/** KVM_PPC_GET_PVINFO (128 bytes). hcall[] words are big-endian in memory. */
export const kvm_ppc_pvinfo = defineStruct("kvm_ppc_pvinfo", 128, [
  { name: "flags", offset: 0, type: "u32" },
  { name: "hcall", offset: 4, type: "u32", count: 4 },
  { name: "pad", offset: 20, type: "bytes", count: 108 },
] as const);
export const KVM_PPC_PVINFO_FLAGS_EV_IDLE = 1 << 0;

/** KVM_PPC_GET_SMMU_INFO (592 bytes): sps[i] at 16 + 72·i, each {page_shift, slb_enc, enc[8]{page_shift, pte_enc}}. */
export const kvm_ppc_smmu_info = defineStruct("kvm_ppc_smmu_info", 592, [
  { name: "flags", offset: 0, type: "u64" },
  { name: "slb_size", offset: 8, type: "u32" },
  { name: "data_keys", offset: 12, type: "u16" },
  { name: "instr_keys", offset: 14, type: "u16" },
  { name: "sps", offset: 16, type: "u32", count: 8 * 18 },
] as const);
export const KVM_PPC_PAGE_SIZES_MAX_SZ = 8;
export const KVM_PPC_ONE_PAGE_SIZE_SIZE = 72;
export const KVM_PPC_PAGE_SIZES_REAL = 0x00000001;
export const KVM_PPC_1T_SEGMENTS = 0x00000002;
export const KVM_PPC_NO_HASH = 0x00000004;

/** KVM_PPC_RTAS_DEFINE_TOKEN (128 bytes): NUL-terminated service name, token (0 = unbind). */
export const kvm_rtas_token_args = defineStruct("kvm_rtas_token_args", 128, [
  { name: "name", offset: 0, type: "bytes", count: 120 },
  { name: "token", offset: 120, type: "u64" },
] as const);

export const kvm_create_spapr_tce = defineStruct("kvm_create_spapr_tce", 16, [
  { name: "liobn", offset: 0, type: "u64" },
  { name: "window_size", offset: 8, type: "u32" },
] as const);
export const kvm_create_spapr_tce_64 = defineStruct("kvm_create_spapr_tce_64", 32, [
  { name: "liobn", offset: 0, type: "u64" },
  { name: "page_shift", offset: 8, type: "u32" },
  { name: "flags", offset: 12, type: "u32" },
  { name: "offset", offset: 16, type: "u64" },
  { name: "size", offset: 24, type: "u64" },
] as const);
export const kvm_allocate_rma = defineStruct("kvm_allocate_rma", 8, [{ name: "rma_size", offset: 0, type: "u64" }] as const);
export const kvm_get_htab_fd = defineStruct("kvm_get_htab_fd", 32, [
  { name: "flags", offset: 0, type: "u64" },
  { name: "start_index", offset: 8, type: "u64" },
  { name: "reserved", offset: 16, type: "u64", count: 2 },
] as const);
export const KVM_GET_HTAB_BOLTED_ONLY = 1n << 0n;
export const KVM_GET_HTAB_WRITE = 1n << 1n;
export const kvm_ppc_mmuv3_cfg = defineStruct("kvm_ppc_mmuv3_cfg", 16, [
  { name: "flags", offset: 0, type: "u64" },
  { name: "process_table", offset: 8, type: "u64" },
] as const);
export const KVM_PPC_MMUV3_RADIX = 1;
export const KVM_PPC_MMUV3_GTSE = 2;
/** geometries[8] of {u8 page_shift, u8 level_bits[4], u8 pad[3]} then u32 ap_encodings[8]. */
export const kvm_ppc_rmmu_info = defineStruct("kvm_ppc_rmmu_info", 96, [
  { name: "geometries", offset: 0, type: "bytes", count: 64 },
  { name: "ap_encodings", offset: 64, type: "u32", count: 8 },
] as const);
export const kvm_ppc_cpu_char = defineStruct("kvm_ppc_cpu_char", 32, [
  { name: "character", offset: 0, type: "u64" },
  { name: "behaviour", offset: 8, type: "u64" },
  { name: "character_mask", offset: 16, type: "u64" },
  { name: "behaviour_mask", offset: 24, type: "u64" },
] as const);
export const kvm_ppc_resize_hpt = defineStruct("kvm_ppc_resize_hpt", 16, [
  { name: "flags", offset: 0, type: "u64" },
  { name: "shift", offset: 8, type: "u32" },
  { name: "pad", offset: 12, type: "u32" },
] as const);
export const kvm_dirty_tlb = defineStruct("kvm_dirty_tlb", 16, [
  { name: "bitmap", offset: 0, type: "u64" },
  { name: "num_dirty", offset: 8, type: "u32" },
] as const);

/** PowerPC struct kvm_guest_debug (264 bytes): bp[i] at 8 + 16·i = {addr u64, type u32, reserved u32}. */
export const kvm_guest_debug_ppc = defineStruct("kvm_guest_debug", 264, [
  { name: "control", offset: 0, type: "u32" },
  { name: "pad", offset: 4, type: "u32" },
  { name: "bp", offset: 8, type: "bytes", count: 256 },
] as const);
export const KVMPPC_DEBUG_NUM_BP = 16;
/** Offsets of bp[i].addr (u64) and bp[i].type (u32) within kvm_guest_debug. */
export const kvmGuestDebugBpAddr = (i: number): number => 8 + 16 * i;
export const kvmGuestDebugBpType = (i: number): number => 8 + 16 * i + 8;

/** KVM_CREATE_VM machine types on PowerPC. */
export const KVM_VM_PPC_HV = 1;
export const KVM_VM_PPC_PR = 2;
/** Legacy KVM_CPU_* ids. */
export const KVM_CPU_440 = 1;
export const KVM_CPU_E500V2 = 2;
export const KVM_CPU_3S_32 = 3;
export const KVM_CPU_3S_64 = 4;
export const KVM_CPU_E500MC = 5;
