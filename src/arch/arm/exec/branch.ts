/**
 * Branches. Offsets are relative to the PC read value (regs[15]), so A32 and T32 share executors.
 */
import { defineExecutor } from "../executors.js";

/** B: a = offset. */
export const OP_B = defineExecutor((cpu, offset) => {
  cpu.branchWritePc(cpu.regs[15] + offset);
});

/** BL: a = offset. */
export const OP_BL = defineExecutor((cpu, offset) => {
  cpu.regs[14] = cpu.thumb ? cpu.nextPc | 1 : cpu.nextPc;
  cpu.branchWritePc(cpu.regs[15] + offset);
});

/** BLX (immediate): a = offset from Align(PC, 4); switches instruction set. */
export const OP_BLX_IMM = defineExecutor((cpu, offset) => {
  const thumb = cpu.thumb;
  cpu.regs[14] = thumb ? cpu.nextPc | 1 : cpu.nextPc;
  const target = ((cpu.regs[15] & ~3) + offset) | 0;
  cpu.bxWritePc(thumb ? target & ~3 : target | 1);
});

/** BX: a = rm. */
export const OP_BX = defineExecutor((cpu, rm) => {
  cpu.bxWritePc(cpu.regs[rm]);
});

/** BLX (register): a = rm. */
export const OP_BLX_REG = defineExecutor((cpu, rm) => {
  const target = cpu.regs[rm];
  cpu.regs[14] = cpu.thumb ? cpu.nextPc | 1 : cpu.nextPc;
  cpu.bxWritePc(target);
});

/** CBZ / CBNZ: a = rn, b = offset, c = 1 for CBNZ. */
export const OP_CBZ = defineExecutor((cpu, rn, offset, nonzero) => {
  if ((cpu.regs[rn] !== 0) === (nonzero !== 0)) cpu.branchWritePc(cpu.regs[15] + offset);
});

/** TBB / TBH: a = rn, b = rm, c = 1 for TBH. */
export const OP_TB = defineExecutor((cpu, rn, rm, half) => {
  const base = cpu.regs[rn], index = cpu.regs[rm];
  const entry = half ? cpu.mmu.read16((base + (index << 1)) | 0) : cpu.mmu.read8((base + index) | 0);
  cpu.branchWritePc(cpu.regs[15] + entry * 2);
});
