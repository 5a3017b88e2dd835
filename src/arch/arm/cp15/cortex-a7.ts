/**
 * Cortex-A7 CP15 identification and reset data (reference kvm-arm32-abi.md §6.4: MIDR, CTR,
 * ID_MMFR0/1 and the SCTLR reset differ from the A15; the rest is shared).
 */
import type { Cp15Model } from "./model.js";
import { CORTEX_A15 } from "./cortex-a15.js";

export const CORTEX_A7: Cp15Model = {
  ...CORTEX_A15,
  midr: 0x410fc075,
  ctr: 0x84448003,
  idC1: [0x00001131, 0x00011011, 0x02010555, 0x00000000, 0x10101105, 0x40000000, 0x01240000, 0x02102211],
  sctlrReset: 0x00c50878,
};
