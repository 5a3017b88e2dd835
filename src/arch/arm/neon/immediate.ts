/**
 * AdvSIMDExpandImm (ARM ARM A7.4.6, "One register and a modified immediate value"): the 64-bit
 * constant of VMOV/VMVN/VORR/VBIC (immediate) from op, cmode and imm8. Decode-time only.
 */
export const immediate = { lo: 0, hi: 0 };

/** Expand into `immediate`; false for the UNDEFINED combination (op = 1, cmode = 1111). */
export function expandImmediate(op: number, cmode: number, imm8: number): boolean {
  let word: number;
  switch (cmode >> 1) {
    case 0: word = imm8; break;
    case 1: word = imm8 << 8; break;
    case 2: word = imm8 << 16; break;
    case 3: word = imm8 << 24; break;
    case 4: word = imm8 | (imm8 << 16); break;
    case 5: word = (imm8 << 8) | (imm8 << 24); break;
    case 6: word = (cmode & 1) === 0 ? (imm8 << 8) | 0xff : (imm8 << 16) | 0xffff; break;
    default:
      if ((cmode & 1) === 0 && op === 0) word = imm8 * 0x01010101;
      else if ((cmode & 1) === 0) {
        // each bit of imm8 becomes a byte of ones or zeros
        let lo = 0, hi = 0;
        for (let i = 0; i < 4; i++) {
          if ((imm8 >> i) & 1) lo |= 0xff << (8 * i);
          if ((imm8 >> (i + 4)) & 1) hi |= 0xff << (8 * i);
        }
        immediate.lo = lo >>> 0;
        immediate.hi = hi >>> 0;
        return true;
      } else if (op === 0) {
        // imm8<7> : NOT(imm8<6>) : Replicate(imm8<6>, 5) : imm8<5:0> : Zeros(19)
        const b6 = (imm8 >> 6) & 1;
        word = ((imm8 & 0x80) << 24) | ((b6 ^ 1) << 30) | ((b6 ? 0x1f : 0) << 25) | ((imm8 & 0x3f) << 19);
      } else return false;
  }
  immediate.lo = word >>> 0;
  immediate.hi = word >>> 0;
  return true;
}
