/**
 * Builds a bare-metal guest (guests/baremetal/<name>.c plus the common runtime in
 * guests/baremetal/common/) into an ELF linked at 0x40000000, with Debian's ARM cross compiler,
 * cached by the SHA-256 of (compiler, flags, every input file) like the user-mode guests.
 *
 * Flags: freestanding, no libc, ARMv7-A with the Virtualization Extensions (`-march=armv7ve`: HVC,
 * LPAE's MCRR/MRRC registers, SDIV/UDIV), soft-float calling convention so the compiler never emits
 * VFP/NEON (the guests do not enable CP10/CP11); `-marm` or `-mthumb` for the C code (the runtime's
 * assembly states its own instruction set).
 */
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CROSS_CC, GUEST_CACHE, REPO_ROOT, crossCompilerVersion } from "../../differential/cross-toolchain.js";

export const GUEST_DIR = join(REPO_ROOT, "guests", "baremetal");
export const COMMON_DIR = join(GUEST_DIR, "common");
/** The console and checks every test guest shares (bare-metal and KVM/ARM guests). */
export const CONSOLE_DIR = join(REPO_ROOT, "guests", "common");
export const CONSOLE_FILES: readonly string[] = [join(CONSOLE_DIR, "console.h"), join(CONSOLE_DIR, "console.c")];
export type GuestIsa = "arm" | "thumb";

export function guestFlags(isa: GuestIsa): string[] {
  return [
    "-ffreestanding", "-nostdlib", "-nostartfiles", "-march=armv7ve", "-mfloat-abi=soft", `-m${isa}`,
    "-O2", "-g", "-Wall", "-Wextra", "-Werror",
    "-Wl,--build-id=none,--no-warn-rwx-segments,-z,noexecstack",
  ];
}

/** The guests: every guests/baremetal/*.c. */
export function listGuests(): string[] {
  return readdirSync(GUEST_DIR).filter((f) => f.endsWith(".c")).map((f) => f.slice(0, -2)).sort();
}

/** Every variant to build: a guest's `Variants:` header line lists its instruction sets (default arm). */
export function listGuestVariants(): { name: string; isa: GuestIsa; id: string }[] {
  return listGuests().flatMap((name) => {
    const m = /Variants:\s*([a-z ]+)/.exec(readFileSync(join(GUEST_DIR, `${name}.c`), "utf8"));
    const isas = m ? (m[1]!.trim().split(/\s+/) as GuestIsa[]) : (["arm"] as GuestIsa[]);
    return isas.map((isa) => ({ name, isa, id: `${name}-${isa}` }));
  });
}

export interface BuiltBareMetal {
  readonly elf: string;
  readonly command: readonly string[];
}

export async function buildBareMetal(name: string, isa: GuestIsa = "arm"): Promise<BuiltBareMetal> {
  const version = crossCompilerVersion();
  if (!version) throw new Error(`${CROSS_CC} is not installed (run scripts/setup.sh)`);
  const common = readdirSync(COMMON_DIR).filter((f) => /\.(c|S|h|ld)$/.test(f)).sort();
  const sources = [...common.filter((f) => /\.(c|S)$/.test(f)).map((f) => join(COMMON_DIR, f)), CONSOLE_FILES[1]!, join(GUEST_DIR, `${name}.c`)];
  const flags = [...guestFlags(isa), `-I${COMMON_DIR}`, `-I${CONSOLE_DIR}`, "-T", join(COMMON_DIR, "baremetal.ld")];
  const hash = createHash("sha256").update(version).update("\0").update(JSON.stringify(flags));
  for (const f of [...common.map((c) => join(COMMON_DIR, c)), ...CONSOLE_FILES, join(GUEST_DIR, `${name}.c`)]) {
    hash.update("\0").update(f.slice(REPO_ROOT.length)).update("\0").update(readFileSync(f));
  }
  const dir = join(GUEST_CACHE, "baremetal", hash.digest("hex").slice(0, 24));
  const elf = join(dir, `${name}-${isa}.elf`);
  const command = [CROSS_CC, ...flags, "-o", elf, ...sources];
  if (existsSync(elf)) return { elf, command };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cmd"), command.join(" ") + "\n");
  const tmp = `${elf}.tmp${process.pid}`;
  const { status, stderr } = await run(CROSS_CC, [...flags, "-o", tmp, ...sources]);
  if (status !== 0) throw new Error(`building bare-metal guest ${name} (${isa}) failed:\n${stderr}`);
  renameSync(tmp, elf);
  return { elf, command };
}

function run(cmd: string, args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    const chunks: Buffer[] = [];
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", (e) => resolve({ status: -1, stderr: String(e) }));
    child.on("close", (code) => resolve({ status: code ?? -1, stderr: Buffer.concat(chunks).toString() }));
  });
}
