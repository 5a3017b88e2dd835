/**
 * SKELETON committed by K2 (KVM_RUN) only so that run.ts compiles against the agreed seam: K3 (PSCI/SMCCC)
 * owns this file and replaces it whole. Until then every HVC answers NOT_SUPPORTED and SMC does what
 * §8.1 says (r0 = 0xFFFFFFFF, PC already past the SMC).
 *
 * Seam: `handleHvc(v)` runs with the PC past the HVC and returns 0 (continue running) or
 * KVM_SYSTEM_EVENT_SHUTDOWN / KVM_SYSTEM_EVENT_RESET (the run loop exits with that system event);
 * it may call sleep.ts `requestVcpuBlock(v)` (CPU_SUSPEND) and `v.kick()` on a CPU_ON target.
 */
import type { ArmVcpu } from "./vcpu.js";

const PSCI_RET_NOT_SUPPORTED = -1;

export function handleHvc(v: ArmVcpu): number {
  const r = v.cpu.regs;
  r[0] = PSCI_RET_NOT_SUPPORTED;
  r[1] = r[2] = r[3] = 0;
  return 0;
}

export function handleSmc(v: ArmVcpu): void {
  v.cpu.regs[0] = -1;
}
