/**
 * ArmVcpu: one KVM/ARM vCPU (vcpu->arch) and its ioctls (virt/kvm/arm/arm.c kvm_arch_vcpu_ioctl and the
 * generic kvm_vcpu_ioctl cases, v5.4–5.6). Reference kvm-arm32-abi.md §4.1–§4.9.
 *
 * State lives in the ARM core (`cpu`: registers in struct kvm_regs layout, CP15, VFP, timer); this
 * object adds what KVM keeps beside it: target and features (KVM_ARM_VCPU_INIT), power state
 * (PSCI / MP state), a pending CPU_ON reset, the raw IRQ/FIQ lines of the user-irqchip path, the
 * virtual SError line, FPINST/FPINST2, the signal mask. KVM_RUN is run.ts's (`kvmRun`).
 *
 * The core is created with the host's model; the first KVM_ARM_VCPU_INIT naming the other target
 * (tskvm's big.LITTLE extension, docs/kvm-arm-big-little.md) replaces it by a core of that model
 * before anything could have been stored in it (ONE_REG and KVM_RUN need INIT first) — carrying over
 * the IRQ/FIQ inputs, the VFP file and the counter offset. Nothing should keep `cpu` across an INIT.
 */
import { E2BIG, EBUSY, EFAULT, EINVAL, ENOENT, ENOEXEC, ENXIO } from "../../abi/errno.js";
import { KVM_MP_STATE_RUNNABLE, KVM_MP_STATE_STOPPED } from "../../abi/exits.js";
import {
  KVM_ARM_VCPU_TIMER_CTRL, KVM_ARM_VCPU_TIMER_IRQ_PTIMER, KVM_ARM_VCPU_TIMER_IRQ_VTIMER, kvm_device_attr,
} from "../../abi/structs/device.js";
import {
  KVM_ARM_TARGET_CORTEX_A15, KVM_ARM_TARGET_CORTEX_A7, KVM_ARM_VCPU_POWER_OFF, KVM_VCPU_MAX_FEATURES,
  kvm_guest_debug_arm, kvm_mp_state, kvm_signal_mask, kvm_translation, kvm_vcpu_events, kvm_vcpu_init,
  KVM_SIGNAL_MASK_SIGSET,
} from "../../abi/structs/vcpu.js";
import { ArmCpu } from "../../arch/arm/cpu.js";
import { AIF_A, AIF_I, MODE_ABT, VECTOR_DATA_ABORT, enterException } from "../../arch/arm/exceptions.js";
import type { KvmArchVcpu } from "../arch.js";
import { viewOf, type IoctlArg } from "../uaccess.js";
import type { KvmVcpu } from "../vcpu.js";
import type { ArmVm } from "./index.js";
import { ArmVcpuMemory } from "./mmio.js";
import { getOneReg, setOneReg } from "./one-reg.js";
import { regList } from "./reg-list.js";
import { resetVcpu } from "./reset.js";
import { kvmRun } from "./run.js";

/** Kernel sigset size on ARM (64 signals), the only KVM_SET_SIGNAL_MASK length accepted (§4.7). */
const KERNEL_SIGSET_BYTES = 8;
/** SIGKILL (9) and SIGSTOP (19) can never be blocked: bits 8 and 18 of the mask. */
const UNBLOCKABLE = (1n << 8n) | (1n << 18n);

/** A pending CPU_ON reset the run loop applies before the vCPU next executes (§7, §8.3). */
export interface PendingReset {
  pc: number;
  r0: number;
  thumb: boolean;
  bigEndian: boolean;
}

export function modelOfTarget(target: number): "cortex-a15" | "cortex-a7" {
  return target === KVM_ARM_TARGET_CORTEX_A7 ? "cortex-a7" : "cortex-a15";
}

export class ArmVcpu implements KvmArchVcpu {
  private core: ArmCpu;
  /** KVM_ARM_TARGET_*; -1 until KVM_ARM_VCPU_INIT. */
  target = -1;
  /** Feature bits, word 0 (KVM_ARM_VCPU_POWER_OFF, KVM_ARM_VCPU_PSCI_0_2). */
  features = 0;
  /** PSCI power state: STOPPED in MP-state terms; a powered-off vCPU sleeps in KVM_RUN. */
  powerOff = false;
  pendingReset: PendingReset | null = null;
  /** KVM_RUN entered once (vcpu->arch.has_run_once). */
  hasRun = false;
  /** HCR.VI / HCR.VF: the raw lines KVM_IRQ_LINE (CPU type) drives without an in-kernel irqchip. */
  userIrq = false;
  userFiq = false;
  /** The vGIC CPU interface's outputs (in-kernel irqchip). */
  gicIrq = false;
  gicFiq = false;
  /** HCR.VA: a virtual asynchronous abort is pending (KVM_SET_VCPU_EVENTS serror_pending). */
  serrorPending = false;
  /** FPINST / FPINST2 (no VFP bounce in this core: stored for ONE_REG only). */
  fpinst = 0;
  fpinst2 = 0;
  /** KVM_SET_SIGNAL_MASK: the blocked set while inside KVM_RUN (null: no mask). */
  sigmask: bigint | null = null;
  /**
   * Wake word for a vCPU sleeping in KVM_RUN (sleep.ts waits on it with Atomics.wait): `kick()`
   * bumps and notifies it. Shared memory, so a worker-thread vCPU can be woken the same way later.
   */
  readonly wakeWord = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    readonly vcpu: KvmVcpu,
    readonly vm: ArmVm,
  ) {
    this.core = this.newCore(modelOfTarget(vm.hostTarget));
    this.core.fp.fpexc = 0; // the VFP context is zero at creation (§4.1, §7)
  }

  get cpu(): ArmCpu {
    return this.core;
  }

  get initialized(): boolean {
    return this.target >= 0;
  }

  /** MPIDR as PSCI matches it: the saved CP15 value once INIT reset it, else derived from the id (§6.3). */
  get mpidr(): number {
    if (this.initialized) return this.core.cp15.mpidr >>> 0;
    const id = this.vcpu.id;
    return (this.core.cp15Model.mpidrHigh | ((id >>> 2) << 8) | (id & 3)) >>> 0;
  }

  private newCore(model: "cortex-a15" | "cortex-a7"): ArmCpu {
    // The vCPU's own memory port (mmio.ts): RAM through the VM's slots, I/O as this vCPU's MMIO exits.
    const port = new ArmVcpuMemory(this.vm.kvm.memory, this.vcpu.index);
    const cpu = new ArmCpu({
      memory: port,
      model,
      readCounter: this.vm.readCounter,
      vcpuId: this.vcpu.id,
      vcpuCount: this.vm.vcpus.length,
    });
    port.stopInfo = cpu.stopInfo;
    cpu.systemMode = true;
    cpu.timer.cntvoff = this.vm.counterOffset;
    // The VM's vCPUs form one inner-shareable domain: broadcast TLB and I-cache maintenance reaches all.
    cpu.shareableDomain = () => this.vm.cores();
    return cpu;
  }

  /** Gives the vCPU a core of the target's model (first INIT only), keeping what it already held. */
  private adoptModel(target: number): void {
    const model = modelOfTarget(target);
    if (this.core.model === model) return;
    const old = this.core, cpu = this.newCore(model);
    new Uint32Array(cpu.fp.buffer).set(new Uint32Array(old.fp.buffer));
    cpu.fp.fpscr = old.fp.fpscr;
    cpu.fp.fpexc = old.fp.fpexc;
    this.core = cpu;
    this.updateLines();
  }

  /** Full reset for KVM_ARM_VCPU_INIT (§7): registers, CP15, timer CTLs, virtual IRQ/FIQ/abort lines. */
  reset(): void {
    resetVcpu(this);
    this.userIrq = this.userFiq = false;
    this.serrorPending = false;
    this.updateLines();
  }

  /** KVM_IRQ_LINE, CPU type (§3.5): HCR.VI / HCR.VF; wakes the vCPU when a line changes. */
  setUserLine(fiq: boolean, level: boolean): void {
    if (fiq ? this.userFiq === level : this.userIrq === level) return;
    if (fiq) this.userFiq = level;
    else this.userIrq = level;
    this.updateLines();
    this.kick();
  }

  /** The vGIC's CPU interface outputs for this vCPU. */
  setGicLines(irq: boolean, fiq: boolean): void {
    if (this.gicIrq === irq && this.gicFiq === fiq) return;
    this.gicIrq = irq;
    this.gicFiq = fiq;
    this.updateLines();
    if (irq || fiq) this.kick();
  }

  private updateLines(): void {
    this.core.setIrqLine(this.userIrq || this.gicIrq);
    this.core.setFiqLine(this.userFiq || this.gicFiq);
  }

  /** Makes a vCPU sleeping in KVM_RUN (sleep.ts) re-check its state. */
  kick(): void {
    Atomics.add(this.wakeWord, 0, 1);
    Atomics.notify(this.wakeWord, 0);
  }

  ioctl(request: number, arg: IoctlArg): number | undefined {
    const R = this.vm.kvm.kernel.arch.requests;
    switch (request) {
      case R.KVM_RUN:
        return kvmRun(this);
      case R.KVM_ARM_VCPU_INIT: {
        const bytes = arg.copyIn(kvm_vcpu_init.size);
        if (bytes === null) return -EFAULT;
        const init = kvm_vcpu_init.read(viewOf(bytes));
        return this.init(init.target, init.features);
      }
      case R.KVM_GET_ONE_REG:
      case R.KVM_SET_ONE_REG: {
        if (!this.initialized) return -ENOEXEC;
        const bytes = arg.copyIn(16);
        if (bytes === null) return -EFAULT;
        const view = viewOf(bytes);
        const id = view.getBigUint64(0, true), addr = view.getBigUint64(8, true);
        return request === R.KVM_GET_ONE_REG ? getOneReg(this, id, addr, arg) : setOneReg(this, id, addr, arg);
      }
      case R.KVM_GET_REG_LIST:
        return this.getRegList(arg);
      case R.KVM_GET_MP_STATE: {
        const out = new Uint8Array(kvm_mp_state.size);
        viewOf(out).setUint32(0, this.powerOff ? KVM_MP_STATE_STOPPED : KVM_MP_STATE_RUNNABLE, true);
        return arg.copyOut(out) ? 0 : -EFAULT;
      }
      case R.KVM_SET_MP_STATE: {
        const bytes = arg.copyIn(kvm_mp_state.size);
        if (bytes === null) return -EFAULT;
        const state = viewOf(bytes).getUint32(0, true);
        if (state === KVM_MP_STATE_RUNNABLE) this.powerOff = false;
        else if (state === KVM_MP_STATE_STOPPED) this.powerOff = true;
        else return -EINVAL;
        if (!this.powerOff) this.kick();
        return 0;
      }
      case R.KVM_GET_VCPU_EVENTS: {
        const out = new Uint8Array(kvm_vcpu_events.size);
        out[0] = this.serrorPending ? 1 : 0;
        return arg.copyOut(out) ? 0 : -EFAULT;
      }
      case R.KVM_SET_VCPU_EVENTS: {
        const bytes = arg.copyIn(kvm_vcpu_events.size);
        if (bytes === null) return -EFAULT;
        return this.setEvents(bytes);
      }
      case R.KVM_SET_DEVICE_ATTR:
      case R.KVM_GET_DEVICE_ATTR:
      case R.KVM_HAS_DEVICE_ATTR: {
        const bytes = arg.copyIn(kvm_device_attr.size);
        if (bytes === null) return -EFAULT;
        const a = kvm_device_attr.read(viewOf(bytes));
        return this.deviceAttr(request === R.KVM_SET_DEVICE_ATTR ? "set" : request === R.KVM_GET_DEVICE_ATTR ? "get" : "has",
          a.group, a.attr, a.addr, arg);
      }
      case R.KVM_SET_SIGNAL_MASK:
        return this.setSignalMask(arg);
      case R.KVM_ARM_VCPU_FINALIZE: {
        if (!this.initialized) return -ENOEXEC;
        if (arg.copyIn(4) === null) return -EFAULT;
        return -EINVAL; // nothing to finalize on 32-bit ARM (kvm_arm_vcpu_finalize)
      }
      // Generic ioctls 32-bit ARM does not implement (§4.5): the argument is copied first where
      // kvm_vcpu_ioctl copies it, then the arch hook answers -EINVAL.
      case R.KVM_GET_REGS:
      case R.KVM_GET_SREGS:
      case R.KVM_GET_FPU:
      case R.KVM_SET_SREGS:
      case R.KVM_SET_FPU:
        return -EINVAL;
      case R.KVM_SET_REGS:
        return arg.copyIn(152) === null ? -EFAULT : -EINVAL;
      case R.KVM_TRANSLATE:
        return arg.copyIn(kvm_translation.size) === null ? -EFAULT : -EINVAL;
      case R.KVM_SET_GUEST_DEBUG:
        return arg.copyIn(kvm_guest_debug_arm.size) === null ? -EFAULT : -EINVAL;
    }
    return undefined;
  }

  /** kvm_arch_vcpu_ioctl_vcpu_init / kvm_vcpu_set_target (§4.1): checks in the kernel's order, then reset. */
  init(target: number, features: readonly number[]): number {
    if (!this.targetAccepted(target)) return -EINVAL;
    if (this.initialized && target !== this.target) return -EINVAL;
    let bits = 0;
    for (let i = 0; i < features.length; i++) {
      const word = features[i]! >>> 0;
      for (let b = 0; b < 32; b++) {
        if ((word & (1 << b)) === 0) continue;
        if (i * 32 + b >= KVM_VCPU_MAX_FEATURES) return -ENOENT;
        bits |= 1 << b;
      }
    }
    if (this.initialized && bits !== this.features) return -EINVAL;
    if (!this.initialized) this.adoptModel(target);
    this.target = target;
    this.features = bits;
    // kvm_reset_vcpu. A vCPU that ran also drops the VM's stage-2 mappings, so every later guest
    // execution of a page starts from what userspace put there (KVM invalidates the I-cache on the
    // next exec fault): here, every vCPU's decoded code and translations go. A VMM that reloads the
    // kernel image before re-INIT (reboot) must not run the previous boot's decoded code.
    if (this.hasRun) {
      for (const core of this.vm.cores()) {
        core.invalidateAllCode();
        core.flushTlb();
      }
    }
    this.pendingReset = null;
    this.reset();
    this.powerOff = (bits & (1 << KVM_ARM_VCPU_POWER_OFF)) !== 0;
    if (!this.powerOff) this.kick();
    return 0;
  }

  /**
   * KVM accepts only the host's target (kvm_target_cpu()). tskvm also accepts the other ARMv7 target
   * of the pair (Cortex-A7 on an A15 host and the reverse): the big.LITTLE extension.
   */
  private targetAccepted(target: number): boolean {
    return target === this.vm.hostTarget || target === KVM_ARM_TARGET_CORTEX_A15 || target === KVM_ARM_TARGET_CORTEX_A7;
  }

  /** KVM_GET_REG_LIST (§4.4): n written back always; E2BIG if the caller's capacity is short. */
  private getRegList(arg: IoctlArg): number {
    if (!this.initialized) return -ENOEXEC;
    const head = arg.copyIn(8);
    if (head === null) return -EFAULT;
    const capacity = viewOf(head).getBigUint64(0, true);
    const ids = regList(this);
    const out = new Uint8Array(8 + 8 * ids.length);
    const view = viewOf(out);
    view.setBigUint64(0, BigInt(ids.length), true);
    if (!arg.copyOut(out.subarray(0, 8))) return -EFAULT;
    if (capacity < BigInt(ids.length)) return -E2BIG;
    ids.forEach((id, i) => view.setBigUint64(8 + 8 * i, id, true));
    return arg.copyOut(out) ? 0 : -EFAULT;
  }

  /** kvm_arm_vcpu_set_events (arch/arm/kvm/guest.c, 5.5), §4.8. */
  private setEvents(bytes: Uint8Array): number {
    const ev = kvm_vcpu_events.read(viewOf(bytes));
    for (let i = 3; i < 8; i++) if (bytes[i] !== 0) return -EINVAL;
    for (let i = 16; i < 64; i++) if (bytes[i] !== 0) return -EINVAL;
    if (ev.serror_pending && ev.serror_has_esr) return -EINVAL;
    if (ev.serror_pending) this.serrorPending = true;
    if (ev.ext_dabt_pending) this.injectExternalDataAbort();
    return 0;
  }

  /**
   * kvm_inject_dabt (virt/kvm/arm/aarch32.c inject_abt32) at the last faulting address: the vCPU
   * takes a Data Abort now — ABT mode, LR = PC + 8, A and I masked, DFAR = the address, DFSR = the
   * IMPLEMENTATION DEFINED external abort KVM reports (0x14 short format, 0x234 LPAE).
   */
  private injectExternalDataAbort(): void {
    const cpu = this.core;
    const lr = (cpu.pc + 8) | 0;
    enterException(cpu, MODE_ABT, VECTOR_DATA_ABORT, lr, AIF_A | AIF_I);
    cpu.regs[15] = cpu.nextPc;
    cpu.cp15.dfar = cpu.stopInfo.address >>> 0;
    cpu.cp15.dfsr = cpu.cp15.ttbcr >>> 31 ? (1 << 9) | 0x34 : 0x14;
  }

  /** vCPU device attributes (§4.9): KVM_ARM_VCPU_TIMER_CTRL; everything else ENXIO. */
  private deviceAttr(op: "set" | "get" | "has", group: number, attr: bigint, addr: bigint, arg: IoctlArg): number {
    if (group !== KVM_ARM_VCPU_TIMER_CTRL) return -ENXIO;
    const known = attr === BigInt(KVM_ARM_VCPU_TIMER_IRQ_VTIMER) || attr === BigInt(KVM_ARM_VCPU_TIMER_IRQ_PTIMER);
    const irqs = this.vm.timerIrqs;
    if (op === "has") return known ? 0 : -ENXIO;
    if (op === "get") {
      if (!known) return -ENXIO;
      const out = new Uint8Array(4);
      viewOf(out).setInt32(0, attr === 0n ? irqs.vtimer : irqs.ptimer, true);
      return arg.copyToPointer(addr, out) ? 0 : -EFAULT;
    }
    // kvm_arm_timer_set_attr: irqchip, get_user, PPI range, timer not yet enabled, then the attr.
    if (this.vm.vgic === null) return -EINVAL;
    const bytes = arg.copyFromPointer(addr, 4);
    if (bytes === null) return -EFAULT;
    const irq = viewOf(bytes).getInt32(0, true);
    if (irq < 16 || irq > 31) return -EINVAL;
    if (this.hasRun) return -EBUSY;
    if (attr === BigInt(KVM_ARM_VCPU_TIMER_IRQ_VTIMER)) irqs.vtimer = irq;
    else if (attr === BigInt(KVM_ARM_VCPU_TIMER_IRQ_PTIMER)) irqs.ptimer = irq;
    else return -ENXIO;
    return 0;
  }

  /** KVM_SET_SIGNAL_MASK (§4.7). */
  private setSignalMask(arg: IoctlArg): number {
    if (arg.value === 0n) {
      this.sigmask = null;
      return 0;
    }
    const head = arg.copyIn(kvm_signal_mask.size);
    if (head === null) return -EFAULT;
    if (viewOf(head).getUint32(0, true) !== KERNEL_SIGSET_BYTES) return -EINVAL;
    const all = arg.copyIn(KVM_SIGNAL_MASK_SIGSET + KERNEL_SIGSET_BYTES);
    if (all === null) return -EFAULT;
    this.sigmask = viewOf(all).getBigUint64(KVM_SIGNAL_MASK_SIGSET, true) & ~UNBLOCKABLE;
    return 0;
  }

  /** kvm_arch_vcpu_destroy. */
  destroy(): void {
    this.powerOff = true;
    this.kick();
  }
}
