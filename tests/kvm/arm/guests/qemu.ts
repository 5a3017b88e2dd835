/**
 * Runs a KVM/ARM acceptance guest under `qemu-system-arm -M virt -smp 2` — the oracle that proves the
 * guests: QEMU's virt board has a real GICv2 at 0x08000000/0x08010000, PSCI over HVC (no EL2/EL3),
 * secondary CPUs powered off until CPU_ON, the PL011 on stdout, and ends with status 0 on SYSTEM_OFF
 * (and, with -no-reboot, on SYSTEM_RESET).
 */
import { spawn, spawnSync } from "node:child_process";
import { parseGuestOutput, type BareMetalResult } from "../../../arch/arm/system/baremetal/result.js";

export const QEMU = "qemu-system-arm";

export function hasQemu(): boolean {
  return spawnSync(QEMU, ["--version"], { stdio: "ignore" }).status === 0;
}

export function qemuArgs(elf: string, smp: number): string[] {
  return ["-M", "virt", "-cpu", "cortex-a15", "-smp", String(smp), "-m", "256", "-nographic", "-no-reboot", "-nic", "none", "-kernel", elf];
}

export function runOnQemu(elf: string, smp = 2, timeoutMs = 30_000): Promise<BareMetalResult> {
  return new Promise((resolve) => {
    const child = spawn(QEMU, qemuArgs(elf, smp), { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve(parseGuestOutput("", `qemu did not start: ${String(e)}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const text = Buffer.concat(out).toString("latin1");
      const stderr = Buffer.concat(err).toString().trim();
      if (timedOut) resolve(parseGuestOutput(text, `qemu timed out after ${timeoutMs} ms`));
      else if (code !== 0) resolve(parseGuestOutput(text, `qemu exited with status ${code}${stderr ? `: ${stderr}` : ""}`));
      else resolve(parseGuestOutput(text, undefined));
    });
  });
}
