// ELF32 ARM images loaded by their program headers, as QEMU's -kernel does for ELF files: every
// PT_LOAD segment goes to its physical address (p_paddr), p_filesz bytes from the file and the rest
// of p_memsz zero-filled. The entry point is e_entry; when it lies in a segment linked at a virtual
// address other than its physical one (a kernel linked for its MMU-on addresses with physical load
// addresses), it is translated into that segment's physical range, since the CPU starts with the MMU
// off. Layout facts: the System V ABI gABI (ELF header, program header) and ARM ELF (EM_ARM = 40).

import { LoaderError, writeGuest, type GuestRam, type PhysicalRange } from "./guest-ram.js";

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;
const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const EM_ARM = 40;
const PT_LOAD = 1;
const ELF32_EHDR_SIZE = 52;
const ELF32_PHDR_SIZE = 32;

export interface LoadedElf extends PhysicalRange {
  /** Physical entry address; bit 0 set means Thumb (interworking), as in e_entry. */
  readonly entry: number;
  readonly bigEndian: boolean;
}

export function isElf(image: Uint8Array): boolean {
  return image.length >= 4 && ELF_MAGIC.every((b, i) => image[i] === b);
}

interface Segment {
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
}

export function loadElf(ram: GuestRam, image: Uint8Array): LoadedElf {
  if (!isElf(image)) throw new LoaderError("not an ELF file");
  if (image.length < ELF32_EHDR_SIZE) throw new LoaderError("ELF file truncated inside its header");
  if (image[4] !== ELFCLASS32) throw new LoaderError("ELF file is not 32-bit (ELFCLASS32); only 32-bit ARM images can boot");
  const data = image[5];
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) throw new LoaderError(`ELF file has an invalid byte order (EI_DATA ${data})`);
  const le = data === ELFDATA2LSB;
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const machine = view.getUint16(18, le);
  if (machine !== EM_ARM) throw new LoaderError(`ELF file is for machine ${machine}, not ARM (EM_ARM = 40)`);
  const entry = view.getUint32(24, le);
  const phoff = view.getUint32(28, le);
  const phentsize = view.getUint16(42, le);
  const phnum = view.getUint16(44, le);
  if (phnum > 0 && phentsize < ELF32_PHDR_SIZE) throw new LoaderError(`ELF program header size ${phentsize} is too small`);
  if (phoff + phnum * phentsize > image.length) throw new LoaderError("ELF program headers lie beyond the end of the file");

  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, le) !== PT_LOAD) continue;
    const seg: Segment = {
      offset: view.getUint32(at + 4, le),
      vaddr: view.getUint32(at + 8, le),
      paddr: view.getUint32(at + 12, le),
      filesz: view.getUint32(at + 16, le),
      memsz: view.getUint32(at + 20, le),
    };
    if (seg.filesz > seg.memsz) throw new LoaderError(`ELF segment ${i} has p_filesz > p_memsz`);
    if (seg.offset + seg.filesz > image.length) throw new LoaderError(`ELF segment ${i} lies beyond the end of the file`);
    if (seg.memsz > 0) segments.push(seg);
  }
  if (segments.length === 0) throw new LoaderError("ELF file has no loadable (PT_LOAD) segments");

  let start = Infinity;
  let end = 0;
  for (const [i, seg] of segments.entries()) {
    const what = `ELF segment ${i} (physical 0x${seg.paddr.toString(16)})`;
    const contents = new Uint8Array(seg.memsz); // file bytes then zeros (.bss)
    contents.set(image.subarray(seg.offset, seg.offset + seg.filesz));
    const range = writeGuest(ram, seg.paddr, contents, what);
    start = Math.min(start, range.start);
    end = Math.max(end, range.end);
  }

  const pc = (entry & ~1) >>> 0;
  let physicalEntry = entry;
  const inPhysical = segments.some((s) => pc >= s.paddr && pc < s.paddr + s.memsz);
  if (!inPhysical) {
    const linked = segments.find((s) => pc >= s.vaddr && pc < s.vaddr + s.memsz);
    if (linked) physicalEntry = (linked.paddr + (entry - linked.vaddr)) >>> 0;
  }
  return { entry: physicalEntry, start, end, bigEndian: !le };
}
