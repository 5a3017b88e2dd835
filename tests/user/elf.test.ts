import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { ACCESS_FETCH, ACCESS_WRITE, PHYS_FAULT, PHYS_RAM } from "../../src/arch/arm/memory.js";
import { AddressSpace } from "../../src/user/address-space.js";
import { ET_DYN_BASE, ExecError, loadElf, parseElf } from "../../src/user/elf.js";
import { build, hasToolchain } from "./toolchain.js";

const START = `
.syntax unified
.global _start
.text
_start:
  mov r0, #0
  mov r7, #248
  svc #0
.data
value: .word 0x11223344
.bss
buffer: .space 8192
`;

/** Program headers as readelf (binutils, an independent parser) prints them. */
function readelfSegments(path: string): Array<{ type: string; offset: number; vaddr: number; filesz: number; memsz: number; flags: string }> {
  const text = execFileSync("arm-linux-gnueabihf-readelf", ["-lW", path], { encoding: "utf8" });
  const rows = [...text.matchAll(/^\s+(LOAD|GNU_STACK|PHDR)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+([RWE ]+?)\s+0x/gm)];
  return rows.map((m) => ({
    type: m[1], offset: parseInt(m[2], 16), vaddr: parseInt(m[3], 16), filesz: parseInt(m[4], 16),
    memsz: parseInt(m[5], 16), flags: m[6].replace(/ /g, ""),
  }));
}

function entryOf(path: string): number {
  const text = execFileSync("arm-linux-gnueabihf-readelf", ["-hW", path], { encoding: "utf8" });
  return parseInt(/Entry point address:\s+0x([0-9a-f]+)/.exec(text)![1], 16);
}

const out = { region: 0, offset: 0 };

test("ET_EXEC: segments land at their link addresses with their permissions, bss zeroed", { skip: !hasToolchain }, () => {
  const path = build(START, "S");
  const image = readFileSync(path);
  const space = new AddressSpace();
  const loaded = loadElf(space, image);
  assert.equal(loaded.loadBias, 0);
  assert.equal(loaded.entry, entryOf(path));
  let top = 0;
  for (const seg of readelfSegments(path).filter((s) => s.type === "LOAD")) {
    const first = seg.vaddr;
    assert.equal(space.lookup(first, ACCESS_FETCH, out), seg.flags.includes("E") ? PHYS_RAM : PHYS_FAULT);
    if (!seg.flags.includes("E")) assert.equal(space.lookup(first, ACCESS_WRITE, out), seg.flags.includes("W") ? PHYS_RAM : PHYS_FAULT);
    // file bytes are present, bss beyond filesz reads as zero
    assert.deepEqual(Buffer.from(space.read(seg.vaddr, seg.filesz)!), image.subarray(seg.offset, seg.offset + seg.filesz));
    if (seg.memsz > seg.filesz) assert.equal(space.readU32(seg.vaddr + seg.memsz - 4), 0);
    top = Math.max(top, seg.vaddr + seg.memsz);
  }
  assert.equal(loaded.brk, Math.ceil(top / 4096) * 4096);
  assert.equal(loaded.phnum, image.readUInt16LE(44));
  assert.equal(loaded.execStack, readelfSegments(path).find((s) => s.type === "GNU_STACK")?.flags.includes("E") ?? true);
});

test("AT_PHDR points at a copy of the program headers", { skip: !hasToolchain }, () => {
  const path = build(START, "S");
  const image = readFileSync(path);
  const space = new AddressSpace();
  const loaded = loadElf(space, image);
  const phoff = image.readUInt32LE(28);
  assert.deepEqual(Buffer.from(space.read(loaded.phdr, loaded.phnum * 32)!), image.subarray(phoff, phoff + loaded.phnum * 32));
});

test("ET_DYN (static-PIE) is loaded at ELF_ET_DYN_BASE with the entry relocated; Thumb bit kept", { skip: !hasToolchain }, () => {
  const thumb = START.replace(".global _start", ".global _start\n.thumb\n.thumb_func").replace("mov r0, #0", "movs r0, #0");
  const path = build(thumb, "S", ["-nostdlib", "-fPIE", "-Wl,-pie,--no-dynamic-linker"]);
  const image = readFileSync(path);
  assert.equal(image.readUInt16LE(16), 3, "gcc made an ET_DYN");
  const space = new AddressSpace();
  const loaded = loadElf(space, image);
  assert.equal(loaded.loadBias % 4096, 0);
  assert.ok(loaded.loadBias > 0 && loaded.loadBias <= ET_DYN_BASE);
  assert.equal(loaded.entry, (entryOf(path) + loaded.loadBias) >>> 0);
  assert.equal(loaded.entry & 1, 1, "Thumb entry");
  assert.equal(space.lookup(loaded.entry & ~1, ACCESS_FETCH, out), PHYS_RAM);
});

test("refuses non-ELF, non-ARM and dynamically linked programs with one clear message", { skip: !hasToolchain }, () => {
  assert.throws(() => parseElf(new TextEncoder().encode("#!/bin/sh\necho hi\n".padEnd(64))), (e: unknown) => e instanceof ExecError && /not an ELF/.test(e.message));
  assert.throws(() => parseElf(readFileSync(process.execPath)), (e: unknown) => e instanceof ExecError && e.message === "not a static ARM EABI executable");
  const dynamic = build("int main(void){return 0;}", "c", ["-O2"]);
  assert.throws(() => parseElf(readFileSync(dynamic)), (e: unknown) => e instanceof ExecError && e.message === "not a static ARM EABI executable");
});
