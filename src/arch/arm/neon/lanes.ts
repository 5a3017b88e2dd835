/**
 * Lane access for the Advanced SIMD executors: typed-array views of every element width over the
 * one register-file buffer (fp-simd.ts), so that lane i of D<n> at element size 2^size bytes is
 * `view[n * (8 >> size) + i]` and a Q register (D<2n>:D<2n+1>) is simply 16 contiguous bytes.
 *
 * Typed-array stores wrap modulo 2^esize, which is exactly the ARM "result<esize-1:0>" truncation,
 * so integer executors compute exact values as JS numbers (lanes of at most 32 bits) and store them.
 * 64-bit lanes are handled as two 32-bit words (low word first: the register file is little-endian).
 *
 * Operations whose destination lanes do not map one-to-one onto source lanes (widening, narrowing,
 * pairwise, permutes, by-scalar) first copy their sources into `scratch`, as the ARM pseudocode
 * reads all operands before writing any result.
 *
 * Operand packing of the executors' fourth argument (`x`):
 *   bits 0-1 size (log2 of the element bytes), bit 2 Q, bit 3 U (unsigned), bits 4.. operation data.
 */
import type { FpSimdState } from "../fp-simd.js";
import { FPSCR_AHP, FPSCR_DN, FPSCR_FZ, FPSCR_QC } from "../vfp/fpscr.js";

export class LaneViews {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  constructor(readonly buffer: ArrayBuffer) {
    this.u8 = new Uint8Array(buffer);
    this.i8 = new Int8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.i16 = new Int16Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
  }
}

let bound: LaneViews = new LaneViews(new ArrayBuffer(256));
const byBuffer = new WeakMap<ArrayBuffer, LaneViews>();

/** The lane views of `fp`: the last register file's are kept at hand, others made once each. */
export function lanesOf(fp: FpSimdState): LaneViews {
  if (bound.buffer !== fp.buffer) {
    let views = byBuffer.get(fp.buffer);
    if (views === undefined) {
      views = new LaneViews(fp.buffer);
      byBuffer.set(fp.buffer, views);
    }
    bound = views;
  }
  return bound;
}

/** 64 bytes of staging: N operand at bytes 0..15, M operand at 16..31, a third at 32..63. */
export const scratch = new LaneViews(new ArrayBuffer(64));
export const SCRATCH_N = 0;
export const SCRATCH_M = 4; // word offsets
export const SCRATCH_T = 8;

/** Copy `regs` D registers starting at D<reg> into scratch at word offset `at`. */
export function stage(L: LaneViews, reg: number, regs: number, at: number): void {
  const src = L.u32, dst = scratch.u32;
  const w = 2 * reg;
  dst[at] = src[w];
  dst[at + 1] = src[(w + 1) & 63];
  if (regs === 2) {
    dst[at + 2] = src[(w + 2) & 63];
    dst[at + 3] = src[(w + 3) & 63];
  }
}

/** Lane `i` (element size 2^size bytes) of a view set, signed or unsigned. */
export function lane(L: LaneViews, size: number, unsigned: boolean, i: number): number {
  if (size === 0) return unsigned ? L.u8[i] : L.i8[i];
  if (size === 1) return unsigned ? L.u16[i] : L.i16[i];
  return unsigned ? L.u32[i] : L.i32[i];
}

/** Store `v` (wrapped to the element size) into lane `i`. */
export function setLane(L: LaneViews, size: number, i: number, v: number): void {
  if (size === 0) L.u8[i] = v;
  else if (size === 1) L.u16[i] = v;
  else L.u32[i] = v;
}

/** Set FPSCR.QC (cumulative saturation). */
export function saturated(fp: FpSimdState): void {
  fp.fpscr = (fp.fpscr | FPSCR_QC) >>> 0;
}

const SAT_MAX = [0x7f, 0x7fff, 0x7fffffff, 0, 0xff, 0xffff, 0xffffffff];
const SAT_MIN = [-0x80, -0x8000, -0x80000000, 0, 0, 0, 0];

/** Saturate `v` to the signed or unsigned range of an element of 2^size bytes (size <= 2), setting QC on clipping. */
export function saturate(fp: FpSimdState, v: number, size: number, unsigned: boolean): number {
  const k = unsigned ? size + 4 : size;
  if (v > SAT_MAX[k]) {
    saturated(fp);
    return SAT_MAX[k];
  }
  if (v < SAT_MIN[k]) {
    saturated(fp);
    return SAT_MIN[k];
  }
  return v;
}

/** 2^i for i in 0..129. */
export const POW2 = new Float64Array(130).map((_, i) => 2 ** i);

/** floor(a / 2^sh) for an integer lane value -2^31 <= a < 2^32 and sh >= 0. */
export function shiftRight(a: number, sh: number): number {
  if (sh > 31) return a < 0 ? -1 : 0;
  return a < 0 ? a >> sh : a >>> sh;
}

/** (a + 2^(sh-1)) >> sh in unbounded precision, sh >= 1: the shift plus bit sh-1 of a. */
export function roundingShiftRight(a: number, sh: number): number {
  const round = sh > 32 ? (a < 0 ? 1 : 0) : (a >>> (sh - 1)) & 1;
  return shiftRight(a, sh) + round;
}

/**
 * StandardFPSCRValue() of the ARM ARM: the FPSCR that Advanced SIMD floating-point arithmetic uses —
 * flush-to-zero and default NaN on, round to nearest, AHP taken from the real FPSCR.
 */
export function standardFpscr(fpscr: number): number {
  return ((fpscr & FPSCR_AHP) | FPSCR_DN | FPSCR_FZ) >>> 0;
}
