/**
 * `tskvm user` against qemu-arm, byte for byte, over a fixed slice: every corpus program in every
 * variant, the fixed csmith seeds, and BusyBox applets. The oracle side is checked too (expected
 * statuses, known digests, agreement between variants), so the corpus and the harness are tested
 * even while the core cannot run programs yet. Cases listed in expected-pass.json must agree;
 * the others are counted and reported without failing, so the list can grow.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { crossCompilerVersion, hasCommand } from "./cross-toolchain.js";
import { CORPUS } from "./corpus.js";
import { CSMITH_SEEDS, csmithAvailable, csmithChecksum } from "./csmith-programs.js";
import { judge, loadExpectedPass } from "./expected-pass.js";
import { QEMU, TSKVM, GUEST_ENV, runGuest, type Emulator } from "./guest-runner.js";
import { agrees, busyboxCases, corpusCases, csmithCases, csmithNeonCases, familyInconsistencies, mismatchReport, runCase, runCases, type CaseResult, type DiffCase } from "./suite.js";

const missing = [
  crossCompilerVersion() ? undefined : "arm-linux-gnueabihf-gcc",
  hasCommand("qemu-arm") ? undefined : "qemu-arm",
  csmithAvailable() ? undefined : "csmith/libcsmith-dev",
].filter((m): m is string => m !== undefined);
const skip = missing.length ? `needs ${missing.join(", ")} (scripts/setup.sh installs them)` : false;

describe("differential: tskvm user vs qemu-arm", { skip }, () => {
  let results: CaseResult[] = [];
  let busyboxUnavailable: string | undefined;

  before(async () => {
    const cases: DiffCase[] = [...corpusCases(), ...csmithCases(), ...csmithNeonCases()];
    const bb = busyboxCases();
    if ("unavailable" in bb) busyboxUnavailable = bb.unavailable;
    else cases.push(...bb);
    results = await runCases(cases, QEMU, TSKVM, { jobs: 2 });
  });

  const of = (group: string) => results.filter((r) => r.case.group === group);

  it("builds every case", () => {
    const failed = results.filter((r) => r.buildError).map((r) => `${r.case.id}: ${r.buildError}`);
    assert.deepEqual(failed, []);
  });

  it("covers at least 15 corpus programs in at least 40 program × flag combinations", () => {
    assert.ok(CORPUS.length >= 15, `${CORPUS.length} programs`);
    assert.ok(of("corpus").length >= 40, `${of("corpus").length} combinations`);
    assert.ok(new Set(of("corpus").map((r) => r.case.id.split("/")[2])).size >= 6, "ARM and Thumb at several levels");
  });

  it("oracle: every corpus program ends with its documented status (exit 3, SIGSEGV as 139, ...)", () => {
    const problems = of("corpus").flatMap((r) => r.oracleProblems.map((p) => `${r.case.id}: ${p}`));
    assert.deepEqual(problems, []);
    const segv = of("corpus").filter((r) => r.case.family === "corpus/segfault");
    assert.ok(segv.length > 0 && segv.every((r) => r.left!.status === 139));
    // the emulator's own "uncaught target signal" line is not part of the compared stderr
    assert.ok(segv.every((r) => r.left!.stderr.toString() === "stderr before the fault\n"));
  });

  it("oracle: all variants of one program print the same bytes (the corpus is deterministic)", () => {
    assert.deepEqual(familyInconsistencies(results), []);
  });

  it("oracle: at least 30 csmith programs run and print a checksum", () => {
    const cs = of("csmith");
    assert.ok(CSMITH_SEEDS.length >= 30);
    const bad = cs.filter((r) => r.oracleProblems.length || !csmithChecksum(r.left!.stdout.toString()));
    assert.deepEqual(bad.map((r) => `${r.case.id}: ${r.oracleProblems.join("; ") || "no checksum line"}`), []);
  });

  it("oracle: BusyBox applets give the standard answers (RFC 1321 / FIPS 180 digests, expr, seq)", (t) => {
    if (busyboxUnavailable) {
      t.skip(`busybox-static:armhf could not be fetched: ${busyboxUnavailable}`);
      return;
    }
    const problems = of("busybox").flatMap((r) => r.oracleProblems.map((p) => `${r.case.id}: ${p}`));
    assert.deepEqual(problems, []);
    assert.ok(of("busybox").length >= 8);
  });

  it("the comparison catches a difference: an oracle given one more environment variable differs", async () => {
    const extraEnv: Emulator = { ...QEMU, name: "qemu+env", command: (b, a) => ["qemu-arm", "-E", "EXTRA=1", b, ...a] };
    const argsEnv = corpusCases((name, f) => name === "args_env" && f.isa === "thumb" && f.opt === "O2");
    const r = await runCase(argsEnv[0]!, QEMU, extraEnv);
    assert.ok(r.difference, "outputs must differ");
    assert.deepEqual(r.difference!.streams, ["stdout"]);
    assert.match(r.difference!.report, /environ has 4 entries/);
    assert.match(r.difference!.report, /environ has 5 entries/);
    assert.equal(Object.keys(GUEST_ENV).length, 4);
  });

  it("every case listed in expected-pass.json agrees byte for byte with qemu-arm", (t) => {
    const expected = loadExpectedPass();
    const outcome = new Map(results.filter((r) => !r.buildError).map((r) => [r.case.id, agrees(r)]));
    const verdict = judge(expected, outcome);
    const byGroup = new Map<string, [number, number]>();
    for (const r of results) {
      const [same, total] = byGroup.get(r.case.group) ?? [0, 0];
      byGroup.set(r.case.group, [same + (agrees(r) ? 1 : 0), total + 1]);
    }
    for (const [g, [same, total]] of byGroup) t.diagnostic(`${g}: ${same}/${total} agree with qemu-arm`);
    t.diagnostic(`manifest: ${verdict.listedPassing}/${expected.size} listed agree; ${verdict.newlyPassing.length} unlisted cases now agree`);
    if (verdict.newlyPassing.length)
      t.diagnostic(`add with 'node scripts/difftest.mjs --update-manifest': ${verdict.newlyPassing.slice(0, 20).join(" ")}${verdict.newlyPassing.length > 20 ? " …" : ""}`);
    const firstMismatch = results.find((r) => r.difference);
    if (firstMismatch && !expected.has(firstMismatch.case.id)) t.diagnostic(`first mismatch (not listed):\n${mismatchReport(firstMismatch, QEMU, TSKVM)}`);
    const reports = results.filter((r) => verdict.regressions.includes(r.case.id)).map((r) => mismatchReport(r, QEMU, TSKVM));
    assert.deepEqual(verdict.unknown, [], "listed ids that are no longer cases");
    assert.equal(reports.length, 0, `regressions:\n${reports.join("\n\n")}`);
  });
});

describe("differential: oracle sanity without tools", () => {
  it("a guest that cannot start is a status -1 with the reason on stderr, not a crash", async () => {
    const r = await runGuest({ ...QEMU, command: (b) => ["/nonexistent/emulator", b] }, "/nonexistent/guest");
    assert.equal(r.status, -1);
    assert.match(r.stderr.toString(), /ENOENT/);
  });
});
