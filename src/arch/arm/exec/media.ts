/**
 * The ARMv6/v7 "media" integer instructions: parallel add/subtract (S/Q/SH/U/UQ/UH x ADD16/ASX/
 * SAX/SUB16/ADD8/SUB8), SEL, saturation (QADD/QSUB/QDADD/QDSUB, SSAT/USAT, SSAT16/USAT16), PKHBT/
 * PKHTB, sign/zero extends with optional accumulate, bit-field (BFC/BFI/SBFX/UBFX) and the bit/byte
 * reversals (REV/REV16/REVSH/RBIT) and CLZ.
 *
 * Common operand packing: a = rd | rn << 4 | rm << 8.
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";
import { shiftValue } from "./alu.js";

export const PAR_S = 1, PAR_Q = 2, PAR_SH = 3, PAR_U = 5, PAR_UQ = 6, PAR_UH = 7;
export const PAR_ADD16 = 0, PAR_ASX = 1, PAR_SAX = 2, PAR_SUB16 = 3, PAR_ADD8 = 4, PAR_SUB8 = 7;

export function packRrr(rd: number, rn: number, rm: number): number {
  return rd | (rn << 4) | (rm << 8);
}

function lane(cpu: ArmCpu, prefix: number, r: number, bits: number, isAdd: boolean, geIndex: number, geWidth: number): number {
  const max = bits === 16 ? 0xffff : 0xff;
  switch (prefix) {
    case PAR_S:
      if (r >= 0) cpu.ge |= ((1 << geWidth) - 1) << geIndex;
      return r & max;
    case PAR_U:
      if (isAdd ? r > max : r >= 0) cpu.ge |= ((1 << geWidth) - 1) << geIndex;
      return r & max;
    case PAR_Q: {
      const lim = (max + 1) >>> 1;
      return (r < -lim ? -lim : r > lim - 1 ? lim - 1 : r) & max;
    }
    case PAR_UQ:
      return r < 0 ? 0 : r > max ? max : r;
    default: // SH, UH: halving
      return (r >> 1) & max;
  }
}

/** Parallel add/subtract: b = PAR_ prefix, c = PAR_ operation. */
export const OP_PARALLEL = defineExecutor((cpu, a, prefix, op) => {
  const regs = cpu.regs;
  const n = regs[(a >>> 4) & 15], m = regs[(a >>> 8) & 15];
  const signed = prefix < 4;
  const setsGe = prefix === PAR_S || prefix === PAR_U;
  if (setsGe) cpu.ge = 0;
  let r = 0;
  if (op >= PAR_ADD8) {
    for (let i = 0; i < 32; i += 8) {
      const x = signed ? ((n << (24 - i)) >> 24) : (n >>> i) & 0xff;
      const y = signed ? ((m << (24 - i)) >> 24) : (m >>> i) & 0xff;
      const v = op === PAR_ADD8 ? x + y : x - y;
      r |= lane(cpu, prefix, v, 8, op === PAR_ADD8, i >>> 3, 1) << i;
    }
  } else {
    const n0 = signed ? (n << 16) >> 16 : n & 0xffff, n1 = signed ? n >> 16 : n >>> 16;
    const m0 = signed ? (m << 16) >> 16 : m & 0xffff, m1 = signed ? m >> 16 : m >>> 16;
    let v0: number, v1: number, add0: boolean, add1: boolean;
    switch (op) {
      case PAR_ADD16: v0 = n0 + m0; v1 = n1 + m1; add0 = add1 = true; break;
      case PAR_ASX: v0 = n0 - m1; v1 = n1 + m0; add0 = false; add1 = true; break;
      case PAR_SAX: v0 = n0 + m1; v1 = n1 - m0; add0 = true; add1 = false; break;
      default: v0 = n0 - m0; v1 = n1 - m1; add0 = add1 = false; break;
    }
    r = lane(cpu, prefix, v0, 16, add0, 0, 2) | (lane(cpu, prefix, v1, 16, add1, 2, 2) << 16);
  }
  regs[a & 15] = r;
});

function signedSat(cpu: ArmCpu, v: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1, min = -(2 ** (bits - 1));
  if (v > max) { cpu.qf = 1; return max; }
  if (v < min) { cpu.qf = 1; return min; }
  return v;
}

function unsignedSat(cpu: ArmCpu, v: number, bits: number): number {
  const max = 2 ** bits - 1;
  if (v > max) { cpu.qf = 1; return max; }
  if (v < 0) { cpu.qf = 1; return 0; }
  return v;
}

/** QADD/QSUB/QDADD/QDSUB: b = 0..3 in that order; result from Rm (+/-) [2*]Rn. */
export const OP_QADDSUB = defineExecutor((cpu, a, kind) => {
  const regs = cpu.regs;
  const m = regs[(a >>> 8) & 15];
  let n = regs[(a >>> 4) & 15];
  if (kind & 2) n = signedSat(cpu, 2 * n, 32);
  regs[a & 15] = signedSat(cpu, kind & 1 ? m - n : m + n, 32) | 0;
});

/** SSAT / USAT: a = rd | rn << 4, b = bit position (SSAT: 1..32, USAT: 0..31), c = shift type, d = amount, with the unsigned flag in bit 8 of a. */
export const OP_SAT = defineExecutor((cpu, a, sat, type, amount) => {
  const v = shiftValue(cpu, cpu.regs[(a >>> 4) & 15], type, amount);
  cpu.regs[a & 15] = (a & 0x100 ? unsignedSat(cpu, v, sat) : signedSat(cpu, v, sat)) | 0;
});

/** SSAT16 / USAT16: a = rd | rn << 4 | unsigned << 8, b = bit position. */
export const OP_SAT16 = defineExecutor((cpu, a, sat) => {
  const n = cpu.regs[(a >>> 4) & 15];
  const lo = (n << 16) >> 16, hi = n >> 16;
  const u = (a & 0x100) !== 0;
  const r0 = u ? unsignedSat(cpu, lo, sat) : signedSat(cpu, lo, sat);
  const r1 = u ? unsignedSat(cpu, hi, sat) : signedSat(cpu, hi, sat);
  cpu.regs[a & 15] = (r0 & 0xffff) | (r1 << 16);
});

/** SEL: byte i from Rn if GE[i] else Rm. */
export const OP_SEL = defineExecutor((cpu, a) => {
  const regs = cpu.regs, ge = cpu.ge;
  const mask = (ge & 1 ? 0xff : 0) | (ge & 2 ? 0xff00 : 0) | (ge & 4 ? 0xff0000 : 0) | (ge & 8 ? 0xff000000 : 0);
  regs[a & 15] = (regs[(a >>> 4) & 15] & mask) | (regs[(a >>> 8) & 15] & ~mask);
});

/** PKHBT / PKHTB: b = 1 for TB (ASR), c = shift amount (TB: 1..32). */
export const OP_PKH = defineExecutor((cpu, a, tb, amount) => {
  const regs = cpu.regs;
  const n = regs[(a >>> 4) & 15], m = regs[(a >>> 8) & 15];
  regs[a & 15] = tb
    ? (n & 0xffff0000) | ((amount >= 32 ? m >> 31 : m >> amount) & 0xffff)
    : (n & 0xffff) | ((m << amount) & 0xffff0000);
});

export const EXT_SXTB = 0, EXT_SXTH = 1, EXT_UXTB = 2, EXT_UXTH = 3, EXT_SXTB16 = 4, EXT_UXTB16 = 5;

/** Extends (rn = 15: no accumulate): b = EXT_ kind, c = rotation (0, 8, 16, 24). */
export const OP_EXTEND = defineExecutor((cpu, a, kind, rot) => {
  const regs = cpu.regs;
  const rn = (a >>> 4) & 15, m0 = regs[(a >>> 8) & 15];
  const m = rot === 0 ? m0 : (m0 >>> rot) | (m0 << (32 - rot));
  const n = rn === 15 ? 0 : regs[rn];
  let r: number;
  switch (kind) {
    case EXT_SXTB: r = n + ((m << 24) >> 24); break;
    case EXT_SXTH: r = n + ((m << 16) >> 16); break;
    case EXT_UXTB: r = n + (m & 0xff); break;
    case EXT_UXTH: r = n + (m & 0xffff); break;
    case EXT_SXTB16:
      r = (((n & 0xffff) + ((m << 24) >> 24)) & 0xffff) | (((n >>> 16) + ((m << 8) >> 24)) << 16);
      break;
    default:
      r = (((n & 0xffff) + (m & 0xff)) & 0xffff) | (((n >>> 16) + ((m >>> 16) & 0xff)) << 16);
      break;
  }
  regs[a & 15] = r | 0;
});

/** SBFX / UBFX: a = rd | rn << 4, b = lsb, c = width (1..32), d = 1 for signed. */
export const OP_BFX = defineExecutor((cpu, a, lsb, width, signed) => {
  const v = cpu.regs[(a >>> 4) & 15] << (32 - lsb - width);
  cpu.regs[a & 15] = signed ? v >> (32 - width) : v >>> (32 - width);
});

/** BFI / BFC (rn = 15): a = rd | rn << 4, b = lsb, c = msb. msb < lsb is UNPREDICTABLE: no change. */
export const OP_BFI = defineExecutor((cpu, a, lsb, msb) => {
  if (msb < lsb) return;
  const regs = cpu.regs, rd = a & 15, rn = (a >>> 4) & 15;
  const width = msb - lsb + 1;
  const mask = (width === 32 ? -1 : (1 << width) - 1) << lsb;
  const src = rn === 15 ? 0 : regs[rn] << lsb;
  regs[rd] = (regs[rd] & ~mask) | (src & mask);
});

export const BITS_REV = 0, BITS_REV16 = 1, BITS_REVSH = 2, BITS_RBIT = 3, BITS_CLZ = 4;

/** REV / REV16 / REVSH / RBIT / CLZ: a = rd | rm << 8, b = kind. */
export const OP_BITS = defineExecutor((cpu, a, kind) => {
  const m = cpu.regs[(a >>> 8) & 15];
  let r: number;
  switch (kind) {
    case BITS_REV: r = (m << 24) | ((m & 0xff00) << 8) | ((m >>> 8) & 0xff00) | (m >>> 24); break;
    case BITS_REV16: r = ((m & 0x00ff00ff) << 8) | ((m >>> 8) & 0x00ff00ff); break;
    case BITS_REVSH: r = (((m & 0xff) << 24) >> 16) | ((m >>> 8) & 0xff); break;
    case BITS_RBIT:
      r = ((m >>> 1) & 0x55555555) | ((m & 0x55555555) << 1);
      r = ((r >>> 2) & 0x33333333) | ((r & 0x33333333) << 2);
      r = ((r >>> 4) & 0x0f0f0f0f) | ((r & 0x0f0f0f0f) << 4);
      r = (r << 24) | ((r & 0xff00) << 8) | ((r >>> 8) & 0xff00) | (r >>> 24);
      break;
    default: r = Math.clz32(m); break;
  }
  cpu.regs[a & 15] = r;
});
