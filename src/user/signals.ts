/**
 * Signals: numbers and default actions (signal(7)), dispositions recorded by rt_sigaction, and
 * delivery of default actions. A signal whose disposition is a handler is recorded as pending but
 * not delivered (no signal frames yet); a fault with a handler installed ends the process the way
 * the default action would, so the failure is visible rather than silently skipped.
 */
import { SIG_DFL, SIG_IGN, type UserProcess } from "./process.js";

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGXCPU = 24;
export const SIGXFSZ = 25;
export const SIGWINCH = 28;
export const SIGSYS = 31;

const DESCRIPTIONS: Record<number, string> = {
  1: "Hangup", 2: "Interrupt", 3: "Quit", 4: "Illegal instruction", 5: "Trace/breakpoint trap",
  6: "Aborted", 7: "Bus error", 8: "Floating point exception", 9: "Killed", 10: "User defined signal 1",
  11: "Segmentation fault", 12: "User defined signal 2", 13: "Broken pipe", 14: "Alarm clock",
  15: "Terminated", 16: "Stack fault", 24: "CPU time limit exceeded", 25: "File size limit exceeded",
  26: "Virtual timer expired", 27: "Profiling timer expired", 29: "I/O possible", 30: "Power failure",
  31: "Bad system call",
};

export function signalDescription(sig: number): string {
  return DESCRIPTIONS[sig] ?? (sig >= 34 ? `Real-time signal ${sig - 34}` : `Signal ${sig}`);
}

const CORE_DUMPING = new Set([SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS]);
const IGNORED_BY_DEFAULT = new Set([SIGCHLD, SIGCONT, SIGURG, SIGWINCH]);
const STOPPING = new Set([SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU]);

/** Pending signals that have a handler we cannot run yet (bit n-1 for signal n). */
export function pendingMask(p: UserProcess): bigint {
  return p.pendingSignals;
}

/** Ends the process by `sig`'s default action with `detail` for the one-line report. */
export function terminateBySignal(p: UserProcess, sig: number, detail = ""): void {
  if (p.exit !== null) return;
  p.exit = { kind: "signaled", signal: sig, coreDump: CORE_DUMPING.has(sig), detail };
}

/**
 * A signal sent to the process (kill, tgkill, SIGPIPE). Applies the disposition: ignored, default
 * (terminate / ignore / stop — a stop has no job control here, so it is ignored), or handler (pending).
 */
export function sendSignal(p: UserProcess, sig: number, detail = ""): void {
  if (sig === SIGKILL) return terminateBySignal(p, sig, detail);
  const bit = 1n << BigInt(sig - 1);
  if (p.blocked & bit) {
    p.pendingSignals |= bit;
    return;
  }
  const handler = p.actions[sig].handler;
  if (handler === SIG_IGN) return;
  if (handler === SIG_DFL) {
    if (IGNORED_BY_DEFAULT.has(sig) || STOPPING.has(sig)) return;
    return terminateBySignal(p, sig, detail);
  }
  p.pendingSignals |= bit;
}

/**
 * A synchronous fault (SIGSEGV, SIGILL, SIGBUS, SIGTRAP, SIGFPE) raised by an instruction. Linux
 * forces these through even when blocked or ignored; with a handler installed we would need a
 * signal frame, which we do not build, so the process ends as the default action would.
 */
export function raiseFault(p: UserProcess, sig: number, detail: string): void {
  terminateBySignal(p, sig, detail);
}
