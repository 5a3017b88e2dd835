/**
 * The KVM_DEV_TYPE_ARM_VGIC_V2 device fd: KVM_{SET,GET,HAS}_DEVICE_ATTR over the vGIC (reference
 * kvm-arm32-abi.md §10.4; Linux virt/kvm/arm/vgic/vgic-kvm-device.c, 5.4).
 *
 * | group | SET | GET | HAS |
 * |---|---|---|---|
 * | 0 ADDR (attr 0 DIST, 1 CPU) | u64 base: E2BIG, EINVAL, EEXIST, unknown attr ENXIO | u64 base / all ones | attr 0/1 |
 * | 1 DIST_REGS, 2 CPU_REGS (attr = cpu << 32 \| offset) | u32 | u32 | register exists |
 * | 3 NR_IRQS | u32 total: EINVAL, EBUSY | u32 nr_spis + 32 | yes |
 * | 4 CTRL (attr 0 INIT) | initialize | ENXIO | attr 0 |
 *
 * Values travel through the user pointer in `addr` (EFAULT when it cannot be copied). A SET reads the
 * value before anything else is checked, as get_user comes first in Linux.
 */
import { EFAULT, ENODEV, ENXIO } from "../../../abi/errno.js";
import type { DeviceAttr, KvmDevice } from "../../device.js";
import type { IoctlArg } from "../../uaccess.js";
import { cpuUserRegisterExists } from "./cpu-interface.js";
import { distRegisterExists } from "./distributor.js";
import type { Vgic } from "./vgic.js";

export const KVM_DEV_ARM_VGIC_GRP_ADDR = 0;
export const KVM_DEV_ARM_VGIC_GRP_DIST_REGS = 1;
export const KVM_DEV_ARM_VGIC_GRP_CPU_REGS = 2;
export const KVM_DEV_ARM_VGIC_GRP_NR_IRQS = 3;
export const KVM_DEV_ARM_VGIC_GRP_CTRL = 4;
export const KVM_DEV_ARM_VGIC_CTRL_INIT = 0;

function readU32(arg: IoctlArg, ptr: bigint): number | null {
  const b = arg.copyFromPointer(ptr, 4);
  return b === null ? null : (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
}

function writeU32(arg: IoctlArg, ptr: bigint, value: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, true);
  return arg.copyToPointer(ptr, b) ? 0 : -EFAULT;
}

/** attr → (cpuid, offset) of the DIST_REGS / CPU_REGS groups. */
const regCpu = (attr: bigint): number => Number((attr >> 32n) & 0xffn);
const regOffset = (attr: bigint): number => Number(attr & 0xffffffffn);
/** The ADDR group's type: (unsigned long)attr, 32 bits on ARM32. */
const addrType = (attr: bigint): number => Number(attr & 0xffffffffn);

export function vgicDevice(vgic: Vgic): KvmDevice {
  return {
    setAttr(a: DeviceAttr, arg: IoctlArg): number {
      switch (a.group) {
        case KVM_DEV_ARM_VGIC_GRP_ADDR: {
          const b = arg.copyFromPointer(a.addr, 8);
          if (b === null) return -EFAULT;
          const addr = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
          const r = vgic.setAddress(addrType(a.attr), addr);
          return r === -ENODEV ? -ENXIO : r;
        }
        case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
        case KVM_DEV_ARM_VGIC_GRP_CPU_REGS: {
          const value = readU32(arg, a.addr);
          if (value === null) return -EFAULT;
          const r = vgic.userRegAccess(a.group === KVM_DEV_ARM_VGIC_GRP_CPU_REGS, regCpu(a.attr), regOffset(a.attr), true, value);
          return r < 0 ? r : 0;
        }
        case KVM_DEV_ARM_VGIC_GRP_NR_IRQS: {
          const value = readU32(arg, a.addr);
          if (value === null) return -EFAULT;
          return vgic.setNrIrqs(value);
        }
        case KVM_DEV_ARM_VGIC_GRP_CTRL:
          return a.attr === BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT) ? vgic.init() : -ENXIO;
      }
      return -ENXIO;
    },

    getAttr(a: DeviceAttr, arg: IoctlArg): number {
      switch (a.group) {
        case KVM_DEV_ARM_VGIC_GRP_ADDR: {
          const type = addrType(a.attr);
          if (type !== 0 && type !== 1) return -ENXIO;
          const b = new Uint8Array(8);
          new DataView(b.buffer).setBigUint64(0, vgic.getAddress(type), true);
          return arg.copyToPointer(a.addr, b) ? 0 : -EFAULT;
        }
        case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
        case KVM_DEV_ARM_VGIC_GRP_CPU_REGS: {
          const r = vgic.userRegAccess(a.group === KVM_DEV_ARM_VGIC_GRP_CPU_REGS, regCpu(a.attr), regOffset(a.attr), false, 0);
          return r < 0 ? r : writeU32(arg, a.addr, r);
        }
        case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
          return writeU32(arg, a.addr, vgic.nrIrqs);
      }
      return -ENXIO;
    },

    hasAttr(a: DeviceAttr): number {
      switch (a.group) {
        case KVM_DEV_ARM_VGIC_GRP_ADDR: {
          const type = addrType(a.attr);
          return type === 0 || type === 1 ? 0 : -ENXIO;
        }
        case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
        case KVM_DEV_ARM_VGIC_GRP_CPU_REGS: {
          const r = vgic.userRegCheck(regCpu(a.attr));
          if (r < 0) return r;
          const offset = regOffset(a.attr);
          const exists = a.group === KVM_DEV_ARM_VGIC_GRP_CPU_REGS ? cpuUserRegisterExists(offset) : distRegisterExists(offset);
          return exists ? 0 : -ENXIO;
        }
        case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
          return 0;
        case KVM_DEV_ARM_VGIC_GRP_CTRL:
          return a.attr === BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT) ? 0 : -ENXIO;
      }
      return -ENXIO;
    },

    destroy(): void {},
  };
}
