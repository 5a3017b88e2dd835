/**
 * The privileged ARMv7-A acceptance suite: every guest in guests/baremetal/ is built with the cross
 * compiler and run
 *  - under qemu-system-arm `virt` (when installed; scripts/setup.sh installs it), where it must power
 *    off after `EXIT 0` with every check `ok` — this proves the guests and their expected values;
 *  - on tskvm's core through the test bus. Guests listed in expected-pass.json must pass there too,
 *    with console output byte-identical to QEMU's; unlisted ones run and report their state
 *    (diagnostics), and say so when they start passing so the list can grow.
 * A guest's `Variants:` header line lists the instruction sets its C code is built for (default arm).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { crossCompilerVersion } from "../../differential/cross-toolchain.js";
import { GUEST_DIR, buildBareMetal, listGuestVariants } from "./guest-build.js";
import { hasQemu, runOnQemu } from "./qemu-runner.js";
import { runOnTskvm } from "./runner.js";
import { describe, firstDifference, passed, type BareMetalResult } from "./result.js";

const MANIFEST = join(GUEST_DIR, "..", "..", "tests", "arch", "arm", "system", "baremetal", "expected-pass.json");
const expected = new Set<string>((JSON.parse(readFileSync(MANIFEST, "utf8")) as { pass: string[] }).pass);
const haveCc = crossCompilerVersion() !== undefined;
const haveQemu = hasQemu();

const cases = listGuestVariants();

test("every manifest entry names a guest variant", () => {
  const ids = new Set(cases.map((c) => c.id));
  assert.deepEqual([...expected].filter((id) => !ids.has(id)), []);
});

for (const c of cases) {
  let qemuResult: BareMetalResult | undefined;

  test(`${c.id} under qemu-system-arm`, { skip: !haveCc ? "no cross compiler" : !haveQemu ? "qemu-system-arm not installed" : false }, async () => {
    const { elf } = await buildBareMetal(c.name, c.isa);
    qemuResult = await runOnQemu(elf);
    assert.ok(passed(qemuResult), `${c.id} does not pass under QEMU:\n${describe(qemuResult)}`);
  });

  test(`${c.id} on tskvm`, { skip: !haveCc ? "no cross compiler" : false }, async (t) => {
    const { elf } = await buildBareMetal(c.name, c.isa);
    const r = runOnTskvm(readFileSync(elf));
    const ok = passed(r);
    const diff = qemuResult && passed(qemuResult) ? firstDifference(qemuResult.text, r.text) : undefined;
    if (expected.has(c.id)) {
      assert.ok(ok, `${c.id} is in expected-pass.json but fails on tskvm:\n${describe(r)}`);
      assert.equal(diff, undefined, `${c.id}: console differs from QEMU at ${diff}`);
    } else {
      t.diagnostic(ok && diff === undefined ? `${c.id} now passes on tskvm: add it to expected-pass.json` : `not yet expected to pass: ${describe(r, 8)}`);
    }
  });
}
