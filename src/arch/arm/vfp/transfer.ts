/**
 * VFP register transfers: VLDR/VSTR, VLDM/VSTM (VPUSH/VPOP), VMOV between core and extension
 * registers (single, scalar, two singles, doubleword), VMRS/VMSR — the executors, over an ArmCpu.
 *
 * Memory: doublewords are two word accesses, low word first in little-endian state and high word
 * first in big-endian state (the ARM ARM's MemA[address,4] pairs). VLDR/VSTR/VLDM/VSTM need word
 * alignment. All loads finish before any register is written and stores probe every page first, so
 * a fault (GUEST_STOP thrown by the MMU) leaves the architectural state unchanged.
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor, EXECUTORS } from "../executors.js";
import { OP_UNDEFINED } from "../exec/system.js";
import { cpacrAllows, defineFpSimdExecutor, fpSimdEnabled } from "../fp-simd.js";
import {
  FPEXC_EN, FPSCR_WRITABLE, FPSID_CORTEX_A15, FPSID_CORTEX_A7, MVFR0_VFPV4_D32, MVFR1_WITHOUT_NEON, MVFR1_WITH_NEON,
  VFP_REG_FPEXC, VFP_REG_FPSCR, VFP_REG_FPSID, VFP_REG_MVFR0, VFP_REG_MVFR1,
} from "./fpscr.js";

const staging = new Uint32Array(64);
/** CPSR.M of User mode (the identification registers and FPEXC are PL1-only). */
const MODE_USR = 0x10;

let advancedSimd = false;
/** Whether MVFR1 advertises Advanced SIMD (set once NEON executes; VFP-only until then). */
export function setAdvancedSimdPresent(present: boolean): void {
  advancedSimd = present;
}

function undefinedInstruction(cpu: ArmCpu, insn: number): void {
  EXECUTORS[OP_UNDEFINED](cpu, insn, 0, 0, 0);
}

/**
 * VLDR/VSTR: a = first word index in the register file (2*Dd, or Sd), b = Rn, c = signed byte
 * offset, d = bit 0 load, bit 1 doubleword.
 */
export const OP_VLDR_VSTR = defineFpSimdExecutor((cpu, index, rn, offset, flags) => {
  const base = rn === 15 ? cpu.regs[15] & ~3 : cpu.regs[rn];
  const addr = (base + offset) | 0;
  const mmu = cpu.mmu, w = cpu.fp.w;
  const load = (flags & 1) !== 0, double = (flags & 2) !== 0;
  mmu.checkAlign(addr, 3, !load);
  if (!double) {
    if (load) w[index] = mmu.read32(addr);
    else mmu.write32(addr, w[index]);
    return;
  }
  const first = cpu.bigEndian ? index + 1 : index;
  const second = cpu.bigEndian ? index : index + 1;
  const addr2 = (addr + 4) | 0;
  if (load) {
    const v1 = mmu.read32(addr), v2 = mmu.read32(addr2);
    w[first] = v1;
    w[second] = v2;
  } else {
    mmu.probeWrite(addr, 8);
    mmu.write32(addr, w[first]);
    mmu.write32(addr2, w[second]);
  }
});

/**
 * VLDM/VSTM: a = first word index (2*Dd or Sd), b = Rn, c = number of words, d = bit 0 load,
 * bit 1 doubleword registers, bit 2 decrement before (else increment after), bit 3 writeback.
 */
export const OP_VLDM_VSTM = defineFpSimdExecutor((cpu, index, rn, words, flags) => {
  const mmu = cpu.mmu, w = cpu.fp.w, regs = cpu.regs;
  const load = (flags & 1) !== 0, double = (flags & 2) !== 0, decrement = (flags & 4) !== 0;
  const base = rn === 15 ? regs[15] & ~3 : regs[rn];
  const start = decrement ? (base - 4 * words) | 0 : base;
  mmu.checkAlign(start, 3, !load);
  const swap = double && cpu.bigEndian ? 1 : 0;
  if (load) {
    for (let i = 0; i < words; i++) staging[i] = mmu.read32((start + 4 * i) | 0);
    for (let i = 0; i < words; i++) w[(index + (i ^ swap)) & 63] = staging[i];
  } else {
    mmu.probeWrite(start, 4 * words);
    for (let i = 0; i < words; i++) mmu.write32((start + 4 * i) | 0, w[(index + (i ^ swap)) & 63]);
  }
  if ((flags & 8) !== 0) regs[rn] = decrement ? start : (base + 4 * words) | 0;
});

/** VMOV Sn <-> Rt (and the 32-bit scalar forms): a = word index, b = Rt, c = 1 to core. */
export const OP_VMOV_CORE_WORD = defineFpSimdExecutor((cpu, index, rt, toCore) => {
  if (toCore !== 0) cpu.regs[rt] = cpu.fp.w[index] | 0;
  else cpu.fp.w[index] = cpu.regs[rt];
});

/**
 * VMOV two core registers <-> two consecutive words (Sm, Sm+1 or the halves of Dm):
 * a = word index, b = Rt, c = Rt2, d = 1 to core.
 */
export const OP_VMOV_CORE_PAIR = defineFpSimdExecutor((cpu, index, rt, rt2, toCore) => {
  const w = cpu.fp.w, regs = cpu.regs;
  if (toCore !== 0) {
    regs[rt] = w[index] | 0;
    regs[rt2] = w[(index + 1) & 63] | 0;
  } else {
    w[index] = regs[rt];
    w[(index + 1) & 63] = regs[rt2];
  }
});

/**
 * The access rules of VMRS/VMSR (ARM ARM VMRS/VMSR pseudocode, B1.11.3): FPSCR is an ordinary FP
 * access (CPACR for the current level and FPEXC.EN); FPSID, FPEXC, MVFR0 and MVFR1 are PL1-only and
 * need CPACR but not FPEXC.EN — which is how a kernel turns the unit on — and every other register
 * is UNDEFINED (this VFPv4 has no FPINST/FPINST2: no trapped exceptions).
 */
function systemRegisterAllowed(cpu: ArmCpu, reg: number): boolean {
  if (reg === VFP_REG_FPSCR) return fpSimdEnabled(cpu);
  return cpu.mode !== MODE_USR && cpacrAllows(cpu);
}

/** VMRS Rt, <reg>: a = Rt (15: APSR_nzcv from FPSCR), b = register number, c = the encoding. */
export const OP_VMRS = defineExecutor((cpu, rt, reg, insn) => {
  if (!systemRegisterAllowed(cpu, reg)) return undefinedInstruction(cpu, insn);
  const fp = cpu.fp;
  let v: number;
  if (reg === VFP_REG_FPSCR) v = fp.fpscr;
  else if (reg === VFP_REG_FPSID) v = cpu.model === "cortex-a7" ? FPSID_CORTEX_A7 : FPSID_CORTEX_A15;
  else if (reg === VFP_REG_MVFR0) v = MVFR0_VFPV4_D32;
  else if (reg === VFP_REG_MVFR1) v = advancedSimd ? MVFR1_WITH_NEON : MVFR1_WITHOUT_NEON;
  else if (reg === VFP_REG_FPEXC) v = fp.fpexc;
  else return undefinedInstruction(cpu, insn);
  if (rt !== 15) {
    cpu.regs[rt] = v | 0;
    return;
  }
  cpu.nf = (v & 0x80000000) !== 0 ? -1 : 0;
  cpu.zf = (v & 0x40000000) !== 0 ? 0 : 1;
  cpu.cf = (v >>> 29) & 1;
  cpu.vf = (v >>> 28) & 1;
});

/** VMSR <reg>, Rt: a = Rt, b = register number, c = the encoding. */
export const OP_VMSR = defineExecutor((cpu, rt, reg, insn) => {
  if (!systemRegisterAllowed(cpu, reg)) return undefinedInstruction(cpu, insn);
  const v = cpu.regs[rt];
  const fp = cpu.fp;
  if (reg === VFP_REG_FPSCR) fp.fpscr = (v & FPSCR_WRITABLE) >>> 0;
  else if (reg === VFP_REG_FPEXC) fp.fpexc = (v & FPEXC_EN) >>> 0; // no trapped exceptions: EX stays 0
  else if (reg !== VFP_REG_FPSID) undefinedInstruction(cpu, insn); // FPSID writes are ignored; MVFRs are read-only
});
