/**
 * stat64/lstat64/fstat64/fstatat64 (32-bit ARM `struct stat64`, 104 bytes, from
 * arch/arm/include/uapi/asm/stat.h with EABI 8-byte alignment of the 64-bit members) and statx
 * (`struct statx`, 256 bytes, the same on every architecture).
 */
import { fstatSync, lstatSync, statSync, type BigIntStats } from "node:fs";
import { EFAULT, EINVAL } from "../../abi/errno.js";
import type { UserProcess } from "../process.js";
import { descriptor } from "./io.js";
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, resolveAt } from "./paths.js";
import { define } from "./table.js";

export const STAT64_SIZE = 104;
export const STATX_SIZE = 256;
const AT_NO_AUTOMOUNT = 0x800;
const AT_STATX_SYNC_TYPE = 0x6000;
const STATX_BASIC_STATS = 0x7ff;
const STATX_BTIME = 0x800;

const S_IFIFO = 0o010000;

/** The fields both layouts are built from. */
export interface StatFields {
  dev: bigint;
  ino: bigint;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: bigint;
  size: bigint;
  blksize: number;
  blocks: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  birthtimeNs: bigint;
}

function fromHost(st: BigIntStats): StatFields {
  return {
    dev: st.dev, ino: st.ino, mode: Number(st.mode), nlink: Number(st.nlink), uid: Number(st.uid),
    gid: Number(st.gid), rdev: st.rdev, size: st.size, blksize: Number(st.blksize), blocks: st.blocks,
    atimeNs: st.atimeNs, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, birthtimeNs: st.birthtimeNs,
  };
}

/** What fstat says about an in-process pipe: a FIFO owned by the process, size 0. */
function pipeFields(p: UserProcess): StatFields {
  const now = BigInt(Date.now()) * 1000000n;
  return {
    dev: 0xcn, ino: 4000n, mode: S_IFIFO | 0o600, nlink: 1, uid: p.host.euid, gid: p.host.egid, rdev: 0n,
    size: 0n, blksize: 4096, blocks: 0n, atimeNs: now, mtimeNs: now, ctimeNs: now, birthtimeNs: 0n,
  };
}

/** Linux's dev_t split (glibc's 64-bit encoding, which the host's stat uses). */
export function devMajor(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)) >>> 0;
}
export function devMinor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)) >>> 0;
}

/** The 32-bit kernel's `new_encode_dev`-style value for stat64's 64-bit st_dev/st_rdev. */
function encodeDev(dev: bigint): bigint {
  const major = BigInt(devMajor(dev));
  const minor = BigInt(devMinor(dev));
  return (minor & 0xffn) | (major << 8n) | ((minor & ~0xffn) << 12n);
}

const NS = 1000000000n;

export function encodeStat64(f: StatFields): Uint8Array {
  const out = new Uint8Array(STAT64_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, encodeDev(f.dev), true);
  v.setUint32(12, Number(f.ino & 0xffffffffn), true); // __st_ino: the low 32 bits
  v.setUint32(16, f.mode, true);
  v.setUint32(20, f.nlink, true);
  v.setUint32(24, f.uid, true);
  v.setUint32(28, f.gid, true);
  v.setBigUint64(32, encodeDev(f.rdev), true);
  v.setBigInt64(48, f.size, true);
  v.setUint32(56, f.blksize, true);
  v.setBigUint64(64, f.blocks, true);
  const times: Array<[number, bigint]> = [[72, f.atimeNs], [80, f.mtimeNs], [88, f.ctimeNs]];
  for (const [at, ns] of times) {
    v.setUint32(at, Number((ns / NS) & 0xffffffffn), true);
    v.setUint32(at + 4, Number(ns % NS), true);
  }
  v.setBigUint64(96, f.ino, true);
  return out;
}

export function encodeStatx(f: StatFields, mask: number): Uint8Array {
  const out = new Uint8Array(STATX_SIZE);
  const v = new DataView(out.buffer);
  const hasBirth = f.birthtimeNs > 0n;
  v.setUint32(0, STATX_BASIC_STATS | (hasBirth ? STATX_BTIME : 0), true); // stx_mask
  v.setUint32(4, f.blksize, true);
  v.setUint32(16, f.nlink, true);
  v.setUint32(20, f.uid, true);
  v.setUint32(24, f.gid, true);
  v.setUint16(28, f.mode, true);
  v.setBigUint64(32, f.ino, true);
  v.setBigUint64(40, f.size, true);
  v.setBigUint64(48, f.blocks, true);
  // struct statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 __reserved; }: atime, btime, ctime, mtime
  const stamps: Array<[number, bigint]> = [[64, f.atimeNs], [80, hasBirth ? f.birthtimeNs : 0n], [96, f.ctimeNs], [112, f.mtimeNs]];
  for (const [at, ns] of stamps) {
    v.setBigInt64(at, ns / NS, true);
    v.setUint32(at + 8, Number(ns % NS), true);
  }
  v.setUint32(128, devMajor(f.rdev), true);
  v.setUint32(132, devMinor(f.rdev), true);
  v.setUint32(136, devMajor(f.dev), true);
  v.setUint32(140, devMinor(f.dev), true);
  void mask; // we always fill every basic field, which the kernel is allowed to do
  return out;
}

function fieldsOfFd(p: UserProcess, fd: number): StatFields {
  const desc = descriptor(p, fd);
  if (desc.type === "pipe") return pipeFields(p);
  return fromHost(fstatSync(desc.hostFd, { bigint: true }));
}

function fieldsAt(p: UserProcess, dirfd: number, pathAddr: number, flags: number): StatFields {
  const path = resolveAt(p, dirfd, pathAddr, (flags & AT_EMPTY_PATH) !== 0);
  if (path === "") return fieldsOfFd(p, dirfd === AT_FDCWD ? -1 : dirfd);
  return fromHost((flags & AT_SYMLINK_NOFOLLOW ? lstatSync : statSync)(path, { bigint: true }));
}

function store(p: UserProcess, addr: number, bytes: Uint8Array): number {
  return p.space.write(addr, bytes) ? 0 : -EFAULT;
}

define(195, "stat64", "sx", (p, path, buf) => store(p, buf, encodeStat64(fieldsAt(p, AT_FDCWD, path, 0))));
define(196, "lstat64", "sx", (p, path, buf) => store(p, buf, encodeStat64(fieldsAt(p, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW))));
define(197, "fstat64", "fx", (p, fd, buf) => store(p, buf, encodeStat64(fieldsOfFd(p, fd | 0))));
define(327, "fstatat64", "fsxx", (p, dirfd, path, buf, flags) => {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) return -EINVAL;
  return store(p, buf, encodeStat64(fieldsAt(p, dirfd | 0, path, flags)));
});
define(397, "statx", "fsxxx", (p, dirfd, path, flags, mask, buf) => {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) return -EINVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return -EINVAL;
  if (mask & 0x80000000) return -EINVAL; // STATX__RESERVED
  return store(p, buf, encodeStatx(fieldsAt(p, dirfd | 0, path, flags), mask));
});
