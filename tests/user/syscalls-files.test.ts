import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EBADF, EFAULT, ENOENT, ESPIPE } from "../../src/abi/errno.js";
import { STAT64_SIZE, STATX_SIZE } from "../../src/user/syscalls/stat.js";
import { makeProcess, putString, SCRATCH } from "./syscall-harness.js";
import { CROSS_GCC, hasToolchain, scratchDir } from "./toolchain.js";

const NR = { read: 3, write: 4, open: 5, close: 6, lseek: 19, pipe2: 359, openat: 322, llseek: 140, fstat64: 197, stat64: 195,
  statx: 397, getcwd: 183, readlink: 85, uname: 122, getdents64: 217, pread64: 180, dup2: 63, fcntl64: 221, ioctl: 54 };
const AT_FDCWD = -100;
const O_RDONLY = 0, O_RDWR = 2, O_CREAT = 0o100;

/** Field offsets of the ARM structs as the cross compiler lays them out (kernel uapi headers). */
function armOffsets(struct: string, header: string, fields: string[]): { size: number; offsets: Record<string, number> } {
  const src = join(scratchDir, `off-${struct}.c`);
  writeFileSync(src, `#include <stddef.h>\n#include ${header}\nunsigned v[] = { sizeof(struct ${struct}), ${fields.map((f) => `offsetof(struct ${struct}, ${f})`).join(", ")} };\n`);
  const asmText = execFileSync(CROSS_GCC, ["-S", "-o", "-", src], { encoding: "utf8" });
  const words = [...asmText.matchAll(/\.word\s+(\d+)/g)].map((m) => Number(m[1]));
  return { size: words[0], offsets: Object.fromEntries(fields.map((f, i) => [f, words[i + 1]])) };
}

test("stat64 and statx field offsets match the ARM uapi headers", { skip: !hasToolchain }, () => {
  const s = armOffsets("stat64", "<asm/stat.h>", ["st_mode", "st_nlink", "st_uid", "st_size", "st_blksize", "st_blocks", "st_mtime", "st_ino"]);
  assert.equal(s.size, STAT64_SIZE);
  const { p, call } = makeProcess();
  const file = join(mkdtempSync(join(tmpdir(), "tskvm-stat-")), "f");
  writeFileSync(file, "x".repeat(5000));
  const host = statSync(file, { bigint: true });
  assert.equal(call(NR.stat64, putString(p, SCRATCH, file), SCRATCH + 0x1000), 0);
  const b = Buffer.from(p.space.read(SCRATCH + 0x1000, STAT64_SIZE)!);
  assert.equal(b.readUInt32LE(s.offsets.st_mode), Number(host.mode));
  assert.equal(b.readUInt32LE(s.offsets.st_nlink), 1);
  assert.equal(b.readUInt32LE(s.offsets.st_uid), Number(host.uid));
  assert.equal(b.readBigInt64LE(s.offsets.st_size), 5000n);
  assert.equal(b.readUInt32LE(s.offsets.st_blksize), Number(host.blksize));
  assert.equal(b.readBigUInt64LE(s.offsets.st_blocks), host.blocks);
  assert.equal(b.readUInt32LE(s.offsets.st_mtime), Number(host.mtimeNs / 1000000000n));
  assert.equal(b.readBigUInt64LE(s.offsets.st_ino), host.ino);

  const x = armOffsets("statx", "<linux/stat.h>", ["stx_mask", "stx_mode", "stx_ino", "stx_size", "stx_mtime", "stx_dev_major"]);
  assert.equal(x.size, STATX_SIZE);
  assert.equal(call(NR.statx, AT_FDCWD, putString(p, SCRATCH, file), 0, 0x7ff, SCRATCH + 0x1000), 0);
  const y = Buffer.from(p.space.read(SCRATCH + 0x1000, STATX_SIZE)!);
  assert.equal(y.readUInt32LE(x.offsets.stx_mask) & 0x7ff, 0x7ff);
  assert.equal(y.readUInt16LE(x.offsets.stx_mode), Number(host.mode));
  assert.equal(y.readBigUInt64LE(x.offsets.stx_ino), host.ino);
  assert.equal(y.readBigUInt64LE(x.offsets.stx_size), 5000n);
  assert.equal(y.readBigInt64LE(x.offsets.stx_mtime), host.mtimeNs / 1000000000n);
});

test("openat/read/lseek/_llseek/pread64/write keep one file position per description", () => {
  const { p, call } = makeProcess();
  const dir = mkdtempSync(join(tmpdir(), "tskvm-io-"));
  writeFileSync(join(dir, "data"), "0123456789");
  p.cwd = dir;
  const fd = call(NR.openat, AT_FDCWD, putString(p, SCRATCH, "data"), O_RDWR, 0);
  assert.equal(fd, 0, "lowest free descriptor (this harness opens no stdio)");
  assert.equal(call(NR.read, fd, SCRATCH + 0x100, 4), 4);
  assert.equal(new TextDecoder().decode(p.space.read(SCRATCH + 0x100, 4)!), "0123");
  assert.equal(call(NR.lseek, fd, 0, 1 /* SEEK_CUR */), 4);
  // offset = (hi << 32) | lo: -2 is hi 0xffffffff, lo 0xfffffffe
  assert.equal(call(NR.llseek, fd, -1, -2, SCRATCH + 0x200, 2 /* SEEK_END */), 0);
  assert.equal(p.space.readU32(SCRATCH + 0x200), 8);
  assert.equal(call(NR.read, fd, SCRATCH + 0x100, 100), 2);
  // pread64(fd, buf, count, pad, off_lo, off_hi) leaves the position alone
  assert.equal(call(NR.pread64, fd, SCRATCH + 0x100, 3, 0, 1, 0), 3);
  assert.equal(new TextDecoder().decode(p.space.read(SCRATCH + 0x100, 3)!), "123");
  assert.equal(call(NR.lseek, fd, 0, 1), 10);
  p.space.write(SCRATCH + 0x300, new TextEncoder().encode("AB"));
  assert.equal(call(NR.write, fd, SCRATCH + 0x300, 2), 2);
  assert.equal(readFileSync(join(dir, "data"), "utf8"), "0123456789AB");
  assert.equal(call(NR.read, fd, 0x7000000, 4), -EFAULT, "unmapped buffer");
  assert.equal(call(NR.close, fd), 0);
  assert.equal(call(NR.close, fd), -EBADF);
  assert.equal(call(NR.open, putString(p, SCRATCH, join(dir, "missing")), O_RDONLY, 0), -ENOENT);
  const created = call(NR.open, putString(p, SCRATCH, join(dir, "new")), O_CREAT | O_RDWR, 0o644);
  assert.ok(created >= 0);
  assert.equal(statSync(join(dir, "new")).mode & 0o777, 0o644 & ~0o022);
});

test("pipe2 round-trips bytes in-process; lseek on a pipe is ESPIPE; dup2 shares it", () => {
  const { p, call } = makeProcess();
  assert.equal(call(NR.pipe2, SCRATCH, 0), 0);
  const r = p.space.readU32(SCRATCH)!;
  const w = p.space.readU32(SCRATCH + 4)!;
  p.space.write(SCRATCH + 0x100, new TextEncoder().encode("ping"));
  assert.equal(call(NR.dup2, w, 10), 10);
  assert.equal(call(NR.write, 10, SCRATCH + 0x100, 4), 4);
  assert.equal(call(NR.lseek, r, 0, 0), -ESPIPE);
  assert.equal(call(NR.read, r, SCRATCH + 0x200, 10), 4);
  assert.equal(new TextDecoder().decode(p.space.read(SCRATCH + 0x200, 4)!), "ping");
  call(NR.close, w);
  call(NR.close, 10);
  assert.equal(call(NR.read, r, SCRATCH + 0x200, 10), 0, "EOF once every writer is closed");
});

test("getcwd, readlink(/proc/self/exe), uname, ioctl on a non-tty", () => {
  const { p, call } = makeProcess({ cwd: "/tmp" });
  p.exePath = "/opt/prog";
  assert.equal(call(NR.getcwd, SCRATCH, 100), 5);
  assert.equal(p.space.readCString(SCRATCH), "/tmp");
  assert.equal(call(NR.getcwd, SCRATCH, 3), -34 /* ERANGE */);
  assert.equal(call(NR.readlink, putString(p, SCRATCH, "/proc/self/exe"), SCRATCH + 0x100, 64), 9);
  assert.equal(new TextDecoder().decode(p.space.read(SCRATCH + 0x100, 9)!), "/opt/prog");
  assert.equal(call(NR.uname, SCRATCH), 0);
  assert.equal(p.space.readCString(SCRATCH), "Linux");
  assert.equal(p.space.readCString(SCRATCH + 65 * 4), "armv7l", "machine is the fifth 65-byte field");
  const { p: q, call: c2 } = makeProcess();
  const dir = mkdtempSync(join(tmpdir(), "tskvm-tty-"));
  writeFileSync(join(dir, "f"), "");
  const fd = c2(NR.open, putString(q, SCRATCH, join(dir, "f")), O_RDONLY, 0);
  assert.equal(c2(NR.ioctl, fd, 0x5401 /* TCGETS */, SCRATCH), -25 /* ENOTTY */);
});

test("getdents64 lists ., .. and the entries as linux_dirent64 records", () => {
  const { p, call } = makeProcess();
  const dir = mkdtempSync(join(tmpdir(), "tskvm-dents-"));
  writeFileSync(join(dir, "alpha"), "");
  const fd = call(NR.open, putString(p, SCRATCH, dir), O_RDONLY | 0o40000 /* O_DIRECTORY */, 0);
  const n = call(NR.getdents64, fd, SCRATCH + 0x1000, 4096);
  assert.ok(n > 0);
  const buf = Buffer.from(p.space.read(SCRATCH + 0x1000, n)!);
  const names: string[] = [];
  for (let at = 0; at < n; ) {
    const reclen = buf.readUInt16LE(at + 16);
    assert.equal(reclen % 8, 0);
    names.push(buf.toString("utf8", at + 19, buf.indexOf(0, at + 19)));
    if (names.at(-1) === "alpha") assert.equal(buf[at + 18], 8 /* DT_REG */);
    at += reclen;
  }
  assert.deepEqual(names.sort(), [".", "..", "alpha"]);
  assert.equal(call(NR.getdents64, fd, SCRATCH + 0x1000, 4096), 0, "end of directory");
});
