// The ARM Linux zImage header (arch/arm/boot/compressed/head.S): after the 0x24-byte entry code,
//   0x24 magic 0x016F2818 | 0x28 image start address | 0x2C image end address
// in the kernel's byte order (a big-endian kernel stores the magic as bytes 01 6F 28 18).

import { LoaderError } from "./guest-ram.js";

export const ZIMAGE_MAGIC = 0x016f2818;
const MAGIC_OFFSET = 0x24;

export interface ZImageHeader {
  readonly start: number;
  readonly end: number;
  readonly bigEndian: boolean;
}

/** The header if `image` carries the zImage magic, else undefined; throws on an inconsistent header. */
export function parseZImageHeader(image: Uint8Array): ZImageHeader | undefined {
  if (image.length < MAGIC_OFFSET + 12) return undefined;
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  let le: boolean;
  if (view.getUint32(MAGIC_OFFSET, true) === ZIMAGE_MAGIC) le = true;
  else if (view.getUint32(MAGIC_OFFSET, false) === ZIMAGE_MAGIC) le = false;
  else return undefined;
  const start = view.getUint32(MAGIC_OFFSET + 4, le);
  const end = view.getUint32(MAGIC_OFFSET + 8, le);
  if (end < start) throw new LoaderError(`zImage header end 0x${end.toString(16)} lies before its start 0x${start.toString(16)}`);
  if (end - start > image.length) {
    throw new LoaderError(`zImage header says ${end - start} bytes but the file holds ${image.length} (truncated kernel?)`);
  }
  return { start, end, bigEndian: !le };
}
