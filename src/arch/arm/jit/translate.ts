/**
 * The basic-block translator: a straight-line run of decoded instructions starting at one address
 * becomes one JavaScript function (built once with `new Function`), so executing it costs no
 * per-instruction dispatch, no decode-cache lookups and no condition switch.
 *
 * A block starts where the run loop is (only with ITSTATE = 0) and ends after a branch or an
 * instruction that stops (SVC, UDF, BKPT, WFI/WFE), before an IT instruction, at the end of the
 * page (and, in Thumb state, before the page's last halfword, which may start a straddling T32
 * instruction), or after MAX_BLOCK instructions.
 *
 * Inside: registers stay in `cpu.regs`; N Z C V live in locals, written back before anything that
 * can read them from `cpu` or leave the block. Common forms are inlined (emit.ts); every other
 * instruction calls its executor exactly as the interpreter would (PC read value in r[15], nextPc,
 * pcCur), and the block leaves right after it if it branched, stopped, switched instruction set or
 * dropped decoded code. A store whose slow path dropped decoded code (self-modifying code) also
 * leaves the block, so no stale translation runs.
 *
 * Precise state: the function returns the number of instructions it retired and leaves
 * `cpu.pcCur` at the next instruction. When an access throws GUEST_STOP, the catch writes the flags
 * back, points `pcCur` at the faulting instruction and reports in `cpu.blockPartial` how many
 * instructions before it retired, then rethrows to the run loop: the same state the interpreter
 * leaves.
 */
import type { ArmCpu } from "../cpu.js";
import type { CodePage } from "../code-cache.js";
import { SLOT_WORDS } from "../code-cache.js";
import { EXECUTORS } from "../executors.js";
import { OP_B, OP_BL, OP_BLX_IMM, OP_BLX_REG, OP_BX, OP_CBZ, OP_TB } from "../exec/branch.js";
import { OP_BKPT, OP_IT, OP_SVC, OP_UNDEFINED, OP_WFE, OP_WFI } from "../exec/system.js";
import { STOP_SVC } from "../stop.js";
import { EMIT_LOAD, EMIT_STORE, Emitted, conditionSource, emitInstruction, type Site } from "./emit.js";

/** A translated block: runs it, returns the instructions retired, leaves cpu.pcCur at the next one. */
export type BlockFn = (cpu: ArmCpu) => number;

export const MAX_BLOCK = 64;

const WRITE_BACK = "/*WB*/";
const RELOAD = "/*RL*/";

function endsBlock(op: number): boolean {
  return op === OP_B || op === OP_BL || op === OP_BLX_IMM || op === OP_BX || op === OP_BLX_REG ||
    op === OP_CBZ || op === OP_TB || op === OP_SVC || op === OP_UNDEFINED || op === OP_BKPT ||
    op === OP_WFI || op === OP_WFE;
}

const emitted = new Emitted();
const site: Site = { pc: 0, size: 4, pcRead: 0, thumb: false };

/** Source of the block starting at `pc` (slot `idx` of `page`), or null if no instruction fits. */
export function blockSource(cpu: ArmCpu, page: CodePage, pc: number, pcs: number[]): string | null {
  const thumb = page.thumb, slots = page.slots, vpn = pc >>> 12;
  const pcOffset = thumb ? 4 : 8;
  let body = "";
  let usesFlags = false;
  let p = pc;
  let i = 0;
  let open = true; // control can fall through past the last instruction emitted
  while (i < MAX_BLOCK && p >>> 12 === vpn) {
    const idx = (p & 0xfff) >>> 1;
    if (thumb && idx === 2047) break;
    let meta = slots[idx * SLOT_WORDS];
    if (meta === 0) meta = cpu.decodeSlot(page, idx, p);
    const op = meta & 0xffff, cond = (meta >>> 16) & 0xf, size = meta >>> 24;
    if (op === OP_IT) break;
    const base = idx * SLOT_WORDS;
    const a = slots[base + 1], b = slots[base + 2], c = slots[base + 3], d = slots[base + 4];
    const next = (p + size) | 0;
    site.pc = p;
    site.size = size;
    site.pcRead = (p + pcOffset) | 0;
    site.thumb = thumb;
    const guard = cond >= 14 ? "" : conditionSource(cond);
    if (guard !== "") usesFlags = true;
    const ifOpen = guard === "" ? "{ " : `if (${guard}) { `;
    pcs.push(p);
    let code: string;
    if (op === OP_B || op === OP_BL) {
      const target = (site.pcRead + a) & (thumb ? ~1 : ~3);
      const link = op === OP_BL ? `r[14] = ${thumb ? next | 1 : next}; ` : "";
      code = `${ifOpen}${link}${WRITE_BACK} cpu.pcCur = ${target | 0}; return ${i + 1}; }`;
      if (guard === "") open = false;
    } else if (op === OP_CBZ) {
      const target = (site.pcRead + b) & ~1;
      code = `if (r[${a}] ${c ? "!==" : "==="} 0) { ${WRITE_BACK} cpu.pcCur = ${target | 0}; return ${i + 1}; }`;
    } else if (emitInstruction(emitted, op, a, b, c, d, site)) {
      if (emitted.flags) usesFlags = true;
      code = "";
      if (emitted.kind === EMIT_LOAD || emitted.kind === EMIT_STORE) code += `k = ${i}; `;
      code += `${ifOpen}${emitted.code}`;
      if (emitted.kind === EMIT_STORE) code += ` if (cpu.codeVpn < 0) { ${WRITE_BACK} cpu.pcCur = ${next}; return ${i + 1}; }`;
      code += " }";
    } else {
      code = `k = ${i}; ${WRITE_BACK} r[15] = ${site.pcRead}; cpu.nextPc = ${next}; cpu.pcCur = ${p | 0}; ` +
        `${ifOpen}E[${op}](cpu, ${a}, ${b}, ${c}, ${d}); ` +
        `if (cpu.nextPc !== ${next} || cpu.codeVpn < 0 || info.reason !== 0) return cpu.blockExit(${p | 0}, ${i}); ${RELOAD} }`;
    }
    body += `\n    ${code}`;
    i++;
    p = next;
    if (endsBlock(op) || !open) break;
  }
  if (i === 0) return null;
  if (open) body += `\n    ${WRITE_BACK} cpu.pcCur = ${p | 0}; return ${i};`;
  const writeBack = usesFlags ? "cpu.nf = nf; cpu.zf = zf; cpu.cf = cf; cpu.vf = vf;" : "";
  const reload = usesFlags ? "nf = cpu.nf; zf = cpu.zf; cf = cpu.cf; vf = cpu.vf;" : "";
  body = body.split(WRITE_BACK).join(writeBack).split(RELOAD).join(reload);
  const locals = usesFlags ? "let nf = cpu.nf, zf = cpu.zf, cf = cpu.cf, vf = cpu.vf;" : "";
  return `return function block_${thumb ? "t" : "a"}${(pc >>> 0).toString(16)}(cpu) {
  const r = cpu.regs, mmu = cpu.mmu, info = cpu.stopInfo;
  ${locals}
  let k = 0;
  try {${body}
  } catch (e) {
    ${writeBack} cpu.pcCur = PCS[k]; cpu.blockPartial = k; throw e;
  }
}`;
}

/** Translate the block at `pc`; null when it has no translatable instruction (the interpreter runs it). */
export function translateBlock(cpu: ArmCpu, page: CodePage, pc: number): BlockFn | null {
  const pcs: number[] = [];
  const source = blockSource(cpu, page, pc, pcs);
  if (source === null) return null;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function("E", "PCS", "STOP_SVC", source) as (e: unknown, p: Int32Array, s: number) => BlockFn;
  return factory(EXECUTORS, Int32Array.from(pcs), STOP_SVC);
}
