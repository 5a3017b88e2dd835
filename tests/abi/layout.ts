// Shared assertion for struct-layout tests: a codec's size and every field offset against a table
// written from the reference.
import assert from "node:assert/strict";
import type { StructCodec } from "../../src/abi/struct.js";
import { fieldSize } from "../../src/abi/struct.js";

/** expected: field name -> [offset, byte length]. Every codec field must be listed. */
export function assertLayout<T>(codec: StructCodec<T>, size: number, expected: Record<string, [number, number]>): void {
  assert.equal(codec.size, size, `${codec.name} size`);
  const names = codec.fields.map((f) => f.name).sort();
  assert.deepEqual(names, Object.keys(expected).sort(), `${codec.name} field names`);
  for (const f of codec.fields) {
    const [off, len] = expected[f.name]!;
    assert.equal(f.offset, off, `${codec.name}.${f.name} offset`);
    assert.equal(fieldSize(f), len, `${codec.name}.${f.name} length`);
  }
}
