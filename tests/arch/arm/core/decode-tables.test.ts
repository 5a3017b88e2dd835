/**
 * Static checks on the declarative decode tables (src/arch/arm/decode/*.ts): every field a pattern's
 * build function reads must be named in that pattern (a field the pattern fixes, e.g. Rn = 1111, is
 * not extracted, and reading it would see a stale value from another pattern), and every pattern has
 * the table's width.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../../../../../", import.meta.url).pathname;

for (const [file, width] of [["a32.ts", 32], ["t16.ts", 16], ["t32.ts", 32]] as const) {
  test(`decode/${file}: builds read only fields their pattern defines`, () => {
    const text = readFileSync(join(root, "src", "arch", "arm", "decode", file), "utf8");
    // helpers that take the fields (`function name(f: Fields, ...)`) and the fields they read
    const helpers = new Map<string, Set<string>>();
    for (const h of text.matchAll(/\nfunction (\w+)\(f: Fields[^]*?\n}/g)) {
      helpers.set(h[1], new Set([...h[0].matchAll(/\bf\.([A-Za-z])\b/g)].map((x) => x[1])));
    }
    const entries = text.split(/\n\s*\.add\(/).slice(1);
    assert.ok(entries.length > 20);
    for (const entry of entries) {
      const m = /^"([^"]+)"/.exec(entry);
      assert.ok(m, `pattern string expected in: ${entry.slice(0, 60)}`);
      const bits = m[1].replace(/ /g, "");
      assert.equal(bits.length, width, m[1]);
      const letters = new Set(bits.replace(/[01-]/g, ""));
      const body = entry.slice(m[0].length);
      const assigned = new Set([...body.matchAll(/\bf\.([A-Za-z])\s*=[^=]/g)].map((x) => x[1]));
      const uses = [...body.matchAll(/\bf\.([A-Za-z])\b/g)].map((x) => x[1]);
      for (const [name, fields] of helpers) if (new RegExp(`\\b${name}\\(f\\b`).test(body)) uses.push(...fields);
      if (/, dpReg\)/.test(body)) uses.push(...(helpers.get("dpReg") ?? []));
      for (const name of uses) {
        assert.ok(letters.has(name) || assigned.has(name), `pattern "${m[1]}" reads f.${name}, which it does not define`);
      }
    }
  });
}
