/**
 * The EABI system-call table: r7 holds the number, r0–r6 the arguments, r0 gets the result or a
 * negative errno. Each module registers its calls here with a name and an argument format for
 * --strace. Numbers not in the table return -ENOSYS, as a kernel without the call would.
 */
import { constants as osConstants } from "node:os";
import { EFAULT, EIO, ENOSYS } from "../../abi/errno.js";
import type { UserProcess } from "../process.js";

/** A handler gets the six argument registers as unsigned 32-bit numbers. */
export type SyscallHandler = (p: UserProcess, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) => number;

/**
 * Argument formats for tracing, one character per argument: d = signed decimal, u = unsigned,
 * x = hex, o = octal, s = C string, f = fd (signed, AT_FDCWD shown by name).
 */
export interface SyscallEntry {
  name: string;
  args: string;
  handler: SyscallHandler;
}

export const SYSCALLS = new Map<number, SyscallEntry>();

export function define(nr: number, name: string, args: string, handler: SyscallHandler): void {
  if (SYSCALLS.has(nr)) throw new Error(`system call ${nr} defined twice`);
  SYSCALLS.set(nr, { name, args, handler });
}

/** Thrown inside a handler to end it with a negative errno (e.g. a bad user pointer). */
export class SyscallError extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

/** -errno for a Node fs error (host and ARM Linux share the generic errno numbers). */
export function hostErrno(err: unknown): number {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") {
    const n = (osConstants.errno as Record<string, number>)[code];
    if (n !== undefined) return -n;
  }
  return -EIO;
}

export function fault(): never {
  throw new SyscallError(EFAULT);
}

/** Runs the call in r7 for `p`, leaves the result in r0. */
export function dispatchSyscall(p: UserProcess): void {
  const r = p.cpu.regs;
  const nr = r[7] >>> 0;
  const a0 = r[0] >>> 0, a1 = r[1] >>> 0, a2 = r[2] >>> 0, a3 = r[3] >>> 0, a4 = r[4] >>> 0, a5 = r[5] >>> 0;
  const entry = SYSCALLS.get(nr);
  let result: number;
  if (entry === undefined) result = -ENOSYS;
  else {
    try {
      result = entry.handler(p, a0, a1, a2, a3, a4, a5);
    } catch (err) {
      if (err instanceof SyscallError) result = -err.errno;
      else if ((err as { code?: unknown }).code !== undefined) result = hostErrno(err);
      else throw err;
    }
  }
  if (p.host.trace) p.host.trace(formatCall(p, nr, entry, [a0, a1, a2, a3, a4, a5], result));
  r[0] = result | 0;
}

const ERRNO_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(osConstants.errno as Record<string, number>).map(([k, v]) => [v, k]),
);

function formatCall(p: UserProcess, nr: number, entry: SyscallEntry | undefined, args: number[], result: number): string {
  let text: string;
  if (entry === undefined) text = `syscall_${nr}(${args.map(hex).join(", ")})`;
  else {
    const shown = [...entry.args].map((f, i) => formatArg(p, f, args[i]));
    text = `${entry.name}(${shown.join(", ")})`;
  }
  if (p.exit !== null) return `${p.host.pid} ${text} = ?`; // the process is gone: no result to return
  const ret = result < 0 && result >= -4095 ? `-1 ${ERRNO_NAMES[-result] ?? "E?"} (errno ${-result})` : formatResult(entry, result);
  return `${p.host.pid} ${text} = ${ret}`;
}

function formatResult(entry: SyscallEntry | undefined, result: number): string {
  const name = entry?.name ?? "";
  return /mmap|brk|mremap/.test(name) ? hex(result >>> 0) : String(result);
}

function formatArg(p: UserProcess, format: string, v: number): string {
  switch (format) {
    case "d":
      return String(v | 0);
    case "u":
      return String(v);
    case "o":
      return "0" + v.toString(8);
    case "f":
      return (v | 0) === -100 ? "AT_FDCWD" : String(v | 0);
    case "s": {
      if (v === 0) return "NULL";
      const s = p.space.readCString(v, 256);
      return s === null ? hex(v) : JSON.stringify(s);
    }
    default:
      return hex(v);
  }
}

function hex(v: number): string {
  return "0x" + (v >>> 0).toString(16);
}
