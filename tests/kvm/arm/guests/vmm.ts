/**
 * A minimal VMM over the public KVM API (the facade on any RawKvmHost), laid out like QEMU's `virt`
 * board, to run the KVM/ARM acceptance guests (guests/kvm/) as a real VMM would:
 *   open /dev/kvm, KVM_CREATE_VM, mmap guest RAM and KVM_SET_USER_MEMORY_REGION at 0x40000000, load
 *   the ELF's PT_LOAD segments into it, create the in-kernel GICv2 (KVM_CREATE_IRQCHIP +
 *   KVM_ARM_SET_DEVICE_ADDR, or KVM_CREATE_DEVICE(VGIC_V2) + KVM_DEV_ARM_VGIC_GRP_ADDR) with the
 *   distributor at 0x08000000 and CPU interface at 0x08010000, create the vCPUs (secondaries with
 *   KVM_ARM_VCPU_POWER_OFF), KVM_ARM_PREFERRED_TARGET + KVM_ARM_VCPU_INIT with PSCI_0_2, and set the
 *   boot vCPU's registers through ONE_REG as QEMU's -kernel does for a bare ELF (verified under QEMU
 *   7.2: PC = entry, r0..r3 = 0, CPSR = 0x1d3, i.e. the reset state); then KVM_RUN round-robin.
 * Exits: KVM_EXIT_MMIO to the PL011 (UARTDR writes go to the console, UARTFR reads 0 = TX FIFO not
 * full) or to TESTDEV (the last 4 KiB page of QEMU's 256 MiB RAM; here left out of every slot and
 * served as RAM-like scratch bytes with an access log); KVM_EXIT_INTR (-EINTR: the slice ended, go
 * on); KVM_EXIT_SYSTEM_EVENT ends the run. Anything else ends it with a message naming what happened.
 */
import { Kvm, KvmError, type VcpuFd, type VmFd } from "../../../../src/facade/index.js";
import type { RawKvmHost } from "../../../../src/abi/syscalls.js";
import { EINTR } from "../../../../src/abi/errno.js";
import { KVM_MP_STATE_STOPPED, KVM_EXIT_INTR, KVM_EXIT_MMIO, KVM_EXIT_SYSTEM_EVENT, KVM_SYSTEM_EVENT_RESET, KVM_SYSTEM_EVENT_SHUTDOWN } from "../../../../src/abi/exits.js";
import { armCoreReg } from "../../../../src/abi/one-reg-arm.js";
import { KVM_ARM_VCPU_POWER_OFF, KVM_ARM_VCPU_PSCI_0_2 } from "../../../../src/abi/structs/vcpu.js";
import { armDeviceAddrId, KVM_ARM_DEVICE_VGIC_V2, KVM_VGIC_V2_ADDR_TYPE_CPU, KVM_VGIC_V2_ADDR_TYPE_DIST } from "../../../../src/abi/structs/irq.js";
import { KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_DEV_TYPE_ARM_VGIC_V2 } from "../../../../src/abi/structs/device.js";
import { parseGuestOutput, type BareMetalResult } from "../../../arch/arm/system/baremetal/result.js";

export const RAM_BASE = 0x4000_0000;
/** Guest RAM in the slot: the guests use < 4 MiB (image, stacks at 0x40100000, shared data 0x40300000). */
export const RAM_SIZE = 16 << 20;
export const GICD_BASE = 0x0800_0000;
export const GICC_BASE = 0x0801_0000;
export const UART_BASE = 0x0900_0000;
export const UART_DR = 0x00;
export const UART_FR = 0x18;
export const TESTDEV_BASE = 0x4fff_f000;
export const TESTDEV_SIZE = 0x1000;
/** Offset in TESTDEV where the mmio guest writes a group number before each group of accesses. */
export const TESTDEV_MARK = 0xffc;

export interface MmioAccess {
  readonly vcpu: number;
  readonly offset: number;
  readonly len: number;
  readonly isWrite: boolean;
  /** The bytes in memory order (written, or returned for a read). */
  readonly data: readonly number[];
}

export interface VmmOptions {
  /** vCPUs to create (default 2, as QEMU -smp 2); vCPU 0 boots, the others start powered off. */
  readonly vcpus?: number;
  /** How the GIC is created: the legacy KVM_CREATE_IRQCHIP API or KVM_CREATE_DEVICE (default). */
  readonly irqchip?: "legacy" | "device";
  /** Wall-clock budget for the whole run (default 60 s), checked between KVM_RUN calls. */
  readonly budgetMs?: number;
}

export interface VmmRun extends BareMetalResult {
  /** "shutdown" / "reset" for KVM_EXIT_SYSTEM_EVENT, undefined if the run ended otherwise. */
  readonly systemEvent: "shutdown" | "reset" | undefined;
  readonly testdevLog: readonly MmioAccess[];
  /** Exits seen, by kind. */
  readonly exits: Readonly<Record<string, number>>;
}

/** PT_LOAD segments of an ELF32 little-endian ARM executable, copied into RAM; returns the entry. */
export function loadElf(ram: Uint8Array, ramBase: number, image: Uint8Array): number {
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (image.length < 52 || v.getUint32(0, false) !== 0x7f454c46 || image[4] !== 1 || image[5] !== 1 || v.getUint16(18, true) !== 40) {
    throw new Error("not an ELF32 little-endian ARM executable");
  }
  const phoff = v.getUint32(28, true), phentsize = v.getUint16(42, true), phnum = v.getUint16(44, true);
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (v.getUint32(p, true) !== 1) continue; // PT_LOAD
    const offset = v.getUint32(p + 4, true), paddr = v.getUint32(p + 12, true);
    const filesz = v.getUint32(p + 16, true), memsz = v.getUint32(p + 20, true);
    const at = paddr - ramBase;
    if (at < 0 || at + memsz > ram.length) throw new Error(`PT_LOAD at 0x${paddr.toString(16)} (+0x${memsz.toString(16)}) is outside RAM`);
    ram.set(image.subarray(offset, offset + filesz), at);
    ram.fill(0, at + filesz, at + memsz);
  }
  return v.getUint32(24, true);
}

/** Creates the in-kernel GICv2 at QEMU virt's addresses, through either API. */
export function createGic(vm: VmFd, api: "legacy" | "device"): void {
  if (api === "legacy") {
    vm.createIrqchip();
    vm.armSetDeviceAddr(armDeviceAddrId(KVM_ARM_DEVICE_VGIC_V2, KVM_VGIC_V2_ADDR_TYPE_DIST), GICD_BASE);
    vm.armSetDeviceAddr(armDeviceAddrId(KVM_ARM_DEVICE_VGIC_V2, KVM_VGIC_V2_ADDR_TYPE_CPU), GICC_BASE);
  } else {
    const gic = vm.createDevice(KVM_DEV_TYPE_ARM_VGIC_V2);
    gic.setDeviceAttr({ group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_V2_ADDR_TYPE_DIST, value: GICD_BASE, size: 8 });
    gic.setDeviceAttr({ group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_V2_ADDR_TYPE_CPU, value: GICC_BASE, size: 8 });
  }
}

class Stop extends Error {}

/** Runs a guest ELF on `host` through the public API; never throws for what the kernel does. */
export function runGuest(host: RawKvmHost, elf: Uint8Array, options: VmmOptions = {}): VmmRun {
  const nVcpus = options.vcpus ?? 2;
  const deadline = Date.now() + (options.budgetMs ?? 60_000);
  let console = "";
  const log: MmioAccess[] = [];
  const exits: Record<string, number> = {};
  const testdev = new Uint8Array(TESTDEV_SIZE);
  let systemEvent: "shutdown" | "reset" | undefined;
  let abnormal: string | undefined;
  const count = (k: string): void => { exits[k] = (exits[k] ?? 0) + 1; };

  const step = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      abnormal = e instanceof KvmError ? `${what}: ${e.message}` : `${what}: ${String(e)}`;
      throw new Stop();
    }
  };

  try {
    const kvm = step("open /dev/kvm", () => Kvm.open(host));
    const vm = step("KVM_CREATE_VM", () => kvm.createVm());
    const mem = host.mmap(-1, RAM_SIZE);
    if (typeof mem === "number") step("mmap guest RAM", () => { throw new KvmError(-mem, "mmap"); });
    const ram = mem as { addr: bigint; bytes: Uint8Array };
    const entry = step("load ELF", () => loadElf(ram.bytes, RAM_BASE, elf));
    step("KVM_SET_USER_MEMORY_REGION", () => vm.setUserMemoryRegion({ slot: 0, guest_phys_addr: RAM_BASE, memory_size: RAM_SIZE, userspace_addr: ram.addr }));
    const vcpus: VcpuFd[] = [];
    for (let i = 0; i < nVcpus; i++) vcpus.push(step(`KVM_CREATE_VCPU ${i}`, () => vm.createVcpu(i)));
    step("create the GIC", () => createGic(vm, options.irqchip ?? "device"));
    const { target } = step("KVM_ARM_PREFERRED_TARGET", () => vm.armPreferredTarget());
    vcpus.forEach((v, i) => step(`KVM_ARM_VCPU_INIT ${i}`, () =>
      v.armVcpuInit({ target, features: i === 0 ? [KVM_ARM_VCPU_PSCI_0_2] : [KVM_ARM_VCPU_PSCI_0_2, KVM_ARM_VCPU_POWER_OFF] })));
    step("ONE_REG boot registers", () => {
      vcpus[0]!.setOneReg(armCoreReg(15), entry);
      for (const r of [0, 1, 2]) vcpus[0]!.setOneReg(armCoreReg(r), 0);
    });

    const handleMmio = (i: number, v: VcpuFd): void => {
      const run = v.getRun();
      const addr = Number(run.mmio_phys_addr), len = run.mmio_len, isWrite = run.mmio_is_write;
      const data = run.mmio_data;
      if (addr >= UART_BASE && addr < UART_BASE + 0x1000) {
        count("mmio-uart");
        const off = addr - UART_BASE;
        if (isWrite) { if (off === UART_DR) console += String.fromCharCode(data[0]!); }
        else data.fill(0, 0, len); // UARTFR = 0: TX FIFO not full; other registers read 0
        return;
      }
      if (addr >= TESTDEV_BASE && addr + len <= TESTDEV_BASE + TESTDEV_SIZE && len >= 1 && len <= 8) {
        count("mmio-testdev");
        const off = addr - TESTDEV_BASE;
        if (isWrite) testdev.set(data.subarray(0, len), off);
        else data.set(testdev.subarray(off, off + len), 0);
        log.push({ vcpu: i, offset: off, len, isWrite, data: Array.from(data.subarray(0, len)) });
        return;
      }
      abnormal = `vCPU ${i}: KVM_EXIT_MMIO ${isWrite ? "write" : "read"} of ${len} bytes at 0x${addr.toString(16)} (no device there)`;
      throw new Stop();
    };

    for (;;) {
      for (let i = 0; i < vcpus.length; i++) {
        if (Date.now() > deadline) {
          abnormal = `timed out after ${options.budgetMs ?? 60_000} ms`;
          throw new Stop();
        }
        const v = vcpus[i]!;
        // A powered-off vCPU would only sleep out its slice in KVM_RUN: skip it while another can run
        // (PSCI CPU_ON makes it RUNNABLE). If every vCPU is off, run it anyway so a hang shows as a timeout.
        if (vcpus.length > 1 && step(`KVM_GET_MP_STATE ${i}`, () => v.getMpState()) === KVM_MP_STATE_STOPPED &&
            vcpus.some((o) => o.getMpState() !== KVM_MP_STATE_STOPPED)) continue;
        let reason: number;
        try {
          reason = v.run();
        } catch (e) {
          if (e instanceof KvmError && e.errno === EINTR) {
            count("intr");
            const r = v.getRun().exit_reason;
            if (r !== KVM_EXIT_INTR) { abnormal = `vCPU ${i}: KVM_RUN -EINTR with exit_reason ${r}, not KVM_EXIT_INTR`; throw new Stop(); }
            continue;
          }
          abnormal = `vCPU ${i}: KVM_RUN failed: ${e instanceof Error ? e.message : String(e)}`;
          throw new Stop();
        }
        if (reason === KVM_EXIT_MMIO) handleMmio(i, v);
        else if (reason === KVM_EXIT_SYSTEM_EVENT) {
          const type = v.getRun().system_event_type;
          count("system-event");
          if (type === KVM_SYSTEM_EVENT_SHUTDOWN) systemEvent = "shutdown";
          else if (type === KVM_SYSTEM_EVENT_RESET) systemEvent = "reset";
          else abnormal = `vCPU ${i}: KVM_EXIT_SYSTEM_EVENT of unknown type ${type}`;
          throw new Stop();
        } else {
          abnormal = `vCPU ${i}: unexpected exit_reason ${reason}`;
          throw new Stop();
        }
      }
    }
  } catch (e) {
    if (!(e instanceof Stop)) abnormal = `harness error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
  }
  return { ...parseGuestOutput(console, abnormal), systemEvent, testdevLog: log, exits };
}
