/**
 * The basic-block translator: a straight-line run of decoded instructions starting at one address
 * becomes one JavaScript function (built once with `new Function`), so executing it costs no
 * per-instruction dispatch, no decode-cache lookups and no condition switch.
 *
 * A block starts where the run loop is (only with ITSTATE = 0) and ends after a branch or an
 * instruction that stops (SVC, UDF, BKPT, WFI/WFE), before an IT nested in an IT block, at the end of the
 * page (and, in Thumb state, before the page's last halfword, which may start a straddling T32
 * instruction), or after MAX_BLOCK instructions.
 *
 * Inside: registers stay in `cpu.regs`; N Z C V live in locals, written back before anything that
 * can read them from `cpu` or leave the block. IT blocks are translated statically: since a block
 * starts with ITSTATE = 0, each instruction's ITSTATE is known, which gives its condition and its
 * flag setting; `cpu.itstate` is written only where the interpreter's value can be observed (before
 * an executor call, at every exit, and per instruction in the fault path). Common forms are inlined (emit.ts); every other
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
import { EMIT_LOAD, EMIT_STORE, Emitted, conditionSource, emitInstruction, type Site } from "./emit.js";

/**
 * A translated block: runs it, returns the instructions retired, leaves cpu.pcCur at the next one.
 * A block whose branch leads back to its own start loops inside the function while fewer than
 * `left` instructions have retired (so a run overshoots its budget by less than one block).
 */
export type BlockFn = (cpu: ArmCpu, left: number) => number;

export const MAX_BLOCK = 64;

const WRITE_BACK = "/*WB*/";
const RELOAD = "/*RL*/";

function endsBlock(op: number): boolean {
  return op === OP_B || op === OP_BL || op === OP_BLX_IMM || op === OP_BX || op === OP_BLX_REG ||
    op === OP_CBZ || op === OP_TB || op === OP_SVC || op === OP_UNDEFINED || op === OP_BKPT ||
    op === OP_WFI || op === OP_WFE;
}

const emitted = new Emitted();
const site: Site = { pc: 0, size: 4, pcRead: 0, thumb: false, inIt: false };

/** Source of the block starting at `pc` (slot `idx` of `page`), or null if no instruction fits. */
export function blockSource(cpu: ArmCpu, page: CodePage, pc: number, pcs: number[], its: number[]): string | null {
  const thumb = page.thumb, slots = page.slots, vpn = pc >>> 12;
  const pcOffset = thumb ? 4 : 8;
  let body = "";
  let usesFlags = false;
  let p = pc;
  let i = 0;
  let open = true; // control can fall through past the last instruction emitted
  let loops = false; // a branch back to the block's start continues the loop below
  let it = 0; // ITSTATE before the instruction being translated (known statically: blocks start at 0)
  let sawIt = false; // from the first IT on, every exit writes cpu.itstate
  while (i < MAX_BLOCK && p >>> 12 === vpn) {
    const idx = (p & 0xfff) >>> 1;
    if (thumb && idx === 2047) break;
    let meta = slots[idx * SLOT_WORDS];
    if (meta === 0) meta = cpu.decodeSlot(page, idx, p);
    const op = meta & 0xffff, size = meta >>> 24;
    if (op === OP_IT && it !== 0) break; // IT inside an IT block: UNPREDICTABLE, left to the interpreter
    const base = idx * SLOT_WORDS;
    const a = slots[base + 1], b = slots[base + 2], c = slots[base + 3], d = slots[base + 4];
    const next = (p + size) | 0;
    const cond = it !== 0 ? it >>> 4 : (meta >>> 16) & 0xf;
    const itAfter = op === OP_IT ? a & 0xff : it === 0 || (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
    const exit = sawIt || op === OP_IT ? `${WRITE_BACK} cpu.itstate = ${itAfter};` : WRITE_BACK;
    site.pc = p;
    site.size = size;
    site.pcRead = (p + pcOffset) | 0;
    site.thumb = thumb;
    site.inIt = it !== 0;
    const guard = cond >= 14 ? "" : conditionSource(cond);
    if (guard !== "") usesFlags = true;
    const ifOpen = guard === "" ? "{ " : `if (${guard}) { `;
    pcs.push(p);
    its.push(it);
    let code: string;
    if (op === OP_IT) {
      code = `/* IT ${a & 0xff} */`; // its effect is the conditions and flag settings that follow
      sawIt = true;
    } else if (op === OP_B || op === OP_BL) {
      const target = (site.pcRead + a) & (thumb ? ~1 : ~3);
      const link = op === OP_BL ? `r[14] = ${thumb ? next | 1 : next}; ` : "";
      if (target === pc && op === OP_B && itAfter === 0) {
        loops = true; // flags stay in the locals across iterations
        // (an executor call inside an earlier IT block left cpu.itstate set: clear it for the next round)
        code = `${ifOpen}${sawIt ? "cpu.itstate = 0; " : ""}done += ${i + 1}; if (done < left) continue; ${exit} cpu.pcCur = ${target | 0}; return done; }`;
      } else code = `${ifOpen}${link}${exit} cpu.pcCur = ${target | 0}; return done + ${i + 1}; }`;
      if (guard === "") open = false;
    } else if (op === OP_CBZ) {
      const target = (site.pcRead + b) & ~1;
      code = `${ifOpen}if (r[${a}] ${c ? "!==" : "==="} 0) { ${exit} cpu.pcCur = ${target | 0}; return done + ${i + 1}; } }`;
    } else if (emitInstruction(emitted, op, a, b, c, d, site)) {
      if (emitted.flags) usesFlags = true;
      code = "";
      if (emitted.kind === EMIT_LOAD || emitted.kind === EMIT_STORE) code += `k = ${i}; `;
      code += `${ifOpen}${emitted.code}`;
      if (emitted.kind === EMIT_STORE) code += ` if (cpu.codeVpn < 0) { ${exit} cpu.pcCur = ${next}; return done + ${i + 1}; }`;
      code += " }";
    } else {
      // the executor sees the interpreter's state: flags in cpu, PC read value, nextPc, ITSTATE
      code = `k = ${i}; ${WRITE_BACK} r[15] = ${site.pcRead}; cpu.nextPc = ${next}; cpu.pcCur = ${p | 0}; ` +
        (sawIt ? `cpu.itstate = ${it}; ` : "") +
        `${ifOpen}E[${op}](cpu, ${a}, ${b}, ${c}, ${d}); ` +
        `if (cpu.nextPc !== ${next} || cpu.codeVpn < 0 || info.reason !== 0) return cpu.blockExit(${p | 0}, done + ${i}, ${itAfter}); ${RELOAD} }`;
    }
    body += `\n    ${code}`;
    i++;
    p = next;
    it = itAfter;
    if (endsBlock(op) || !open) break;
  }
  if (i === 0) return null;
  if (open) body += `\n    ${sawIt ? `${WRITE_BACK} cpu.itstate = ${it};` : WRITE_BACK} cpu.pcCur = ${p | 0}; return done + ${i};`;
  if (loops) body = `\n   for (;;) {${body}\n   }`;
  const writeBack = usesFlags ? "cpu.nf = nf; cpu.zf = zf; cpu.cf = cf; cpu.vf = vf;" : "";
  const reload = usesFlags ? "nf = cpu.nf; zf = cpu.zf; cf = cpu.cf; vf = cpu.vf;" : "";
  body = body.split(WRITE_BACK).join(writeBack).split(RELOAD).join(reload);
  const locals = usesFlags ? "let nf = cpu.nf, zf = cpu.zf, cf = cpu.cf, vf = cpu.vf;" : "";
  return `return function block_${thumb ? "t" : "a"}${(pc >>> 0).toString(16)}(cpu, left) {
  const r = cpu.regs, mmu = cpu.mmu, info = cpu.stopInfo;
  ${locals}
  let k = 0, done = 0;
  try {${body}
  } catch (e) {
    ${writeBack} cpu.pcCur = PCS[k]; ${sawIt ? "cpu.itstate = ITS[k]; " : ""}cpu.blockPartial = done + k; throw e;
  }
}`;
}

/** Translate the block at `pc`; null when it has no translatable instruction (the interpreter runs it). */
export function translateBlock(cpu: ArmCpu, page: CodePage, pc: number): BlockFn | null {
  const pcs: number[] = [], its: number[] = [];
  const source = blockSource(cpu, page, pc, pcs, its);
  if (source === null) return null;
  const factory = new Function("E", "PCS", "ITS", source) as (e: unknown, p: Int32Array, i: Int32Array) => BlockFn;
  return factory(EXECUTORS, Int32Array.from(pcs), Int32Array.from(its));
}
