/**
 * rt_sigaction, rt_sigprocmask, sigaltstack, and kill/tkill/tgkill to the process itself.
 * The kernel's ARM `struct sigaction` is { sa_handler, sa_flags, sa_restorer, sa_mask (8 bytes) }.
 */
import { EFAULT, EINVAL, EPERM, ESRCH } from "../../abi/errno.js";
import { NSIG, type UserProcess } from "../process.js";
import { SIGKILL, SIGSTOP, sendSignal } from "../signals.js";
import { define } from "./table.js";

const SIGSET_SIZE = 8;
const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const UNBLOCKABLE = (1n << BigInt(SIGKILL - 1)) | (1n << BigInt(SIGSTOP - 1));
const SS_ONSTACK = 1, SS_DISABLE = 2, MINSIGSTKSZ = 2048;

function rtSigaction(p: UserProcess, sig: number, act: number, oldact: number, size: number): number {
  if (size !== SIGSET_SIZE || sig < 1 || sig > NSIG) return -EINVAL;
  let next: Uint8Array | null = null;
  if (act !== 0) {
    if (sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
    next = p.space.read(act, 20);
    if (next === null) return -EFAULT;
  }
  if (oldact !== 0) {
    const a = p.actions[sig];
    const out = new Uint8Array(20);
    const v = new DataView(out.buffer);
    v.setUint32(0, a.handler, true);
    v.setUint32(4, a.flags, true);
    v.setUint32(8, a.restorer, true);
    v.setBigUint64(12, a.mask, true);
    if (!p.space.write(oldact, out)) return -EFAULT;
  }
  if (next !== null) {
    const v = new DataView(next.buffer);
    p.actions[sig] = {
      handler: v.getUint32(0, true),
      flags: v.getUint32(4, true),
      restorer: v.getUint32(8, true),
      mask: v.getBigUint64(12, true) & ~UNBLOCKABLE,
    };
  }
  return 0;
}

function rtSigprocmask(p: UserProcess, how: number, set: number, oldset: number, size: number): number {
  if (size !== SIGSET_SIZE) return -EINVAL;
  let mask: bigint | null = null;
  if (set !== 0) {
    const raw = p.space.read(set, 8);
    if (raw === null) return -EFAULT;
    mask = new DataView(raw.buffer).getBigUint64(0, true);
    if (how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) return -EINVAL;
  }
  if (oldset !== 0) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, p.blocked, true);
    if (!p.space.write(oldset, out)) return -EFAULT;
  }
  if (mask !== null) {
    if (how === SIG_BLOCK) p.blocked |= mask;
    else if (how === SIG_UNBLOCK) p.blocked &= ~mask;
    else p.blocked = mask;
    p.blocked &= ~UNBLOCKABLE;
    deliverUnblocked(p);
  }
  return 0;
}

/** Pending signals that just became unblocked get their disposition applied now. */
function deliverUnblocked(p: UserProcess): void {
  const ready = p.pendingSignals & ~p.blocked;
  if (ready === 0n) return;
  for (let sig = 1; sig <= NSIG; sig++) {
    const bit = 1n << BigInt(sig - 1);
    if (ready & bit && p.actions[sig].handler <= 1) {
      p.pendingSignals &= ~bit;
      sendSignal(p, sig);
    }
  }
}

/** stack_t { void *ss_sp; int ss_flags; size_t ss_size; } */
function sigaltstack(p: UserProcess, ss: number, oldss: number): number {
  let next: { sp: number; flags: number; size: number } | null = null;
  if (ss !== 0) {
    const raw = p.space.read(ss, 12);
    if (raw === null) return -EFAULT;
    const v = new DataView(raw.buffer);
    next = { sp: v.getUint32(0, true), flags: v.getInt32(4, true), size: v.getUint32(8, true) };
    if (next.flags & ~(SS_DISABLE | (1 << 31))) return -EINVAL;
    if (!(next.flags & SS_DISABLE) && next.size < MINSIGSTKSZ) return -12; // ENOMEM
  }
  if (oldss !== 0) {
    const out = new Uint8Array(12);
    const v = new DataView(out.buffer);
    v.setUint32(0, p.altStack.sp, true);
    v.setInt32(4, p.altStack.flags & ~SS_ONSTACK, true);
    v.setUint32(8, p.altStack.size, true);
    if (!p.space.write(oldss, out)) return -EFAULT;
  }
  if (next) p.altStack = next.flags & SS_DISABLE ? { sp: 0, flags: SS_DISABLE, size: 0 } : next;
  return 0;
}

/** A signal to `pid`: only this process (and its group, which is only itself) can be reached. */
function kill(p: UserProcess, pid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const self = pid === p.host.pid || pid === 0 || pid === -1 || pid === -p.host.pid;
  if (!self) return pid > 0 ? -EPERM : -ESRCH;
  if (sig !== 0) sendSignal(p, sig);
  return 0;
}

define(174, "rt_sigaction", "dxxu", (p, sig, act, old, size) => rtSigaction(p, sig, act, old, size));
define(175, "rt_sigprocmask", "dxxu", (p, how, set, old, size) => rtSigprocmask(p, how, set, old, size));
define(186, "sigaltstack", "xx", (p, ss, old) => sigaltstack(p, ss, old));
define(37, "kill", "dd", (p, pid, sig) => kill(p, pid | 0, sig | 0));
define(238, "tkill", "dd", (p, tid, sig) => (tid === p.tid ? kill(p, p.host.pid, sig | 0) : -ESRCH));
define(268, "tgkill", "ddd", (p, tgid, tid, sig) => (tgid === p.host.pid && tid === p.tid ? kill(p, p.host.pid, sig | 0) : -ESRCH));
