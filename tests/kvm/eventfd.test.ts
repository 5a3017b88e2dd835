// eventfd(2) on the emulated host (RawKvmHost.eventfd/read/write). Expected values from fs/eventfd.c
// and eventfd(2): flags EFD_SEMAPHORE 1, EFD_NONBLOCK 04000, EFD_CLOEXEC 02000000; the counter is a
// host-order u64 moved 8 bytes at a time; ULLONG_MAX is never written. Nothing may block the thread,
// so a zero read is EAGAIN for blocking fds too (documented deviation).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHost } from "../../src/kvm/host.js";

const EFD_SEMAPHORE = 1, EFD_NONBLOCK = 0o4000, EFD_CLOEXEC = 0o2000000;
const E = { EBADF: 9, EAGAIN: 11, ENODEV: 19, EINVAL: 22, ENOTTY: 25 } as const;
const MAX = 0xffff_ffff_ffff_ffffn;

const u64 = (v: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
};
function read(host: ReturnType<typeof createHost>, fd: number): bigint | number {
  const b = new Uint8Array(8);
  const r = host.read(fd, b);
  return r < 0 ? r : (assert.equal(r, 8), new DataView(b.buffer).getBigUint64(0, true));
}

test("eventfd: initval is the counter; read returns and zeroes it; then EAGAIN (blocking or not)", () => {
  const host = createHost();
  for (const flags of [0, EFD_NONBLOCK, EFD_CLOEXEC, EFD_NONBLOCK | EFD_CLOEXEC]) {
    const fd = host.eventfd(5, flags);
    assert.ok(fd >= 3);
    assert.equal(read(host, fd), 5n);
    assert.equal(read(host, fd), -E.EAGAIN);
  }
  assert.equal(read(host, host.eventfd(0, 0)), -E.EAGAIN);
});

test("eventfd: initval is an unsigned int (low 32 bits); unknown flags are EINVAL", () => {
  const host = createHost();
  assert.equal(read(host, host.eventfd(2 ** 32 + 7, 0)), 7n);
  assert.equal(read(host, host.eventfd(0xffff_ffff, 0)), 0xffff_ffffn);
  for (const bad of [2, 4, 0x100, 0o1000, EFD_SEMAPHORE | 0o10000000, -1]) assert.equal(host.eventfd(0, bad), -E.EINVAL, `flags ${bad}`);
});

test("eventfd: writes add; EFD_SEMAPHORE reads 1 at a time", () => {
  const host = createHost();
  const fd = host.eventfd(0, 0);
  assert.equal(host.write(fd, u64(3n)), 8);
  assert.equal(host.write(fd, u64(4n)), 8);
  assert.equal(host.write(fd, u64(0n)), 8, "a write of 0 is a valid write");
  assert.equal(read(host, fd), 7n);
  const sem = host.eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  assert.equal(host.write(sem, u64(1n)), 8);
  assert.deepEqual([read(host, sem), read(host, sem), read(host, sem), read(host, sem)], [1n, 1n, 1n, -E.EAGAIN]);
});

test("eventfd: short buffers and ULLONG_MAX are EINVAL; a sum reaching ULLONG_MAX is EAGAIN", () => {
  const host = createHost();
  const fd = host.eventfd(0, EFD_NONBLOCK);
  assert.equal(host.write(fd, new Uint8Array(7)), -E.EINVAL);
  assert.equal(host.read(fd, new Uint8Array(4)), -E.EINVAL);
  assert.equal(host.write(fd, u64(MAX)), -E.EINVAL);
  assert.equal(host.write(fd, u64(MAX - 1n)), 8, "ULLONG_MAX - 0 > ULLONG_MAX - 1");
  assert.equal(host.write(fd, u64(1n)), -E.EAGAIN, "ULLONG_MAX - (ULLONG_MAX - 1) > 1 fails");
  const blocking = host.eventfd(0, 0);
  assert.equal(host.write(blocking, u64(MAX - 1n)), 8);
  assert.equal(host.write(blocking, u64(1n)), -E.EAGAIN, "would block: EAGAIN here");
  assert.equal(read(host, fd), MAX - 1n);
  assert.equal(host.write(fd, u64(1n)), 8, "room again after the read");
  // a longer buffer moves its first 8 bytes
  const b = new Uint8Array(16);
  b.set(u64(9n));
  assert.equal(host.write(fd, b), 8);
  assert.equal(read(host, fd), 10n);
});

test("read/write on other files: KVM fds have no read/write (EINVAL), closed fds EBADF; eventfd has no ioctl/mmap", () => {
  const host = createHost();
  const kvm = host.open("/dev/kvm");
  assert.equal(host.read(kvm, new Uint8Array(8)), -E.EINVAL);
  assert.equal(host.write(kvm, u64(1n)), -E.EINVAL);
  assert.equal(host.read(999, new Uint8Array(8)), -E.EBADF);
  assert.equal(host.write(2, u64(1n)), -E.EBADF);
  const fd = host.eventfd(1, 0);
  assert.equal(host.ioctl(fd, 0xae00, 0), -E.ENOTTY);
  assert.equal(host.mmap(fd, 4096, 0), -E.ENODEV);
  assert.equal(host.close(fd), 0);
  assert.equal(host.write(fd, u64(1n)), -E.EBADF);
  assert.equal(host.eventfd(0, 0), fd, "the lowest free fd is reused");
});
