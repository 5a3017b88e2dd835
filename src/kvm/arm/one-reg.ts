/**
 * KVM_GET_ONE_REG / KVM_SET_ONE_REG for a 32-bit ARM vCPU (arch/arm/kvm/guest.c kvm_arm_get_reg /
 * kvm_arm_set_reg, arch/arm/kvm/coproc.c, virt/kvm/arm/psci.c, v5.4–5.6). Reference
 * kvm-arm32-abi.md §4.3 and §5.
 *
 * Dispatch in the kernel's order: architecture field (EINVAL) → core group → firmware group → the
 * three timer ids (matched exactly, before any table) → CCSIDR demux → VFP → saved CP15 (coprocessor
 * field 15 only) → invariant CP15 (the coprocessor field is not checked: a kernel quirk kept here).
 * Each path rejects ids it cannot hold with ENOENT before touching the user pointer, except the
 * firmware SET path, which copies the value first (EFAULT wins), as psci.c does.
 *
 * The CP15 registers come from the core's declarative table (src/arch/arm/cp15/table.ts); its
 * read/write functions are what the guest sees, so a value set here is what MRC then returns.
 */
import { EFAULT, EINVAL, ENOENT } from "../../abi/errno.js";
import { KVM_REG_ARM, KVM_REG_SIZE_MASK } from "../../abi/one-reg.js";
import {
  KVM_REG_ARM_CORE_GROUP, KVM_REG_ARM_DEMUX_GROUP, KVM_REG_ARM_FW_GROUP, KVM_REG_ARM_PSCI_VERSION,
  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL,
  KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED, KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CVAL,
  KVM_REG_ARM_VFP_FPEXC, KVM_REG_ARM_VFP_FPINST, KVM_REG_ARM_VFP_FPINST2, KVM_REG_ARM_VFP_FPSCR, KVM_REG_ARM_VFP_FPSID,
  KVM_REG_ARM_VFP_GROUP, KVM_REG_ARM_VFP_MVFR0, KVM_REG_ARM_VFP_MVFR1,
} from "../../abi/one-reg-arm.js";
import { KVM_ARM_VCPU_PSCI_0_2 } from "../../abi/structs/vcpu.js";
import type { ArmCpu } from "../../arch/arm/cpu.js";
import { KVM_INVARIANT, KVM_SAVED, cp15ByKey32, cp15ByKey64, key32, key64, kvmCp15Get, kvmCp15Set } from "../../arch/arm/cp15/table.js";
import { coreRegister, setCoreRegister } from "../../arch/arm/exceptions.js";
import type { IoctlArg } from "../uaccess.js";
import { psciVersionOf } from "./psci.js";
import { fwRegLevel, fpsidOf, MVFR0_VALUE, MVFR1_VALUE, validCcsidrSelector, vfpDRegCount } from "./reg-list.js";
import type { ArmVcpu } from "./vcpu.js";

/** One register as ONE_REG sees it: its size and how to read/write it (set returns 0 or -errno). */
interface RegAccess {
  readonly size: number;
  get(): bigint;
  set(value: bigint): number;
}

const MODES_ACCEPTED = new Set([0x10, 0x11, 0x12, 0x13, 0x17, 0x1b]); // USR FIQ IRQ SVC ABT UND (§5.2)
const U32 = 0xffffffffn;
const CP15_32_FIELDS = 0x0fff7fff; // coproc | CRn | CRm | Opc1 | Opc2 (index_to_params, 32-bit)
const CP15_64_FIELDS = 0x0fff07f8; // coproc | CRm | Opc1 (64-bit)

/** KVM_REG_SIZE(id) in bytes. */
export function regSize(id: bigint): number {
  return 2 ** Number((id & KVM_REG_SIZE_MASK) >> 52n);
}

/** KVM_GET_ONE_REG: 0, or -EINVAL/-ENOENT/-EFAULT. */
export function getOneReg(v: ArmVcpu, rawId: bigint, addr: bigint, arg: IoctlArg): number {
  const id = BigInt.asUintN(64, rawId);
  const reg = lookup(v, id);
  if (typeof reg === "number") return reg;
  const bytes = new Uint8Array(reg.size);
  const view = new DataView(bytes.buffer);
  const value = reg.get();
  if (reg.size === 8) view.setBigUint64(0, value, true);
  else view.setUint32(0, Number(value & U32), true);
  return arg.copyToPointer(addr, bytes) ? 0 : -EFAULT;
}

/** KVM_SET_ONE_REG: 0, or -EINVAL/-ENOENT/-EFAULT. */
export function setOneReg(v: ArmVcpu, rawId: bigint, addr: bigint, arg: IoctlArg): number {
  const id = BigInt.asUintN(64, rawId);
  if (isArm(id) && group(id) === KVM_REG_ARM_FW_GROUP && arg.copyFromPointer(addr, Math.min(regSize(id), 8)) === null) {
    return -EFAULT; // kvm_arm_set_fw_reg copies before it looks at the id
  }
  const reg = lookup(v, id);
  if (typeof reg === "number") return reg;
  const bytes = arg.copyFromPointer(addr, reg.size);
  if (bytes === null) return -EFAULT;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return reg.set(reg.size === 8 ? view.getBigUint64(0, true) : BigInt(view.getUint32(0, true)));
}

const isArm = (id: bigint): boolean => (id & ~KVM_REG_SIZE_MASK) >> 32n === KVM_REG_ARM >> 32n;
const group = (id: bigint): number => Number((id >> 16n) & 0xfffn);

/** The register an id names on this vCPU, or the errno the kernel gives for it. */
export function lookup(v: ArmVcpu, id: bigint): RegAccess | number {
  if (!isArm(id)) return -EINVAL;
  const size = regSize(id);
  const low = Number(id & U32) >>> 0;
  const cpu = v.cpu;
  switch (group(id)) {
    case KVM_REG_ARM_CORE_GROUP: {
      const off = (low & 0xf000ffff) >>> 0;
      if (size !== 4 || off >= 38) return -ENOENT;
      return coreReg(cpu, off);
    }
    case KVM_REG_ARM_FW_GROUP:
      return fwReg(v, id);
  }
  if (id === KVM_REG_ARM_TIMER_CTL || id === KVM_REG_ARM_TIMER_CNT || id === KVM_REG_ARM_TIMER_CVAL) return timerReg(v, id);
  switch (group(id)) {
    case KVM_REG_ARM_DEMUX_GROUP: {
      if ((low & 0xf000ff00) !== 0 || size !== 4) return -ENOENT; // stray bits, demux id != CCSIDR
      const sel = low & 0xff;
      if (!validCcsidrSelector(cpu, sel)) return -ENOENT;
      const value = cpu.cp15Model.ccsidr[sel] ?? 0;
      return invariant(4, BigInt(value >>> 0));
    }
    case KVM_REG_ARM_VFP_GROUP:
      if ((low & 0xf0000000) !== 0) return -ENOENT;
      return vfpReg(v, low & 0xffff, size);
  }
  return cp15Reg(cpu, id, low, size);
}

function coreReg(cpu: ArmCpu, index: number): RegAccess {
  return {
    size: 4,
    get: () => BigInt(coreRegister(cpu, index)),
    set: (value) => {
      const w = Number(value & U32);
      if (index === 16 && !MODES_ACCEPTED.has(w & 0x1f)) return -EINVAL;
      setCoreRegister(cpu, index, w | 0);
      return 0;
    },
  };
}

/** A register whose only accepted write is its own value (§4.3). */
function invariant(size: number, value: bigint): RegAccess {
  return { size, get: () => value, set: (w) => (w === value ? 0 : -EINVAL) };
}

/** §5.7 (virt/kvm/arm/psci.c kvm_arm_get_fw_reg / kvm_arm_set_fw_reg, 5.4). */
function fwReg(v: ArmVcpu, id: bigint): RegAccess | number {
  const vm = v.vm;
  const wants02 = (v.features & (1 << KVM_ARM_VCPU_PSCI_0_2)) !== 0;
  if (id === KVM_REG_ARM_PSCI_VERSION) {
    return {
      size: 8,
      get: () => BigInt(psciVersionOf(v)),
      set: (w) => {
        if (w === BigInt(PSCI_VERSION_0_1)) {
          if (wants02) return -EINVAL;
        } else if (w === BigInt(PSCI_VERSION_0_2) || w === BigInt(PSCI_VERSION_1_0)) {
          if (!wants02) return -EINVAL;
        } else {
          return -EINVAL;
        }
        vm.psciVersion = Number(w); // VM-wide, whichever vCPU set it (kvm->arch.psci_version)
        return 0;
      },
    };
  }
  if (id === KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1) {
    const host = BigInt(fwRegLevel(v, 1));
    return { size: 8, get: () => host, set: (w) => ((w & ~0xfn) !== 0n || w > host ? -EINVAL : 0) };
  }
  if (id === KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2) {
    const host = BigInt(fwRegLevel(v, 2));
    const enabled = BigInt(KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED);
    return {
      size: 8,
      get: () => host,
      set: (w) => {
        if ((w & ~(0xfn | enabled)) !== 0n) return -EINVAL;
        const level = w & 0xfn;
        if (level > host) return -EINVAL;
        if (level !== BigInt(KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL) && level !== w) return -EINVAL;
        return 0;
      },
    };
  }
  return -ENOENT;
}

/** PSCI versions as KVM_REG_ARM_PSCI_VERSION encodes them (major << 16 | minor). */
export const PSCI_VERSION_0_1 = 0x00000001;
export const PSCI_VERSION_0_2 = 0x00000002;
export const PSCI_VERSION_1_0 = 0x00010000;

/** §11: TIMER_CTL (ISTATUS whenever CVAL <= count), TIMER_CNT (VM-wide CNTVOFF), TIMER_CVAL. */
function timerReg(v: ArmVcpu, id: bigint): RegAccess {
  const t = v.cpu.timer, ch = t.virtual;
  if (id === KVM_REG_ARM_TIMER_CTL) {
    return { size: 4, get: () => BigInt(t.kvmCtl(ch)), set: (w) => (t.writeCtl(ch, Number(w & 0xfffffffbn)), 0) };
  }
  if (id === KVM_REG_ARM_TIMER_CNT) {
    return {
      size: 8,
      get: () => BigInt.asUintN(64, BigInt(Math.round(t.virtualCount()))),
      set: (w) => {
        v.vm.counterOffset = t.physicalCount() - Number(BigInt.asIntN(64, w));
        return 0;
      },
    };
  }
  return {
    size: 8,
    get: () => (BigInt(ch.cvalHi >>> 0) << 32n) | BigInt(ch.cvalLo >>> 0),
    set: (w) => (t.writeCval(ch, Number(w & U32), Number(w >> 32n)), 0),
  };
}

/** §5.4 (arch/arm/kvm/coproc.c vfp_get_reg / vfp_set_reg). */
function vfpReg(v: ArmVcpu, index: number, size: number): RegAccess | number {
  const cpu = v.cpu, fp = cpu.fp;
  if (index < vfpDRegCount(cpu)) {
    if (size !== 8) return -ENOENT;
    return {
      size: 8,
      get: () => (BigInt(fp.w[2 * index + 1]! >>> 0) << 32n) | BigInt(fp.w[2 * index]! >>> 0),
      set: (w) => {
        fp.w[2 * index] = Number(w & U32);
        fp.w[2 * index + 1] = Number(w >> 32n);
        return 0;
      },
    };
  }
  if (size !== 4) return -ENOENT;
  const plain = (get: () => number, set: (w: number) => void): RegAccess =>
    ({ size: 4, get: () => BigInt(get() >>> 0), set: (w) => (set(Number(w) >>> 0), 0) });
  switch (index) {
    case KVM_REG_ARM_VFP_FPEXC: return plain(() => fp.fpexc, (w) => { fp.fpexc = w; });
    case KVM_REG_ARM_VFP_FPSCR: return plain(() => fp.fpscr, (w) => { fp.fpscr = w; });
    case KVM_REG_ARM_VFP_FPINST: return plain(() => v.fpinst, (w) => { v.fpinst = w; });
    case KVM_REG_ARM_VFP_FPINST2: return plain(() => v.fpinst2, (w) => { v.fpinst2 = w; });
    case KVM_REG_ARM_VFP_MVFR0: return invariant(4, BigInt(MVFR0_VALUE));
    case KVM_REG_ARM_VFP_MVFR1: return invariant(4, BigInt(MVFR1_VALUE));
    case KVM_REG_ARM_VFP_FPSID: return invariant(4, BigInt(fpsidOf(cpu)));
  }
  return -ENOENT;
}

/** Saved CP15 registers (coprocessor 15 only), then the invariant table (any coprocessor field). */
function cp15Reg(cpu: ArmCpu, id: bigint, low: number, size: number): RegAccess | number {
  let wide: boolean;
  if (size === 4) wide = false;
  else if (size === 8) wide = true;
  else return -ENOENT;
  if ((low & ~(wide ? CP15_64_FIELDS : CP15_32_FIELDS)) !== 0) return -ENOENT;
  const op2 = low & 7, op1 = (low >>> 3) & 0xf, crm = (low >>> 7) & 0xf, crn = (low >>> 11) & 0xf;
  const r = wide ? cp15ByKey64(key64(op1, crm)) : cp15ByKey32(key32(op1, crn, crm, op2));
  if (r === undefined) return -ENOENT;
  if (r.kvm === KVM_SAVED && group(id) === 15) {
    return { size, get: () => kvmCp15Get(cpu, r), set: (w) => (kvmCp15Set(cpu, r, w), 0) };
  }
  if (r.kvm === KVM_INVARIANT && !wide) return invariant(4, kvmCp15Get(cpu, r));
  return -ENOENT;
}
