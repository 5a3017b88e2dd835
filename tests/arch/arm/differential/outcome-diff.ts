/**
 * Byte-for-byte comparison of two runs of the same guest, and a compact human report of where
 * they first differ: for each stream, the first differing line with a little context from both
 * sides, and the sizes; for the status, both values (with signal names for 128 + N).
 */
import type { Outcome } from "./guest-runner.js";

export type Stream = "stdout" | "stderr" | "status";

export interface Difference {
  readonly streams: readonly Stream[];
  /** Multi-line report, already indented by two spaces. */
  readonly report: string;
}

const CONTEXT_LINES = 2;
const MAX_LINE = 160;

/** undefined when both runs produced identical stdout, stderr and status. */
export function compareOutcomes(leftName: string, left: Outcome, rightName: string, right: Outcome): Difference | undefined {
  const streams: Stream[] = [];
  const parts: string[] = [];
  if (left.status !== right.status || left.timedOut !== right.timedOut) {
    streams.push("status");
    parts.push(`  status: ${leftName}=${describeStatus(left)} ${rightName}=${describeStatus(right)}`);
  }
  for (const s of ["stdout", "stderr"] as const) {
    if (!left[s].equals(right[s])) {
      streams.push(s);
      parts.push(streamDiff(s, leftName, left[s], rightName, right[s]));
    }
  }
  return streams.length === 0 ? undefined : { streams, report: parts.join("\n") };
}

export function describeStatus(o: Outcome): string {
  if (o.timedOut) return `timeout(${Math.round(o.wallMs)}ms)`;
  if (o.status > 128 && o.status < 128 + 32) return `${o.status}(signal ${o.status - 128})`;
  return String(o.status);
}

function streamDiff(stream: string, leftName: string, a: Buffer, rightName: string, b: Buffer): string {
  const la = a.toString("latin1").split("\n");
  const lb = b.toString("latin1").split("\n");
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  const from = Math.max(0, i - CONTEXT_LINES);
  const lines = [`  ${stream}: ${leftName} ${a.length} bytes, ${rightName} ${b.length} bytes; first difference at line ${i + 1}`];
  for (let k = from; k < i; k++) lines.push(`      ${show(la[k])}`);
  for (let k = i; k < Math.min(la.length, i + CONTEXT_LINES + 1); k++) lines.push(`    - ${show(la[k])}`);
  if (i >= la.length) lines.push(`    - <end of ${leftName} ${stream}>`);
  for (let k = i; k < Math.min(lb.length, i + CONTEXT_LINES + 1); k++) lines.push(`    + ${show(lb[k])}`);
  if (i >= lb.length) lines.push(`    + <end of ${rightName} ${stream}>`);
  lines.push(`    (- ${leftName}, + ${rightName})`);
  return lines.join("\n");
}

function show(line: string | undefined): string {
  if (line === undefined) return "";
  // eslint-disable-next-line no-control-regex
  const visible = line.replace(/[\x00-\x08\x0b-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return visible.length > MAX_LINE ? `${visible.slice(0, MAX_LINE)}…` : visible;
}
