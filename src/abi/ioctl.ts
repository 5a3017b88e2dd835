/**
 * ioctl request encoding. Linux packs direction, argument size, type and number into one 32-bit value.
 * Most architectures (x86, ARM, arm64) use the generic layout; PowerPC overrides it (reference
 * kvm-ppc-abi.md §1.4). Both are described as data so the same request table serves either host.
 */
export interface IoctlEncoding {
  readonly name: "generic" | "powerpc";
  readonly NONE: number;
  readonly WRITE: number;
  readonly READ: number;
  readonly sizeBits: number;
  readonly dirShift: number;
  readonly dirBits: number;
}

/** asm-generic/ioctl.h: dir 2 bits @30 (none 0, write 1, read 2), size 14 bits @16. */
export const GENERIC_IOCTL: IoctlEncoding = Object.freeze({
  name: "generic", NONE: 0, WRITE: 1, READ: 2, sizeBits: 14, dirShift: 30, dirBits: 2,
});

/** arch/powerpc/include/uapi/asm/ioctl.h: dir 3 bits @29 (none 1, read 2, write 4), size 13 bits @16. */
export const POWERPC_IOCTL: IoctlEncoding = Object.freeze({
  name: "powerpc", NONE: 1, WRITE: 4, READ: 2, sizeBits: 13, dirShift: 29, dirBits: 3,
});

export const _IOC_NRSHIFT = 0;
export const _IOC_TYPESHIFT = 8;
export const _IOC_SIZESHIFT = 16;

export function _IOC(enc: IoctlEncoding, dir: number, type: number, nr: number, size: number): number {
  if (size < 0 || size >= 1 << enc.sizeBits) throw new RangeError(`ioctl size ${size} too large`);
  return ((dir << enc.dirShift) | (size << _IOC_SIZESHIFT) | ((type & 0xff) << _IOC_TYPESHIFT) | (nr & 0xff)) >>> 0;
}
export const _IO = (enc: IoctlEncoding, type: number, nr: number): number => _IOC(enc, enc.NONE, type, nr, 0);
export const _IOR = (enc: IoctlEncoding, type: number, nr: number, size: number): number =>
  _IOC(enc, enc.READ, type, nr, size);
export const _IOW = (enc: IoctlEncoding, type: number, nr: number, size: number): number =>
  _IOC(enc, enc.WRITE, type, nr, size);
export const _IOWR = (enc: IoctlEncoding, type: number, nr: number, size: number): number =>
  _IOC(enc, enc.READ | enc.WRITE, type, nr, size);

export const _IOC_NR = (req: number): number => req & 0xff;
export const _IOC_TYPE = (req: number): number => (req >>> 8) & 0xff;
export const _IOC_SIZE = (enc: IoctlEncoding, req: number): number => (req >>> 16) & ((1 << enc.sizeBits) - 1);
export const _IOC_DIR = (enc: IoctlEncoding, req: number): number => (req >>> enc.dirShift) & ((1 << enc.dirBits) - 1);

/** True if the kernel copies the argument struct in (user -> kernel) for this request. */
export const ioctlReadsArg = (enc: IoctlEncoding, req: number): boolean => (_IOC_DIR(enc, req) & enc.WRITE) !== 0;
/** True if the kernel copies the argument struct back out (kernel -> user). */
export const ioctlWritesArg = (enc: IoctlEncoding, req: number): boolean => (_IOC_DIR(enc, req) & enc.READ) !== 0;
