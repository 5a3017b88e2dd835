/** Cortex-A15 CP15 identification and reset data (reference kvm-arm32-abi.md §6.2, §6.3). */
import type { Cp15Model } from "./model.js";

export const CORTEX_A15: Cp15Model = {
  midr: 0x412fc0f1,
  ctr: 0x8444c004,
  tcmtr: 0,
  tlbtr: 0,
  revidr: 0,
  clidr: 0x0a200023,
  aidr: 0,
  idC1: [0x00001131, 0x00011011, 0x02010555, 0x00000000, 0x10201105, 0x20000000, 0x01240000, 0x02102211],
  idIsar: [0x02101110, 0x13112111, 0x21232041, 0x11112131, 0x10011142, 0x00000000],
  ccsidr: [0x701fe00a, 0x201fe00a, 0x711fe07a],
  sctlrReset: 0x00c50078,
  actlr: 0,
  l2ctlr: 0,
  mpidrHigh: 0x80000000,
};
