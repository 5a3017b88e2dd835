// Typed device-tree property values, encoded as the Devicetree Specification (v0.4, §2.2.4) defines
// them: cells are big-endian 32-bit words, a u64 is two cells (high first), strings are NUL-terminated
// and a string list is the concatenation of its NUL-terminated members.

/** One encoded property value (the bytes that follow FDT_PROP's len/nameoff words). */
export type PropertyValue = Uint8Array;

const encoder = new TextEncoder();

/** An empty property (a boolean such as "interrupt-controller" or "always-on"). */
export function empty(): PropertyValue {
  return new Uint8Array(0);
}

function checkCell(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`device tree cell out of range: ${value}`);
  }
}

/** A list of 32-bit cells (prop-encoded-array of <u32>). */
export function cells(...values: number[]): PropertyValue {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    checkCell(v);
    view.setUint32(i * 4, v, false);
  });
  return out;
}

/** A single <u32>. */
export function u32(value: number): PropertyValue {
  return cells(value);
}

/** A single <u64>: two cells, most significant first. */
export function u64(value: bigint | number): PropertyValue {
  const v = BigInt(value);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`device tree u64 out of range: ${v}`);
  return cells(Number(v >> 32n), Number(v & 0xffffffffn));
}

/**
 * A value split into `count` cells, most significant first — how "reg" and "ranges" encode an
 * address or size under #address-cells / #size-cells.
 */
export function addressCells(value: bigint | number, count: number): number[] {
  let v = BigInt(value);
  if (v < 0n || v >> BigInt(32 * count) !== 0n) {
    throw new RangeError(`value 0x${v.toString(16)} does not fit in ${count} cell(s)`);
  }
  const out = new Array<number>(count);
  for (let i = count - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
  return out;
}

/** A "reg"-style list of (address, size) pairs with the given cell counts. */
export function reg(
  pairs: ReadonlyArray<readonly [bigint | number, bigint | number]>,
  addressCellCount = 2,
  sizeCellCount = 2,
): PropertyValue {
  const words: number[] = [];
  for (const [address, size] of pairs) {
    words.push(...addressCells(address, addressCellCount), ...addressCells(size, sizeCellCount));
  }
  return cells(...words);
}

function checkString(s: string): void {
  if (s.includes("\0")) throw new RangeError("device tree string contains NUL");
}

/** A single NUL-terminated string. */
export function string(s: string): PropertyValue {
  return strings(s);
}

/** A string list ("compatible", "clock-names"): each member NUL-terminated, concatenated. */
export function strings(...list: string[]): PropertyValue {
  const parts = list.map((s) => {
    checkString(s);
    return encoder.encode(s);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1; // the byte after each member stays 0: its terminator
  }
  return out;
}

/** Raw bytes, copied. */
export function bytes(data: ArrayLike<number>): PropertyValue {
  return Uint8Array.from(data);
}
