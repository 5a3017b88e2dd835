/**
 * Compiler-generated code on the core: guests/arm-snippets/freestanding.c built with the Debian
 * cross compiler for ARM and for Thumb-2, loaded by a minimal ELF loader and run with a two-call
 * syscall shim (write, exit). The expected output is qemu-arm's for the same binary.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArmCpu, STOP_BUDGET, STOP_SVC } from "../../../../src/arch/arm/cpu.js";
import { FlatMemory } from "./harness.js";

const root = new URL("../../../../../", import.meta.url).pathname;
const source = join(root, "guests", "arm-snippets", "freestanding.c");

function build(isa: "arm" | "thumb", opt: string, dir: string): string {
  const out = join(dir, `fs-${isa}${opt}`);
  execFileSync("arm-linux-gnueabihf-gcc", [
    opt, "-fomit-frame-pointer", `-m${isa}`, "-mcpu=cortex-a15", "-mfpu=vfpv3-d16", "-fno-tree-vectorize", "-ffreestanding", "-nostdlib",
    "-static", "-fno-pie", "-no-pie", "-o", out, source, "-lgcc",
  ]);
  return out;
}

/** Loads the PT_LOAD segments of a static ELF32 little-endian executable; returns the entry point. */
export function loadElf(image: Uint8Array, mem: FlatMemory): number {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const entry = dv.getUint32(0x18, true), phoff = dv.getUint32(0x1c, true);
  const phentsize = dv.getUint16(0x2a, true), phnum = dv.getUint16(0x2c, true);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (dv.getUint32(ph, true) !== 1) continue;
    const offset = dv.getUint32(ph + 4, true), vaddr = dv.getUint32(ph + 8, true), filesz = dv.getUint32(ph + 16, true);
    mem.bytes.set(image.subarray(offset, offset + filesz), vaddr);
  }
  return entry;
}

/** Runs until exit; returns [stdout, exit code, instructions]. */
export function runProgram(path: string): [string, number, number] {
  const mem = new FlatMemory(0x400000);
  const cpu = new ArmCpu({ memory: mem });
  cpu.regs[13] = 0x3ff000;
  cpu.pc = loadElf(new Uint8Array(readFileSync(path)), mem);
  let stdout = "";
  for (;;) {
    const stop = cpu.run(10_000_000);
    if (stop === STOP_BUDGET) continue;
    assert.equal(stop, STOP_SVC, `unexpected stop ${stop} at 0x${cpu.pc.toString(16)}: ${JSON.stringify(cpu.stopInfo)}`);
    const nr = cpu.regs[7];
    if (nr === 1) return [stdout, cpu.regs[0], cpu.retired];
    assert.equal(nr, 4, `unexpected syscall ${nr}`);
    const buf = cpu.regs[1] >>> 0, len = cpu.regs[2] >>> 0;
    stdout += Buffer.from(mem.bytes.subarray(buf, buf + len)).toString("latin1");
    cpu.regs[0] = len;
  }
}

for (const isa of ["arm", "thumb"] as const) for (const opt of ["-O0", "-Os", "-O2", "-O3"]) {
  test(`freestanding C (${isa}, ${opt}): output and exit code match qemu-arm`, () => {
    const dir = mkdtempSync(join(tmpdir(), "armfs-"));
    try {
      const bin = build(isa, opt, dir);
      const oracle = spawnSync("qemu-arm", [bin], { encoding: "latin1" });
      const [stdout, code] = runProgram(bin);
      assert.equal(stdout, oracle.stdout);
      assert.equal(code, oracle.status);
      assert.match(stdout, /^.*\n414fa339 /); // CRC-32 of the quick brown fox, independent of qemu
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
