/**
 * KVM_RUN for an ARM vCPU (virt/kvm/arm/arm.c kvm_arch_vcpu_ioctl_run, v5.4–5.6), reference
 * kvm-arm32-abi.md §4.2, §7, §8.4, §9, §11. Scheduling: docs/ARCHITECTURE.md ("KVM_RUN and vCPU
 * scheduling"); MMIO: mmio.ts and docs/kvm-arm-mmio.md; sleeping: sleep.ts.
 *
 * Entry, in the kernel's order: ENOEXEC before KVM_ARM_VCPU_INIT; first-run work (vGIC resources
 * mapped — ENXIO/EINVAL from the vGIC —, timer enabled: ENODEV/EINVAL); completion of a pending MMIO
 * access (EINVAL if a read's mmio.len > 4) by re-executing the instruction; immediate_exit → EINTR
 * with exit_reason untouched; exit_reason = KVM_EXIT_UNKNOWN; then the guest runs.
 *
 * The guest runs on the calling thread for one time slice (KVM_RUN_SLICE_MS of guest execution, in
 * chunks of RUN_CHUNK instructions) or until an exit: KVM_EXIT_MMIO, KVM_EXIT_SYSTEM_EVENT (PSCI
 * SYSTEM_OFF/RESET), -EFAULT (a slot page with no host memory), or — slice over, or without an
 * in-kernel irqchip the timer lines changed — -EINTR with KVM_EXIT_INTR, what a VMM sees on Linux when
 * its periodic signal interrupts KVM_RUN. A vCPU that waits (WFI/WFE with nothing pending, PSCI
 * CPU_SUSPEND, powered off) sleeps in sleep.ts until it is kicked, its timer fires or the slice ends.
 *
 * Timer → interrupt: the core's timer outputs are sampled at every chunk boundary, whenever the core
 * stops, after every sleep and before every access to the vGIC's registers (so a guest that masks or
 * reprograms its timer and then EOIs sees the level drop first, as with the hardware's direct
 * wiring); with a vGIC they drive the PPIs `vm.timerIrqs` name, without one kvm_run's
 * device_irq_level (§4.2 row 7).
 */
import { EFAULT, EINTR, EINVAL, ENODEV, ENOEXEC } from "../../abi/errno.js";
import {
  KVM_EXIT_INTR, KVM_EXIT_MMIO, KVM_EXIT_SYSTEM_EVENT, KVM_EXIT_UNKNOWN,
} from "../../abi/exits.js";
import {
  KVM_RUN_EXIT_REASON, KVM_RUN_IMMEDIATE_EXIT, KVM_RUN_MMIO_LEN, KVM_RUN_S, KVM_RUN_SYSTEM_EVENT_FLAGS,
  KVM_RUN_SYSTEM_EVENT_TYPE,
} from "../../abi/structs/run.js";
import {
  STOP_BUDGET, STOP_HVC, STOP_IO, STOP_NONE, STOP_SMC, STOP_WFE, STOP_WFI, type ArmCpu,
} from "../../arch/arm/cpu.js";
import { AIF_I } from "../../arch/arm/exceptions.js";
import type { ArmVm } from "./index.js";
import { ArmVcpuMemory, type InKernelMmio } from "./mmio.js";
import { handleHvc, handleSmc } from "./psci.js";
import { applyCpuOnReset } from "./reset.js";
import { kvmVcpuBlock, takeBlockRequest, type BlockConditions } from "./sleep.js";
import type { ArmVcpu } from "./vcpu.js";

/**
 * Guest time one KVM_RUN runs before it returns -EINTR / KVM_EXIT_INTR when nothing else made it
 * exit: long enough that the per-call cost (a few µs) is noise, short enough that a single-threaded
 * VMM round-robining 8 vCPUs still services its own I/O every ~35 ms. It is wall-clock time.
 * Measured on the 2-core build host (tests/kvm/arm/run/entry.test.ts, sleep.test.ts): a busy guest
 * returns after 4.5–5 ms on an idle host (median 12 ms at load average 12, from preemption); a WFI
 * guest sleeps whole slices at ~1.5 % of one core.
 */
export const KVM_RUN_SLICE_MS = 4;

/**
 * Instructions per `cpu.run` call: the granularity at which the slice's end and a timer that fired
 * while the guest ran are noticed (≈ 0.1–0.3 ms at the core's 15–50 MIPS).
 */
export const RUN_CHUNK = 4096;

/** Instructions per `cpu.run` call while a slice overruns to let the guest leave an IRQs-masked section. */
export const RUN_CHUNK_MASKED = 128;

/** KVM_ARM_DEV_EL1_VTIMER / _PTIMER bits of kvm_run.s.regs.device_irq_level (§4.2 row 7). */
export const KVM_ARM_DEV_EL1_VTIMER = 1;
export const KVM_ARM_DEV_EL1_PTIMER = 2;

/** What the run loop needs of the vGIC (K4's Vgic): readiness, its registers, the timer PPIs. */
export interface RunVgic extends InKernelMmio {
  readonly initialized: boolean;
  readonly ready: boolean;
  firstRun(): number;
  setPpiLevel(vcpuIndex: number, intid: number, level: boolean): void;
  /** Whether the vCPU sent an SGI to another vCPU, or ended one, since the last call. */
  yieldHint(vcpuIndex: number): boolean;
}

/** The run loop's own per-vCPU state. */
class RunState implements BlockConditions {
  /** The vCPU's memory port: the core's own (ArmVcpu builds its core on it), else installed as the VM's I/O hook. */
  readonly port: ArmVcpuMemory;
  /** A stop the MMIO completion produced, handled when the guest next runs (HVC, SMC, WFI, WFE). */
  deferredStop = STOP_NONE;
  /** Timer levels last given to the vGIC (-1: unknown, send the next one whatever it is). */
  vLevel = -1;
  pLevel = -1;
  vgic: RunVgic | null = null;
  /** Set while a WFI/CPU_SUSPEND (true) or a power-off (false) block is in progress. */
  wfi = true;
  /** The last KVM_RUN ended with this vCPU waiting (WFI, CPU_SUSPEND, powered off). */
  idle = false;
  readonly sampleTimer = (): void => this.refresh();

  constructor(readonly v: ArmVcpu) {
    const core = v.cpu.mmu.port;
    this.port = core instanceof ArmVcpuMemory ? core : new ArmVcpuMemory(v.vm.kvm.memory, v.vcpu.index);
  }

  // ---- BlockConditions
  runnable(): boolean {
    const v = this.v, cpu = v.cpu;
    if (v.pendingReset !== null) return true;
    if (!this.wfi) return !v.powerOff;
    return v.powerOff || cpu.irqLine || cpu.fiqLine || (this.vgic === null && userLevelChanged(v));
  }
  nextTimerMs(): number {
    return this.wfi ? this.v.cpu.timer.nextEventMs() : Infinity;
  }
  /** kvm_timer_update_irq: the timer outputs to the vGIC's PPIs (the lines follow through setIrqLines). */
  refresh(): void {
    const vgic = this.vgic;
    if (vgic === null) return;
    const v = this.v, t = v.cpu.timer;
    const vl = t.virtualOutput ? 1 : 0, pl = t.physicalOutput ? 1 : 0;
    if (vl !== this.vLevel) {
      this.vLevel = vl;
      vgic.setPpiLevel(v.vcpu.index, v.vm.timerIrqs.vtimer, vl === 1);
    }
    if (pl !== this.pLevel) {
      this.pLevel = pl;
      vgic.setPpiLevel(v.vcpu.index, v.vm.timerIrqs.ptimer, pl === 1);
    }
  }
}

const states = new WeakMap<ArmVcpu, RunState>();

function stateOf(v: ArmVcpu): RunState {
  let s = states.get(v);
  if (s === undefined) {
    s = new RunState(v);
    states.set(v, s);
  }
  return s;
}

/** The memory port KVM_RUN uses for a vCPU (tests and diagnostics: the MMIO log). */
export function vcpuMemoryOf(v: ArmVcpu): ArmVcpuMemory {
  return stateOf(v).port;
}

/** The vGIC, as the run loop sees it (null: user-space irqchip). */
function vgicOf(vm: ArmVm): RunVgic | null {
  return vm.vgic as unknown as RunVgic | null;
}

/** The timer levels as device_irq_level bits. */
function userLevels(cpu: ArmCpu): number {
  const t = cpu.timer;
  return (t.virtualOutput ? KVM_ARM_DEV_EL1_VTIMER : 0) | (t.physicalOutput ? KVM_ARM_DEV_EL1_PTIMER : 0);
}

/** kvm_timer_should_notify_user: a timer line differs from what kvm_run last told userspace. */
function userLevelChanged(v: ArmVcpu): boolean {
  const run = v.vcpu.run;
  const told = run.getUint32(KVM_RUN_S, true) & (KVM_ARM_DEV_EL1_VTIMER | KVM_ARM_DEV_EL1_PTIMER);
  return told !== userLevels(v.cpu);
}

/** kvm_timer_update_run: device_irq_level = the current timer lines (the PMU bit stays 0). */
function updateUserLevels(v: ArmVcpu): void {
  const run = v.vcpu.run;
  const old = run.getUint32(KVM_RUN_S, true);
  run.setUint32(KVM_RUN_S, (old & ~(KVM_ARM_DEV_EL1_VTIMER | KVM_ARM_DEV_EL1_PTIMER)) | userLevels(v.cpu), true);
}

/** KVM_RUN (§4.2). Returns 0 (look at exit_reason) or a negative errno. */
export function kvmRun(v: ArmVcpu): number {
  if (!v.initialized) return -ENOEXEC;
  const st = stateOf(v);
  const r = enterRun(v, st);
  if (st.vgic === null) updateUserLevels(v);
  return r;
}

function enterRun(v: ArmVcpu, st: RunState): number {
  const r0 = firstRunInit(v, st);
  if (r0 < 0) return r0;
  const run = v.vcpu.run, port = st.port, cpu = v.cpu;
  port.stopInfo = cpu.stopInfo;
  port.devices = st.vgic !== null && st.vgic.ready ? st.vgic : null;
  port.beforeDeviceAccess = st.sampleTimer;
  if (cpu.mmu.port !== port) v.vm.kvm.memory.io = port; // one thread runs one vCPU at a time
  st.vLevel = st.pLevel = -1; // the vGIC hears the current levels at least once per KVM_RUN

  // 3. Completion of the access the last exit reported (kvm_handle_mmio_return).
  if (port.exitPending) {
    if (run.getUint32(KVM_RUN_EXIT_REASON, true) !== KVM_EXIT_MMIO) {
      port.abandonPending(); // not completed: the instruction runs again and exits again
    } else {
      if (port.pendingIsRead && run.getUint32(KVM_RUN_MMIO_LEN, true) > 4) {
        port.abandonPending();
        return -EINVAL;
      }
      port.complete(run);
      const reason = completeInstruction(v, st);
      if (reason === STOP_IO) return ioExit(v, st);
      st.deferredStop = reason;
    }
  }

  // 4. immediate_exit: EINTR, exit_reason untouched.
  if (run.getUint8(KVM_RUN_IMMEDIATE_EXIT) !== 0) return -EINTR;

  // 5. The guest runs — with its local exclusive monitor open. Between two KVM_RUNs other vCPUs of
  // the VM ran on this thread and the VMM may have written guest memory (DMA), and none of them
  // cleared this vCPU's monitor: so an exit clears it, as the host's exception return and context
  // switch (CLREX) do on KVM. A LDREX…STREX the exit split fails and the guest retries it.
  cpu.exclusiveAddress = -1;
  run.setUint32(KVM_RUN_EXIT_REASON, KVM_EXIT_UNKNOWN, true);
  return runSlice(v, st);
}

/**
 * kvm_vcpu_first_run_init: map the vGIC (its first KVM_RUN on the VM), then enable the timer. Unlike
 * Linux, a vGIC that failed to become ready is retried on every KVM_RUN (Linux marks the vCPU as
 * having run and later runs it without a mapped vGIC), so a VMM that sets the addresses after an
 * ENXIO can go on.
 */
function firstRunInit(v: ArmVcpu, st: RunState): number {
  v.hasRun = true;
  const vgic = vgicOf(v.vm);
  st.vgic = vgic;
  if (vgic === null) return 0;
  if (!vgic.ready) {
    const r = vgic.firstRun();
    if (r < 0) return r;
  }
  // kvm_timer_enable: the vGIC must be initialized and the two timer PPIs distinct (one owner each).
  if (!vgic.initialized) return -ENODEV;
  if (v.vm.timerIrqs.vtimer === v.vm.timerIrqs.ptimer) return -EINVAL;
  return 0;
}

/**
 * Re-execute the instruction whose access userspace just completed: the port answers its logged
 * accesses, the core writes the registers, advances PC and ITSTATE. Interrupts wait until it has
 * completed (KVM finishes the access before the guest can take one). Returns the core's stop reason:
 * STOP_IO if the instruction (or one after it in the same translated block) needs another exit.
 */
function completeInstruction(v: ArmVcpu, st: RunState): number {
  const cpu = v.cpu, port = st.port;
  if (!port.canReplay(cpu.regs[15]! >>> 0, cpu.thumb)) {
    port.clearLog(); // userspace moved the PC (SET_ONE_REG, INIT): nothing to complete
    return STOP_NONE;
  }
  port.beginReplay();
  cpu.irqLine = cpu.fiqLine = false;
  let reason: number;
  try {
    reason = cpu.run(1);
  } finally {
    // The vCPU's lines as they are now (the vGIC may have changed them meanwhile).
    cpu.setIrqLine(v.userIrq || v.gicIrq);
    cpu.setFiqLine(v.userFiq || v.gicFiq);
  }
  if (reason !== STOP_IO) port.clearLog();
  return reason === STOP_BUDGET ? STOP_NONE : reason;
}

/** STOP_IO: an MMIO exit, or -EFAULT for a slot page without host memory. */
function ioExit(v: ArmVcpu, st: RunState): number {
  const port = st.port, cpu = v.cpu;
  if (port.efault) {
    port.efault = false;
    port.clearLog();
    return -EFAULT;
  }
  port.reportExit(v.vcpu.run, cpu.regs[15]! >>> 0, cpu.thumb);
  return 0;
}

/** The slice is over (or userspace must look at the timer lines): -EINTR with KVM_EXIT_INTR. */
function exitIntr(v: ArmVcpu): number {
  v.vcpu.run.setUint32(KVM_RUN_EXIT_REASON, KVM_EXIT_INTR, true);
  return -EINTR;
}

/**
 * Another vCPU of the VM can make progress: it ran before and its last KVM_RUN did not end waiting.
 * A single-threaded VMM runs vCPUs one after another, so a waiting vCPU must not hold the thread
 * while another one has work: it yields (-EINTR at once) instead of sleeping. Only when every vCPU
 * waits does KVM_RUN sleep.
 */
function otherVcpuRunnable(v: ArmVcpu): boolean {
  for (const o of v.vm.vcpus) {
    if (o === v || o.powerOff || !o.hasRun) continue;
    const s = states.get(o);
    if (s !== undefined && !s.idle) return true;
  }
  return false;
}

/** Block the vCPU (WFI-like or powered off) until it may run or the slice ends; false: slice over. */
function block(st: RunState, wfi: boolean, deadline: number): boolean {
  st.wfi = wfi;
  const until = otherVcpuRunnable(st.v) ? 0 : deadline;
  if (kvmVcpuBlock(st.v.wakeWord, until, st)) return true;
  st.idle = true;
  return false;
}

/** The run loop proper: one time slice, or until an exit. */
function runSlice(v: ArmVcpu, st: RunState): number {
  const deadline = performance.now() + KVM_RUN_SLICE_MS;
  const run = v.vcpu.run;
  st.idle = false;
  let reason = st.deferredStop;
  st.deferredStop = STOP_NONE;
  // An instruction whose pending access was abandoned (EINVAL, or exit_reason changed) runs again;
  // the accesses it had completed are answered from the log, the abandoned one exits again.
  if (reason === STOP_NONE && st.port.logged > 0 && !st.port.exitPending) reason = completeInstruction(v, st);
  for (;;) {
    switch (reason) {
      case STOP_IO:
        return ioExit(v, st);
      case STOP_HVC: {
        const event = handleHvc(v);
        if (event > 0) {
          run.setUint32(KVM_RUN_EXIT_REASON, KVM_EXIT_SYSTEM_EVENT, true);
          run.setUint32(KVM_RUN_SYSTEM_EVENT_TYPE, event, true);
          run.setUint32(KVM_RUN_SYSTEM_EVENT_FLAGS, 0, true);
          run.setUint32(KVM_RUN_SYSTEM_EVENT_FLAGS + 4, 0, true);
          return 0;
        }
        break;
      }
      case STOP_SMC:
        handleSmc(v);
        break;
      case STOP_WFI:
        if (!block(st, true, deadline)) return exitIntr(v);
        break;
      case STOP_WFE:
        // Another vCPU may hold what this one waits for (a spinlock's WFE): block() yields to it.
        if (!block(st, true, deadline)) return exitIntr(v);
        break;
    }

    // check_vcpu_requests: CPU_ON reset, power-off sleep, PSCI CPU_SUSPEND.
    if (v.pendingReset !== null && !v.powerOff) {
      applyCpuOnReset(v, v.pendingReset);
      v.pendingReset = null;
      st.port.clearLog();
    }
    if (v.powerOff) {
      if (!block(st, false, deadline)) return exitIntr(v);
      continue;
    }
    if (takeBlockRequest(v) && !block(st, true, deadline)) return exitIntr(v);

    st.refresh();
    if (st.vgic === null && userLevelChanged(v)) return exitIntr(v);
    // Directed yield: this vCPU just signalled another one (an IPI) and most likely waits for it —
    // Linux spins in csd_lock_wait for every smp_call_function, e.g. the Cortex-A15 erratum 798181
    // workaround's IPI after each TLB flush. Vcpus take turns on one thread here, so let the target
    // run now rather than spin out the slice (KVM's kvm_vcpu_on_spin serves the same end).
    if (st.vgic !== null && st.vgic.yieldHint(v.vcpu.index)) return exitIntr(v);
    let chunk = RUN_CHUNK;
    if (performance.now() >= deadline) {
      // The slice is over — but not in the middle of a critical section the guest runs with IRQs
      // masked (an interrupt handler, spin_lock_irqsave, the timekeeping seqcount write every tick):
      // the other vCPUs would spin on it for a whole slice. Run on in short chunks until the guest
      // unmasks IRQs, for at most one more slice.
      if ((v.cpu.aif & AIF_I) === 0 || performance.now() >= deadline + KVM_RUN_SLICE_MS) return exitIntr(v);
      chunk = RUN_CHUNK_MASKED;
    }
    reason = v.cpu.run(chunk);
  }
}
