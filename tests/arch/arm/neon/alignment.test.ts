/**
 * Alignment qualifiers of the element and structure loads/stores (ARM ARM A7.7: "[Rn:align]"):
 * every form of the oracle's list that carries one faults when the address is only half as aligned
 * as asked — before any register, memory or base write-back changes — and runs when it is aligned;
 * the forms without a qualifier accept any address (element accesses are unaligned-tolerant).
 * Skipped when binutils is missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decoded } from "../../../../src/arch/arm/decode/pattern.js";
import { EXECUTORS } from "../../../../src/arch/arm/executors.js";
import { vfpDecoder } from "../../../../src/arch/arm/vfp/decode.js";
import { BareCpu, MEM_BASE } from "./bare-cpu.js";
import { NEON_CASES } from "./cases.js";

const available = spawnSync("sh", ["-c", "command -v arm-linux-gnueabihf-as"]).status === 0;
const MEMORY_FORMS = NEON_CASES.filter((c) => /^v(ld|st)[1-4]/.test(c));

function assembleA32(lines: readonly string[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), "neon-align-"));
  try {
    writeFileSync(join(dir, "a.s"), `.syntax unified\n.arm\n${lines.map((l) => "\t" + l).join("\n")}\n`);
    execFileSync("arm-linux-gnueabihf-as", ["-march=armv7-a", "-mfpu=neon-vfpv4", "-o", join(dir, "a.o"), join(dir, "a.s")]);
    execFileSync("arm-linux-gnueabihf-objcopy", ["-O", "binary", "-j", ".text", join(dir, "a.o"), join(dir, "a.bin")]);
    const b = readFileSync(join(dir, "a.bin"));
    return lines.map((_, i) => b.readUInt32LE(4 * i));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function prepared(base: number): BareCpu {
  const cpu = new BareCpu();
  for (let i = 0; i < 64; i++) cpu.fp.w[i] = (0x9e3779b9 * (i + 1)) >>> 0;
  for (let i = 0; i < 64; i++) cpu.mem[i] = (i * 37 + 11) & 0xff;
  cpu.regs[0] = base;
  cpu.regs[1] = 8;
  return cpu;
}

test("a misaligned [Rn:align] faults before any state changes; aligned and unqualified forms run", { skip: !available }, () => {
  const words = assembleA32(MEMORY_FORMS);
  let qualified = 0;
  MEMORY_FORMS.forEach((asm, i) => {
    const out = new Decoded();
    assert.ok(vfpDecoder.decode(words[i] | 0, false, out), asm);
    const exec = () => EXECUTORS[out.op];
    const align = /:(\d+)\]/.exec(asm);
    if (!align) {
      const cpu = prepared(MEM_BASE + 1);
      exec()(cpu as never, out.a, out.b, out.c, out.d); // no fault at an odd address
      return;
    }
    qualified++;
    const bytes = Number(align[1]) / 8;
    const ok = prepared(MEM_BASE);
    exec()(ok as never, out.a, out.b, out.c, out.d);
    const cpu = prepared(MEM_BASE + bytes / 2);
    const before = { w: Array.from(cpu.fp.w), mem: Array.from(cpu.mem), r0: cpu.regs[0] };
    assert.throws(() => exec()(cpu as never, out.a, out.b, out.c, out.d), /alignment fault/, asm);
    assert.deepEqual(Array.from(cpu.fp.w), before.w, `${asm}: registers unchanged`);
    assert.deepEqual(Array.from(cpu.mem), before.mem, `${asm}: memory unchanged`);
    assert.equal(cpu.regs[0], before.r0, `${asm}: no write-back`);
  });
  assert.ok(qualified >= 15, `${qualified} forms with an alignment qualifier`);
});
