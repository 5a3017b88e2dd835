/**
 * Choosing kernel modules for the initramfs from a kernel's /lib/modules/<release> tree, in the
 * words of depmod(8)'s output files:
 *   modules.dep      "kernel/drivers/virtio/virtio_mmio.ko: kernel/drivers/virtio/virtio_ring.ko ..."
 *   modules.builtin  "kernel/drivers/virtio/virtio.ko" — built into the image, nothing to load
 *   modules.softdep  "softdep ext4 pre: crc32c" — loaded first but not symbol dependencies
 *   modules.alias    "alias crc32c crc32c_generic" — how a soft dependency's name finds its module
 * Module names compare with '-' and '_' equal, as the kernel's module loader does.
 * The result is an insmod order: every module after all modules it depends on (depth-first post
 * order over modules.dep plus the "pre:" soft dependencies), each module once.
 */

export interface ModuleTree {
  /** Contents of modules.dep. */
  readonly dep: string;
  /** Contents of modules.builtin ("" when absent). */
  readonly builtin?: string;
  /** Contents of modules.softdep ("" when absent). */
  readonly softdep?: string;
  /** Contents of modules.alias ("" when absent). */
  readonly alias?: string;
}

export interface ModuleSelection {
  /** Paths relative to /lib/modules/<release>, in load order. */
  readonly load: readonly string[];
  /** Requested modules that are built into the kernel (nothing to load). */
  readonly builtin: readonly string[];
}

export class ModuleSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModuleSelectionError";
  }
}

/** The modules a virt-board guest needs: virtio over MMIO, its disk and entropy devices, ext4. */
export const GUEST_MODULES: readonly string[] = ["virtio_mmio", "virtio_blk", "virtio_rng", "ext4"];
/** Of GUEST_MODULES, the ones the guest can live without when the kernel has neither a module nor a builtin. */
export const OPTIONAL_GUEST_MODULES: readonly string[] = ["ext4"];

/** "kernel/fs/ext4/ext4.ko.xz" → "ext4"; "crc32c-generic" → "crc32c_generic". */
export function moduleName(pathOrName: string): string {
  const base = pathOrName.slice(pathOrName.lastIndexOf("/") + 1);
  return base.replace(/\.ko(\.(xz|zst|gz))?$/, "").replace(/-/g, "_");
}

function lines(text: string | undefined): string[] {
  return (text ?? "").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

/** module name → its path and its dependencies (as names and as the paths modules.dep gives). */
export function parseModulesDep(text: string): Map<string, { path: string; deps: string[]; depPaths: string[] }> {
  const out = new Map<string, { path: string; deps: string[]; depPaths: string[] }>();
  for (const line of lines(text)) {
    const colon = line.indexOf(":");
    if (colon < 0) throw new ModuleSelectionError(`modules.dep: malformed line '${line}'`);
    const path = line.slice(0, colon).trim();
    const deps = line.slice(colon + 1).trim().split(/\s+/).filter((d) => d !== "");
    out.set(moduleName(path), { path, deps: deps.map(moduleName), depPaths: deps });
  }
  return out;
}

/** module → names its "pre:" soft dependencies give (aliases or module names). */
function parseSoftdep(text: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of lines(text)) {
    const words = line.split(/\s+/);
    if (words[0] !== "softdep" || words.length < 3) continue;
    const pre: string[] = [];
    let inPre = false;
    for (const w of words.slice(2)) {
      if (w === "pre:") inPre = true;
      else if (w === "post:") inPre = false;
      else if (inPre) pre.push(w);
    }
    const name = moduleName(words[1]!);
    out.set(name, [...(out.get(name) ?? []), ...pre]);
  }
  return out;
}

/**
 * alias → module. Several modules may provide one alias (crc32c: crc32c_generic and the ARMv8-only
 * crc32-arm-ce); the *_generic one is taken because it loads on every CPU, else the first listed.
 */
function parseAlias(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines(text)) {
    const words = line.split(/\s+/);
    // modules.alias patterns may be globs (pci:v*...); a soft dependency names a plain alias.
    if (words[0] !== "alias" || words.length < 3) continue;
    const name = moduleName(words[2]!);
    if (!out.has(words[1]!) || (name.endsWith("_generic") && !out.get(words[1]!)!.endsWith("_generic"))) out.set(words[1]!, name);
  }
  return out;
}

/**
 * The insmod order for `wanted` and everything it needs. A wanted module that is neither a module nor
 * built in is an error unless listed in `optional`; a soft dependency that resolves to nothing is
 * skipped (it may be built in under another name).
 */
export function selectModules(tree: ModuleTree, wanted: readonly string[], optional: readonly string[] = []): ModuleSelection {
  const dep = parseModulesDep(tree.dep);
  const builtinSet = new Set(lines(tree.builtin).map(moduleName));
  const softdep = parseSoftdep(tree.softdep);
  const alias = parseAlias(tree.alias);
  const optionalSet = new Set(optional.map(moduleName));
  const load: string[] = [];
  const builtin: string[] = [];
  const state = new Map<string, "visiting" | "done">();

  const visit = (name: string, chain: string[]): void => {
    const s = state.get(name);
    if (s === "done") return;
    if (s === "visiting") throw new ModuleSelectionError(`modules.dep: dependency cycle ${[...chain, name].join(" -> ")}`);
    const entry = dep.get(name);
    if (!entry) throw new ModuleSelectionError(`module '${name}' (needed by ${chain.join(" -> ") || "the guest"}) is not in modules.dep`);
    state.set(name, "visiting");
    for (const soft of softdep.get(name) ?? []) {
      const target = dep.has(moduleName(soft)) ? moduleName(soft) : alias.get(soft);
      if (target !== undefined && dep.has(target) && target !== name) visit(target, [...chain, name]);
    }
    for (const d of entry.deps) visit(d, [...chain, name]);
    state.set(name, "done");
    load.push(entry.path);
  };

  for (const w of wanted) {
    const name = moduleName(w);
    if (dep.has(name)) visit(name, []);
    else if (builtinSet.has(name)) builtin.push(name);
    else if (!optionalSet.has(name)) {
      throw new ModuleSelectionError(`module '${name}' is neither in modules.dep nor in modules.builtin`);
    }
  }
  return { load, builtin };
}
