// The flattened device tree (DTB) format, Devicetree Specification v0.4 chapter 5:
//   header (40 bytes, big-endian words) | memory reservation block (8-byte aligned, pairs of u64
//   ending with a 0,0 pair) | structure block (4-byte aligned token stream) | strings block.
// We write version 17 with last_comp_version 16, as dtc and Linux expect.

import type { DeviceTree, DeviceTreeNode } from "./tree.js";

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
export const FDT_HEADER_SIZE = 40;

const encoder = new TextEncoder();

/** A growable big-endian byte sink for the structure block. */
class StructureBlock {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  word(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value >>> 0, false);
    this.length += 4;
  }

  /** Raw bytes followed by zero padding to the next 4-byte boundary. */
  padded(data: Uint8Array): void {
    const total = (data.length + 3) & ~3;
    this.reserve(total);
    this.buf.set(data, this.length);
    this.buf.fill(0, this.length + data.length, this.length + total);
    this.length += total;
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** The strings block: each property name stored once, NUL-terminated; offsets are byte offsets. */
class StringsBlock {
  private readonly offsets = new Map<string, number>();
  private readonly parts: Uint8Array[] = [];
  length = 0;

  offsetOf(name: string): number {
    const known = this.offsets.get(name);
    if (known !== undefined) return known;
    const encoded = encoder.encode(name);
    const offset = this.length;
    this.offsets.set(name, offset);
    this.parts.push(encoded, new Uint8Array(1));
    this.length += encoded.length + 1;
    return offset;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function writeNode(node: DeviceTreeNode, structure: StructureBlock, strings: StringsBlock): void {
  structure.word(FDT_BEGIN_NODE);
  const name = encoder.encode(node.name);
  const withNul = new Uint8Array(name.length + 1);
  withNul.set(name);
  structure.padded(withNul);
  for (const [propName, value] of node.properties) {
    structure.word(FDT_PROP);
    structure.word(value.length);
    structure.word(strings.offsetOf(propName));
    structure.padded(value);
  }
  for (const child of node.children) writeNode(child, structure, strings);
  structure.word(FDT_END_NODE);
}

/** Serialises `tree` into a DTB. */
export function flatten(tree: DeviceTree): Uint8Array {
  const structure = new StructureBlock();
  const strings = new StringsBlock();
  writeNode(tree.root, structure, strings);
  structure.word(FDT_END);
  const structBytes = structure.bytes();
  const stringBytes = strings.bytes();

  const offMemRsvmap = FDT_HEADER_SIZE; // 40 is already 8-byte aligned
  const rsvmapSize = (tree.reservations.length + 1) * 16;
  const offDtStruct = offMemRsvmap + rsvmapSize; // multiple of 8, hence of 4
  const offDtStrings = offDtStruct + structBytes.length;
  const totalSize = offDtStrings + stringBytes.length;

  const blob = new Uint8Array(totalSize);
  const view = new DataView(blob.buffer);
  const header = [
    FDT_MAGIC,
    totalSize,
    offDtStruct,
    offDtStrings,
    offMemRsvmap,
    FDT_VERSION,
    FDT_LAST_COMP_VERSION,
    tree.bootCpuidPhys >>> 0,
    stringBytes.length,
    structBytes.length,
  ];
  header.forEach((w, i) => view.setUint32(i * 4, w, false));
  tree.reservations.forEach((r, i) => {
    view.setBigUint64(offMemRsvmap + i * 16, r.address, false);
    view.setBigUint64(offMemRsvmap + i * 16 + 8, r.size, false);
  });
  // the terminating (0, 0) entry is already zero
  blob.set(structBytes, offDtStruct);
  blob.set(stringBytes, offDtStrings);
  return blob;
}
