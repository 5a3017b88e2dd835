/**
 * PowerPC ONE_REG ids (arch/powerpc/include/uapi/asm/kvm.h), reference kvm-ppc-abi.md §3. The id is
 * KVM_REG_PPC | size class | register number; transactional-memory checkpointed state lives in the
 * KVM_REG_PPC_TM space (number | 0x80000000).
 */
import {
  KVM_REG_PPC, KVM_REG_SIZE_U128, KVM_REG_SIZE_U32, KVM_REG_SIZE_U64,
} from "./one-reg.js";

const u32 = (n: number): bigint => KVM_REG_PPC | KVM_REG_SIZE_U32 | BigInt(n);
const u64 = (n: number): bigint => KVM_REG_PPC | KVM_REG_SIZE_U64 | BigInt(n);
const u128 = (n: number): bigint => KVM_REG_PPC | KVM_REG_SIZE_U128 | BigInt(n);
const indexed = (first: number, count: number, make: (n: number) => bigint) => (n: number): bigint => {
  if (!Number.isInteger(n) || n < 0 || n >= count) throw new RangeError(`register index ${n} out of 0..${count - 1}`);
  return make(first + n);
};

export const KVM_REG_PPC_HIOR = u64(0x01);
export const KVM_REG_PPC_IAC1 = u64(0x02);
export const KVM_REG_PPC_IAC2 = u64(0x03);
export const KVM_REG_PPC_IAC3 = u64(0x04);
export const KVM_REG_PPC_IAC4 = u64(0x05);
export const KVM_REG_PPC_DAC1 = u64(0x06);
export const KVM_REG_PPC_DAC2 = u64(0x07);
export const KVM_REG_PPC_DABR = u64(0x08);
export const KVM_REG_PPC_DSCR = u64(0x09);
export const KVM_REG_PPC_PURR = u64(0x0a);
export const KVM_REG_PPC_SPURR = u64(0x0b);
export const KVM_REG_PPC_DAR = u64(0x0c);
export const KVM_REG_PPC_DSISR = u32(0x0d);
export const KVM_REG_PPC_AMR = u64(0x0e);
export const KVM_REG_PPC_UAMOR = u64(0x0f);
export const KVM_REG_PPC_MMCR0 = u64(0x10);
export const KVM_REG_PPC_MMCR1 = u64(0x11);
export const KVM_REG_PPC_MMCRA = u64(0x12);
export const KVM_REG_PPC_MMCR2 = u64(0x13);
export const KVM_REG_PPC_MMCRS = u64(0x14);
export const KVM_REG_PPC_SIAR = u64(0x15);
export const KVM_REG_PPC_SDAR = u64(0x16);
export const KVM_REG_PPC_SIER = u64(0x17);
/** PMC1..PMC8: KVM_REG_PPC_PMC(0) = PMC1. */
export const KVM_REG_PPC_PMC = indexed(0x18, 8, u32);
export const KVM_REG_PPC_PMC1 = KVM_REG_PPC_PMC(0);
export const KVM_REG_PPC_PMC8 = KVM_REG_PPC_PMC(7);
export const KVM_REG_PPC_FPR = indexed(0x20, 32, u64);
export const KVM_REG_PPC_FPR0 = KVM_REG_PPC_FPR(0);
export const KVM_REG_PPC_FPR31 = KVM_REG_PPC_FPR(31);
export const KVM_REG_PPC_VR = indexed(0x40, 32, u128);
export const KVM_REG_PPC_VR0 = KVM_REG_PPC_VR(0);
export const KVM_REG_PPC_VR31 = KVM_REG_PPC_VR(31);
export const KVM_REG_PPC_VSR = indexed(0x60, 32, u128);
export const KVM_REG_PPC_VSR0 = KVM_REG_PPC_VSR(0);
export const KVM_REG_PPC_VSR31 = KVM_REG_PPC_VSR(31);
export const KVM_REG_PPC_FPSCR = u64(0x80);
export const KVM_REG_PPC_VSCR = u32(0x81);
export const KVM_REG_PPC_VPA_ADDR = u64(0x82);
export const KVM_REG_PPC_VPA_SLB = u128(0x83);
export const KVM_REG_PPC_VPA_DTL = u128(0x84);
export const KVM_REG_PPC_EPCR = u32(0x85);
export const KVM_REG_PPC_EPR = u32(0x86);
export const KVM_REG_PPC_OR_TSR = u32(0x87);
export const KVM_REG_PPC_CLEAR_TSR = u32(0x88);
export const KVM_REG_PPC_TCR = u32(0x89);
export const KVM_REG_PPC_TSR = u32(0x8a);
export const KVM_REG_PPC_DEBUG_INST = u32(0x8b);
export const KVM_REG_PPC_MAS0 = u32(0x8c);
export const KVM_REG_PPC_MAS1 = u32(0x8d);
export const KVM_REG_PPC_MAS2 = u64(0x8e);
export const KVM_REG_PPC_MAS7_3 = u64(0x8f);
export const KVM_REG_PPC_MAS4 = u32(0x90);
export const KVM_REG_PPC_MAS6 = u32(0x91);
export const KVM_REG_PPC_MMUCFG = u32(0x92);
export const KVM_REG_PPC_TLB0CFG = u32(0x93);
export const KVM_REG_PPC_TLB1CFG = u32(0x94);
export const KVM_REG_PPC_TLB2CFG = u32(0x95);
export const KVM_REG_PPC_TLB3CFG = u32(0x96);
export const KVM_REG_PPC_TLB0PS = u32(0x97);
export const KVM_REG_PPC_TLB1PS = u32(0x98);
export const KVM_REG_PPC_TLB2PS = u32(0x99);
export const KVM_REG_PPC_TLB3PS = u32(0x9a);
export const KVM_REG_PPC_EPTCFG = u32(0x9b);
/** XICS / XIVE presenter state: same register numbers as MAS0 / MAS1, different size classes. */
export const KVM_REG_PPC_ICP_STATE = u64(0x8c);
export const KVM_REG_PPC_VP_STATE = u128(0x8d);
export const KVM_REG_PPC_TB_OFFSET = u64(0x9c);
export const KVM_REG_PPC_SPMC1 = u32(0x9d);
export const KVM_REG_PPC_SPMC2 = u32(0x9e);
export const KVM_REG_PPC_IAMR = u64(0x9f);
export const KVM_REG_PPC_TFHAR = u64(0xa0);
export const KVM_REG_PPC_TFIAR = u64(0xa1);
export const KVM_REG_PPC_TEXASR = u64(0xa2);
export const KVM_REG_PPC_FSCR = u64(0xa3);
export const KVM_REG_PPC_PSPB = u32(0xa4);
export const KVM_REG_PPC_EBBHR = u64(0xa5);
export const KVM_REG_PPC_EBBRR = u64(0xa6);
export const KVM_REG_PPC_BESCR = u64(0xa7);
export const KVM_REG_PPC_TAR = u64(0xa8);
export const KVM_REG_PPC_DPDES = u64(0xa9);
export const KVM_REG_PPC_DAWR = u64(0xaa);
export const KVM_REG_PPC_DAWRX = u64(0xab);
export const KVM_REG_PPC_CIABR = u64(0xac);
export const KVM_REG_PPC_IC = u64(0xad);
export const KVM_REG_PPC_VTB = u64(0xae);
export const KVM_REG_PPC_CSIGR = u64(0xaf);
export const KVM_REG_PPC_TACR = u64(0xb0);
export const KVM_REG_PPC_TCSCR = u64(0xb1);
export const KVM_REG_PPC_PID = u64(0xb2);
export const KVM_REG_PPC_ACOP = u64(0xb3);
export const KVM_REG_PPC_VRSAVE = u32(0xb4);
export const KVM_REG_PPC_LPCR = u32(0xb5);
export const KVM_REG_PPC_LPCR_64 = u64(0xb5);
export const KVM_REG_PPC_PPR = u64(0xb6);
export const KVM_REG_PPC_ARCH_COMPAT = u32(0xb7);
export const KVM_REG_PPC_DABRX = u32(0xb8);
export const KVM_REG_PPC_WORT = u64(0xb9);
export const KVM_REG_PPC_SPRG9 = u64(0xba);
export const KVM_REG_PPC_DBSR = u32(0xbb);
export const KVM_REG_PPC_TIDR = u64(0xbc);
export const KVM_REG_PPC_PSSCR = u64(0xbd);
export const KVM_REG_PPC_DEC_EXPIRY = u64(0xbe);
export const KVM_REG_PPC_ONLINE = u32(0xbf);
export const KVM_REG_PPC_PTCR = u64(0xc0);
export const KVM_REG_PPC_MMCR3 = u64(0xc1);
export const KVM_REG_PPC_SIER2 = u64(0xc2);
export const KVM_REG_PPC_SIER3 = u64(0xc3);
export const KVM_REG_PPC_DAWR1 = u64(0xc4);
export const KVM_REG_PPC_DAWRX1 = u64(0xc5);
export const KVM_REG_PPC_DEXCR = u64(0xc6);
export const KVM_REG_PPC_HASHKEYR = u64(0xc7);
export const KVM_REG_PPC_HASHPKEYR = u64(0xc8);

// ---- transactional memory (checkpointed) state ------------------------------------------------------
export const KVM_REG_PPC_TM = KVM_REG_PPC | 0x80000000n;
const tm64 = (n: number): bigint => KVM_REG_PPC_TM | KVM_REG_SIZE_U64 | BigInt(n);
const tm32 = (n: number): bigint => KVM_REG_PPC_TM | KVM_REG_SIZE_U32 | BigInt(n);
const tm128 = (n: number): bigint => KVM_REG_PPC_TM | KVM_REG_SIZE_U128 | BigInt(n);
export const KVM_REG_PPC_TM_GPR = indexed(0x00, 32, tm64);
export const KVM_REG_PPC_TM_GPR0 = KVM_REG_PPC_TM_GPR(0);
export const KVM_REG_PPC_TM_GPR31 = KVM_REG_PPC_TM_GPR(31);
/** TM_VSR0..63: 0–31 FP/VSX, 32–63 VMX. */
export const KVM_REG_PPC_TM_VSR = indexed(0x20, 64, tm128);
export const KVM_REG_PPC_TM_VSR0 = KVM_REG_PPC_TM_VSR(0);
export const KVM_REG_PPC_TM_VSR63 = KVM_REG_PPC_TM_VSR(63);
export const KVM_REG_PPC_TM_CR = tm64(0x60);
export const KVM_REG_PPC_TM_LR = tm64(0x61);
export const KVM_REG_PPC_TM_CTR = tm64(0x62);
export const KVM_REG_PPC_TM_FPSCR = tm64(0x63);
export const KVM_REG_PPC_TM_AMR = tm64(0x64);
export const KVM_REG_PPC_TM_PPR = tm64(0x65);
export const KVM_REG_PPC_TM_VRSAVE = tm64(0x66);
export const KVM_REG_PPC_TM_VSCR = tm32(0x67);
export const KVM_REG_PPC_TM_DSCR = tm64(0x68);
export const KVM_REG_PPC_TM_TAR = tm64(0x69);
export const KVM_REG_PPC_TM_XER = tm64(0x6a);

/** The DEBUG_INST value PR/Book3S reports: `tw 31,0,0`. */
export const KVMPPC_INST_SW_BREAKPOINT = 0x7fe00008;
