/**
 * VmFd: a VM fd. Memory slots and the dirty log, vCPU and device creation, the irqchip and IRQ lines,
 * capabilities, coalesced MMIO and the PowerPC VM ioctls.
 */
import type { RawKvmHost } from "../abi/syscalls.js";
import type { KvmRequests } from "../abi/requests.js";
import { kvm_userspace_memory_region, kvm_dirty_log, kvm_clear_dirty_log, kvm_coalesced_mmio_zone } from "../abi/structs/memory.js";
import { kvm_irq_level, kvm_irq_level_status, kvm_arm_device_addr } from "../abi/structs/irq.js";
import { kvm_vcpu_init } from "../abi/structs/vcpu.js";
import { kvm_create_device, KVM_CREATE_DEVICE_TEST } from "../abi/structs/device.js";
import { kvm_ppc_set_platform, kvm_ppc_pvinfo } from "../abi/structs/ppc.js";
import { FdObject, structBuffer, type ScratchMapping } from "./fd.js";
import { DeviceFd } from "./device.js";
import { VcpuFd, enableCapBytes } from "./vcpu.js";

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

  registerCoalescedMmio(addr: bigint | number, size: number): void {
    this.ioctl("KVM_REGISTER_COALESCED_MMIO", zone(addr, size));
  }

  unregisterCoalescedMmio(addr: bigint | number, size: number): void {
    this.ioctl("KVM_UNREGISTER_COALESCED_MMIO", zone(addr, size));
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

function zone(addr: bigint | number, size: number): Uint8Array {
  const { bytes, view } = structBuffer(kvm_coalesced_mmio_zone.size);
  kvm_coalesced_mmio_zone.write(view, { addr: BigInt(addr), size, pad: 0 });
  return bytes;
}

/** Dirty-bitmap bytes for a slot: one bit per 4 KiB page, rounded up to whole 64-bit words. */
export function bitmapBytes(memory_size: bigint | number): number {
  const pages = Number((BigInt(memory_size) + 4095n) / 4096n);
  return Math.ceil(pages / 64) * 8;
}
