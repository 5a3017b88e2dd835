/**
 * A tiny VM for the KVM_RUN tests, set up only through the raw interface and the facade, the way a
 * VMM does: RAM at RAM_BASE from host.mmap, one slot, vCPUs initialised with the preferred target,
 * code assembled at test time with arm-linux-gnueabihf-as (tests/arch/arm/core/harness.ts) and
 * copied into RAM, PC/CPSR set through ONE_REG.
 *
 * ONE_REG ids and kvm_run offsets are typed in from reference kvm-arm32-abi.md §4.2 and §5.2, not
 * taken from src/abi, so the tests check the kernel against the reference.
 */
import { createHost } from "../../../../src/kvm/host.js";
import { Kvm, KvmError, type VcpuFd, type VmFd } from "../../../../src/facade/index.js";
import type { RawKvmHost } from "../../../../src/abi/syscalls.js";
import { assemble } from "../../../arch/arm/core/harness.js";

export const RAM_BASE = 0x4000_0000;
export const RAM_SIZE = 0x10_0000;
/** An address in no slot: every data access there is an MMIO exit. */
export const DEV_BASE = 0x0900_0000;

/** §5.2: core register id = 0x4020_0000_0010_0000 | word index in struct kvm_regs. */
export const coreReg = (word: number): bigint => 0x4020_0000_0010_0000n | BigInt(word);
export const REG_R = (n: number): bigint => coreReg(n);
export const REG_PC = coreReg(15);
export const REG_CPSR = coreReg(16);

/** §4.2: exit reasons and kvm_run offsets. */
export const EXIT = { UNKNOWN: 0, MMIO: 6, INTR: 10, SYSTEM_EVENT: 24 } as const;
export const RUN_OFF = {
  immediate_exit: 1, exit_reason: 8, mmio_phys_addr: 32, mmio_data: 40, mmio_len: 48, mmio_is_write: 52,
  system_event_type: 32, system_event_flags: 40, device_irq_level: 304,
} as const;
export const ERRNO = { EINTR: 4, ENOEXEC: 8, EFAULT: 14, EINVAL: 22, ENXIO: 6, ENODEV: 19 } as const;

/** CPSR of the reset state (§7): SVC, A/I/F masked, ARM, little-endian. */
export const RESET_CPSR = 0x1d3;

export interface TinyVm {
  host: RawKvmHost;
  kvm: Kvm;
  vm: VmFd;
  ram: Uint8Array;
  ramAddr: bigint;
  vcpus: VcpuFd[];
}

export interface TinyVmOptions {
  vcpus?: number;
  /** vCPUs created with KVM_ARM_VCPU_POWER_OFF (by index). */
  powerOff?: number[];
  /** Feature bit PSCI_0_2 (default on). */
  psci02?: boolean;
  /** Skip KVM_ARM_VCPU_INIT. */
  noInit?: boolean;
  /** Called after vCPU creation, before INIT (irqchip setup). */
  beforeInit?: (t: TinyVm) => void;
}

export function tinyVm(opts: TinyVmOptions = {}): TinyVm {
  const host = createHost({ cpus: 2 });
  const kvm = Kvm.open(host);
  const vm = kvm.createVm();
  const m = host.mmap(-1, RAM_SIZE);
  if (typeof m === "number") throw new Error(`mmap: ${m}`);
  vm.setUserMemoryRegion({ slot: 0, guest_phys_addr: RAM_BASE, memory_size: RAM_SIZE, userspace_addr: m.addr });
  const t: TinyVm = { host, kvm, vm, ram: m.bytes, ramAddr: m.addr, vcpus: [] };
  for (let i = 0; i < (opts.vcpus ?? 1); i++) t.vcpus.push(vm.createVcpu(i));
  opts.beforeInit?.(t);
  if (!opts.noInit) {
    const { target } = vm.armPreferredTarget();
    t.vcpus.forEach((c, i) => {
      // §4.1 feature bits: 0 POWER_OFF, 1 PSCI_0_2 (raw word 0)
      let word = opts.psci02 === false ? 0 : 2;
      if (opts.powerOff?.includes(i)) word |= 1;
      c.armVcpuInit({ target, features: [word], rawFeatureWords: true });
    });
  }
  return t;
}

/** Assemble `source` and place it at `RAM_BASE + offset`; returns its guest address. */
export function load(t: TinyVm, source: string, opts: { thumb?: boolean; offset?: number } = {}): number {
  const code = assemble(source, opts.thumb ?? false);
  const off = opts.offset ?? 0;
  t.ram.set(code, off);
  return RAM_BASE + off;
}

/** Point vCPU `i` at `entry` (Thumb if `thumb`), CPSR = reset value (+T, +E as asked). */
export function start(t: TinyVm, entry: number, opts: { thumb?: boolean; bigEndian?: boolean; vcpu?: number } = {}): VcpuFd {
  const c = t.vcpus[opts.vcpu ?? 0]!;
  c.setOneReg(REG_CPSR, RESET_CPSR | (opts.thumb ? 0x20 : 0) | (opts.bigEndian ? 0x200 : 0));
  c.setOneReg(REG_PC, entry);
  return c;
}

/** KVM_RUN through the raw interface: 0 or a negative errno (no exception). */
export function runRaw(t: TinyVm, c: VcpuFd): number {
  c.getRun(); // mapped before the first entry, as a VMM does
  return t.host.ioctl(c.fd, 0x0000ae80, 0n);
}

/** KVM_RUN until something other than the slice's end (-EINTR/KVM_EXIT_INTR) comes back, within `ms`. */
export function runUntilExit(t: TinyVm, c: VcpuFd, ms = 2000): number {
  const end = performance.now() + ms;
  for (;;) {
    const r = runRaw(t, c);
    if (r !== -ERRNO.EINTR || c.getRun().exit_reason !== EXIT.INTR) return r;
    if (performance.now() > end) throw new Error("guest did not exit in time");
  }
}

export const reg = (c: VcpuFd, id: bigint): number => Number(c.getOneReg(id));

/** The kvm_run page as a DataView (reference offsets). */
export function runView(c: VcpuFd): DataView {
  const b = c.getRun().bytes;
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export { KvmError };
