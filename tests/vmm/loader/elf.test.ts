// ELF loading by program headers (gABI: PT_LOAD at p_paddr, p_memsz - p_filesz zeroed; EM_ARM = 40),
// on images linked by the cross toolchain with known addresses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadElf } from "../../../src/vmm/loader/elf.js";
import { LoaderError } from "../../../src/vmm/loader/guest-ram.js";
import { buildElf } from "./elf-fixture.js";

const RAM = 0x4000_0000;
const ram = () => ({ base: RAM, bytes: new Uint8Array(4 * 1024 * 1024).fill(0xee) });
const word = (b: Uint8Array, off: number) => new DataView(b.buffer).getUint32(off, true);

const source = `
  .syntax unified
  .section .text
  .global _start
_start:
  mov r0, #1
  b .
  .word 0x12345678
  .section .data
value: .word 0xcafef00d
  .section .bss
zeros: .space 64
`;

test("segments go to their physical addresses; .bss zeroed; entry translated from the link address", () => {
  // linked at 0xC0008000 (virtual) with load addresses at RAM + 0x8000, like a kernel
  const script = `
    ENTRY(_start)
    SECTIONS {
      . = 0xC0008000;
      .text : AT(0x40008000) { *(.text) }
      . = 0xC0010000;
      .data : AT(0x40010000) { *(.data) }
      .bss : AT(0x40010004) { *(.bss) }
    }`;
  const r = ram();
  const loaded = loadElf(r, buildElf(source, script));
  assert.equal(loaded.entry, 0x4000_8000);
  assert.equal(loaded.start, 0x4000_8000);
  assert.equal(loaded.end, 0x4001_0000 + 4 + 64);
  assert.equal(word(r.bytes, 0x8000), 0xe3a00001); // MOV r0, #1 (A1: cond 1110, 0011101, imm12 1)
  assert.equal(word(r.bytes, 0x8004), 0xeafffffe); // B . (offset -8 >> 2 = -2)
  assert.equal(word(r.bytes, 0x8008), 0x12345678);
  assert.equal(word(r.bytes, 0x1_0000), 0xcafef00d);
  assert.ok(r.bytes.subarray(0x1_0004, 0x1_0004 + 64).every((b) => b === 0), ".bss zero-filled");
  assert.equal(r.bytes[0x7fff], 0xee, "bytes outside the segments untouched");
  assert.equal(loaded.bigEndian, false);
});

test("Thumb entry keeps bit 0; identity-linked images load where linked", () => {
  const script = `ENTRY(_start) SECTIONS { . = 0x40100000; .text : { *(.text) } .data : { *(.data) } .bss : { *(.bss) } }`;
  const thumb = source.replace(".global _start", ".thumb\n  .global _start\n  .thumb_func");
  const loaded = loadElf(ram(), buildElf(thumb, script));
  assert.equal(loaded.entry, 0x4010_0001);
  assert.equal(loaded.start, 0x4010_0000);
});

test("segments outside RAM, other machines and 64-bit files are refused with a reason", () => {
  const outside = `ENTRY(_start) SECTIONS { . = 0x10000000; .text : { *(.text) } }`;
  assert.throws(() => loadElf(ram(), buildElf(source, outside)), (e: unknown) => e instanceof LoaderError && /does not fit in RAM/.test(e.message));
  const elf = buildElf(source, `ENTRY(_start) SECTIONS { . = 0x40100000; .text : { *(.text) } }`);
  const x86 = elf.slice();
  x86[18] = 3; // EM_386
  assert.throws(() => loadElf(ram(), x86), /not ARM/);
  const elf64 = elf.slice();
  elf64[4] = 2;
  assert.throws(() => loadElf(ram(), elf64), /32-bit/);
  assert.throws(() => loadElf(ram(), elf.subarray(0, 40)), /truncated/);
});
