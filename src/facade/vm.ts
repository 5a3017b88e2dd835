/**
 * VmFd: a VM fd. Memory slots and the dirty log, vCPU and device creation, the irqchip and IRQ lines,
 * capabilities, coalesced MMIO, irqfds, GSI routing, ioeventfds and the PowerPC VM ioctls.
 */
import type { RawKvmHost } from "../abi/syscalls.js";
import type { KvmRequests } from "../abi/requests.js";
import { kvm_userspace_memory_region, kvm_dirty_log, kvm_clear_dirty_log, kvm_coalesced_mmio_zone } from "../abi/structs/memory.js";
import {
  kvm_irq_level, kvm_irq_level_status, kvm_arm_device_addr, kvm_irqfd, kvm_ioeventfd, kvm_irq_routing,
  KVM_IRQFD_FLAG_DEASSIGN, KVM_IRQFD_FLAG_RESAMPLE, KVM_IOEVENTFD_FLAG_DATAMATCH, KVM_IOEVENTFD_FLAG_DEASSIGN,
  KVM_IOEVENTFD_FLAG_PIO, KVM_IRQ_ROUTING_ENTRIES, KVM_IRQ_ROUTING_ENTRY_SIZE, KVM_IRQ_ROUTING_ENTRY_U,
  KVM_IRQ_ROUTING_IRQCHIP,
} from "../abi/structs/irq.js";
import { kvm_vcpu_init } from "../abi/structs/vcpu.js";
import { kvm_create_device, KVM_CREATE_DEVICE_TEST } from "../abi/structs/device.js";
import { kvm_ppc_set_platform, kvm_ppc_pvinfo } from "../abi/structs/ppc.js";
import { FdObject, structBuffer, type ScratchMapping } from "./fd.js";
import { DeviceFd } from "./device.js";
import { VcpuFd, enableCapBytes } from "./vcpu.js";
import type { EventFd } from "./eventfd.js";

/** One KVM_SET_GSI_ROUTING entry: an irqchip pin (type 1, the default) or an MSI (type 2). */
export interface GsiRoute {
  readonly gsi: number;
  readonly type?: number;
  readonly flags?: number;
  readonly irqchip?: number;
  readonly pin?: number;
  readonly msi?: { address_lo: number; address_hi: number; data: number; devid?: number };
}

/** A KVM_IOEVENTFD registration: `len` 0 (any), 1, 2, 4 or 8; `datamatch` given = DATAMATCH. */
export interface Ioeventfd {
  readonly addr: bigint | number;
  readonly len: number;
  readonly fd: EventFd | number;
  readonly datamatch?: bigint | number;
  readonly pio?: boolean;
  /** Extra raw flag bits (e.g. VIRTIO_CCW_NOTIFY). */
  readonly flags?: number;
}

const fdOf = (f: EventFd | number): number => (typeof f === "number" ? f : f.fd);

export interface UserMemoryRegion {
  readonly slot: number;
  readonly flags?: number;
  readonly guest_phys_addr: bigint | number;
  readonly memory_size: bigint | number;
  /** A host address, e.g. the `addr` of host.mmap(-1, size). */
  readonly userspace_addr: bigint | number;
}

export class VmFd extends FdObject {
  /** @internal Use Kvm.createVm. */
  constructor(host: RawKvmHost, fd: number, requests: KvmRequests, scratch: ScratchMapping, private readonly mmapSize: number) {
    super(host, fd, requests, scratch);
  }

  checkExtension(cap: number): number {
    return this.ioctl("KVM_CHECK_EXTENSION", cap);
  }

  setUserMemoryRegion(r: UserMemoryRegion): void {
    const { bytes, view } = structBuffer(kvm_userspace_memory_region.size);
    kvm_userspace_memory_region.write(view, {
      slot: r.slot, flags: r.flags ?? 0, guest_phys_addr: BigInt(r.guest_phys_addr),
      memory_size: BigInt(r.memory_size), userspace_addr: BigInt(r.userspace_addr),
    });
    this.ioctl("KVM_SET_USER_MEMORY_REGION", bytes);
  }

  /**
   * KVM_GET_DIRTY_LOG for a slot of `memory_size` bytes: returns the bitmap (bit n = page n of the
   * slot), ALIGN(npages, 64) / 8 bytes — enough for either word size.
   */
  getDirtyLog(slot: number, memory_size: bigint | number): Uint8Array {
    const len = bitmapBytes(memory_size);
    const m = this.scratch.get(len);
    m.bytes.fill(0, 0, len);
    const { bytes, view } = structBuffer(kvm_dirty_log.size);
    kvm_dirty_log.write(view, { slot, padding1: 0, dirty_bitmap: m.addr });
    this.ioctl("KVM_GET_DIRTY_LOG", bytes);
    return m.bytes.slice(0, len);
  }

  /** KVM_CLEAR_DIRTY_LOG: clears the pages whose bits are set in `bitmap`, starting at first_page. */
  clearDirtyLog(slot: number, first_page: bigint | number, num_pages: number, bitmap: Uint8Array): void {
    const m = this.scratch.get(bitmap.length);
    m.bytes.set(bitmap);
    const { bytes, view } = structBuffer(kvm_clear_dirty_log.size);
    kvm_clear_dirty_log.write(view, { slot, num_pages, first_page: BigInt(first_page), dirty_bitmap: m.addr });
    this.ioctl("KVM_CLEAR_DIRTY_LOG", bytes);
  }

  createVcpu(id: number): VcpuFd {
    const fd = this.ioctl("KVM_CREATE_VCPU", id);
    return new VcpuFd(this.host, fd, this.requests, this.scratch, id, this.mmapSize);
  }

  createIrqchip(): void {
    this.ioctl("KVM_CREATE_IRQCHIP");
  }

  /** KVM_IRQ_LINE; on ARM build `irq` with armIrq(type, vcpu, id) from abi/structs/irq. */
  irqLine(irq: number, level: number | boolean): void {
    const { bytes, view } = structBuffer(kvm_irq_level.size);
    kvm_irq_level.write(view, { irq, level: level ? 1 : 0 });
    this.ioctl("KVM_IRQ_LINE", bytes);
  }

  /** KVM_IRQ_LINE_STATUS: returns the `status` the kernel copied back. */
  irqLineStatus(irq: number, level: number | boolean): number {
    const { bytes, view } = structBuffer(kvm_irq_level.size);
    kvm_irq_level.write(view, { irq, level: level ? 1 : 0 });
    this.ioctl("KVM_IRQ_LINE_STATUS", bytes);
    return kvm_irq_level_status.read(view).status;
  }

  /** KVM_ARM_SET_DEVICE_ADDR; `id` from armDeviceAddrId(device, type). */
  armSetDeviceAddr(id: bigint | number, addr: bigint | number): void {
    const { bytes, view } = structBuffer(kvm_arm_device_addr.size);
    kvm_arm_device_addr.write(view, { id: BigInt(id), addr: BigInt(addr) });
    this.ioctl("KVM_ARM_SET_DEVICE_ADDR", bytes);
  }

  armPreferredTarget(): { target: number; features: number[] } {
    const { bytes, view } = structBuffer(kvm_vcpu_init.size);
    this.ioctl("KVM_ARM_PREFERRED_TARGET", bytes);
    return kvm_vcpu_init.read(view);
  }

  /** KVM_CREATE_DEVICE; returns the device fd object. */
  createDevice(type: number, flags = 0): DeviceFd {
    const { bytes, view } = structBuffer(kvm_create_device.size);
    kvm_create_device.write(view, { type, fd: 0, flags });
    this.ioctl("KVM_CREATE_DEVICE", bytes);
    return new DeviceFd(this.host, kvm_create_device.read(view).fd, this.requests, this.scratch, type);
  }

  /** KVM_CREATE_DEVICE with KVM_CREATE_DEVICE_TEST: true if the type is supported (nothing created). */
  supportsDevice(type: number): boolean {
    const { bytes, view } = structBuffer(kvm_create_device.size);
    kvm_create_device.write(view, { type, fd: 0, flags: KVM_CREATE_DEVICE_TEST });
    return this.ioctlRaw("KVM_CREATE_DEVICE", bytes) === 0;
  }

  enableCap(cap: number, args: readonly (number | bigint)[] = [], flags = 0): void {
    this.ioctl("KVM_ENABLE_CAP", enableCapBytes(cap, args, flags));
  }

  /** KVM_REGISTER_COALESCED_MMIO; `pio` selects the PIO bus (KVM_CAP_COALESCED_PIO). */
  registerCoalescedMmio(addr: bigint | number, size: number, pio = false): void {
    this.ioctl("KVM_REGISTER_COALESCED_MMIO", zone(addr, size, pio));
  }

  unregisterCoalescedMmio(addr: bigint | number, size: number, pio = false): void {
    this.ioctl("KVM_UNREGISTER_COALESCED_MMIO", zone(addr, size, pio));
  }

  /**
   * KVM_IRQFD: a signal on `fd` raises GSI `gsi` (ARM default routing: SPI gsi + 32). With
   * `resamplefd` (KVM_IRQFD_FLAG_RESAMPLE) the line stays high until the guest completes the
   * interrupt, then `resamplefd` is signalled.
   */
  irqfd(fd: EventFd | number, gsi: number, resamplefd?: EventFd | number): void {
    this.ioctl("KVM_IRQFD", irqfdBytes(fdOf(fd), gsi, resamplefd === undefined ? 0 : KVM_IRQFD_FLAG_RESAMPLE, resamplefd === undefined ? 0 : fdOf(resamplefd)));
  }

  /** KVM_IRQFD with KVM_IRQFD_FLAG_DEASSIGN. */
  irqfdDeassign(fd: EventFd | number, gsi: number): void {
    this.ioctl("KVM_IRQFD", irqfdBytes(fdOf(fd), gsi, KVM_IRQFD_FLAG_DEASSIGN, 0));
  }

  /** KVM_SET_GSI_ROUTING: replaces the whole routing table. */
  setGsiRouting(routes: readonly GsiRoute[]): void {
    const { bytes, view } = structBuffer(KVM_IRQ_ROUTING_ENTRIES + routes.length * KVM_IRQ_ROUTING_ENTRY_SIZE);
    kvm_irq_routing.write(view, { nr: routes.length, flags: 0 });
    routes.forEach((r, i) => {
      const b = KVM_IRQ_ROUTING_ENTRIES + i * KVM_IRQ_ROUTING_ENTRY_SIZE, u = b + KVM_IRQ_ROUTING_ENTRY_U;
      view.setUint32(b, r.gsi >>> 0, true);
      view.setUint32(b + 4, (r.type ?? KVM_IRQ_ROUTING_IRQCHIP) >>> 0, true);
      view.setUint32(b + 8, (r.flags ?? 0) >>> 0, true);
      if (r.msi !== undefined) {
        view.setUint32(u, r.msi.address_lo >>> 0, true);
        view.setUint32(u + 4, r.msi.address_hi >>> 0, true);
        view.setUint32(u + 8, r.msi.data >>> 0, true);
        view.setUint32(u + 12, (r.msi.devid ?? 0) >>> 0, true);
      } else {
        view.setUint32(u, (r.irqchip ?? 0) >>> 0, true);
        view.setUint32(u + 4, (r.pin ?? 0) >>> 0, true);
      }
    });
    this.ioctl("KVM_SET_GSI_ROUTING", bytes);
  }

  /** KVM_IOEVENTFD: guest writes matching `e` signal its eventfd instead of exiting. */
  ioeventfd(e: Ioeventfd): void {
    this.ioctl("KVM_IOEVENTFD", ioeventfdBytes(e, 0));
  }

  /** KVM_IOEVENTFD with KVM_IOEVENTFD_FLAG_DEASSIGN (the same fields as the registration). */
  ioeventfdDeassign(e: Ioeventfd): void {
    this.ioctl("KVM_IOEVENTFD", ioeventfdBytes(e, KVM_IOEVENTFD_FLAG_DEASSIGN));
  }

  /**
   * tskvm's KVM_PPC_SET_PLATFORM (the 2011 RFC): choose the OS/hypervisor ABI the guest sees and its
   * Power ISA level (decimal, 206 = v2.06; 0 or omitted = the host's). PowerPC hosts only, before the
   * first vCPU (else EBUSY); docs/ppc-platform.md.
   */
  ppcSetPlatform(p: { platform: number; guest_arch?: number; flags?: number }): void {
    const { bytes, view } = structBuffer(kvm_ppc_set_platform.size);
    kvm_ppc_set_platform.write(view, { platform: p.platform, guest_arch: p.guest_arch ?? 0, flags: p.flags ?? 0 });
    this.ioctl("KVM_PPC_SET_PLATFORM", bytes);
  }

  /** KVM_PPC_GET_PVINFO: flags and the hypercall instruction words (decoded from big-endian). */
  ppcGetPvinfo(): { flags: number; hcall: number[] } {
    const { bytes, view } = structBuffer(kvm_ppc_pvinfo.size);
    this.ioctl("KVM_PPC_GET_PVINFO", bytes);
    const hcall = [0, 1, 2, 3].map((i) => view.getUint32(kvm_ppc_pvinfo.offsets.hcall + 4 * i, false));
    return { flags: view.getUint32(kvm_ppc_pvinfo.offsets.flags, true), hcall };
  }
}

function zone(addr: bigint | number, size: number, pio: boolean): Uint8Array {
  const { bytes, view } = structBuffer(kvm_coalesced_mmio_zone.size);
  kvm_coalesced_mmio_zone.write(view, { addr: BigInt(addr), size, pad: pio ? 1 : 0 });
  return bytes;
}

function irqfdBytes(fd: number, gsi: number, flags: number, resamplefd: number): Uint8Array {
  const { bytes, view } = structBuffer(kvm_irqfd.size);
  kvm_irqfd.write(view, { fd, gsi, flags, resamplefd });
  return bytes;
}

function ioeventfdBytes(e: Ioeventfd, extra: number): Uint8Array {
  const { bytes, view } = structBuffer(kvm_ioeventfd.size);
  const flags = (e.flags ?? 0) | extra | (e.datamatch !== undefined ? KVM_IOEVENTFD_FLAG_DATAMATCH : 0) |
    (e.pio === true ? KVM_IOEVENTFD_FLAG_PIO : 0);
  kvm_ioeventfd.write(view, {
    datamatch: BigInt(e.datamatch ?? 0), addr: BigInt(e.addr), len: e.len, fd: fdOf(e.fd), flags,
  });
  return bytes;
}

/** Dirty-bitmap bytes for a slot: one bit per 4 KiB page, rounded up to whole 64-bit words. */
export function bitmapBytes(memory_size: bigint | number): number {
  const pages = Number((BigInt(memory_size) + 4095n) / 4096n);
  return Math.ceil(pages / 64) * 8;
}
