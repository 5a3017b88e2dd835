import { test } from "node:test";
import assert from "node:assert/strict";
import { AddressSpace } from "../../src/user/address-space.js";
import type { LoadedProgram } from "../../src/user/elf.js";
import {
  AT_BASE, AT_CLKTCK, AT_EGID, AT_ENTRY, AT_EUID, AT_EXECFN, AT_FLAGS, AT_GID, AT_HWCAP, AT_HWCAP2, AT_NULL, AT_PAGESZ,
  AT_PHDR, AT_PHENT, AT_PHNUM, AT_PLATFORM, AT_RANDOM, AT_SECURE, AT_UID, buildInitialStack, hwcapFor, STACK_SIZE, STACK_TOP,
} from "../../src/user/stack.js";

const program: LoadedProgram = { entry: 0x10101, phdr: 0x10034, phent: 32, phnum: 7, loadBias: 0, brk: 0x30000, execStack: false };

function setup(space: AddressSpace) {
  return buildInitialStack(space, program, {
    argv: ["/bin/prog", "one", "two words"],
    envp: ["HOME=/root", "LANG=C"],
    execfn: "/bin/prog",
    uid: 1000, euid: 1001, gid: 100, egid: 101,
    hwcap: hwcapFor("cortex-a15"),
    hwcap2: 0,
    random: Uint8Array.from({ length: 16 }, (_, i) => i + 1),
  });
}

test("sp is 16-byte aligned and points at argc, argv[], NULL, envp[], NULL", () => {
  const space = new AddressSpace();
  const st = setup(space);
  assert.equal(st.sp % 16, 0);
  assert.ok(st.sp < STACK_TOP && st.sp > STACK_TOP - STACK_SIZE);
  assert.equal(space.readU32(st.sp), 3);
  const argv = [0, 1, 2].map((i) => space.readCString(space.readU32(st.sp + 4 + i * 4)!));
  assert.deepEqual(argv, ["/bin/prog", "one", "two words"]);
  assert.equal(space.readU32(st.sp + 16), 0);
  const envp = [0, 1].map((i) => space.readCString(space.readU32(st.sp + 20 + i * 4)!));
  assert.deepEqual(envp, ["HOME=/root", "LANG=C"]);
  assert.equal(space.readU32(st.sp + 28), 0);
  // Linux copies the strings so that they are contiguous in argv order
  const a0 = space.readU32(st.sp + 4)!;
  assert.equal(space.readU32(st.sp + 8), a0 + "/bin/prog".length + 1);
});

test("auxv has Linux's entries, in create_elf_tables order, ending with AT_NULL", () => {
  const space = new AddressSpace();
  const st = setup(space);
  const aux: Array<[number, number]> = [];
  for (let at = st.sp + 32; ; at += 8) {
    const key = space.readU32(at)!;
    aux.push([key, space.readU32(at + 4)!]);
    if (key === AT_NULL) break;
  }
  const keys = aux.map(([k]) => k);
  assert.deepEqual(keys, [AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY,
    AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM, AT_NULL]);
  const v = new Map(aux);
  // HWCAP: SWP|HALF|THUMB|FAST_MULT|VFP|EDSP|NEON|VFPv3|TLS|VFPv4|IDIVA|IDIVT|VFPD32|LPAE, bit values from asm/hwcap.h
  assert.equal(v.get(AT_HWCAP), 0x1 | 0x2 | 0x4 | 0x10 | 0x40 | 0x80 | 0x1000 | 0x2000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x80000 | 0x100000);
  assert.equal(v.get(AT_PAGESZ), 4096);
  assert.equal(v.get(AT_CLKTCK), 100);
  assert.equal(v.get(AT_PHDR), 0x10034);
  assert.equal(v.get(AT_PHENT), 32);
  assert.equal(v.get(AT_PHNUM), 7);
  assert.equal(v.get(AT_BASE), 0);
  assert.equal(v.get(AT_ENTRY), 0x10101);
  assert.deepEqual([v.get(AT_UID), v.get(AT_EUID), v.get(AT_GID), v.get(AT_EGID)], [1000, 1001, 100, 101]);
  assert.equal(v.get(AT_SECURE), 0);
  assert.equal(v.get(AT_HWCAP2), 0);
  assert.deepEqual([...space.read(v.get(AT_RANDOM)!, 16)!], Array.from({ length: 16 }, (_, i) => i + 1));
  assert.equal(space.readCString(v.get(AT_PLATFORM)!), "v7l");
  assert.equal(space.readCString(v.get(AT_EXECFN)!), "/bin/prog");
  assert.equal(v.get(AT_EXECFN), st.execfnAddr);
});

test("the 8 MiB stack is mapped read/write, non-executable with a PT_GNU_STACK without PF_X", () => {
  const space = new AddressSpace();
  setup(space);
  assert.equal(space.protectionAt(STACK_TOP - 4), 3);
  assert.equal(space.protectionAt(STACK_TOP - STACK_SIZE), 3);
  assert.equal(space.isMapped(STACK_TOP - STACK_SIZE - 1), false);
  assert.equal(space.isMapped(STACK_TOP), false);
});
