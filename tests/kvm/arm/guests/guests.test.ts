/**
 * The KVM/ARM acceptance guests (guests/kvm/): each is built with the cross compiler and run
 *  - under qemu-system-arm `virt -smp 2` (when installed), where it must end with `EXIT 0` and every
 *    check `ok` — this proves the guests and their expected values;
 *  - on tskvm through vmm.ts, a VMM using only the public KVM API over createHost(). Guests listed in
 *    expected-pass.json must pass there with console output identical to QEMU's, the system event the
 *    guest asked for, and (mmio) the access log mmio-log.ts expects; the others run and report what
 *    failed as diagnostics — those are the kernel's bug reports — and say when they start passing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHost } from "../../../../src/kvm/index.js";
import { crossCompilerVersion } from "../../../arch/arm/differential/cross-toolchain.js";
import { describe, firstDifference, passed, type BareMetalResult } from "../../../arch/arm/system/baremetal/result.js";
import { KVM_GUEST_DIR, buildKvmGuest, guestVariants, listKvmGuests } from "./guest-build.js";
import { hasQemu, runOnQemu } from "./qemu.js";
import { runGuest, type VmmRun } from "./vmm.js";
import { checkMmioLog } from "./mmio-log.js";

const MANIFEST = join(KVM_GUEST_DIR, "..", "..", "tests", "kvm", "arm", "guests", "expected-pass.json");
const expected = new Set<string>((JSON.parse(readFileSync(MANIFEST, "utf8")) as { pass: string[] }).pass);
const haveCc = crossCompilerVersion() !== undefined;
const haveQemu = hasQemu();

const cases = listKvmGuests().flatMap((name) => guestVariants(name).map((isa) => ({ name, isa, id: `${name}-${isa}` })));

test("every manifest entry names a guest variant", () => {
  const ids = new Set(cases.map((c) => c.id));
  assert.deepEqual([...expected].filter((id) => !ids.has(id)), []);
});

/** Everything wrong with a tskvm run, beyond the console checks. */
function vmmProblems(name: string, r: VmmRun): string[] {
  const problems: string[] = [];
  const want = name === "sysreset" ? "reset" : "shutdown";
  if (r.abnormal === undefined && r.systemEvent !== want) problems.push(`system event ${r.systemEvent ?? "none"}, expected ${want}`);
  if (name === "mmio") problems.push(...checkMmioLog(r.testdevLog));
  return problems;
}

for (const c of cases) {
  let qemuResult: BareMetalResult | undefined;

  test(`kvm guest ${c.id} under qemu-system-arm`, { skip: !haveCc ? "no cross compiler" : !haveQemu ? "qemu-system-arm not installed" : false }, async () => {
    qemuResult = await runOnQemu(await buildKvmGuest(c.name, c.isa));
    assert.ok(passed(qemuResult), `${c.id} does not pass under QEMU:\n${describe(qemuResult)}`);
  });

  test(`kvm guest ${c.id} on tskvm`, { skip: !haveCc ? "no cross compiler" : false, timeout: 120_000 }, async (t) => {
    const elf = readFileSync(await buildKvmGuest(c.name, c.isa));
    const host = createHost({ arch: "arm", cpus: 2 });
    const r = runGuest(host, elf);
    const problems = vmmProblems(c.name, r);
    if (host.internalErrors.length) problems.push(`kernel internal errors: ${host.internalErrors.map(String).join("; ")}`);
    const diff = qemuResult && passed(qemuResult) ? firstDifference(qemuResult.text, r.text) : undefined;
    const ok = passed(r) && problems.length === 0;
    if (expected.has(c.id)) {
      assert.ok(ok, `${c.id} is in expected-pass.json but fails on tskvm:\n${[...problems, describe(r)].join("\n")}`);
      assert.equal(diff, undefined, `${c.id}: console differs from QEMU at ${diff}`);
    } else {
      t.diagnostic(ok && diff === undefined
        ? `${c.id} now passes on tskvm: add it to expected-pass.json`
        : `not yet expected to pass: ${[describe(r, 6), ...problems.slice(0, 4)].join(" | ")}`);
    }
  });
}
