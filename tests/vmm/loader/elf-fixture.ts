// Builds small ARM ELF images with Debian's cross binutils (arm-linux-gnueabihf-as / -ld).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

/** Assembles `source` and links it with `script`; returns the ELF bytes. */
export function buildElf(source: string, script: string, extraAsFlags: string[] = []): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-elf-"));
  try {
    writeFileSync(join(dir, "t.S"), source);
    writeFileSync(join(dir, "t.ld"), script);
    execFileSync("arm-linux-gnueabihf-as", [...extraAsFlags, "-o", join(dir, "t.o"), join(dir, "t.S")]);
    execFileSync("arm-linux-gnueabihf-ld", ["-T", join(dir, "t.ld"), "-o", join(dir, "t.elf"), join(dir, "t.o")]);
    return new Uint8Array(readFileSync(join(dir, "t.elf")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
