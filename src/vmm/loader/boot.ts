// Direct Linux boot on the virt board, like QEMU's -kernel (hw/arm/boot.c) and the ARM boot protocol
// (Linux Documentation/arch/arm/booting.rst):
// - the kernel: ELF by its program headers; uImage by its header (load/entry; KERNEL_NOLOAD at the
//   default address); zImage and raw images at RAM base + 0x10000, entered at their first byte;
// - the initrd at RAM base + min(RAM / 2, 128 MiB) — far enough up that the decompressed kernel does
//   not overwrite it, low enough to be in lowmem — but never below the kernel's end, page aligned;
// - the DTB right after the initrd, 4 KiB aligned (the protocol needs 8-byte alignment), inside RAM;
// - entry in SVC mode, IRQs/FIQs/aborts masked, MMU off, r0 = 0, r1 = 0xFFFFFFFF (no machine type:
//   "use the DTB"), r2 = DTB address.

import { alignUp, LoaderError, writeGuest, type GuestRam, type PhysicalRange } from "./guest-ram.js";
import { isElf, loadElf } from "./elf.js";
import { isUImage, parseUImage, IH_TYPE_KERNEL, IH_TYPE_KERNEL_NOLOAD, IH_TYPE_RAMDISK } from "./uimage.js";
import { parseZImageHeader } from "./zimage.js";

/** Offset of zImage/raw kernels from the RAM base (QEMU's KERNEL_LOAD_ADDR). */
export const KERNEL_LOAD_OFFSET = 0x1_0000;
/** Upper bound of the initrd's offset from the RAM base. */
export const INITRD_MAX_OFFSET = 128 * 1024 * 1024;
export const PAGE_SIZE = 0x1000;
export const DTB_ALIGNMENT = 0x1000;

/** CPSR at entry: SVC mode (0x13) with A, I and F masked; T added for a Thumb entry. */
export const BOOT_CPSR_SVC = 0x1d3;
const CPSR_T = 0x20;

export type KernelFormat = "elf" | "uimage" | "zimage" | "raw";

export interface LoadedKernel extends PhysicalRange {
  readonly format: KernelFormat;
  /** Entry address with bit 0 = Thumb, as the image states it. */
  readonly entry: number;
}

/** Loads a kernel image into RAM, choosing the format by its magic numbers. */
export function loadKernel(ram: GuestRam, image: Uint8Array): LoadedKernel {
  if (image.length === 0) throw new LoaderError("kernel image is empty");
  if (isElf(image)) {
    const elf = loadElf(ram, image);
    return { format: "elf", entry: elf.entry, start: elf.start, end: elf.end };
  }
  if (isUImage(image)) {
    const u = parseUImage(image, [IH_TYPE_KERNEL, IH_TYPE_KERNEL_NOLOAD], "kernel");
    // KERNEL_NOLOAD runs where it is put; its entry keeps its offset from the stated load address.
    const load = u.type === IH_TYPE_KERNEL_NOLOAD ? ram.base + KERNEL_LOAD_OFFSET : u.load;
    const entry = u.type === IH_TYPE_KERNEL_NOLOAD ? (load + (u.entry - u.load)) >>> 0 : u.entry;
    const range = writeGuest(ram, load, u.payload, "uImage kernel");
    if (entry < range.start || entry >= range.end) {
      throw new LoaderError(`uImage entry 0x${entry.toString(16)} lies outside its loaded image`);
    }
    return { format: "uimage", entry, ...range };
  }
  const zimage = parseZImageHeader(image);
  const load = ram.base + KERNEL_LOAD_OFFSET;
  const range = writeGuest(ram, load, image, zimage ? "zImage kernel" : "raw kernel image");
  return { format: zimage ? "zimage" : "raw", entry: load, ...range };
}

export interface BootImages {
  readonly kernel: Uint8Array;
  /** Raw initramfs bytes, or a uImage of type RAMDISK (its header is stripped). */
  readonly initrd?: Uint8Array;
  /** Produces the DTB once the initrd's place is known (it goes into /chosen). */
  readonly dtb: (initrd: PhysicalRange | undefined) => Uint8Array;
}

export interface BootLayout {
  readonly kernel: LoadedKernel;
  readonly initrd?: PhysicalRange;
  readonly dtb: PhysicalRange;
  /** Boot CPU state: PC without the Thumb bit, CPSR, r0..r2. */
  readonly pc: number;
  readonly cpsr: number;
  readonly r0: number;
  readonly r1: number;
  readonly r2: number;
}

/** Places kernel, initrd and DTB in RAM and returns the boot CPU's registers. */
export function arrangeBoot(ram: GuestRam, images: BootImages): BootLayout {
  const kernel = loadKernel(ram, images.kernel);
  const ramEnd = ram.base + ram.bytes.length;

  let initrdStart = ram.base + Math.min(Math.floor(ram.bytes.length / 2), INITRD_MAX_OFFSET);
  if (kernel.end > initrdStart) initrdStart = kernel.end;
  initrdStart = alignUp(initrdStart, PAGE_SIZE);

  let initrd: PhysicalRange | undefined;
  if (images.initrd) {
    let bytes = images.initrd;
    if (isUImage(bytes)) bytes = parseUImage(bytes, [IH_TYPE_RAMDISK], "initrd").payload;
    if (initrdStart + bytes.length > ramEnd) {
      throw new LoaderError(
        `initrd of ${bytes.length} bytes does not fit between 0x${initrdStart.toString(16)} and the end of RAM 0x${ramEnd.toString(16)}; give the guest more memory`,
      );
    }
    initrd = writeGuest(ram, initrdStart, bytes, "initrd");
  }

  const dtbBytes = images.dtb(initrd);
  const dtbStart = alignUp(initrd ? initrd.end : initrdStart, DTB_ALIGNMENT);
  if (dtbStart + dtbBytes.length > ramEnd) {
    throw new LoaderError(`no room for the ${dtbBytes.length}-byte DTB after the kernel and initrd; give the guest more memory`);
  }
  const dtb = writeGuest(ram, dtbStart, dtbBytes, "DTB");

  const thumb = (kernel.entry & 1) !== 0;
  return {
    kernel,
    initrd,
    dtb,
    pc: (kernel.entry & ~1) >>> 0,
    cpsr: BOOT_CPSR_SVC | (thumb ? CPSR_T : 0),
    r0: 0,
    r1: 0xffffffff,
    r2: dtb.start,
  };
}
