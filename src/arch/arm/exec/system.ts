/**
 * System-level instructions as seen from PL0: UNDEFINED, SVC, BKPT, hints, barriers, CLREX, IT,
 * MRS/MSR (APSR), SETEND, and the user-accessible CP15 registers (TPIDRURW, TPIDRURO, CNTFRQ,
 * CNTVCT). Everything else in CP14/CP15 is UNDEFINED at PL0.
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";
import { STOP_BKPT, STOP_SVC, STOP_UNDEFINED, STOP_WFE, STOP_WFI } from "../stop.js";

/** a = the instruction encoding (T32: hw1 << 16 | hw2). */
export const OP_UNDEFINED = defineExecutor((cpu, insn) => {
  cpu.stopInfo.insn = insn >>> 0;
  cpu.stopHere(STOP_UNDEFINED);
});

/** a = immediate. PC moves past the SVC. */
export const OP_SVC = defineExecutor((cpu, imm) => {
  cpu.stopInfo.imm = imm;
  cpu.stopAfter(STOP_SVC);
});

/** a = immediate, b = encoding. */
export const OP_BKPT = defineExecutor((cpu, imm, insn) => {
  cpu.stopInfo.imm = imm;
  cpu.stopInfo.insn = insn >>> 0;
  cpu.stopHere(STOP_BKPT);
});

export const OP_NOP = defineExecutor(() => {});

export const OP_WFI = defineExecutor((cpu) => cpu.stopAfter(STOP_WFI));
export const OP_WFE = defineExecutor((cpu) => cpu.stopAfter(STOP_WFE));

export const OP_CLREX = defineExecutor((cpu) => {
  cpu.exclusiveAddress = -1;
});

/** IT: a = firstcond:mask (ITSTATE[7:0]). */
export const OP_IT = defineExecutor((cpu, itstate) => {
  cpu.itstate = itstate;
});

/**
 * MRS rd, APSR: a = rd. N Z C V Q and GE; the execution-state bits (IT, J, T) read as zero, as the
 * ARM ARM specifies for an APSR read; E and the mode field read as they are (User).
 */
export const OP_MRS = defineExecutor((cpu, rd) => {
  cpu.regs[rd] = (cpu.cpsr & 0xf80f0200) | (cpu.mode & 0x1f);
});

/** MSR APSR_<fields>, reg: a = rn, b = mask (bit 1 = nzcvq, bit 0 = g). */
export const OP_MSR_REG = defineExecutor((cpu, rn, mask) => {
  cpu.writeApsr(cpu.regs[rn], (mask & 2) !== 0, (mask & 1) !== 0);
});

/** MSR APSR_<fields>, #imm: a = imm32, b = mask. */
export const OP_MSR_IMM = defineExecutor((cpu, imm, mask) => {
  cpu.writeApsr(imm, (mask & 2) !== 0, (mask & 1) !== 0);
});

/** SETEND: a = 1 for BE. */
export const OP_SETEND = defineExecutor((cpu, be) => {
  cpu.bigEndian = be !== 0;
  cpu.mmu.littleEndian = be === 0;
});

/** CP15 register key: opc1 << 12 | crn << 8 | crm << 4 | opc2. */
export function cp15Key(opc1: number, crn: number, crm: number, opc2: number): number {
  return (opc1 << 12) | (crn << 8) | (crm << 4) | opc2;
}
const TPIDRURW = cp15Key(0, 13, 0, 2);
const TPIDRURO = cp15Key(0, 13, 0, 3);
const CNTFRQ = cp15Key(0, 14, 0, 0);

/** MRC p15: a = key, b = rt. */
export const OP_MRC15 = defineExecutor((cpu, key, rt) => {
  let v: number;
  switch (key) {
    case TPIDRURW: v = cpu.tpidrurw; break;
    case TPIDRURO: v = cpu.tpidruro; break;
    case CNTFRQ: v = cpu.counterFrequency; break;
    default:
      cpu.stopInfo.insn = cpu.currentInsn() >>> 0;
      cpu.stopHere(STOP_UNDEFINED);
      return;
  }
  if (rt === 15) {
    // APSR_nzcv form: flags from bits 31..28
    cpu.writeApsr(v & 0xf0000000 | ((cpu.qf) << 27), true, false);
  } else cpu.regs[rt] = v;
});

/** MCR p15: a = key, b = rt. Only TPIDRURW is writable at PL0. */
export const OP_MCR15 = defineExecutor((cpu, key, rt) => {
  if (key === TPIDRURW) cpu.tpidrurw = cpu.regs[rt] >>> 0;
  else {
    cpu.stopInfo.insn = cpu.currentInsn() >>> 0;
    cpu.stopHere(STOP_UNDEFINED);
  }
});

/** MRRC p15: a = opc1 << 4 | crm, b = rt, c = rt2. CNTVCT (opc1 1, c14) is readable at PL0. */
export const OP_MRRC15 = defineExecutor((cpu, key, rt, rt2) => {
  if (key === ((1 << 4) | 14) || key === 14) {
    // CNTVCT (opc1 = 1) and CNTPCT (opc1 = 0): same counter here (no virtual offset at user level)
    const t = cpu.readCounter();
    cpu.regs[rt] = t % 4294967296 | 0;
    cpu.regs[rt2] = Math.floor(t / 4294967296) | 0;
  } else {
    cpu.stopInfo.insn = cpu.currentInsn() >>> 0;
    cpu.stopHere(STOP_UNDEFINED);
  }
});
