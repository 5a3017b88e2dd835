// U-Boot legacy images ("uImage"): a 64-byte big-endian header (U-Boot include/image.h,
// struct legacy_img_hdr) followed by the payload:
//   0 ih_magic 0x27051956 | 4 ih_hcrc | 8 ih_time | 12 ih_size | 16 ih_load | 20 ih_ep | 24 ih_dcrc |
//   28 ih_os | 29 ih_arch | 30 ih_type | 31 ih_comp | 32 ih_name[32]
// Both CRCs are CRC-32 (IEEE); ih_hcrc covers the header with ih_hcrc itself zeroed.

import { crc32 } from "node:zlib";
import { LoaderError } from "./guest-ram.js";

export const UIMAGE_MAGIC = 0x27051956;
export const UIMAGE_HEADER_SIZE = 64;

export const IH_ARCH_ARM = 2;
export const IH_TYPE_KERNEL = 2;
export const IH_TYPE_RAMDISK = 3;
export const IH_TYPE_KERNEL_NOLOAD = 14;
export const IH_COMP_NONE = 0;
const COMPRESSION_NAMES = ["none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd"];

export interface UImage {
  readonly load: number;
  readonly entry: number;
  readonly os: number;
  readonly arch: number;
  readonly type: number;
  readonly name: string;
  readonly payload: Uint8Array;
}

export function isUImage(image: Uint8Array): boolean {
  return image.length >= 4 && new DataView(image.buffer, image.byteOffset, 4).getUint32(0, false) === UIMAGE_MAGIC;
}

/** Parses and checks a uImage of one of `types`; `what` names the file's role in error messages. */
export function parseUImage(image: Uint8Array, types: readonly number[], what: string): UImage {
  if (!isUImage(image)) throw new LoaderError(`${what}: not a uImage (magic 0x27051956)`);
  if (image.length < UIMAGE_HEADER_SIZE) throw new LoaderError(`${what}: uImage truncated inside its 64-byte header`);
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const header = image.slice(0, UIMAGE_HEADER_SIZE);
  header.fill(0, 4, 8);
  if (crc32(header) >>> 0 !== view.getUint32(4, false)) throw new LoaderError(`${what}: uImage header CRC mismatch`);
  const size = view.getUint32(12, false);
  if (UIMAGE_HEADER_SIZE + size > image.length) {
    throw new LoaderError(`${what}: uImage says ${size} data bytes but the file holds ${image.length - UIMAGE_HEADER_SIZE}`);
  }
  const payload = image.subarray(UIMAGE_HEADER_SIZE, UIMAGE_HEADER_SIZE + size);
  if (crc32(payload) >>> 0 !== view.getUint32(24, false)) throw new LoaderError(`${what}: uImage data CRC mismatch`);
  const arch = image[29];
  if (arch !== IH_ARCH_ARM) throw new LoaderError(`${what}: uImage is for architecture ${arch}, not ARM (${IH_ARCH_ARM})`);
  const type = image[30];
  if (!types.includes(type)) throw new LoaderError(`${what}: uImage type ${type} cannot be used here (expected ${types.join(" or ")})`);
  const comp = image[31];
  if (comp !== IH_COMP_NONE) {
    throw new LoaderError(`${what}: uImage compression "${COMPRESSION_NAMES[comp] ?? comp}" is not supported; only "none"`);
  }
  const nameBytes = image.subarray(32, 64);
  const nul = nameBytes.indexOf(0);
  return {
    load: view.getUint32(16, false),
    entry: view.getUint32(20, false),
    os: image[28],
    arch,
    type,
    name: new TextDecoder().decode(nul < 0 ? nameBytes : nameBytes.subarray(0, nul)),
    payload,
  };
}
