/**
 * System-level instructions: UNDEFINED, SVC, BKPT, HVC, SMC, hints, barriers, CLREX, IT, MRS/MSR
 * (APSR), SETEND, and MRC/MCR/MRRC/MCRR to CP15 (driven by the CP15 table, which holds the access
 * rights for PL0 and PL1) and CP14. The privileged mode/exception-return forms are in privileged.ts.
 */
import type { ArmCpu } from "../cpu.js";
import { defineExecutor } from "../executors.js";
import { STOP_BKPT, STOP_HVC, STOP_SMC, STOP_SVC, STOP_UNDEFINED, STOP_WFE, STOP_WFI } from "../stop.js";
import { cp15Allowed, cp15ByKey32, cp15ByKey64, wideHi } from "../cp15/table.js";
import { MODE_USR, NO_ITSTATE } from "../exceptions.js";

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
  // system mode: the CPSR with the execution-state bits (IT, J, T) reading as zero (B9.3.8)
  cpu.regs[rd] = cpu.systemMode ? cpu.cpsr & 0xf8ff03df : (cpu.cpsr & 0xf80f0200) | (cpu.mode & 0x1f);
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

function undefinedHere(cpu: ArmCpu): void {
  cpu.stopInfo.insn = cpu.currentInsn() >>> 0;
  cpu.stopHere(STOP_UNDEFINED);
}

/** MRC p15: a = key, b = rt. Access rights and behaviour from the CP15 table (cp15/table.ts). */
export const OP_MRC15 = defineExecutor((cpu, key, rt) => {
  const r = cp15ByKey32(key);
  if (r === undefined || !cp15Allowed(cpu, r, false, cpu.mode === MODE_USR)) return undefinedHere(cpu);
  const v = r.read(cpu);
  if (rt === 15) cpu.writeApsr((v & 0xf0000000) | (cpu.qf << 27), true, false); // APSR_nzcv form
  else cpu.regs[rt] = v;
});

/** MCR p15: a = key, b = rt. */
export const OP_MCR15 = defineExecutor((cpu, key, rt) => {
  const r = cp15ByKey32(key);
  if (r === undefined || !cp15Allowed(cpu, r, true, cpu.mode === MODE_USR)) return undefinedHere(cpu);
  r.write(cpu, cpu.regs[rt], 0);
  if (cpu.codeVpn < 0 && cpu.stopInfo.reason === 0) cpu.signalStateChange(NO_ITSTATE); // translation changed
});

/** MRRC p15: a = opc1 << 4 | crm, b = rt, c = rt2. */
export const OP_MRRC15 = defineExecutor((cpu, key, rt, rt2) => {
  const r = cp15ByKey64(key);
  if (r === undefined || !cp15Allowed(cpu, r, false, cpu.mode === MODE_USR)) return undefinedHere(cpu);
  const lo = r.read(cpu);
  cpu.regs[rt] = lo;
  cpu.regs[rt2] = wideHi.value;
});

/** MCRR p15: a = opc1 << 4 | crm, b = rt, c = rt2. */
export const OP_MCRR15 = defineExecutor((cpu, key, rt, rt2) => {
  const r = cp15ByKey64(key);
  if (r === undefined || !cp15Allowed(cpu, r, true, cpu.mode === MODE_USR)) return undefinedHere(cpu);
  r.write(cpu, cpu.regs[rt], cpu.regs[rt2]);
  if (cpu.codeVpn < 0 && cpu.stopInfo.reason === 0) cpu.signalStateChange(NO_ITSTATE);
});

/**
 * MRC/MCR/MRRC/MCRR p14 (debug and trace): RAZ/WI at PL1 as KVM presents them (reference §6.3),
 * UNDEFINED at PL0. a = rt (MRC) or rt | rt2 << 4 (MRRC), b = 1 for reads.
 */
export const OP_CP14 = defineExecutor((cpu, rts, read) => {
  if (cpu.mode === MODE_USR) return undefinedHere(cpu);
  if (!read) return;
  const rt = rts & 15;
  if (rts >>> 8) {
    cpu.regs[rt] = 0;
    cpu.regs[(rts >>> 4) & 15] = 0;
  } else if (rt === 15) cpu.writeApsr(cpu.qf << 27, true, false);
  else cpu.regs[rt] = 0;
});

/** HVC (PL1: stop for the layer above with PC past it; PL0: UNDEFINED). a = imm16. */
export const OP_HVC = defineExecutor((cpu, imm) => {
  if (cpu.mode === MODE_USR) return undefinedHere(cpu);
  cpu.stopInfo.imm = imm;
  cpu.stopInfo.insn = cpu.currentInsn() >>> 0;
  cpu.stopAfter(STOP_HVC);
});

/** SMC (PL1: stop for the layer above with PC past it; PL0: UNDEFINED). a = imm4. */
export const OP_SMC = defineExecutor((cpu, imm) => {
  if (cpu.mode === MODE_USR) return undefinedHere(cpu);
  cpu.stopInfo.imm = imm;
  cpu.stopInfo.insn = cpu.currentInsn() >>> 0;
  cpu.stopAfter(STOP_SMC);
});
