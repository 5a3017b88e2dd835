#!/usr/bin/env node
// A csmith campaign: generate programs for a range of seeds, build each twice (ARM/Thumb, -O1/-O2,
// alternating per seed), run under qemu-arm and under `tskvm user`, and keep a reproducer directory
// for every mismatch: the source, the build command, both outputs and statuses, and a script.
//
//   node scripts/csmith-campaign.mjs [--count 2000] [--start 1] [--jobs 2] [--right tskvm|qemu]
//                                    [--out build/csmith-campaign] [--oracle-timeout-ms 2000]
//   node scripts/csmith-campaign.mjs --select 32 [--start 1] [--max-ms 150]
//
// Seeds whose program is slow or fails under the oracle (csmith can produce very long loops) are
// skipped and counted. --select prints the first N seeds that are quick and agree across their two
// builds under qemu-arm — how CSMITH_SEEDS in tests/arch/arm/differential/csmith-programs.ts is made.
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const dist = new URL("../dist/tests/arch/arm/differential/", import.meta.url);
if (!existsSync(new URL("suite.js", dist))) {
  console.error("csmith-campaign: dist/ is missing the harness; run `npm run build` first");
  process.exit(2);
}
const suite = await import(new URL("suite.js", dist).href);
const runner = await import(new URL("guest-runner.js", dist).href);
const csmith = await import(new URL("csmith-programs.js", dist).href);
const toolchain = await import(new URL("cross-toolchain.js", dist).href);

const o = { count: 2000, start: 1, jobs: 2, right: "tskvm", out: join(toolchain.REPO_ROOT, "build", "csmith-campaign"), oracleTimeoutMs: 2000, select: 0, maxMs: 150 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const v = () => argv[++i] ?? usage(`${a} needs a value`);
  if (a === "--count") o.count = Number(v());
  else if (a === "--start") o.start = Number(v());
  else if (a === "--jobs") o.jobs = Number(v());
  else if (a === "--right") o.right = v();
  else if (a === "--out") o.out = v();
  else if (a === "--oracle-timeout-ms") o.oracleTimeoutMs = Number(v());
  else if (a === "--select") o.select = Number(v());
  else if (a === "--max-ms") o.maxMs = Number(v());
  else if (a === "--help" || a === "-h") usage();
  else usage(`unknown argument '${a}'`);
}
function usage(problem) {
  if (problem) console.error(`csmith-campaign: ${problem}`);
  console.error("usage: node scripts/csmith-campaign.mjs [--count N] [--start N] [--jobs N] [--right tskvm|qemu] [--out DIR] | --select N [--max-ms MS]");
  process.exit(problem ? 2 : 0);
}
if (!csmith.csmithAvailable()) {
  console.error("csmith-campaign: csmith or its headers (libcsmith-dev) are missing; run scripts/setup.sh");
  process.exit(2);
}

const left = runner.QEMU;
const right = o.select ? undefined : runner.emulatorByName(o.right);
const stats = { seeds: 0, runs: 0, same: 0, differ: 0, skipped: 0, buildFailed: 0 };
const selected = [];
let nextSeed = o.start;
const endSeed = o.select ? Infinity : o.start + o.count;
const started = Date.now();

async function doSeed(seed) {
  const cases = csmith.csmithFlagSets(seed).map((f) => suite.csmithCase(seed, f));
  const results = [];
  for (const c of cases) {
    const r = await suite.runCase(c, left, right, { leftTimeoutMs: o.oracleTimeoutMs });
    results.push(r);
    if (r.buildError) { stats.buildFailed++; console.log(`BUILD  ${c.id}: ${r.buildError.split("\n").slice(0, 3).join(" ")}`); return; }
    if (r.oracleProblems.length) { stats.skipped++; console.log(`skip   ${c.id}: ${r.oracleProblems.join("; ")}`); return; }
    if (!right) continue;
    stats.runs++;
    if (!r.difference) { stats.same++; continue; }
    stats.differ++;
    const dir = join(o.out, c.id.replace(/\//g, "_"));
    writeReproducer(dir, r);
    console.log(`${suite.mismatchReport(r, left, right)}\n  reproducer: ${dir}`);
  }
  if (o.select) {
    const fast = results.every((r) => r.left.wallMs <= o.maxMs);
    const consistent = suite.familyInconsistencies(results).length === 0;
    console.log(`seed ${seed}: ${results.map((r) => `${r.case.id.split("/")[2]} ${r.left.wallMs.toFixed(0)}ms`).join(", ")}${fast && consistent ? " ✓" : consistent ? " (slow)" : " (INCONSISTENT)"}`);
    if (fast && consistent) selected.push(seed);
  }
}

function writeReproducer(dir, r) {
  mkdirSync(dir, { recursive: true });
  const cmd = r.buildCommand ?? [];
  const src = cmd.find((a) => a.endsWith(".c"));
  writeFileSync(join(dir, "build.sh"), `#!/bin/sh\n# source: ${src}\n${cmd.join(" ")}\n`);
  if (src) writeFileSync(join(dir, "program.c"), readText(src));
  for (const [name, out] of [["qemu", r.left], [right.name, r.right]]) {
    writeFileSync(join(dir, `${name}.stdout`), out.stdout);
    writeFileSync(join(dir, `${name}.stderr`), out.rawStderr);
    writeFileSync(join(dir, `${name}.status`), `${out.status}${out.timedOut ? " (timeout)" : ""}\n`);
  }
  writeFileSync(join(dir, "diff.txt"), `${r.difference.report}\n`);
  writeFileSync(join(dir, "reproduce.sh"), `#!/bin/sh\n${runner.reproduceCommand(left, r.binary, r.case.run)}\n${runner.reproduceCommand(right, r.binary, r.case.run)}\n`);
}
import { readFileSync } from "node:fs";
function readText(p) { try { return readFileSync(p); } catch { return ""; } }

async function worker() {
  while (nextSeed < endSeed && (!o.select || selected.length < o.select)) {
    const seed = nextSeed++;
    stats.seeds++;
    await doSeed(seed);
  }
}
await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));
const secs = ((Date.now() - started) / 1000).toFixed(1);
if (o.select) {
  selected.sort((a, b) => a - b);
  console.log(`\nselected ${selected.length} seeds in ${secs} s (${stats.skipped} skipped): [${selected.slice(0, o.select).join(", ")}]`);
  process.exit(0);
}
console.log(`\ncampaign: seeds ${o.start}..${o.start + o.count - 1}, ${stats.runs} runs compared, ${stats.same} same, ${stats.differ} differ, ${stats.skipped} skipped (slow/failing under qemu), ${stats.buildFailed} build failures, ${secs} s`);
console.log(`${stats.same} passed, ${stats.differ} failed`);
process.exit(stats.differ || stats.buildFailed ? 1 : 0);
