/**
 * Calls that name files by path: resolution against the process's working directory or a directory
 * descriptor (the *at family), access, readlink, getcwd/chdir, and the namespace operations
 * (mkdir, unlink, rmdir, rename, symlink, link, chmod, utimensat, truncate).
 */
import {
  accessSync, chmodSync, fchmodSync, fsyncSync, ftruncateSync, linkSync, lstatSync, mkdirSync,
  readlinkSync, renameSync, rmdirSync, statSync, symlinkSync, truncateSync, unlinkSync, utimesSync,
} from "node:fs";
import { resolve } from "node:path";
import { EBADF, EFAULT, EINVAL, ENAMETOOLONG, ENOENT, ENOTDIR, ERANGE } from "../../abi/errno.js";
import type { UserProcess } from "../process.js";
import { descriptor } from "./io.js";
import { define, SyscallError } from "./table.js";

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EACCESS = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
const PATH_MAX = 4096;

/** Reads the path string at `addr`: -EFAULT if unreadable, -ENAMETOOLONG past PATH_MAX. */
export function pathArg(p: UserProcess, addr: number): string {
  const s = p.space.readCString(addr, PATH_MAX);
  if (s === null) throw new SyscallError(p.space.readCString(addr, 1 << 20) === null ? EFAULT : ENAMETOOLONG);
  return s;
}

/** The directory a relative path in an *at call is taken from. */
function baseDirectory(p: UserProcess, dirfd: number): string {
  if (dirfd === AT_FDCWD) return p.cwd;
  const desc = descriptor(p, dirfd);
  if (desc.type !== "host" || desc.path === "") throw new SyscallError(EBADF);
  if (desc.kind !== "dir") throw new SyscallError(ENOTDIR);
  return desc.path;
}

/**
 * The absolute host path for (`dirfd`, path at `pathAddr`). With `allowEmpty` an empty path yields
 * "" (the caller then operates on `dirfd` itself, AT_EMPTY_PATH); otherwise it is -ENOENT.
 */
export function resolveAt(p: UserProcess, dirfd: number, pathAddr: number, allowEmpty: boolean): string {
  const path = pathArg(p, pathAddr);
  if (path === "") {
    if (allowEmpty) return "";
    throw new SyscallError(ENOENT);
  }
  if (path === "/proc/self/exe") return p.exePath;
  if (path.startsWith("/")) return path;
  return resolve(baseDirectory(p, dirfd), path);
}

/** What readlink says about the special /proc/self links, or null for an ordinary path. */
function procSelfLink(p: UserProcess, path: string): string | null {
  if (path === "/proc/self/exe" || path === `/proc/${p.host.pid}/exe`) return p.exePath;
  if (path === "/proc/self/cwd") return p.cwd;
  const m = /^\/proc\/(?:self|thread-self|\d+)\/fd\/(\d+)$/.exec(path);
  if (m) {
    const desc = descriptor(p, Number(m[1]));
    if (desc.type === "pipe") return `pipe:[${Math.abs(hash(desc.pipe))}]`;
    return desc.path;
  }
  return null;
}

const pipeIds = new WeakMap<object, number>();
let nextPipeId = 4000;
function hash(o: object): number {
  let id = pipeIds.get(o);
  if (id === undefined) pipeIds.set(o, (id = nextPipeId++));
  return id;
}

function readlinkAt(p: UserProcess, dirfd: number, pathAddr: number, buf: number, size: number): number {
  if ((size | 0) <= 0) return -EINVAL;
  const raw = pathArg(p, pathAddr);
  const special = procSelfLink(p, raw.startsWith("/") ? raw : resolve(p.cwd, raw));
  const target = special ?? readlinkSync(resolveAt(p, dirfd, pathAddr, false), { encoding: "buffer" }).toString("utf8");
  const bytes = Buffer.from(target, "utf8").subarray(0, size);
  return p.space.write(buf, bytes) ? bytes.length : -EFAULT;
}

function getcwd(p: UserProcess, buf: number, size: number): number {
  const bytes = Buffer.from(p.cwd + "\0", "utf8");
  if (bytes.length > size) return -ERANGE;
  return p.space.write(buf, bytes) ? bytes.length : -EFAULT;
}

function chdirTo(p: UserProcess, path: string): number {
  if (!statSync(path).isDirectory()) return -ENOTDIR;
  accessSync(path, 1 /* X_OK */);
  p.cwd = path;
  return 0;
}

function accessAt(p: UserProcess, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if (mode & ~7 || flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const path = resolveAt(p, dirfd, pathAddr, (flags & AT_EMPTY_PATH) !== 0);
  accessSync(path === "" ? descPath(p, dirfd) : path, mode);
  return 0;
}

function descPath(p: UserProcess, fd: number): string {
  const desc = descriptor(p, fd);
  if (desc.type !== "host" || desc.path === "") throw new SyscallError(EBADF);
  return desc.path;
}

function unlinkAt(p: UserProcess, dirfd: number, pathAddr: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const path = resolveAt(p, dirfd, pathAddr, false);
  if (flags & AT_REMOVEDIR) rmdirSync(path);
  else unlinkSync(path);
  return 0;
}

function renameAt(p: UserProcess, olddir: number, oldAddr: number, newdir: number, newAddr: number, flags: number): number {
  if (flags !== 0) return -EINVAL; // RENAME_NOREPLACE / EXCHANGE / WHITEOUT are not offered
  renameSync(resolveAt(p, olddir, oldAddr, false), resolveAt(p, newdir, newAddr, false));
  return 0;
}

const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

/** utimensat with 32-bit (`timespecSize` 8) or 64-bit (16) struct timespec[2]. */
function utimensAt(p: UserProcess, dirfd: number, pathAddr: number, times: number, flags: number, timespecSize: number): number {
  const path = pathAddr === 0 ? descPath(p, dirfd) : resolveAt(p, dirfd, pathAddr, (flags & AT_EMPTY_PATH) !== 0) || descPath(p, dirfd);
  const st = (flags & AT_SYMLINK_NOFOLLOW ? lstatSync : statSync)(path);
  const now = Date.now() / 1000;
  let atime = now;
  let mtime = now;
  if (times !== 0) {
    const raw = p.space.read(times, timespecSize * 2);
    if (raw === null) return -EFAULT;
    const v = new DataView(raw.buffer);
    const pick = (i: number, current: number): number => {
      const sec = timespecSize === 8 ? v.getInt32(i * 8, true) : Number(v.getBigInt64(i * 16, true));
      const nsec = v.getInt32(i * timespecSize + (timespecSize === 8 ? 4 : 8), true);
      if (nsec === UTIME_NOW) return now;
      if (nsec === UTIME_OMIT) return current;
      if (nsec < 0 || nsec > 999999999) throw new SyscallError(EINVAL);
      return sec + nsec / 1e9;
    };
    atime = pick(0, st.atimeMs / 1000);
    mtime = pick(1, st.mtimeMs / 1000);
  }
  utimesSync(path, atime, mtime);
  return 0;
}

function length64(lo: number, hi: number): number {
  const n = (hi | 0) * 0x100000000 + lo;
  if (n < 0) throw new SyscallError(EINVAL);
  return n;
}

define(33, "access", "so", (p, path, mode) => accessAt(p, AT_FDCWD, path, mode, 0));
define(334, "faccessat", "fso", (p, dirfd, path, mode) => accessAt(p, dirfd | 0, path, mode, 0));
define(439, "faccessat2", "fsox", (p, dirfd, path, mode, flags) => accessAt(p, dirfd | 0, path, mode, flags));
define(85, "readlink", "sxu", (p, path, buf, size) => readlinkAt(p, AT_FDCWD, path, buf, size));
define(332, "readlinkat", "fsxu", (p, dirfd, path, buf, size) => readlinkAt(p, dirfd | 0, path, buf, size));
define(183, "getcwd", "xu", (p, buf, size) => getcwd(p, buf, size));
define(12, "chdir", "s", (p, path) => chdirTo(p, resolveAt(p, AT_FDCWD, path, false)));
define(133, "fchdir", "f", (p, fd) => chdirTo(p, descPath(p, fd | 0)));
define(39, "mkdir", "so", (p, path, mode) => (mkdirSync(resolveAt(p, AT_FDCWD, path, false), mode & ~p.umask & 0o7777), 0));
define(323, "mkdirat", "fso", (p, dirfd, path, mode) => (mkdirSync(resolveAt(p, dirfd | 0, path, false), mode & ~p.umask & 0o7777), 0));
define(10, "unlink", "s", (p, path) => unlinkAt(p, AT_FDCWD, path, 0));
define(328, "unlinkat", "fsx", (p, dirfd, path, flags) => unlinkAt(p, dirfd | 0, path, flags));
define(40, "rmdir", "s", (p, path) => unlinkAt(p, AT_FDCWD, path, AT_REMOVEDIR));
define(38, "rename", "ss", (p, from, to) => renameAt(p, AT_FDCWD, from, AT_FDCWD, to, 0));
define(329, "renameat", "fsfs", (p, od, from, nd, to) => renameAt(p, od | 0, from, nd | 0, to, 0));
define(382, "renameat2", "fsfsx", (p, od, from, nd, to, flags) => renameAt(p, od | 0, from, nd | 0, to, flags));
define(83, "symlink", "ss", (p, target, link) => (symlinkSync(pathArg(p, target), resolveAt(p, AT_FDCWD, link, false)), 0));
define(331, "symlinkat", "sfs", (p, target, dirfd, link) => (symlinkSync(pathArg(p, target), resolveAt(p, dirfd | 0, link, false)), 0));
define(9, "link", "ss", (p, from, to) => (linkSync(resolveAt(p, AT_FDCWD, from, false), resolveAt(p, AT_FDCWD, to, false)), 0));
define(330, "linkat", "fsfsx", (p, od, from, nd, to) => (linkSync(resolveAt(p, od | 0, from, false), resolveAt(p, nd | 0, to, false)), 0));
define(15, "chmod", "so", (p, path, mode) => (chmodSync(resolveAt(p, AT_FDCWD, path, false), mode & 0o7777), 0));
define(333, "fchmodat", "fso", (p, dirfd, path, mode) => (chmodSync(resolveAt(p, dirfd | 0, path, false), mode & 0o7777), 0));
define(94, "fchmod", "fo", (p, fd, mode) => {
  const desc = descriptor(p, fd);
  if (desc.type !== "host") return -EINVAL;
  fchmodSync(desc.hostFd, mode & 0o7777);
  return 0;
});
define(348, "utimensat", "fsxx", (p, dirfd, path, times, flags) => utimensAt(p, dirfd | 0, path, times, flags, 8));
define(412, "utimensat_time64", "fsxx", (p, dirfd, path, times, flags) => utimensAt(p, dirfd | 0, path, times, flags, 16));
// truncate64(path, pad, lo, hi) / ftruncate64(fd, pad, lo, hi): the 64-bit length sits in r2/r3.
define(193, "truncate64", "sxuu", (p, path, _pad, lo, hi) => (truncateSync(resolveAt(p, AT_FDCWD, path, false), length64(lo, hi)), 0));
define(194, "ftruncate64", "fxuu", (p, fd, _pad, lo, hi) => {
  const desc = descriptor(p, fd);
  if (desc.type !== "host" || desc.kind !== "file") return -EINVAL;
  ftruncateSync(desc.hostFd, length64(lo, hi));
  return 0;
});
const syncFd = (p: UserProcess, fd: number): number => {
  const desc = descriptor(p, fd);
  if (desc.type === "host" && desc.kind === "file") fsyncSync(desc.hostFd);
  return desc.type === "host" && desc.kind === "file" ? 0 : -EINVAL;
};
define(118, "fsync", "f", syncFd);
define(148, "fdatasync", "f", syncFd);

export { descPath };
