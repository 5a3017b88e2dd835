/**
 * The VFP / Advanced SIMD register file and the hook through which the FP/SIMD module (src/arch/arm/vfp/)
 * plugs its decoder into the core.
 *
 * Registers: 32 doubleword registers in one ArrayBuffer with three little-endian views, so the ARM
 * aliasing S<2n> = low half of D<n>, S<2n+1> = high half, falls out of the layout:
 *   d: Float64Array(32)   s: Float32Array(64)   w: Uint32Array(64) (raw words, w[2n] = low of Dn)
 * (Q<n> = D<2n>:D<2n+1> when NEON arrives.)
 *
 * Decoding: the core hands these encoding spaces to the registered decoder, unmodified:
 *   A32  cccc 110x xxxx xxxx xxxx 101x xxxx xxxx   (VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP, VMOV 2 core regs)
 *   A32  cccc 1110 xxxx xxxx xxxx 101x xxxx xxxx   (VFP data processing, VMOV/VMRS/VMSR/VDUP)
 *   A32  1111 001x xxxx ...  and  1111 0100 xxx0 ...   (Advanced SIMD data processing / element ld/st)
 *   T32  (hw1 << 16 | hw2)  111x 11xx xxxx xxxx xxxx 101x xxxx xxxx — the same VFP encodings as A32
 *        with 1110 in the condition field; and T32 Advanced SIMD: 111x 1111 ... and 1111 1001 xxx0 ...
 * The decoder fills `out` with `out.set(executorId, a, b, c, d)` where `executorId` comes from
 * `defineExecutor` (executors.ts) and returns true, or returns false for UNDEFINED. The core applies
 * the condition (A32 cond field, T32 IT state) before calling the executor, and treats `out.cond`
 * and `out.size` as its own business. Executors reach state through the `ArmCpu` they are given:
 * `cpu.fp` (this file), `cpu.regs`, `cpu.mmu.read32/write32` (may throw GUEST_STOP on faults: do all
 * loads before writing registers), `cpu.undefined()` to raise UNDEFINED at run time.
 *
 * Division of labour: all of CP10/CP11 — including VLDR/VSTR/VLDM/VSTM/VPUSH/VPOP, VMOV between
 * core and FP registers, VMRS/VMSR (and FPSID/MVFR0/MVFR1/FPEXC reads) — belongs to the FP/SIMD
 * module; the core owns only the dispatch.
 */
import type { Decoded } from "./decode/pattern.js";

export class FpSimdState {
  readonly buffer = new ArrayBuffer(32 * 8);
  readonly d = new Float64Array(this.buffer);
  readonly s = new Float32Array(this.buffer);
  readonly w = new Uint32Array(this.buffer);
  fpscr = 0;
  /** FPEXC: EN (bit 30) set — Linux enables VFP for user processes. */
  fpexc = 0x40000000;
}

export interface FpSimdDecoder {
  /** `word` as fetched (A32) or hw1 << 16 | hw2 (T32); `thumb` says which. */
  decode(word: number, thumb: boolean, out: Decoded): boolean;
}

let registered: FpSimdDecoder | null = null;

/** Install the FP/SIMD decoder (one per process; a later call replaces the earlier one). */
export function registerFpSimdDecoder(decoder: FpSimdDecoder | null): void {
  registered = decoder;
}

/** Used by the core's decoders for the spaces listed above. */
export function decodeFpSimd(word: number, thumb: boolean, out: Decoded): boolean {
  return registered !== null && registered.decode(word, thumb, out);
}
