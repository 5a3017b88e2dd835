/**
 * Data transfer on descriptors: read/write and their vector and positioned forms, lseek/_llseek,
 * and the in-process pipe. Host files go through Node's synchronous fs calls; a seekable file's
 * position lives in its open file description (see fd-table.ts).
 */
import { fstatSync, readSync, writeSync } from "node:fs";
import { ACCESS_WRITE } from "../../arch/arm/memory.js";
import { EAGAIN, EBADF, EFAULT, EINVAL, EISDIR, EOVERFLOW, EPIPE, ESPIPE } from "../../abi/errno.js";
import { O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDONLY, O_WRONLY, PIPE_CAPACITY, type FileDescription } from "../fd-table.js";
import type { UserProcess } from "../process.js";
import { sendSignal, SIGPIPE } from "../signals.js";
import { define, hostErrno, SyscallError } from "./table.js";

/** Largest single host transfer; bigger requests return a short count, as Linux may. */
const MAX_TRANSFER = 16 * 1024 * 1024;
const IOV_MAX = 1024;

export function descriptor(p: UserProcess, fd: number): FileDescription {
  const desc = p.fds.get(fd | 0);
  if (desc === undefined) throw new SyscallError(EBADF);
  return desc;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Reads up to `len` bytes from `desc` at `position` (-1: the description's own position). */
export function readFrom(p: UserProcess, desc: FileDescription, len: number, position: number): Uint8Array | number {
  if ((desc.flags & O_ACCMODE) === O_WRONLY) return -EBADF;
  if (desc.type === "pipe") {
    if (desc.end !== "read") return -EBADF;
    if (position >= 0) return -ESPIPE;
    // A single-threaded process reading its own empty pipe with a writer open would sleep forever.
    if (desc.pipe.size === 0) return desc.pipe.writers > 0 ? -EAGAIN : new Uint8Array(0);
    return desc.pipe.take(len);
  }
  if (desc.kind === "dir") return -EISDIR;
  if (position >= 0 && !desc.seekable) return -ESPIPE;
  const buf = Buffer.alloc(Math.min(len, MAX_TRANSFER));
  for (;;) {
    try {
      const at = position >= 0 ? position : desc.seekable ? desc.pos : null;
      const n = readSync(desc.hostFd, buf, 0, buf.length, at);
      if (position < 0 && desc.seekable) desc.pos += n;
      return buf.subarray(0, n);
    } catch (err) {
      // The host's stdin may be non-blocking (a terminal shared with Node): wait like a blocking read.
      if ((err as { code?: string }).code === "EAGAIN" && !(desc.flags & O_NONBLOCK)) {
        sleepMs(10);
        continue;
      }
      return hostErrno(err);
    }
  }
}

/** Writes `data` to `desc` at `position` (-1: own position / append). */
export function writeTo(p: UserProcess, desc: FileDescription, data: Uint8Array, position: number): number {
  if ((desc.flags & O_ACCMODE) === O_RDONLY) return -EBADF;
  if (desc.type === "pipe") {
    if (desc.end !== "write") return -EBADF;
    if (position >= 0) return -ESPIPE;
    if (desc.pipe.readers === 0) {
      sendSignal(p, SIGPIPE);
      return -EPIPE;
    }
    const room = PIPE_CAPACITY - desc.pipe.size;
    if (room <= 0) return -EAGAIN; // would block forever: nobody else can drain it
    desc.pipe.put(data.subarray(0, room));
    return Math.min(room, data.length);
  }
  if (position >= 0 && !desc.seekable) return -ESPIPE;
  try {
    const append = (desc.flags & O_APPEND) !== 0;
    const at = position >= 0 ? position : desc.seekable && !append ? desc.pos : null;
    let done = 0;
    while (done < data.length) {
      done += writeSync(desc.hostFd, data, done, data.length - done, at === null ? null : at + done);
    }
    if (position < 0 && desc.seekable) desc.pos = append ? fstatSync(desc.hostFd).size : desc.pos + done;
    return done;
  } catch (err) {
    const r = hostErrno(err);
    if (r === -EPIPE) sendSignal(p, SIGPIPE);
    return r;
  }
}

function readInto(p: UserProcess, fd: number, buf: number, count: number, position: number): number {
  const desc = descriptor(p, fd);
  if (!p.space.accessible(buf, count, ACCESS_WRITE)) return -EFAULT;
  const got = readFrom(p, desc, count, position);
  if (typeof got === "number") return got;
  p.space.write(buf, got);
  return got.length;
}

function writeOut(p: UserProcess, fd: number, buf: number, count: number, position: number): number {
  const desc = descriptor(p, fd);
  const data = p.space.read(buf, Math.min(count, MAX_TRANSFER));
  if (data === null) return -EFAULT;
  return writeTo(p, desc, data, position);
}

/** struct iovec[]: { void *iov_base; size_t iov_len; } (8 bytes each on ARM). */
function iovecs(p: UserProcess, iov: number, count: number): Array<[number, number]> {
  if ((count | 0) < 0 || count > IOV_MAX) throw new SyscallError(EINVAL);
  const raw = p.space.read(iov, count * 8);
  if (raw === null) throw new SyscallError(EFAULT);
  const view = new DataView(raw.buffer);
  const out: Array<[number, number]> = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(i * 8 + 4, true);
    total += len;
    if (total > 0x7fffffff) throw new SyscallError(EINVAL);
    out.push([view.getUint32(i * 8, true), len]);
  }
  return out;
}

function readVector(p: UserProcess, fd: number, iov: number, count: number, position: number): number {
  const desc = descriptor(p, fd);
  const vec = iovecs(p, iov, count);
  for (const [base, len] of vec) if (!p.space.accessible(base, len, ACCESS_WRITE)) return -EFAULT;
  const total = vec.reduce((s, [, len]) => s + len, 0);
  const got = readFrom(p, desc, total, position);
  if (typeof got === "number") return got;
  let done = 0;
  for (const [base, len] of vec) {
    if (done >= got.length) break;
    const part = got.subarray(done, done + len);
    p.space.write(base, part);
    done += part.length;
  }
  return got.length;
}

function writeVector(p: UserProcess, fd: number, iov: number, count: number, position: number): number {
  const desc = descriptor(p, fd);
  const parts: Uint8Array[] = [];
  for (const [base, len] of iovecs(p, iov, count)) {
    const part = p.space.read(base, len);
    if (part === null) return -EFAULT;
    parts.push(part);
  }
  return writeTo(p, desc, Buffer.concat(parts), position);
}

/** A 64-bit offset from an EABI register pair (low word first), -EINVAL when negative. */
function offset64(lo: number, hi: number): number {
  const value = (hi | 0) * 0x100000000 + lo;
  if (value < 0) throw new SyscallError(EINVAL);
  return value;
}

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

function seek(p: UserProcess, fd: number, offset: number, whence: number): number {
  const desc = descriptor(p, fd);
  if (desc.type === "pipe" || !desc.seekable) return desc.type === "host" && desc.kind === "dir" ? seekDir(desc, offset, whence) : -ESPIPE;
  let base: number;
  if (whence === SEEK_SET) base = 0;
  else if (whence === SEEK_CUR) base = desc.pos;
  else if (whence === SEEK_END) base = fstatSync(desc.hostFd).size;
  else return -EINVAL;
  const target = base + offset;
  if (target < 0) return -EINVAL;
  desc.pos = target;
  return target;
}

/** Directories seek by entry index (what getdents64 hands out as d_off). */
function seekDir(desc: FileDescription & { type: "host" }, offset: number, whence: number): number {
  if (whence === SEEK_SET && offset >= 0) desc.dirIndex = offset;
  else if (whence === SEEK_CUR && desc.dirIndex + offset >= 0) desc.dirIndex += offset;
  else return -EINVAL;
  return desc.dirIndex;
}

define(3, "read", "fxu", (p, fd, buf, count) => readInto(p, fd, buf, count, -1));
define(4, "write", "fxu", (p, fd, buf, count) => writeOut(p, fd, buf, count, -1));
define(145, "readv", "fxu", (p, fd, iov, n) => readVector(p, fd, iov, n, -1));
define(146, "writev", "fxu", (p, fd, iov, n) => writeVector(p, fd, iov, n, -1));
// pread64/pwrite64 (fd, buf, count, pad, offset_lo, offset_hi): EABI aligns the 64-bit offset to r4/r5.
define(180, "pread64", "fxuxuu", (p, fd, buf, count, _pad, lo, hi) => readInto(p, fd, buf, count, offset64(lo, hi)));
define(181, "pwrite64", "fxuxuu", (p, fd, buf, count, _pad, lo, hi) => writeOut(p, fd, buf, count, offset64(lo, hi)));
define(19, "lseek", "fdu", (p, fd, off, whence) => {
  const r = seek(p, fd, off | 0, whence);
  return r > 0x7fffffff ? -EOVERFLOW : r;
});
define(140, "_llseek", "fuuxu", (p, fd, hi, lo, result, whence) => {
  const r = seek(p, fd, (hi | 0) * 0x100000000 + lo, whence);
  if (r < 0) return r;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(r), true);
  return p.space.write(result, out) ? 0 : -EFAULT;
});
