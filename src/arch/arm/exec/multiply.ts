/**
 * Multiplies and divides: MUL/MLA/MLS, the 64-bit UMULL/SMULL/UMLAL/SMLAL/UMAAL, the signed
 * halfword and dual forms (SMLA<x><y>, SMLAW<y>, SMUL<x><y>, SMULW<y>, SMLAL<x><y>, SMLAD/SMLSD(X),
 * SMUAD/SMUSD(X), SMLALD/SMLSLD(X)), most-significant-word forms (SMMUL/SMMLA/SMMLS(R)), USAD8/USADA8
 * and SDIV/UDIV. 64-bit arithmetic is done on 32-bit halves (no BigInt).
 *
 * Operands: a = rd | rn << 4 | rm << 8 | ra << 12 (long forms: rd = RdLo, ra = RdHi),
 * b = MUL_* kind, c = flags/options (S, or x/y/X/R selectors, see each kind).
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";

export const MUL_MUL = 0, MUL_MLA = 1, MUL_MLS = 2;
export const MUL_UMULL = 3, MUL_UMLAL = 4, MUL_SMULL = 5, MUL_SMLAL = 6, MUL_UMAAL = 7;
export const MUL_SMLAXY = 8, MUL_SMULXY = 9, MUL_SMLAWY = 10, MUL_SMULWY = 11, MUL_SMLALXY = 12;
export const MUL_SMLAD = 13, MUL_SMLSD = 14, MUL_SMLALD = 15, MUL_SMLSLD = 16;
export const MUL_SMMLA = 17, MUL_SMMLS = 18, MUL_USADA8 = 19, MUL_SDIV = 20, MUL_UDIV = 21;

export function packMul(rd: number, rn: number, rm: number, ra: number): number {
  return rd | (rn << 4) | (rm << 8) | (ra << 12);
}

// 64-bit results of the helpers below (module state: no allocation)
let lo = 0;
let hi = 0;

/** 32 x 32 -> 64 into lo/hi. */
function mul64(x: number, y: number, signed: boolean): void {
  const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
  const ll = xl * yl, lh = xl * yh, hl = xh * yl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  lo = Math.imul(x, y);
  let h = xh * yh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536);
  if (signed) {
    if (x < 0) h -= y >>> 0;
    if (y < 0) h -= x >>> 0;
  }
  hi = h | 0;
}

/** (lo, hi) += (alo, ahi) */
function add64(alo: number, ahi: number): void {
  const s = (lo >>> 0) + (alo >>> 0);
  lo = s | 0;
  hi = (hi + ahi + (s > 0xffffffff ? 1 : 0)) | 0;
}

/** (lo, hi) += v, v a signed integer with |v| < 2^52 */
function addSmall64(v: number): void {
  const vh = Math.floor(v / 4294967296);
  add64((v - vh * 4294967296) | 0, vh | 0);
}

function half(v: number, top: number): number {
  return top ? v >> 16 : (v << 16) >> 16;
}

function setQIfOverflow(cpu: ArmCpu, v: number): number {
  if (v > 0x7fffffff || v < -0x80000000) cpu.qf = 1;
  return v | 0;
}

export const OP_MUL = defineExecutor((cpu, a, kind, opt) => {
  const regs = cpu.regs;
  const rd = a & 15, n = regs[(a >>> 4) & 15], m = regs[(a >>> 8) & 15], ra = (a >>> 12) & 15;
  let r: number;
  switch (kind) {
    case MUL_MUL: r = Math.imul(n, m); break;
    case MUL_MLA: r = (Math.imul(n, m) + regs[ra]) | 0; break;
    case MUL_MLS: r = (regs[ra] - Math.imul(n, m)) | 0; break;
    case MUL_SMLAXY: r = setQIfOverflow(cpu, half(n, opt & 2) * half(m, opt & 1) + regs[ra]); break;
    case MUL_SMULXY: r = half(n, opt & 2) * half(m, opt & 1); break;
    case MUL_SMLAWY: r = setQIfOverflow(cpu, Math.floor((n * half(m, opt & 1)) / 65536) + regs[ra]); break;
    case MUL_SMULWY: r = Math.floor((n * half(m, opt & 1)) / 65536) | 0; break;
    case MUL_SMLAD: case MUL_SMLSD: {
      // opt: bit 0 = X (swap halves of m), bit 1 = accumulate
      const mm = opt & 1 ? (m >>> 16) | (m << 16) : m;
      const p1 = half(n, 0) * half(mm, 0), p2 = half(n, 1) * half(mm, 1);
      const sum = (kind === MUL_SMLAD ? p1 + p2 : p1 - p2) + (opt & 2 ? regs[ra] : 0);
      r = setQIfOverflow(cpu, sum);
      break;
    }
    case MUL_SMMLA: case MUL_SMMLS: {
      // opt: bit 0 = R (round), bit 1 = accumulate
      mul64(n, m, true);
      if (kind === MUL_SMMLS) {
        // (ra:0) - product
        const nlo = -lo | 0;
        hi = (~hi + (lo === 0 ? 1 : 0)) | 0;
        lo = nlo;
        hi = (hi + regs[ra]) | 0;
      } else if (opt & 2) hi = (hi + regs[ra]) | 0;
      if (opt & 1) add64(0x80000000 | 0, 0);
      r = hi;
      break;
    }
    case MUL_USADA8: {
      let s = opt & 2 ? regs[ra] : 0;
      for (let i = 0; i < 32; i += 8) s += Math.abs(((n >>> i) & 0xff) - ((m >>> i) & 0xff));
      r = s | 0;
      break;
    }
    case MUL_SDIV: r = m === 0 ? 0 : (n / m) | 0; break;
    default: r = m === 0 ? 0 : ((n >>> 0) / (m >>> 0)) | 0; break; // UDIV
  }
  regs[rd] = r;
  if (opt & 4) {
    // MULS / MLAS (opt bit 2 = S; 16-bit Thumb MULS: bit 3 = only outside IT)
    if (!(opt & 8) || cpu.itstate === 0) cpu.nf = cpu.zf = r;
  }
});

/** Long multiplies: a = rdlo | rdhi << 4 | rn << 8 | rm << 12, b = kind, c = opt (bit 0 = S, X for SMLALD). */
export const OP_MUL_LONG = defineExecutor((cpu, a, kind, opt) => {
  const regs = cpu.regs;
  const rdlo = a & 15, rdhi = (a >>> 4) & 15, n = regs[(a >>> 8) & 15], m = regs[(a >>> 12) & 15];
  switch (kind) {
    case MUL_UMULL: mul64(n, m, false); break;
    case MUL_SMULL: mul64(n, m, true); break;
    case MUL_UMLAL: mul64(n, m, false); add64(regs[rdlo], regs[rdhi]); break;
    case MUL_SMLAL: mul64(n, m, true); add64(regs[rdlo], regs[rdhi]); break;
    case MUL_UMAAL: mul64(n, m, false); add64(regs[rdlo], 0); add64(regs[rdhi], 0); break;
    case MUL_SMLALXY: // opt bit 1 = N top, bit 0 = M top
      lo = regs[rdlo];
      hi = regs[rdhi];
      addSmall64(half(n, opt & 2) * half(m, opt & 1));
      break;
    default: { // SMLALD / SMLSLD, opt bit 0 = X
      const mm = opt & 1 ? (m >>> 16) | (m << 16) : m;
      const p1 = half(n, 0) * half(mm, 0), p2 = half(n, 1) * half(mm, 1);
      lo = regs[rdlo];
      hi = regs[rdhi];
      addSmall64(kind === MUL_SMLALD ? p1 + p2 : p1 - p2);
      break;
    }
  }
  regs[rdlo] = lo;
  regs[rdhi] = hi;
  if (opt & 4) {
    cpu.nf = hi;
    cpu.zf = hi | lo;
  }
});
