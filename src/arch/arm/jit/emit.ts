/**
 * JavaScript source for one decoded instruction inside a translated block (see translate.ts).
 *
 * Each emitter returns the statement(s) for one instruction with its operands as constants, or
 * false when the form is not inlined (the block then calls the instruction's executor instead, so
 * every instruction the decoders know can sit inside a block). Generated code sees:
 *   cpu, r (= cpu.regs), mmu (= cpu.mmu), and the flag locals nf zf cf vf (N = sign of nf,
 *   Z = zf === 0, C and V 0/1: the same representation as ArmCpu's fields).
 * Inlined forms are exactly those whose architectural effect is fully described by the operands:
 * no PC write (rd/rt = 15 goes to the executor); the IT state is known at translation time (blocks
 * are entered with ITSTATE = 0), so "flags set only outside an IT block" is decided here (`Site.inIt`).
 * An emitted load or store performs its access before any register write, as the executors do, so
 * a fault leaves the instruction restartable.
 */
import { DP_ADC, DP_ADD, DP_AND, DP_BIC, DP_CMN, DP_CMP, DP_EOR, DP_MOV, DP_MVN, DP_ORN, DP_ORR, DP_RSB, DP_RSC,
  DP_SBC, DP_SUB, DP_TEQ, DP_TST, OP_ADR, OP_DP_IMM, OP_DP_REG, OP_MOVT, OP_MOVW } from "../exec/alu.js";
import { OP_ADD_IMM_NF, OP_ADDSUB_IMM, OP_ADDSUB_REG, OP_CMP, OP_LS_OFFSET, OP_MOV_IMM, OP_MOV_REG } from "../exec/fast.js";
import { OP_LDM_STM, OP_LS_IMM, OP_LS_REG } from "../exec/loadstore.js";
import { OP_NOP } from "../exec/system.js";
import { OP_VLDR_VSTR } from "../vfp/transfer.js";
import { MUL_MLA, MUL_MLS, MUL_MUL, MUL_SMLAL, MUL_SMULL, MUL_UMLAL, MUL_UMULL, OP_MUL, OP_MUL_LONG } from "../exec/multiply.js";
import { BITS_CLZ, BITS_REV, BITS_REV16, BITS_REVSH, EXT_SXTB, EXT_SXTH, EXT_UXTB, EXT_UXTH, OP_BFI, OP_BFX, OP_BITS,
  OP_EXTEND } from "../exec/media.js";
import { loadMultiple, loadStore, vfpLoadStore } from "./emit-memory.js";
import { EMIT_PURE, Emitted, Shifted, reg, sets, shiftConst, type Site } from "./emitted.js";

export { EMIT_LOAD, EMIT_PURE, EMIT_STORE, Emitted, type Site } from "./emitted.js";

/** ConditionPassed as an expression over the flag locals. */
export function conditionSource(cond: number): string {
  switch (cond) {
    case 0: return "zf === 0";
    case 1: return "zf !== 0";
    case 2: return "cf !== 0";
    case 3: return "cf === 0";
    case 4: return "nf < 0";
    case 5: return "nf >= 0";
    case 6: return "vf !== 0";
    case 7: return "vf === 0";
    case 8: return "(cf !== 0 && zf !== 0)";
    case 9: return "(cf === 0 || zf === 0)";
    case 10: return "((nf < 0) === (vf !== 0))";
    case 11: return "((nf < 0) !== (vf !== 0))";
    case 12: return "(zf !== 0 && (nf < 0) === (vf !== 0))";
    case 13: return "(zf === 0 || (nf < 0) !== (vf !== 0))";
    default: return "true";
  }
}

const shifted = new Shifted();

/**
 * Data processing with a constant or constant-shifted register operand. `op2` is an expression,
 * `carry` the shifter carry-out expression ("" = unchanged), `prelude` binds `m` when needed.
 */
function dataProcessing(
  e: Emitted, op: number, setflags: boolean, rd: number, rn: number, s: Site,
  prelude: string, op2: string, carry: string,
): boolean {
  if (rd === 15 && op !== DP_TST && op !== DP_TEQ && op !== DP_CMP && op !== DP_CMN) return false;
  const n = reg(rn, s);
  let body = prelude;
  let logical = false;
  const arith = (x: string, y: string, c: string, write: boolean, set: boolean): string => {
    let t = `const x = ${x}, y = ${y}, res = (x + y + ${c}) | 0;`;
    if (set) {
      t += ` nf = zf = res; cf = (x >>> 0) + (y >>> 0) + ${c} > 4294967295 ? 1 : 0; vf = (~(x ^ y) & (x ^ res)) >>> 31;`;
      e.flags = true;
    }
    if (write) t += ` r[${rd}] = res;`;
    return t;
  };
  switch (op) {
    case DP_AND: body += `const res = ${n} & ${op2};`; logical = true; break;
    case DP_EOR: body += `const res = ${n} ^ ${op2};`; logical = true; break;
    case DP_ORR: body += `const res = ${n} | ${op2};`; logical = true; break;
    case DP_ORN: body += `const res = ${n} | ~${op2};`; logical = true; break;
    case DP_BIC: body += `const res = ${n} & ~${op2};`; logical = true; break;
    case DP_MOV: body += `const res = ${op2};`; logical = true; break;
    case DP_MVN: body += `const res = ~${op2};`; logical = true; break;
    case DP_TST: case DP_TEQ:
      body += `const res = ${n} ${op === DP_TST ? "&" : "^"} ${op2}; nf = zf = res;`;
      if (carry !== "") body += ` cf = ${carry};`;
      e.flags = true;
      e.code = `{ ${body} }`;
      return true;
    case DP_ADD: body += arith(n, op2, "0", true, setflags); break;
    case DP_SUB: body += arith(n, `~${op2}`, "1", true, setflags); break;
    case DP_RSB: body += arith(op2, `~${n}`, "1", true, setflags); break;
    case DP_ADC: body += arith(n, op2, "cf", true, setflags); e.flags = true; break;
    case DP_SBC: body += arith(n, `~${op2}`, "cf", true, setflags); e.flags = true; break;
    case DP_RSC: body += arith(op2, `~${n}`, "cf", true, setflags); e.flags = true; break;
    case DP_CMP: body += arith(n, `~${op2}`, "1", false, true); break;
    case DP_CMN: body += arith(n, op2, "0", false, true); break;
    default: return false;
  }
  if (logical) {
    if (setflags) {
      // the carry-out may read m, which the write below can overwrite (rd === rm): compute it first
      if (carry !== "") body += ` const co = ${carry};`;
      body += ` r[${rd}] = res; nf = zf = res;`;
      if (carry !== "") body += " cf = co;";
      e.flags = true;
    } else body += ` r[${rd}] = res;`;
  }
  e.code = `{ ${body} }`;
  return true;
}

/** Inline source for the decoded instruction, or false (then `e.code` is empty). */
export function emitInstruction(e: Emitted, op: number, a: number, b: number, c: number, d: number, s: Site): boolean {
  e.code = "";
  e.kind = EMIT_PURE;
  e.flags = false;
  switch (op) {
    case OP_ADD_IMM_NF:
      if (a === 15) return false;
      e.code = `r[${a}] = (${reg(b, s)} + ${c}) | 0;`;
      return true;
    case OP_ADDSUB_IMM:
      return dataProcessing(e, d & 4 ? DP_SUB : DP_ADD, sets(d & 3, s), a, b, s, "", String(c | 0), "");
    case OP_MOV_IMM:
      return dataProcessing(e, DP_MOV, sets(c, s), a, 0, s, "", String(b | 0), "");
    case OP_MOV_REG:
      return dataProcessing(e, DP_MOV, sets(c, s), a, 0, s, "", reg(b, s), "");
    case OP_ADDSUB_REG:
      return dataProcessing(e, d & 4 ? DP_SUB : DP_ADD, sets(d & 3, s), a, b, s, "", reg(c, s), "");
    case OP_CMP:
      return dataProcessing(e, DP_CMP, true, 0, a, s, "", c ? reg(b, s) : String(b | 0), "");
    case OP_DP_IMM: {
      const dp = a & 31, set = sets((a >>> 5) & 3, s);
      return dataProcessing(e, dp, set, (a >>> 8) & 15, (a >>> 12) & 15, s, "", String(b | 0), c < 0 ? "" : String(c));
    }
    case OP_DP_REG: {
      const dp = a & 31, set = sets((a >>> 5) & 3, s);
      shiftConst(c, d, shifted);
      if (shifted.usesCarryIn) e.flags = true;
      const ok = dataProcessing(e, dp, set, (a >>> 8) & 15, (a >>> 12) & 15, s, `const m = ${reg(b, s)}; `,
        shifted.value, shifted.carry);
      if (shifted.usesCarryIn) e.flags = true;
      return ok;
    }
    case OP_MOVW:
      if (a === 15) return false;
      e.code = `r[${a}] = ${b | 0};`;
      return true;
    case OP_MOVT:
      if (a === 15) return false;
      e.code = `r[${a}] = (r[${a}] & 65535) | ${(b << 16) | 0};`;
      return true;
    case OP_ADR:
      if (a === 15) return false;
      e.code = `r[${a}] = ${((s.pcRead & ~3) + b) | 0};`;
      return true;
    case OP_LS_OFFSET:
      return loadStore(e, d, a, 0, b, true, false, s, "", String(c | 0));
    case OP_LS_IMM: {
      const pre = (a & 0x100) !== 0, wback = !pre || (a & 0x400) !== 0;
      const off = a & 0x200 ? b | 0 : -b | 0;
      return loadStore(e, (a >>> 12) & 15, a & 15, (a >>> 16) & 15, (a >>> 4) & 15, pre, wback, s, "", String(off));
    }
    case OP_LS_REG: {
      const pre = (a & 0x100) !== 0, wback = !pre || (a & 0x400) !== 0;
      shiftConst(c, d, shifted);
      const off = a & 0x200 ? shifted.value : `-${shifted.value}`;
      const ok = loadStore(e, (a >>> 12) & 15, a & 15, (a >>> 16) & 15, (a >>> 4) & 15, pre, wback, s,
        `const m = ${reg(b, s)}; `, off);
      if (shifted.usesCarryIn) e.flags = true;
      return ok;
    }
    case OP_MUL: {
      const rd = a & 15, n = reg((a >>> 4) & 15, s), m = reg((a >>> 8) & 15, s), ra = reg((a >>> 12) & 15, s);
      // c bit 2 = S; bit 3 = "only outside an IT block"
      if (rd === 15) return false;
      const set = (c & 4) !== 0 && ((c & 8) === 0 || !s.inIt);
      let v: string;
      if (b === MUL_MUL) v = `Math.imul(${n}, ${m})`;
      else if (b === MUL_MLA) v = `(Math.imul(${n}, ${m}) + ${ra}) | 0`;
      else if (b === MUL_MLS) v = `(${ra} - Math.imul(${n}, ${m})) | 0`;
      else return false;
      e.code = set ? `{ const res = ${v}; r[${rd}] = res; nf = zf = res; }` : `r[${rd}] = ${v};`;
      e.flags = set;
      return true;
    }
    case OP_LDM_STM:
      return loadMultiple(e, a, b);
    case OP_VLDR_VSTR:
      return vfpLoadStore(e, a, b, c, d, s);
    case OP_NOP:
      e.code = ";";
      return true;
    case OP_MUL_LONG:
      return multiplyLong(e, a, b, c, s);
    case OP_EXTEND: {
      const rd = a & 15, rn = (a >>> 4) & 15;
      if (rd === 15) return false;
      const m = c === 0 ? "m" : `((m >>> ${c}) | (m << ${32 - c}))`;
      let v: string;
      switch (b) {
        case EXT_SXTB: v = `((${m} << 24) >> 24)`; break;
        case EXT_SXTH: v = `((${m} << 16) >> 16)`; break;
        case EXT_UXTB: v = `(${m} & 255)`; break;
        case EXT_UXTH: v = `(${m} & 65535)`; break;
        default: return false; // the dual-halfword forms
      }
      e.code = `{ const m = ${reg((a >>> 8) & 15, s)}; r[${rd}] = ${rn === 15 ? v : `(r[${rn}] + ${v}) | 0`}; }`;
      return true;
    }
    case OP_BFX: {
      const rd = a & 15;
      if (rd === 15) return false;
      // the executor's shifts, taken mod 32 as JavaScript does (lsb + width > 32 is UNPREDICTABLE)
      const up = (32 - b - c) & 31, down = (32 - c) & 31;
      e.code = `r[${rd}] = (${reg((a >>> 4) & 15, s)} << ${up}) ${d ? ">>" : ">>>"} ${down};`;
      return true;
    }
    case OP_BFI: {
      const rd = a & 15, rn = (a >>> 4) & 15;
      if (rd === 15 || c < b) return false;
      const width = c - b + 1;
      const mask = ((width === 32 ? -1 : (1 << width) - 1) << b) | 0;
      e.code = rn === 15 ? `r[${rd}] &= ${~mask};` : `r[${rd}] = (r[${rd}] & ${~mask}) | ((r[${rn}] << ${b}) & ${mask});`;
      return true;
    }
    case OP_BITS: {
      const rd = a & 15;
      if (rd === 15) return false;
      let v: string;
      switch (b) {
        case BITS_REV: v = "(m << 24) | ((m & 65280) << 8) | ((m >>> 8) & 65280) | (m >>> 24)"; break;
        case BITS_REV16: v = "((m & 16711935) << 8) | ((m >>> 8) & 16711935)"; break;
        case BITS_REVSH: v = "(((m & 255) << 24) >> 16) | ((m >>> 8) & 255)"; break;
        case BITS_CLZ: v = "Math.clz32(m)"; break;
        default: return false; // RBIT
      }
      e.code = `{ const m = ${reg((a >>> 8) & 15, s)}; r[${rd}] = ${v}; }`;
      return true;
    }
    default:
      return false;
  }
}

/**
 * UMULL / SMULL / UMLAL / SMLAL: the 64-bit product from 16-bit halves (exact in doubles), signed
 * forms corrected from the unsigned product, as exec/multiply.ts computes it.
 */
function multiplyLong(e: Emitted, a: number, kind: number, opt: number, s: Site): boolean {
  const rdlo = a & 15, rdhi = (a >>> 4) & 15;
  if (rdlo === 15 || rdhi === 15) return false;
  if (kind !== MUL_UMULL && kind !== MUL_SMULL && kind !== MUL_UMLAL && kind !== MUL_SMLAL) return false;
  const signed = kind === MUL_SMULL || kind === MUL_SMLAL;
  let t = `const x = ${reg((a >>> 8) & 15, s)}, y = ${reg((a >>> 12) & 15, s)};` +
    " const xl = x & 65535, xh = x >>> 16, yl = y & 65535, yh = y >>> 16, lh = xl * yh, hl = xh * yl;" +
    " const mid = ((xl * yl) >>> 16) + (lh & 65535) + (hl & 65535);" +
    " let hi = xh * yh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16); let lo = Math.imul(x, y);";
  if (signed) t += " if (x < 0) hi -= y >>> 0; if (y < 0) hi -= x >>> 0;";
  t += " hi |= 0;";
  if (kind === MUL_UMLAL || kind === MUL_SMLAL) {
    t += ` const sum = (lo >>> 0) + (r[${rdlo}] >>> 0); lo = sum | 0; hi = (hi + r[${rdhi}] + (sum > 4294967295 ? 1 : 0)) | 0;`;
  }
  t += ` r[${rdlo}] = lo; r[${rdhi}] = hi;`;
  if (opt & 4) {
    t += " nf = hi; zf = hi | lo;";
    e.flags = true;
  }
  e.code = `{ ${t} }`;
  return true;
}
