/**
 * The GICv2 CPU interface frame (8 KiB) a KVM guest sees at the CPU base: on hardware the GIC's virtual
 * CPU interface (GICV) without Security Extensions; here emulated over `GicState`. Reference
 * kvm-arm32-abi.md §10.3, ARM IHI 0048B §4.4 and §5.6 (GICV register layout).
 *
 * Every register is 32-bit; other widths and misaligned accesses read as zero and ignore writes.
 * GICC_APR0 holds the active preemption levels of both groups (APR1–3 and NSAPR0–3 RAZ/WI); GICC_IIDR
 * reads KVM's value 0x04B2043B. GICC_EOIR and GICC_AEOIR both perform the priority drop (and, with
 * EOImode = 0, the deactivation) of the interrupt they name, whatever its group.
 *
 * Userspace (KVM_DEV_ARM_VGIC_GRP_CPU_REGS, §10.4) reaches CTLR, PMR in the 5-bit GICH_VMCR format
 * (value = priority mask >> 3), BPR, ABPR, APR0–3 and IIDR; any other offset is ENXIO.
 */
import { ENXIO } from "../../../abi/errno.js";
import {
  GICC_ABPR_MIN,
  GICC_BPR_MIN,
  GICC_CTLR_MASK,
  GicState,
  VGIC_PRI_MASK,
} from "./state.js";

export const GICC_CTLR = 0x000;
export const GICC_PMR = 0x004;
export const GICC_BPR = 0x008;
export const GICC_IAR = 0x00c;
export const GICC_EOIR = 0x010;
export const GICC_RPR = 0x014;
export const GICC_HPPIR = 0x018;
export const GICC_ABPR = 0x01c;
export const GICC_AIAR = 0x020;
export const GICC_AEOIR = 0x024;
export const GICC_AHPPIR = 0x028;
export const GICC_APR0 = 0x0d0;
export const GICC_NSAPR0 = 0x0e0;
export const GICC_IIDR = 0x0fc;
export const GICC_DIR = 0x1000;
export const KVM_VGIC_V2_CPU_SIZE = 0x2000;

/** GICC_IIDR as KVM reports it: ProductID 0x4B, architecture version 2, implementer 0x43B. */
export const VGIC_CPU_IIDR = 0x04b2043b;

/** Guest read of the CPU interface of `cpu` (reading IAR/AIAR acknowledges). */
export function cpuRead(st: GicState, cpu: number, offset: number, size: number): number {
  if (size !== 4 || (offset & 3) !== 0) return 0;
  switch (offset) {
    case GICC_CTLR:
      return st.ctlr[cpu]!;
    case GICC_PMR:
      return st.pmr[cpu]!;
    case GICC_BPR:
      return st.bpr[cpu]!;
    case GICC_ABPR:
      return st.abpr[cpu]!;
    case GICC_IAR:
      return st.acknowledge(cpu, false);
    case GICC_AIAR:
      return st.acknowledge(cpu, true);
    case GICC_RPR:
      return st.runningPriority(cpu);
    case GICC_HPPIR:
      return st.highestPendingId(cpu, false);
    case GICC_AHPPIR:
      return st.highestPendingId(cpu, true);
    case GICC_APR0:
      return st.apr[cpu]! >>> 0;
    case GICC_IIDR:
      return VGIC_CPU_IIDR;
  }
  return 0;
}

/** Guest write to the CPU interface of `cpu`. */
export function cpuWrite(st: GicState, cpu: number, offset: number, size: number, value: number): void {
  if (size !== 4 || (offset & 3) !== 0) return;
  value >>>= 0;
  switch (offset) {
    case GICC_CTLR:
      st.ctlr[cpu] = value & GICC_CTLR_MASK;
      break;
    case GICC_PMR:
      st.pmr[cpu] = value & VGIC_PRI_MASK;
      break;
    case GICC_BPR:
      st.bpr[cpu] = Math.max(value & 7, GICC_BPR_MIN);
      break;
    case GICC_ABPR:
      st.abpr[cpu] = Math.max(value & 7, GICC_ABPR_MIN);
      break;
    case GICC_EOIR:
    case GICC_AEOIR:
      st.endOfInterrupt(cpu, value);
      return;
    case GICC_DIR:
      st.deactivate(cpu, value);
      return;
    case GICC_APR0:
      st.apr[cpu] = value;
      break;
    default:
      return;
  }
  st.update();
}

/** Whether `offset` names a register of the userspace CPU_REGS view. */
export function cpuUserRegisterExists(offset: number): boolean {
  switch (offset) {
    case GICC_CTLR:
    case GICC_PMR:
    case GICC_BPR:
    case GICC_ABPR:
    case GICC_APR0:
    case GICC_APR0 + 4:
    case GICC_APR0 + 8:
    case GICC_APR0 + 12:
    case GICC_IIDR:
      return true;
  }
  return false;
}

/** Userspace read (CPU_REGS): the value, or a negative errno (ENXIO). Never acknowledges. */
export function cpuUserRead(st: GicState, cpu: number, offset: number): number {
  if (!cpuUserRegisterExists(offset)) return -ENXIO;
  if (offset === GICC_PMR) return st.pmr[cpu]! >>> 3;
  return cpuRead(st, cpu, offset, 4);
}

/** Userspace write (CPU_REGS): 0 or -ENXIO. IIDR and APR1–3 ignore writes. */
export function cpuUserWrite(st: GicState, cpu: number, offset: number, value: number): number {
  if (!cpuUserRegisterExists(offset)) return -ENXIO;
  if (offset === GICC_PMR) {
    st.pmr[cpu] = (value << 3) & VGIC_PRI_MASK;
    st.update();
    return 0;
  }
  cpuWrite(st, cpu, offset, 4, value);
  return 0;
}
