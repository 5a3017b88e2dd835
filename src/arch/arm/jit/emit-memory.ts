/**
 * Inline source for memory instructions in translated blocks (see emit.ts for the conventions):
 * single and dual loads/stores, LDM/STM/PUSH/POP without PC, and VLDR/VSTR.
 *
 * Each form does what its executor does, in the same order: alignment checks, then every load (or,
 * for a store to several locations, a write probe of the whole range), then the register writes,
 * so a fault (GUEST_STOP from the MMU) leaves the instruction restartable. Base write-back follows
 * the executors' order too (before the loaded registers, so a loaded base wins).
 */
import { LS_LDR, LS_LDRB, LS_LDRD, LS_LDRH, LS_LDRSB, LS_LDRSH, LS_STR, LS_STRB, LS_STRD, LS_STRH } from "../exec/loadstore.js";
import { EMIT_LOAD, EMIT_STORE, type Emitted, type Site } from "./emitted.js";
import { FP_SIMD_DENIED_SOURCE, OP_FP_SIMD_UNDEFINED } from "../fp-simd.js";

/** Single and dual loads and stores (not to/from PC). `offset` is an expression added to the base. */
export function loadStore(e: Emitted, kind: number, rt: number, rt2: number, rn: number, pre: boolean, wback: boolean,
  s: Site, prelude: string, offset: string): boolean {
  if (rt === 15 || (wback && rn === 15)) return false;
  const base = rn === 15 ? String((s.pcRead & ~3) | 0) : `r[${rn}]`;
  let body = `${prelude}const base = ${base}, off = (base + ${offset}) | 0;`;
  const addr = pre ? "off" : "base";
  const wb = wback ? ` r[${rn}] = off;` : "";
  let load = "";
  switch (kind) {
    case LS_LDR: load = `mmu.read32(${addr})`; break;
    case LS_LDRB: load = `mmu.read8(${addr})`; break;
    case LS_LDRH: load = `mmu.read16(${addr})`; break;
    case LS_LDRSB: load = `((mmu.read8(${addr}) << 24) >> 24)`; break;
    case LS_LDRSH: load = `((mmu.read16(${addr}) << 16) >> 16)`; break;
    case LS_STR: body += ` mmu.write32(${addr}, r[${rt}]);${wb}`; break;
    case LS_STRB: body += ` mmu.write8(${addr}, r[${rt}] & 255);${wb}`; break;
    case LS_STRH: body += ` mmu.write16(${addr}, r[${rt}] & 65535);${wb}`; break;
    case LS_LDRD: case LS_STRD: {
      if (rt2 === 15) return false;
      const write = kind === LS_STRD;
      body += ` const a = ${addr}; if ((a & 3) !== 0 && !cpu.alignmentFixup) mmu.checkAlign(a, 3, ${write});`;
      if (write) body += ` mmu.probeWrite(a, 8); mmu.write32(a, r[${rt}]); mmu.write32((a + 4) | 0, r[${rt2}]);${wb}`;
      else body += ` const lo = mmu.read32(a), hi = mmu.read32((a + 4) | 0);${wb} r[${rt}] = lo; r[${rt2}] = hi;`;
      e.kind = write ? EMIT_STORE : EMIT_LOAD;
      e.code = `{ ${body} }`;
      return true;
    }
    default: return false;
  }
  if (load !== "") {
    body += ` const v = ${load};${wb} r[${rt}] = v;`;
    e.kind = EMIT_LOAD;
  } else e.kind = EMIT_STORE;
  e.code = `{ ${body} }`;
  return true;
}

function popcount16(x: number): number {
  let n = 0;
  for (let i = 0; i < 16; i++) n += (x >>> i) & 1;
  return n;
}

/** LDM/STM (a = rn | W << 4 | mode << 5 | L << 7, b = list), except loads of PC and PC as base. */
export function loadMultiple(e: Emitted, a: number, list: number): boolean {
  const rn = a & 15, mode = (a >>> 5) & 3, load = (a & 0x80) !== 0, wback = (a & 0x10) !== 0;
  if (rn === 15 || (load && (list & 0x8000) !== 0) || list === 0) return false;
  const bytes = popcount16(list) * 4;
  const first = mode === 0 ? 4 - bytes : mode === 1 ? 0 : mode === 2 ? -bytes : 4;
  let body = `const base = r[${rn}], a = (base + ${first}) | 0;` +
    ` if ((a & 3) !== 0 && !cpu.alignmentFixup) mmu.checkAlign(a, 3, ${!load});`;
  const wb = wback ? ` r[${rn}] = (base + ${mode & 1 ? bytes : -bytes}) | 0;` : "";
  let at = 0;
  if (load) {
    let writes = "";
    for (let i = 0; i < 15; i++) {
      if ((list & (1 << i)) === 0) continue;
      body += ` const v${i} = mmu.read32(${at === 0 ? "a" : `(a + ${at}) | 0`});`;
      writes += ` r[${i}] = v${i};`;
      at += 4;
    }
    body += wb + writes;
    e.kind = EMIT_LOAD;
  } else {
    body += ` mmu.probeWrite(a, ${bytes});`;
    for (let i = 0; i < 16; i++) {
      if ((list & (1 << i)) === 0) continue;
      // STM of PC stores the PC read value, which the executor finds in r[15]: leave that to it
      if (i === 15) return false;
      body += ` mmu.write32(${at === 0 ? "a" : `(a + ${at}) | 0`}, r[${i}]);`;
      at += 4;
    }
    body += wb;
    e.kind = EMIT_STORE;
  }
  e.code = `{ ${body} }`;
  return true;
}

/**
 * VLDR/VSTR (vfp/transfer.ts OP_VLDR_VSTR: a = word index, b = Rn, c = signed offset, d = bit 0 load,
 * bit 1 doubleword), on the register file's raw words `cpu.fp.w`. Doublewords are two word
 * accesses, low word first in little-endian state, high word first in big-endian state.
 */
export function vfpLoadStore(e: Emitted, index: number, rn: number, offset: number, flags: number, s: Site): boolean {
  const load = (flags & 1) !== 0, double = (flags & 2) !== 0;
  const base = rn === 15 ? String((s.pcRead & ~3) | 0) : `r[${rn}]`;
  // CPACR/FPEXC access check at run time (fp-simd.ts): denied leaves the block through GUEST_STOP
  let body = `if (${FP_SIMD_DENIED_SOURCE}) { cpu.pcCur = ${s.pc | 0}; E[${OP_FP_SIMD_UNDEFINED}](cpu, 0, 0, 0, 0); }`;
  body += ` const w = cpu.fp.w, a = (${base} + ${offset | 0}) | 0; if ((a & 3) !== 0) mmu.checkAlign(a, 3, ${!load});`;
  if (!double) body += load ? ` w[${index}] = mmu.read32(a);` : ` mmu.write32(a, w[${index}]);`;
  else {
    const lo = index, hi = index + 1;
    if (load) {
      body += ` const v1 = mmu.read32(a), v2 = mmu.read32((a + 4) | 0);` +
        ` if (cpu.bigEndian) { w[${hi}] = v1; w[${lo}] = v2; } else { w[${lo}] = v1; w[${hi}] = v2; }`;
    } else {
      body += ` mmu.probeWrite(a, 8); const be = cpu.bigEndian;` +
        ` mmu.write32(a, be ? w[${hi}] : w[${lo}]); mmu.write32((a + 4) | 0, be ? w[${lo}] : w[${hi}]);`;
    }
  }
  e.kind = load ? EMIT_LOAD : EMIT_STORE;
  e.code = `{ ${body} }`;
  return true;
}
