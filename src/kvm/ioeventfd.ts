/**
 * KVM_IOEVENTFD (virt/kvm/eventfd.c, v5.4–5.6): a guest write to an address is absorbed in the kernel
 * and signals an eventfd instead of exiting to userspace. Reference kvm-arm32-abi.md §3.11.
 *
 * Assign, in the kernel's order: len not 0/1/2/4/8, addr + len wrapping past 2^64, a flag outside
 * KVM_IOEVENTFD_VALID_FLAG_MASK, or len 0 with DATAMATCH: EINVAL; the fd: EBADF / EINVAL (not an
 * eventfd); an ioeventfd on the same bus and address whose length and data could match the same
 * write (either has length 0, or equal lengths and either is a wildcard or the datamatch values are
 * equal): EEXIST; a bus already holding NR_IOBUS_DEVS other devices: ENOSPC.
 * Deassign (DEASSIGN flag): the fd is checked first (EBADF / EINVAL); then the ioeventfd with that
 * bus, eventfd, addr, len and wildcard-ness (and datamatch, unless a wildcard) goes; none: ENOENT.
 *
 * The bus comes from the flags: PIO → the PIO bus, VIRTIO_CCW_NOTIFY → the s390 notify bus, else
 * MMIO. Both of the former are accepted on every architecture (the buses exist everywhere) but an
 * ARM guest never reaches them, so such an ioeventfd never fires — as on Linux/ARM.
 *
 * Matching a write (ioeventfd_in_range): the address must be exact; length 0 matches any write
 * there; otherwise the length must be equal and, unless a wildcard, the value equal to datamatch.
 * (The ARM core splits 8-byte accesses — LDRD/STRD, VSTR — into 4-byte ones, so a length-8 ioeventfd
 * only matches through a length-0 one; KVM itself cannot decode those instructions at all.)
 */
import { EEXIST, EFAULT, EINVAL, ENOENT, ENOSPC } from "../abi/errno.js";
import {
  KVM_IOEVENTFD_FLAG_DATAMATCH, KVM_IOEVENTFD_FLAG_DEASSIGN, KVM_IOEVENTFD_FLAG_PIO,
  KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY, KVM_IOEVENTFD_VALID_FLAG_MASK, kvm_ioeventfd,
} from "../abi/structs/irq.js";
import { eventfdCtxFdget, type EventFd } from "./eventfd.js";
import type { FdTable } from "./fd-table.js";
import { viewOf, type IoctlArg } from "./uaccess.js";

/** enum kvm_bus (the ones an ioeventfd can sit on). */
export const KVM_MMIO_BUS = 0;
export const KVM_PIO_BUS = 1;
export const KVM_VIRTIO_CCW_NOTIFY_BUS = 2;

const U64 = 1n << 64n;

/** struct _ioeventfd. */
export interface Ioeventfd {
  readonly bus: number;
  readonly addr: bigint;
  readonly length: number;
  readonly eventfd: EventFd;
  readonly datamatch: bigint;
  readonly wildcard: boolean;
}

/** The arguments of KVM_IOEVENTFD (struct kvm_ioeventfd). */
export interface IoeventfdArgs {
  datamatch: bigint;
  addr: bigint;
  len: number;
  fd: number;
  flags: number;
}

export class KvmIoeventfds {
  /** kvm->ioeventfds, in registration order. */
  private readonly list: Ioeventfd[] = [];
  /** MMIO-bus ioeventfds only, for the write path. */
  private mmio: Ioeventfd[] = [];

  constructor(
    private readonly fds: FdTable,
    /** kvm_io_bus_register_dev's room check for `bus` (devices other than ioeventfds). */
    private readonly busHasRoom: (bus: number) => boolean,
  ) {}

  /** Registered ioeventfds on any bus (tests, diagnostics). */
  get count(): number {
    return this.list.length;
  }

  /** Whether any MMIO-bus ioeventfd exists (the write path's fast exit). */
  get anyMmio(): boolean {
    return this.mmio.length > 0;
  }

  /** KVM_IOEVENTFD: copy_from_user of struct kvm_ioeventfd, then kvm_ioeventfd. */
  ioctl(arg: IoctlArg): number {
    const bytes = arg.copyIn(kvm_ioeventfd.size);
    if (bytes === null) return -EFAULT;
    const a = kvm_ioeventfd.read(viewOf(bytes));
    return this.ioeventfd({ datamatch: a.datamatch, addr: a.addr, len: a.len, fd: a.fd, flags: a.flags });
  }

  /** kvm_ioeventfd. */
  ioeventfd(a: IoeventfdArgs): number {
    return (a.flags & KVM_IOEVENTFD_FLAG_DEASSIGN) !== 0 ? this.deassign(a) : this.assign(a);
  }

  private assign(a: IoeventfdArgs): number {
    const bus = busFromFlags(a.flags);
    if (a.len !== 0 && a.len !== 1 && a.len !== 2 && a.len !== 4 && a.len !== 8) return -EINVAL;
    if (a.addr + BigInt(a.len) >= U64) return -EINVAL;
    if ((a.flags & ~KVM_IOEVENTFD_VALID_FLAG_MASK) !== 0) return -EINVAL;
    if (a.len === 0 && (a.flags & KVM_IOEVENTFD_FLAG_DATAMATCH) !== 0) return -EINVAL;
    const eventfd = eventfdCtxFdget(this.fds, a.fd);
    if (typeof eventfd === "number") return eventfd;
    const wildcard = (a.flags & KVM_IOEVENTFD_FLAG_DATAMATCH) === 0;
    const p: Ioeventfd = { bus, addr: a.addr, length: a.len, eventfd, datamatch: wildcard ? 0n : a.datamatch, wildcard };
    if (this.list.some((q) => collides(q, p))) return -EEXIST;
    if (!this.busHasRoom(bus)) return -ENOSPC;
    this.list.push(p);
    this.refresh();
    return 0;
  }

  private deassign(a: IoeventfdArgs): number {
    const bus = busFromFlags(a.flags);
    const eventfd = eventfdCtxFdget(this.fds, a.fd);
    if (typeof eventfd === "number") return eventfd;
    const wildcard = (a.flags & KVM_IOEVENTFD_FLAG_DATAMATCH) === 0;
    const i = this.list.findIndex((p) =>
      p.bus === bus && p.eventfd === eventfd && p.addr === a.addr && p.length === a.len && p.wildcard === wildcard &&
      (p.wildcard || p.datamatch === a.datamatch));
    if (i < 0) return -ENOENT;
    this.list.splice(i, 1);
    this.refresh();
    return 0;
  }

  private refresh(): void {
    this.mmio = this.list.filter((p) => p.bus === KVM_MMIO_BUS);
  }

  /**
   * A guest write of `size` bytes at guest-physical `pa` on the MMIO bus, `value` being the bytes in
   * memory order folded little-endian (what *(uN *)val reads on a little-endian host). Signals the
   * first matching ioeventfd; true if one took the write.
   */
  mmioWrite(pa: number, size: number, value: number): boolean {
    const list = this.mmio;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (p.addr !== BigInt(pa)) continue;
      if (p.length !== 0) {
        if (p.length !== size) continue;
        if (!p.wildcard && p.datamatch !== BigInt(value >>> 0)) continue;
      }
      p.eventfd.signal(1n);
      return true;
    }
    return false;
  }
}

function busFromFlags(flags: number): number {
  if ((flags & KVM_IOEVENTFD_FLAG_PIO) !== 0) return KVM_PIO_BUS;
  if ((flags & KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY) !== 0) return KVM_VIRTIO_CCW_NOTIFY_BUS;
  return KVM_MMIO_BUS;
}

/** ioeventfd_check_collision. */
function collides(q: Ioeventfd, p: Ioeventfd): boolean {
  return q.bus === p.bus && q.addr === p.addr &&
    (q.length === 0 || p.length === 0 ||
      (q.length === p.length && (q.wildcard || p.wildcard || q.datamatch === p.datamatch)));
}
