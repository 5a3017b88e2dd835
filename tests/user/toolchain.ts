/**
 * Builds tiny ARM programs at test time with Debian's cross toolchain (arm-linux-gnueabihf-gcc).
 * Tests that need it are skipped when the toolchain is missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CROSS_GCC = "arm-linux-gnueabihf-gcc";
export const hasToolchain = spawnSync(CROSS_GCC, ["--version"]).status === 0;

const dir = mkdtempSync(join(tmpdir(), "tskvm-user-"));
let counter = 0;

/** Compiles `source` (assembly if `lang` is "S", C if "c") into an executable; returns its path. */
export function build(source: string, lang: "S" | "c", flags: string[] = ["-static", "-nostdlib"]): string {
  const n = counter++;
  const src = join(dir, `prog${n}.${lang}`);
  const out = join(dir, `prog${n}`);
  writeFileSync(src, source);
  execFileSync(CROSS_GCC, [...flags, "-o", out, src], { stdio: "pipe" });
  return out;
}

export const scratchDir = dir;
