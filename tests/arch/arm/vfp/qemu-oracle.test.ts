/**
 * Differential test against ARM's own answers: a small C program with one inline-asm block per VFP
 * instruction is cross-compiled (arm-linux-gnueabihf-gcc -static) and run under qemu-arm, whose
 * VFP emulation follows the ARM pseudocode (tininess before rounding, ARM NaN propagation, FZ, DN,
 * AHP). For every instruction and thousands of operand/FPSCR combinations — special values, NaN
 * payloads, denormals, boundary values, cancellations, random bits, all four rounding modes with FZ,
 * DN and AHP at random — the destination register and the whole FPSCR must match bit for bit.
 *
 * Register convention on both sides: Dd = D0 (Sd = S0), Dn = D1 (Sn = S2), Dm = D2 (Sm = S4).
 * Our side runs each instruction the way the core will: its A32 and T32 encodings (assembled by
 * binutils) go through the VFP decoder, which must pick the expected executor and operands, and the
 * decoded executor is what runs (A32 and T32 alternately).
 * Skipped (not failed) when the cross compiler or qemu-arm is missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as dp from "../../../../src/arch/arm/vfp/dataproc.js";
import type { VfpOp } from "../../../../src/arch/arm/vfp/dataproc.js";
import { vfpDecoder } from "../../../../src/arch/arm/vfp/decode.js";
import { Decoded } from "../../../../src/arch/arm/decode/pattern.js";
import { EXECUTORS } from "../../../../src/arch/arm/executors.js";
import { CPACR_CP10_CP11_FULL, FPEXC_EN, fpSimdExecutorBody } from "../../../../src/arch/arm/fp-simd.js";

interface Case {
  asm: string;
  op: VfpOp;
  d: number;
  n: number;
  m: number;
  /** operand kinds: 's' single in the low word, 'd' double, 'i' integer word */
  kind: "s" | "d";
}

const S = (asm: string, op: VfpOp, n = 2): Case => ({ asm, op, d: 0, n, m: 4, kind: "s" });
const D = (asm: string, op: VfpOp, n = 1): Case => ({ asm, op, d: 0, n, m: 2, kind: "d" });
const fixed = (bits: number, unsigned: boolean, size32: boolean, toFixed: boolean) =>
  bits | (unsigned ? 64 : 0) | (size32 ? 128 : 0) | (toFixed ? 256 : 0);

const CASES: Case[] = [
  S("vadd.f32 s0, s2, s4", dp.vaddS), S("vsub.f32 s0, s2, s4", dp.vsubS),
  S("vmul.f32 s0, s2, s4", dp.vmulS), S("vdiv.f32 s0, s2, s4", dp.vdivS),
  S("vnmul.f32 s0, s2, s4", dp.vnmulS), S("vmla.f32 s0, s2, s4", dp.vmlaS),
  S("vmls.f32 s0, s2, s4", dp.vmlsS), S("vnmla.f32 s0, s2, s4", dp.vnmlaS),
  S("vnmls.f32 s0, s2, s4", dp.vnmlsS), S("vfma.f32 s0, s2, s4", dp.vfmaS),
  S("vfms.f32 s0, s2, s4", dp.vfmsS), S("vfnma.f32 s0, s2, s4", dp.vfnmaS),
  S("vfnms.f32 s0, s2, s4", dp.vfnmsS), S("vsqrt.f32 s0, s4", dp.vsqrtS, 0),
  S("vabs.f32 s0, s4", dp.vabsS, 0), S("vneg.f32 s0, s4", dp.vnegS, 0),
  { asm: "vcmp.f32 s0, s4", op: dp.vcmpS, d: 0, n: 0, m: 4, kind: "s" },
  { asm: "vcmpe.f32 s0, s4", op: dp.vcmpS, d: 0, n: 1, m: 4, kind: "s" },
  { asm: "vcmp.f32 s0, #0", op: dp.vcmpS, d: 0, n: 0, m: -1, kind: "s" },
  { asm: "vcmpe.f32 s0, #0", op: dp.vcmpS, d: 0, n: 1, m: -1, kind: "s" },
  D("vadd.f64 d0, d1, d2", dp.vaddD), D("vsub.f64 d0, d1, d2", dp.vsubD),
  D("vmul.f64 d0, d1, d2", dp.vmulD), D("vdiv.f64 d0, d1, d2", dp.vdivD),
  D("vnmul.f64 d0, d1, d2", dp.vnmulD), D("vmla.f64 d0, d1, d2", dp.vmlaD),
  D("vmls.f64 d0, d1, d2", dp.vmlsD), D("vnmla.f64 d0, d1, d2", dp.vnmlaD),
  D("vnmls.f64 d0, d1, d2", dp.vnmlsD), D("vfma.f64 d0, d1, d2", dp.vfmaD),
  D("vfms.f64 d0, d1, d2", dp.vfmsD), D("vfnma.f64 d0, d1, d2", dp.vfnmaD),
  D("vfnms.f64 d0, d1, d2", dp.vfnmsD), D("vsqrt.f64 d0, d2", dp.vsqrtD, 0),
  D("vabs.f64 d0, d2", dp.vabsD, 0), D("vneg.f64 d0, d2", dp.vnegD, 0),
  { asm: "vcmp.f64 d0, d2", op: dp.vcmpD, d: 0, n: 0, m: 2, kind: "d" },
  { asm: "vcmpe.f64 d0, d2", op: dp.vcmpD, d: 0, n: 1, m: 2, kind: "d" },
  { asm: "vcmpe.f64 d0, #0", op: dp.vcmpD, d: 0, n: 1, m: -1, kind: "d" },
  { asm: "vcvt.f64.f32 d0, s4", op: dp.vcvtDS, d: 0, n: 0, m: 4, kind: "s" },
  D("vcvt.f32.f64 s0, d2", dp.vcvtSD, 0),
  { asm: "vcvt.s32.f32 s0, s4", op: dp.vcvtIntS, d: 0, n: 0, m: 4, kind: "s" },
  { asm: "vcvt.u32.f32 s0, s4", op: dp.vcvtIntS, d: 0, n: 1, m: 4, kind: "s" },
  { asm: "vcvtr.s32.f32 s0, s4", op: dp.vcvtIntS, d: 0, n: 2, m: 4, kind: "s" },
  { asm: "vcvtr.u32.f32 s0, s4", op: dp.vcvtIntS, d: 0, n: 3, m: 4, kind: "s" },
  { asm: "vcvt.s32.f64 s0, d2", op: dp.vcvtIntD, d: 0, n: 0, m: 2, kind: "d" },
  { asm: "vcvt.u32.f64 s0, d2", op: dp.vcvtIntD, d: 0, n: 1, m: 2, kind: "d" },
  { asm: "vcvtr.s32.f64 s0, d2", op: dp.vcvtIntD, d: 0, n: 2, m: 2, kind: "d" },
  { asm: "vcvtr.u32.f64 s0, d2", op: dp.vcvtIntD, d: 0, n: 3, m: 2, kind: "d" },
  { asm: "vcvt.f32.s32 s0, s4", op: dp.vcvtFromIntS, d: 0, n: 0, m: 4, kind: "s" },
  { asm: "vcvt.f32.u32 s0, s4", op: dp.vcvtFromIntS, d: 0, n: 1, m: 4, kind: "s" },
  { asm: "vcvt.f64.s32 d0, s4", op: dp.vcvtFromIntD, d: 0, n: 0, m: 4, kind: "s" },
  { asm: "vcvt.f64.u32 d0, s4", op: dp.vcvtFromIntD, d: 0, n: 1, m: 4, kind: "s" },
  { asm: "vcvt.s32.f32 s0, s0, #16", op: dp.vcvtFixedS, d: 0, n: fixed(16, false, true, true), m: 0, kind: "s" },
  { asm: "vcvt.u16.f32 s0, s0, #3", op: dp.vcvtFixedS, d: 0, n: fixed(3, true, false, true), m: 0, kind: "s" },
  { asm: "vcvt.s16.f32 s0, s0, #16", op: dp.vcvtFixedS, d: 0, n: fixed(16, false, false, true), m: 0, kind: "s" },
  { asm: "vcvt.f32.s32 s0, s0, #7", op: dp.vcvtFixedS, d: 0, n: fixed(7, false, true, false), m: 0, kind: "s" },
  { asm: "vcvt.f32.u16 s0, s0, #1", op: dp.vcvtFixedS, d: 0, n: fixed(1, true, false, false), m: 0, kind: "s" },
  { asm: "vcvt.s32.f64 d0, d0, #32", op: dp.vcvtFixedD, d: 0, n: fixed(32, false, true, true), m: 0, kind: "d" },
  { asm: "vcvt.s16.f64 d0, d0, #5", op: dp.vcvtFixedD, d: 0, n: fixed(5, false, false, true), m: 0, kind: "d" },
  { asm: "vcvt.u32.f64 d0, d0, #1", op: dp.vcvtFixedD, d: 0, n: fixed(1, true, true, true), m: 0, kind: "d" },
  { asm: "vcvt.f64.u32 d0, d0, #20", op: dp.vcvtFixedD, d: 0, n: fixed(20, true, true, false), m: 0, kind: "d" },
  { asm: "vcvt.f64.s16 d0, d0, #2", op: dp.vcvtFixedD, d: 0, n: fixed(2, false, false, false), m: 0, kind: "d" },
  { asm: "vcvtb.f32.f16 s0, s4", op: dp.vcvtFromHalf, d: 0, n: 0, m: 4, kind: "s" },
  { asm: "vcvtt.f32.f16 s0, s4", op: dp.vcvtFromHalf, d: 0, n: 1, m: 4, kind: "s" },
  { asm: "vcvtb.f16.f32 s0, s4", op: dp.vcvtToHalf, d: 0, n: 0, m: 4, kind: "s" },
  { asm: "vcvtt.f16.f32 s0, s4", op: dp.vcvtToHalf, d: 0, n: 1, m: 4, kind: "s" },
];

function cSource(): string {
  const cases = CASES.map(
    (c, i) =>
      `    case ${i}: asm volatile("vldr d0, [%[r]]\\n\\tvldr d1, [%[r], #8]\\n\\tvldr d2, [%[r], #16]\\n\\t` +
      `vmsr fpscr, %[f]\\n\\t${c.asm}\\n\\tvmrs %[f], fpscr\\n\\tvstr d0, [%[r]]" ` +
      `: [f] "+r"(fpscr) : [r] "r"(regs) : "d0", "d1", "d2", "memory"); break;`,
  );
  return `#include <stdint.h>
#include <stdio.h>
static uint32_t regs[6];
int main(void) {
  uint32_t rec[8];
  while (fread(rec, 4, 8, stdin) == 8) {
    uint32_t fpscr = rec[1];
    for (int i = 0; i < 6; i++) regs[i] = rec[2 + i];
    switch (rec[0]) {
${cases.join("\n")}
    default: return 2;
    }
    uint32_t out[3] = { regs[0], regs[1], fpscr };
    fwrite(out, 4, 3, stdout);
  }
  return 0;
}
`;
}

function have(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

function buildOracle(): string {
  const src = cSource();
  const dir = join(tmpdir(), "tskvm-vfp-oracle");
  mkdirSync(dir, { recursive: true });
  const hash = createHash("sha256").update(src).digest("hex").slice(0, 16);
  const exe = join(dir, `vfp-${hash}`);
  if (!existsSync(exe)) {
    const c = join(dir, `vfp-${hash}.c`);
    writeFileSync(c, src);
    execFileSync("arm-linux-gnueabihf-gcc", [
      "-O1", "-static", "-march=armv7-a", "-mfpu=vfpv4", "-mfloat-abi=hard", "-o", exe + ".tmp", c,
    ]);
    execFileSync("mv", [exe + ".tmp", exe]);
  }
  return exe;
}

// ---------------------------------------------------------------- operand generation

let seed = 0x9e3779b9;
function rnd(): number {
  // xorshift32
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const pick = <T>(a: readonly T[]): T => a[rnd() % a.length];

const SPECIAL32 = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001,
  0x7f800001, 0xff812345, 0x7fa00000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x80800000,
  0x7f7fffff, 0xff7fffff, 0x3f000000, 0x40000000, 0x4f000000, 0xcf000000, 0x4f800000, 0x3effffff,
  0x33800000, 0x0c000000, 0x5f000000, 0x477fe000, 0x477ff000, 0x387fc000, 0x33000000, 0x4b000001,
];
const SPECIAL64: [number, number][] = [
  [0, 0], [0x80000000, 0], [0x3ff00000, 0], [0xbff00000, 0], [0x7ff00000, 0], [0xfff00000, 0],
  [0x7ff80000, 0], [0xfff80000, 0x1234], [0x7ff00000, 1], [0xfff40000, 0xabcdef], [0, 1], [0x80000000, 1],
  [0x000fffff, 0xffffffff], [0x00100000, 0], [0x7fefffff, 0xffffffff], [0xffefffff, 0xffffffff],
  [0x3fe00000, 0], [0x41e00000, 0], [0xc1e00000, 0], [0x41efffff, 0xffe00000], [0x3ca00000, 0],
  [0x36a00000, 0], [0x47efffff, 0xe0000000], [0x3fefffff, 0xffffffff], [0x43300000, 1], [0x40f00000, 0],
];

/** A random single: special, random bits, or a "nice" value near others (so sums cancel). */
function single(): number {
  const r = rnd() % 8;
  if (r === 0) return pick(SPECIAL32);
  if (r <= 2) return rnd();
  // moderate exponents so that operations interact (and FMA products meet the addend)
  const exp = 127 + ((rnd() % 61) - 30);
  return ((rnd() & 0x80000000) | (exp << 23) | (rnd() & 0x7fffff)) >>> 0;
}
function double(): [number, number] {
  const r = rnd() % 8;
  if (r === 0) return pick(SPECIAL64);
  if (r <= 2) return [rnd(), rnd()];
  const exp = 1023 + ((rnd() % 121) - 60);
  return [((rnd() & 0x80000000) | (exp << 20) | (rnd() & 0xfffff)) >>> 0, rnd()];
}

function fpscr(): number {
  let f = (rnd() & 3) << 22;
  if (rnd() % 4 === 0) f |= 1 << 24; // FZ
  if (rnd() % 4 === 0) f |= 1 << 25; // DN
  if (rnd() % 3 === 0) f |= 1 << 26; // AHP
  if (rnd() % 8 === 0) f |= 0x9f; // some flags already set
  return f >>> 0;
}

function record(opIndex: number, c: Case): Uint32Array {
  const rec = new Uint32Array(8);
  rec[0] = opIndex;
  rec[1] = fpscr();
  if (c.kind === "s") {
    for (let r = 0; r < 3; r++) {
      rec[2 + 2 * r] = single();
      rec[3 + 2 * r] = rnd() % 2 ? single() : rnd();
    }
    // make FMA / accumulate cases cancel: d close to -(n*m)
    if (rnd() % 4 === 0) {
      const f = new Float32Array(rec.buffer, 8);
      const p = Math.fround(f[2] * f[4]);
      if (Number.isFinite(p)) f[0] = -p;
    }
  } else {
    for (let r = 0; r < 3; r++) {
      const [hi, lo] = double();
      rec[2 + 2 * r] = lo;
      rec[3 + 2 * r] = hi;
    }
    if (rnd() % 4 === 0) {
      const f = new Float64Array(rec.buffer, 8);
      const p = f[1] * f[2];
      if (Number.isFinite(p)) f[0] = -p;
    }
  }
  return rec;
}

/** The encodings of every case: [A32 word, T32 hw1 << 16 | hw2]. */
function assemble(dir: string): [number, number][] {
  const words = (thumb: boolean): number[] => {
    const name = join(dir, thumb ? "cases-t32" : "cases-a32");
    const lines = CASES.map((c) => "\t" + c.asm);
    writeFileSync(name + ".s", `.syntax unified\n${thumb ? ".thumb" : ".arm"}\n${lines.join("\n")}\n`);
    execFileSync("arm-linux-gnueabihf-as", ["-march=armv7-a", "-mfpu=vfpv4", "-o", name + ".o", name + ".s"]);
    execFileSync("arm-linux-gnueabihf-objcopy", ["-O", "binary", "-j", ".text", name + ".o", name + ".bin"]);
    const b = readFileSync(name + ".bin");
    assert.equal(b.length, 4 * CASES.length);
    return CASES.map((_, i) =>
      thumb ? ((b.readUInt16LE(4 * i) << 16) | b.readUInt16LE(4 * i + 2)) >>> 0 : b.readUInt32LE(4 * i));
  };
  const a32 = words(false), t32 = words(true);
  return CASES.map((_, i) => [a32[i], t32[i]]);
}

const available = have("arm-linux-gnueabihf-gcc") && have("qemu-arm");

test("VFP instructions match ARM (qemu-arm) bit for bit, including FPSCR", { skip: !available }, () => {
  const exe = buildOracle();
  const encodings = assemble(join(tmpdir(), "tskvm-vfp-oracle"));
  const decoded: Decoded[][] = CASES.map((c, i) =>
    encodings[i].map((word, t) => {
      const out = new Decoded();
      assert.ok(vfpDecoder.decode(word, t === 1, out), `${c.asm} (${t ? "T32" : "A32"}) decodes`);
      assert.equal(fpSimdExecutorBody(out.op), c.op, `${c.asm} (${t ? "T32" : "A32"}) executor`);
      assert.deepEqual([out.a, out.b, out.c], [c.d, c.n, c.m], `${c.asm} (${t ? "T32" : "A32"}) operands`);
      return out;
    }),
  );
  const PER_CASE = Number(process.env.VFP_ORACLE_CASES ?? 1500);
  const records: Uint32Array[] = [];
  CASES.forEach((c, i) => {
    for (let k = 0; k < PER_CASE; k++) records.push(record(i, c));
  });
  const input = new Uint8Array(records.length * 32);
  records.forEach((r, i) => input.set(new Uint8Array(r.buffer), i * 32));
  const out = execFileSync("qemu-arm", [exe], { input, maxBuffer: 64 << 20 });
  const expected = new Uint32Array(out.buffer, out.byteOffset, out.byteLength / 4);
  assert.equal(expected.length, records.length * 3);

  const fp = { w: new Uint32Array(64), fpscr: 0, fpexc: FPEXC_EN };
  const cpu = { fp, cp15: { cpacr: CPACR_CP10_CP11_FULL }, mode: 0x10 }; // FP on, as for a Linux process
  const failures: string[] = [];
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, "0");
  records.forEach((rec, i) => {
    const c = CASES[rec[0]];
    fp.w.fill(0);
    fp.w.set(rec.subarray(2, 8), 0);
    fp.fpscr = rec[1];
    const o = decoded[rec[0]][i & 1];
    EXECUTORS[o.op](cpu as never, o.a, o.b, o.c, o.d);
    const got = [fp.w[0], fp.w[1], fp.fpscr];
    const want = [expected[3 * i], expected[3 * i + 1], expected[3 * i + 2]];
    if (got[0] !== want[0] || got[1] !== want[1] || got[2] !== want[2]) {
      if (failures.length < 25) {
        failures.push(
          `${c.asm} fpscr=${hex(rec[1])} d=${hex(rec[3])}:${hex(rec[2])} n=${hex(rec[5])}:${hex(rec[4])} ` +
            `m=${hex(rec[7])}:${hex(rec[6])} -> got ${got.map(hex).join(" ")} want ${want.map(hex).join(" ")}`,
        );
      }
    }
  });
  assert.deepEqual(failures, []);
});
