/**
 * PSCI test fixtures: a VM built through the raw interface (tiny-vm.ts), plus the kernel's ArmVcpu
 * objects so a test can drive handleHvc/handleSmc directly, the way the run loop does after STOP_HVC.
 *
 * Function ids, return codes and register ids are typed in from reference kvm-arm32-abi.md §5.7 and
 * §8, not imported from src/, so the tests check the kernel against the reference.
 */
import type { EmulatedKvmHost } from "../../../../src/kvm/host.js";
import type { ArmVcpu } from "../../../../src/kvm/arm/vcpu.js";
import { handleHvc } from "../../../../src/kvm/arm/psci.js";
import { VcpuFile } from "../../../../src/kvm/vcpu.js";
import { tinyVm, type TinyVm, type TinyVmOptions } from "../run/tiny-vm.js";

/** §8.1 / §8.2 function ids. */
export const FN = {
  SMCCC_VERSION: 0x80000000,
  SMCCC_ARCH_FEATURES: 0x80000001,
  ARCH_WORKAROUND_1: 0x80008000,
  ARCH_WORKAROUND_2: 0x80007fff,
  // PSCI 0.1 (KVM_PSCI_FN_BASE 0x95C1BA5E)
  V01_CPU_SUSPEND: 0x95c1ba5e,
  V01_CPU_OFF: 0x95c1ba5f,
  V01_CPU_ON: 0x95c1ba60,
  V01_MIGRATE: 0x95c1ba61,
  // PSCI 0.2 / 1.0
  PSCI_VERSION: 0x84000000,
  CPU_SUSPEND: 0x84000001,
  CPU_OFF: 0x84000002,
  CPU_ON: 0x84000003,
  AFFINITY_INFO: 0x84000004,
  MIGRATE: 0x84000005,
  MIGRATE_INFO_TYPE: 0x84000006,
  MIGRATE_INFO_UP_CPU: 0x84000007,
  SYSTEM_OFF: 0x84000008,
  SYSTEM_RESET: 0x84000009,
  PSCI_FEATURES: 0x8400000a,
  CPU_SUSPEND64: 0xc4000001,
  CPU_ON64: 0xc4000003,
  AFFINITY_INFO64: 0xc4000004,
} as const;

/** §8.2 return codes as the 32-bit register values the guest sees. */
export const RET = {
  SUCCESS: 0,
  NOT_SUPPORTED: 0xffffffff,
  INVALID_PARAMS: 0xfffffffe,
  NOT_REQUIRED: 0xfffffffe, // SMCCC −2
  ALREADY_ON: 0xfffffffc,
  INTERNAL_FAILURE: 0xfffffffa,
} as const;

/** §5.7: KVM_REG_ARM_FW_REG(r) = 0x4030000000140000 | r. */
export const FW_REG = (r: number): bigint => 0x4030_0000_0014_0000n | BigInt(r);
export const REG_PSCI_VERSION = FW_REG(0);

/** §4.6 mp_state values. */
export const MP_STATE = { RUNNABLE: 0, STOPPED: 5 } as const;

/** §4.1 targets. */
export const TARGET = { A15: 0, A7: 1 } as const;

/** The kernel's ArmVcpu behind vCPU fd number `i` of the tiny VM. */
export function archVcpu(t: TinyVm, i: number): ArmVcpu {
  const host = t.host as EmulatedKvmHost;
  return (host.kernel.fds.get(t.vcpus[i]!.fd) as VcpuFile).vcpu.arch as ArmVcpu;
}

/** A tiny VM and its ArmVcpus; `ids` chooses the vCPU ids (default 0..n-1). */
export function psciVm(opts: TinyVmOptions & { ids?: number[]; targets?: number[] } = {}): { t: TinyVm; v: ArmVcpu[] } {
  const n = opts.ids?.length ?? opts.vcpus ?? 1;
  const t = tinyVm({ vcpus: 0, noInit: true });
  for (let i = 0; i < n; i++) t.vcpus.push(t.vm.createVcpu(opts.ids?.[i] ?? i));
  opts.beforeInit?.(t);
  if (!opts.noInit) {
    t.vcpus.forEach((c, i) => {
      let word = opts.psci02 === false ? 0 : 2; // feature bits: 0 POWER_OFF, 1 PSCI_0_2
      if (opts.powerOff?.includes(i)) word |= 1;
      c.armVcpuInit({ target: opts.targets?.[i] ?? TARGET.A15, features: [word], rawFeatureWords: true });
    });
  }
  return { t, v: t.vcpus.map((_, i) => archVcpu(t, i)) };
}

export interface HvcResult {
  /** handleHvc's return: 0 run on, or the system event type. */
  ret: number;
  /** r0..r3 after the call, unsigned. */
  r: number[];
}

/** An HVC #imm with r0..r3 = `args` (missing ones keep `fill`), as the run loop hands it over. */
export function hvc(v: ArmVcpu, args: number[], opts: { imm?: number; fill?: number } = {}): HvcResult {
  const regs = v.cpu.regs;
  for (let i = 0; i < 4; i++) regs[i] = (args[i] ?? opts.fill ?? 0x5a5a5a5a) | 0;
  v.cpu.stopInfo.imm = opts.imm ?? 0;
  const ret = handleHvc(v);
  return { ret, r: [0, 1, 2, 3].map((i) => regs[i]! >>> 0) };
}
