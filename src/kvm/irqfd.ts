/**
 * KVM_IRQFD (virt/kvm/eventfd.c, v5.4–5.6): an eventfd whose signal raises a GSI of the VM, and the
 * resampling variant for level-triggered lines. Reference kvm-arm32-abi.md §3.10.
 *
 * - flags other than DEASSIGN | RESAMPLE: EINVAL.
 * - DEASSIGN: the fd must be an eventfd (EBADF / EINVAL); every irqfd with that eventfd and gsi goes;
 *   0 even when none matched.
 * - assign: EAGAIN until the irqchip is initialized (ARM: the vGIC); EBADF / EINVAL for `fd` and, with
 *   RESAMPLE, for `resamplefd`; EBUSY if the eventfd already drives an irqfd of this VM. The GSI is
 *   not checked: an unrouted GSI simply injects nothing (kvm_set_irq finds no entry), as in Linux. An
 *   eventfd whose counter is already non-zero injects at once (the vfs_poll after registration).
 * - A signal (write or eventfd_signal) injects through the routing table at that moment: a plain
 *   irqfd raises and lowers the GSI (an edge, which a level-configured SPI does not keep), a
 *   resampling one raises it and leaves it high. When the guest completes the interrupt (ARM: the
 *   vGIC deactivates a level SPI routed from that GSI) the resampler lowers the GSI and signals every
 *   resamplefd of that GSI; the guest takes the interrupt again only if the device signals again.
 * - Closing the eventfd (EPOLLHUP) deactivates its irqfd; closing the VM fd deactivates them all
 *   (kvm_irqfd_release). The last resampling irqfd of a GSI to go lowers the GSI.
 *
 * Linux injects from a work item scheduled by the wake-up; here the injection runs inside the write
 * that signalled the eventfd, which a single-threaded kernel cannot tell apart. The vGIC then kicks a
 * vCPU waiting in KVM_RUN as for any interrupt.
 */
import { EAGAIN, EBUSY, EFAULT, EINVAL } from "../abi/errno.js";
import { KVM_IRQFD_FLAG_DEASSIGN, KVM_IRQFD_FLAG_RESAMPLE, kvm_irqfd } from "../abi/structs/irq.js";
import { eventfdCtxFdget, type EventFd, type EventFdWaiter } from "./eventfd.js";
import type { FdTable } from "./fd-table.js";
import type { KvmIrqRouting } from "./irqchip.js";
import { viewOf, type IoctlArg } from "./uaccess.js";

/** struct kvm_kernel_irqfd_resampler: the resampling irqfds of one GSI and their ack notifier. */
class Resampler {
  readonly irqfds = new Set<Irqfd>();
  readonly ack = (): void => {
    // irqfd_resampler_ack: lower the line once, then tell every resamplefd of this GSI.
    this.routing.setIrq(this.gsi, false);
    for (const f of [...this.irqfds]) f.resamplefd!.signal(1n);
  };

  constructor(
    readonly gsi: number,
    private readonly routing: KvmIrqRouting,
  ) {}
}

/** struct kvm_kernel_irqfd. */
class Irqfd implements EventFdWaiter {
  resampler: Resampler | null = null;
  resamplefd: EventFd | null = null;

  constructor(
    readonly owner: KvmIrqfds,
    readonly gsi: number,
    readonly eventfd: EventFd,
  ) {}

  /** irqfd_wakeup(EPOLLIN) → irqfd_inject. */
  wake(): void {
    const routing = this.owner.routing;
    if (this.resampler === null) {
      routing.setIrq(this.gsi, true);
      routing.setIrq(this.gsi, false);
    } else {
      routing.setIrq(this.gsi, true);
    }
  }

  /** irqfd_wakeup(EPOLLHUP): the eventfd is closing; detach from the VM. */
  hangup(): void {
    this.owner.deactivate(this);
  }
}

export class KvmIrqfds {
  /** kvm->irqfds.items, in assignment order. */
  private readonly items: Irqfd[] = [];
  /** kvm->irqfds.resampler_list. */
  private readonly resamplers: Resampler[] = [];

  constructor(
    readonly routing: KvmIrqRouting,
    private readonly fds: FdTable,
  ) {}

  /** Active irqfds (tests, diagnostics). */
  get count(): number {
    return this.items.length;
  }

  /** KVM_IRQFD: copy_from_user of struct kvm_irqfd, then kvm_irqfd. */
  ioctl(arg: IoctlArg): number {
    const bytes = arg.copyIn(kvm_irqfd.size);
    if (bytes === null) return -EFAULT;
    const a = kvm_irqfd.read(viewOf(bytes));
    return this.irqfd(a.fd | 0, a.gsi, a.flags, a.resamplefd | 0);
  }

  /** kvm_irqfd: 0 or a negative errno (rules in the header). */
  irqfd(fd: number, gsi: number, flags: number, resamplefd: number): number {
    if ((flags & ~(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE)) !== 0) return -EINVAL;
    if ((flags & KVM_IRQFD_FLAG_DEASSIGN) !== 0) return this.deassign(fd, gsi);
    return this.assign(fd, gsi, flags, resamplefd);
  }

  private assign(fd: number, gsi: number, flags: number, resamplefd: number): number {
    if (!this.routing.arch.intcInitialized()) return -EAGAIN;
    const eventfd = eventfdCtxFdget(this.fds, fd);
    if (typeof eventfd === "number") return eventfd;
    const irqfd = new Irqfd(this, gsi, eventfd);
    if ((flags & KVM_IRQFD_FLAG_RESAMPLE) !== 0) {
      const rfd = eventfdCtxFdget(this.fds, resamplefd);
      if (typeof rfd === "number") return rfd;
      irqfd.resamplefd = rfd;
      let resampler = this.resamplers.find((r) => r.gsi === gsi);
      if (resampler === undefined) {
        resampler = new Resampler(gsi, this.routing);
        this.resamplers.unshift(resampler);
        this.routing.registerAckNotifier(gsi, resampler.ack);
      }
      irqfd.resampler = resampler;
      resampler.irqfds.add(irqfd);
    }
    if (this.items.some((t) => t.eventfd === eventfd)) {
      // This eventfd drives another irqfd already; undo the resampler step as Linux's fail path does.
      if (irqfd.resampler !== null) this.resamplerShutdown(irqfd);
      return -EBUSY;
    }
    this.items.push(irqfd);
    eventfd.addWaiter(irqfd);
    if (eventfd.readable) irqfd.wake(); // an event pending before registration is not missed
    return 0;
  }

  /** kvm_irqfd_deassign: shut down every irqfd with this eventfd and gsi. */
  private deassign(fd: number, gsi: number): number {
    const eventfd = eventfdCtxFdget(this.fds, fd);
    if (typeof eventfd === "number") return eventfd;
    for (const f of [...this.items]) if (f.eventfd === eventfd && f.gsi === gsi) this.deactivate(f);
    return 0;
  }

  /** irqfd_deactivate + irqfd_shutdown. */
  deactivate(irqfd: Irqfd): void {
    const i = this.items.indexOf(irqfd);
    if (i < 0) return;
    this.items.splice(i, 1);
    irqfd.eventfd.removeWaiter(irqfd);
    if (irqfd.resampler !== null) this.resamplerShutdown(irqfd);
  }

  /** irqfd_resampler_shutdown: the last resampling irqfd of a GSI lowers it and drops the notifier. */
  private resamplerShutdown(irqfd: Irqfd): void {
    const r = irqfd.resampler!;
    r.irqfds.delete(irqfd);
    irqfd.resampler = null;
    if (r.irqfds.size > 0) return;
    this.resamplers.splice(this.resamplers.indexOf(r), 1);
    this.routing.unregisterAckNotifier(r.gsi, r.ack);
    this.routing.setIrq(r.gsi, false);
  }

  /** kvm_irqfd_release: the VM fd is closing. */
  release(): void {
    for (const f of [...this.items]) this.deactivate(f);
  }
}
