// The DTB writer against the Devicetree Specification v0.4 ch. 5 (header, reservation block, token
// stream, strings block) and against dtc, the reference reader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DeviceTree } from "../../../src/vmm/fdt/tree.js";
import { flatten } from "../../../src/vmm/fdt/blob.js";
import { dtcDecompile } from "./dtc.js";
import { cells, empty, string, strings, u32, u64, reg } from "../../../src/vmm/fdt/property.js";

const be32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset).getUint32(off, false);

function smallTree(): DeviceTree {
  const t = new DeviceTree();
  t.root.set("#address-cells", u32(2)).set("#size-cells", u32(2)).set("compatible", string("ab"));
  t.root.addNode("n@10").set("reg", reg([[0x10, 0x20]])).set("compatible", string("ab"));
  return t;
}

test("header: magic, version 17, last_comp_version 16, offsets, sizes and boot_cpuid_phys", () => {
  const t = smallTree();
  t.bootCpuidPhys = 3;
  t.reserve(0x1000n, 0x2000n);
  const b = flatten(t);
  assert.equal(be32(b, 0), 0xd00dfeed);
  assert.equal(be32(b, 4), b.length); // totalsize
  assert.equal(be32(b, 16), 40); // off_mem_rsvmap right after the 40-byte header
  assert.equal(be32(b, 20), 17);
  assert.equal(be32(b, 24), 16);
  assert.equal(be32(b, 28), 3);
  // one reservation + the terminating pair = 32 bytes; structure follows, 4-aligned
  assert.equal(be32(b, 8), 40 + 32);
  assert.equal(be32(b, 8) % 4, 0);
  const dv = new DataView(b.buffer);
  assert.equal(dv.getBigUint64(40, false), 0x1000n);
  assert.equal(dv.getBigUint64(48, false), 0x2000n);
  assert.equal(dv.getBigUint64(56, false), 0n);
  assert.equal(dv.getBigUint64(64, false), 0n);
  assert.equal(be32(b, 12), be32(b, 8) + be32(b, 36)); // strings right after the struct block
  assert.equal(be32(b, 12) + be32(b, 32), b.length);
});

test("structure block: token stream, padded names/values, strings de-duplicated", () => {
  const b = flatten(smallTree());
  const off = be32(b, 8);
  const strOff = be32(b, 12);
  const words: number[] = [];
  for (let i = 0; i < be32(b, 36); i += 4) words.push(be32(b, off + i));
  // "#address-cells" @0, "#size-cells" @15, "compatible" @27, "reg" @38
  // root: BEGIN_NODE, "" padded to 4 bytes
  const expected = [
    1, 0,
    3, 4, 0, 2,
    3, 4, 15, 2,
    3, 3, 27, 0x61620000,
    1, 0x6e403130, 0, // "n@10\0" padded to 8 bytes
    3, 16, 38, 0, 0x10, 0, 0x20,
    3, 3, 27, 0x61620000,
    2,
    2,
    9,
  ];
  assert.deepEqual(words, expected);
  const str = new TextDecoder().decode(b.subarray(strOff, strOff + be32(b, 32)));
  assert.equal(str, "#address-cells\0#size-cells\0compatible\0reg\0");
});

test("property encoders: cells big-endian, u64 high cell first, string lists NUL-separated", () => {
  assert.deepEqual([...cells(1, 0xdeadbeef)], [0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef]);
  assert.deepEqual([...u64(0x1_0000_0002n)], [0, 0, 0, 1, 0, 0, 0, 2]);
  assert.deepEqual([...strings("a", "bc")], [0x61, 0, 0x62, 0x63, 0]);
  assert.equal(empty().length, 0);
  assert.throws(() => cells(-1), RangeError);
  assert.throws(() => reg([[1n << 64n, 0]]), RangeError);
  assert.throws(() => string("a\0b"), RangeError);
});

test("phandles are unique, non-zero, and stored as the phandle property", () => {
  const t = new DeviceTree();
  const a = t.root.addNode("a");
  const c = t.root.addNode("c");
  const pa = t.phandle(a);
  const pc = t.phandle(c);
  assert.notEqual(pa, 0);
  assert.notEqual(pa, pc);
  assert.equal(t.phandle(a), pa);
  assert.deepEqual([...a.get("phandle")!], [...u32(pa)]);
  assert.throws(() => t.root.addNode("a"), RangeError);
  assert.throws(() => t.root.addNode("bad name"), RangeError);
});

test("dtc reads a small tree back without warnings", () => {
  const t = smallTree();
  t.reserve(0x40000000n, 0x1000n);
  const { dts, stderr, status } = dtcDecompile(flatten(t));
  assert.equal(status, 0);
  assert.equal(stderr, "");
  assert.match(dts, /\/memreserve\/\s+0x0*40000000 0x0*1000;/);
  assert.match(dts, /n@10 \{\s*reg = <0x00 0x10 0x00 0x20>;\s*compatible = "ab";/);
});
