/**
 * The VM's in-kernel I/O buses as far as userspace can populate them (virt/kvm/kvm_main.c
 * kvm_io_bus_*): ioeventfds (ioeventfd.ts) and coalesced-MMIO zones (coalesced-mmio.ts). The
 * architecture's own in-kernel devices (ARM: the vGIC) are tried by its MMIO path before this bus and
 * only count here toward the bus limit.
 *
 * kvm_io_bus_register_dev refuses a device when the bus already holds NR_IOBUS_DEVS devices that are
 * not ioeventfds (ENOSPC; ioeventfds are bounded by the fd limit instead). On ARM the one such device
 * before any zone is the vGIC distributor, registered on the MMIO bus when the vGIC is mapped at the
 * first KVM_RUN (the GICv2 CPU interface is mapped straight to the hardware's GICV, not a bus device).
 *
 * A guest write on the MMIO bus is offered to the ioeventfds first, then to the zones; the first that
 * takes it absorbs it (no KVM_EXIT_MMIO). Linux walks the bus's devices sorted by address range, so for
 * an ioeventfd inside a coalesced zone either may win there; tskvm always lets the ioeventfd win.
 * Reads are never absorbed (neither device has a read operation).
 */
import type { FdTable } from "./fd-table.js";
import { KvmCoalescedMmio } from "./coalesced-mmio.js";
import { KvmIoeventfds } from "./ioeventfd.js";

/** NR_IOBUS_DEVS (include/linux/kvm_host.h). */
export const NR_IOBUS_DEVS = 1000;

/** What the guest-physical write path asks of the bus (GuestMemory.bus). */
export interface MmioWriteBus {
  /** A guest MMIO write; true if an in-kernel device absorbed it. */
  mmioWrite(pa: number, size: number, value: number): boolean;
}

export class KvmIoBus implements MmioWriteBus {
  readonly ioeventfds: KvmIoeventfds;
  readonly coalesced: KvmCoalescedMmio;

  constructor(
    fds: FdTable,
    /** The coalesced-MMIO ring page (page 1 of the first vCPU's mmap area). */
    ring: Uint8Array,
    /** Architecture devices on `bus` (ARM: 1 on the MMIO bus once the vGIC distributor is mapped). */
    private readonly archDevices: (bus: number) => number,
  ) {
    const room = (bus: number): boolean => this.hasRoom(bus);
    this.ioeventfds = new KvmIoeventfds(fds, room);
    this.coalesced = new KvmCoalescedMmio(ring, room);
  }

  /** kvm_io_bus_register_dev's limit: dev_count − ioeventfd_count ≤ NR_IOBUS_DEVS − 1. */
  hasRoom(bus: number): boolean {
    return this.archDevices(bus) + this.coalesced.zonesOn(bus) <= NR_IOBUS_DEVS - 1;
  }

  mmioWrite(pa: number, size: number, value: number): boolean {
    if (this.ioeventfds.anyMmio && this.ioeventfds.mmioWrite(pa, size, value)) return true;
    return this.coalesced.anyMmio && this.coalesced.mmioWrite(pa, size, value);
  }
}
