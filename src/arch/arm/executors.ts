/**
 * The executor registry. Every instruction form the decoders produce is executed by one function
 * `(cpu, a, b, c, d)` whose id is its index here; A32 and T32 encodings of an operation decode to
 * the same executor with the same operand conventions. Id 0 means "not decoded yet" in the code
 * cache. Executors run on the hot path: they must not allocate.
 */
import type { ArmCpu } from "./cpu.js";

export type Executor = (cpu: ArmCpu, a: number, b: number, c: number, d: number) => void;

export const EXECUTORS: Executor[] = [() => {}];

/** Register an executor; returns its id (stable for the life of the process). */
export function defineExecutor(fn: Executor): number {
  EXECUTORS.push(fn);
  return EXECUTORS.length - 1;
}
