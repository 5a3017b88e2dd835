import { test } from "node:test";
import assert from "node:assert/strict";
import { ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE, PHYS_FAULT, PHYS_RAM } from "../../src/arch/arm/memory.js";
import { AddressSpace, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE } from "../../src/user/address-space.js";

const out = { region: 0, offset: 0 };

test("unmapped pages fault for every access kind", () => {
  const s = new AddressSpace();
  for (const kind of [ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH] as const) assert.equal(s.lookup(0x10000, kind, out), PHYS_FAULT);
});

test("page permissions follow ARMv7 Linux: writes need PROT_WRITE, fetches PROT_EXEC, PROT_NONE nothing", () => {
  const s = new AddressSpace();
  s.map(0x10000, 0x1000, PROT_READ);
  s.map(0x11000, 0x1000, PROT_READ | PROT_WRITE);
  s.map(0x12000, 0x1000, PROT_READ | PROT_EXEC);
  s.map(0x13000, 0x1000, PROT_NONE);
  assert.equal(s.lookup(0x10000, ACCESS_READ, out), PHYS_RAM);
  assert.equal(s.lookup(0x10004, ACCESS_WRITE, out), PHYS_FAULT);
  assert.equal(s.lookup(0x10008, ACCESS_FETCH, out), PHYS_FAULT);
  assert.equal(s.lookup(0x11000, ACCESS_WRITE, out), PHYS_RAM);
  assert.equal(s.lookup(0x11000, ACCESS_FETCH, out), PHYS_FAULT);
  assert.equal(s.lookup(0x12ffc, ACCESS_FETCH, out), PHYS_RAM);
  assert.equal(s.lookup(0x12000, ACCESS_WRITE, out), PHYS_FAULT);
  for (const kind of [ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH] as const) assert.equal(s.lookup(0x13000, kind, out), PHYS_FAULT);
});

test("lookup points at the page's bytes; guest and port views agree", () => {
  const s = new AddressSpace();
  s.map(0x40000000, 0x2000, PROT_READ | PROT_WRITE);
  assert.ok(s.write(0x40000ffe, new Uint8Array([1, 2, 3, 4]))); // straddles two pages
  assert.equal(s.lookup(0x40000000, ACCESS_READ, out), PHYS_RAM);
  assert.deepEqual([...s.regions[out.region].subarray(out.offset + 0xffe, out.offset + 0x1000)], [1, 2]);
  assert.equal(s.lookup(0x40001000, ACCESS_READ, out), PHYS_RAM);
  assert.deepEqual([...s.regions[out.region].subarray(out.offset, out.offset + 2)], [3, 4]);
  assert.deepEqual([...s.read(0x40000ffe, 4)!], [1, 2, 3, 4]);
});

test("mappings are demand-zero and cost nothing until touched", () => {
  const s = new AddressSpace();
  s.map(0x20000000, 256 * 1024 * 1024, PROT_READ | PROT_WRITE);
  assert.equal(s.residentBytes, 0);
  assert.deepEqual([...s.read(0x27654320, 8)!], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(s.residentBytes, 0, "reading an untouched page does not allocate");
  s.writeU32(0x27654320, 0xdeadbeef);
  assert.equal(s.residentBytes, 4096);
  assert.equal(s.readU32(0x27654320), 0xdeadbeef);
});

test("munmap, remap: fresh pages read as zero; generation bumps on every change", () => {
  const s = new AddressSpace();
  let g = s.generation;
  s.map(0x10000, 0x1000, PROT_READ | PROT_WRITE);
  assert.ok(s.generation > g);
  s.writeU32(0x10000, 0x12345678);
  g = s.generation;
  s.unmap(0x10000, 0x1000);
  assert.ok(s.generation > g);
  assert.equal(s.readU32(0x10000), null);
  g = s.generation;
  s.map(0x10000, 0x1000, PROT_READ | PROT_WRITE);
  assert.equal(s.readU32(0x10000), 0);
  g = s.generation;
  assert.ok(s.protect(0x10000, 0x1000, PROT_READ));
  assert.ok(s.generation > g);
  assert.equal(s.write(0x10000, new Uint8Array(4)), false, "write() honours the new protection");
});

test("protect fails on partly unmapped ranges; findFree searches top-down", () => {
  const s = new AddressSpace();
  s.map(0x10000, 0x1000, PROT_READ);
  assert.equal(s.protect(0x10000, 0x2000, PROT_READ | PROT_WRITE), false);
  s.map(0xb6fff000, 0x1000, PROT_READ);
  assert.equal(s.findFree(0x2000, 0x1000, 0xb7000000), 0xb6ffd000);
  assert.ok(s.isFree(0xb6ffd000, 0x2000));
  assert.equal(s.isFree(0xb6ffe000, 0x2000), false);
});

test("move transfers pages without copying and leaves the source unmapped", () => {
  const s = new AddressSpace();
  s.map(0x10000, 0x2000, PROT_READ | PROT_WRITE);
  s.writeU32(0x11000, 77);
  s.move(0x10000, 0x50000, 0x2000);
  assert.equal(s.readU32(0x51000), 77);
  assert.equal(s.isMapped(0x10000), false);
  assert.equal(s.protectionAt(0x50000), PROT_READ | PROT_WRITE);
});

test("writes on the process's behalf are reported for code invalidation; readCString stops at faults", () => {
  const s = new AddressSpace();
  const seen: Array<[number, number]> = [];
  s.map(0x10000, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  s.onExternalWrite = (a, l) => seen.push([a, l]);
  s.write(0x10010, new TextEncoder().encode("hi\0"));
  assert.deepEqual(seen, [[0x10010, 3]]);
  assert.equal(s.readCString(0x10010), "hi");
  s.write(0x10ffe, new Uint8Array([0x41, 0x42])); // no terminator before the unmapped page
  assert.equal(s.readCString(0x10ffe), null);
});
