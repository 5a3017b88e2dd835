/**
 * The Advanced SIMD decoder against binutils over random words of the A32 Advanced SIMD spaces
 * (1111 001x data processing, 1111 0100 xxx0 element load/store) and their T32 forms: nothing
 * objdump calls undefined, illegal (bad size or register) or post-ARMv7 (half precision, VQRDMLAH,
 * VMULL.P64, crypto, dot products, ...) may decode — over-acceptance would execute garbage where
 * the ARM ARM says UNDEFINED. (The other direction is not asserted: objdump prints many
 * encodings the ARM ARM makes UNDEFINED, e.g. alignment qualifiers an instruction does not allow,
 * VMUL.P16 or Q-register VPADD; we reject those.) Every A32 word must also decode exactly as its
 * T32 form (111U 1111 / 1111 1001), with the same executor and operands.
 * Skipped when binutils is missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decoded } from "../../../../src/arch/arm/decode/pattern.js";
import { vfpDecoder } from "../../../../src/arch/arm/vfp/decode.js";

const available = spawnSync("sh", ["-c", "command -v arm-linux-gnueabihf-objdump"]).status === 0;

const NOT_ARMV7 =
  /UNDEFINED|undefined|\.word|illegal|\.f16|f16\.|vqrdml|p64|sha|aes|vsel|vmaxnm|vminnm|vrint|vcvt[anpm]\.|vdot|vcmla|vcadd|vfmal|vfmsl|bf16|vsdot|vudot|vmmla|vusdot|vsudot/;

test("no word binutils rejects for ARMv7 Advanced SIMD decodes; A32 and T32 forms decode alike", { skip: !available }, () => {
  let seed = 0x1234567;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const N = 30000;
  const words = new Uint32Array(N);
  for (let i = 0; i < N; i++) {
    const r = rnd();
    // a third each: any data-processing word, the bit-23-set half (where most forms live), element load/store
    words[i] = (i % 3 === 0 ? (r & 0x01ffffff) | 0xf2000000 : i % 3 === 1 ? (r & 0x017fffff) | 0xf2800000 : (r & 0x00efffff) | 0xf4000000) >>> 0;
  }
  const dir = mkdtempSync(join(tmpdir(), "neon-space-"));
  let lines: string[];
  try {
    writeFileSync(join(dir, "w.bin"), Buffer.from(words.buffer));
    lines = execFileSync("arm-linux-gnueabihf-objdump", ["-D", "-b", "binary", "-m", "arm", join(dir, "w.bin")], { maxBuffer: 1 << 28 })
      .toString()
      .split("\n")
      .filter((l) => /^\s+[0-9a-f]+:\t/.test(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(lines.length, N);
  const wrong: string[] = [];
  const mismatch: string[] = [];
  let decoded = 0;
  const a = new Decoded(), t = new Decoded();
  for (let i = 0; i < N; i++) {
    const w = words[i];
    const text = lines[i].split("\t").slice(2).join(" ");
    const ok = vfpDecoder.decode(w | 0, false, a);
    // T32: 111U 1111 for data processing (U = A32 bit 24), 1111 1001 for element load/store
    const t32 = (w >>> 24) === 0xf4 ? ((w & 0x00ffffff) | 0xf9000000) >>> 0 : ((w & 0x00ffffff) | 0xef000000 | ((w & 0x01000000) << 4)) >>> 0;
    const okT = vfpDecoder.decode(t32 | 0, true, t);
    if (ok !== okT || (ok && (a.op !== t.op || a.a !== t.a || a.b !== t.b || a.c !== t.c || a.d !== t.d)))
      if (mismatch.length < 10) mismatch.push(`${w.toString(16)} / ${t32.toString(16)}: ${text}`);
    if (!ok) continue;
    decoded++;
    // register numbers above 31 are UNPREDICTABLE (binutils prints d32+); we may wrap them
    const halfConversion = /^vcvt\.f(16\.f32|32\.f16) [dq]\d+, [dq]\d+$/.test(text.trim()); // ARMv7 (VFPv4)
    const badRegister = /d3[2-9]|d[4-9][0-9]/.test(text);
    if (NOT_ARMV7.test(text) && !halfConversion && !badRegister && wrong.length < 20) wrong.push(`${w.toString(16)}: ${text}`);
  }
  assert.deepEqual(wrong, []);
  assert.deepEqual(mismatch, []);
  assert.ok(decoded > N / 3, `${decoded} of ${N} random words decode`);
});
