/**
 * Advanced SIMD element and structure loads and stores (ARM ARM A7.7, VLD1-VLD4 / VST1-VST4):
 * multiple structures, single structure to one lane, single structure to all lanes.
 *
 * One shape covers all of them: a structure has `n` members (VLDn) held in registers Dd, Dd+inc,
 * Dd+2*inc, ...; the multiple-structure forms repeat that over `groups` consecutive register sets
 * (VLD1 with 2-4 registers, VLD2 with four) and every lane, element by element in memory order;
 * the single-lane forms touch lane `index` only; the all-lanes forms replicate each member into
 * every lane of `copies` registers (VLD1 with two registers).
 *
 * The address must be a multiple of the alignment the instruction's align field asks for, else an
 * alignment fault (data abort) — before any access. Loads read everything before writing a
 * register; stores probe the whole range first; so a fault leaves no partial state. Write-back:
 * Rm = 15 none, Rm = 13 the transfer size, otherwise Rn + Rm.
 *
 * Operands: a = Dd, b = Rn | Rm << 4, c = packed (`pack` in element-decode.ts), d unused:
 *   bits 0-1 size, 2-3 n-1, 4 inc is 2, 5 load, 6-8 log2 alignment, 9-11 groups/copies, 12-14 lane.
 */
import type { ArmCpu } from "../cpu.js";
import { defineFpSimdExecutor } from "../fp-simd.js";
import { lanesOf } from "./lanes.js";

const staging = new Uint32Array(80);

function readElement(cpu: ArmCpu, addr: number, size: number, at: number): void {
  const mmu = cpu.mmu;
  if (size === 0) staging[at] = mmu.read8(addr);
  else if (size === 1) staging[at] = mmu.read16(addr);
  else if (size === 2) staging[at] = mmu.read32(addr);
  else {
    const first = mmu.read32(addr), second = mmu.read32((addr + 4) | 0);
    staging[at] = cpu.bigEndian ? second : first;
    staging[at + 1] = cpu.bigEndian ? first : second;
  }
}

function writeElement(cpu: ArmCpu, addr: number, size: number, lo: number, hi: number): void {
  const mmu = cpu.mmu;
  if (size === 0) mmu.write8(addr, lo & 0xff);
  else if (size === 1) mmu.write16(addr, lo & 0xffff);
  else if (size === 2) mmu.write32(addr, lo);
  else {
    mmu.write32(addr, cpu.bigEndian ? hi : lo);
    mmu.write32((addr + 4) | 0, cpu.bigEndian ? lo : hi);
  }
}

/** Lane `e` of D<reg> at `size` (a 64-bit element: its high word if `hi`, else its low word). */
function getLane(u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, reg: number, size: number, e: number, hi: boolean): number {
  if (size === 0) return u8[8 * reg + e];
  if (size === 1) return u16[4 * reg + e];
  if (size === 2) return u32[2 * reg + e];
  return u32[2 * reg + (hi ? 1 : 0)];
}

/** Store staged element `at` (two staged words for 64 bits) into lane `e` of D<reg>. */
function putLane(u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, reg: number, size: number, e: number, at: number): void {
  if (size === 0) u8[8 * reg + e] = staging[at];
  else if (size === 1) u16[4 * reg + e] = staging[at];
  else if (size === 2) u32[2 * reg + e] = staging[at];
  else {
    u32[2 * reg] = staging[at];
    u32[2 * reg + 1] = staging[at + 1];
  }
}

function addressOf(cpu: ArmCpu, rn: number, info: number, load: boolean): number {
  const addr = cpu.regs[rn];
  const align = (info >>> 6) & 7;
  if (align !== 0) cpu.mmu.checkAlign(addr, (1 << align) - 1, !load);
  return addr;
}

function writeBack(cpu: ArmCpu, regsField: number, bytes: number): void {
  const rn = regsField & 15, rm = regsField >>> 4;
  if (rm === 15) return;
  cpu.regs[rn] = (cpu.regs[rn] + (rm === 13 ? bytes : cpu.regs[rm])) | 0;
}

/** Consecutive words between memory at `addr` and register-file words `first`.. (loads read all first). */
function transferWords(cpu: ArmCpu, addr: number, first: number, words: number, load: boolean): void {
  const mmu = cpu.mmu, w = lanesOf(cpu.fp).u32;
  if (load) {
    for (let i = 0; i < words; i++) staging[i] = mmu.read32((addr + 4 * i) | 0);
    for (let i = 0; i < words; i++) w[(first + i) & 63] = staging[i];
  } else {
    mmu.probeWrite(addr, 4 * words);
    for (let i = 0; i < words; i++) mmu.write32((addr + 4 * i) | 0, w[(first + i) & 63]);
  }
}

const staging8 = new Uint8Array(staging.buffer);
const staging16 = new Uint16Array(staging.buffer);

/** VLDn/VSTn (n >= 2) with 8/16/32-bit elements in little-endian state: whole-word memory accesses. */
function interleaved(cpu: ArmCpu, addr: number, d: number, size: number, n: number, inc: number, groups: number, load: boolean): void {
  const L = lanesOf(cpu.fp);
  const elements = 8 >> size, words = 2 * groups * n;
  const mmu = cpu.mmu;
  if (load) for (let i = 0; i < words; i++) staging[i] = mmu.read32((addr + 4 * i) | 0);
  let at = 0;
  for (let r = 0; r < groups; r++)
    for (let e = 0; e < elements; e++)
      for (let s = 0; s < n; s++, at++) {
        const reg = (d + r + s * inc) & 31;
        if (size === 0) {
          if (load) L.u8[8 * reg + e] = staging8[at];
          else staging8[at] = L.u8[8 * reg + e];
        } else if (size === 1) {
          if (load) L.u16[4 * reg + e] = staging16[at];
          else staging16[at] = L.u16[4 * reg + e];
        } else if (load) L.u32[2 * reg + e] = staging[at];
        else staging[at] = L.u32[2 * reg + e];
      }
  if (!load) {
    mmu.probeWrite(addr, 4 * words);
    for (let i = 0; i < words; i++) mmu.write32((addr + 4 * i) | 0, staging[i]);
  }
}

/** VLDn / VSTn (multiple n-element structures). */
export const OP_VLDST_MULTIPLE = defineFpSimdExecutor((cpu, d, regsField, info) => {
  const L = lanesOf(cpu.fp);
  const u8 = L.u8, u16 = L.u16, u32 = L.u32;
  const size = info & 3, n = ((info >>> 2) & 3) + 1, inc = (info & 16) !== 0 ? 2 : 1;
  const load = (info & 32) !== 0, groups = (info >>> 9) & 7;
  const ebytes = 1 << size, elements = 8 >> size;
  const bytes = 8 * groups * n;
  const base = addressOf(cpu, regsField & 15, info, load);
  if (n === 1 && !cpu.bigEndian) {
    // VLD1/VST1 in little-endian state: memory order is register-file order, whatever the size
    transferWords(cpu, base, 2 * d, 2 * groups, load);
    writeBack(cpu, regsField, bytes);
    return;
  }
  if (!cpu.bigEndian && size < 3) {
    // little-endian: move the block as words, (de-)interleave through typed views of the staging area
    interleaved(cpu, base, d, size, n, inc, groups, load);
    writeBack(cpu, regsField, bytes);
    return;
  }
  const step = size === 3 ? 2 : 1;
  if (load) {
    let addr = base, at = 0;
    for (let r = 0; r < groups; r++)
      for (let e = 0; e < elements; e++)
        for (let s = 0; s < n; s++, at += step, addr = (addr + ebytes) | 0) readElement(cpu, addr, size, at);
    at = 0;
    for (let r = 0; r < groups; r++)
      for (let e = 0; e < elements; e++)
        for (let s = 0; s < n; s++, at += step) putLane(u8, u16, u32, (d + r + s * inc) & 31, size, e, at);
  } else {
    cpu.mmu.probeWrite(base, bytes);
    let addr = base;
    for (let r = 0; r < groups; r++)
      for (let e = 0; e < elements; e++)
        for (let s = 0; s < n; s++, addr = (addr + ebytes) | 0) {
          const reg = (d + r + s * inc) & 31;
          writeElement(cpu, addr, size, getLane(u8, u16, u32, reg, size, e, false), getLane(u8, u16, u32, reg, size, e, true));
        }
  }
  writeBack(cpu, regsField, bytes);
});

/** VLDn / VSTn (single n-element structure to or from one lane). */
export const OP_VLDST_LANE = defineFpSimdExecutor((cpu, d, regsField, info) => {
  const L = lanesOf(cpu.fp);
  const u8 = L.u8, u16 = L.u16, u32 = L.u32;
  const size = info & 3, n = ((info >>> 2) & 3) + 1, inc = (info & 16) !== 0 ? 2 : 1;
  const load = (info & 32) !== 0, index = (info >>> 12) & 7;
  const ebytes = 1 << size;
  const base = addressOf(cpu, regsField & 15, info, load);
  if (load) {
    for (let s = 0; s < n; s++) readElement(cpu, (base + s * ebytes) | 0, size, s);
    for (let s = 0; s < n; s++) putLane(u8, u16, u32, (d + s * inc) & 31, size, index, s);
  } else {
    cpu.mmu.probeWrite(base, n * ebytes);
    for (let s = 0; s < n; s++) {
      const reg = (d + s * inc) & 31;
      writeElement(cpu, (base + s * ebytes) | 0, size, getLane(u8, u16, u32, reg, size, index, false), 0);
    }
  }
  writeBack(cpu, regsField, n * ebytes);
});

/** VLDn (single n-element structure to all lanes); `copies` registers per member (VLD1 only). */
export const OP_VLD_ALL_LANES = defineFpSimdExecutor((cpu, d, regsField, info) => {
  const L = lanesOf(cpu.fp);
  const u8 = L.u8, u16 = L.u16, u32 = L.u32;
  const size = info & 3, n = ((info >>> 2) & 3) + 1, inc = (info & 16) !== 0 ? 2 : 1;
  const copies = (info >>> 9) & 7;
  const ebytes = 1 << size, elements = 8 >> size;
  const base = addressOf(cpu, regsField & 15, info, true);
  for (let s = 0; s < n; s++) readElement(cpu, (base + s * ebytes) | 0, size, s);
  for (let s = 0; s < n; s++)
    for (let c = 0; c < copies; c++) {
      const reg = (d + s * inc + c) & 31;
      for (let e = 0; e < elements; e++) putLane(u8, u16, u32, reg, size, e, s);
    }
  writeBack(cpu, regsField, n * ebytes);
});
