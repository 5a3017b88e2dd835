/**
 * What depmod(8) would write, from the modules themselves: Debian's linux-image packages ship no
 * modules.dep (the postinst runs depmod), and the host need not have kmod. Every .ko carries a
 * `.modinfo` ELF section of NUL-separated "key=value" strings; modpost records there the modules a
 * module's undefined symbols resolve to ("depends=virtio,virtio_ring"), its soft dependencies
 * ("softdep=pre: crc32c") and its aliases ("alias=crypto-crc32c"). From those we write modules.dep,
 * modules.softdep and modules.alias text in depmod's formats, for selectModules().
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { moduleName, type ModuleTree } from "./modules.js";

export class ModinfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModinfoError";
  }
}

/** The "key=value" strings of an ELF object's .modinfo section (ELF32 or ELF64, either byte order). */
export function readModinfo(elf: Uint8Array): Array<[string, string]> {
  if (elf.length < 52 || elf[0] !== 0x7f || elf[1] !== 0x45 || elf[2] !== 0x4c || elf[3] !== 0x46) {
    throw new ModinfoError("not an ELF object");
  }
  const is64 = elf[4] === 2;
  const little = elf[5] === 1;
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  const word = (o: number) => (is64 ? Number(view.getBigUint64(o, little)) : u32(o));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  if (shoff === 0 || shoff + shnum * shentsize > elf.length || shstrndx >= shnum) throw new ModinfoError("bad ELF section table");
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return { name: u32(at), offset: word(at + (is64 ? 0x18 : 0x10)), size: word(at + (is64 ? 0x20 : 0x14)) };
  };
  const strtab = section(shstrndx);
  const cString = (from: number): string => {
    let end = from;
    while (end < elf.length && elf[end] !== 0) end++;
    return new TextDecoder().decode(elf.subarray(from, end));
  };
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (cString(strtab.offset + s.name) !== ".modinfo") continue;
    if (s.offset + s.size > elf.length) throw new ModinfoError(".modinfo runs past the end of the file");
    const text = new TextDecoder().decode(elf.subarray(s.offset, s.offset + s.size));
    return text.split("\0").filter((kv) => kv.includes("=")).map((kv) => {
      const eq = kv.indexOf("=");
      return [kv.slice(0, eq), kv.slice(eq + 1)] as [string, string];
    });
  }
  throw new ModinfoError("no .modinfo section");
}

/** Module files under `dir`, relative to it ("kernel/fs/ext4/ext4.ko"), sorted. */
export function moduleFiles(dir: string, under = "kernel"): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.ko(\.(xz|zst|gz))?$/.test(e.name)) out.push(p);
    }
  };
  walk(under);
  return out.sort();
}

/**
 * modules.dep / modules.softdep / modules.alias text for the modules at `paths`, given a reader of a
 * module's (decompressed) object. modules.dep lists each module's full dependency closure, as depmod
 * does, so a module needs only its own line.
 */
export function depmodTree(paths: readonly string[], read: (path: string) => Uint8Array, builtin = ""): ModuleTree {
  const info = new Map<string, { path: string; depends: string[]; softdep: string[]; alias: string[] }>();
  for (const path of paths) {
    const kv = readModinfo(read(path));
    const values = (key: string) => kv.filter(([k]) => k === key).map(([, v]) => v);
    info.set(moduleName(path), {
      path,
      depends: values("depends").flatMap((v) => v.split(",")).filter((d) => d !== "").map(moduleName),
      softdep: values("softdep"),
      alias: values("alias"),
    });
  }
  const closure = (name: string, seen: Set<string>, order: string[]): void => {
    for (const d of info.get(name)?.depends ?? []) {
      if (seen.has(d)) continue;
      seen.add(d);
      if (!info.has(d)) throw new ModinfoError(`${info.get(name)!.path} depends on '${d}', which is not among the modules`);
      order.push(d);
      closure(d, seen, order);
    }
  };
  const dep: string[] = [];
  const softdep: string[] = [];
  const alias: string[] = [];
  for (const [name, m] of info) {
    const order: string[] = [];
    closure(name, new Set([name]), order);
    dep.push(`${m.path}:${order.map((d) => ` ${info.get(d)!.path}`).join("")}`);
    for (const s of m.softdep) softdep.push(`softdep ${name} ${s}`);
    for (const a of m.alias) alias.push(`alias ${a} ${name}`);
  }
  return { dep: dep.join("\n") + "\n", softdep: softdep.join("\n") + "\n", alias: alias.join("\n") + "\n", builtin };
}
