// The DTB reader against the Devicetree Specification v0.4 ch. 5 and against dtc, the reference
// writer: blobs dtc makes (versions 17 and 16) read back to the tree dtc describes, our own machine's
// blob survives writer → reader → writer byte for byte, and malformed blobs are refused with the reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { flatten, FDT_NOP } from "../../../src/vmm/fdt/blob.js";
import { FdtFormatError, parseDtb } from "../../../src/vmm/fdt/parse.js";
import { DeviceTree } from "../../../src/vmm/fdt/tree.js";
import { string, u32 } from "../../../src/vmm/fdt/property.js";
import { machineDtb } from "../../../src/vmm/machine.js";
import { dtcCompile, dtcDecompile, hasDtc } from "./dtc.js";

const noDtc = hasDtc() ? false : "dtc not installed";
const be32 = (b: Uint8Array, off: number) => new DataView(b.buffer, b.byteOffset).getUint32(off, false);
const setBe32 = (b: Uint8Array, off: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(off, v >>> 0, false);
const hexBytes = (v: Uint8Array | undefined) => (v ? Buffer.from(v).toString("hex") : undefined);

const SOURCE = `/dts-v1/;
/memreserve/ 0x48000000 0x10000;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	compatible = "acme,board";
	acme,a-rather-long-vendor-property-name = <7>;
	memory@80000000 {
		device_type = "memory";
		reg = <0x80000000 0x1000000>;
	};
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		widget: widget@1000 {
			compatible = "acme,widget";
			reg = <0x1000 0x100>;
			label-list = "one", "two";
			bytes = [01 02 03];
			flag;
		};
		user@2000 {
			reg = <0x2000 0x10>;
			link = <&widget>;
		};
	};
};
`;

test("a dtc blob reads back: header, reservations, nodes in order, raw property values, phandles", { skip: noDtc }, () => {
  const { dtb, status, stderr } = dtcCompile(SOURCE);
  assert.equal(status, 0, stderr);
  const t = parseDtb(dtb);
  assert.deepEqual(t.reservations, [{ address: 0x4800_0000n, size: 0x1_0000n }]);
  assert.deepEqual(t.root.children.map((c) => c.name), ["memory@80000000", "soc"]);
  assert.deepEqual([...t.root.properties.keys()], ["#address-cells", "#size-cells", "compatible", "acme,a-rather-long-vendor-property-name"]);
  const widget = t.find("/soc/widget@1000")!;
  assert.equal(hexBytes(widget.get("compatible")), Buffer.from("acme,widget\0").toString("hex"));
  assert.equal(hexBytes(widget.get("label-list")), Buffer.from("one\0two\0").toString("hex"));
  assert.equal(hexBytes(widget.get("bytes")), "010203");
  assert.equal(widget.get("flag")?.length, 0);
  assert.equal(hexBytes(t.find("/memory@80000000")!.get("reg")), "8000000001000000");
  // dtc gave the referenced node phandle 1; a new phandle must not collide with it.
  const ph = be32(widget.get("phandle")!, 0);
  assert.equal(be32(t.find("/soc/user@2000")!.get("link")!, 0), ph);
  assert.notEqual(t.phandle(t.root.addNode("new")), ph);
});

test("dtc blob → reader → writer → dtc: the same source as dtc's own decompilation", { skip: noDtc }, () => {
  const { dtb } = dtcCompile(SOURCE);
  const ours = flatten(parseDtb(dtb));
  const a = dtcDecompile(dtb), b = dtcDecompile(ours);
  assert.equal(b.status, 0);
  assert.equal(b.stderr, "");
  assert.equal(b.dts, a.dts);
});

test("version 16 blobs (no size_dt_struct) read to the same tree", { skip: noDtc }, () => {
  const { dtb } = dtcCompile(SOURCE);
  // dtc writes older formats with -V.
  const r = spawnSync("dtc", ["-I", "dtb", "-O", "dtb", "-V", "16", "-"], { input: dtb });
  const v16 = new Uint8Array(r.stdout);
  assert.equal(be32(v16, 20), 16);
  assert.deepEqual(flatten(parseDtb(v16)), flatten(parseDtb(dtb)));
});

test("our machine's DTB: writer → reader → writer gives identical bytes", () => {
  const blob = machineDtb({
    ramBytes: 256 << 20,
    cpus: ["cortex-a15", "cortex-a7", "cortex-a15"],
    virtioSlots: [0, 1, 2],
    bootargs: "console=ttyAMA0 root=/dev/vda rw",
    initrd: { start: 0x4800_0000, end: 0x4812_3457 },
  });
  assert.deepEqual(flatten(parseDtb(blob)), blob);
  // with reservations and a boot CPU id in the header as well
  const t = parseDtb(blob);
  t.reserve(0x4000_0000n, 0x1000n);
  t.bootCpuidPhys = 0x101;
  const again = flatten(t);
  const back = parseDtb(again);
  assert.equal(back.bootCpuidPhys, 0x101);
  assert.deepEqual(back.reservations, [{ address: 0x4000_0000n, size: 0x1000n }]);
  assert.deepEqual(flatten(back), again);
});

/** A small blob with the structure block's words replaced by `words` (header sizes fixed up). */
function withStructure(words: number[], strings = "compatible\0"): Uint8Array {
  const structBytes = words.length * 4;
  const str = new TextEncoder().encode(strings);
  const total = 40 + 16 + structBytes + str.length;
  const b = new Uint8Array(total);
  [0xd00dfeed, total, 56, 56 + structBytes, 40, 17, 16, 0, str.length, structBytes].forEach((w, i) => setBe32(b, i * 4, w));
  words.forEach((w, i) => setBe32(b, 56 + i * 4, w));
  b.set(str, 56 + structBytes);
  return b;
}

test("FDT_NOP tokens are skipped wherever they stand", () => {
  const b = withStructure([FDT_NOP, 1, 0, FDT_NOP, 3, 2, 0, 0x61000000, 1, 0x6e000000, FDT_NOP, 2, 2, FDT_NOP, 9]);
  const t = parseDtb(b);
  assert.equal(hexBytes(t.root.get("compatible")), "6100");
  assert.deepEqual(t.root.children.map((c) => c.name), ["n"]);
  // A hand-built equivalent writes the same tree without the NOPs.
  const expected = new DeviceTree();
  expected.root.set("compatible", string("a"));
  expected.root.addNode("n");
  assert.deepEqual(flatten(t), flatten(expected));
});

test("malformed blobs are refused with the reason", () => {
  const good = flatten((() => {
    const t = new DeviceTree();
    t.root.set("#address-cells", u32(1)).set("compatible", string("x"));
    t.root.addNode("a").set("reg", u32(1));
    return t;
  })());
  assert.doesNotThrow(() => parseDtb(good));
  const mutate = (f: (b: Uint8Array) => void) => {
    const b = good.slice();
    f(b);
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ["text file", new TextEncoder().encode("/dts-v1/;\n/ { };\n"), /bad magic 0x2f647473/],
    ["empty", new Uint8Array(0), /too short/],
    ["little-endian magic", mutate((b) => setBe32(b, 0, 0xedfe0dd0)), /bad magic 0xedfe0dd0/],
    ["truncated file", good.slice(0, good.length - 10), new RegExp(`truncated: the header says ${good.length} bytes but there are only ${good.length - 10}`)],
    ["truncated header", good.slice(0, 20), /header is truncated/],
    ["version 15", mutate((b) => setBe32(b, 20, 15)), /version 15 is older than 16/],
    ["last_comp_version 18", mutate((b) => setBe32(b, 24, 18)), /needs a version 18 reader/],
    ["structure block past the end", mutate((b) => setBe32(b, 36, 4096)), /structure block .* outside the blob/],
    ["strings block past the end", mutate((b) => setBe32(b, 12, good.length - 2)), /strings block .* outside the blob/],
    ["misaligned structure block", mutate((b) => setBe32(b, 8, be32(b, 8) + 2)), /not 4-byte aligned/],
    ["reservation map offset inside the header", mutate((b) => setBe32(b, 16, 8)), /memory reservation map .* outside/],
    ["name offset outside the strings block", mutate((b) => setBe32(b, be32(good, 8) + 16, 999)), /name offset 999 is outside the \d+-byte strings block/],
  ];
  for (const [what, blob, reason] of cases) {
    assert.throws(() => parseDtb(blob), (e: unknown) => e instanceof FdtFormatError && reason.test(e.message), what);
  }
  const structural: [string, number[], RegExp][] = [
    ["no FDT_END", [1, 0, 2], /ends inside a token .* \(no FDT_END\)/],
    ["unknown token", [1, 0, 7, 2, 9], /unknown token 0x7 at offset 64/],
    ["END_NODE with no node", [2, 9], /FDT_END_NODE at offset 56 closes no node/],
    ["END with a node open", [1, 0, 9], /FDT_END at offset 64 with 1 node\(s\) still open/],
    ["property outside a node", [3, 0, 0, 9], /outside every node/],
    ["property value past the block", [1, 0, 3, 100, 0, 2, 9], /100-byte value runs past the structure block/],
    ["two roots", [1, 0, 2, 1, 0, 2, 9], /second top-level node/],
    ["named root", [1, 0x78000000, 2, 9], /root node is named "x"/],
    ["duplicate sibling", [1, 0, 1, 0x61000000, 2, 1, 0x61000000, 2, 2, 9], /node "a" appears twice/],
    ["duplicate property", [1, 0, 3, 0, 0, 3, 0, 0, 2, 9], /property "compatible" appears twice/],
    ["no root at all", [9], /no root node/],
  ];
  for (const [what, words, reason] of structural) {
    assert.throws(() => parseDtb(withStructure(words)), (e: unknown) => e instanceof FdtFormatError && reason.test(e.message), what);
  }
  // A reservation map without its (0, 0) terminator inside the blob.
  const rsv = withStructure([1, 0, 2, 9]);
  setBe32(rsv, 16, rsv.length - 8);
  assert.throws(() => parseDtb(rsv), /memory reservation map .* outside|no terminating \(0, 0\) entry/);
});
