/**
 * Process, identity, time and resource calls: exit/exit_group, the id getters, uname, getrandom,
 * ARM's set_tls, set_tid_address/set_robust_list/futex (one thread), clocks and sleeps, rlimits,
 * sysinfo, times, umask, scheduling queries and poll/ppoll.
 */
import { randomFillSync } from "node:crypto";
import { EAGAIN, EFAULT, EINVAL, ENOSYS, EPERM, ETIMEDOUT } from "../../abi/errno.js";
import type { UserProcess } from "../process.js";
import { define, SyscallError } from "./table.js";

const RLIM_INFINITY = 0xffffffff;
const RLIMIT_STACK = 3;
const RLIMIT_NOFILE = 7;
const RLIM_NLIMITS = 16;
/** Defaults a fresh Linux login shell gives: stack 8 MiB, nofile 1024/1048576, the rest unlimited. */
const DEFAULT_LIMITS: Record<number, [number, number]> = {
  [RLIMIT_STACK]: [8 * 1024 * 1024, Infinity],
  4 /* CORE */: [0, Infinity],
  6 /* NPROC */: [63457, 63457],
  [RLIMIT_NOFILE]: [1024, 1048576],
  8 /* MEMLOCK */: [8 * 1024 * 1024, 8 * 1024 * 1024],
  11 /* SIGPENDING */: [63457, 63457],
  12 /* MSGQUEUE */: [819200, 819200],
  13 /* NICE */: [0, 0],
  14 /* RTPRIO */: [0, 0],
};

export function rlimit(p: UserProcess, resource: number): [number, number] {
  return p.rlimits.get(resource) ?? DEFAULT_LIMITS[resource] ?? [Infinity, Infinity];
}

function exitProcess(p: UserProcess, status: number): number {
  p.exit = { kind: "exited", status: status & 0xff };
  return 0;
}

/** struct new_utsname: six 65-byte fields. */
function uname(p: UserProcess, buf: number): number {
  const out = new Uint8Array(65 * 6);
  const fields = ["Linux", "tskvm", "6.1.0-tskvm", "#1 SMP PREEMPT tskvm", "armv7l", "(none)"];
  fields.forEach((f, i) => out.set(Buffer.from(f, "utf8").subarray(0, 64), i * 65));
  return p.space.write(buf, out) ? 0 : -EFAULT;
}

function getrandom(p: UserProcess, buf: number, len: number, flags: number): number {
  if (flags & ~7) return -EINVAL;
  const n = Math.min(len, 33554431);
  const bytes = new Uint8Array(n);
  randomFillSync(bytes);
  return p.space.write(buf, bytes) ? n : -EFAULT;
}

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_CMD_MASK = ~(128 | 256); // PRIVATE_FLAG, CLOCK_REALTIME

/**
 * futex with one thread: a wait whose value matches can only be ended by its timeout (nobody else
 * can wake it), so it sleeps that long and returns -ETIMEDOUT. Without a timeout Linux would hang
 * forever (a guest deadlock); we return -ETIMEDOUT at once rather than hang the emulator.
 */
function futex(p: UserProcess, uaddr: number, op: number, val: number, timeout: number, timespecSize: number): number {
  const cmd = op & FUTEX_CMD_MASK;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      const current = p.space.readU32(uaddr);
      if (current === null) return -EFAULT;
      if (current !== val >>> 0) return -EAGAIN;
      if (timeout !== 0) {
        const ns = readTimespec(p, timeout, timespecSize);
        sleepNs(cmd === FUTEX_WAIT ? ns : Math.max(0, ns - nowNs(op & 256 ? 0 : 1)));
      }
      return -ETIMEDOUT;
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_WAKE_OP:
      return 0; // nobody else waits
    default:
      return -ENOSYS;
  }
}

function sleepNs(ns: number): void {
  if (ns <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ns / 1e6);
}

/** struct timespec as nanoseconds: 32-bit (8 bytes) or 64-bit time_t (16 bytes). */
function readTimespec(p: UserProcess, addr: number, size: number): number {
  const raw = p.space.read(addr, size);
  if (raw === null) throw new SyscallError(EFAULT);
  const v = new DataView(raw.buffer);
  const sec = size === 8 ? v.getInt32(0, true) : Number(v.getBigInt64(0, true));
  const nsec = size === 8 ? v.getInt32(4, true) : v.getInt32(8, true);
  if (sec < 0 || nsec < 0 || nsec > 999999999) throw new SyscallError(EINVAL);
  return sec * 1e9 + nsec;
}

function writeTimespec(p: UserProcess, addr: number, ns: bigint, size: number): number {
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const sec = ns / 1000000000n;
  const nsec = Number(ns % 1000000000n);
  if (size === 8) {
    v.setInt32(0, Number(BigInt.asIntN(32, sec)), true);
    v.setInt32(4, nsec, true);
  } else {
    v.setBigInt64(0, sec, true);
    v.setInt32(8, nsec, true);
  }
  return p.space.write(addr, out) ? 0 : -EFAULT;
}

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7;

const monotonicOrigin = process.hrtime.bigint();
const realtimeOrigin = BigInt(Date.now()) * 1000000n;

/** Nanoseconds on `clock`, or -1 for an unknown clock. */
function clockNs(p: UserProcess | null, clock: number): bigint {
  switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      return realtimeOrigin + (process.hrtime.bigint() - monotonicOrigin);
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
      return process.hrtime.bigint();
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      return BigInt(Math.round(process.cpuUsage().user * 1000));
    default:
      return -1n;
  }
}

function nowNs(clock: number): number {
  return Number(clockNs(null, clock));
}

function clockGettime(p: UserProcess, clock: number, ts: number, size: number): number {
  const ns = clockNs(p, clock | 0);
  if (ns < 0n) return -EINVAL;
  return writeTimespec(p, ts, ns, size);
}

function clockGetres(p: UserProcess, clock: number, ts: number, size: number): number {
  if (clockNs(p, clock | 0) < 0n) return -EINVAL;
  const coarse = clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE;
  return ts === 0 ? 0 : writeTimespec(p, ts, coarse ? 4000000n : 1n, size);
}

function clockNanosleep(p: UserProcess, clock: number, flags: number, req: number, rem: number, size: number): number {
  if (clockNs(p, clock | 0) < 0n || clock === CLOCK_THREAD_CPUTIME_ID) return -EINVAL;
  const ns = readTimespec(p, req, size);
  const TIMER_ABSTIME = 1;
  sleepNs(flags & TIMER_ABSTIME ? ns - Number(clockNs(p, clock)) : ns);
  if (rem !== 0 && !(flags & TIMER_ABSTIME)) writeTimespec(p, rem, 0n, size);
  return 0;
}

function gettimeofday(p: UserProcess, tv: number, tz: number): number {
  const ns = clockNs(p, CLOCK_REALTIME);
  if (tv !== 0) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setInt32(0, Number(ns / 1000000000n), true);
    new DataView(out.buffer).setInt32(4, Number((ns % 1000000000n) / 1000n), true);
    if (!p.space.write(tv, out)) return -EFAULT;
  }
  if (tz !== 0 && !p.space.write(tz, new Uint8Array(8))) return -EFAULT;
  return 0;
}

/** struct rlimit (two u32) or struct rlimit64 (two u64), RLIM_INFINITY as all ones. */
function encodeRlimit(limit: [number, number], wide: boolean): Uint8Array {
  const out = new Uint8Array(wide ? 16 : 8);
  const v = new DataView(out.buffer);
  limit.forEach((x, i) => {
    if (wide) v.setBigUint64(i * 8, x === Infinity ? 0xffffffffffffffffn : BigInt(x), true);
    else v.setUint32(i * 4, x === Infinity || x > RLIM_INFINITY ? RLIM_INFINITY : x, true);
  });
  return out;
}

function prlimit64(p: UserProcess, pid: number, resource: number, newAddr: number, oldAddr: number): number {
  if (pid !== 0 && pid !== p.host.pid) return -EPERM;
  if (resource >= RLIM_NLIMITS) return -EINVAL;
  const old = rlimit(p, resource);
  let next: [number, number] | null = null;
  if (newAddr !== 0) {
    const raw = p.space.read(newAddr, 16);
    if (raw === null) return -EFAULT;
    const v = new DataView(raw.buffer);
    const conv = (x: bigint): number => (x === 0xffffffffffffffffn ? Infinity : Number(x));
    next = [conv(v.getBigUint64(0, true)), conv(v.getBigUint64(8, true))];
  }
  if (oldAddr !== 0 && !p.space.write(oldAddr, encodeRlimit(old, true))) return -EFAULT;
  return next ? setLimit(p, resource, next) : 0;
}

function setLimit(p: UserProcess, resource: number, next: [number, number]): number {
  if (next[0] > next[1]) return -EINVAL;
  if (next[1] > rlimit(p, resource)[1]) return -EPERM; // raising the hard limit needs privilege
  p.rlimits.set(resource, next);
  if (resource === RLIMIT_NOFILE) p.fds.limit = Math.min(next[0], 1 << 20);
  return 0;
}

/** struct sysinfo on 32-bit ARM: 64 bytes (uptime, loads[3], RAM fields, procs, mem_unit). */
function sysinfo(p: UserProcess, buf: number): number {
  const out = new Uint8Array(64);
  const v = new DataView(out.buffer);
  v.setInt32(0, Math.floor(Number(process.hrtime.bigint() / 1000000000n)), true);
  const total = 1024 * 1024 * 1024;
  v.setUint32(16, total / 4096, true); // totalram, in mem_unit units
  v.setUint32(20, (total - p.space.residentBytes) / 4096, true); // freeram
  v.setUint16(40, 1, true); // procs
  v.setUint32(52, 4096, true); // mem_unit
  return p.space.write(buf, out) ? 0 : -EFAULT;
}

/** struct tms (four clock_t at 100 Hz); returns elapsed ticks. */
function times(p: UserProcess, buf: number): number {
  const usage = process.cpuUsage();
  if (buf !== 0) {
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    v.setInt32(0, Math.floor(usage.user / 10000), true);
    v.setInt32(4, Math.floor(usage.system / 10000), true);
    if (!p.space.write(buf, out)) return -EFAULT;
  }
  return Number((process.hrtime.bigint() / 10000000n) & 0x7fffffffn);
}

/** poll/ppoll: struct pollfd { int fd; short events; short revents; }. Files are always ready. */
function poll(p: UserProcess, fdsAddr: number, nfds: number): number {
  if (nfds > p.fds.limit) return -EINVAL;
  const raw = p.space.read(fdsAddr, nfds * 8);
  if (raw === null) return -EFAULT;
  const v = new DataView(raw.buffer);
  const POLLIN = 1, POLLOUT = 4, POLLHUP = 0x10, POLLNVAL = 0x20;
  let ready = 0;
  for (let i = 0; i < nfds; i++) {
    const fd = v.getInt32(i * 8, true);
    const events = v.getInt16(i * 8 + 4, true);
    let revents = 0;
    if (fd >= 0) {
      const desc = p.fds.get(fd);
      if (desc === undefined) revents = POLLNVAL;
      else if (desc.type === "pipe") {
        if (desc.end === "read") revents = (desc.pipe.size > 0 ? POLLIN : 0) | (desc.pipe.writers === 0 ? POLLHUP : 0);
        else revents = desc.pipe.readers === 0 ? 8 /* POLLERR */ : POLLOUT;
        revents &= events | POLLHUP | 8;
      } else revents = events & (POLLIN | POLLOUT | 2 | 0x40 | 0x100);
    }
    v.setInt16(i * 8 + 6, revents, true);
    if (revents) ready++;
  }
  return p.space.write(fdsAddr, raw) ? ready : -EFAULT;
}

define(1, "exit", "d", (p, status) => exitProcess(p, status));
define(248, "exit_group", "d", (p, status) => exitProcess(p, status));
define(20, "getpid", "", (p) => p.host.pid);
define(224, "gettid", "", (p) => p.tid);
define(64, "getppid", "", (p) => p.host.ppid);
define(199, "getuid32", "", (p) => p.host.uid);
define(201, "geteuid32", "", (p) => p.host.euid);
define(200, "getgid32", "", (p) => p.host.gid);
define(202, "getegid32", "", (p) => p.host.egid);
define(209, "getresuid32", "xxx", (p, r, e, s) =>
  p.space.writeU32(r, p.host.uid) && p.space.writeU32(e, p.host.euid) && p.space.writeU32(s, p.host.euid) ? 0 : -EFAULT);
define(211, "getresgid32", "xxx", (p, r, e, s) =>
  p.space.writeU32(r, p.host.gid) && p.space.writeU32(e, p.host.egid) && p.space.writeU32(s, p.host.egid) ? 0 : -EFAULT);
define(205, "getgroups32", "dx", (p, size, list) => {
  if ((size | 0) < 0) return -EINVAL;
  if (size === 0) return 1;
  return p.space.writeU32(list, p.host.gid) ? 1 : -EFAULT;
});
define(65, "getpgrp", "", (p) => p.host.pid);
define(132, "getpgid", "d", (p, pid) => (pid === 0 || pid === p.host.pid ? p.host.pid : -3 /* ESRCH */));
define(147, "getsid", "d", (p, pid) => (pid === 0 || pid === p.host.pid ? p.host.pid : -3));
define(122, "uname", "x", (p, buf) => uname(p, buf));
define(384, "getrandom", "xux", (p, buf, len, flags) => getrandom(p, buf, len, flags));
define(0xf0005, "set_tls", "x", (p, value) => {
  p.cpu.tpidruro = value;
  return 0;
});
define(256, "set_tid_address", "x", (p, addr) => {
  p.clearChildTid = addr;
  return p.tid;
});
define(338, "set_robust_list", "xu", (p, head, len) => {
  if (len !== 12) return -EINVAL; // sizeof(struct robust_list_head) on 32-bit
  p.robustList = { head, len };
  return 0;
});
define(240, "futex", "xdxxxx", (p, uaddr, op, val, timeout) => futex(p, uaddr, op, val, timeout, 8));
define(422, "futex_time64", "xdxxxx", (p, uaddr, op, val, timeout) => futex(p, uaddr, op, val, timeout, 16));
define(263, "clock_gettime", "dx", (p, clock, ts) => clockGettime(p, clock, ts, 8));
define(403, "clock_gettime64", "dx", (p, clock, ts) => clockGettime(p, clock, ts, 16));
define(264, "clock_getres", "dx", (p, clock, ts) => clockGetres(p, clock, ts, 8));
define(406, "clock_getres_time64", "dx", (p, clock, ts) => clockGetres(p, clock, ts, 16));
define(78, "gettimeofday", "xx", (p, tv, tz) => gettimeofday(p, tv, tz));
define(162, "nanosleep", "xx", (p, req, rem) => clockNanosleep(p, CLOCK_MONOTONIC, 0, req, rem, 8));
define(265, "clock_nanosleep", "dxxx", (p, c, f, req, rem) => clockNanosleep(p, c, f, req, rem, 8));
define(407, "clock_nanosleep_time64", "dxxx", (p, c, f, req, rem) => clockNanosleep(p, c, f, req, rem, 16));
define(191, "ugetrlimit", "dx", (p, res, buf) =>
  res >= RLIM_NLIMITS ? -EINVAL : p.space.write(buf, encodeRlimit(rlimit(p, res), false)) ? 0 : -EFAULT);
define(75, "setrlimit", "dx", (p, res, buf) => {
  if (res >= RLIM_NLIMITS) return -EINVAL;
  const raw = p.space.read(buf, 8);
  if (raw === null) return -EFAULT;
  const v = new DataView(raw.buffer);
  const conv = (x: number): number => (x === RLIM_INFINITY ? Infinity : x);
  return setLimit(p, res, [conv(v.getUint32(0, true)), conv(v.getUint32(4, true))]);
});
define(369, "prlimit64", "ddxx", (p, pid, res, n, o) => prlimit64(p, pid, res, n, o));
define(116, "sysinfo", "x", (p, buf) => sysinfo(p, buf));
define(43, "times", "x", (p, buf) => times(p, buf));
define(60, "umask", "o", (p, mask) => {
  const old = p.umask;
  p.umask = mask & 0o777;
  return old;
});
define(158, "sched_yield", "", () => 0);
define(242, "sched_getaffinity", "dux", (p, pid, size, mask) => {
  if (pid !== 0 && pid !== p.host.pid) return -3;
  if (size < 4 || size & 3) return -EINVAL;
  const out = new Uint8Array(4);
  out[0] = 1; // one CPU: the emulated core
  return p.space.write(mask, out) ? 4 : -EFAULT;
});
define(168, "poll", "xud", (p, fds, n) => poll(p, fds, n));
define(336, "ppoll", "xuxxu", (p, fds, n) => poll(p, fds, n));
define(414, "ppoll_time64", "xuxxu", (p, fds, n) => poll(p, fds, n));
define(172, "prctl", "dxxxx", () => -EINVAL);
define(136, "personality", "x", (_p, persona) => (persona === 0xffffffff || persona === 0 ? 0 : -EINVAL));
// ARM private calls (__ARM_NR_BASE 0xf0000 + n): cacheflush makes freshly written code visible.
define(0xf0002, "cacheflush", "xxx", (p, start, end) => {
  if (end < start) return -EINVAL;
  p.cpu.invalidateCode(start, end - start);
  return 0;
});
define(0xf0006, "get_tls", "", (p) => p.cpu.tpidruro | 0);
