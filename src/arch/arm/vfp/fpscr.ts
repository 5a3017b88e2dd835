/**
 * FPSCR fields and the values of the VFP identification registers (ARM ARM B4.1.5x, VFPv4 on a
 * Cortex-A15). Cortex-A15 does not implement floating-point exception trapping: the enable bits
 * (IDE, IXE, UFE, OFE, DZE, IOE) are RAZ/WI, and it has no short vectors (Len/Stride RAZ/WI).
 */

// ---- FPSCR bits
export const FPSCR_N = 0x80000000;
export const FPSCR_Z = 0x40000000;
export const FPSCR_C = 0x20000000;
export const FPSCR_V = 0x10000000;
export const FPSCR_NZCV = 0xf0000000;
/** Cumulative saturation (Advanced SIMD). */
export const FPSCR_QC = 0x08000000;
/** Alternative half-precision format. */
export const FPSCR_AHP = 0x04000000;
/** Default NaN mode. */
export const FPSCR_DN = 0x02000000;
/** Flush-to-zero mode. */
export const FPSCR_FZ = 0x01000000;
export const FPSCR_RMODE_SHIFT = 22;
export const FPSCR_RMODE_MASK = 0x00c00000;

/** Rounding modes (FPSCR.RMode). */
export const RN = 0; // to nearest, ties to even
export const RP = 1; // towards +infinity
export const RM = 2; // towards -infinity
export const RZ = 3; // towards zero

// ---- cumulative exception flags (FPSCR[7, 4:0])
export const IOC = 0x01; // invalid operation
export const DZC = 0x02; // division by zero
export const OFC = 0x04; // overflow
export const UFC = 0x08; // underflow
export const IXC = 0x10; // inexact
export const IDC = 0x80; // input denormal
export const FPSCR_CUMULATIVE = IOC | DZC | OFC | UFC | IXC | IDC;

/**
 * The FPSCR bits a Cortex-A15 implements: NZCV, QC, AHP, DN, FZ, RMode and the cumulative flags.
 * Writes through VMSR keep only these (trap enables, Len and Stride read as zero).
 */
export const FPSCR_WRITABLE = FPSCR_NZCV | FPSCR_QC | FPSCR_AHP | FPSCR_DN | FPSCR_FZ | FPSCR_RMODE_MASK | FPSCR_CUMULATIVE;

export function roundingMode(fpscr: number): number {
  return (fpscr >>> FPSCR_RMODE_SHIFT) & 3;
}

// ---- FPEXC
export const FPEXC_EX = 0x80000000;
export const FPEXC_EN = 0x40000000;

// ---- identification registers (VMRS encodings: reg field of VMRS/VMSR)
export const VFP_REG_FPSID = 0;
export const VFP_REG_FPSCR = 1;
export const VFP_REG_MVFR1 = 6;
export const VFP_REG_MVFR0 = 7;
export const VFP_REG_FPEXC = 8;

/** Cortex-A15 FPSID: implementer 0x41 (ARM), subarchitecture 0x04 (VFPv3+ common), part 0x30, variant 0xF. */
export const FPSID_CORTEX_A15 = 0x410430f0;
/** Cortex-A7 FPSID: implementer 0x41, subarchitecture 0x02, part 0x30, variant 7, revision 5 (kvm-arm32-abi.md §6.2). */
export const FPSID_CORTEX_A7 = 0x41023075;

/**
 * MVFR0 for VFPv4-D32: rounding modes 1 (all), short vectors 0, square root 1, divide 1, exception
 * trapping 0, double precision 2, single precision 2, register bank 2 (32 x 64-bit). The register
 * bank field describes the FP register file, so it is the same with or without Advanced SIMD.
 */
export const MVFR0_VFPV4_D32 = 0x10110222;

/**
 * MVFR1 with Advanced SIMD (Cortex-A15): FPFMAC [31:28] = 1, FPHP [27:24] = 1, SIMDHP [23:20] = 1,
 * SIMDSP [19:16] = 1, SIMDInt [15:12] = 1, SIMDLS [11:8] = 1, FPDNaN [7:4] = 1, FPFtZ [3:0] = 1.
 */
export const MVFR1_WITH_NEON = 0x11111111;

/**
 * MVFR1 for VFPv4-D32 without Advanced SIMD: the four SIMD fields (HP, SP, integer, load/store) read
 * as 0; fused multiply-accumulate (FPFMAC, which Linux reads to report HWCAP_VFPv4), VFP
 * half-precision conversion (FPHP), default-NaN and flush-to-zero support stay 1.
 */
export const MVFR1_WITHOUT_NEON = 0x11000011;
