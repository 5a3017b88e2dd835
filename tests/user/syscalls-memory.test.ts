import { test } from "node:test";
import assert from "node:assert/strict";
import { EEXIST, EINVAL, ENOMEM, ENOSYS } from "../../src/abi/errno.js";
import { MMAP_BASE } from "../../src/user/syscalls/memory.js";
import { makeProcess } from "./syscall-harness.js";

const NR_BRK = 45, NR_MMAP2 = 192, NR_MUNMAP = 91, NR_MPROTECT = 125, NR_MREMAP = 163, NR_MADVISE = 220;
const PROT_RW = 3, MAP_PRIVATE = 2, MAP_ANON = 0x20, MAP_FIXED = 0x10, MAP_FIXED_NOREPLACE = 0x100000;

test("brk(0) reports the break; growing maps zeroed RW pages; shrinking unmaps", () => {
  const { p, call } = makeProcess();
  assert.equal(call(NR_BRK, 0) >>> 0, 0x30000);
  assert.equal(call(NR_BRK, 0x30878) >>> 0, 0x30878);
  assert.equal(p.space.readU32(0x30874), 0);
  assert.ok(p.space.writeU32(0x30ffc, 1));
  assert.equal(call(NR_BRK, 0x52000) >>> 0, 0x52000);
  assert.equal(p.space.protectionAt(0x51000), PROT_RW);
  assert.equal(call(NR_BRK, 0x31000) >>> 0, 0x31000);
  assert.equal(p.space.isMapped(0x31000), false);
  assert.equal(call(NR_BRK, 0x1000) >>> 0, 0x31000, "below the start: unchanged");
});

test("anonymous mmap2 picks free space below mmap_base, top-down, page-aligned", () => {
  const { p, call } = makeProcess();
  const a = call(NR_MMAP2, 0, 10000, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0) >>> 0;
  assert.equal(a % 4096, 0);
  assert.equal(a, MMAP_BASE - 12288);
  const b = call(NR_MMAP2, 0, 4096, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0) >>> 0;
  assert.equal(b, a - 4096);
  assert.equal(p.space.readU32(a + 9996), 0);
});

test("mmap2 argument errors are Linux's", () => {
  const { call } = makeProcess();
  assert.equal(call(NR_MMAP2, 0, 0, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0), -EINVAL, "zero length");
  assert.equal(call(NR_MMAP2, 0, 4096, PROT_RW, MAP_ANON, -1, 0), -EINVAL, "neither shared nor private");
  assert.equal(call(NR_MMAP2, 0x40000001, 4096, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0), -EINVAL, "unaligned fixed");
  assert.equal(call(NR_MMAP2, 0, 4096, PROT_RW, MAP_PRIVATE, 77, 0), -9 /* EBADF */);
  assert.equal(call(NR_MMAP2, 0x20000000, 4096, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED_NOREPLACE, -1, 0), -EEXIST);
});

test("MAP_FIXED replaces existing pages with zero pages", () => {
  const { p, call } = makeProcess();
  p.space.writeU32(0x20001000, 99);
  assert.equal(call(NR_MMAP2, 0x20001000, 4096, 1, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) >>> 0, 0x20001000);
  assert.equal(p.space.readU32(0x20001000), 0);
  assert.equal(p.space.protectionAt(0x20001000), 1);
});

test("munmap and mprotect: alignment EINVAL, unmapped-range ENOMEM", () => {
  const { p, call } = makeProcess();
  assert.equal(call(NR_MUNMAP, 0x20000001, 4096), -EINVAL);
  assert.equal(call(NR_MUNMAP, 0x20000000, 0), -EINVAL);
  assert.equal(call(NR_MPROTECT, 0x20000000, 4096, 1), 0);
  assert.equal(p.space.protectionAt(0x20000000), 1);
  assert.equal(call(NR_MPROTECT, 0x20000001, 4096, 1), -EINVAL);
  assert.equal(call(NR_MPROTECT, 0x20000000, 0x20000, 1), -ENOMEM, "runs past the 64 KiB mapping");
  assert.equal(call(NR_MUNMAP, 0x20002000, 4096), 0);
  assert.equal(p.space.isMapped(0x20002000), false);
  assert.equal(call(NR_MUNMAP, 0x70000000, 4096), 0, "unmapping nothing succeeds");
});

test("mremap grows in place when possible, else moves with MREMAP_MAYMOVE keeping contents", () => {
  const { p, call } = makeProcess();
  const a = call(NR_MMAP2, 0, 8192, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0) >>> 0;
  p.space.writeU32(a + 4, 1234);
  // the page above `a`'s mapping is free (top-down allocation left nothing there)
  assert.equal(call(NR_MREMAP, a, 8192, 12288, 0, 0) >>> 0, a);
  const blocker = call(NR_MMAP2, a + 12288, 4096, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED, -1, 0) >>> 0;
  assert.equal(blocker, a + 12288);
  assert.equal(call(NR_MREMAP, a, 12288, 65536, 0, 0), -ENOMEM);
  const moved = call(NR_MREMAP, a, 12288, 65536, 1 /* MAYMOVE */, 0) >>> 0;
  assert.notEqual(moved, a);
  assert.equal(p.space.readU32(moved + 4), 1234);
  assert.equal(p.space.isMapped(a), false);
  assert.equal(p.space.protectionAt(moved + 65532), PROT_RW);
  assert.equal(call(NR_MREMAP, moved, 65536, 4096, 0, 0) >>> 0, moved, "shrink in place");
  assert.equal(p.space.isMapped(moved + 4096), false);
});

test("madvise(MADV_DONTNEED) zeroes anonymous pages; unknown numbers are ENOSYS", () => {
  const { p, call } = makeProcess();
  p.space.writeU32(0x20000010, 5);
  assert.equal(call(NR_MADVISE, 0x20000000, 4096, 4), 0);
  assert.equal(p.space.readU32(0x20000010), 0);
  assert.equal(call(9999), -ENOSYS);
});
