/**
 * KVM/ARM on a 32-bit ARMv7 host (Cortex-A15/A7 with a GICv2), as of Linux 5.4–5.6: the host (arch
 * table, capabilities) and the VM (kvm->arch). Reference kvm-arm32-abi.md §2.2, §2.4, §3.1–§3.9.
 *
 * The vGIC is also the VM's irqchip for GSI routing and KVM_IRQFD (virt/kvm/arm/vgic/vgic-irqfd.c):
 * irqchip 0, pins 0..987 = SPIs 32..1019; default routing GSI g → pin g installed at vGIC init; a
 * deactivated level SPI runs the IRQ ack notifiers (resampling irqfds).
 *
 * Module map of src/kvm/arm/: this file (host, VM, VM ioctls); vcpu.ts (ArmVcpu and its ioctls);
 * reset.ts (§7); one-reg.ts (§5); reg-list.ts (§6); run.ts / mmio.ts / sleep.ts (KVM_RUN);
 * psci.ts (HVC/SMC); vgic/ (the in-kernel GICv2).
 */
import type { ArmCpu } from "../../arch/arm/cpu.js";
import { EBUSY, EFAULT, EINVAL, ENODEV, ENXIO } from "../../abi/errno.js";
import {
  KVM_CAP_ARM_INJECT_EXT_DABT,
  KVM_CAP_ARM_IRQ_LINE_LAYOUT_2,
  KVM_CAP_ARM_NISV_TO_USER,
  KVM_CAP_ARM_PSCI,
  KVM_CAP_ARM_PSCI_0_2,
  KVM_CAP_ARM_SET_DEVICE_ADDR,
  KVM_CAP_ARM_USER_IRQ,
  KVM_CAP_COALESCED_MMIO,
  KVM_CAP_COALESCED_PIO,
  KVM_CAP_DEVICE_CTRL,
  KVM_CAP_IMMEDIATE_EXIT,
  KVM_CAP_IOEVENTFD,
  KVM_CAP_IRQCHIP,
  KVM_CAP_IRQFD,
  KVM_CAP_IRQFD_RESAMPLE,
  KVM_CAP_IRQ_ROUTING,
  KVM_CAP_MAX_VCPUS,
  KVM_CAP_MAX_VCPU_ID,
  KVM_CAP_MP_STATE,
  KVM_CAP_MSI_DEVID,
  KVM_CAP_NR_MEMSLOTS,
  KVM_CAP_NR_VCPUS,
  KVM_CAP_ONE_REG,
  KVM_CAP_READONLY_MEM,
  KVM_CAP_SIGNAL_MSI,
  KVM_CAP_SYNC_MMU,
  KVM_CAP_VCPU_EVENTS,
} from "../../abi/capabilities.js";
import { GENERIC_IOCTL } from "../../abi/ioctl.js";
import { ARM_REQUESTS } from "../../abi/requests.js";
import { KVM_ARM_IRQCHIP_NUM_PINS, KVM_ARM_NR_IRQCHIPS, KVM_MAX_IRQ_ROUTES } from "../../abi/structs/irq.js";
import { KVM_COALESCED_MMIO_PAGE_OFFSET, KVM_MEM_LOG_DIRTY_PAGES, KVM_MEM_READONLY, KVM_USER_MEM_SLOTS } from "../../abi/structs/memory.js";
import { KVM_DEV_TYPE_ARM_VGIC_V2 } from "../../abi/structs/device.js";
import {
  KVM_ARM_IRQ_CPU_FIQ, KVM_ARM_IRQ_NUM_MASK, KVM_ARM_IRQ_NUM_SHIFT, KVM_ARM_IRQ_TYPE_CPU, KVM_ARM_IRQ_TYPE_MASK,
  KVM_ARM_IRQ_TYPE_PPI, KVM_ARM_IRQ_TYPE_SHIFT, KVM_ARM_IRQ_TYPE_SPI, KVM_ARM_IRQ_VCPU2_MASK, KVM_ARM_IRQ_VCPU2_SHIFT,
  KVM_ARM_IRQ_VCPU_MASK, KVM_ARM_IRQ_VCPU_SHIFT, kvm_irq_level,
} from "../../abi/structs/irq.js";
import { KVM_ARM_TARGET_CORTEX_A15, kvm_vcpu_init } from "../../abi/structs/vcpu.js";
import { hostCounter } from "../../arch/arm/timer.js";
import type { KvmArch, KvmArchVcpu, KvmArchVm } from "../arch.js";
import type { KvmDeviceOps } from "../device.js";
import { KVM_MMIO_BUS } from "../ioeventfd.js";
import type { KvmArchIrqchip } from "../irqchip.js";
import { ARM32_TASK_SIZE } from "../host-memory.js";
import { MemoryChange, type MemorySlot } from "../memslots.js";
import { viewOf, type IoctlArg } from "../uaccess.js";
import type { KvmVcpu } from "../vcpu.js";
import type { KvmVm } from "../vm.js";
import { ArmVcpu } from "./vcpu.js";
import { Vgic, vgicCreateCheck } from "./vgic/index.js";

export { ArmVcpu } from "./vcpu.js";

/**
 * KVM_MAX_VCPUS of arch/arm/include/asm/kvm_host.h: VGIC_V3_MAX_CPUS when built with
 * CONFIG_ARM_GIC_V3 (multi_v7, Debian's armmp), and include/kvm/arm_vgic.h has that at 512 since 5.4.
 * KVM_MAX_VCPU_ID defaults to KVM_MAX_VCPUS.
 */
export const ARM_KVM_MAX_VCPUS = 512;
/** VGIC_V2_MAX_CPUS: kvm->arch.max_vcpus on a GICv2 host (every Cortex-A15/A7). */
export const VGIC_V2_MAX_CPUS = 8;
/** KVM_PHYS_SHIFT: 40-bit IPA space; slots must end below the last page of it. */
export const KVM_PHYS_SHIFT = 40;
const IPA_LIMIT_PAGES = 2 ** (KVM_PHYS_SHIFT - 12);
/** CNTFRQ as firmware programs it on A15/A7 boards (KVM leaves it alone), §11. */
export const COUNTER_FREQUENCY = 24_000_000;
/** Default timer PPIs (§3.2, §4.9). */
export const DEFAULT_VTIMER_IRQ = 27;
export const DEFAULT_PTIMER_IRQ = 30;
/** KVM_ARM_SET_DEVICE_ADDR id fields (arch/arm/include/uapi/asm/kvm.h), §3.4. */
export const KVM_ARM_DEVICE_ID_SHIFT = 16;
export const KVM_ARM_DEVICE_TYPE_MASK = 0xffff;
export const KVM_ARM_DEVICE_VGIC_V2 = 0;
export const KVM_VGIC_V2_ADDR_TYPE_DIST = 0;
export const KVM_VGIC_V2_ADDR_TYPE_CPU = 1;

export interface ArmHostOptions {
  /** Online host CPUs (KVM_CAP_NR_VCPUS). */
  readonly cpus?: number;
  /** The host CPU's KVM target: 0 Cortex-A15 (default), 1 Cortex-A7 (KVM_ARM_PREFERRED_TARGET). */
  readonly target?: number;
  /** The physical counter source of every VM (ticks at 24 MHz); default: host monotonic time. */
  readonly readCounter?: () => number;
}

/**
 * Per-VM ARM state (kvm->arch): the vCPUs, the in-kernel vGIC, the VM-wide PSCI version, timer PPIs
 * and counter offset; VM ioctls KVM_ARM_PREFERRED_TARGET (§3.6), KVM_IRQ_LINE(_STATUS) (§3.5),
 * KVM_CREATE_IRQCHIP (§3.3), KVM_ARM_SET_DEVICE_ADDR (§3.4); device type VGIC_V2 (§3.8).
 */
export class ArmVm implements KvmArchVm {
  maxVcpus = VGIC_V2_MAX_CPUS;
  /** vCPUs by index (creation order). */
  readonly vcpus: ArmVcpu[] = [];
  private readonly coreList: ArmCpu[] = [];

  /** The vCPUs' cores (one inner-shareable domain), kept without allocating per call. */
  cores(): readonly ArmCpu[] {
    const list = this.coreList;
    const vcpus = this.vcpus;
    if (list.length !== vcpus.length) list.length = vcpus.length;
    for (let i = 0; i < vcpus.length; i++) {
      const core = vcpus[i]!.cpu;
      if (list[i] !== core) list[i] = core;
    }
    return list;
  }
  vgic: Vgic | null = null;
  /** VM-wide PSCI version forced through KVM_REG_ARM_PSCI_VERSION; null = the latest (1.0). */
  psciVersion: number | null = null;
  /** Timer PPIs (§4.9), VM-wide: set through any vCPU's KVM_ARM_VCPU_TIMER_CTRL attributes. */
  readonly timerIrqs = { vtimer: DEFAULT_VTIMER_IRQ, ptimer: DEFAULT_PTIMER_IRQ };
  /** KVM_CAP_ARM_NISV_TO_USER enabled (kvm->arch.return_nisv_io_abort_to_user). */
  nisvToUser = false;
  /** vgic.msis_require_devid, reported as KVM_CAP_MSI_DEVID on the VM fd (GICv2: false). */
  msisRequireDevid = false;
  /** The physical count every vCPU of this VM reads (CNTPCT), in ticks of COUNTER_FREQUENCY. */
  readonly readCounter: () => number;
  private cntvoff = 0;

  constructor(
    readonly kvm: KvmVm,
    /** The host CPU's KVM target (KVM_ARM_PREFERRED_TARGET): 0 Cortex-A15, 1 Cortex-A7. */
    readonly hostTarget: number,
    readCounter?: () => number,
  ) {
    this.readCounter = readCounter ?? hostCounter(COUNTER_FREQUENCY);
  }

  private vgicInitForced = false;
  /** An in-kernel vGIC exists and is initialized: no more vCPUs (EBUSY). */
  get vgicInitialized(): boolean {
    return this.vgicInitForced || (this.vgic !== null && this.vgic.initialized);
  }
  /** Marks the vGIC initialized without one (tests of KVM_CREATE_VCPU's row order). */
  set vgicInitialized(on: boolean) {
    this.vgicInitForced = on;
  }

  /** CNTVOFF, VM-wide (§11): the virtual count is CNTPCT − counterOffset on every vCPU. */
  get counterOffset(): number {
    return this.cntvoff;
  }
  set counterOffset(ticks: number) {
    this.cntvoff = ticks;
    for (const v of this.vcpus) v.cpu.timer.cntvoff = ticks;
  }

  /** vgic-irqfd.c: the vGIC as irqchip 0 of the GSI routing (KVM_IRQFD, KVM_SET_GSI_ROUTING). */
  readonly irqchip: KvmArchIrqchip = {
    nrIrqchips: KVM_ARM_NR_IRQCHIPS,
    numPins: KVM_ARM_IRQCHIP_NUM_PINS,
    intcInitialized: () => this.vgic !== null && this.vgic.initialized,
    // vgic_irqfd_set_irq: pin p is SPI p + 32; EINVAL unless that SPI exists (vgic_valid_spi).
    setIrqchipPin: (_irqchip, pin, level) => {
      const vgic = this.vgic;
      const spi = pin + 32;
      if (vgic === null || spi >= vgic.nrIrqs) return -EINVAL;
      return vgic.irqLine(KVM_ARM_IRQ_TYPE_SPI, 0, spi, level);
    },
  };

  /** The vGIC distributor is a device on the MMIO bus once mapped (vgic_register_dist_iodev). */
  ioBusDevices(bus: number): number {
    return bus === KVM_MMIO_BUS && this.vgic !== null && this.vgic.ready ? 1 : 0;
  }

  prepareMemoryRegion(slot: Readonly<MemorySlot>, change: MemoryChange): number {
    if (change !== MemoryChange.Create && change !== MemoryChange.Move && change !== MemoryChange.FlagsOnly) return 0;
    // virt/kvm/arm/mmu.c: base_gfn + npages >= kvm_phys_size >> PAGE_SHIFT is -EFAULT.
    return slot.baseGfn + slot.npages >= IPA_LIMIT_PAGES ? -EFAULT : 0;
  }

  vcpuPrecreate(id: number): number {
    if (this.vgicInitialized) return -EBUSY;
    if (id >= this.maxVcpus) return -EINVAL;
    return 0;
  }

  /** kvm_arch_vcpu_create: a fresh, uninitialized vCPU; CNTVOFF of every vCPU restarts at "now" (§3.2). */
  createVcpu(vcpu: KvmVcpu): KvmArchVcpu {
    const v = new ArmVcpu(vcpu, this);
    this.vcpus.push(v);
    this.counterOffset = this.readCounter();
    return v;
  }

  deviceOps(type: number): KvmDeviceOps | undefined {
    if (type !== KVM_DEV_TYPE_ARM_VGIC_V2) return undefined;
    return {
      name: "kvm-arm-vgic-v2",
      create: () => {
        const r = this.createVgic();
        return typeof r === "number" ? r : r.device();
      },
    };
  }

  /** kvm_vgic_create (§3.3): the new vGIC, or a negative errno. */
  createVgic(): Vgic | number {
    const check = vgicCreateCheck({
      irqchipExists: this.vgic !== null,
      // every vCPU mutex is taken: a vCPU that ran (has_run_once) makes it EBUSY
      anyVcpuBusyOrRan: this.vcpus.some((v) => v.hasRun),
      vcpuCount: this.vcpus.length,
    });
    if (check < 0) return check;
    this.vgic = new Vgic({
      vcpuCount: () => this.vcpus.length,
      setIrqLines: (index, irq, fiq) => this.vcpus[index]?.setGicLines(irq, fiq),
      // kvm_vgic_setup_default_irq_routing: GSI g → pin g for each SPI (pins stop at 988 even when a
      // VMM asked for 1024 interrupts, which Linux itself refuses: see Vgic.setNrIrqs).
      onInit: (nrSpis) => this.kvm.irqRouting?.setDefault(Math.min(nrSpis, KVM_ARM_IRQCHIP_NUM_PINS)),
      levelSpiDeactivated: (intid) => this.kvm.irqRouting?.notifyAckedIrq(0, intid - 32),
    });
    this.maxVcpus = VGIC_V2_MAX_CPUS;
    return this.vgic;
  }

  ioctl(request: number, arg: IoctlArg): number | undefined {
    const R = this.kvm.kernel.arch.requests;
    switch (request) {
      case R.KVM_ARM_PREFERRED_TARGET: {
        const out = new Uint8Array(kvm_vcpu_init.size);
        new DataView(out.buffer).setUint32(0, this.hostTarget, true);
        return arg.copyOut(out) ? 0 : -EFAULT;
      }
      case R.KVM_CREATE_IRQCHIP: {
        const r = this.createVgic();
        return typeof r === "number" ? r : 0;
      }
      case R.KVM_IRQ_LINE:
      case R.KVM_IRQ_LINE_STATUS: {
        const bytes = arg.copyIn(kvm_irq_level.size);
        if (bytes === null) return -EFAULT;
        const view = viewOf(bytes);
        const r = this.irqLine(view.getUint32(0, true), view.getUint32(4, true) !== 0);
        if (r < 0 || request === R.KVM_IRQ_LINE) return r;
        return arg.copyOut(bytes) ? r : -EFAULT;
      }
      case R.KVM_ARM_SET_DEVICE_ADDR: {
        const bytes = arg.copyIn(16);
        if (bytes === null) return -EFAULT;
        const view = viewOf(bytes);
        return this.setDeviceAddr(view.getUint32(0, true), view.getBigUint64(8, true));
      }
    }
    return undefined;
  }

  /** kvm_vm_ioctl_irq_line (virt/kvm/arm/arm.c, 5.4+ with vcpu2_index), §3.5. */
  irqLine(irq: number, level: boolean): number {
    const type = (irq >>> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK;
    const index = ((irq >>> KVM_ARM_IRQ_VCPU_SHIFT) & KVM_ARM_IRQ_VCPU_MASK) +
      ((irq >>> KVM_ARM_IRQ_VCPU2_SHIFT) & KVM_ARM_IRQ_VCPU2_MASK) * (KVM_ARM_IRQ_VCPU_MASK + 1);
    const num = (irq >>> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK;
    switch (type) {
      case KVM_ARM_IRQ_TYPE_CPU: {
        if (this.vgic !== null) return -ENXIO;
        const v = this.vcpus[index];
        if (v === undefined) return -EINVAL;
        if (num > KVM_ARM_IRQ_CPU_FIQ) return -EINVAL;
        v.setUserLine(num === KVM_ARM_IRQ_CPU_FIQ, level);
        return 0;
      }
      case KVM_ARM_IRQ_TYPE_PPI:
      case KVM_ARM_IRQ_TYPE_SPI:
        if (this.vgic === null) return -ENXIO;
        return this.vgic.irqLine(type, index, num, level);
    }
    return -EINVAL;
  }

  /** kvm_vm_ioctl_set_device_addr / kvm_vgic_addr (§3.4). */
  setDeviceAddr(id: number, addr: bigint): number {
    const devId = id >>> KVM_ARM_DEVICE_ID_SHIFT;
    const type = id & KVM_ARM_DEVICE_TYPE_MASK;
    if (devId !== KVM_ARM_DEVICE_VGIC_V2) return -ENODEV;
    if (type !== KVM_VGIC_V2_ADDR_TYPE_DIST && type !== KVM_VGIC_V2_ADDR_TYPE_CPU) return -ENODEV;
    if (this.vgic === null) return -ENODEV;
    return this.vgic.setAddress(type, addr);
  }

  /** kvm_vm_ioctl_enable_cap (virt/kvm/arm/arm.c, 5.5+): flags must be 0; only NISV_TO_USER. */
  enableCap(cap: number, flags: number): number {
    if (flags !== 0) return -EINVAL;
    if (cap === KVM_CAP_ARM_NISV_TO_USER) {
      this.nisvToUser = true;
      return 0;
    }
    return -EINVAL;
  }

  /** The generic layer has destroyed every vCPU already (kvm_put_kvm order). */
  destroy(): void {
    this.vgic = null;
  }
}

/** Capabilities reported as 1 by the arch half of KVM_CHECK_EXTENSION (reference §2.4). */
const ARM_CAPS_ONE: ReadonlySet<number> = new Set([
  KVM_CAP_IRQCHIP, // the emulated host has a GIC with virtualization extensions
  KVM_CAP_MP_STATE,
  KVM_CAP_SYNC_MMU,
  KVM_CAP_IRQFD,
  KVM_CAP_IOEVENTFD,
  KVM_CAP_VCPU_EVENTS,
  KVM_CAP_ONE_REG,
  KVM_CAP_SIGNAL_MSI,
  KVM_CAP_READONLY_MEM,
  KVM_CAP_IRQFD_RESAMPLE,
  KVM_CAP_ARM_PSCI,
  KVM_CAP_ARM_SET_DEVICE_ADDR,
  KVM_CAP_DEVICE_CTRL,
  KVM_CAP_ARM_PSCI_0_2,
  KVM_CAP_IMMEDIATE_EXIT,
  KVM_CAP_ARM_USER_IRQ,
  KVM_CAP_COALESCED_PIO,
  KVM_CAP_ARM_IRQ_LINE_LAYOUT_2,
  KVM_CAP_ARM_NISV_TO_USER,
  KVM_CAP_ARM_INJECT_EXT_DABT,
]);

export function createArmArch(options: ArmHostOptions = {}): KvmArch {
  const cpus = options.cpus ?? 1;
  const target = options.target ?? KVM_ARM_TARGET_CORTEX_A15;
  return {
    name: "arm",
    encoding: GENERIC_IOCTL,
    requests: ARM_REQUESTS,
    longBits: 32,
    taskSize: ARM32_TASK_SIZE,
    userMemSlots: KVM_USER_MEM_SLOTS,
    memFlags: KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY,
    maxVcpus: ARM_KVM_MAX_VCPUS,
    maxVcpuId: ARM_KVM_MAX_VCPUS,
    dirtyLogManualProtect: true,
    checkExtension(cap, vm) {
      if (ARM_CAPS_ONE.has(cap)) return 1;
      switch (cap) {
        case KVM_CAP_NR_VCPUS:
          return cpus;
        case KVM_CAP_NR_MEMSLOTS:
          return KVM_USER_MEM_SLOTS;
        case KVM_CAP_COALESCED_MMIO:
          return KVM_COALESCED_MMIO_PAGE_OFFSET;
        case KVM_CAP_IRQ_ROUTING:
          return KVM_MAX_IRQ_ROUTES;
        case KVM_CAP_MAX_VCPUS:
        case KVM_CAP_MAX_VCPU_ID:
          return ARM_KVM_MAX_VCPUS;
        case KVM_CAP_MSI_DEVID:
          if (vm === null) return -EINVAL;
          return (vm.arch as ArmVm).msisRequireDevid ? 1 : 0;
      }
      return 0;
    },
    createVm(type, vm) {
      // kvm_arch_init_vm: there is no machine type on 32-bit ARM.
      return type !== 0n ? -EINVAL : new ArmVm(vm, target, options.readCounter);
    },
  };
}
