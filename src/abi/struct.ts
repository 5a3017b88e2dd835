/**
 * Struct codecs: a C struct layout as data (name, size, field offsets and types), with read/write on a
 * DataView. Field names are the kernel's. 64-bit fields are bigints; `bytes` fields are copied out as
 * Uint8Array. Byte order is the host's: little-endian for every host tskvm emulates by default.
 */
export type ScalarType = "u8" | "u16" | "u32" | "s32" | "u64" | "s64";

export interface FieldSpec {
  readonly name: string;
  readonly offset: number;
  /** A scalar, or `bytes` (length = byte count), or an array of scalars (count = element count). */
  readonly type: ScalarType | "bytes";
  readonly count?: number;
}

type ScalarValue<T extends ScalarType> = T extends "u64" | "s64" ? bigint : number;
type FieldValue<F extends FieldSpec> = F["type"] extends "bytes"
  ? Uint8Array
  : F["count"] extends number
    ? ScalarValue<Extract<F["type"], ScalarType>>[]
    : ScalarValue<Extract<F["type"], ScalarType>>;

export type StructValue<Fs extends readonly FieldSpec[]> = { [F in Fs[number] as F["name"]]: FieldValue<F> };

export interface StructCodec<T> {
  readonly name: string;
  readonly size: number;
  readonly fields: readonly FieldSpec[];
  readonly offsets: { readonly [K in keyof T]: number };
  read(view: DataView, base?: number, littleEndian?: boolean): T;
  /** Writes the given fields; fields left out are not touched. */
  write(view: DataView, value: Partial<T>, base?: number, littleEndian?: boolean): void;
}

export const SCALAR_SIZE: Readonly<Record<ScalarType, number>> = { u8: 1, u16: 2, u32: 4, s32: 4, u64: 8, s64: 8 };

function readScalar(view: DataView, type: ScalarType, off: number, le: boolean): number | bigint {
  switch (type) {
    case "u8": return view.getUint8(off);
    case "u16": return view.getUint16(off, le);
    case "u32": return view.getUint32(off, le);
    case "s32": return view.getInt32(off, le);
    case "u64": return view.getBigUint64(off, le);
    case "s64": return view.getBigInt64(off, le);
  }
}

function writeScalar(view: DataView, type: ScalarType, off: number, v: number | bigint, le: boolean): void {
  switch (type) {
    case "u8": view.setUint8(off, Number(v)); return;
    case "u16": view.setUint16(off, Number(v), le); return;
    case "u32": view.setUint32(off, Number(v) >>> 0, le); return;
    case "s32": view.setInt32(off, Number(v) | 0, le); return;
    case "u64": view.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), le); return;
    case "s64": view.setBigInt64(off, BigInt.asIntN(64, BigInt(v)), le); return;
  }
}

/** Byte length of one field. */
export function fieldSize(f: FieldSpec): number {
  if (f.type === "bytes") return f.count ?? 0;
  return SCALAR_SIZE[f.type] * (f.count ?? 1);
}

export function defineStruct<const Fs extends readonly FieldSpec[]>(
  name: string,
  size: number,
  fields: Fs,
): StructCodec<StructValue<Fs>> {
  for (const f of fields) {
    if (f.offset < 0 || f.offset + fieldSize(f) > size) {
      throw new RangeError(`${name}.${f.name} does not fit in ${size} bytes`);
    }
  }
  const offsets: Record<string, number> = {};
  for (const f of fields) offsets[f.name] = f.offset;
  return {
    name,
    size,
    fields,
    offsets: Object.freeze(offsets) as StructCodec<StructValue<Fs>>["offsets"],
    read(view, base = 0, le = true) {
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const off = base + f.offset;
        if (f.type === "bytes") {
          out[f.name] = new Uint8Array(view.buffer.slice(view.byteOffset + off, view.byteOffset + off + (f.count ?? 0)));
        } else if (f.count !== undefined) {
          const n = SCALAR_SIZE[f.type];
          out[f.name] = Array.from({ length: f.count }, (_, i) => readScalar(view, f.type as ScalarType, off + i * n, le));
        } else {
          out[f.name] = readScalar(view, f.type, off, le);
        }
      }
      return out as StructValue<Fs>;
    },
    write(view, value, base = 0, le = true) {
      const v = value as Record<string, unknown>;
      for (const f of fields) {
        const x = v[f.name];
        if (x === undefined) continue;
        const off = base + f.offset;
        if (f.type === "bytes") {
          const src = x as Uint8Array;
          new Uint8Array(view.buffer, view.byteOffset + off, f.count ?? 0).set(src.subarray(0, f.count ?? 0));
        } else if (f.count !== undefined) {
          const n = SCALAR_SIZE[f.type];
          (x as (number | bigint)[]).forEach((e, i) => writeScalar(view, f.type as ScalarType, off + i * n, e, le));
        } else {
          writeScalar(view, f.type, off, x as number | bigint, le);
        }
      }
    },
  };
}
