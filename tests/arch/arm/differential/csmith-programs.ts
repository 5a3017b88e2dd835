/**
 * Random C programs from csmith (Debian's csmith 2.3.0; the same seed and options give the same
 * program only with the same csmith version, so the version is part of the source cache key).
 * A csmith program computes a checksum over its globals and prints "checksum = X"; it is free of
 * undefined behaviour by construction (safe-math wrappers), so any two correct executions print
 * the same thing at every optimisation level.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GUEST_CACHE, type FlagSet } from "./cross-toolchain.js";

/** csmith writes platform.info into its working directory: keep that out of the work tree. */
const CSMITH_SCRATCH = join(GUEST_CACHE, "csmith-cwd");

/** Include path of csmith's runtime headers (Debian package libcsmith-dev). */
export const CSMITH_INCLUDE = "/usr/include/csmith";

/**
 * Options that keep programs small and quick (few functions, shallow blocks, small expressions)
 * without giving up any feature class: bitfields, packed structs, unions, pointers, volatiles and
 * 64-bit arithmetic all stay on.
 */
export const CSMITH_OPTIONS: readonly string[] = [
  "--max-funcs", "6",
  "--max-block-depth", "3",
  "--max-expr-complexity", "6",
  "--max-array-dim", "3",
  "--max-array-len-per-dim", "8",
];

/** Extra compiler flags for csmith programs: its headers, and quiet about its style. */
export const CSMITH_CFLAGS: readonly string[] = [`-I${CSMITH_INCLUDE}`, "-w"];

/**
 * The fixed seeds of the node test. Chosen by scripts/csmith-campaign.mjs --select from seeds
 * 1..N: the first seeds whose two builds (see csmithFlagSets) both exit 0 under qemu-arm within
 * 150 ms and print the same output (so each is quick and consistent). Measured under qemu-arm
 * 7.2: every selected program runs in 12–50 ms, mostly qemu's start-up.
 */
export const CSMITH_SEEDS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
  36, 37,
]; // 11, 16 and 24 were skipped: they run past 2 s or fail under qemu-arm

/** Each seed is built twice, alternating so that every (isa, level) pair is covered. */
export function csmithFlagSets(seed: number): FlagSet[] {
  return seed % 2 === 0
    ? [{ isa: "arm", opt: "O1" }, { isa: "thumb", opt: "O2" }]
    : [{ isa: "thumb", opt: "O1" }, { isa: "arm", opt: "O2" }];
}

/**
 * Seeds also built for Advanced SIMD at -O3 (auto-vectorisation on) in both instruction sets: the
 * same programs as above, so their checksums must equal those of the VFP-only builds.
 */
export const CSMITH_NEON_SEEDS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
export const CSMITH_NEON_CFLAGS: readonly string[] = [...CSMITH_CFLAGS, "-mfpu=neon-vfpv4", "-ftree-vectorize"];

export function csmithNeonFlagSets(): FlagSet[] {
  return [{ isa: "arm", opt: "O3" }, { isa: "thumb", opt: "O3" }];
}

let csmithVersion: string | undefined;
export function csmithIdentity(): string | undefined {
  if (csmithVersion !== undefined) return csmithVersion || undefined;
  mkdirSync(CSMITH_SCRATCH, { recursive: true });
  const r = spawnSync("csmith", ["--version"], { encoding: "utf8", cwd: CSMITH_SCRATCH });
  csmithVersion = r.status === 0 ? r.stdout.trim().replace(/\s+/g, " ") : "";
  return csmithVersion || undefined;
}

export function csmithAvailable(): boolean {
  return csmithIdentity() !== undefined && existsSync(join(CSMITH_INCLUDE, "csmith.h"));
}

/** Generates (or reads from the cache) the program for one seed. */
export async function csmithSource(seed: number, options: readonly string[] = CSMITH_OPTIONS): Promise<string> {
  const version = csmithIdentity();
  if (!version) throw new Error("csmith is not installed (run scripts/setup.sh)");
  const key = createHash("sha256").update(version).update(JSON.stringify(options)).digest("hex").slice(0, 12);
  const dir = join(GUEST_CACHE, "csmith-src", key);
  const path = join(dir, `seed${seed}.c`);
  if (existsSync(path)) return readFileSync(path, "utf8");
  mkdirSync(dir, { recursive: true });
  const text = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn("csmith", ["--seed", String(seed), ...options], {
      cwd: CSMITH_SCRATCH,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolvePromise(Buffer.concat(out).toString())
        : reject(new Error(`csmith --seed ${seed} failed: ${Buffer.concat(err).toString()}`)),
    );
  });
  const tmp = `${path}.tmp${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return text;
}

/** The checksum line a csmith program prints, or undefined. */
export function csmithChecksum(stdout: string): string | undefined {
  return /^checksum = ([0-9A-F]+)$/m.exec(stdout)?.[1];
}
