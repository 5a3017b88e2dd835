/**
 * Memory-management calls: brk, mmap2, munmap, mprotect, mremap, madvise. Non-fixed mappings are
 * placed top-down below mmap_base = TASK_SIZE - max(stack rlimit, 128 MiB), as Linux/ARM's default
 * layout does. File mappings copy the file's bytes (MAP_SHARED writes do not reach the file).
 */
import { readSync } from "node:fs";
import { PAGE_SIZE } from "../../arch/arm/memory.js";
import { EACCES, EBADF, EEXIST, EFAULT, EINVAL, ENODEV, ENOMEM } from "../../abi/errno.js";
import { MMAP_MIN_ADDR, pageAlignUp, PROT_WRITE } from "../address-space.js";
import { O_ACCMODE, O_RDONLY, O_WRONLY } from "../fd-table.js";
import type { UserProcess } from "../process.js";
import { STACK_TOP } from "../stack.js";
import { define } from "./table.js";

export const MMAP_BASE = STACK_TOP - 128 * 1024 * 1024;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_FIXED_NOREPLACE = 0x100000;
const PROT_GROWSDOWN = 0x01000000;
const PROT_GROWSUP = 0x02000000;
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MADV_DONTNEED = 4;
const MADV_FREE = 8;

const aligned = (addr: number): boolean => addr % PAGE_SIZE === 0;

export function brk(p: UserProcess, addr: number): number {
  if (addr < p.brkStart) return p.brk;
  const oldTop = pageAlignUp(p.brk);
  const newTop = pageAlignUp(addr);
  if (newTop > oldTop) {
    if (newTop > MMAP_BASE || !p.space.isFree(oldTop, newTop - oldTop)) return p.brk;
    p.space.map(oldTop, newTop - oldTop, 1 | 2);
  } else if (newTop < oldTop) {
    p.space.unmap(newTop, oldTop - newTop);
  }
  p.brk = addr;
  return p.brk;
}

export function mmap(p: UserProcess, addr: number, len: number, prot: number, flags: number, fd: number, offset: number): number {
  const type = flags & MAP_TYPE;
  if (len === 0 || (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE)) return -EINVAL;
  if (!aligned(offset)) return -EINVAL;
  const size = pageAlignUp(len);
  if (size > 0xffffffff - MMAP_MIN_ADDR) return -ENOMEM;
  const anonymous = (flags & MAP_ANONYMOUS) !== 0;
  let file: { hostFd: number } | null = null;
  if (!anonymous) {
    const desc = p.fds.get(fd | 0);
    if (desc === undefined) return -EBADF;
    if (desc.type !== "host") return -EACCES;
    if (desc.kind !== "file" && desc.kind !== "block") return -ENODEV;
    if ((desc.flags & O_ACCMODE) === O_WRONLY) return -EACCES;
    if (type !== MAP_PRIVATE && prot & PROT_WRITE && (desc.flags & O_ACCMODE) === O_RDONLY) return -EACCES;
    file = desc;
  }
  let at: number;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (!aligned(addr) || addr + size > 0x100000000 || addr < MMAP_MIN_ADDR) return -EINVAL;
    if (flags & MAP_FIXED_NOREPLACE && !(flags & MAP_FIXED) && !p.space.isFree(addr, size)) return -EEXIST;
    at = addr;
  } else {
    const hint = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    at = hint >= MMAP_MIN_ADDR && hint + size <= MMAP_BASE && p.space.isFree(hint, size) ? hint : p.space.findFree(size, MMAP_MIN_ADDR, MMAP_BASE);
    if (at < 0) return -ENOMEM;
  }
  p.space.map(at, size, prot & 7);
  if (file !== null) {
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(file.hostFd, buf, got, size - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    if (got > 0) p.space.poke(at, buf.subarray(0, got));
  }
  return at;
}

function munmap(p: UserProcess, addr: number, len: number): number {
  if (!aligned(addr) || len === 0 || addr + len > 0x100000000) return -EINVAL;
  p.space.unmap(addr, pageAlignUp(len));
  return 0;
}

function mprotect(p: UserProcess, addr: number, len: number, prot: number): number {
  if (!aligned(addr) || prot & ~(7 | PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
  if (len === 0) return 0;
  if (addr + pageAlignUp(len) > 0x100000000) return -ENOMEM;
  return p.space.protect(addr, pageAlignUp(len), prot & 7) ? 0 : -ENOMEM;
}

function mremap(p: UserProcess, old: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  if (!aligned(old) || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED) || newLen === 0) return -EINVAL;
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) return -EINVAL;
  const oldSize = pageAlignUp(oldLen);
  const newSize = pageAlignUp(newLen);
  if (oldSize === 0 || !p.space.isFullyMapped(old, oldSize)) return -EFAULT;
  const prot = p.space.protectionAt(old);
  if (flags & MREMAP_FIXED) {
    if (!aligned(newAddr) || newAddr + newSize > 0x100000000) return -EINVAL;
    if (newAddr < old + oldSize && old < newAddr + newSize) return -EINVAL;
    p.space.unmap(newAddr, newSize);
    return moveMapping(p, old, oldSize, newAddr, newSize, prot);
  }
  if (newSize <= oldSize) {
    if (newSize < oldSize) p.space.unmap(old + newSize, oldSize - newSize);
    return old;
  }
  if (old + newSize <= STACK_TOP && p.space.isFree(old + oldSize, newSize - oldSize)) {
    p.space.map(old + oldSize, newSize - oldSize, prot);
    return old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  const at = p.space.findFree(newSize, MMAP_MIN_ADDR, MMAP_BASE);
  if (at < 0) return -ENOMEM;
  return moveMapping(p, old, oldSize, at, newSize, prot);
}

function moveMapping(p: UserProcess, old: number, oldSize: number, to: number, newSize: number, prot: number): number {
  const keep = Math.min(oldSize, newSize);
  p.space.move(old, to, keep);
  if (oldSize > keep) p.space.unmap(old + keep, oldSize - keep);
  if (newSize > keep) p.space.map(to + keep, newSize - keep, prot);
  return to;
}

function madvise(p: UserProcess, addr: number, len: number, advice: number): number {
  if (!aligned(addr)) return -EINVAL;
  const size = pageAlignUp(len);
  if (size === 0) return 0;
  if (!p.space.isFullyMapped(addr, size)) return -ENOMEM;
  if (advice === MADV_DONTNEED || advice === MADV_FREE) p.space.discard(addr, size);
  return 0;
}

define(45, "brk", "x", (p, addr) => brk(p, addr));
define(192, "mmap2", "xuxxfx", (p, addr, len, prot, flags, fd, pgoff) => mmap(p, addr, len, prot, flags, fd, pgoff * PAGE_SIZE));
define(91, "munmap", "xu", (p, addr, len) => munmap(p, addr, len));
define(125, "mprotect", "xux", (p, addr, len, prot) => mprotect(p, addr, len, prot));
define(163, "mremap", "xuuxx", (p, old, oldLen, newLen, flags, newAddr) => mremap(p, old, oldLen, newLen, flags, newAddr));
define(220, "madvise", "xud", (p, addr, len, advice) => madvise(p, addr, len, advice));
