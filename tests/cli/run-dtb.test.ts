// `tskvm run --dtb`: the user's tree is kept and patched as QEMU's -dtb patches it (hw/arm/boot.c):
// /memory is the RAM given, /chosen gets --append and the initrd range (in the tree's own cell
// sizes), /psci is added when missing; --dump-dtb writes that patched blob; a corrupt or unusable
// blob is one `tskvm: --dtb: …` line with status 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { crossCompilerVersion } from "../arch/arm/differential/cross-toolchain.js";
import { buildKvmGuest } from "../kvm/arm/guests/guest-build.js";
import { dtcCompile, dtcDecompile, hasDtc } from "../vmm/fdt/dtc.js";

const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;
const noDtc = hasDtc() ? false : "dtc not installed";
const noCross = crossCompilerVersion() ? false : "arm-linux-gnueabihf-gcc not installed";

function tskvm(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, "run", ...args], { encoding: "utf8", timeout: 60_000, input: "" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A board description a user might bring: its own nodes, 1-cell addresses, no /chosen, other RAM. */
const USER_DTS = `/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	compatible = "linux,dummy-virt";
	model = "my own virt description";
	memory@40000000 {
		device_type = "memory";
		reg = <0x40000000 0x20000000>;
	};
	pl011@9000000 {
		compatible = "arm,pl011", "arm,primecell";
		reg = <0x9000000 0x1000>;
	};
	my-custom-node {
		compatible = "example,custom";
		example,value = <0x1234>;
	};
};
`;

function withDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-run-dtb-"));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("--dtb with --dump-dtb: the user's nodes kept, /chosen created with bootargs and initrd, /memory = --mem; dtc has no warnings", { skip: noDtc }, () => {
  withDir((dir) => {
    const user = dtcCompile(USER_DTS);
    assert.equal(user.stderr, "");
    const dtb = join(dir, "user.dtb"), kernel = join(dir, "Image"), initrd = join(dir, "initrd"), out = join(dir, "out.dtb");
    writeFileSync(dtb, user.dtb);
    writeFileSync(kernel, new Uint8Array(4096));
    writeFileSync(initrd, new Uint8Array(1000));
    const r = tskvm(["--kernel", kernel, "--initrd", initrd, "--mem", "128", "--append", "console=ttyAMA0 quiet", "--dtb", dtb, "--dump-dtb", out]);
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    const { dts, stderr, status } = dtcDecompile(readFileSync(out));
    assert.equal(status, 0);
    assert.equal(stderr, "");
    assert.match(dts, /model = "my own virt description";/);
    assert.match(dts, /my-custom-node \{\s*compatible = "example,custom";\s*example,value = <0x1234>;\s*\};/);
    assert.match(dts, /pl011@9000000 \{[^}]*reg = <0x9000000 0x1000>;/);
    assert.match(dts, /chosen \{[^}]*bootargs = "console=ttyAMA0 quiet";/);
    // 128 MiB of RAM: the loader puts the initrd at RAM + 64 MiB; 1-cell values, as the tree's root says.
    assert.match(dts, /linux,initrd-start = <0x44000000>;/);
    assert.match(dts, /linux,initrd-end = <0x440003e8>;/);
    assert.match(dts, /memory@40000000 \{\s*device_type = "memory";\s*reg = <0x40000000 0x8000000>;/);
    assert.equal(dts.match(/memory@/g)?.length, 1);
    assert.match(dts, /psci \{[^}]*method = "hvc";/);
  });
});

test("a corrupt, truncated or unusable --dtb is one line with the reason, status 2", { skip: noDtc }, () => {
  withDir((dir) => {
    const kernel = join(dir, "Image");
    writeFileSync(kernel, new Uint8Array(4096));
    const good = dtcCompile(USER_DTS).dtb;
    const noCells = dtcCompile(`/dts-v1/;\n/ { compatible = "x"; };\n`).dtb;
    const cases: [string, Uint8Array, string][] = [
      ["text.dtb", new TextEncoder().encode("/dts-v1/;\n/ { };\n"), "bad magic 0x2f647473 (a device tree blob starts with 0xd00dfeed)"],
      ["cut.dtb", good.subarray(0, 100), `truncated: the header says ${good.length} bytes but there are only 100`],
      ["nocells.dtb", noCells, "the root node has no #address-cells property"],
    ];
    for (const [name, bytes, reason] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const r = tskvm(["--kernel", kernel, "--dtb", file]);
      assert.equal(r.stderr, `tskvm: --dtb: '${file}' is not a usable device tree blob: ${reason}\n`, name);
      assert.equal(r.status, 2, name);
    }
  });
});

test("a bare-metal guest boots unchanged with a user's --dtb", { skip: noCross || noDtc }, async () => {
  const elf = await buildKvmGuest("sysoff");
  withDir((dir) => {
    const dtb = join(dir, "user.dtb");
    writeFileSync(dtb, dtcCompile(USER_DTS).dtb);
    const r = tskvm(["--kernel", elf, "--dtb", dtb]);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /EXIT 0\n$/);
    assert.equal(r.status, 0);
  });
});
