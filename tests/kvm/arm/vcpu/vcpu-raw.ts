// Raw-interface helpers for the vCPU-state tests: request numbers and errno values typed in from
// reference kvm-arm32-abi.md §1.2/§1.3 (not imported from src/abi, so the kernel is checked against
// the reference, not against itself).
import { createHost, type EmulatedKvmHost } from "../../../../src/kvm/host.js";

export const R = {
  KVM_CREATE_VM: 0x0000ae01,
  KVM_CREATE_VCPU: 0x0000ae41,
  KVM_SET_USER_MEMORY_REGION: 0x4020ae46,
  KVM_CREATE_IRQCHIP: 0x0000ae60,
  KVM_IRQ_LINE: 0x4008ae61,
  KVM_IRQ_LINE_STATUS: 0xc008ae67,
  KVM_ARM_SET_DEVICE_ADDR: 0x4010aeab,
  KVM_ARM_PREFERRED_TARGET: 0x8020aeaf,
  KVM_CREATE_DEVICE: 0xc00caee0,
  KVM_RUN: 0x0000ae80,
  KVM_GET_REGS: 0x8098ae81,
  KVM_SET_REGS: 0x4098ae82,
  KVM_GET_SREGS: 0x8000ae83,
  KVM_SET_SREGS: 0x4000ae84,
  KVM_TRANSLATE: 0xc018ae85,
  KVM_INTERRUPT: 0x4004ae86,
  KVM_SET_SIGNAL_MASK: 0x4004ae8b,
  KVM_GET_FPU: 0x8000ae8c,
  KVM_SET_FPU: 0x4000ae8d,
  KVM_GET_MP_STATE: 0x8004ae98,
  KVM_SET_MP_STATE: 0x4004ae99,
  KVM_SET_GUEST_DEBUG: 0x4008ae9b,
  KVM_GET_VCPU_EVENTS: 0x8040ae9f,
  KVM_SET_VCPU_EVENTS: 0x4040aea0,
  KVM_ENABLE_CAP: 0x4068aea3,
  KVM_GET_ONE_REG: 0x4010aeab,
  KVM_SET_ONE_REG: 0x4010aeac,
  KVM_ARM_VCPU_INIT: 0x4020aeae,
  KVM_GET_REG_LIST: 0xc008aeb0,
  KVM_ARM_VCPU_FINALIZE: 0x4004aec2,
  KVM_SET_DEVICE_ATTR: 0x4018aee1,
  KVM_GET_DEVICE_ATTR: 0x4018aee2,
  KVM_HAS_DEVICE_ATTR: 0x4018aee3,
} as const;

export const E = {
  ENOENT: 2, EINTR: 4, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22,
} as const;

/** A pointer no mapping covers (copy_from_user / copy_to_user fail). */
export const BAD_PTR = 0x10n;

export interface Machine {
  host: EmulatedKvmHost;
  vm: number;
  vcpus: number[];
}

/** An ARM host (A15 unless `target` 1), one VM and `n` vCPUs with ids `ids` (default 0..n-1). */
export function machine(n = 1, options: { target?: number; ids?: number[]; readCounter?: () => number } = {}): Machine {
  const host = createHost({ arch: "arm", cpus: 4, target: options.target, readCounter: options.readCounter });
  const kvm = host.open("/dev/kvm");
  const vm = host.ioctl(kvm, R.KVM_CREATE_VM, 0);
  const ids = options.ids ?? Array.from({ length: n }, (_, i) => i);
  const vcpus = ids.map((id) => host.ioctl(vm, R.KVM_CREATE_VCPU, id));
  if (vm < 0 || vcpus.some((fd) => fd < 0)) throw new Error("machine setup failed");
  return { host, vm, vcpus };
}

/** struct kvm_vcpu_init (32 bytes, §4.1). */
export function vcpuInit(target: number, features: number[] = []): Uint8Array {
  const b = new Uint8Array(32);
  const v = new DataView(b.buffer);
  v.setUint32(0, target, true);
  features.forEach((f, i) => v.setUint32(4 + 4 * i, f >>> 0, true));
  return b;
}

export function init(m: Machine, fd: number, target = 0, features: number[] = []): number {
  return m.host.ioctl(fd, R.KVM_ARM_VCPU_INIT, vcpuInit(target, features));
}

/** Host memory for ONE_REG values: one 8-byte cell. */
export function cell(m: Machine): { addr: bigint; bytes: Uint8Array; view: DataView } {
  const map = m.host.mmap(-1, 4096);
  if (typeof map === "number") throw new Error("mmap");
  return { addr: map.addr, bytes: map.bytes, view: new DataView(map.bytes.buffer, map.bytes.byteOffset, 4096) };
}

function oneReg(id: bigint, addr: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt.asUintN(64, id), true);
  v.setBigUint64(8, addr, true);
  return b;
}

/** KVM_GET_ONE_REG: [errno-or-0, value] (value read as size bytes, little-endian). */
export function getReg(m: Machine, fd: number, id: bigint, addr?: bigint): [number, bigint] {
  const c = cell(m);
  const r = m.host.ioctl(fd, R.KVM_GET_ONE_REG, oneReg(id, addr ?? c.addr));
  const size = 2 ** Number((BigInt.asUintN(64, id) >> 52n) & 0xfn);
  const value = size === 8 ? c.view.getBigUint64(0, true) : BigInt(c.view.getUint32(0, true));
  return [r, value];
}

/** KVM_SET_ONE_REG with `value` stored as 8 little-endian bytes (the kernel reads its size). */
export function setReg(m: Machine, fd: number, id: bigint, value: bigint, addr?: bigint): number {
  const c = cell(m);
  c.view.setBigUint64(0, BigInt.asUintN(64, value), true);
  return m.host.ioctl(fd, R.KVM_SET_ONE_REG, oneReg(id, addr ?? c.addr));
}

/** KVM_GET_REG_LIST with capacity `n`: [errno-or-0, n written back, ids]. */
export function regList(m: Machine, fd: number, n: number): [number, number, bigint[]] {
  const b = new Uint8Array(8 + 8 * Math.max(n, 0));
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(n), true);
  const r = m.host.ioctl(fd, R.KVM_GET_REG_LIST, b);
  const count = Number(v.getBigUint64(0, true));
  const ids: bigint[] = [];
  if (r === 0) for (let i = 0; i < count; i++) ids.push(v.getBigUint64(8 + 8 * i, true));
  return [r, count, ids];
}

/** Ids typed from the reference. */
export const core = (i: number): bigint => 0x4020000000100000n + BigInt(i);
export const cp15 = (crn: number, op1: number, crm: number, op2: number): bigint =>
  0x40200000000f0000n | BigInt((crn << 11) | (crm << 7) | (op1 << 3) | op2);
export const cp15w = (op1: number, crm: number): bigint => 0x40300000000f0000n | BigInt((crm << 7) | (op1 << 3));
export const vfpD = (n: number): bigint => 0x4030000000120000n + BigInt(n);
export const vfpCtl = (i: number): bigint => 0x4020000000120000n + BigInt(i);
export const ccsidr = (sel: number): bigint => 0x4020000000110000n + BigInt(sel);
export const fw = (r: number): bigint => 0x4030000000140000n + BigInt(r);
export const TIMER_CTL = 0x40200000000f7181n;
export const TIMER_CNT = 0x40300000000f0708n;
export const TIMER_CVAL = 0x40300000000f0718n;

/** §6.2 rows: (CRn, op1, CRm, op2). */
const INVARIANT: [number, number, number, number][] = [
  [0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 2], [0, 0, 0, 3], [0, 0, 0, 6], [0, 1, 0, 1], [0, 1, 0, 7],
  [0, 0, 1, 0], [0, 0, 1, 1], [0, 0, 1, 2], [0, 0, 1, 3], [0, 0, 1, 4], [0, 0, 1, 5], [0, 0, 1, 6], [0, 0, 1, 7],
  [0, 0, 2, 0], [0, 0, 2, 1], [0, 0, 2, 2], [0, 0, 2, 3], [0, 0, 2, 4], [0, 0, 2, 5],
];
/** §6.3 rows, in list order: 32-bit (CRn, op1, CRm, op2) or 64-bit [op1, CRm]. */
const SAVED: ([number, number, number, number] | [number, number])[] = [
  [0, 0, 0, 5], [0, 2, 0, 0], [1, 0, 0, 0], [1, 0, 0, 1], [1, 0, 0, 2],
  [0, 2], [2, 0, 0, 0], [2, 0, 0, 1], [2, 0, 0, 2], [1, 2],
  [3, 0, 0, 0], [5, 0, 0, 0], [5, 0, 0, 1], [5, 0, 1, 0], [5, 0, 1, 1], [6, 0, 0, 0], [6, 0, 0, 2],
  [0, 7], [9, 1, 0, 2], [10, 0, 2, 0], [10, 0, 2, 1], [10, 0, 3, 0], [10, 0, 3, 1],
  [12, 0, 0, 0], [13, 0, 0, 1], [13, 0, 0, 2], [13, 0, 0, 3], [13, 0, 0, 4], [14, 0, 1, 0],
];

/** KVM_GET_REG_LIST of an A15 or A7 vCPU, §6.1 order. */
export const EXPECTED_LIST: readonly bigint[] = [
  ...Array.from({ length: 38 }, (_, i) => core(i)),
  fw(0), fw(1), fw(2),
  TIMER_CTL, TIMER_CNT, TIMER_CVAL,
  ...INVARIANT.map(([crn, op1, crm, op2]) => cp15(crn, op1, crm, op2)),
  ...SAVED.map((r) => (r.length === 2 ? cp15w(r[0], r[1]) : cp15(r[0], r[1], r[2], r[3]))),
  ...Array.from({ length: 32 }, (_, i) => vfpD(i)),
  vfpCtl(0x1008), vfpCtl(0x1001), vfpCtl(0x1009), vfpCtl(0x100a), vfpCtl(0x1007), vfpCtl(0x1006), vfpCtl(0x1000),
  ccsidr(0), ccsidr(1), ccsidr(2),
];

