/**
 * The GICv2 distributor frame (4 KiB) as KVM's vGIC emulates it: reference kvm-arm32-abi.md §10.2,
 * ARM IHI 0048B §4.3. Register semantics live here; the state and the state machine are `GicState`'s.
 *
 * Guest accesses: word accesses everywhere; byte accesses also to GICD_IPRIORITYR, GICD_ITARGETSR,
 * GICD_CPENDSGIR and GICD_SPENDSGIR. Any other width, a misaligned access, an unknown offset or an
 * interrupt at or above nr_irqs reads as zero and ignores writes (no abort).
 *
 * Userspace accesses (KVM_DEV_ARM_VGIC_GRP_DIST_REGS, §10.4) are 32-bit and use the same registers, with
 * KVM's uaccess differences: GICD_IIDR accepts only its own value (anything else EINVAL) and doing so
 * makes GICD_IGROUPR userspace-writable; GICD_SGIR ignores userspace writes. An offset outside every
 * register, or a misaligned one, is ENXIO.
 */
import { EINVAL, ENXIO } from "../../../abi/errno.js";
import {
  GicState,
  VGIC_NR_PRIVATE_IRQS,
  VGIC_NR_SGIS,
  VGIC_PRI_MASK,
  irqSlot,
} from "./state.js";

export const GICD_CTLR = 0x000;
export const GICD_TYPER = 0x004;
export const GICD_IIDR = 0x008;
export const GICD_IGROUPR = 0x080;
export const GICD_ISENABLER = 0x100;
export const GICD_ICENABLER = 0x180;
export const GICD_ISPENDR = 0x200;
export const GICD_ICPENDR = 0x280;
export const GICD_ISACTIVER = 0x300;
export const GICD_ICACTIVER = 0x380;
export const GICD_IPRIORITYR = 0x400;
export const GICD_ITARGETSR = 0x800;
export const GICD_ICFGR = 0xc00;
export const GICD_SGIR = 0xf00;
export const GICD_CPENDSGIR = 0xf10;
export const GICD_SPENDSGIR = 0xf20;
export const KVM_VGIC_V2_DIST_SIZE = 0x1000;

/** GICD_IIDR: ProductID 0x4B ('K'), Revision 2, Implementer 0x43B (ARM). */
export const VGIC_DIST_IIDR = 0x4b00243b;

/** Whether a 32-bit userspace access to `offset` names a distributor register (KVM's region table). */
export function distRegisterExists(offset: number): boolean {
  if ((offset & 3) !== 0 || offset < 0) return false;
  if (offset <= GICD_IIDR) return true;
  if (offset >= GICD_IGROUPR && offset < GICD_ICFGR + 0x100) return true;
  return offset === GICD_SGIR || (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + 0x10);
}

/** Guest (or userspace) read of `size` bytes at `offset`, as seen by CPU `cpu`. */
export function distRead(st: GicState, cpu: number, offset: number, size: number): number {
  if (!accessAllowed(offset, size)) return 0;
  if (offset < 0x080) {
    switch (offset) {
      case GICD_CTLR:
        return st.distEnabled ? 1 : 0;
      case GICD_TYPER:
        return (((st.nrIrqs >>> 5) - 1) & 0x1f) | (((st.nrCpus - 1) & 7) << 5);
      case GICD_IIDR:
        return VGIC_DIST_IIDR;
    }
    return 0;
  }
  if (offset < GICD_IPRIORITYR) return readBits(st, cpu, offset);
  if (offset < GICD_ITARGETSR) return readBytes(st, cpu, offset - GICD_IPRIORITYR, size, st.priority, false);
  if (offset < GICD_ICFGR) return readBytes(st, cpu, offset - GICD_ITARGETSR, size, st.targets, true);
  if (offset < GICD_ICFGR + 0x100) return readConfig(st, cpu, offset - GICD_ICFGR);
  if (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + 0x10) {
    let value = 0;
    const first = offset & 0xf;
    for (let i = 0; i < size; i++) value |= st.sgiSources[cpu * VGIC_NR_SGIS + first + i]! << (8 * i);
    return value >>> 0;
  }
  return 0; // GICD_SGIR is write-only; ID registers and reserved space RAZ.
}

/** Guest write. `user` selects the userspace (uaccess) rules; returns 0 or a negative errno. */
export function distWrite(st: GicState, cpu: number, offset: number, size: number, value: number, user = false): number {
  if (!accessAllowed(offset, size)) return 0;
  value >>>= 0;
  if (offset < 0x080) {
    if (offset === GICD_CTLR) {
      st.distEnabled = (value & 1) !== 0;
      st.update();
    } else if (offset === GICD_IIDR && user) {
      if (value !== VGIC_DIST_IIDR) return -EINVAL;
      st.groupsUserWritable = true;
    }
    return 0;
  }
  if (offset < GICD_IPRIORITYR) {
    if (offset < GICD_ISENABLER && user && !st.groupsUserWritable) return 0;
    writeBits(st, cpu, offset, value);
  } else if (offset < GICD_ITARGETSR) {
    writeBytes(st, cpu, offset - GICD_IPRIORITYR, size, value, false);
  } else if (offset < GICD_ICFGR) {
    writeBytes(st, cpu, offset - GICD_ITARGETSR, size, value, true);
  } else if (offset < GICD_ICFGR + 0x100) {
    writeConfig(st, cpu, offset - GICD_ICFGR, value);
  } else if (offset === GICD_SGIR) {
    if (!user) writeSgir(st, cpu, value);
    return 0;
  } else if (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + 0x10) {
    const set = offset >= GICD_SPENDSGIR;
    const first = offset & 0xf;
    for (let i = 0; i < size; i++) {
      const k = cpu * VGIC_NR_SGIS + first + i;
      const bits = (value >>> (8 * i)) & 0xff & ((1 << st.nrCpus) - 1);
      st.sgiSources[k] = set ? st.sgiSources[k]! | bits : st.sgiSources[k]! & ~bits;
    }
  } else {
    return 0;
  }
  st.update();
  return 0;
}

function accessAllowed(offset: number, size: number): boolean {
  if (size === 4) return (offset & 3) === 0;
  if (size !== 1) return false;
  return (
    (offset >= GICD_IPRIORITYR && offset < GICD_ICFGR) ||
    (offset >= GICD_CPENDSGIR && offset < GICD_SPENDSGIR + 0x10)
  );
}

/** One-bit-per-interrupt registers 0x080–0x3FF. */
function readBits(st: GicState, cpu: number, offset: number): number {
  const reg = offset & ~0x7f;
  const first = (offset & 0x7f) * 8;
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const intid = first + i;
    if (intid >= st.nrIrqs) break;
    const slot = irqSlot(cpu, intid);
    let bit: number;
    switch (reg) {
      case GICD_IGROUPR:
        bit = st.group[slot]!;
        break;
      case GICD_ISENABLER:
      case GICD_ICENABLER:
        bit = st.enabled[slot]!;
        break;
      case GICD_ISPENDR:
      case GICD_ICPENDR:
        bit = st.isPending(cpu, intid, slot) ? 1 : 0;
        break;
      default:
        bit = st.active[slot]!;
    }
    value |= bit << i;
  }
  return value >>> 0;
}

function writeBits(st: GicState, cpu: number, offset: number, value: number): void {
  const reg = offset & ~0x7f;
  const first = (offset & 0x7f) * 8;
  for (let i = 0; i < 32; i++) {
    const intid = first + i;
    if (intid >= st.nrIrqs) break;
    const bit = (value >>> i) & 1;
    const slot = irqSlot(cpu, intid);
    switch (reg) {
      case GICD_IGROUPR:
        st.group[slot] = bit;
        break;
      case GICD_ISENABLER:
        if (bit) st.enabled[slot] = 1;
        break;
      case GICD_ICENABLER:
        if (bit) st.enabled[slot] = 0;
        break;
      case GICD_ISPENDR:
        // SGI pending state has a source and is set through GICD_SGIR/SPENDSGIR only.
        if (bit && intid >= VGIC_NR_SGIS) st.latch[slot] = 1;
        break;
      case GICD_ICPENDR:
        if (bit && intid >= VGIC_NR_SGIS) st.latch[slot] = 0;
        break;
      case GICD_ISACTIVER:
        if (bit) st.active[slot] = 1;
        break;
      default:
        if (bit) st.active[slot] = 0;
    }
  }
}

/** Byte-per-interrupt registers: GICD_IPRIORITYR and GICD_ITARGETSR. */
function readBytes(st: GicState, cpu: number, index: number, size: number, bytes: Uint8Array, targets: boolean): number {
  let value = 0;
  for (let i = 0; i < size; i++) {
    const intid = index + i;
    if (intid >= st.nrIrqs) break;
    let b: number;
    if (targets && intid < VGIC_NR_PRIVATE_IRQS) b = 1 << cpu;
    else b = bytes[irqSlot(cpu, intid)]!;
    value |= b << (8 * i);
  }
  return value >>> 0;
}

function writeBytes(st: GicState, cpu: number, index: number, size: number, value: number, targets: boolean): void {
  const cpuMask = (1 << st.nrCpus) - 1;
  for (let i = 0; i < size; i++) {
    const intid = index + i;
    if (intid >= st.nrIrqs) break;
    const b = (value >>> (8 * i)) & 0xff;
    if (targets) {
      // Private interrupts' targets are read-only; SPI targets keep only existing CPUs.
      if (intid >= VGIC_NR_PRIVATE_IRQS) st.targets[irqSlot(cpu, intid)] = b & cpuMask;
    } else {
      st.priority[irqSlot(cpu, intid)] = b & VGIC_PRI_MASK;
    }
  }
}

/** GICD_ICFGR: 2 bits per interrupt, bit 1 = edge; SGI and PPI fields read-only. */
function readConfig(st: GicState, cpu: number, index: number): number {
  const first = index * 4;
  let value = 0;
  for (let i = 0; i < 16; i++) {
    const intid = first + i;
    if (intid >= st.nrIrqs) break;
    if (st.edge[irqSlot(cpu, intid)] !== 0) value |= 2 << (2 * i);
  }
  return value >>> 0;
}

function writeConfig(st: GicState, cpu: number, index: number, value: number): void {
  const first = index * 4;
  for (let i = 0; i < 16; i++) {
    const intid = first + i;
    if (intid >= st.nrIrqs) break;
    if (intid < VGIC_NR_PRIVATE_IRQS) continue;
    st.edge[irqSlot(cpu, intid)] = (value >>> (2 * i + 1)) & 1;
  }
}

/** GICD_SGIR: SGIINTID 3..0, CPUTargetList 23..16, TargetListFilter 25..24. */
function writeSgir(st: GicState, cpu: number, value: number): void {
  const sgi = value & 0xf;
  const all = (1 << st.nrCpus) - 1;
  let targets: number;
  switch ((value >>> 24) & 3) {
    case 0:
      targets = (value >>> 16) & 0xff;
      break;
    case 1:
      targets = all & ~(1 << cpu);
      break;
    case 2:
      targets = 1 << cpu;
      break;
    default:
      return;
  }
  st.sendSgi(cpu, sgi, targets & all);
}

/** ENXIO for a userspace access to an offset that names no distributor register. */
export function distUserCheck(offset: number): number {
  return distRegisterExists(offset) ? 0 : -ENXIO;
}
