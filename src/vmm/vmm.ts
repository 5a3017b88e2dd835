/**
 * The VMM: one ARM virtual machine driven through the public KVM API only (src/facade/ over any
 * RawKvmHost), the way kvmtool drives /dev/kvm:
 *   KVM_CREATE_VM; mmap guest RAM and KVM_SET_USER_MEMORY_REGION at the board's RAM base; every vCPU
 *   created first (KVM_CREATE_VCPU), then the in-kernel GICv2 (KVM_CREATE_DEVICE(VGIC_V2) +
 *   KVM_DEV_ARM_VGIC_GRP_ADDR, or KVM_CREATE_IRQCHIP + KVM_ARM_SET_DEVICE_ADDR), KVM_ARM_VCPU_INIT
 *   per vCPU with its own target (Cortex-A15 / Cortex-A7 mixes) and PSCI_0_2, secondaries with
 *   POWER_OFF (they come up through PSCI CPU_ON); the boot images placed in RAM by the caller's
 *   `boot` step; the boot vCPU's registers set through ONE_REG as QEMU's -kernel does on `virt`
 *   (PC = entry, r0 = 0, r1 = 0xFFFFFFFF — "no machine type, use the DTB" — r2 = DTB address, CPSR
 *   = SVC with A, I, F masked, the reset state).
 * Then round-robin KVM_RUN over the vCPUs (see run()):
 *   KVM_EXIT_MMIO          → the MMIO bus (mmio-bus.ts) and back into the guest;
 *   -EINTR/KVM_EXIT_INTR   → the slice ended (or the vCPU waits): next vCPU; the Node event loop gets
 *                            a turn every few milliseconds so host input and timers reach devices;
 *   KVM_EXIT_SYSTEM_EVENT  → SHUTDOWN ends the run; RESET re-INITs every vCPU and reloads the images
 *                            (or ends the run with `noReboot`).
 * Idle guests cost no host CPU: when every vCPU waits (WFI), KVM_RUN sleeps inside the kernel
 * (Atomics.wait) until a timer deadline, an interrupt or the end of its slice.
 */
import { Kvm, KvmError, type VcpuFd, type VmFd } from "../facade/index.js";
import type { RawKvmHost } from "../abi/syscalls.js";
import { EINTR } from "../abi/errno.js";
import {
  KVM_EXIT_INTR, KVM_EXIT_MMIO, KVM_EXIT_SYSTEM_EVENT, KVM_MP_STATE_STOPPED,
  KVM_SYSTEM_EVENT_CRASH, KVM_SYSTEM_EVENT_RESET, KVM_SYSTEM_EVENT_SHUTDOWN,
} from "../abi/exits.js";
import { ARM_CORE_INDEX, armCoreReg } from "../abi/one-reg-arm.js";
import {
  KVM_ARM_TARGET_CORTEX_A15, KVM_ARM_TARGET_CORTEX_A7, KVM_ARM_VCPU_POWER_OFF, KVM_ARM_VCPU_PSCI_0_2,
} from "../abi/structs/vcpu.js";
import {
  armDeviceAddrId, armIrqEncode, KVM_ARM_DEVICE_VGIC_V2, KVM_ARM_IRQ_TYPE_SPI, KVM_VGIC_V2_ADDR_TYPE_CPU,
  KVM_VGIC_V2_ADDR_TYPE_DIST,
} from "../abi/structs/irq.js";
import { KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_DEV_TYPE_ARM_VGIC_V2 } from "../abi/structs/device.js";
import { RamGuestMemory, type GuestMemoryAccess, type IrqLine, type MmioDevice } from "../devices/bus.js";
import { MmioBus } from "./mmio-bus.js";

export type CpuModel = "cortex-a15" | "cortex-a7";

export const CPU_TARGETS: Readonly<Record<CpuModel, number>> = {
  "cortex-a15": KVM_ARM_TARGET_CORTEX_A15,
  "cortex-a7": KVM_ARM_TARGET_CORTEX_A7,
};

/** SVC mode (0b10011) with A, I and F masked: the CPSR an ARMv7 core resets into. */
export const BOOT_CPSR = 0x1d3;

/** Guest RAM as the VMM mapped it: `bytes[0]` is guest-physical `base`. */
export interface GuestRam {
  readonly base: number;
  readonly bytes: Uint8Array;
}

/** Where the boot step put things. */
export interface BootImage {
  /** Guest-physical entry point (PC, without a Thumb bit). */
  readonly entry: number;
  /** Guest-physical DTB address handed over in r2 (0 if none). */
  readonly dtb: number;
  /** Entry CPSR (default BOOT_CPSR; the loader sets T for a Thumb entry). */
  readonly cpsr?: number;
}

/** What the VMM hands the caller's device factory: IRQ lines and guest memory for DMA. */
export interface DeviceContext {
  /** A level-sensitive line into the GIC: an SPI by its INTID (32..1019), driven by KVM_IRQ_LINE. */
  irqLine(intid: number): IrqLine;
  readonly memory: GuestMemoryAccess;
}

export interface MappedDevice {
  readonly base: number;
  readonly device: MmioDevice;
  readonly name: string;
  /** The device's power-on reset, run when the board reboots. */
  readonly reset?: () => void;
}

export interface VmmConfig {
  /** Guest-physical RAM base (0x40000000 on virt) and size in bytes. */
  readonly ramBase: number;
  readonly ramSize: number;
  /** One entry per vCPU: its model (KVM_ARM_VCPU_INIT target). vCPU 0 boots. */
  readonly cpus: readonly CpuModel[];
  /** GIC distributor and CPU interface bases. */
  readonly gicDist: number;
  readonly gicCpu: number;
  /** How the GIC is created (default: KVM_CREATE_DEVICE, as current VMMs do). */
  readonly irqchipApi?: "device" | "legacy";
  /** Places kernel, initrd and DTB into RAM; called at start and again on every reboot. */
  boot(ram: GuestRam): BootImage;
  /** Creates the userspace devices once the VM exists. */
  devices?(ctx: DeviceContext): readonly MappedDevice[];
  /** On SYSTEM_RESET end the run instead of rebooting. */
  readonly noReboot?: boolean;
  /** Called for every access no device claims (the access itself reads as 0 / is dropped). */
  onUnmappedMmio?(vcpu: number, addr: number, len: number, isWrite: boolean): void;
  /** Milliseconds between turns of the Node event loop while vCPUs run (default 4). */
  readonly yieldEveryMs?: number;
}

export type VmmExit =
  | { readonly kind: "shutdown"; readonly vcpu: number }
  | { readonly kind: "reset"; readonly vcpu: number }
  | { readonly kind: "crash"; readonly vcpu: number }
  | { readonly kind: "stopped" }
  | { readonly kind: "error"; readonly message: string };

/** A failure during setup or the run, with the step that failed; the CLI prints its message. */
export class VmmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VmmError";
  }
}

const step = <T>(what: string, f: () => T): T => {
  try {
    return f();
  } catch (e) {
    if (e instanceof KvmError) throw new VmmError(`${what}: ${e.message}`);
    if (e instanceof VmmError) throw e;
    throw new VmmError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
};

const turnOfEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Vmm {
  readonly kvm: Kvm;
  /** The current VM and its vCPUs: a reboot replaces both (see reboot()). */
  vm: VmFd;
  vcpus: readonly VcpuFd[];
  readonly ram: GuestRam;
  readonly bus = new MmioBus();
  /** Number of reboots done (SYSTEM_RESET handled). */
  reboots = 0;
  private readonly devices: readonly MappedDevice[];
  private readonly ramAddr: bigint;
  /** Every SPI line handed to a device: a new VM starts with all of them low. */
  private readonly lines: { current: boolean }[] = [];
  private stopRequested = false;

  constructor(host: RawKvmHost, private readonly config: VmmConfig) {
    const { cpus, ramSize } = config;
    if (cpus.length === 0) throw new VmmError("at least one vCPU is needed");
    this.kvm = step("open /dev/kvm", () => Kvm.open(host));
    const mem = host.mmap(-1, ramSize);
    if (typeof mem === "number") throw new VmmError(`mmap of ${Math.floor(ramSize / 0x100000)} MiB guest RAM failed (errno ${-mem})`);
    this.ram = { base: config.ramBase, bytes: mem.bytes };
    this.ramAddr = mem.addr;
    [this.vm, this.vcpus] = this.createBoard();
    const ctx: DeviceContext = {
      irqLine: (intid) => this.spiLine(intid),
      memory: new RamGuestMemory(config.ramBase, mem.bytes),
    };
    this.devices = config.devices ? step("create devices", () => config.devices!(ctx)) : [];
    for (const d of this.devices) step(`map ${d.name}`, () => this.bus.add(d.base, d.device, d.name));
    this.loadAndSetBootRegs();
  }

  /**
   * The board's "silicon" in the kernel: KVM_CREATE_VM, the RAM slot over the VMM's mapping, every
   * vCPU, the GIC, KVM_ARM_VCPU_INIT.
   */
  private createBoard(): [VmFd, VcpuFd[]] {
    const { cpus, ramBase, ramSize } = this.config;
    const vm = step("KVM_CREATE_VM", () => this.kvm.createVm());
    step("KVM_SET_USER_MEMORY_REGION", () =>
      vm.setUserMemoryRegion({ slot: 0, guest_phys_addr: ramBase, memory_size: ramSize, userspace_addr: this.ramAddr }));
    const vcpus: VcpuFd[] = [];
    for (let i = 0; i < cpus.length; i++) vcpus.push(step(`KVM_CREATE_VCPU ${i}`, () => vm.createVcpu(i)));
    step("create the GICv2", () => this.createGic(vm, this.config.irqchipApi ?? "device"));
    this.initVcpus(vcpus);
    return [vm, vcpus];
  }

  private createGic(vm: VmFd, api: "device" | "legacy"): void {
    const { config } = this;
    if (api === "legacy") {
      vm.createIrqchip();
      vm.armSetDeviceAddr(armDeviceAddrId(KVM_ARM_DEVICE_VGIC_V2, KVM_VGIC_V2_ADDR_TYPE_DIST), config.gicDist);
      vm.armSetDeviceAddr(armDeviceAddrId(KVM_ARM_DEVICE_VGIC_V2, KVM_VGIC_V2_ADDR_TYPE_CPU), config.gicCpu);
    } else {
      const gic = vm.createDevice(KVM_DEV_TYPE_ARM_VGIC_V2);
      gic.setDeviceAttr({ group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_V2_ADDR_TYPE_DIST, value: config.gicDist, size: 8 });
      gic.setDeviceAttr({ group: KVM_DEV_ARM_VGIC_GRP_ADDR, attr: KVM_VGIC_V2_ADDR_TYPE_CPU, value: config.gicCpu, size: 8 });
    }
  }

  /** KVM_ARM_VCPU_INIT for every vCPU: the boot vCPU runs, the others wait for PSCI CPU_ON. */
  private initVcpus(vcpus: readonly VcpuFd[]): void {
    vcpus.forEach((v, i) => {
      const model = this.config.cpus[i]!;
      const features = i === 0 ? [KVM_ARM_VCPU_PSCI_0_2] : [KVM_ARM_VCPU_PSCI_0_2, KVM_ARM_VCPU_POWER_OFF];
      step(`KVM_ARM_VCPU_INIT ${i} (${model})`, () => v.armVcpuInit({ target: CPU_TARGETS[model], features }));
    });
  }

  private loadAndSetBootRegs(): void {
    const image = step("load the boot images", () => this.config.boot(this.ram));
    const v = this.vcpus[0]!;
    step("set the boot registers (ONE_REG)", () => {
      v.setOneReg(armCoreReg(ARM_CORE_INDEX.r0), 0);
      v.setOneReg(armCoreReg(ARM_CORE_INDEX.r1), 0xffff_ffff);
      v.setOneReg(armCoreReg(ARM_CORE_INDEX.r2), image.dtb >>> 0);
      v.setOneReg(armCoreReg(ARM_CORE_INDEX.cpsr), image.cpsr ?? BOOT_CPSR);
      v.setOneReg(armCoreReg(ARM_CORE_INDEX.pc), image.entry >>> 0);
    });
  }

  /** An SPI input of the GIC as a device's IRQ line; only level changes reach KVM_IRQ_LINE. */
  private spiLine(intid: number): IrqLine {
    if (!Number.isInteger(intid) || intid < 32 || intid > 1019) throw new VmmError(`INTID ${intid} is not an SPI`);
    const irq = armIrqEncode({ irq_type: KVM_ARM_IRQ_TYPE_SPI, vcpu_index: 0, vcpu2_index: 0, irq_id: intid });
    const line = { current: false };
    this.lines.push(line);
    return {
      set: (level: boolean) => {
        if (level === line.current) return;
        line.current = level;
        // KVM_IRQ_LINE kicks a vCPU sleeping in KVM_RUN (WFI) whose interrupt this is.
        this.vm.irqLine(irq, level);
      },
    };
  }

  /** Ends run() at its next turn (e.g. the console's Ctrl-A X). */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * The board's reset. Everything the kernel holds for the guest — vCPUs, GIC distributor and CPU
   * interfaces (active priorities, pending SGIs), timers — goes back to its power-on state by closing
   * the VM and creating a new one over the same RAM, as a fresh VMM process would; re-INIT alone would
   * leave the GIC as the old kernel left it (a CPU interface stuck at the priority of an interrupt it
   * acknowledged but never ended stops the next boot's IPIs). Then the devices reset and the images
   * are loaded again.
   */
  reboot(): void {
    this.reboots++;
    for (const v of this.vcpus) v.close();
    this.vm.close();
    for (const l of this.lines) l.current = false;
    [this.vm, this.vcpus] = this.createBoard();
    for (const d of this.devices) d.reset?.();
    this.ram.bytes.fill(0);
    this.loadAndSetBootRegs();
  }

  /** Runs until the guest powers off, resets (with noReboot), crashes, stop() or a KVM failure. */
  async run(): Promise<VmmExit> {
    let vcpus = this.vcpus;
    const yieldEvery = this.config.yieldEveryMs ?? 4;
    let lastYield = Date.now();
    const stopped = new Uint8Array(vcpus.length);
    for (;;) {
      // Powered-off vCPUs would only sleep out a slice in KVM_RUN: skip them while another can run.
      let anyRunnable = false;
      for (let i = 0; i < vcpus.length; i++) {
        stopped[i] = vcpus.length > 1 && vcpus[i]!.getMpState() === KVM_MP_STATE_STOPPED ? 1 : 0;
        if (stopped[i] === 0) anyRunnable = true;
      }
      for (let i = 0; i < vcpus.length; i++) {
        if (this.stopRequested) return { kind: "stopped" };
        if (stopped[i] === 1 && anyRunnable) continue;
        const v = vcpus[i]!;
        let reason: number;
        try {
          reason = v.run();
        } catch (e) {
          if (e instanceof KvmError && e.errno === EINTR) reason = KVM_EXIT_INTR;
          else return { kind: "error", message: `vCPU ${i}: KVM_RUN failed: ${e instanceof Error ? e.message : String(e)}` };
        }
        if (reason === KVM_EXIT_MMIO) {
          const r = v.getRun();
          const addr = Number(r.mmio_phys_addr), len = r.mmio_len, isWrite = r.mmio_is_write;
          if (this.bus.access(addr, len, isWrite, r.mmio_data) === "unmapped") this.config.onUnmappedMmio?.(i, addr, len, isWrite);
        } else if (reason === KVM_EXIT_SYSTEM_EVENT) {
          const type = v.getRun().system_event_type;
          if (type === KVM_SYSTEM_EVENT_SHUTDOWN) return { kind: "shutdown", vcpu: i };
          if (type === KVM_SYSTEM_EVENT_CRASH) return { kind: "crash", vcpu: i };
          if (type !== KVM_SYSTEM_EVENT_RESET) return { kind: "error", message: `vCPU ${i}: KVM_EXIT_SYSTEM_EVENT of unknown type ${type}` };
          if (this.config.noReboot) return { kind: "reset", vcpu: i };
          try {
            this.reboot();
          } catch (e) {
            return { kind: "error", message: `reboot: ${e instanceof Error ? e.message : String(e)}` };
          }
          vcpus = this.vcpus;
          break; // restart the round from vCPU 0
        } else if (reason !== KVM_EXIT_INTR) {
          return { kind: "error", message: `vCPU ${i}: unexpected exit_reason ${reason}` };
        }
        const now = Date.now();
        if (now - lastYield >= yieldEvery) {
          await turnOfEventLoop();
          lastYield = Date.now();
        }
      }
    }
  }

  /** Closes the vCPU, VM and /dev/kvm files. */
  close(): void {
    for (const v of this.vcpus) v.close();
    this.vm.close();
    this.kvm.close();
  }
}
