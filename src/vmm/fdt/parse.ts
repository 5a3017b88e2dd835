// The DTB reader: a flattened device tree (Devicetree Specification v0.4 chapter 5) back into the
// in-memory model blob.ts writes, so a user's blob (--dtb) can be edited and written again.
//
// Everything is checked against the header's own bounds before it is read, and the first problem is
// reported as an FdtFormatError naming it and its byte offset:
//   header: magic 0xd00dfeed, version >= 16 and last_comp_version <= 17 (what this reader knows),
//     totalsize within the data, each block inside totalsize and aligned (reservation map 8 bytes,
//     structure block 4 bytes);
//   memory reservation map: (address, size) u64 pairs up to a (0, 0) pair, inside totalsize;
//   structure block: FDT_BEGIN_NODE (NUL-terminated name, padded to 4 bytes), FDT_PROP (len,
//     nameoff, value padded to 4 bytes), FDT_NOP, FDT_END_NODE, ending with FDT_END once the root
//     node is closed; names must lie inside the strings block and end with a NUL there.
// Version 16 blobs have no size_dt_struct: their structure block is bounded by totalsize.

import { DeviceTree, type DeviceTreeNode } from "./tree.js";
import { FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_MAGIC, FDT_NOP, FDT_PROP, FDT_VERSION } from "./blob.js";

/** The oldest format this reader accepts (the first with an empty root name and size_dt_strings). */
export const FDT_FIRST_READABLE_VERSION = 16;

/** A blob that is not a well-formed flattened device tree; the message says what is wrong. */
export class FdtFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FdtFormatError";
  }
}

const text = new TextDecoder("utf-8", { fatal: true });

const hex = (n: number) => `0x${n.toString(16)}`;

/** The header fields, as stored. */
export interface FdtHeader {
  readonly totalSize: number;
  readonly offDtStruct: number;
  readonly offDtStrings: number;
  readonly offMemRsvmap: number;
  readonly version: number;
  readonly lastCompVersion: number;
  readonly bootCpuidPhys: number;
  readonly sizeDtStrings: number;
  /** Absent (undefined) before version 17. */
  readonly sizeDtStruct: number | undefined;
}

/** Reads and checks the header of `blob`. */
export function readFdtHeader(blob: Uint8Array): FdtHeader {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.length < 4) throw new FdtFormatError(`only ${blob.length} bytes: too short for a device tree header`);
  const magic = view.getUint32(0, false);
  if (magic !== FDT_MAGIC) throw new FdtFormatError(`bad magic ${hex(magic)} (a device tree blob starts with 0xd00dfeed)`);
  if (blob.length < 28) throw new FdtFormatError(`only ${blob.length} bytes: the header is truncated`);
  const word = (i: number) => view.getUint32(i * 4, false);
  const version = word(5);
  const lastCompVersion = word(6);
  if (version < FDT_FIRST_READABLE_VERSION) {
    throw new FdtFormatError(`format version ${version} is older than ${FDT_FIRST_READABLE_VERSION}, the oldest supported`);
  }
  if (lastCompVersion > FDT_VERSION) {
    throw new FdtFormatError(`format needs a version ${lastCompVersion} reader (this one reads up to ${FDT_VERSION})`);
  }
  const headerSize = version >= 17 ? 40 : 36;
  if (blob.length < headerSize) throw new FdtFormatError(`only ${blob.length} bytes: the version ${version} header needs ${headerSize}`);
  const h: FdtHeader = {
    totalSize: word(1),
    offDtStruct: word(2),
    offDtStrings: word(3),
    offMemRsvmap: word(4),
    version,
    lastCompVersion,
    bootCpuidPhys: word(7),
    sizeDtStrings: word(8),
    sizeDtStruct: version >= 17 ? word(9) : undefined,
  };
  if (h.totalSize > blob.length) {
    throw new FdtFormatError(`truncated: the header says ${h.totalSize} bytes but there are only ${blob.length}`);
  }
  if (h.totalSize < headerSize) throw new FdtFormatError(`totalsize ${h.totalSize} is smaller than the header`);
  const inside = (what: string, off: number, size: number) => {
    if (off < headerSize || off + size > h.totalSize) {
      throw new FdtFormatError(`${what} (offset ${off}, ${size} bytes) lies outside the blob's ${h.totalSize} bytes`);
    }
  };
  inside("memory reservation map", h.offMemRsvmap, 16);
  if (h.offMemRsvmap % 8 !== 0) throw new FdtFormatError(`memory reservation map offset ${h.offMemRsvmap} is not 8-byte aligned`);
  inside("structure block", h.offDtStruct, h.sizeDtStruct ?? 4);
  if (h.offDtStruct % 4 !== 0) throw new FdtFormatError(`structure block offset ${h.offDtStruct} is not 4-byte aligned`);
  if (h.sizeDtStruct !== undefined && h.sizeDtStruct % 4 !== 0) {
    throw new FdtFormatError(`structure block size ${h.sizeDtStruct} is not a multiple of 4`);
  }
  inside("strings block", h.offDtStrings, h.sizeDtStrings);
  return h;
}

/** Parses a DTB into a DeviceTree; throws FdtFormatError for anything malformed. */
export function parseDtb(blob: Uint8Array): DeviceTree {
  const h = readFdtHeader(blob);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const tree = new DeviceTree();
  tree.bootCpuidPhys = h.bootCpuidPhys;

  // Memory reservation map: pairs until (0, 0).
  for (let at = h.offMemRsvmap; ; at += 16) {
    if (at + 16 > h.totalSize) throw new FdtFormatError("memory reservation map has no terminating (0, 0) entry inside the blob");
    const address = view.getBigUint64(at, false);
    const size = view.getBigUint64(at + 8, false);
    if (address === 0n && size === 0n) break;
    tree.reservations.push({ address, size });
  }

  const stringsEnd = h.offDtStrings + h.sizeDtStrings;
  const propertyName = (nameoff: number, at: number): string => {
    const start = h.offDtStrings + nameoff;
    const nul = nameoff < h.sizeDtStrings ? blob.indexOf(0, start) : -1;
    if (nul < 0 || nul >= stringsEnd) {
      throw new FdtFormatError(`property at offset ${at}: name offset ${nameoff} is outside the ${h.sizeDtStrings}-byte strings block`);
    }
    return decode(blob.subarray(start, nul), `property name at strings offset ${nameoff}`);
  };

  const end = h.sizeDtStruct !== undefined ? h.offDtStruct + h.sizeDtStruct : h.totalSize;
  const open: DeviceTreeNode[] = [];
  let rootDone = false;
  let at = h.offDtStruct;
  const word = (what: string): number => {
    if (at + 4 > end) throw new FdtFormatError(`structure block ends inside ${what} at offset ${at} (no FDT_END)`);
    const w = view.getUint32(at, false);
    at += 4;
    return w;
  };
  for (;;) {
    const tokenAt = at;
    const token = word("a token");
    if (token === FDT_BEGIN_NODE) {
      const nul = blob.indexOf(0, at);
      if (nul < 0 || nul >= end) throw new FdtFormatError(`node name at offset ${at} has no terminating NUL inside the structure block`);
      const name = decode(blob.subarray(at, nul), `node name at offset ${at}`);
      at = (nul + 1 + 3) & ~3;
      const parent = open[open.length - 1];
      if (!parent) {
        if (rootDone) throw new FdtFormatError(`second top-level node "${name}" at offset ${tokenAt} (a tree has one root)`);
        if (name !== "") throw new FdtFormatError(`root node is named "${name}" at offset ${tokenAt} (it must have an empty name)`);
        open.push(tree.root);
        continue;
      }
      if (name === "" || name.includes("/")) throw new FdtFormatError(`invalid node name "${name}" at offset ${tokenAt}`);
      if (parent.child(name)) throw new FdtFormatError(`node "${name}" appears twice under the same parent (offset ${tokenAt})`);
      open.push(parent.insertNode(name));
    } else if (token === FDT_END_NODE) {
      if (!open.pop()) throw new FdtFormatError(`FDT_END_NODE at offset ${tokenAt} closes no node`);
      if (open.length === 0) rootDone = true;
    } else if (token === FDT_PROP) {
      const len = word("a property header");
      const nameoff = word("a property header");
      const node = open[open.length - 1];
      if (!node) throw new FdtFormatError(`property at offset ${tokenAt} is outside every node`);
      if (len > end - at) throw new FdtFormatError(`property at offset ${tokenAt}: its ${len}-byte value runs past the structure block`);
      const name = propertyName(nameoff, tokenAt);
      if (node.properties.has(name)) throw new FdtFormatError(`property "${name}" appears twice in one node (offset ${tokenAt})`);
      // Names come from the blob's author: stored as they are (dtc accepts more than DT spec names).
      node.properties.set(name, blob.slice(at, at + len));
      if ((name === "phandle" || name === "linux,phandle") && len === 4) tree.notePhandle(view.getUint32(at, false));
      at += (len + 3) & ~3;
    } else if (token === FDT_NOP) {
      // padding left where something was removed in place
    } else if (token === FDT_END) {
      if (open.length > 0) throw new FdtFormatError(`FDT_END at offset ${tokenAt} with ${open.length} node(s) still open`);
      if (!rootDone) throw new FdtFormatError("structure block has no root node");
      return tree;
    } else {
      throw new FdtFormatError(`unknown token ${hex(token)} at offset ${tokenAt} of the structure block`);
    }
  }
}

function decode(bytes: Uint8Array, what: string): string {
  try {
    return text.decode(bytes);
  } catch {
    throw new FdtFormatError(`${what} is not valid UTF-8 text`);
  }
}
