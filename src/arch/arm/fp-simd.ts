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
 *
 * Access control (ARM ARM B1.11.1-B1.11.3, CPACR B4.1.40, FPEXC B6.1.x; the pseudocode's
 * CheckAdvSIMDOrVFPEnabled): decoded code is cached per page and CPACR, FPEXC and the mode change at
 * run time, so the check is made when the instruction executes. Every FP/SIMD executor is registered
 * through `defineFpSimdExecutor`, whose gate reads FPEXC.EN, CPACR.cp10 and the mode (a few integer
 * operations, no allocation) and raises UNDEFINED when access is denied — the trap Linux's lazy VFP
 * switching depends on (it clears FPEXC.EN at every context switch). VMRS/VMSR are the exception:
 * they apply the per-register rules themselves (vfp/transfer.ts). The translator's inline VLDR/VSTR
 * (jit/emit-memory.ts) repeats the same test as `FP_SIMD_DENIED_SOURCE`.
 *   CPACR.cp10 0b00 denied, 0b01 PL1 only, 0b11 full; 0b10 is reserved and treated as denied (as
 *   AArch64's FPEN = 0b10 traps both levels). cp11 must equal cp10 (else UNPREDICTABLE): cp10 decides.
 *   ASEDIS/D32DIS read as zero (cp15/table.ts), so they never deny.
 *   FPEXC.EN = 0: everything is UNDEFINED except VMRS/VMSR of FPSID, FPEXC, MVFR0, MVFR1 at PL1.
 * Not modelled: NSACR and HCPTR (no Secure state or Hyp mode in the guest's view).
 */
import type { ArmCpu } from "./cpu.js";
import type { Decoded } from "./decode/pattern.js";
import { defineExecutor, EXECUTORS, type Executor } from "./executors.js";
import { GUEST_STOP, STOP_UNDEFINED } from "./stop.js";

/** FPEXC.EN: the FP/SIMD unit is enabled. */
export const FPEXC_EN = 0x40000000;
/** CPACR.cp10 bit 20 (PL1 access) and both bits 21:20 (PL0 access as well). */
export const CPACR_CP10_PL1 = 0x00100000;
export const CPACR_CP10_FULL = 0x00300000;
/** CPACR cp10 and cp11 full access: what Linux sets at boot, and what `tskvm user` starts with. */
export const CPACR_CP10_CP11_FULL = 0x00f00000;
const MODE_USR = 0x10;

export class FpSimdState {
  readonly buffer = new ArrayBuffer(32 * 8);
  readonly d = new Float64Array(this.buffer);
  readonly s = new Float32Array(this.buffer);
  readonly w = new Uint32Array(this.buffer);
  fpscr = 0;
  /** FPEXC: EN (bit 30) clear, its reset value; `enableFpSimdAccess` sets it. */
  fpexc = 0;
}

/** The CPU state the access checks read. */
export interface FpSimdAccess {
  readonly fp: FpSimdState;
  readonly cp15: { cpacr: number };
  readonly mode: number;
}

/**
 * CPACR lets the current privilege level use CP10/CP11 (CheckAdvSIMDOrVFPEnabled without the FPEXC
 * test): PL1 needs cp10 bit 20, PL0 needs both bits.
 */
export function cpacrAllows(cpu: FpSimdAccess): boolean {
  const need = cpu.mode === MODE_USR ? CPACR_CP10_FULL : CPACR_CP10_PL1;
  return (cpu.cp15.cpacr & need) === need;
}

/** CheckAdvSIMDOrVFPEnabled(TRUE): CPACR allows the current mode and FPEXC.EN is set. */
export function fpSimdEnabled(cpu: FpSimdAccess): boolean {
  return (cpu.fp.fpexc & FPEXC_EN) !== 0 && cpacrAllows(cpu);
}

/**
 * The same test as JavaScript source over `cpu`, true when access is denied, for code the block
 * translator generates (jit/emit-memory.ts inlines VLDR/VSTR).
 */
export const FP_SIMD_DENIED_SOURCE =
  `((cpu.fp.fpexc & ${FPEXC_EN}) === 0 || (cpu.cp15.cpacr & (cpu.mode === ${MODE_USR} ? ${CPACR_CP10_FULL} : ${CPACR_CP10_PL1})) !== (cpu.mode === ${MODE_USR} ? ${CPACR_CP10_FULL} : ${CPACR_CP10_PL1}))`;

/**
 * UNDEFINED for an FP/SIMD instruction whose access check failed, at `cpu.pcCur`: the stop is
 * restartable (nothing was written) and leaves the current instruction, translated block or not,
 * through GUEST_STOP as an MMU fault does, so the run loop takes the Undefined Instruction exception
 * (system mode) or reports STOP_UNDEFINED (tskvm user).
 */
export function fpSimdUndefined(cpu: ArmCpu): never {
  const info = cpu.stopInfo;
  info.insn = cpu.currentInsn() >>> 0;
  info.reason = STOP_UNDEFINED;
  throw GUEST_STOP;
}

/**
 * An executor that only raises the FP/SIMD access UNDEFINED: translated code that inlined an FP/SIMD
 * instruction calls it, with `cpu.pcCur` at the instruction, when `FP_SIMD_DENIED_SOURCE` holds.
 */
export const OP_FP_SIMD_UNDEFINED = defineExecutor((cpu) => fpSimdUndefined(cpu));

/**
 * Register an FP/SIMD executor behind the access gate: `fn` runs only when CPACR and FPEXC.EN allow
 * FP/SIMD at the current privilege level.
 *
 * Each gate is compiled from its own source (it names its executor id), so V8 gives every gate its
 * own feedback: the call to `fn` stays monomorphic and is inlined, and the gate costs the FP/SIMD
 * hot path a few integer operations rather than a second megamorphic call (one closure shared by
 * all executors measured ~10 % slower on scalar double-precision code).
 */
export function defineFpSimdExecutor(fn: Executor): number {
  const id = EXECUTORS.length;
  const source = `return function fpSimdGate${id}(cpu, a, b, c, d) {
    const need = cpu.mode === ${MODE_USR} ? ${CPACR_CP10_FULL} : ${CPACR_CP10_PL1};
    if ((cpu.fp.fpexc & ${FPEXC_EN}) === 0 || (cpu.cp15.cpacr & need) !== need) denied(cpu);
    fn(cpu, a, b, c, d);
  };`;
  const gate = new Function("fn", "denied", source)(fn, fpSimdUndefined) as Executor;
  const defined = defineExecutor(gate);
  bodies[defined] = fn;
  return defined;
}

const bodies: Executor[] = [];

/** The operation behind a gated FP/SIMD executor id (undefined for any other id): for decoder tests. */
export function fpSimdExecutorBody(id: number): Executor | undefined {
  return bodies[id];
}

/**
 * What Linux gives a user process and `tskvm user` therefore sets up (there is no kernel to do it):
 * CPACR cp10/cp11 full access and FPEXC.EN.
 */
export function enableFpSimdAccess(cpu: FpSimdAccess): void {
  cpu.cp15.cpacr = (cpu.cp15.cpacr | CPACR_CP10_CP11_FULL) >>> 0;
  cpu.fp.fpexc = (cpu.fp.fpexc | FPEXC_EN) >>> 0;
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
