/**
 * The layer rules of docs/ARCHITECTURE.md, checked on the source: which directory may import which,
 * no import cycles, and only the CLI touches the process (argv, exit, standard streams, environment).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");
const src = join(root, "src");

/** Layer of a file: its top-level directory under src/ (arch/arm and kvm/arm count as arch and kvm). */
function layerOf(file: string): string {
  const rel = relative(src, file).split("/");
  return rel.length === 1 ? "index" : rel[0]!;
}

/** For each layer, the layers it may import (itself always allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  abi: [],
  arch: ["abi"],
  kvm: ["abi", "arch"],
  facade: ["abi"],
  user: ["abi", "arch"],
  devices: ["abi"],
  vmm: ["abi", "facade", "devices"],
  cli: ["abi", "arch", "kvm", "facade", "user", "devices", "vmm", "index"],
  index: ["abi", "kvm", "facade"],
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?([^;]*?)from\s+["'](\.[^"']+)["']/gm;

/** Relative imports of a file; `runtimeOnly` leaves out `import type` (erased at compile time). */
function importsOf(file: string, runtimeOnly: boolean): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    if (runtimeOnly && m[2]) continue;
    out.push(resolve(dirname(file), m[4]!.replace(/\.js$/, ".ts")));
  }
  return out;
}

const files = sources(src);
/** Every import, type-only ones included: the layer rules hold for types too. */
const graph = new Map(files.map((f) => [f, importsOf(f, false)] as const));
/** Imports that exist at run time: these must not form cycles. */
const runtimeGraph = new Map(files.map((f) => [f, importsOf(f, true)] as const));

test("every relative import resolves to a source file", () => {
  const missing = [...graph].flatMap(([f, deps]) =>
    deps.filter((d) => !graph.has(d)).map((d) => `${relative(root, f)} -> ${relative(root, d)}`),
  );
  assert.deepEqual(missing, []);
});

test("layers import only the layers below them (docs/ARCHITECTURE.md)", () => {
  const bad: string[] = [];
  for (const [f, deps] of graph) {
    const from = layerOf(f);
    const allowed = ALLOWED[from];
    assert.ok(allowed, `${relative(root, f)}: layer '${from}' is not in the layer map`);
    for (const d of deps) {
      const to = layerOf(d);
      if (to !== from && !allowed.includes(to)) bad.push(`${relative(root, f)} (${from}) -> ${relative(root, d)} (${to})`);
    }
  }
  assert.deepEqual(bad, []);
});

test("the CPU emulators know nothing of KVM, and arm and ppc do not import each other", () => {
  const bad = [...graph].flatMap(([f, deps]) => {
    const rel = relative(src, f);
    if (!rel.startsWith("arch/")) return [];
    const own = rel.split("/")[1];
    return deps.filter((d) => relative(src, d).startsWith("arch/") && relative(src, d).split("/")[1] !== own)
      .map((d) => `${rel} -> ${relative(src, d)}`);
  });
  assert.deepEqual(bad, []);
});

test("there are no import cycles at run time (type-only imports are erased)", () => {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 1);
    stack.push(f);
    for (const d of runtimeGraph.get(f) ?? []) {
      if (!runtimeGraph.has(d)) continue;
      const s = state.get(d);
      if (s === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative(src, x)).join(" -> "));
      else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of runtimeGraph.keys()) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test("only src/cli touches the process (argv, exit, standard streams, environment)", () => {
  const touch = /\bprocess\.(argv|exit|stdout|stderr|stdin|env)\b/;
  const bad = files.filter((f) => layerOf(f) !== "cli" && touch.test(readFileSync(f, "utf8"))).map((f) => relative(root, f));
  assert.deepEqual(bad, []);
});
