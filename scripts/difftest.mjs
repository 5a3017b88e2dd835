#!/usr/bin/env node
// Differential test of `tskvm user` against qemu-arm over the guest corpus, the fixed csmith seeds
// and BusyBox applets. Needs a build first (npm run build); uses the modules the node test uses.
//
//   node scripts/difftest.mjs [--right tskvm|qemu|none] [--left qemu|tskvm] [--group corpus,csmith,busybox]
//                             [--filter SUBSTR]... [--jobs N] [--update-manifest] [--quiet]
//
// --right qemu runs the oracle against itself (validates corpus, flags, cache and reporting);
// --right none only runs the oracle and checks each program's expected status and determinism.
// --update-manifest adds every case that agrees to tests/arch/arm/differential/expected-pass.json.
// Exit status: 1 if a manifest case differs, a case fails to build, or the oracle misbehaves.
import { existsSync } from "node:fs";

const dist = new URL("../dist/tests/arch/arm/differential/", import.meta.url);
if (!existsSync(new URL("suite.js", dist))) {
  console.error("difftest: dist/ is missing the harness; run `npm run build` first");
  process.exit(2);
}
const suite = await import(new URL("suite.js", dist).href);
const runner = await import(new URL("guest-runner.js", dist).href);
const manifest = await import(new URL("expected-pass.js", dist).href);

const opts = { left: "qemu", right: "tskvm", groups: ["corpus", "csmith", "busybox"], filters: [], jobs: 2, update: false, quiet: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  if (a === "--left") opts.left = value();
  else if (a === "--right") opts.right = value();
  else if (a === "--group") opts.groups = value().split(",");
  else if (a === "--filter") opts.filters.push(value());
  else if (a === "--jobs") opts.jobs = Number(value());
  else if (a === "--update-manifest") opts.update = true;
  else if (a === "--quiet") opts.quiet = true;
  else if (a === "--help" || a === "-h") usage();
  else usage(`unknown argument '${a}'`);
}

function usage(problem) {
  if (problem) console.error(`difftest: ${problem}`);
  console.error("usage: node scripts/difftest.mjs [--right tskvm|qemu|none] [--left qemu|tskvm] [--group corpus,csmith,busybox] [--filter S]... [--jobs N] [--update-manifest] [--quiet]");
  process.exit(problem ? 2 : 0);
}

const left = runner.emulatorByName(opts.left);
const right = opts.right === "none" ? undefined : runner.emulatorByName(opts.right);
let cases = [];
if (opts.groups.includes("corpus")) cases.push(...suite.corpusCases());
if (opts.groups.includes("csmith")) cases.push(...suite.csmithCases(), ...suite.csmithNeonCases());
if (opts.groups.includes("busybox")) {
  const bb = suite.busyboxCases();
  if ("unavailable" in bb) console.log(`busybox: skipped — ${bb.unavailable}`);
  else cases.push(...bb);
}
if (opts.filters.length) cases = cases.filter((c) => opts.filters.some((f) => c.id.includes(f)));
const expected = manifest.loadExpectedPass();
console.log(`difftest: ${cases.length} cases, ${left.name} vs ${right ? right.name : "(oracle only)"}, ${opts.jobs} jobs`);

const started = Date.now();
const results = await suite.runCases(cases, left, right, {
  jobs: opts.jobs,
  onResult: (r) => {
    if (opts.quiet) return;
    const tag = r.buildError ? "BUILD" : r.oracleProblems.length ? "ORACLE" : !right ? "ran" : r.difference ? "DIFF" : "same";
    const times = r.left ? ` ${r.left.wallMs.toFixed(0)}ms` + (r.right ? ` / ${r.right.wallMs.toFixed(0)}ms` : "") : "";
    const listed = expected.has(r.case.id) ? " [expected-pass]" : "";
    console.log(`${tag.padEnd(6)} ${r.case.id}${times}${listed}`);
  },
});

let failed = false;
for (const r of results) {
  if (r.buildError) {
    failed = true;
    console.log(`\nBUILD FAILED ${r.case.id}\n${r.buildError}`);
  }
  for (const p of r.oracleProblems) {
    failed = true;
    console.log(`\nORACLE ${r.case.id}: ${p}`);
  }
}
for (const msg of suite.familyInconsistencies(results)) {
  failed = true;
  console.log(`\nINCONSISTENT ${msg}`);
}
if (right) {
  const mismatches = results.filter((r) => r.difference);
  for (const r of mismatches) console.log(`\n${suite.mismatchReport(r, left, right)}`);
  const verdict = manifest.judge(expected, new Map(results.filter((r) => !r.buildError).map((r) => [r.case.id, suite.agrees(r)])));
  const byGroup = {};
  for (const r of results) {
    const g = (byGroup[r.case.group] ??= { same: 0, total: 0 });
    g.total++;
    if (suite.agrees(r)) g.same++;
  }
  console.log("\nsummary:");
  for (const [g, c] of Object.entries(byGroup)) console.log(`  ${g.padEnd(8)} ${c.same}/${c.total} agree`);
  console.log(`  manifest: ${verdict.listedPassing}/${expected.size} listed cases agree, ${verdict.regressions.length} regressions, ${verdict.newlyPassing.length} unlisted cases now agree`);
  if (verdict.regressions.length) {
    failed = true;
    console.log(`  REGRESSIONS: ${verdict.regressions.join(" ")}`);
  }
  if (opts.update && verdict.newlyPassing.length) {
    const added = manifest.addExpectedPass(verdict.newlyPassing);
    console.log(`  added ${added.length} ids to ${manifest.MANIFEST_PATH}`);
  }
  const same = results.filter((r) => suite.agrees(r)).length;
  console.log(`${same} passed, ${results.length - same} failed`);
}
console.log(`difftest: ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
