/**
 * Runs a KVM/ARM acceptance guest under `qemu-system-arm -M virt -smp 2` — the oracle that proves the
 * guests: QEMU's virt board has a real GICv2 at 0x08000000/0x08010000, PSCI over HVC (no EL2/EL3),
 * secondary CPUs powered off until CPU_ON, the PL011 on stdout, and ends with status 0 on SYSTEM_OFF
 * (and, with -no-reboot, on SYSTEM_RESET). The runner itself is the bare-metal suite's.
 */
import { runOnQemu as runMachine } from "../../../arch/arm/system/baremetal/qemu-runner.js";
import type { BareMetalResult } from "../../../arch/arm/system/baremetal/result.js";

export { QEMU, hasQemu } from "../../../arch/arm/system/baremetal/qemu-runner.js";

export function runOnQemu(elf: string, smp = 2, timeoutMs = 30_000): Promise<BareMetalResult> {
  return runMachine(elf, { smp }, timeoutMs);
}
