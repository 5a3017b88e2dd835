/**
 * The VFP host fast path (src/arch/arm/vfp/host-fast.ts) against the exact path it short-cuts: for
 * every operation and precision, operands from every class (normal, subnormal, zero, infinity,
 * quiet and signalling NaN, the normal range's edges, products and quotients landing on the
 * underflow and overflow thresholds), the result with FPSCR.IXC already set (fast path allowed)
 * must be bit-for-bit the exact path's result and raise the same exceptions apart from Inexact.
 * The exact path is itself checked against qemu-arm in tests/arch/arm/vfp.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FPSCR_DN, FPSCR_FZ, FPSCR_RMODE_SHIFT, IXC, UFC } from "../../../../src/arch/arm/vfp/fpscr.js";
import { fpResult } from "../../../../src/arch/arm/vfp/operands.js";
import {
  vadd32, vadd64, vdiv32, vdiv64, vfma32, vfma64, vmul32, vmul64, vsqrt32, vsqrt64, vsub32, vsub64,
} from "../../../../src/arch/arm/vfp/ops.js";
import { fpFlags } from "../../../../src/arch/arm/vfp/round.js";

function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** A double's bits [hi, lo] from one of the operand classes. */
function double(rnd: () => number): [number, number] {
  const sign = rnd() & 0x80000000;
  switch (rnd() % 8) {
    case 0: return [rnd(), rnd()]; // any bit pattern: NaNs, infinities, huge, tiny
    case 1: return [(sign | (rnd() & 0x000fffff)) >>> 0, rnd()]; // subnormal or zero
    case 2: return [(sign | ((rnd() % 3) << 20) | (rnd() & 0xfffff)) >>> 0, rnd()]; // just above 2^-1022
    case 3: return [(sign | ((0x7fd + (rnd() % 2)) << 20) | (rnd() & 0xfffff)) >>> 0, rnd()]; // near the top
    case 4: return [(sign | (0x7ff << 20) | (rnd() & 0x80000)) >>> 0, rnd() & 1]; // infinity, quiet/signalling NaN
    case 5: return [sign, 0]; // zero
    default: {
      // exponents around the middle, and around +-511 so products and quotients hit the edges
      const e = rnd() % 2 ? 1023 + (rnd() % 64) - 32 : 1023 + (rnd() % 2 ? 511 : -511) + (rnd() % 5) - 2;
      return [(sign | (e << 20) | (rnd() & 0xfffff)) >>> 0, rnd()];
    }
  }
}

function single(rnd: () => number): number {
  const sign = rnd() & 0x80000000;
  switch (rnd() % 8) {
    case 0: return rnd();
    case 1: return (sign | (rnd() & 0x7fffff)) >>> 0;
    case 2: return (sign | ((rnd() % 3) << 23) | (rnd() & 0x7fffff)) >>> 0;
    case 3: return (sign | ((0xfd + (rnd() % 2)) << 23) | (rnd() & 0x7fffff)) >>> 0;
    case 4: return (sign | (0xff << 23) | (rnd() & 0x400000) | (rnd() & 1)) >>> 0;
    case 5: return sign;
    default: {
      const e = rnd() % 2 ? 127 + (rnd() % 32) - 16 : 127 + (rnd() % 2 ? 63 : -63) + (rnd() % 5) - 2;
      return (sign | (e << 23) | (rnd() & 0x7fffff)) >>> 0;
    }
  }
}

const OPS64 = { vadd64, vsub64, vmul64, vdiv64 };

/** FPSCR modes: mostly the default (where the fast path applies), also FZ, DN and each rounding mode. */
function mode(rnd: () => number): number {
  const k = rnd() % 8;
  return k < 3 ? 0 : k === 3 ? FPSCR_FZ : k === 4 ? FPSCR_DN : (k - 4) << FPSCR_RMODE_SHIFT;
}
const OPS32 = { vadd32, vsub32, vmul32, vdiv32 };

test("host fast path: double-precision results and exceptions equal the exact path's", () => {
  const rnd = xorshift(0xfa57);
  let fast = 0;
  for (let i = 0; i < 100000; i++) {
    const [aHi, aLo] = double(rnd), [bHi, bLo] = double(rnd), m = mode(rnd);
    for (const [name, op] of Object.entries(OPS64)) {
      fpFlags.value = 0;
      op(aHi, aLo, bHi, bLo, m); // IXC clear: always the exact path
      const exact = [fpResult.hi, fpResult.lo, fpFlags.value | IXC];
      fpFlags.value = 0;
      op(aHi, aLo, bHi, bLo, m | IXC);
      const got = [fpResult.hi, fpResult.lo, fpFlags.value | IXC];
      if (fpFlags.value === 0) fast++;
      assert.deepEqual(got, exact, `${name} ${aHi.toString(16)}:${aLo.toString(16)} ${bHi.toString(16)}:${bLo.toString(16)}`);
    }
    fpFlags.value = 0;
    vsqrt64(aHi, aLo, m);
    const exact = [fpResult.hi, fpResult.lo, fpFlags.value | IXC];
    fpFlags.value = 0;
    vsqrt64(aHi, aLo, m | IXC);
    assert.deepEqual([fpResult.hi, fpResult.lo, fpFlags.value | IXC], exact, `vsqrt64 ${aHi.toString(16)}:${aLo.toString(16)}`);
  }
  assert.ok(fast > 100000, `the fast path answered ${fast} times`);
});

test("host fast path: single-precision results and exceptions equal the exact path's", () => {
  const rnd = xorshift(0x5137);
  for (let i = 0; i < 100000; i++) {
    const a = single(rnd), b = single(rnd), m = mode(rnd);
    for (const [name, op] of Object.entries(OPS32)) {
      fpFlags.value = 0;
      const exact = [op(a, b, m), fpFlags.value | IXC];
      fpFlags.value = 0;
      const got = [op(a, b, m | IXC), fpFlags.value | IXC];
      assert.deepEqual(got, exact, `${name} ${a.toString(16)} ${b.toString(16)}`);
    }
    fpFlags.value = 0;
    const exact = [vsqrt32(a, m), fpFlags.value | IXC];
    fpFlags.value = 0;
    assert.deepEqual([vsqrt32(a, m | IXC), fpFlags.value | IXC], exact, `vsqrt32 ${a.toString(16)}`);
  }
});

test("host fast path: not taken while FPSCR.IXC is clear, so the first inexact result raises Inexact", () => {
  fpFlags.value = 0;
  vdiv64(0x3ff00000, 0, 0x40080000, 0, 0); // 1 / 3
  assert.deepEqual([fpResult.hi, fpResult.lo, fpFlags.value], [0x3fd55555, 0x55555555, IXC]);
  fpFlags.value = 0;
  assert.equal(vdiv32(0x3f800000, 0x40400000, 0), 0x3eaaaaab);
  assert.equal(fpFlags.value, IXC);
  fpFlags.value = 0;
});

test("host fast path: a product that rounds up to the smallest normal still underflows (tininess before rounding)", () => {
  // (1 - 2^-53) * 2^-1022 lies halfway between the largest subnormal and 2^-1022 and rounds to even,
  // i.e. to 2^-1022; ARM detects tininess before rounding, so Underflow and Inexact are raised
  fpFlags.value = 0;
  vmul64(0x3fefffff, 0xffffffff, 0x00100000, 0, IXC);
  assert.deepEqual([fpResult.hi, fpResult.lo, fpFlags.value], [0x00100000, 0, UFC | IXC]);
  fpFlags.value = 0;
  // single precision: (1 - 2^-24) * 2^-126
  assert.equal(vmul32(0x3f7fffff, 0x00800000, IXC), 0x00800000);
  assert.equal(fpFlags.value, UFC | IXC);
  fpFlags.value = 0;
});

test("host fast path: fused multiply-add results and exceptions equal the exact path's", () => {
  const rnd = xorshift(0xf3a);
  let fastish = 0;
  for (let i = 0; i < 100000; i++) {
    const m = mode(rnd);
    const [cHi, cLo] = double(rnd), [aHi, aLo] = double(rnd), [bHi, bLo] = double(rnd);
    // an addend that nearly cancels the product half the time (the hard case for one rounding)
    let addHi = cHi, addLo = cLo;
    if (rnd() & 1) {
      f64[0] = a64(aHi, aLo) * a64(bHi, bLo) * (rnd() & 1 ? -1 : 1) * (1 + (rnd() % 5 - 2) * 2 ** -52);
      [addHi, addLo] = [w64[1], w64[0] ^ (rnd() & 3)];
    }
    fpFlags.value = 0;
    vfma64(addHi, addLo, aHi, aLo, bHi, bLo, m);
    const exact = [fpResult.hi, fpResult.lo, fpFlags.value | IXC];
    fpFlags.value = 0;
    vfma64(addHi, addLo, aHi, aLo, bHi, bLo, m | IXC);
    if (fpFlags.value === 0) fastish++;
    assert.deepEqual([fpResult.hi, fpResult.lo, fpFlags.value | IXC], exact,
      `vfma64 ${addHi.toString(16)}:${addLo.toString(16)} ${aHi.toString(16)}:${aLo.toString(16)} ${bHi.toString(16)}:${bLo.toString(16)} mode ${m}`);
    const c = single(rnd), a = single(rnd), b = single(rnd);
    let add = c;
    if (rnd() & 1) {
      f32[0] = a32(a) * a32(b) * (rnd() & 1 ? -1 : 1);
      add = (w32[0] ^ (rnd() & 3)) >>> 0;
    }
    fpFlags.value = 0;
    const exact32 = [vfma32(add, a, b, m), fpFlags.value | IXC];
    fpFlags.value = 0;
    assert.deepEqual([vfma32(add, a, b, m | IXC), fpFlags.value | IXC], exact32,
      `vfma32 ${add.toString(16)} ${a.toString(16)} ${b.toString(16)} mode ${m}`);
  }
  assert.ok(fastish > 5000, `${fastish}`);
});

test("host fast path: fused multiply-add next to rounding midpoints (where rounding twice goes wrong)", () => {
  // c + a * b with a * b within a few ulps of half an ulp of c (and of a quarter, below a power of
  // two): the exact sum sits next to a midpoint and only a single rounding of the exact value is right
  const rnd = xorshift(0x3e1d);
  for (let i = 0; i < 100000; i++) {
    const m = rnd() % 4 === 0 ? mode(rnd) : 0;
    const scale = 2 ** ((rnd() % 200) - 100), pow2 = rnd() % 3 === 0, negP = pow2 || (rnd() & 1) !== 0;
    const c = pow2 ? scale : (1 + (rnd() % 4096) * 2 ** -52) * scale;
    const target = (pow2 ? 2 ** -54 : 2 ** -53) * scale;
    const a = 1 + (rnd() / 2 ** 32);
    const b = (target / a) * (1 + ((rnd() % 9) - 4) * 2 ** -52);
    const [cHi, cLo] = bits64(c), [aHi, aLo] = bits64(a), [bHi, bLo] = bits64(negP ? -b : b);
    fpFlags.value = 0;
    vfma64(cHi, cLo, aHi, aLo, bHi, bLo, m);
    const exact = [fpResult.hi, fpResult.lo, fpFlags.value | IXC];
    fpFlags.value = 0;
    vfma64(cHi, cLo, aHi, aLo, bHi, bLo, m | IXC);
    assert.deepEqual([fpResult.hi, fpResult.lo, fpFlags.value | IXC], exact, `vfma64 ${c} + ${a} * ${negP ? -b : b}`);
    const c32 = Math.fround(pow2 ? scale : (1 + (rnd() % 256) * 2 ** -23) * scale);
    const a32v = Math.fround(1 + rnd() / 2 ** 32);
    const b32 = Math.fround((pow2 ? 2 ** -25 : 2 ** -24) * scale / a32v * (1 + ((rnd() % 9) - 4) * 2 ** -23));
    const [cb, ab, bb] = [bits32(c32), bits32(a32v), bits32(negP ? -b32 : b32)];
    fpFlags.value = 0;
    const exact32 = [vfma32(cb, ab, bb, m), fpFlags.value | IXC];
    fpFlags.value = 0;
    assert.deepEqual([vfma32(cb, ab, bb, m | IXC), fpFlags.value | IXC], exact32, `vfma32 ${c32} + ${a32v} * ${negP ? -b32 : b32}`);
  }
});

function bits64(v: number): [number, number] {
  f64[0] = v;
  return [w64[1], w64[0]];
}
function bits32(v: number): number {
  f32[0] = v;
  return w32[0];
}

const f64 = new Float64Array(1), w64 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1), w32 = new Uint32Array(f32.buffer);
function a64(hi: number, lo: number): number {
  w64[0] = lo;
  w64[1] = hi;
  return f64[0];
}
function a32(bits: number): number {
  w32[0] = bits;
  return f32[0];
}
