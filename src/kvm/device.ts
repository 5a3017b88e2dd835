/**
 * The device-control API's generic half (virt/kvm/kvm_main.c kvm_ioctl_create_device and
 * kvm_device_ioctl, v5.4): KVM_CREATE_DEVICE looks the type up in the architecture's device-ops table,
 * honours KVM_CREATE_DEVICE_TEST, installs a device fd holding a VM reference, and writes `fd` back.
 * A device fd answers KVM_{SET,GET,HAS}_DEVICE_ATTR through the device's accessors (-EPERM for a
 * missing accessor) and any other ioctl through the device's own hook, else -ENOTTY.
 *
 * Devices live until the VM is destroyed (closing a device fd only drops its VM reference), as in 5.4.
 */
import { EFAULT, ENODEV, ENOTTY, EPERM } from "../abi/errno.js";
import { KVM_CREATE_DEVICE_TEST, kvm_create_device, kvm_device_attr } from "../abi/structs/device.js";
import type { HostMapping } from "../abi/syscalls.js";
import type { KvmFile } from "./fd-table.js";
import { viewOf, type IoctlArg } from "./uaccess.js";
import type { KvmVm } from "./vm.js";

/** A decoded struct kvm_device_attr; `addr` is a user pointer (read it with arg.copyFromPointer). */
export interface DeviceAttr {
  readonly flags: number;
  readonly group: number;
  readonly attr: bigint;
  readonly addr: bigint;
}

export type DeviceAttrAccessor = (attr: DeviceAttr, arg: IoctlArg) => number;

/** One device instance (struct kvm_device with its ops bound). */
export interface KvmDevice {
  readonly setAttr?: DeviceAttrAccessor;
  readonly getAttr?: DeviceAttrAccessor;
  readonly hasAttr?: DeviceAttrAccessor;
  /** Other ioctls on the device fd; undefined = unknown (-ENOTTY). */
  readonly ioctl?: (request: number, arg: IoctlArg) => number | undefined;
  /** Called when the VM is destroyed. */
  destroy(): void;
}

/** struct kvm_device_ops: what the architecture registers for one device type. */
export interface KvmDeviceOps {
  /** The anon-inode name ("kvm-arm-vgic-v2", …). */
  readonly name: string;
  /** ops->create: the device, or a negative errno (-EEXIST, -EBUSY, …). */
  create(vm: KvmVm, type: number): KvmDevice | number;
}

/** KVM_CREATE_DEVICE on a VM. */
export function createDevice(vm: KvmVm, arg: IoctlArg, lookup: (type: number) => KvmDeviceOps | undefined): number {
  const bytes = arg.copyIn(kvm_create_device.size);
  if (bytes === null) return -EFAULT;
  const view = viewOf(bytes);
  const cd = kvm_create_device.read(view);
  const ops = lookup(cd.type);
  if (ops === undefined) return -ENODEV;
  if ((cd.flags & KVM_CREATE_DEVICE_TEST) !== 0) return 0;
  const dev = ops.create(vm, cd.type);
  if (typeof dev === "number") return dev;
  vm.devices.push(dev);
  vm.get();
  const fd = vm.kernel.fds.install(new DeviceFile(vm, dev));
  if (fd < 0) {
    vm.put();
    return fd;
  }
  kvm_create_device.write(view, { fd });
  return arg.copyOut(bytes) ? 0 : -EFAULT;
}

export class DeviceFile implements KvmFile {
  readonly kind = "device" as const;

  constructor(
    readonly vm: KvmVm,
    readonly device: KvmDevice,
  ) {}

  ioctl(request: number, arg: IoctlArg): number {
    const R = this.vm.kernel.arch.requests;
    if (request === R.KVM_SET_DEVICE_ATTR) return this.attr(this.device.setAttr, arg);
    if (request === R.KVM_GET_DEVICE_ATTR) return this.attr(this.device.getAttr, arg);
    if (request === R.KVM_HAS_DEVICE_ATTR) return this.attr(this.device.hasAttr, arg);
    return this.device.ioctl?.(request, arg) ?? -ENOTTY;
  }

  mmap(): HostMapping | number {
    return -ENODEV;
  }

  release(): void {
    this.vm.put();
  }

  private attr(accessor: DeviceAttrAccessor | undefined, arg: IoctlArg): number {
    if (accessor === undefined) return -EPERM;
    const bytes = arg.copyIn(kvm_device_attr.size);
    if (bytes === null) return -EFAULT;
    return accessor(kvm_device_attr.read(viewOf(bytes)), arg);
  }
}
