/**
 * ELF loader for static 32-bit ARM EABI programs, after Linux's load_elf_binary: ET_EXEC at its link
 * addresses, ET_DYN (static-PIE, which relocates itself) at a fixed load bias, PT_LOAD segments
 * mapped with their permissions and zero-filled bss, PT_GNU_STACK deciding an executable stack.
 * Programs that need a dynamic linker (PT_INTERP) are refused: tskvm user runs static programs only.
 */
import { PAGE_SIZE } from "../arch/arm/memory.js";
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE, pageAlignUp } from "./address-space.js";

const ET_EXEC = 2;
const ET_DYN = 3;
const EM_ARM = 40;
const PT_LOAD = 1;
const PT_INTERP = 3;
const PT_PHDR = 6;
const PT_GNU_STACK = 0x6474e551;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const EF_ARM_EABI_MASK = 0xff000000;
export const ELF32_PHDR_SIZE = 32;

/**
 * Where Linux/ARM puts an ET_DYN program: ELF_ET_DYN_BASE = TASK_SIZE / 3 * 2 with TASK_SIZE
 * 0xbf000000, rounded down to the segment alignment.
 */
export const ET_DYN_BASE = Math.floor(0xbf000000 / 3) * 2;

/** A program that cannot be run; the message is the part after "PROG: ". */
export class ExecError extends Error {
  constructor(message: string, readonly errno: number) {
    super(message);
    this.name = "ExecError";
  }
}

export interface LoadedProgram {
  /** Entry point, bit 0 set for a Thumb entry. */
  entry: number;
  /** Address of the program headers in memory (AT_PHDR), their size and count. */
  phdr: number;
  phent: number;
  phnum: number;
  /** Difference between load and link addresses (0 for ET_EXEC). */
  loadBias: number;
  /** First byte past the highest segment, page-aligned: where brk starts. */
  brk: number;
  /** Whether the stack must be executable (no PT_GNU_STACK, or PT_GNU_STACK with PF_X). */
  execStack: boolean;
}

interface Segment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

const NOT_STATIC_ARM = "not a static ARM EABI executable";

/** Checks `image` and returns its program headers; throws ExecError for anything we cannot run. */
export function parseElf(image: Uint8Array): { type: number; entry: number; phoff: number; phentsize: number; segments: Segment[] } {
  if (image.length < 52 || image[0] !== 0x7f || image[1] !== 0x45 || image[2] !== 0x4c || image[3] !== 0x46) {
    throw new ExecError("not an ELF executable", 8 /* ENOEXEC */);
  }
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const elfClass = image[4];
  const data = image[5];
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  const flags = view.getUint32(36, true);
  if (elfClass !== 1 || data !== 1 || machine !== EM_ARM || (type !== ET_EXEC && type !== ET_DYN)) {
    throw new ExecError(NOT_STATIC_ARM, 8);
  }
  // EABI version 0 means the old ABI (OABI: syscall number in the SVC immediate), which we do not run.
  if ((flags & EF_ARM_EABI_MASK) === 0) throw new ExecError(NOT_STATIC_ARM, 8);
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phentsize !== ELF32_PHDR_SIZE || phnum === 0 || phoff + phnum * phentsize > image.length) {
    throw new ExecError("malformed ELF program headers", 8);
  }
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    segments.push({
      type: view.getUint32(at, true),
      offset: view.getUint32(at + 4, true),
      vaddr: view.getUint32(at + 8, true),
      filesz: view.getUint32(at + 16, true),
      memsz: view.getUint32(at + 20, true),
      flags: view.getUint32(at + 24, true),
      align: view.getUint32(at + 28, true),
    });
  }
  if (segments.some((s) => s.type === PT_INTERP)) throw new ExecError(NOT_STATIC_ARM, 8);
  const loads = segments.filter((s) => s.type === PT_LOAD);
  if (loads.length === 0) throw new ExecError("no loadable segments", 8);
  for (const s of loads) {
    if (s.filesz > s.memsz || s.offset + s.filesz > image.length || s.vaddr + s.memsz > 0xffffffff) {
      throw new ExecError("malformed ELF segment", 8);
    }
    if (s.vaddr % PAGE_SIZE !== s.offset % PAGE_SIZE) throw new ExecError("misaligned ELF segment", 8);
  }
  return { type, entry, phoff, phentsize, segments };
}

/** Maps the program's segments into `space`. */
export function loadElf(space: AddressSpace, image: Uint8Array): LoadedProgram {
  const elf = parseElf(image);
  const loads = elf.segments.filter((s) => s.type === PT_LOAD);
  let loadBias = 0;
  if (elf.type === ET_DYN) {
    const align = Math.max(PAGE_SIZE, ...loads.map((s) => s.align || 1));
    const lowest = Math.min(...loads.map((s) => s.vaddr)) - (loads[0].vaddr % PAGE_SIZE);
    loadBias = Math.floor(ET_DYN_BASE / align) * align - lowest;
  }

  // Page permissions: a page shared by two segments gets both segments' rights (Linux maps each
  // segment from the file, so both see their bytes; we map the union once and copy the bytes in).
  const pageProt = new Map<number, number>();
  let brk = 0;
  for (const s of loads) {
    const start = Math.floor((s.vaddr + loadBias) / PAGE_SIZE) * PAGE_SIZE;
    const end = pageAlignUp(s.vaddr + loadBias + s.memsz);
    const prot = (s.flags & PF_R ? PROT_READ : 0) | (s.flags & PF_W ? PROT_WRITE : 0) | (s.flags & PF_X ? PROT_EXEC : 0);
    for (let p = start; p < end; p += PAGE_SIZE) pageProt.set(p, (pageProt.get(p) ?? 0) | prot);
    brk = Math.max(brk, end);
  }
  for (const [page, prot] of pageProt) space.map(page, PAGE_SIZE, prot);
  for (const s of loads) {
    if (s.filesz > 0) space.poke(s.vaddr + loadBias, image.subarray(s.offset, s.offset + s.filesz));
  }

  let phdr = -1;
  const phdrSeg = elf.segments.find((s) => s.type === PT_PHDR);
  if (phdrSeg) phdr = phdrSeg.vaddr + loadBias;
  else {
    const holder = loads.find((s) => elf.phoff >= s.offset && elf.phoff + elf.segments.length * ELF32_PHDR_SIZE <= s.offset + s.filesz);
    if (holder) phdr = holder.vaddr + (elf.phoff - holder.offset) + loadBias;
  }
  if (phdr < 0) phdr = 0; // headers not loaded: glibc then has no AT_PHDR to walk, as on Linux

  const gnuStack = elf.segments.find((s) => s.type === PT_GNU_STACK);
  return {
    entry: (elf.entry + loadBias) >>> 0,
    phdr: phdr >>> 0,
    phent: ELF32_PHDR_SIZE,
    phnum: elf.segments.length,
    loadBias,
    brk,
    execStack: gnuStack === undefined || (gnuStack.flags & PF_X) !== 0,
  };
}
