/**
 * Runs a bare-metal guest under `qemu-system-arm -M virt` (the oracle that proves the guests
 * themselves): QEMU loads a bare ELF at its link address and starts it at the entry point in SVC
 * mode with the MMU off; without EL2/EL3 its built-in PSCI uses the HVC conduit, so the guest's
 * `hvc #0` SYSTEM_OFF ends QEMU with status 0. Console: the PL011 on stdout (-nographic).
 */
import { spawn, spawnSync } from "node:child_process";
import { parseGuestOutput, type BareMetalResult } from "./result.js";

export const QEMU = "qemu-system-arm";

export function hasQemu(): boolean {
  return spawnSync(QEMU, ["--version"], { stdio: "ignore" }).status === 0;
}

export interface QemuMachine {
  readonly cpu?: "cortex-a15" | "cortex-a7";
  /** vCPUs; secondaries stay powered off until PSCI CPU_ON. */
  readonly smp?: number;
}

export function qemuArgs(elf: string, machine: QemuMachine = {}): string[] {
  const { cpu = "cortex-a15", smp = 1 } = machine;
  return ["-M", "virt", "-cpu", cpu, "-smp", String(smp), "-m", "256", "-nographic", "-no-reboot", "-nic", "none", "-kernel", elf];
}

export function runOnQemu(elf: string, machine: QemuMachine = {}, timeoutMs = 30_000): Promise<BareMetalResult> {
  return new Promise((resolve) => {
    const child = spawn(QEMU, qemuArgs(elf, machine), { stdio: ["ignore", "pipe", "pipe"] });
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
