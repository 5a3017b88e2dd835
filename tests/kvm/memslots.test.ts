// KVM_SET_USER_MEMORY_REGION: every validation row of reference kvm-arm32-abi.md §3.1, in order, and
// the create / move / delete / flags-only semantics, on an ARM host.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ACCESS_READ, ACCESS_WRITE, PHYS_IO, PHYS_RAM } from "../../src/arch/arm/memory.js";
import { E, KVM_MEM_LOG_DIRTY_PAGES, KVM_MEM_READONLY, REQ, armVm, hostMem, region } from "./raw.js";
import type { EmulatedKvmHost } from "../../src/kvm/host.js";
import { VmFile } from "../../src/kvm/vm.js";

const MiB = 0x100000n;

function setup() {
  const env = armVm();
  const mem = hostMem(env.host, 0x400000); // 4 MiB
  const set = (slot: number, flags: number, gpa: bigint, size: bigint, uaddr: bigint): number =>
    env.host.ioctl(env.vm, REQ.KVM_SET_USER_MEMORY_REGION, region(slot, flags, gpa, size, uaddr));
  return { ...env, mem, set };
}

function guestMemory(host: EmulatedKvmHost, vmFd: number) {
  const file = host.kernel.fds.get(vmFd);
  assert.ok(file instanceof VmFile);
  return file.vm.memory;
}

test("a valid region is accepted", () => {
  const { set, mem } = setup();
  assert.equal(set(0, 0, 0x40000000n, MiB, mem.addr), 0);
});

test("validation rows 1–8 in order (each input fails exactly one rule)", () => {
  const { set, mem } = setup();
  const u = mem.addr;
  // 1. (u16)slot >= 32
  assert.equal(set(32, 0, 0n, MiB, u), -E.EINVAL);
  assert.equal(set(0xffff, 0, 0n, MiB, u), -E.EINVAL);
  // 2. unknown flag bit
  assert.equal(set(0, 4, 0n, MiB, u), -E.EINVAL);
  assert.equal(set(0, 0x80000000, 0n, MiB, u), -E.EINVAL);
  // 3. size not a multiple of 4096
  assert.equal(set(0, 0, 0n, MiB + 1n, u), -E.EINVAL);
  // 4. guest_phys_addr not aligned
  assert.equal(set(0, 0, 0x800n, MiB, u), -E.EINVAL);
  // 5. userspace_addr not aligned / not a valid user range (TASK_SIZE 0xBF000000)
  assert.equal(set(0, 0, 0n, MiB, u + 0x10n), -E.EINVAL);
  assert.equal(set(0, 0, 0n, 0x2000n, 0xbefff000n), -E.EINVAL);
  // 6. address-space id != 0
  assert.equal(set(0x10000, 0, 0n, MiB, u), -E.EINVAL);
  // 7. guest range wraps around 2^64
  assert.equal(set(0, 0, 0xfffffffffff00000n, 0x200000n, u), -E.EINVAL);
  // 8. page count > 2^31 - 1 (2^31 pages = 8 TiB; the user range check sees only 32 bits of it)
  assert.equal(set(0, 0, 0n, 1n << 43n, u), -E.EINVAL);
  // order: row 1 wins over row 2, row 2 over row 3, …
  assert.equal(set(40, 4, 1n, 1n, 1n), -E.EINVAL);
  // nothing was created by any of these
  assert.equal(set(0, 0, 0n, 0n, u), -E.EINVAL, "deleting the still-empty slot 0 is row 11");
});

test("row 9: a populated slot cannot change uaddr, size or READONLY", () => {
  const { set, mem } = setup();
  const u = mem.addr;
  assert.equal(set(1, 0, 0x40000000n, MiB, u), 0);
  assert.equal(set(1, 0, 0x40000000n, MiB, u + 0x1000n), -E.EINVAL);
  assert.equal(set(1, 0, 0x40000000n, 2n * MiB, u), -E.EINVAL);
  assert.equal(set(1, KVM_MEM_READONLY, 0x40000000n, MiB, u), -E.EINVAL);
});

test("row 10: an identical region is a no-op success (no generation change)", () => {
  const { host, vm, set, mem } = setup();
  assert.equal(set(1, 0, 0x40000000n, MiB, mem.addr), 0);
  const g = guestMemory(host, vm).generation;
  assert.equal(set(1, 0, 0x40000000n, MiB, mem.addr), 0);
  assert.equal(guestMemory(host, vm).generation, g);
});

test("row 11: size 0 on an empty slot is -EINVAL", () => {
  const { set, mem } = setup();
  assert.equal(set(5, 0, 0x40000000n, 0n, mem.addr), -E.EINVAL);
});

test("row 12: creating or moving onto another slot is -EEXIST; adjacency is fine", () => {
  const { set, mem } = setup();
  const u = mem.addr;
  assert.equal(set(0, 0, 0x40000000n, MiB, u), 0);
  assert.equal(set(1, 0, 0x400ff000n, MiB, u + MiB), -E.EEXIST, "overlaps the last page of slot 0");
  assert.equal(set(1, 0, 0x3ff01000n, MiB, u + MiB), -E.EEXIST, "overlaps the first page of slot 0");
  assert.equal(set(1, 0, 0x40100000n, MiB, u + MiB), 0, "adjacent above");
  assert.equal(set(2, 0, 0x3ff00000n, MiB, u + 2n * MiB), 0, "adjacent below");
  assert.equal(set(2, 0, 0x40080000n, MiB, u + 2n * MiB), -E.EEXIST, "move onto slot 0");
  assert.equal(set(0, 0, 0x40080000n, MiB, u), -E.EEXIST, "slot 0 moved onto slot 1 (overlapping itself is fine)");
  assert.equal(set(0, 0, 0x50000000n, MiB, u), 0);
  // host memory may be shared by two slots: only guest ranges must not overlap
  assert.equal(set(3, 0, 0x60000000n, MiB, u), 0);
});

test("row 13: a slot reaching the last page of the 40-bit IPA space is -EFAULT", () => {
  const { set, mem } = setup();
  const top = 1n << 40n;
  assert.equal(set(0, 0, top - MiB, MiB, mem.addr), -E.EFAULT, "ends exactly at 2^40");
  assert.equal(set(0, 0, top - MiB - 0x1000n, MiB, mem.addr), 0, "ends one page below: accepted");
  assert.equal(set(1, 0, top, 0x1000n, mem.addr), -E.EFAULT);
  // deleting is never refused by the limit
  assert.equal(set(0, 0, 0n, 0n, mem.addr), 0);
});

test("an address in no live mapping is accepted (like Linux); its pages fault later", () => {
  const { host, vm, set } = setup();
  assert.equal(set(0, 0, 0x80000000n, 0x2000n, 0x70000000n), 0);
  const port = guestMemory(host, vm);
  const out = { region: 0, offset: 0 };
  assert.equal(port.lookup(0x80000000, ACCESS_READ, out), 2 /* PHYS_FAULT */);
});

test("create, move, flags-only and delete as seen by the guest-memory port", () => {
  const { host, vm, set, mem } = setup();
  const port = guestMemory(host, vm);
  const out = { region: -1, offset: -1 };
  assert.equal(set(0, 0, 0x40000000n, MiB, mem.addr), 0);
  mem.bytes[0x3004] = 0xab;
  assert.equal(port.lookup(0x40003004, ACCESS_READ, out), PHYS_RAM);
  assert.equal(port.regions[out.region]![out.offset + 4], 0xab);
  assert.equal(port.lookup(0x40100000, ACCESS_READ, out), PHYS_IO, "past the end");
  assert.equal(port.lookup(0x3ffff000, ACCESS_READ, out), PHYS_IO, "below the start");

  let g = port.generation;
  assert.equal(set(0, 0, 0x80000000n, MiB, mem.addr), 0, "move");
  assert.ok(port.generation > g);
  assert.equal(port.lookup(0x40003004, ACCESS_READ, out), PHYS_IO);
  assert.equal(port.lookup(0x80003004, ACCESS_READ, out), PHYS_RAM);
  assert.equal(port.regions[out.region]![out.offset + 4], 0xab, "same host bytes after a move");

  g = port.generation;
  assert.equal(set(0, KVM_MEM_LOG_DIRTY_PAGES, 0x80000000n, MiB, mem.addr), 0, "flags-only");
  assert.ok(port.generation > g);

  g = port.generation;
  assert.equal(set(0, 0, 0x80000000n, 0n, 0n), 0, "delete: size 0 (other fields ignored)");
  assert.ok(port.generation > g);
  assert.equal(port.lookup(0x80003004, ACCESS_READ, out), PHYS_IO);
  assert.equal(set(0, 0, 0x80000000n, 0n, mem.addr), -E.EINVAL, "slot 0 is empty again");
  assert.equal(set(0, 0, 0x90000000n, 2n * MiB, mem.addr + MiB), 0, "and can be created anew with any shape");
});

test("READONLY slots: reads and fetches are RAM, writes are I/O", () => {
  const { host, vm, set, mem } = setup();
  const port = guestMemory(host, vm);
  const out = { region: 0, offset: 0 };
  assert.equal(set(0, KVM_MEM_READONLY, 0x0n, MiB, mem.addr), 0);
  assert.equal(port.lookup(0x1000, ACCESS_READ, out), PHYS_RAM);
  assert.equal(port.lookup(0x1000, 2 /* fetch */, out), PHYS_RAM);
  assert.equal(port.lookup(0x1000, ACCESS_WRITE, out), PHYS_IO);
});

test("guest memory is the host mapping: writes show both ways, no copy", () => {
  const { host, vm, set, mem } = setup();
  const port = guestMemory(host, vm);
  const out = { region: 0, offset: 0 };
  assert.equal(set(0, 0, 0x40000000n, 2n * MiB, mem.addr + MiB), 0);
  mem.bytes[MiB_N + 0x5123] = 0x5a; // host write
  assert.equal(port.lookup(0x40005123, ACCESS_WRITE, out), PHYS_RAM);
  const page = port.regions[out.region]!;
  assert.equal(page[out.offset + 0x123], 0x5a);
  page[out.offset + 0x124] = 0xc3; // guest write
  assert.equal(mem.bytes[MiB_N + 0x5124], 0xc3);
  assert.equal(page.buffer, mem.bytes.buffer, "the same SharedArrayBuffer");
});
const MiB_N = 0x100000;

test("munmap of the backing memory makes slot pages fault; a new mapping is picked up", () => {
  const { host, vm, set } = setup();
  const port = guestMemory(host, vm);
  const m = hostMem(host, 0x10000);
  assert.equal(set(0, 0, 0x1000000n, 0x10000n, m.addr), 0);
  const out = { region: 0, offset: 0 };
  assert.equal(port.lookup(0x1000000, ACCESS_READ, out), PHYS_RAM);
  const g = port.generation;
  assert.equal(host.munmap(m.addr, 0x10000), 0);
  assert.ok(port.generation > g, "the CPU must flush its TLB");
  assert.equal(port.lookup(0x1000000, ACCESS_READ, out), 2 /* PHYS_FAULT */);
  const again = hostMem(host, 0x10000);
  assert.equal(again.addr, m.addr, "first fit reuses the hole");
  again.bytes[8] = 0x77;
  assert.equal(port.lookup(0x1000000, ACCESS_READ, out), PHYS_RAM);
  assert.equal(port.regions[out.region]![out.offset + 8], 0x77);
});

test("PPC host: READONLY is not a valid flag; 512 slots", async () => {
  const { createHost } = await import("../../src/kvm/host.js");
  const host = createHost({ arch: "ppc", cpus: 2 });
  const kvm = host.open("/dev/kvm");
  const vm = host.ioctl(kvm, 0x2000ae01, 0);
  const m = hostMem(host, 0x10000);
  const setPpc = 0x8020ae46; // powerpc _IOW encoding, kvm-ppc-abi.md §1.4
  assert.equal(host.ioctl(vm, setPpc, region(0, KVM_MEM_READONLY, 0n, 0x10000n, m.addr)), -E.EINVAL);
  assert.equal(host.ioctl(vm, setPpc, region(511, 0, 0n, 0x10000n, m.addr)), 0);
  assert.equal(host.ioctl(vm, setPpc, region(512, 0, 0x100000n, 0x10000n, m.addr)), -E.EINVAL);
});

test("argument copy failures: -EFAULT", () => {
  const { host, vm, mem } = setup();
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, new Uint8Array(31)), -E.EFAULT);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, 0), -E.EFAULT, "NULL");
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION), -E.EFAULT, "no argument");
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, mem.addr + 0x400000n - 16n), -E.EFAULT, "runs off the mapping");
  // the struct in host memory, by address
  mem.bytes.set(region(0, 0, 0x40000000n, 0x1000n, mem.addr + 0x100000n), 0x3000);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, mem.addr + 0x3000n), 0);
  assert.equal(host.ioctl(vm, REQ.KVM_SET_USER_MEMORY_REGION, Number(mem.addr) + 0x3000), 0, "identical again: no-op");
});
