// Kernel format detection and the boot layout, with expectations from the formats' documentation
// (U-Boot legacy header, arch/arm zImage header) and QEMU's -kernel placement rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import { arrangeBoot, loadKernel } from "../../../src/vmm/loader/boot.js";
import { LoaderError, type PhysicalRange } from "../../../src/vmm/loader/guest-ram.js";
import { buildElf } from "./elf-fixture.js";

const MiB = 1024 * 1024;
const RAM = 0x4000_0000;
const ram = (mib: number) => ({ base: RAM, bytes: new Uint8Array(mib * MiB) });

test("CRC-32 used by uImage is the IEEE one (check value of \"123456789\" is 0xCBF43926)", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")) >>> 0, 0xcbf43926);
});

function uImage(payload: Uint8Array, f: { load: number; ep: number; type: number; comp?: number; arch?: number }): Uint8Array {
  const out = new Uint8Array(64 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x27051956);
  v.setUint32(12, payload.length);
  v.setUint32(16, f.load);
  v.setUint32(20, f.ep);
  v.setUint32(24, crc32(payload) >>> 0);
  out[28] = 5; // IH_OS_LINUX
  out[29] = f.arch ?? 2; // IH_ARCH_ARM
  out[30] = f.type;
  out[31] = f.comp ?? 0;
  out.set(new TextEncoder().encode("test"), 32);
  out.set(payload, 64);
  v.setUint32(4, crc32(out.subarray(0, 64)) >>> 0); // computed with ih_hcrc = 0
  return out;
}

function zImage(size: number, bigEndian = false): Uint8Array {
  const out = new Uint8Array(size).fill(0x5a);
  const v = new DataView(out.buffer);
  v.setUint32(0x24, 0x016f2818, !bigEndian);
  v.setUint32(0x28, 0, !bigEndian);
  v.setUint32(0x2c, size, !bigEndian);
  return out;
}

const payload = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);

test("uImage KERNEL: payload at ih_load, entry ih_ep", () => {
  const r = ram(64);
  const k = loadKernel(r, uImage(payload, { load: 0x4020_0000, ep: 0x4020_0040, type: 2 }));
  assert.deepEqual(k, { format: "uimage", entry: 0x4020_0040, start: 0x4020_0000, end: 0x4020_0000 + 300 });
  assert.deepEqual(r.bytes.subarray(0x20_0000, 0x20_0000 + 300), payload);
});

test("uImage KERNEL_NOLOAD runs at RAM + 0x10000 with its entry offset kept", () => {
  const k = loadKernel(ram(64), uImage(payload, { load: 0x1000, ep: 0x1010, type: 14 }));
  assert.equal(k.start, RAM + 0x1_0000);
  assert.equal(k.entry, RAM + 0x1_0010);
});

test("uImage refusals: compression, bad CRCs, wrong type/arch, truncation", () => {
  const good = uImage(payload, { load: RAM, ep: RAM, type: 2 });
  assert.throws(() => loadKernel(ram(64), uImage(payload, { load: RAM, ep: RAM, type: 2, comp: 1 })), /compression "gzip" is not supported/);
  const badHeader = good.slice();
  badHeader[40] ^= 1;
  assert.throws(() => loadKernel(ram(64), badHeader), /header CRC/);
  const badData = good.slice();
  badData[100] ^= 1;
  assert.throws(() => loadKernel(ram(64), badData), /data CRC/);
  assert.throws(() => loadKernel(ram(64), uImage(payload, { load: RAM, ep: RAM, type: 3 })), /type 3/);
  assert.throws(() => loadKernel(ram(64), uImage(payload, { load: RAM, ep: RAM, type: 2, arch: 22 })), /not ARM/);
  assert.throws(() => loadKernel(ram(64), good.subarray(0, 200)), /data bytes/);
  assert.throws(() => loadKernel(ram(64), uImage(payload, { load: RAM, ep: RAM + 0x1000, type: 2 })), /entry/);
});

test("zImage (either byte order) and raw images load at RAM + 0x10000 and enter at their first byte", () => {
  for (const [img, format] of [[zImage(4096), "zimage"], [zImage(4096, true), "zimage"], [payload, "raw"]] as const) {
    const r = ram(64);
    const k = loadKernel(r, img);
    assert.equal(k.format, format);
    assert.equal(k.entry, 0x4001_0000);
    assert.deepEqual([k.start, k.end], [0x4001_0000, 0x4001_0000 + img.length]);
    assert.deepEqual(r.bytes.subarray(0x1_0000, 0x1_0000 + img.length), img);
  }
  assert.throws(() => loadKernel(ram(64), zImage(4096).subarray(0, 2048)), /truncated/);
  assert.throws(() => loadKernel(ram(1), new Uint8Array(2 * MiB)), LoaderError);
});

test("layout: initrd at RAM + 128 MiB (>= 256 MiB RAM), DTB 4 KiB-aligned after it; SVC entry, r0 = 0, r1 = ~0, r2 = DTB", () => {
  const r = ram(512);
  const initrd = new Uint8Array(0x1234).fill(7);
  let seen: PhysicalRange | undefined;
  const dtb = new Uint8Array(100).fill(9);
  const b = arrangeBoot(r, { kernel: zImage(8192), initrd, dtb: (i) => ((seen = i), dtb) });
  assert.deepEqual(b.initrd, { start: 0x4800_0000, end: 0x4800_1234 });
  assert.deepEqual(seen, b.initrd);
  assert.deepEqual(b.dtb, { start: 0x4800_2000, end: 0x4800_2064 });
  assert.deepEqual(r.bytes.subarray(0x800_0000, 0x800_1234), initrd);
  assert.deepEqual(r.bytes.subarray(0x800_2000, 0x800_2064), dtb);
  assert.deepEqual([b.pc, b.cpsr, b.r0, b.r1, b.r2], [0x4001_0000, 0x1d3, 0, 0xffffffff, 0x4800_2000]);
});

test("layout: small RAM puts the initrd at half of RAM; without initrd the DTB takes its place", () => {
  const b = arrangeBoot(ram(64), { kernel: payload, initrd: new Uint8Array(10), dtb: () => new Uint8Array(8) });
  assert.equal(b.initrd!.start, RAM + 32 * MiB);
  assert.equal(b.dtb.start, RAM + 32 * MiB + 0x1000);
  const none = arrangeBoot(ram(64), { kernel: payload, dtb: (i) => (assert.equal(i, undefined), new Uint8Array(8)) });
  assert.equal(none.initrd, undefined);
  assert.equal(none.r2, RAM + 32 * MiB);
});

test("layout: never below the kernel's end; uImage ramdisk header stripped; refusals when RAM is too small", () => {
  // a 40 MiB raw kernel in 64 MiB RAM ends past RAM/2: initrd goes page-aligned after it
  const big = new Uint8Array(40 * MiB + 3);
  const ramdisk = uImage(payload, { load: 0, ep: 0, type: 3 });
  const r = ram(64);
  const b = arrangeBoot(r, { kernel: big, initrd: ramdisk, dtb: () => new Uint8Array(8) });
  assert.equal(b.initrd!.start, RAM + 0x1_0000 + 40 * MiB + 0x1000);
  assert.equal(b.initrd!.end - b.initrd!.start, 300);
  assert.deepEqual(r.bytes.subarray(b.initrd!.start - RAM, b.initrd!.end - RAM), payload);
  assert.throws(() => arrangeBoot(ram(64), { kernel: big, initrd: new Uint8Array(30 * MiB), dtb: () => new Uint8Array(8) }), /initrd .* does not fit/);
  assert.throws(() => arrangeBoot(ram(64), { kernel: big, initrd: new Uint8Array(23 * MiB), dtb: () => new Uint8Array(2 * MiB) }), /DTB/);
});

test("a Thumb ELF entry: PC without bit 0, CPSR.T set (SVC, A/I/F masked)", () => {
  const elf = buildElf(
    ".syntax unified\n.thumb\n.global _start\n.thumb_func\n_start: b .\n",
    "ENTRY(_start) SECTIONS { . = 0x40008000; .text : { *(.text) } }",
  );
  const b = arrangeBoot(ram(64), { kernel: elf, dtb: () => new Uint8Array(8) });
  assert.equal(b.kernel.format, "elf");
  assert.equal(b.pc, 0x4000_8000);
  assert.equal(b.cpsr, 0x1d3 | 0x20);
});
