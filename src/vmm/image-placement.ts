/**
 * Interim placement of the boot images, until src/vmm/loader/ (another engineer's: ELF, uImage,
 * zImage detection) lands; `tskvm run` switches to it then. Follows QEMU's arm `-kernel` rules for
 * the two formats the run tests need:
 *   - ELF32 ARM: PT_LOAD segments at their physical addresses, entry from e_entry;
 *   - anything else (zImage, Image): copied to RAM base + 0x10000 and entered at its first byte;
 *   - the initrd at RAM base + min(RAM / 2, 128 MiB) (beyond a zImage's decompression area), the DTB
 *     after it on a 4 KiB boundary (or at that address without an initrd).
 */
import type { BootImage, GuestRam } from "./vmm.js";
import type { PlaceRequest } from "./virt-vmm.js";

export const KERNEL_OFFSET = 0x10000;
const PAGE = 0x1000;
const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function isElf(image: Uint8Array): boolean {
  return image.length >= 52 && image[0] === 0x7f && image[1] === 0x45 && image[2] === 0x4c && image[3] === 0x46;
}

/** Copies the ELF's PT_LOAD segments; returns [entry, highest byte loaded]. */
function placeElf(ram: GuestRam, image: Uint8Array): [number, number] {
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (image[4] !== 1 || image[5] !== 1 || v.getUint16(18, true) !== 40) throw new Error("kernel: not a 32-bit little-endian ARM ELF");
  const phoff = v.getUint32(28, true), phentsize = v.getUint16(42, true), phnum = v.getUint16(44, true);
  let end = 0;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (p + 32 > image.length) throw new Error("kernel: ELF program header outside the file");
    if (v.getUint32(p, true) !== 1) continue; // PT_LOAD
    const offset = v.getUint32(p + 4, true), paddr = v.getUint32(p + 12, true);
    const filesz = v.getUint32(p + 16, true), memsz = v.getUint32(p + 20, true);
    const at = paddr - ram.base;
    if (at < 0 || at + memsz > ram.bytes.length) throw new Error(`kernel: ELF segment at 0x${paddr.toString(16)} (+0x${memsz.toString(16)}) is outside RAM`);
    if (offset + filesz > image.length) throw new Error("kernel: ELF segment outside the file");
    ram.bytes.set(image.subarray(offset, offset + filesz), at);
    ram.bytes.fill(0, at + filesz, at + memsz);
    end = Math.max(end, paddr + memsz);
  }
  return [v.getUint32(24, true), end];
}

export function placeImages(req: PlaceRequest): BootImage {
  const { ram, kernel, initrd } = req;
  const ramEnd = ram.base + ram.bytes.length;
  let entry: number;
  let kernelEnd: number;
  if (isElf(kernel)) [entry, kernelEnd] = placeElf(ram, kernel);
  else {
    entry = ram.base + KERNEL_OFFSET;
    kernelEnd = entry + kernel.length;
    if (kernelEnd > ramEnd) throw new Error(`kernel: ${kernel.length} bytes do not fit in ${ram.bytes.length >> 20} MiB of RAM`);
    ram.bytes.set(kernel, KERNEL_OFFSET);
  }
  let next = Math.max(alignUp(kernelEnd, PAGE), ram.base + Math.min(ram.bytes.length / 2, 128 << 20));
  let initrdRange: { start: number; end: number } | undefined;
  if (initrd) {
    if (next + initrd.length > ramEnd) throw new Error(`initrd: ${initrd.length} bytes do not fit in RAM after the kernel`);
    ram.bytes.set(initrd, next - ram.base);
    initrdRange = { start: next, end: next + initrd.length };
    next = alignUp(next + initrd.length, PAGE);
  }
  const dtb = req.dtb(initrdRange);
  if (next + dtb.length > ramEnd) throw new Error(`DTB: ${dtb.length} bytes do not fit in RAM after the kernel and initrd`);
  ram.bytes.set(dtb, next - ram.base);
  return { entry, dtb: next };
}
