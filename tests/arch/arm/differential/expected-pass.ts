/**
 * The checked-in list of combinations (program × compiler variant) that `tskvm user` is known to
 * run identically to qemu-arm: expected-pass.json beside this module's source. A listed case that
 * differs is a regression and fails the test; an unlisted case that now agrees is reported so the
 * list can grow (`node scripts/difftest.mjs --update-manifest` adds exactly those).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./cross-toolchain.js";

export const MANIFEST_PATH = join(REPO_ROOT, "tests", "arch", "arm", "differential", "expected-pass.json");

interface ManifestFile {
  readonly comment?: string;
  readonly pass: readonly string[];
}

export function loadExpectedPass(path = MANIFEST_PATH): Set<string> {
  const data = JSON.parse(readFileSync(path, "utf8")) as ManifestFile;
  if (!Array.isArray(data.pass)) throw new Error(`${path}: "pass" must be an array of case ids`);
  return new Set(data.pass);
}

/** Adds ids (never removes: a regression must be fixed or removed by a person, with a reason). */
export function addExpectedPass(ids: Iterable<string>, path = MANIFEST_PATH): string[] {
  const data = JSON.parse(readFileSync(path, "utf8")) as ManifestFile;
  const set = new Set(data.pass);
  const added = [...ids].filter((id) => !set.has(id));
  for (const id of added) set.add(id);
  const out: ManifestFile = { comment: data.comment, pass: [...set].sort() };
  writeFileSync(path, JSON.stringify(out, null, 2) + "\n");
  return added;
}

export interface ManifestVerdict {
  /** Listed, and differ: regressions. */
  readonly regressions: string[];
  /** Not listed, but agree: candidates for the list. */
  readonly newlyPassing: string[];
  readonly listedPassing: number;
  /** Listed ids that the run did not contain (a renamed or removed case). */
  readonly unknown: string[];
}

export function judge(expected: ReadonlySet<string>, results: ReadonlyMap<string, boolean>): ManifestVerdict {
  const regressions: string[] = [];
  const newlyPassing: string[] = [];
  let listedPassing = 0;
  for (const [id, agrees] of results) {
    if (expected.has(id)) {
      if (agrees) listedPassing++;
      else regressions.push(id);
    } else if (agrees) newlyPassing.push(id);
  }
  const unknown = [...expected].filter((id) => !results.has(id));
  return { regressions, newlyPassing, listedPassing, unknown };
}
