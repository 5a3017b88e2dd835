/**
 * What a bare-metal guest run produced, on either machine: the console text, the code of its final
 * `EXIT <n>` line, its check lines, and why the run ended if not through PSCI SYSTEM_OFF.
 */
export interface BareMetalResult {
  readonly text: string;
  /** n of the last `EXIT n` line; null if none was printed. */
  readonly exitCode: number | null;
  readonly okCount: number;
  /** The `FAIL ...` lines, verbatim. */
  readonly failures: readonly string[];
  /** undefined when the guest powered off through PSCI SYSTEM_OFF; otherwise what happened. */
  readonly abnormal: string | undefined;
}

export function parseGuestOutput(text: string, abnormal: string | undefined): BareMetalResult {
  const lines = text.split("\n");
  let exitCode: number | null = null;
  let okCount = 0;
  const failures: string[] = [];
  for (const line of lines) {
    const m = /^EXIT (\d+)$/.exec(line);
    if (m) exitCode = Number(m[1]);
    else if (line.startsWith("ok ")) okCount++;
    else if (line.startsWith("FAIL ")) failures.push(line);
  }
  return { text, exitCode, okCount, failures, abnormal };
}

/** True when the run is a full pass: powered off after `EXIT 0`, at least one check, none failed. */
export function passed(r: BareMetalResult): boolean {
  return r.abnormal === undefined && r.exitCode === 0 && r.failures.length === 0 && r.okCount > 0;
}

/** One paragraph saying what went wrong, for assertion messages. */
export function describe(r: BareMetalResult, tail = 20): string {
  const parts: string[] = [];
  if (r.abnormal) parts.push(`run ended abnormally: ${r.abnormal}`);
  parts.push(`EXIT ${r.exitCode ?? "(none)"}, ${r.okCount} ok, ${r.failures.length} FAIL`);
  if (r.failures.length) parts.push(...r.failures.slice(0, tail));
  const lines = r.text.split("\n");
  parts.push(`--- last console lines ---`, ...lines.slice(-Math.min(tail, lines.length)));
  return parts.join("\n");
}

/** The first line where two console texts differ, or undefined when identical. */
export function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  const la = a.split("\n"), lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: qemu ${JSON.stringify(la[i] ?? "<end>")} vs tskvm ${JSON.stringify(lb[i] ?? "<end>")}`;
  }
  return "texts differ";
}
