/**
 * The differential suite: a list of cases (a guest binary, how to run it, what its oracle run must
 * end with), and a runner that builds each case, runs it under a left emulator (the oracle,
 * qemu-arm) and optionally a right one (`tskvm user`), compares, and reports. Shared by the node
 * test, scripts/difftest.mjs and scripts/csmith-campaign.mjs.
 */
import { buildGuest, flagSetName, guestSource, type FlagSet } from "./cross-toolchain.js";
import { CORPUS, CORPUS_CFLAGS, CORPUS_LIBS, variantsOf } from "./corpus.js";
import {
  CSMITH_CFLAGS, CSMITH_NEON_CFLAGS, CSMITH_NEON_SEEDS, CSMITH_SEEDS, csmithFlagSets, csmithNeonFlagSets, csmithSource,
} from "./csmith-programs.js";
import { APPLET_RUNS, fetchBusybox } from "./busybox.js";
import { reproduceCommand, runGuest, type Emulator, type GuestRun, type Outcome } from "./guest-runner.js";
import { compareOutcomes, describeStatus, type Difference } from "./outcome-diff.js";

export type CaseGroup = "corpus" | "csmith" | "busybox";

export interface DiffCase {
  /** Stable id used in the manifest: "corpus/arith32/thumb-O2", "csmith/17/arm-O1", "busybox/md5sum". */
  readonly id: string;
  readonly group: CaseGroup;
  /** Cases of one family are one program in different builds: their oracle outcomes must agree. */
  readonly family: string;
  readonly build: () => Promise<{ binary: string; command?: readonly string[] }>;
  readonly run: GuestRun;
  readonly expectedStatus?: number;
  readonly expectedStdout?: string;
}

export function corpusCases(filter?: (name: string, f: FlagSet) => boolean): DiffCase[] {
  const cases: DiffCase[] = [];
  for (const p of CORPUS) {
    for (const f of variantsOf(p)) {
      if (filter && !filter(p.name, f)) continue;
      cases.push({
        id: `corpus/${p.name}/${flagSetName(f)}`,
        group: "corpus",
        family: `corpus/${p.name}`,
        build: () =>
          buildGuest({
            name: `corpus/${p.name}`, source: guestSource("user", p.name), flags: f,
            extraFlags: [...CORPUS_CFLAGS, ...(p.cflags ?? [])], libs: CORPUS_LIBS,
          }),
        run: { args: p.args, stdin: p.stdin },
        expectedStatus: p.expectedStatus ?? 0,
      });
    }
  }
  return cases;
}

export function csmithCase(seed: number, f: FlagSet): DiffCase {
  return {
    id: `csmith/${seed}/${flagSetName(f)}`,
    group: "csmith",
    family: `csmith/${seed}`,
    build: async () => buildGuest({ name: `csmith/seed${seed}`, source: await csmithSource(seed), flags: f, extraFlags: CSMITH_CFLAGS }),
    run: {},
    expectedStatus: 0,
  };
}

export function csmithCases(seeds: readonly number[] = CSMITH_SEEDS): DiffCase[] {
  return seeds.flatMap((seed) => csmithFlagSets(seed).map((f) => csmithCase(seed, f)));
}

/** csmith seeds built with Advanced SIMD at -O3: same family as the seed's other builds (same checksum). */
export function csmithNeonCases(seeds: readonly number[] = CSMITH_NEON_SEEDS): DiffCase[] {
  return seeds.flatMap((seed) =>
    csmithNeonFlagSets().map((f): DiffCase => ({
      id: `csmith-neon/${seed}/${flagSetName(f)}`,
      group: "csmith",
      family: `csmith/${seed}`,
      build: async () =>
        buildGuest({ name: `csmith/seed${seed}`, source: await csmithSource(seed), flags: f, extraFlags: CSMITH_NEON_CFLAGS }),
      run: {},
      expectedStatus: 0,
    })),
  );
}

/** The BusyBox cases, or the reason they cannot run here (download impossible). */
export function busyboxCases(): DiffCase[] | { unavailable: string } {
  const bb = fetchBusybox();
  if ("unavailable" in bb) return bb;
  return APPLET_RUNS.map((a) => ({
    id: `busybox/${a.name}`,
    group: "busybox" as const,
    family: `busybox/${a.name}`,
    build: async () => ({ binary: bb.binary }),
    run: { args: a.args, stdin: a.stdin },
    expectedStatus: a.expectedStatus ?? 0,
    expectedStdout: a.expectedStdout,
  }));
}

export interface CaseResult {
  readonly case: DiffCase;
  readonly binary?: string;
  readonly buildCommand?: readonly string[];
  /** Set when the case could not be built (a harness or corpus problem, not an emulator one). */
  readonly buildError?: string;
  readonly left?: Outcome;
  readonly right?: Outcome;
  /** Left vs right; undefined when they agree or when there is no right side. */
  readonly difference?: Difference;
  /** Problems with the oracle run itself: wrong status, wrong known stdout, timeout. */
  readonly oracleProblems: readonly string[];
}

export interface RunOptions {
  readonly jobs?: number;
  /** Time limit for the oracle (left) run. */
  readonly leftTimeoutMs?: number;
  /**
   * Time limit for the right run; by default 200 × the oracle's wall time, clamped to
   * [20 s, 180 s] (tskvm's slowest corpus case, heap -O0, takes ~12 s where qemu takes 0.4 s), so a
   * hung emulator cannot stall the suite forever. TSKVM_DIFFTEST_TIMEOUT_MS overrides.
   */
  readonly rightTimeoutMs?: number;
  readonly onResult?: (r: CaseResult) => void;
}

export async function runCase(c: DiffCase, left: Emulator, right: Emulator | undefined, o: RunOptions = {}): Promise<CaseResult> {
  let built: { binary: string; command?: readonly string[] };
  try {
    built = await c.build();
  } catch (e) {
    return { case: c, buildError: e instanceof Error ? e.message : String(e), oracleProblems: [] };
  }
  const leftOut = await runGuest(left, built.binary, { ...c.run, timeoutMs: o.leftTimeoutMs ?? 20_000 });
  const problems: string[] = [];
  if (leftOut.timedOut) problems.push(`${left.name} timed out`);
  else if (c.expectedStatus !== undefined && leftOut.status !== c.expectedStatus)
    problems.push(`${left.name} status ${describeStatus(leftOut)}, expected ${c.expectedStatus}`);
  if (c.expectedStdout !== undefined && leftOut.stdout.toString("latin1") !== c.expectedStdout)
    problems.push(`${left.name} stdout ${JSON.stringify(leftOut.stdout.toString("latin1").slice(0, 200))}, expected ${JSON.stringify(c.expectedStdout)}`);
  // Without an oracle answer there is nothing to compare against (and a hung program would hang twice).
  if (!right || leftOut.timedOut) return { case: c, binary: built.binary, buildCommand: built.command, left: leftOut, oracleProblems: problems };
  const envTimeout = Number(process.env.TSKVM_DIFFTEST_TIMEOUT_MS) || undefined;
  const rightTimeout = o.rightTimeoutMs ?? envTimeout ?? Math.min(180_000, Math.max(20_000, leftOut.wallMs * 200));
  const rightOut = await runGuest(right, built.binary, { ...c.run, timeoutMs: rightTimeout });
  const difference = compareOutcomes(left.name, leftOut, right.name, rightOut);
  return { case: c, binary: built.binary, buildCommand: built.command, left: leftOut, right: rightOut, difference, oracleProblems: problems };
}

/** Runs cases `jobs` at a time (default 2: the machines have two cores); results in case order. */
export async function runCases(cases: readonly DiffCase[], left: Emulator, right: Emulator | undefined, o: RunOptions = {}): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      const r = await runCase(cases[i]!, left, right, o);
      results[i] = r;
      o.onResult?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs ?? 2) }, worker));
  return results;
}

/** Oracle outcomes of one family that disagree with the family's first case (corpus determinism). */
export function familyInconsistencies(results: readonly CaseResult[]): string[] {
  const first = new Map<string, CaseResult>();
  const out: string[] = [];
  for (const r of results) {
    if (!r.left) continue;
    const f = first.get(r.case.family);
    if (!f) {
      first.set(r.case.family, r);
      continue;
    }
    const d = compareOutcomes(f.case.id, f.left!, r.case.id, r.left);
    if (d) out.push(`${r.case.family}: ${f.case.id} and ${r.case.id} differ under the oracle\n${d.report}`);
  }
  return out;
}

/** The report for one mismatching case: what differs, and the commands that reproduce it. */
export function mismatchReport(r: CaseResult, left: Emulator, right: Emulator): string {
  const lines = [`MISMATCH ${r.case.id}`, r.difference?.report ?? ""];
  // the emulator's own fatal-signal line is not compared, but it often says why the guest died
  for (const [name, o] of [[left.name, r.left], [right.name, r.right]] as const) {
    if (o && !o.rawStderr.equals(o.stderr)) {
      const said = o.rawStderr.toString("latin1").split("\n").find((l) => !o.stderr.toString("latin1").includes(l));
      if (said) lines.push(`  ${name} reported: ${said.slice(0, 300)}`);
    }
  }
  if (r.buildCommand) lines.push(`  build:   ${r.buildCommand.join(" ")}`);
  if (r.binary) {
    lines.push(`  oracle:  ${reproduceCommand(left, r.binary, r.case.run)}`);
    lines.push(`  subject: ${reproduceCommand(right, r.binary, r.case.run)}`);
  }
  return lines.join("\n");
}

export function agrees(r: CaseResult): boolean {
  return r.buildError === undefined && r.right !== undefined && r.difference === undefined;
}
