/**
 * A vCPU's view of guest-physical memory (Linux: the stage-2 fault path, virt/kvm/arm/mmu.c and
 * mmio.c): the VM's slots for RAM, in-kernel devices (the vGIC) answered here, every other data
 * access a KVM_EXIT_MMIO. Reference kvm-arm32-abi.md §9; design and tskvm's improvement over KVM in
 * docs/kvm-arm-mmio.md.
 *
 * The ARM core asks `ioRead`/`ioWrite` for accesses to PHYS_IO pages (no slot, or a write to a
 * READONLY slot). An access the in-kernel devices do not claim becomes an *exit*: the port answers
 * IO_STOP, the core stops with the instruction uncommitted (restartable), and the run loop returns
 * KVM_EXIT_MMIO with this access's fields. On the next KVM_RUN the instruction is executed again from
 * the start; the port answers the accesses it already performed from `log` (in program order, with
 * the data userspace supplied for reads, writes not repeated), so the instruction completes as if the
 * device had answered at once: the core writes the register with its own sign/zero extension and
 * byte order (CPSR.E), advances the PC and the IT state. An instruction with several accesses
 * (LDM/STM, LDRD/STRD, VLDR/VSTR, VLDM/VSTM) gives one exit per access, in program order; KVM itself
 * cannot decode those (ISV = 0: ENOSYS or KVM_EXIT_ARM_NISV).
 *
 * Writes the in-kernel devices do not claim are offered to the VM's I/O bus (ioeventfds, coalesced-MMIO
 * zones: src/kvm/io-bus.ts) before they exit. Like a vGIC access, an absorbed write is not logged: an
 * instruction with several accesses (STM, STRD, VSTM) of which some are absorbed and a later one
 * exits repeats the absorbed ones when it is re-executed to complete (a second eventfd signal, a
 * second ring entry). KVM cannot decode such instructions at all (ISV = 0, §9.4).
 *
 * Values: `ioRead` returns, and `ioWrite` receives, the access's bytes in memory order folded into a
 * little-endian number (memory.ts); `mmio.data[0..len)` holds exactly those bytes (§9.2).
 *
 * A slot page without a live host mapping (PHYS_FAULT) is KVM_RUN -EFAULT, as get_user_pages failing
 * in user_mem_abort is in Linux: `lookup` records it and stops the core with the instruction
 * restartable; the run loop sees `efault`.
 */
import {
  KVM_RUN_EXIT_REASON, KVM_RUN_MMIO_DATA, KVM_RUN_MMIO_IS_WRITE, KVM_RUN_MMIO_LEN, KVM_RUN_MMIO_PHYS_ADDR,
} from "../../abi/structs/run.js";
import { KVM_EXIT_MMIO } from "../../abi/exits.js";
import {
  IO_DONE, IO_STOP, PHYS_FAULT, type AccessKind, type PhysicalMemoryPort, type PhysPage,
} from "../../arch/arm/memory.js";
import { GUEST_STOP, STOP_IO, type StopInfo } from "../../arch/arm/stop.js";
import type { GuestMemory } from "../guest-memory.js";

/** An in-kernel MMIO device (the vGIC distributor and CPU interface): kvm_io_bus on KVM_MMIO_BUS. */
export interface InKernelMmio {
  handles(pa: number): boolean;
  mmioRead(vcpuIndex: number, pa: number, size: number): number;
  mmioWrite(vcpuIndex: number, pa: number, size: number, value: number): void;
}

const TWO32 = 4294967296;

export class ArmVcpuMemory implements PhysicalMemoryPort {
  /** In-kernel devices tried before an exit (the vGIC once ready); set by the run loop. */
  devices: InKernelMmio | null = null;
  /** Called before every in-kernel device access (the run loop resamples the timer PPIs there). */
  beforeDeviceAccess: (() => void) | null = null;
  /** The core's stop record (set once the vCPU's core exists): used to stop it on -EFAULT. */
  stopInfo: StopInfo | null = null;
  /** A data access or fetch hit a slot page with no host memory behind it: KVM_RUN -EFAULT. */
  efault = false;
  efaultAddress = 0;

  // ---- the accesses of the instruction that exited (or is being completed), in program order
  private readonly logPa: number[] = [];
  private readonly logSize: number[] = [];
  private readonly logWrite: boolean[] = [];
  private readonly logValue: number[] = [];
  /** Entries in the log; the last one is the access the latest exit reported while `exitPending`. */
  private logLength = 0;
  /** Next log entry the re-executed instruction must meet. */
  private replayIndex = 0;
  /** The last log entry is an exit userspace has not completed yet (Linux: vcpu->mmio_needed). */
  exitPending = false;
  /** Address and instruction set of the instruction the log belongs to. */
  instructionPc = 0;
  instructionThumb = false;

  constructor(
    private readonly memory: GuestMemory,
    private readonly vcpuIndex: number,
  ) {}

  get regions(): readonly Uint8Array[] {
    return this.memory.regions;
  }

  get generation(): number {
    return this.memory.generation;
  }

  lookup(pa: number, access: AccessKind, out: PhysPage): 0 | 1 | 2 {
    const r = this.memory.lookup(pa, access, out);
    if (r === PHYS_FAULT && this.stopInfo !== null) {
      this.efault = true;
      this.efaultAddress = pa;
      const info = this.stopInfo;
      info.reason = STOP_IO;
      info.address = pa;
      info.access = access;
      info.size = 0;
      throw GUEST_STOP;
    }
    return r;
  }

  ioRead(pa: number, size: number): number {
    const dev = this.devices;
    if (dev !== null && dev.handles(pa)) {
      this.beforeDeviceAccess?.();
      return dev.mmioRead(this.vcpuIndex, pa, size) >>> 0;
    }
    if (this.replayIndex < this.logLength) {
      const i = this.replayIndex;
      if (this.logPa[i] === pa && this.logSize[i] === size && !this.logWrite[i]) {
        this.replayIndex++;
        return this.logValue[i]!;
      }
      this.logLength = i; // not the access recorded: the instruction changed under us; start over here
    }
    return this.record(pa, size, false, 0);
  }

  ioWrite(pa: number, size: number, value: number): number {
    const dev = this.devices;
    if (dev !== null && dev.handles(pa)) {
      this.beforeDeviceAccess?.();
      dev.mmioWrite(this.vcpuIndex, pa, size, value >>> 0);
      return IO_DONE;
    }
    const replaying = this.replayIndex < this.logLength;
    if (replaying) {
      const i = this.replayIndex;
      if (this.logPa[i] === pa && this.logSize[i] === size && this.logWrite[i] && this.logValue[i] === value >>> 0) {
        this.replayIndex++;
        return IO_DONE;
      }
    }
    // kvm_io_bus_write: an ioeventfd or a coalesced-MMIO zone may absorb the write (no exit) — but
    // not the write an exit already delivered, which the log answers above.
    const bus = this.memory.bus;
    if (bus !== null && bus.mmioWrite(pa, size, value >>> 0)) return IO_DONE;
    if (replaying) this.logLength = this.replayIndex;
    return this.record(pa, size, true, value >>> 0);
  }

  private record(pa: number, size: number, write: boolean, value: number): number {
    const i = this.logLength++;
    this.logPa[i] = pa;
    this.logSize[i] = size;
    this.logWrite[i] = write;
    this.logValue[i] = value;
    this.replayIndex = this.logLength;
    this.exitPending = true;
    return IO_STOP;
  }

  /**
   * The core stopped on the pending access of the instruction at `pc`. If an earlier instruction's
   * accesses are still logged (it completed and a later one in the same run exited), keep only the
   * new access. Then fill kvm_run's mmio fields (§9.1): phys_addr, len, is_write, and for a write the
   * `len` stored bytes (the other data bytes are left as they were, as Linux does).
   */
  reportExit(run: DataView, pc: number, thumb: boolean): void {
    const last = this.logLength - 1;
    if (last > 0 && (pc !== this.instructionPc || thumb !== this.instructionThumb)) {
      this.logPa[0] = this.logPa[last]!;
      this.logSize[0] = this.logSize[last]!;
      this.logWrite[0] = this.logWrite[last]!;
      this.logValue[0] = this.logValue[last]!;
      this.logLength = 1;
    }
    this.instructionPc = pc;
    this.instructionThumb = thumb;
    const i = this.logLength - 1;
    const pa = this.logPa[i]!, size = this.logSize[i]!, value = this.logValue[i]!;
    run.setUint32(KVM_RUN_EXIT_REASON, KVM_EXIT_MMIO, true);
    run.setUint32(KVM_RUN_MMIO_PHYS_ADDR, pa >>> 0, true);
    run.setUint32(KVM_RUN_MMIO_PHYS_ADDR + 4, Math.floor(pa / TWO32), true);
    run.setUint32(KVM_RUN_MMIO_LEN, size, true);
    run.setUint8(KVM_RUN_MMIO_IS_WRITE, this.logWrite[i] ? 1 : 0);
    if (this.logWrite[i]) for (let b = 0; b < size; b++) run.setUint8(KVM_RUN_MMIO_DATA + b, (value >>> (8 * b)) & 0xff);
  }

  /** The pending access is a read (its data comes from userspace). */
  get pendingIsRead(): boolean {
    return this.exitPending && !this.logWrite[this.logLength - 1];
  }

  /**
   * kvm_handle_mmio_return: userspace completed the pending access. A read takes `mmio.data[0..len)`
   * (len as recorded). Afterwards the instruction is re-executed from the start (`beginReplay`).
   */
  complete(run: DataView): void {
    const i = this.logLength - 1;
    this.exitPending = false;
    if (!this.logWrite[i]) {
      const size = this.logSize[i]!;
      let v = 0;
      for (let b = size - 1; b >= 0; b--) v = v * 256 + run.getUint8(KVM_RUN_MMIO_DATA + b);
      this.logValue[i] = v;
    }
  }

  /** The pending access is abandoned (EINVAL on completion): the instruction will fault on it again. */
  abandonPending(): void {
    this.exitPending = false;
    this.logLength--;
  }

  /** Whether there are completed accesses to answer for the instruction at `pc`. */
  canReplay(pc: number, thumb: boolean): boolean {
    return this.logLength > 0 && !this.exitPending && pc === this.instructionPc && thumb === this.instructionThumb;
  }

  /** Re-execution of the logged instruction starts: answer from the first entry. */
  beginReplay(): void {
    this.replayIndex = 0;
  }

  /** The instruction completed, or something else ran: nothing is logged any more. */
  clearLog(): void {
    this.logLength = 0;
    this.replayIndex = 0;
    this.exitPending = false;
  }

  /** Completed accesses held for the current instruction (tests, diagnostics). */
  get logged(): number {
    return this.logLength;
  }
}
