// Dirty-page logging: reference kvm-arm32-abi.md §3.7 (bitmap layout, snapshot + clear, errors,
// MANUAL_DIRTY_LOG_PROTECT2 and KVM_CLEAR_DIRTY_LOG rules) on an ARM host.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ACCESS_READ, ACCESS_WRITE, PHYS_RAM } from "../../src/arch/arm/memory.js";
import { VmFile } from "../../src/kvm/vm.js";
import { E, KVM_MEM_LOG_DIRTY_PAGES, REQ, armVm, clearLog, dirtyLog, enableCap, hostMem, region } from "./raw.js";

const BASE = 0x40000000;

/** A VM with slot 3 = 100 pages (not a multiple of 32: the bitmap is ALIGN(100, 32)/8 = 16 bytes). */
function setup(pages = 100, flags = KVM_MEM_LOG_DIRTY_PAGES) {
  const env = armVm();
  const mem = hostMem(env.host, pages * 4096);
  const scratch = hostMem(env.host, 4096);
  const r = env.host.ioctl(env.vm, REQ.KVM_SET_USER_MEMORY_REGION, region(3, flags, BigInt(BASE), BigInt(pages * 4096), mem.addr));
  assert.equal(r, 0);
  const file = env.host.kernel.fds.get(env.vm);
  assert.ok(file instanceof VmFile);
  const port = file.vm.memory;
  const out = { region: 0, offset: 0 };
  const write = (page: number): void => assert.equal(port.lookup(BASE + page * 4096 + 12, ACCESS_WRITE, out), PHYS_RAM);
  const read = (page: number): void => assert.equal(port.lookup(BASE + page * 4096, ACCESS_READ, out), PHYS_RAM);
  const get = (): number => env.host.ioctl(env.vm, REQ.KVM_GET_DIRTY_LOG, dirtyLog(3, scratch.addr));
  return { ...env, port, write, read, get, scratch };
}

test("write lookups set bit n = byte n/8, bit n%8; reads do not; size ALIGN(npages,32)/8", () => {
  const { write, read, get, scratch } = setup();
  scratch.bytes.fill(0xee);
  for (const p of [0, 9, 31, 32, 99]) write(p);
  read(1);
  read(50);
  assert.equal(get(), 0);
  const want = new Uint8Array(16);
  want[0] = 0x01; // page 0
  want[1] = 0x02; // page 9
  want[3] = 0x80; // page 31
  want[4] = 0x01; // page 32
  want[12] = 0x08; // page 99 = byte 12, bit 3
  assert.deepEqual(scratch.bytes.subarray(0, 16), want);
  assert.equal(scratch.bytes[16], 0xee, "exactly 16 bytes copied");
});

test("GET_DIRTY_LOG snapshots and clears; the generation moves so the CPU re-marks pages", () => {
  const { write, get, scratch, port } = setup();
  write(5);
  const g = port.generation;
  assert.equal(get(), 0);
  assert.equal(scratch.bytes[0], 0x20);
  assert.ok(port.generation > g);
  assert.equal(get(), 0);
  assert.equal(scratch.bytes[0], 0, "cleared by the previous GET");
  const g2 = port.generation;
  assert.equal(get(), 0);
  assert.equal(port.generation, g2, "nothing cleared, nothing to flush");
  write(5);
  assert.equal(get(), 0);
  assert.equal(scratch.bytes[0], 0x20, "marked again after the refill");
});

test("GET_DIRTY_LOG errors: EINVAL slot/as_id, ENOENT without log or slot, EFAULT pointers", () => {
  const { host, vm, get, scratch } = setup();
  assert.equal(host.ioctl(vm, REQ.KVM_GET_DIRTY_LOG, dirtyLog(32, scratch.addr)), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_GET_DIRTY_LOG, dirtyLog(0x10003, scratch.addr)), -E.EINVAL);
  assert.equal(host.ioctl(vm, REQ.KVM_GET_DIRTY_LOG, dirtyLog(4, scratch.addr)), -E.ENOENT, "empty slot");
  assert.equal(host.ioctl(vm, REQ.KVM_GET_DIRTY_LOG, dirtyLog(3, 0n)), -E.EFAULT, "NULL bitmap");
  assert.equal(host.ioctl(vm, REQ.KVM_GET_DIRTY_LOG, dirtyLog(3, scratch.addr + 4090n)), -E.EFAULT, "bitmap runs off");
  assert.equal(host.ioctl(vm, REQ.KVM_GET_DIRTY_LOG, new Uint8Array(15)), -E.EFAULT);
  assert.equal(get(), 0);
  const plain = setup(4, 0);
  assert.equal(plain.get(), -E.ENOENT, "slot without LOG_DIRTY_PAGES");
});

test("flags-only change: turning logging on starts clean, off removes the bitmap", () => {
  const { host, vm, write, get, scratch } = setup(64, 0);
  write(1);
  assert.equal(get(), -E.ENOENT);
  const file = host.kernel.fds.get(vm) as VmFile;
  const slot = file.vm.slots.slot(3)!;
  const on = region(3, KVM_MEM_LOG_DIRTY_PAGES, BigInt(BASE), 64n * 4096n, slot.userspaceAddr);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, on), 0);
  assert.equal(get(), 0);
  assert.deepEqual(scratch.bytes.subarray(0, 8), new Uint8Array(8), "clean bitmap");
  write(63);
  assert.equal(get(), 0);
  assert.equal(scratch.bytes[7], 0x80);
  const off = region(3, 0, BigInt(BASE), 64n * 4096n, slot.userspaceAddr);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, off), 0);
  assert.equal(get(), -E.ENOENT, "logging off: no bitmap");
});

test("MANUAL_DIRTY_LOG_PROTECT2: GET does not clear; CLEAR_DIRTY_LOG clears the given bits", () => {
  const { host, vm, write, get, scratch, port } = setup(200);
  assert.equal(host.ioctl(vm, REQ.KVM_ENABLE_CAP, enableCap(168, 0, [1n])), 0);
  for (const p of [0, 1, 64, 70, 199]) write(p);
  assert.equal(get(), 0);
  assert.equal(get(), 0);
  assert.equal(scratch.bytes[0], 0x03, "still set: GET does not clear in manual mode");
  // clear pages 64 and 199 (first_page 64, num_pages to the slot end = 136)
  const mask = hostMem(host, 4096);
  mask.bytes[0] = 0x01; // page 64
  mask.bytes[(199 - 64) >> 3] = 1 << ((199 - 64) & 7);
  const g = port.generation;
  const arg = clearLog(3, 136, 64n, mask.addr);
  assert.equal(host.ioctl(vm, REQ.KVM_CLEAR_DIRTY_LOG, arg), 0);
  assert.ok(port.generation > g);
  assert.equal(get(), 0);
  assert.equal(scratch.bytes[0], 0x03);
  assert.equal(scratch.bytes[8], 0x40, "page 70 kept, page 64 cleared");
  assert.equal(scratch.bytes[24], 0x00, "page 199 cleared");
  assert.deepEqual(arg, clearLog(3, 136, 64n, mask.addr), "_IOWR: struct copied back unchanged");
});

test("CLEAR_DIRTY_LOG validation (§3.7)", () => {
  const { host, vm, scratch } = setup(200);
  const clear = (slot: number, num: number, first: bigint, ptr = scratch.addr): number =>
    host.ioctl(vm, REQ.KVM_CLEAR_DIRTY_LOG, clearLog(slot, num, first, ptr));
  assert.equal(clear(32, 64, 0n), -E.EINVAL, "slot id");
  assert.equal(clear(0x10003, 64, 0n), -E.EINVAL, "address space");
  assert.equal(clear(3, 64, 32n), -E.EINVAL, "first_page not a multiple of 64");
  assert.equal(clear(4, 64, 0n), -E.ENOENT, "no dirty bitmap");
  assert.equal(clear(3, 64, 256n), -E.EINVAL, "first_page beyond the slot");
  assert.equal(clear(3, 137, 64n), -E.EINVAL, "range past the slot end");
  assert.equal(clear(3, 65, 0n), -E.EINVAL, "num_pages not a multiple of 64 and not reaching the end");
  assert.equal(clear(3, 64, 0n), 0);
  assert.equal(clear(3, 136, 64n), 0, "reaches the end: any count");
  assert.equal(clear(3, 0, 192n), 0, "empty range at 192");
  assert.equal(clear(3, 64, 0n, 0n), -E.EFAULT, "bad bitmap pointer");
  assert.equal(host.ioctl(vm, REQ.KVM_CLEAR_DIRTY_LOG, new Uint8Array(23)), -E.EFAULT);
});

test("a moved slot keeps its dirty bits", () => {
  const { host, vm, write, get, scratch } = setup(32);
  write(2);
  const slot = (host.kernel.fds.get(vm) as VmFile).vm.slots.slot(3)!;
  const moved = region(3, KVM_MEM_LOG_DIRTY_PAGES, 0x80000000n, 32n * 4096n, slot.userspaceAddr);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, moved), 0);
  assert.equal(get(), 0);
  assert.equal(scratch.bytes[0], 0x04);
});
