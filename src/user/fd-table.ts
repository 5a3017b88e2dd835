/**
 * The process's file descriptor table. A descriptor points at an open file description (shared by
 * dup'd descriptors, with one file position), which is either a host file opened through Node's fs
 * or one end of an in-process pipe. Node cannot seek a host fd, so a description of a seekable file
 * keeps its own position and every read/write passes it explicitly (pread/pwrite on the host).
 */
import { closeSync } from "node:fs";

export const O_ACCMODE = 3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
/** ARM (asm-generic + arch/arm/include/uapi/asm/fcntl.h) open flags, octal as in the headers. */
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DSYNC = 0o10000;
export const O_DIRECTORY = 0o40000;
export const O_NOFOLLOW = 0o100000;
export const O_DIRECT = 0o200000;
export const O_LARGEFILE = 0o400000;
export const O_NOATIME = 0o1000000;
export const O_CLOEXEC = 0o2000000;
export const O_SYNC = 0o4010000;
export const O_PATH = 0o10000000;
export const O_TMPFILE = 0o20000000 | O_DIRECTORY;

/** Flags F_GETFL reports and F_SETFL may change. */
export const STATUS_FLAGS_SETTABLE = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME;

export const RLIMIT_NOFILE_DEFAULT = 1024;

/** Bytes one pipe holds before a writer would block (Linux's default pipe size). */
export const PIPE_CAPACITY = 65536;

export class PipeBuffer {
  chunks: Uint8Array[] = [];
  size = 0;
  readers = 0;
  writers = 0;

  take(max: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.size));
    let done = 0;
    while (done < out.length) {
      const head = this.chunks[0];
      const n = Math.min(head.length, out.length - done);
      out.set(head.subarray(0, n), done);
      done += n;
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    this.size -= out.length;
    return out;
  }

  put(data: Uint8Array): void {
    this.chunks.push(data.slice());
    this.size += data.length;
  }
}

export type FileKind = "file" | "dir" | "char" | "fifo" | "socket" | "block" | "link";

export interface HostDescription {
  type: "host";
  hostFd: number;
  /** Absolute path it was opened by (for getdents64, fchdir, /proc/self/fd), "" if unknown. */
  path: string;
  kind: FileKind;
  /** O_ACCMODE | status flags. */
  flags: number;
  /** Position for seekable files; host-held for streams (ttys, pipes, sockets). */
  pos: number;
  seekable: boolean;
  /** Whether closing the last descriptor closes the host fd (false for the host's stdio). */
  ownsHostFd: boolean;
  /** Directory listing snapshot taken at the first getdents64, and the next entry to return. */
  dirEntries: Array<{ name: string; ino: bigint; type: number }> | null;
  dirIndex: number;
  refs: number;
}

export interface PipeDescription {
  type: "pipe";
  pipe: PipeBuffer;
  end: "read" | "write";
  flags: number;
  refs: number;
}

export type FileDescription = HostDescription | PipeDescription;

interface Slot {
  desc: FileDescription;
  cloexec: boolean;
}

export class FdTable {
  private readonly slots: Array<Slot | undefined> = [];
  limit = RLIMIT_NOFILE_DEFAULT;

  get(fd: number): FileDescription | undefined {
    return fd >= 0 && fd < this.slots.length ? this.slots[fd]?.desc : undefined;
  }

  isCloexec(fd: number): boolean {
    return this.slots[fd]?.cloexec ?? false;
  }

  setCloexec(fd: number, on: boolean): void {
    const slot = this.slots[fd];
    if (slot) slot.cloexec = on;
  }

  /** Lowest free descriptor >= `min`, holding `desc` (whose refs this takes); -1 if the table is full. */
  install(desc: FileDescription, cloexec: boolean, min = 0): number {
    for (let fd = min; fd < this.limit; fd++) {
      if (this.slots[fd] === undefined) {
        this.slots[fd] = { desc, cloexec };
        return fd;
      }
    }
    return -1;
  }

  /** Puts `desc` at exactly `fd`, closing what was there (dup2/dup3). */
  installAt(fd: number, desc: FileDescription, cloexec: boolean): void {
    this.close(fd);
    this.slots[fd] = { desc, cloexec };
  }

  /** false if `fd` was not open. */
  close(fd: number): boolean {
    const slot = fd >= 0 ? this.slots[fd] : undefined;
    if (!slot) return false;
    this.slots[fd] = undefined;
    release(slot.desc);
    return true;
  }

  /** Every open descriptor number, ascending. */
  openFds(): number[] {
    const out: number[] = [];
    this.slots.forEach((s, fd) => s && out.push(fd));
    return out;
  }

  closeAll(): void {
    for (const fd of this.openFds()) this.close(fd);
  }
}

/** A new reference to `desc` (dup). */
export function retain(desc: FileDescription): FileDescription {
  desc.refs++;
  return desc;
}

function release(desc: FileDescription): void {
  if (--desc.refs > 0) return;
  if (desc.type === "pipe") {
    if (desc.end === "read") desc.pipe.readers--;
    else desc.pipe.writers--;
  } else if (desc.ownsHostFd) {
    try {
      closeSync(desc.hostFd);
    } catch {
      // closing can only fail for an fd that is already gone; nothing to report to the guest
    }
  }
}
