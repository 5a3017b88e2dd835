/**
 * Test material: a minimal ELF32 little-endian relocatable object with a .modinfo section, built from
 * the ELF specification's layout (52-byte header, 40-byte section headers) — what readModinfo needs
 * of a real kernel module — and a fake BusyBox image holding an applet-name table.
 */
const enc = new TextEncoder();

export function fakeModule(modinfo: readonly string[]): Uint8Array {
  const info = enc.encode(modinfo.map((s) => s + "\0").join(""));
  const shstrtab = enc.encode("\0.modinfo\0.shstrtab\0");
  const infoAt = 52;
  const strAt = infoAt + info.length;
  const shoff = (strAt + shstrtab.length + 3) & ~3;
  const out = new Uint8Array(shoff + 3 * 40);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0); // ELFCLASS32, ELFDATA2LSB, EV_CURRENT
  v.setUint16(16, 1, true); // ET_REL
  v.setUint16(18, 40, true); // EM_ARM
  v.setUint32(20, 1, true);
  v.setUint32(32, shoff, true); // e_shoff
  v.setUint16(40, 52, true); // e_ehsize
  v.setUint16(46, 40, true); // e_shentsize
  v.setUint16(48, 3, true); // e_shnum
  v.setUint16(50, 2, true); // e_shstrndx
  out.set(info, infoAt);
  out.set(shstrtab, strAt);
  const sh = (i: number, name: number, type: number, offset: number, size: number) => {
    const at = shoff + i * 40;
    v.setUint32(at, name, true);
    v.setUint32(at + 4, type, true);
    v.setUint32(at + 16, offset, true);
    v.setUint32(at + 20, size, true);
    v.setUint32(at + 32, 1, true);
  };
  sh(1, 1, 1, infoAt, info.length); // ".modinfo", SHT_PROGBITS
  sh(2, 10, 3, strAt, shstrtab.length); // ".shstrtab", SHT_STRTAB
  return out;
}

/** Bytes that look like a static BusyBox as far as busyboxApplets is concerned. */
export function fakeBusybox(applets: readonly string[]): Uint8Array {
  const table = enc.encode(applets.map((a) => a + "\0").join(""));
  const decoy = enc.encode("\0[\0zzz\0"); // a short "[\0" run elsewhere must not win
  const out = new Uint8Array(64 + decoy.length + table.length + 32);
  out.set(enc.encode("\x7fELF fake busybox"), 0);
  out.set(decoy, 32);
  out.set(table, 64 + decoy.length);
  return out;
}

/** A sorted applet list with the test applets first, as BusyBox's table has it. */
export const FAKE_APPLETS = ["[", "[[", "ash", "cat", "cttyhack", "echo", "halt", "hostname", "insmod", "ls", "mkdir", "mount", "poweroff", "reboot", "setsid", "sh", "sync", "uname"];
