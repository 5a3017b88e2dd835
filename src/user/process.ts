/**
 * One emulated Linux process: its address space, descriptor table, program break, signal
 * dispositions and the few other pieces of task state system calls read and change. The CPU is
 * reached through `UserCpuState`, the part of the ARM core system calls need (registers, TLS).
 */
import { AddressSpace } from "./address-space.js";
import { FdTable } from "./fd-table.js";

/** The ARM core as system calls see it. */
export interface UserCpuState {
  readonly regs: Int32Array;
  pc: number;
  cpsr: number;
  tpidruro: number;
  invalidateCode(pa: number, len: number): void;
}

/** What the process learns from the host it runs on; supplied by the CLI. */
export interface HostContext {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  euid: number;
  egid: number;
  /** Starting working directory (absolute). */
  cwd: string;
  /** Host fds the guest's 0, 1 and 2 refer to. */
  stdio: [number, number, number];
  /** Terminal size of a host fd that is a terminal, else null. */
  windowSize(hostFd: number): { rows: number; cols: number } | null;
  isTerminal(hostFd: number): boolean;
  /** --strace output, one line at a time (without newline); null when not tracing. */
  trace: ((line: string) => void) | null;
}

export const NSIG = 64;
export const SIG_DFL = 0;
export const SIG_IGN = 1;

export interface SignalAction {
  handler: number;
  flags: number;
  restorer: number;
  /** Blocked-during-handler mask: bit n-1 for signal n. */
  mask: bigint;
}

/** How the process ended. */
export type ProcessExit =
  | { kind: "exited"; status: number }
  | { kind: "signaled"; signal: number; coreDump: boolean; detail: string };

export class UserProcess {
  readonly space = new AddressSpace();
  readonly fds = new FdTable();
  cwd: string;
  umask = 0o022;
  brkStart = 0;
  brk = 0;
  /** Absolute path of the program (what /proc/self/exe reads as). */
  exePath = "";
  readonly actions: SignalAction[] = [];
  blocked = 0n;
  /** Signals sent but not delivered (blocked, or with a handler we cannot run): bit n-1 for n. */
  pendingSignals = 0n;
  altStack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };
  clearChildTid = 0;
  robustList = { head: 0, len: 0 };
  /** rlimits by resource number: [soft, hard], Infinity = RLIM_INFINITY. */
  readonly rlimits = new Map<number, [number, number]>();
  exit: ProcessExit | null = null;
  readonly startTime = process.hrtime.bigint();

  constructor(
    public cpu: UserCpuState,
    readonly host: HostContext,
  ) {
    this.cwd = host.cwd;
    for (let s = 0; s <= NSIG; s++) this.actions.push({ handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n });
  }

  /** The guest CPU wrote nothing but memory changed under it: drop decoded code for the range. */
  attachCpu(cpu: UserCpuState): void {
    this.cpu = cpu;
    this.space.onExternalWrite = (addr, len) => cpu.invalidateCode(addr, len);
  }

  get tid(): number {
    return this.host.pid;
  }
}
