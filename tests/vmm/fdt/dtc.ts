// Runs dtc (device-tree-compiler, installed by scripts/setup.sh) as the reference DTB reader.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

/** `dtc -I dtb -O dts` on `blob`: the source it prints and everything it wrote to stderr. */
export function dtcDecompile(blob: Uint8Array): { dts: string; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-fdt-"));
  try {
    const file = join(dir, "t.dtb");
    writeFileSync(file, blob);
    const r = spawnSync("dtc", ["-I", "dtb", "-O", "dts", file], { encoding: "utf8" });
    if (r.error) throw r.error;
    return { dts: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `dtc -I dts -O dtb` of `source`: the blob and everything dtc wrote to stderr (warnings). */
export function dtcCompile(source: string): { dtb: Uint8Array; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-fdt-"));
  try {
    const file = join(dir, "t.dts");
    writeFileSync(file, source);
    const r = spawnSync("dtc", ["-I", "dts", "-O", "dtb", file], { encoding: "buffer" });
    if (r.error) throw r.error;
    return { dtb: new Uint8Array(r.stdout), stderr: r.stderr.toString(), status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether dtc is installed (scripts/setup.sh installs device-tree-compiler). */
export function hasDtc(): boolean {
  return !spawnSync("dtc", ["--version"]).error;
}
