/**
 * Builds a KVM/ARM acceptance guest (guests/kvm/<name>.c, its optional <name>-ops.S, and the runtime
 * in guests/kvm/common/) into an ELF linked at 0x40000000 with Debian's ARM cross compiler, cached by
 * the SHA-256 of (compiler, flags, every input), as the bare-metal guests are.
 *
 * Flags: freestanding ARMv7-A with the Virtualization Extensions (`-march=armv7ve`: HVC for PSCI),
 * soft-float calling convention so C code never touches VFP (the mmio guest enables it itself for its
 * VLDR/VSTR routines), `-marm` or `-mthumb` for the C code; the assembly states its own instruction set.
 */
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CROSS_CC, GUEST_CACHE, REPO_ROOT, crossCompilerVersion } from "../../../arch/arm/differential/cross-toolchain.js";
import { CONSOLE_DIR, CONSOLE_FILES, guestFlags, type GuestIsa } from "../../../arch/arm/system/baremetal/guest-build.js";

export { guestFlags, type GuestIsa };

export const KVM_GUEST_DIR = join(REPO_ROOT, "guests", "kvm");
const COMMON = join(KVM_GUEST_DIR, "common");

/** Every guests/kvm/*.c. */
export function listKvmGuests(): string[] {
  return readdirSync(KVM_GUEST_DIR).filter((f) => f.endsWith(".c")).map((f) => f.slice(0, -2)).sort();
}

/** The instruction sets a guest's `Variants:` header line names (default arm). */
export function guestVariants(name: string): GuestIsa[] {
  const m = /Variants:\s*([a-z ]+)/.exec(readFileSync(join(KVM_GUEST_DIR, `${name}.c`), "utf8"));
  return m ? (m[1]!.trim().split(/\s+/) as GuestIsa[]) : ["arm"];
}

export async function buildKvmGuest(name: string, isa: GuestIsa = "arm"): Promise<string> {
  const version = crossCompilerVersion();
  if (!version) throw new Error(`${CROSS_CC} is not installed (run scripts/setup.sh)`);
  const common = readdirSync(COMMON).filter((f) => /\.(c|S|h|ld)$/.test(f)).sort().map((f) => join(COMMON, f));
  const own = [`${name}.c`, `${name}-ops.S`].map((f) => join(KVM_GUEST_DIR, f)).filter((f) => existsSync(f));
  const sources = [...common.filter((f) => /\.(c|S)$/.test(f)), CONSOLE_FILES[1]!, ...own];
  const flags = [...guestFlags(isa), `-I${COMMON}`, `-I${CONSOLE_DIR}`, "-T", join(COMMON, "kvm-guest.ld")];
  const hash = createHash("sha256").update(version).update("\0").update(JSON.stringify(flags));
  for (const f of [...common, ...CONSOLE_FILES, ...own]) hash.update("\0").update(f.slice(REPO_ROOT.length)).update("\0").update(readFileSync(f));
  const dir = join(GUEST_CACHE, "kvm", hash.digest("hex").slice(0, 24));
  const elf = join(dir, `${name}-${isa}.elf`);
  if (existsSync(elf)) return elf;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cmd"), [CROSS_CC, ...flags, "-o", elf, ...sources].join(" ") + "\n");
  const tmp = `${elf}.tmp${process.pid}`;
  const { status, stderr } = await run(CROSS_CC, [...flags, "-o", tmp, ...sources]);
  if (status !== 0) throw new Error(`building KVM guest ${name} (${isa}) failed:\n${stderr}`);
  renameSync(tmp, elf);
  return elf;
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
