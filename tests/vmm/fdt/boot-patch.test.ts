// A user's DTB patched for boot as QEMU's -dtb does (hw/arm/boot.c arm_load_dtb): hand-written
// sources compiled by dtc, patched, and decompiled by dtc — the user's nodes stay, /memory is the
// RAM given (in the tree's own cell sizes), /chosen gets bootargs and the initrd range, /psci is
// added only when missing, and dtc has nothing to warn about.
import { test } from "node:test";
import assert from "node:assert/strict";
import { patchBootDtb } from "../../../src/vmm/fdt/boot-patch.js";
import { FdtFormatError } from "../../../src/vmm/fdt/parse.js";
import { describePsci } from "../../../src/vmm/machine.js";
import { dtcCompile, dtcDecompile, hasDtc } from "./dtc.js";

const noDtc = hasDtc() ? false : "dtc not installed";

function compile(source: string, expectedWarnings: RegExp | "" = ""): Uint8Array {
  const r = dtcCompile(source);
  assert.equal(r.status, 0, r.stderr);
  if (expectedWarnings === "") assert.equal(r.stderr, "", "the test's own source compiles without warnings");
  else assert.match(r.stderr, expectedWarnings);
  return r.dtb;
}

function decompile(blob: Uint8Array): string {
  const r = dtcDecompile(blob);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, "", "dtc warns about the patched blob");
  return r.dts;
}

/** The body of node `name` in dtc's output (nodes are printed one per block, children indented). */
function nodeBody(dts: string, name: string): string | undefined {
  const m = new RegExp(`\\n(\\t*)${name.replace(/[@,]/g, (c) => `\\${c}`)} \\{\\n([\\s\\S]*?)\\n\\1\\};`).exec(dts);
  return m?.[2];
}

const USER_TREE = `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	compatible = "acme,board";
	model = "Acme test board";
	interrupt-parent = <&gic>;
	memory@80000000 {
		device_type = "memory";
		reg = <0x80000000 0x1000000>;
	};
	memory@90000000 {
		device_type = "memory";
		reg = <0x90000000 0x1000000>;
	};
	gic: interrupt-controller@8000000 {
		compatible = "arm,cortex-a15-gic";
		#interrupt-cells = <3>;
		#address-cells = <0>;
		interrupt-controller;
		reg = <0x8000000 0x10000>, <0x8010000 0x10000>;
	};
	acme-sensor {
		compatible = "acme,sensor";
		acme,threshold = <42>;
	};
};
`;

test("a tree without /chosen: user nodes kept, /chosen created, memory replaced, psci added, 1-cell values", { skip: noDtc }, () => {
  const patched = patchBootDtb(compile(USER_TREE), {
    memory: { base: 0x4000_0000, size: 256 << 20 },
    bootargs: "console=ttyAMA0 root=/dev/vda",
    initrd: { start: 0x4800_0000, end: 0x4812_3457 },
    psci: (n) => describePsci(n),
  });
  const dts = decompile(patched);
  assert.match(dts, /compatible = "acme,board";/);
  assert.match(dts, /model = "Acme test board";/);
  assert.match(nodeBody(dts, "acme-sensor") ?? "", /compatible = "acme,sensor";\s*acme,threshold = <0x2a>;/);
  assert.match(nodeBody(dts, "interrupt-controller@8000000") ?? "", /reg = <0x8000000 0x10000 0x8010000 0x10000>;/);
  // Every /memory node of the user's is gone; one describes the RAM given, in 1-cell address/size.
  assert.doesNotMatch(dts, /memory@80000000|memory@90000000/);
  assert.match(nodeBody(dts, "memory@40000000") ?? "", /device_type = "memory";\s*reg = <0x40000000 0x10000000>;/);
  const chosen = nodeBody(dts, "chosen") ?? "";
  assert.match(chosen, /bootargs = "console=ttyAMA0 root=\/dev\/vda";/);
  assert.match(chosen, /linux,initrd-start = <0x48000000>;/);
  assert.match(chosen, /linux,initrd-end = <0x48123457>;/);
  assert.match(nodeBody(dts, "psci") ?? "", /compatible = "arm,psci-1.0(", "|\\0)arm,psci-0.2(", "|\\0)arm,psci";\s*method = "hvc";/);
});

test("an existing /chosen and /psci: other properties kept, bootargs only replaced when given, 2-cell initrd", { skip: noDtc }, () => {
  const source = `/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "acme,board";
	chosen {
		bootargs = "from-the-dtb";
		stdout-path = "/uart@9000000";
	};
	psci {
		compatible = "arm,psci";
		method = "smc";
	};
	uart@9000000 {
		compatible = "arm,pl011", "arm,primecell";
		reg = <0x0 0x9000000 0x0 0x1000>;
	};
	memory {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x8000000>;
	};
};
`;
  // A unit-less /memory node is old style (dtc warns) but common; it is replaced all the same.
  const blob = compile(source, /Warning \(unit_address_vs_reg\): \/memory: node has a reg or ranges property, but no unit name\n$/);
  const noAppend = decompile(patchBootDtb(blob, { memory: { base: 0x4000_0000, size: 128 << 20 }, psci: (n) => describePsci(n) }));
  assert.match(nodeBody(noAppend, "chosen") ?? "", /bootargs = "from-the-dtb";\s*stdout-path = "\/uart@9000000";/);
  assert.doesNotMatch(noAppend, /initrd/);
  assert.match(nodeBody(noAppend, "psci") ?? "", /^\s*compatible = "arm,psci";\s*method = "smc";\s*$/);
  assert.match(nodeBody(noAppend, "memory@40000000") ?? "", /reg = <0x00 0x40000000 0x00 0x8000000>;/);
  assert.doesNotMatch(noAppend, /\n\tmemory \{/);

  const withAppend = decompile(patchBootDtb(blob, {
    memory: { base: 0x4000_0000, size: 128 << 20 },
    bootargs: "console=ttyAMA0",
    initrd: { start: 0x4400_0000, end: 0x4400_03e8 },
  }));
  const chosen = nodeBody(withAppend, "chosen") ?? "";
  assert.match(chosen, /bootargs = "console=ttyAMA0";/);
  assert.match(chosen, /stdout-path = "\/uart@9000000";/);
  assert.match(chosen, /linux,initrd-start = <0x00 0x44000000>;/);
  assert.match(chosen, /linux,initrd-end = <0x00 0x440003e8>;/);
});

test("trees the patch cannot use: missing or zero cell counts, values that do not fit", { skip: noDtc }, () => {
  const patch = { memory: { base: 0x4000_0000, size: 256 << 20 } };
  const cases: [string, string, RegExp][] = [
    ["no #address-cells", `/dts-v1/;\n/ { #size-cells = <1>; };\n`, /the root node has no #address-cells property/],
    ["zero #size-cells", `/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <0>; };\n`, /the root's #size-cells is 0/],
    ["3 address cells", `/dts-v1/;\n/ { #address-cells = <3>; #size-cells = <1>; };\n`, /#address-cells is 3: only 1 or 2/],
  ];
  for (const [what, source, reason] of cases) {
    const r = dtcCompile(source);
    assert.equal(r.status, 0, `${what}: ${r.stderr}`);
    assert.throws(() => patchBootDtb(r.dtb, patch), (e: unknown) => e instanceof FdtFormatError && reason.test(e.message), what);
  }
  // QEMU: "dtb file not compatible with RAM size > 4GB" when #size-cells is 1.
  const oneCell = compile(`/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>; };\n`);
  assert.throws(() => patchBootDtb(oneCell, { memory: { base: 0x4000_0000, size: 2 ** 32 } }),
    (e: unknown) => e instanceof FdtFormatError && /RAM size 0x100000000 does not fit in the tree's 1-cell value/.test(e.message));
  assert.throws(() => patchBootDtb(new TextEncoder().encode("not a dtb at all"), patch), /bad magic/);
});
