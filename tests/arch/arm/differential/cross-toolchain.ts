/**
 * Debian's ARM cross compiler, driven with a content-addressed cache: a guest binary is named by
 * the SHA-256 of (compiler identity, flags, source bytes), so a re-run with unchanged inputs
 * compiles nothing, and a changed source or flag can never reuse a stale binary.
 *
 * Flags: every guest is `-static` ARMv7-A hard-float EABI for a Cortex-A15-class core
 * (`-march=armv7-a -mfpu=vfpv4 -mfloat-abi=hard`), in ARM (`-marm`) or Thumb-2 (`-mthumb`) state.
 * Debian's armhf default is `-march=armv7-a+fp -mfpu=vfpv3-d16 -mthumb`; VFPv4 adds VFMA and the
 * full 32 double registers, which the Cortex-A15 has. The static glibc linked in is Debian's own
 * (built for the armhf default), so the libc code paths are the ones real programs run.
 */
import { createHash } from "node:crypto";
import { spawnSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const CROSS_CC = "arm-linux-gnueabihf-gcc";

/** The repository root (this file compiles to dist/tests/arch/arm/differential/). */
export const REPO_ROOT = resolve(new URL(".", import.meta.url).pathname, "../../../../..");
/** Build products; gitignored (`build/`). Override with TSKVM_GUEST_CACHE. */
export const GUEST_CACHE = process.env.TSKVM_GUEST_CACHE ?? join(REPO_ROOT, "build", "guests");

/** Flags shared by every guest: target, float ABI, static linking. */
export const TARGET_FLAGS: readonly string[] = ["-static", "-march=armv7-a", "-mfpu=vfpv4", "-mfloat-abi=hard"];

export type InstructionSet = "arm" | "thumb";
export type OptLevel = "O0" | "O1" | "O2" | "O3" | "Os";

/** One compilation variant: instruction set and optimisation level, e.g. "thumb-O2". */
export interface FlagSet {
  readonly isa: InstructionSet;
  readonly opt: OptLevel;
}

export function flagSetName(f: FlagSet): string {
  return `${f.isa}-${f.opt}`;
}

export function parseFlagSet(name: string): FlagSet {
  const m = /^(arm|thumb)-(O0|O1|O2|O3|Os)$/.exec(name);
  if (!m) throw new Error(`bad flag set '${name}' (want arm|thumb-O0|O1|O2|O3|Os)`);
  return { isa: m[1] as InstructionSet, opt: m[2] as OptLevel };
}

export function compilerFlags(f: FlagSet, extra: readonly string[] = []): string[] {
  return [...TARGET_FLAGS, f.isa === "arm" ? "-marm" : "-mthumb", `-${f.opt}`, ...extra];
}

let compilerIdentity: string | undefined;
/** The compiler's version line, part of every cache key; undefined when no cross compiler is installed. */
export function crossCompilerVersion(): string | undefined {
  if (compilerIdentity !== undefined) return compilerIdentity || undefined;
  const r = spawnSync(CROSS_CC, ["--version"], { encoding: "utf8" });
  compilerIdentity = r.status === 0 ? r.stdout.split("\n")[0]! : "";
  return compilerIdentity || undefined;
}

export function hasCommand(cmd: string, args: readonly string[] = ["--version"]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return r.status === 0;
}

export interface GuestBuild {
  /** Human name, e.g. "corpus/arith32". */
  readonly name: string;
  /** Source text (C). */
  readonly source: string | Buffer;
  readonly flags: FlagSet;
  /** Additional flags (include paths, -ffp-contract=off, libraries must go in `libs`). */
  readonly extraFlags?: readonly string[];
  readonly libs?: readonly string[];
}

export interface BuiltGuest {
  readonly binary: string;
  /** The exact command line that produced it (for reproducers). */
  readonly command: readonly string[];
  readonly cached: boolean;
}

export class CompileError extends Error {
  constructor(
    readonly build: GuestBuild,
    readonly stderr: string,
  ) {
    super(`compiling ${build.name} [${flagSetName(build.flags)}] failed:\n${stderr}`);
  }
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, "_");
}

/**
 * Compiles (or finds in the cache) one guest binary. The source is written next to the binary so
 * the cache directory is itself a reproducer: `<hash>/<name>.c`, `<hash>/<name>`, `<hash>/cmd`.
 */
export async function buildGuest(b: GuestBuild): Promise<BuiltGuest> {
  const version = crossCompilerVersion();
  if (!version) throw new Error(`${CROSS_CC} is not installed (run scripts/setup.sh)`);
  const flags = compilerFlags(b.flags, b.extraFlags ?? []);
  const libs = b.libs ?? [];
  const key = createHash("sha256")
    .update(version)
    .update("\0")
    .update(JSON.stringify([flags, libs]))
    .update("\0")
    .update(b.source)
    .digest("hex")
    .slice(0, 24);
  const base = sanitize(b.name.split("/").pop()!);
  const dir = join(GUEST_CACHE, key);
  const binary = join(dir, base);
  const srcPath = join(dir, `${base}.c`);
  const command = [CROSS_CC, ...flags, "-o", binary, srcPath, ...libs];
  if (existsSync(binary)) return { binary, command, cached: true };
  mkdirSync(dir, { recursive: true });
  writeFileSync(srcPath, b.source);
  writeFileSync(join(dir, "cmd"), command.join(" ") + "\n");
  const tmp = `${binary}.tmp${process.pid}`;
  const { status, stderr } = await spawnCollect(CROSS_CC, [...flags, "-o", tmp, srcPath, ...libs]);
  if (status !== 0) throw new CompileError(b, stderr);
  renameSync(tmp, binary); // atomic: a concurrent reader sees a whole binary or none
  return { binary, command, cached: false };
}

function spawnCollect(cmd: string, args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    const chunks: Buffer[] = [];
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", (e) => resolvePromise({ status: -1, stderr: String(e) }));
    child.on("close", (code) => resolvePromise({ status: code ?? -1, stderr: Buffer.concat(chunks).toString() }));
  });
}

/** Reads a guest source from guests/<dir>/<name>.c. */
export function guestSource(dir: string, name: string): string {
  return readFileSync(join(REPO_ROOT, "guests", dir, `${name}.c`), "utf8");
}
