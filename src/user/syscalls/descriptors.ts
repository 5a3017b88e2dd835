/**
 * Descriptor management: open/openat, close, dup/dup2/dup3, pipe/pipe2, fcntl64, ioctl (terminal
 * queries), getdents64. Guest open flags use ARM's values and are translated to the host's.
 */
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readdirSync, type Stats } from "node:fs";
import { join } from "node:path";
import { EBADF, EFAULT, EINVAL, EMFILE, ENOTDIR, ENOTTY } from "../../abi/errno.js";
import {
  O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECT, O_DIRECTORY, O_DSYNC, O_EXCL, O_NOATIME, O_NOCTTY,
  O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY, O_TRUNC, PipeBuffer, STATUS_FLAGS_SETTABLE, retain,
  type FileDescription, type FileKind, type HostDescription,
} from "../fd-table.js";
import type { UserProcess } from "../process.js";
import { descriptor } from "./io.js";
import { resolveAt, AT_FDCWD } from "./paths.js";
import { define } from "./table.js";

/** ARM open flag → host flag, for the bits whose values differ between architectures. */
const HOST_FLAG_BITS: Array<[number, number]> = [
  [O_CREAT, fsConstants.O_CREAT],
  [O_EXCL, fsConstants.O_EXCL],
  [O_NOCTTY, fsConstants.O_NOCTTY],
  [O_TRUNC, fsConstants.O_TRUNC],
  [O_APPEND, fsConstants.O_APPEND],
  [O_NONBLOCK, fsConstants.O_NONBLOCK],
  [O_DSYNC, fsConstants.O_DSYNC],
  [O_DIRECTORY, fsConstants.O_DIRECTORY],
  [O_NOFOLLOW, fsConstants.O_NOFOLLOW],
  [O_DIRECT, fsConstants.O_DIRECT ?? 0],
  [O_NOATIME, fsConstants.O_NOATIME ?? 0],
];

export function hostOpenFlags(flags: number): number {
  let host = flags & O_ACCMODE;
  if (flags & O_PATH) host = O_RDONLY; // no O_PATH in Node: a read-only open serves fstat and *at
  for (const [guest, hostBit] of HOST_FLAG_BITS) if (flags & guest) host |= hostBit;
  return host;
}

export function kindOf(st: Stats): FileKind {
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "dir";
  if (st.isCharacterDevice()) return "char";
  if (st.isBlockDevice()) return "block";
  if (st.isFIFO()) return "fifo";
  if (st.isSocket()) return "socket";
  return "link";
}

/** A description for a host fd we now own (or, for stdio, borrow). */
export function hostDescription(hostFd: number, path: string, flags: number, owns: boolean): HostDescription {
  const kind = kindOf(fstatSync(hostFd));
  return {
    type: "host", hostFd, path, kind, flags: flags & ~(O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY),
    pos: 0, seekable: kind === "file" || kind === "block", ownsHostFd: owns, dirEntries: null, dirIndex: 0, refs: 1,
  };
}

function openAt(p: UserProcess, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const path = resolveAt(p, dirfd, pathAddr, false);
  const target = path === "/proc/self/exe" ? p.exePath : path;
  const hostFd = openSync(target, hostOpenFlags(flags), mode & ~p.umask & 0o7777);
  const desc = hostDescription(hostFd, target, flags, true);
  const fd = p.fds.install(desc, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) {
    closeSync(hostFd);
    return -EMFILE;
  }
  return fd;
}

function dup3(p: UserProcess, oldfd: number, newfd: number, flags: number): number {
  const desc = descriptor(p, oldfd);
  if ((newfd | 0) < 0 || newfd >= p.fds.limit) return -EBADF;
  p.fds.installAt(newfd, retain(desc), (flags & O_CLOEXEC) !== 0);
  return newfd;
}

function makePipe(p: UserProcess, fdsAddr: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) return -EINVAL;
  if (!p.space.accessible(fdsAddr, 8, 1)) return -EFAULT;
  const pipe = new PipeBuffer();
  pipe.readers = 1;
  pipe.writers = 1;
  const status = flags & O_NONBLOCK;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const r = p.fds.install({ type: "pipe", pipe, end: "read", flags: O_RDONLY | status, refs: 1 }, cloexec);
  if (r < 0) return -EMFILE;
  const w = p.fds.install({ type: "pipe", pipe, end: "write", flags: 1 | status, refs: 1 }, cloexec);
  if (w < 0) {
    p.fds.close(r);
    return -EMFILE;
  }
  p.space.writeU32(fdsAddr, r);
  p.space.writeU32(fdsAddr + 4, w);
  return 0;
}

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
const F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7, F_GETLK64 = 12, F_SETLK64 = 13, F_SETLKW64 = 14;
const F_DUPFD_CLOEXEC = 1030;
const FD_CLOEXEC = 1;
const F_UNLCK = 2;

function fcntl(p: UserProcess, fd: number, cmd: number, arg: number): number {
  const desc = descriptor(p, fd);
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      if ((arg | 0) < 0 || arg >= p.fds.limit) return -EINVAL;
      const n = p.fds.install(retain(desc), cmd === F_DUPFD_CLOEXEC, arg);
      if (n < 0) desc.refs--;
      return n < 0 ? -EMFILE : n;
    }
    case F_GETFD:
      return p.fds.isCloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
      p.fds.setCloexec(fd, (arg & FD_CLOEXEC) !== 0);
      return 0;
    case F_GETFL:
      return desc.flags | (desc.type === "host" && desc.kind === "file" ? 0o400000 /* O_LARGEFILE */ : 0);
    case F_SETFL:
      desc.flags = (desc.flags & ~STATUS_FLAGS_SETTABLE) | (arg & STATUS_FLAGS_SETTABLE);
      return 0;
    case F_GETLK:
    case F_GETLK64: {
      // One process holds every lock it could conflict with: report the region as unlocked.
      const t = new Uint8Array([F_UNLCK, 0]);
      return p.space.write(arg, t) ? 0 : -EFAULT;
    }
    case F_SETLK:
    case F_SETLKW:
    case F_SETLK64:
    case F_SETLKW64:
      return 0;
    default:
      return -EINVAL;
  }
}

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCGPGRP = 0x540f;
const TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, FIONREAD = 0x541b, FIONBIO = 0x5421;
const FIONCLEX = 0x5450, FIOCLEX = 0x5451;

/**
 * The kernel's struct termios (36 bytes: four tcflag_t, c_line, c_cc[19]) as a fresh terminal has
 * it: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN.
 */
export function defaultTermios(): Uint8Array {
  const t = new Uint8Array(36);
  const v = new DataView(t.buffer);
  v.setUint32(0, 0o2400, true);
  v.setUint32(4, 0o5, true);
  v.setUint32(8, 0o2277, true);
  v.setUint32(12, 0o105073, true);
  // VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1, VSTART ^Q, VSTOP ^S, VSUSP ^Z
  t.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0], 17);
  return t;
}

function ioctl(p: UserProcess, fd: number, request: number, arg: number): number {
  const desc = descriptor(p, fd);
  if (request === FIOCLEX || request === FIONCLEX) {
    p.fds.setCloexec(fd, request === FIOCLEX);
    return 0;
  }
  if (request === FIONBIO) {
    const on = p.space.readU32(arg);
    if (on === null) return -EFAULT;
    desc.flags = on ? desc.flags | O_NONBLOCK : desc.flags & ~O_NONBLOCK;
    return 0;
  }
  if (request === FIONREAD && desc.type === "pipe") return p.space.writeU32(arg, desc.pipe.size) ? 0 : -EFAULT;
  const tty = desc.type === "host" && desc.kind === "char" && p.host.isTerminal(desc.hostFd);
  if (!tty || desc.type !== "host") return -ENOTTY;
  switch (request) {
    case TCGETS:
      return p.space.write(arg, defaultTermios()) ? 0 : -EFAULT;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      return p.space.accessible(arg, 36, 0) ? 0 : -EFAULT;
    case TIOCGWINSZ: {
      const size = p.host.windowSize(desc.hostFd) ?? { rows: 24, cols: 80 };
      const ws = new Uint8Array(8); // struct winsize { u16 ws_row, ws_col, ws_xpixel, ws_ypixel }
      new DataView(ws.buffer).setUint16(0, size.rows, true);
      new DataView(ws.buffer).setUint16(2, size.cols, true);
      return p.space.write(arg, ws) ? 0 : -EFAULT;
    }
    case TIOCGPGRP:
      return p.space.writeU32(arg, p.host.pid) ? 0 : -EFAULT;
    case TIOCSPGRP:
      return 0;
    case FIONREAD:
      return p.space.writeU32(arg, 0) ? 0 : -EFAULT;
    default:
      return -ENOTTY;
  }
}

const DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

function direntType(st: Pick<Stats, "isFile" | "isDirectory" | "isSymbolicLink" | "isCharacterDevice" | "isBlockDevice" | "isFIFO" | "isSocket">): number {
  if (st.isFile()) return DT_REG;
  if (st.isDirectory()) return DT_DIR;
  if (st.isSymbolicLink()) return DT_LNK;
  if (st.isCharacterDevice()) return DT_CHR;
  if (st.isBlockDevice()) return DT_BLK;
  if (st.isFIFO()) return DT_FIFO;
  if (st.isSocket()) return DT_SOCK;
  return DT_UNKNOWN;
}

function listDirectory(desc: HostDescription): Array<{ name: string; ino: bigint; type: number }> {
  const entries = [".", "..", ...readdirSync(desc.path)];
  return entries.map((name) => {
    try {
      const st = lstatSync(join(desc.path, name), { bigint: true });
      return { name, ino: st.ino, type: direntType(st) };
    } catch {
      return { name, ino: 0n, type: DT_UNKNOWN };
    }
  });
}

/** struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; } padded to 8. */
function getdents64(p: UserProcess, fd: number, buf: number, count: number): number {
  const desc = descriptor(p, fd);
  if (desc.type !== "host" || desc.kind !== "dir") return -ENOTDIR;
  desc.dirEntries ??= listDirectory(desc);
  const out = new Uint8Array(Math.min(count, 1 << 20));
  const view = new DataView(out.buffer);
  let used = 0;
  while (desc.dirIndex < desc.dirEntries.length) {
    const e = desc.dirEntries[desc.dirIndex];
    const name = Buffer.from(e.name, "utf8");
    const reclen = (19 + name.length + 1 + 7) & ~7;
    if (used + reclen > out.length) {
      if (used === 0) return -EINVAL;
      break;
    }
    view.setBigUint64(used, e.ino, true);
    view.setBigInt64(used + 8, BigInt(desc.dirIndex + 1), true);
    view.setUint16(used + 16, reclen, true);
    out[used + 18] = e.type;
    out.set(name, used + 19);
    used += reclen;
    desc.dirIndex++;
  }
  return p.space.write(buf, out.subarray(0, used)) ? used : -EFAULT;
}

define(5, "open", "sxo", (p, path, flags, mode) => openAt(p, AT_FDCWD, path, flags, mode));
define(322, "openat", "fsxo", (p, dirfd, path, flags, mode) => openAt(p, dirfd | 0, path, flags, mode));
define(6, "close", "f", (p, fd) => (p.fds.close(fd | 0) ? 0 : -EBADF));
define(41, "dup", "f", (p, fd) => {
  const desc = descriptor(p, fd);
  const n = p.fds.install(retain(desc), false);
  if (n < 0) desc.refs--;
  return n < 0 ? -EMFILE : n;
});
define(63, "dup2", "ff", (p, oldfd, newfd) => {
  descriptor(p, oldfd);
  return oldfd === newfd ? newfd : dup3(p, oldfd, newfd, 0);
});
define(358, "dup3", "ffx", (p, oldfd, newfd, flags) => {
  if (oldfd === newfd || flags & ~O_CLOEXEC) return -EINVAL;
  return dup3(p, oldfd, newfd, flags);
});
define(42, "pipe", "x", (p, fds) => makePipe(p, fds, 0));
define(359, "pipe2", "xx", (p, fds, flags) => makePipe(p, fds, flags));
define(221, "fcntl64", "fdx", (p, fd, cmd, arg) => fcntl(p, fd, cmd, arg));
define(54, "ioctl", "fxx", (p, fd, req, arg) => ioctl(p, fd, req, arg));
define(217, "getdents64", "fxu", (p, fd, buf, count) => getdents64(p, fd, buf, count));
