/**
 * Advanced SIMD element rearrangement and moves: VSWP, VTRN, VUZP, VZIP, VEXT, VTBL/VTBX, VDUP
 * (scalar and core register), VMOV between core registers and scalars, and the one-register
 * modified-immediate group (VMOV/VMVN/VORR/VBIC #imm). The register pairs of the two-result
 * permutes are read completely (scratch) before either is written.
 */
import { defineFpSimdExecutor } from "../fp-simd.js";
import { SCRATCH_M, SCRATCH_N, SCRATCH_T, lane, lanesOf, scratch, setLane, stage } from "./lanes.js";

/** VSWP: x bit 2 = Q. */
export const OP_VSWP = defineFpSimdExecutor((cpu, d, _n, m, x) => {
  const w = lanesOf(cpu.fp).u32;
  const words = (x & 4) !== 0 ? 4 : 2;
  for (let i = 0; i < words; i++) {
    const t = w[2 * d + i];
    w[2 * d + i] = w[2 * m + i];
    w[2 * m + i] = t;
  }
});

const TRN = 0, UZP = 1, ZIP = 2;

function permute(kind: number) {
  return defineFpSimdExecutor((cpu, d, _n, m, x) => {
    const L = lanesOf(cpu.fp);
    const size = x & 3, q = (x & 4) !== 0;
    const regs = q ? 2 : 1;
    stage(L, d, regs, SCRATCH_N);
    stage(L, m, regs, SCRATCH_M);
    const per = 8 >> size;
    const count = q ? 2 * per : per; // elements per operand
    const mBase = 16 >> size; // M's first lane in scratch
    const dBase = d * per, mReg = m * per;
    for (let i = 0; i < count; i++) {
      let toD: number, toM: number;
      if (kind === TRN) {
        // pairs (d[2j+1], m[2j]) exchanged
        toD = (i & 1) === 1 ? mBase + i - 1 : i;
        toM = (i & 1) === 0 ? i + 1 : mBase + i;
      } else if (kind === UZP) {
        // concatenation D:M; D takes the even elements, M the odd ones
        const ev = 2 * i, od = 2 * i + 1;
        toD = ev < count ? ev : mBase + ev - count;
        toM = od < count ? od : mBase + od - count;
      } else {
        // D takes interleaved low halves, M interleaved high halves
        const j = i >> 1, k = (count >> 1) + (i >> 1);
        toD = (i & 1) === 0 ? j : mBase + j;
        toM = (i & 1) === 0 ? k : mBase + k;
      }
      setLane(L, size, dBase + i, lane(scratch, size, true, toD));
      setLane(L, size, mReg + i, lane(scratch, size, true, toM));
    }
  });
}

export const OP_VTRN = permute(TRN), OP_VUZP = permute(UZP), OP_VZIP = permute(ZIP);

/** VEXT: bytes `imm` onwards of the concatenation Dm:Dn (Dn least significant); x bit 2 = Q. */
export const OP_VEXT = defineFpSimdExecutor((cpu, d, n, m, x) => {
  const L = lanesOf(cpu.fp);
  const q = (x & 4) !== 0, bytes = q ? 16 : 8, imm = x >>> 4;
  stage(L, n, q ? 2 : 1, SCRATCH_N);
  stage(L, m, q ? 2 : 1, SCRATCH_M);
  const s = scratch.u8, out = L.u8;
  for (let i = 0; i < bytes; i++) {
    const j = imm + i;
    out[8 * d + i] = j < bytes ? s[j] : s[16 + j - bytes];
  }
});

/** VTBL / VTBX (x bit 4 set): table D<n>..D<n+len-1> with len = x bits 0-2, byte indices from Dm. */
export const OP_VTBL = defineFpSimdExecutor((cpu, d, n, m, x) => {
  const L = lanesOf(cpu.fp);
  const len = x & 7, extension = (x & 16) !== 0;
  const s = scratch.u8;
  for (let r = 0; r < len; r++) stage(L, (n + r) & 31, 1, 2 * r);
  stage(L, m, 1, SCRATCH_T);
  const limit = 8 * len;
  for (let i = 0; i < 8; i++) {
    const index = s[4 * SCRATCH_T + i];
    if (index < limit) L.u8[8 * d + i] = s[index];
    else if (!extension) L.u8[8 * d + i] = 0;
  }
});

/** VDUP Dd/Qd, Dm[x]: m = lane index of the scalar in the register file; x = size | Q << 2. */
export const OP_VDUP_SCALAR = defineFpSimdExecutor((cpu, d, _n, m, x) => {
  const L = lanesOf(cpu.fp);
  const size = x & 3, per = 8 >> size;
  const count = (x & 4) !== 0 ? 2 * per : per;
  const v = lane(L, size, true, m);
  for (let i = 0; i < count; i++) setLane(L, size, d * per + i, v);
});

/** VDUP Dd/Qd, Rt: b = Rt; x = size | Q << 2. */
export const OP_VDUP_CORE = defineFpSimdExecutor((cpu, d, rt, _m, x) => {
  const L = lanesOf(cpu.fp);
  const size = x & 3, per = 8 >> size;
  const count = (x & 4) !== 0 ? 2 * per : per;
  const v = cpu.regs[rt];
  for (let i = 0; i < count; i++) setLane(L, size, d * per + i, v);
});

/** VMOV Dd[x], Rt (8/16 bit): a = lane index in the register file at the size, b = Rt, x = size. */
export const OP_VMOV_TO_SCALAR = defineFpSimdExecutor((cpu, index, rt, _c, x) => {
  setLane(lanesOf(cpu.fp), x & 3, index, cpu.regs[rt]);
});

/** VMOV Rt, Dn[x] (8/16 bit): a = lane index, b = Rt, x = size | U << 3. */
export const OP_VMOV_FROM_SCALAR = defineFpSimdExecutor((cpu, index, rt, _c, x) => {
  cpu.regs[rt] = lane(lanesOf(cpu.fp), x & 3, (x & 8) !== 0, index);
});

/**
 * VMOV/VMVN/VORR/VBIC (immediate): b, c = low and high words of the expanded (and, for VMVN/VBIC,
 * already inverted) 64-bit immediate; x bit 2 = Q, bits 4-5 = 0 move, 1 OR, 2 AND.
 */
export const OP_VIMM = defineFpSimdExecutor((cpu, d, lo, hi, x) => {
  const w = lanesOf(cpu.fp).i32;
  const op = (x >>> 4) & 3;
  const regs = (x & 4) !== 0 ? 2 : 1;
  for (let r = 0; r < regs; r++) {
    const k = 2 * (d + r);
    if (op === 0) {
      w[k] = lo;
      w[k + 1] = hi;
    } else if (op === 1) {
      w[k] |= lo;
      w[k + 1] |= hi;
    } else {
      w[k] &= lo;
      w[k + 1] &= hi;
    }
  }
});
