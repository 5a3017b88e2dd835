/**
 * The in-kernel vGIC v2 of a KVM/ARM VM (reference kvm-arm32-abi.md §3.3–§3.5, §3.8, §10): lifecycle,
 * the two guest-physical frames, the injection paths and the register views userspace reaches through
 * the device attributes. The VM (src/kvm/arm/index.ts) owns one of these after KVM_CREATE_IRQCHIP or
 * KVM_CREATE_DEVICE(VGIC_V2) — `vgicCreateCheck` gives the creation errno rules both paths share — and
 * wires `host.setIrqLines` to the vCPUs' IRQ/FIQ lines (waking a sleeping vCPU).
 *
 * Lifecycle (§10.5): created (addresses undefined) → initialized (lazily by the first SPI/PPI
 * injection, a register access through the device, CTRL_INIT or the first KVM_RUN: the interrupt count
 * and the number of CPU interfaces freeze; the VM then refuses new vCPUs) → ready (first KVM_RUN:
 * both addresses set and the frames disjoint; only then does `handles` claim guest accesses).
 *
 * The MMIO value is the little-endian bus value (the ARM side has applied CPSR.E already).
 */
import { E2BIG, EBUSY, EEXIST, EINVAL, ENODEV, ENXIO } from "../../../abi/errno.js";
import { KVM_ARM_IRQ_TYPE_CPU, KVM_ARM_IRQ_TYPE_PPI, KVM_ARM_IRQ_TYPE_SPI } from "../../../abi/structs/irq.js";
import type { KvmDevice, KvmDeviceOps } from "../../device.js";
import { KVM_VGIC_V2_CPU_SIZE, cpuRead, cpuUserRead, cpuUserWrite, cpuWrite } from "./cpu-interface.js";
import { KVM_VGIC_V2_DIST_SIZE, distRead, distRegisterExists, distWrite } from "./distributor.js";
import { GicState, VGIC_MAX_CPUS, VGIC_NR_PRIVATE_IRQS, VGIC_NR_SGIS } from "./state.js";
import { vgicDevice } from "./device-attrs.js";

/** What the vGIC needs from its VM. */
export interface VgicHost {
  /** vCPUs created so far (online_vcpus). */
  vcpuCount(): number;
  /** A CPU interface's IRQ/FIQ outputs changed. */
  setIrqLines(index: number, irq: boolean, fiq: boolean): void;
  /** Whether some vCPU is inside an ioctl (register access through the device: EBUSY). */
  vcpuBusy?(): boolean;
  /** vgic_init ran: `nrSpis` SPIs exist (the VM installs its default GSI routing). */
  onInit?(nrSpis: number): void;
  /** The guest deactivated an active level SPI (IRQ ack notifiers: resampling irqfds). */
  levelSpiDeactivated?(intid: number): void;
}

export const KVM_VGIC_V2_ADDR_TYPE_DIST = 0;
export const KVM_VGIC_V2_ADDR_TYPE_CPU = 1;
/** KVM_PHYS_SHIFT: guest-physical addresses are 40 bits. */
const PHYS_LIMIT = 1n << 40n;
const ADDR_UNDEF = 0xffffffffffffffffn;
/** VGIC_NR_IRQS_LEGACY: the interrupt count when userspace set none. */
export const VGIC_NR_IRQS_DEFAULT = 256;

/**
 * KVM_CREATE_IRQCHIP / KVM_CREATE_DEVICE(VGIC_V2) rules (kvm_vgic_create, §3.3): an irqchip exists →
 * EEXIST; a vCPU inside an ioctl or one that has run → EBUSY; more than 8 vCPUs → E2BIG.
 */
export function vgicCreateCheck(vm: { irqchipExists: boolean; anyVcpuBusyOrRan: boolean; vcpuCount: number }): number {
  if (vm.irqchipExists) return -EEXIST;
  if (vm.anyVcpuBusyOrRan) return -EBUSY;
  if (vm.vcpuCount > VGIC_MAX_CPUS) return -E2BIG;
  return 0;
}

export class Vgic {
  readonly created = true;
  readonly state: GicState;
  private initDone = false;
  private readyDone = false;
  /** nr_spis: 0 until userspace sets GRP_NR_IRQS or initialization picks the default. */
  private nrSpis = 0;
  private distBase = -1;
  private cpuBase = -1;

  constructor(private readonly host: VgicHost) {
    this.state = new GicState(host);
  }

  get initialized(): boolean {
    return this.initDone;
  }

  get ready(): boolean {
    return this.readyDone;
  }

  /** Total interrupts (nr_spis + 32): 32 until set or initialized, as KVM's GRP_NR_IRQS read shows. */
  get nrIrqs(): number {
    return this.nrSpis + VGIC_NR_PRIVATE_IRQS;
  }

  // ---- addresses (§3.4, §10.4 GRP_ADDR) ----------------------------------------------------------

  /** kvm_vgic_addr (write): -ENODEV for an unknown type, then E2BIG, EINVAL, EEXIST. */
  setAddress(type: number, addr: bigint): number {
    if (type !== KVM_VGIC_V2_ADDR_TYPE_DIST && type !== KVM_VGIC_V2_ADDR_TYPE_CPU) return -ENODEV;
    if (addr < 0n || addr >= PHYS_LIMIT) return -E2BIG;
    if ((addr & 0xfffn) !== 0n) return -EINVAL;
    const current = type === KVM_VGIC_V2_ADDR_TYPE_DIST ? this.distBase : this.cpuBase;
    if (current >= 0) return -EEXIST;
    if (type === KVM_VGIC_V2_ADDR_TYPE_DIST) this.distBase = Number(addr);
    else this.cpuBase = Number(addr);
    return 0;
  }

  /** The base of a frame, 0xFFFFFFFFFFFFFFFF while unset (any unknown type reads as unset). */
  getAddress(type: number): bigint {
    const base = type === KVM_VGIC_V2_ADDR_TYPE_DIST ? this.distBase : type === KVM_VGIC_V2_ADDR_TYPE_CPU ? this.cpuBase : -1;
    return base < 0 ? ADDR_UNDEF : BigInt(base);
  }

  // ---- lifecycle (§10.5) ---------------------------------------------------------------------------

  /** vgic_init: freeze the interrupt count (default 256) and the CPU interfaces; idempotent. */
  init(): number {
    if (this.initDone) return 0;
    if (this.nrSpis === 0) this.nrSpis = VGIC_NR_IRQS_DEFAULT - VGIC_NR_PRIVATE_IRQS;
    this.state.reset(this.nrSpis + VGIC_NR_PRIVATE_IRQS, Math.min(this.host.vcpuCount(), VGIC_MAX_CPUS));
    this.initDone = true;
    this.host.onInit?.(this.nrSpis); // kvm_vgic_setup_default_irq_routing
    return 0;
  }

  /**
   * kvm_vgic_map_resources at a vCPU's first KVM_RUN: ENXIO if an address is unset, EINVAL if the
   * frames overlap. A failure tears the distributor down as __kvm_vgic_destroy does (uninitialized
   * again, interrupt count unset, register state dropped); the addresses and the irqchip remain.
   */
  firstRun(): number {
    if (this.readyDone) return 0;
    let r = 0;
    const d = this.distBase;
    const c = this.cpuBase;
    if (d < 0 || c < 0) r = -ENXIO;
    else if (!(d + KVM_VGIC_V2_DIST_SIZE <= c || c + KVM_VGIC_V2_CPU_SIZE <= d)) r = -EINVAL;
    else r = this.init();
    if (r < 0) {
      this.state.quiesce();
      this.initDone = false;
      this.nrSpis = 0;
      return r;
    }
    this.readyDone = true;
    return 0;
  }

  /**
   * GRP_NR_IRQS write (§10.4): EINVAL outside 64..1024 or not a multiple of 32; EBUSY once set.
   * The upper bound is the reference's; Linux 5.4 compares against VGIC_MAX_RESERVED (1023), which
   * refuses 1024 itself — the one place this follows the reference over the kernel source.
   */
  setNrIrqs(total: number): number {
    if (total < VGIC_NR_PRIVATE_IRQS + 32 || total > 1024 || (total & 31) !== 0) return -EINVAL;
    if (this.readyDone || this.nrSpis !== 0) return -EBUSY;
    this.nrSpis = total - VGIC_NR_PRIVATE_IRQS;
    return 0;
  }

  // ---- guest MMIO --------------------------------------------------------------------------------

  /** Whether guest-physical `pa` lies in the distributor or CPU interface frame (once ready). */
  handles(pa: number): boolean {
    if (!this.readyDone) return false;
    return (
      (pa >= this.distBase && pa < this.distBase + KVM_VGIC_V2_DIST_SIZE) ||
      (pa >= this.cpuBase && pa < this.cpuBase + KVM_VGIC_V2_CPU_SIZE)
    );
  }

  mmioRead(vcpuIndex: number, pa: number, size: number): number {
    if (!this.readyDone || vcpuIndex >= this.state.nrCpus) return 0;
    const d = pa - this.distBase;
    if (d >= 0 && d < KVM_VGIC_V2_DIST_SIZE) return distRead(this.state, vcpuIndex, d, size);
    const c = pa - this.cpuBase;
    if (c >= 0 && c < KVM_VGIC_V2_CPU_SIZE) return cpuRead(this.state, vcpuIndex, c, size);
    return 0;
  }

  mmioWrite(vcpuIndex: number, pa: number, size: number, value: number): void {
    if (!this.readyDone || vcpuIndex >= this.state.nrCpus) return;
    const d = pa - this.distBase;
    if (d >= 0 && d < KVM_VGIC_V2_DIST_SIZE) {
      distWrite(this.state, vcpuIndex, d, size, value);
      return;
    }
    const c = pa - this.cpuBase;
    if (c >= 0 && c < KVM_VGIC_V2_CPU_SIZE) cpuWrite(this.state, vcpuIndex, c, size, value);
  }

  // ---- inputs ------------------------------------------------------------------------------------

  /**
   * KVM_IRQ_LINE with an in-kernel irqchip (§3.5): CPU type → ENXIO; PPI needs an existing vCPU and
   * INTID 16..31; SPI needs 32 <= INTID < nr_irqs. The first injection initializes the vGIC.
   */
  irqLine(irqType: number, vcpuIndex: number, irqId: number, level: boolean): number {
    switch (irqType) {
      case KVM_ARM_IRQ_TYPE_CPU:
        return -ENXIO;
      case KVM_ARM_IRQ_TYPE_PPI: {
        if (vcpuIndex >= this.host.vcpuCount()) return -EINVAL;
        if (irqId < VGIC_NR_SGIS || irqId >= VGIC_NR_PRIVATE_IRQS) return -EINVAL;
        const r = this.init();
        if (r < 0) return r;
        if (vcpuIndex >= this.state.nrCpus) return -EINVAL;
        this.state.setLine(vcpuIndex, irqId, level);
        return 0;
      }
      case KVM_ARM_IRQ_TYPE_SPI: {
        if (irqId < VGIC_NR_PRIVATE_IRQS) return -EINVAL;
        const r = this.init();
        if (r < 0) return r;
        if (irqId >= this.state.nrIrqs) return -EINVAL;
        this.state.setLine(0, irqId, level);
        return 0;
      }
    }
    return -EINVAL;
  }

  /** A PPI's input line from inside the kernel (the timers): level-sensitive, no errors. */
  /** The run loop's directed-yield hint (GicState.takeYieldHint). */
  yieldHint(vcpuIndex: number): boolean {
    return this.state.takeYieldHint(vcpuIndex);
  }

  setPpiLevel(vcpuIndex: number, intid: number, level: boolean): void {
    if (!this.initDone || vcpuIndex >= this.state.nrCpus) return;
    this.state.setLine(vcpuIndex, intid, level);
  }

  /** The IRQ/FIQ outputs of a CPU interface (for a run loop deciding whether a WFI can sleep). */
  outputs(vcpuIndex: number): { irq: boolean; fiq: boolean } {
    return this.state.outputs(vcpuIndex);
  }

  // ---- userspace register access (§10.4 GRP_DIST_REGS / GRP_CPU_REGS) ----------------------------

  /**
   * vgic_v2_attr_regs_access: a 32-bit access to `offset` as seen by vCPU `cpuid`. Returns the value
   * read (>= 0) or 0 for a write, or a negative errno: EINVAL for a vCPU index not below the vCPU
   * count, EBUSY while a vCPU is busy, ENXIO for no such register; GICD_IIDR writes other than its value
   * EINVAL. Initializes the vGIC.
   */
  userRegAccess(cpuRegs: boolean, cpuid: number, offset: number, write: boolean, value: number): number {
    if (this.userRegCheck(cpuid) < 0) return -EINVAL;
    const r = this.init();
    if (r < 0) return r;
    if (this.host.vcpuBusy?.() === true) return -EBUSY;
    if (cpuid >= this.state.nrCpus) return -EINVAL;
    if (cpuRegs) {
      return write ? cpuUserWrite(this.state, cpuid, offset, value) : cpuUserRead(this.state, cpuid, offset);
    }
    if (!distRegisterExists(offset)) return -ENXIO;
    return write ? distWrite(this.state, cpuid, offset, 4, value, true) : distRead(this.state, cpuid, offset, 4);
  }

  /** vgic_v2_parse_attr: EINVAL unless `cpuid` names an existing vCPU. */
  userRegCheck(cpuid: number): number {
    return cpuid < this.host.vcpuCount() ? 0 : -EINVAL;
  }

  // ---- device fd (§3.8, §10.4) -------------------------------------------------------------------

  /** The device-fd half of this vGIC (attribute groups ADDR, DIST_REGS, CPU_REGS, NR_IRQS, CTRL). */
  device(): KvmDevice {
    return vgicDevice(this);
  }

  /** struct kvm_device_ops for an already created vGIC: `create` hands out this vGIC's device. */
  deviceOps(): KvmDeviceOps {
    return { name: "kvm-arm-vgic-v2", create: () => this.device() };
  }
}
