/**
 * VcpuFd: a vCPU fd. KVM_RUN and its kvm_run view, ONE_REG access, the register list, ARM vCPU init,
 * MP state, register structs, vCPU events and (ARM) vCPU device attributes.
 */
import type { RawKvmHost } from "../abi/syscalls.js";
import type { KvmRequests } from "../abi/requests.js";
import { E2BIG } from "../abi/errno.js";
import { KVM_REG_SIZE } from "../abi/one-reg.js";
import { kvm_enable_cap, kvm_interrupt, kvm_mp_state, kvm_one_reg, kvm_reg_list, kvm_vcpu_events, kvm_vcpu_init, KVM_REG_LIST_REG } from "../abi/structs/vcpu.js";
import * as armStructs from "../abi/structs/arm.js";
import * as ppcStructs from "../abi/structs/ppc.js";
import { KvmError } from "./error.js";
import { structBuffer, type ScratchMapping } from "./fd.js";
import { DeviceAttrFd } from "./device.js";
import { KvmRun } from "./run.js";

export type ArmKvmRegs = ReturnType<typeof armStructs.kvm_regs.read>;
export type PpcKvmRegs = ReturnType<typeof ppcStructs.kvm_regs.read>;
export type PpcKvmSregs = ReturnType<typeof ppcStructs.kvm_sregs.read>;
export type KvmVcpuEvents = ReturnType<typeof kvm_vcpu_events.read>;

export interface VcpuInit {
  readonly target: number;
  /** Feature bit numbers (e.g. [KVM_ARM_VCPU_PSCI_0_2]) or the seven raw feature words. */
  readonly features?: readonly number[];
  /** Set when `features` holds raw words rather than bit numbers. */
  readonly rawFeatureWords?: boolean;
}

export class VcpuFd extends DeviceAttrFd {
  private runView: KvmRun | null = null;
  private runMapping: { addr: bigint; length: number } | null = null;

  /** @internal Use VmFd.createVcpu. */
  constructor(
    host: RawKvmHost, fd: number, requests: KvmRequests, scratch: ScratchMapping,
    readonly id: number, private readonly mmapSize: number,
  ) {
    super(host, fd, requests, scratch);
  }

  /** KVM_RUN. Returns the exit reason; a failed run (EINTR, ENOEXEC, …) throws KvmError. */
  run(): number {
    const run = this.getRun(); // mapped before the first entry, as a VMM does
    this.ioctl("KVM_RUN", 0);
    return run.exit_reason;
  }

  /** The kvm_run page (mapped on first use, KVM_GET_VCPU_MMAP_SIZE bytes incl. the coalesced ring). */
  getRun(): KvmRun {
    if (this.runView) return this.runView;
    const m = this.host.mmap(this.fd, this.mmapSize, 0);
    if (typeof m === "number") throw new KvmError(-m, "mmap");
    this.runMapping = { addr: m.addr, length: this.mmapSize };
    this.runView = new KvmRun(m.bytes);
    return this.runView;
  }

  // ---- ONE_REG ----
  private oneReg(name: "KVM_GET_ONE_REG" | "KVM_SET_ONE_REG", id: bigint, value?: Uint8Array): Uint8Array {
    const size = KVM_REG_SIZE(id);
    const m = this.scratch.get(size);
    if (value) m.bytes.set(value.subarray(0, size));
    else m.bytes.fill(0, 0, size);
    const { bytes, view } = structBuffer(kvm_one_reg.size);
    kvm_one_reg.write(view, { id, addr: m.addr });
    this.ioctl(name, bytes);
    return m.bytes.subarray(0, size);
  }

  /** The register's value (≤ 8 bytes) as an unsigned bigint; use getOneRegBytes for wider registers. */
  getOneReg(id: bigint): bigint {
    const b = this.oneReg("KVM_GET_ONE_REG", id);
    let v = 0n;
    for (let i = Math.min(b.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  }

  /** The register's raw bytes (host order), KVM_REG_SIZE(id) of them. */
  getOneRegBytes(id: bigint): Uint8Array {
    return this.oneReg("KVM_GET_ONE_REG", id).slice();
  }

  /** Writes a register: a number/bigint is truncated to the id's size (little-endian); bytes go as-is. */
  setOneReg(id: bigint, value: bigint | number | Uint8Array): void {
    const size = KVM_REG_SIZE(id);
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) {
      if (value.length !== size) throw new RangeError(`register needs ${size} bytes, got ${value.length}`);
      bytes = value;
    } else {
      bytes = new Uint8Array(size);
      let v = BigInt.asUintN(Math.min(size, 8) * 8, BigInt(value));
      for (let i = 0; i < Math.min(size, 8); i++) { bytes[i] = Number(v & 0xffn); v >>= 8n; }
    }
    this.oneReg("KVM_SET_ONE_REG", id, bytes);
  }

  /** KVM_GET_REG_LIST: asks with n = 0 to learn the count (E2BIG), then fetches the ids. */
  getRegList(): bigint[] {
    for (let capacity = 0; ;) {
      const m = this.scratch.get(KVM_REG_LIST_REG + 8 * capacity);
      const view = new DataView(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      kvm_reg_list.write(view, { n: BigInt(capacity) });
      const r = this.ioctlRaw("KVM_GET_REG_LIST", m.addr);
      const n = Number(kvm_reg_list.read(view).n);
      if (r === -E2BIG && n > capacity) { capacity = n; continue; }
      if (r < 0) throw new KvmError(-r, "KVM_GET_REG_LIST");
      return Array.from({ length: n }, (_, i) => view.getBigUint64(KVM_REG_LIST_REG + 8 * i, true));
    }
  }

  // ---- ARM init ----
  armVcpuInit(init: VcpuInit): void {
    const words = new Array<number>(7).fill(0);
    if (init.rawFeatureWords) (init.features ?? []).forEach((w, i) => { words[i] = w >>> 0; });
    else for (const bit of init.features ?? []) words[bit >>> 5] = (words[bit >>> 5]! | (1 << (bit & 31))) >>> 0;
    const { bytes, view } = structBuffer(kvm_vcpu_init.size);
    kvm_vcpu_init.write(view, { target: init.target, features: words });
    this.ioctl("KVM_ARM_VCPU_INIT", bytes);
  }

  // ---- MP state ----
  getMpState(): number {
    const { bytes, view } = structBuffer(kvm_mp_state.size);
    this.ioctl("KVM_GET_MP_STATE", bytes);
    return kvm_mp_state.read(view).mp_state;
  }

  setMpState(mp_state: number): void {
    const { bytes, view } = structBuffer(kvm_mp_state.size);
    kvm_mp_state.write(view, { mp_state });
    this.ioctl("KVM_SET_MP_STATE", bytes);
  }

  // ---- register structs (arch-specific) ----
  /** KVM_GET_REGS: ARM kvm_regs (32-bit KVM answers EINVAL, §4.5) or PowerPC kvm_regs. */
  getRegs(): ArmKvmRegs | PpcKvmRegs {
    const codec = this.arch === "ppc" ? ppcStructs.kvm_regs : armStructs.kvm_regs;
    const { bytes, view } = structBuffer(codec.size);
    this.ioctl("KVM_GET_REGS", bytes);
    return codec.read(view);
  }

  setRegs(regs: Partial<ArmKvmRegs> | Partial<PpcKvmRegs>): void {
    if (this.arch === "ppc") {
      const { bytes, view } = structBuffer(ppcStructs.kvm_regs.size);
      ppcStructs.kvm_regs.write(view, regs as Partial<PpcKvmRegs>);
      this.ioctl("KVM_SET_REGS", bytes);
    } else {
      const { bytes, view } = structBuffer(armStructs.kvm_regs.size);
      armStructs.kvm_regs.write(view, regs as Partial<ArmKvmRegs>);
      this.ioctl("KVM_SET_REGS", bytes);
    }
  }

  /** PowerPC KVM_GET_SREGS (Book3S view of the union). */
  getSregs(): PpcKvmSregs {
    const { bytes, view } = structBuffer(ppcStructs.kvm_sregs.size);
    this.ioctl("KVM_GET_SREGS", bytes);
    return ppcStructs.kvm_sregs.read(view);
  }

  /** PowerPC KVM_SET_SREGS; fields left out are zero. */
  setSregs(sregs: Partial<PpcKvmSregs>): void {
    const { bytes, view } = structBuffer(ppcStructs.kvm_sregs.size);
    ppcStructs.kvm_sregs.write(view, sregs);
    this.ioctl("KVM_SET_SREGS", bytes);
  }

  /** PowerPC KVM_INTERRUPT (KVM_INTERRUPT_SET / UNSET / SET_LEVEL). */
  interrupt(irq: number): void {
    const { bytes, view } = structBuffer(kvm_interrupt.size);
    kvm_interrupt.write(view, { irq });
    this.ioctl("KVM_INTERRUPT", bytes);
  }

  // ---- vCPU events (ARM) ----
  getVcpuEvents(): KvmVcpuEvents {
    const { bytes, view } = structBuffer(kvm_vcpu_events.size);
    this.ioctl("KVM_GET_VCPU_EVENTS", bytes);
    return kvm_vcpu_events.read(view);
  }

  /** Fields left out are zero (as the kernel requires for pad and reserved). */
  setVcpuEvents(ev: Partial<KvmVcpuEvents>): void {
    const { bytes, view } = structBuffer(kvm_vcpu_events.size);
    kvm_vcpu_events.write(view, ev);
    this.ioctl("KVM_SET_VCPU_EVENTS", bytes);
  }

  /** KVM_ENABLE_CAP on the vCPU (PowerPC PAPR, OSI, EPR…). */
  enableCap(cap: number, args: readonly (number | bigint)[] = [], flags = 0): void {
    this.ioctl("KVM_ENABLE_CAP", enableCapBytes(cap, args, flags));
  }

  override close(): void {
    if (this.runMapping) this.host.munmap(this.runMapping.addr, this.runMapping.length);
    this.runMapping = null;
    this.runView = null;
    super.close();
  }
}

export function enableCapBytes(cap: number, args: readonly (number | bigint)[], flags: number): Uint8Array {
  if (args.length > 4) throw new RangeError("kvm_enable_cap takes at most 4 args");
  const { bytes, view } = structBuffer(kvm_enable_cap.size);
  const a: bigint[] = [0n, 0n, 0n, 0n];
  args.forEach((v, i) => { a[i] = BigInt.asUintN(64, BigInt(v)); });
  kvm_enable_cap.write(view, { cap, flags, args: a });
  return bytes;
}

