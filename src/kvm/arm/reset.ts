/**
 * vCPU reset (arch/arm/kvm/reset.c kvm_reset_vcpu and the PSCI CPU_ON reset of virt/kvm/arm/psci.c),
 * reference kvm-arm32-abi.md §7 and §6.3:
 *
 * - struct kvm_regs zeroed, then CPSR = 0x1D3 (SVC, A/I/F masked, ARM, little-endian);
 * - CP15 to the §6.3 reset values, with MPIDR from the vCPU id and ACTLR.SMP / L2CTLR's core count
 *   from the number of vCPUs the VM has *now* (§3.2: create every vCPU before INIT);
 * - both timers' CTL zeroed (CVALs and CNTVOFF kept);
 * - VFP/NEON and FPEXC untouched.
 *
 * The INIT path also clears the virtual IRQ/FIQ/abort lines (ArmVcpu.reset); a CPU_ON reset does not,
 * and then applies the entry point, Thumb bit, caller's endianness and context id (§8.3).
 */
import { KVM_ARM_RESET_CPSR, PSR_E_BIT, PSR_T_BIT } from "../../abi/structs/arm.js";
import type { ArmVcpu, PendingReset } from "./vcpu.js";

/** kvm_reset_vcpu: the architectural part of §7 on the vCPU's core. */
export function resetVcpu(v: ArmVcpu): void {
  const cpu = v.cpu;
  cpu.vcpuId = v.vcpu.id;
  cpu.vcpuCount = v.vm.vcpus.length;
  cpu.reset(); // kvm_regs 0, CPSR 0x1D3, CP15 reset values (table.ts), timer CTLs 0
  cpu.timer.cntvoff = v.vm.counterOffset;
}

/**
 * The reset a PSCI CPU_ON requested (§8.3), applied by the run loop before the target executes:
 * §7's reset, then PC = entry & ~1 with CPSR.T from entry bit 0, CPSR.E = the caller's endianness,
 * r0 = context id. Virtual interrupt lines are kept.
 */
export function applyCpuOnReset(v: ArmVcpu, r: PendingReset): void {
  resetVcpu(v);
  const cpu = v.cpu;
  let cpsr = KVM_ARM_RESET_CPSR;
  if (r.thumb) cpsr |= PSR_T_BIT;
  if (r.bigEndian) cpsr |= PSR_E_BIT;
  cpu.cpsr = cpsr;
  cpu.regs[15] = r.pc & ~1;
  cpu.regs[0] = r.r0 | 0;
}
