/**
 * Device attributes (KVM_{SET,GET,HAS}_DEVICE_ATTR), shared by device fds and — on ARM — vCPU fds, and
 * DeviceFd, the fd KVM_CREATE_DEVICE returns. Reference kvm-arm32-abi.md §4.9, §10.4.
 */
import type { RawKvmHost } from "../abi/syscalls.js";
import type { KvmRequests } from "../abi/requests.js";
import { kvm_device_attr } from "../abi/structs/device.js";
import { ENXIO } from "../abi/errno.js";
import { KvmError } from "./error.js";
import { FdObject, structBuffer, type ScratchMapping } from "./fd.js";

export interface DeviceAttr {
  readonly group: number;
  readonly attr: number | bigint;
  readonly flags?: number;
}

export interface DeviceAttrValue extends DeviceAttr {
  /**
   * The value at `addr`: a number/bigint written as `size` little-endian bytes, or raw bytes. Omit for
   * attributes that take no value (e.g. KVM_DEV_ARM_VGIC_CTRL_INIT): `addr` is then 0.
   */
  readonly value?: number | bigint | Uint8Array;
  /** Bytes of a numeric value: 4 (u32/int) or 8 (u64, the default). */
  readonly size?: 4 | 8;
}

export abstract class DeviceAttrFd extends FdObject {
  protected constructor(host: RawKvmHost, fd: number, requests: KvmRequests, scratch: ScratchMapping) {
    super(host, fd, requests, scratch);
  }

  private attrBytes(a: DeviceAttr, addr: bigint): Uint8Array {
    const { bytes, view } = structBuffer(kvm_device_attr.size);
    kvm_device_attr.write(view, { flags: a.flags ?? 0, group: a.group, attr: BigInt(a.attr), addr });
    return bytes;
  }

  setDeviceAttr(a: DeviceAttrValue): void {
    let addr = 0n;
    if (a.value !== undefined) {
      const v = a.value;
      const len = v instanceof Uint8Array ? v.length : (a.size ?? 8);
      const m = this.scratch.get(len);
      if (v instanceof Uint8Array) m.bytes.set(v);
      else {
        const view = new DataView(m.bytes.buffer, m.bytes.byteOffset, len);
        if (len === 4) view.setUint32(0, Number(BigInt.asUintN(32, BigInt(v))), true);
        else view.setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
      }
      addr = m.addr;
    }
    this.ioctl("KVM_SET_DEVICE_ATTR", this.attrBytes(a, addr));
  }

  /** Reads a numeric attribute of `size` bytes (default 8), zero-extended. */
  getDeviceAttr(a: DeviceAttr & { readonly size?: 4 | 8 }): bigint {
    const size = a.size ?? 8;
    const m = this.scratch.get(size);
    m.bytes.fill(0, 0, size);
    this.ioctl("KVM_GET_DEVICE_ATTR", this.attrBytes(a, m.addr));
    const view = new DataView(m.bytes.buffer, m.bytes.byteOffset, size);
    return size === 4 ? BigInt(view.getUint32(0, true)) : view.getBigUint64(0, true);
  }

  /** Reads an attribute into `length` raw bytes. */
  getDeviceAttrBytes(a: DeviceAttr, length: number): Uint8Array {
    const m = this.scratch.get(length);
    m.bytes.fill(0, 0, length);
    this.ioctl("KVM_GET_DEVICE_ATTR", this.attrBytes(a, m.addr));
    return m.bytes.slice(0, length);
  }

  /** True if the kernel knows the attribute; false on ENXIO; other errors throw. */
  hasDeviceAttr(a: DeviceAttr): boolean {
    const r = this.ioctlRaw("KVM_HAS_DEVICE_ATTR", this.attrBytes(a, 0n));
    if (r === 0) return true;
    if (r === -ENXIO) return false;
    throw new KvmError(-r, "KVM_HAS_DEVICE_ATTR");
  }
}

/** A device fd from KVM_CREATE_DEVICE (e.g. the VGIC v2). */
export class DeviceFd extends DeviceAttrFd {
  /** @internal Use VmFd.createDevice. */
  constructor(host: RawKvmHost, fd: number, requests: KvmRequests, scratch: ScratchMapping, readonly type: number) {
    super(host, fd, requests, scratch);
  }
}
