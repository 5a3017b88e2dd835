/**
 * A writer for the cpio "newc" format (SVR4 portable ASCII without CRC, magic "070701"), the format
 * the Linux kernel unpacks as an initramfs (Documentation/driver-api/early-userspace/buffer-format.rst).
 *
 * Each entry is a 110-byte ASCII header — the magic and thirteen 8-digit hexadecimal fields:
 * ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize,
 * check — then the NUL-terminated name, padded with NULs so that header + name is a multiple of 4,
 * then the file data padded to a multiple of 4. `check` is 0 in newc (only "070702" carries a sum).
 * The archive ends with an entry named "TRAILER!!!"; the kernel's unpacker accepts (and concatenated
 * archives rely on) trailing NUL padding, and we pad the whole archive to 512 bytes as cpio(1) does.
 */

/** st_mode file-type bits (Linux include/uapi/linux/stat.h). */
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;

export const NEWC_MAGIC = "070701";
export const NEWC_HEADER_SIZE = 110;
export const NEWC_TRAILER = "TRAILER!!!";

export interface CpioOwner {
  readonly uid?: number;
  readonly gid?: number;
  /** Seconds since the epoch; defaults to the archive's mtime. */
  readonly mtime?: number;
}

/** One archive member. `perm` is the permission bits only (e.g. 0o755); the type comes from `kind`. */
export type CpioEntry =
  | ({ readonly kind: "file"; readonly path: string; readonly perm: number; readonly data: Uint8Array } & CpioOwner)
  | ({ readonly kind: "dir"; readonly path: string; readonly perm: number } & CpioOwner)
  | ({ readonly kind: "symlink"; readonly path: string; readonly target: string } & CpioOwner)
  | ({
      readonly kind: "chardev" | "blockdev";
      readonly path: string;
      readonly perm: number;
      readonly major: number;
      readonly minor: number;
    } & CpioOwner);

export interface CpioOptions {
  /** mtime for entries that do not give their own (default 0, for reproducible archives). */
  readonly mtime?: number;
  /** Pad the archive to a multiple of this many bytes after the trailer (default 512; 4 = none). */
  readonly blockSize?: number;
}

const encoder = new TextEncoder();

function hex8(value: number, field: string, path: string): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`cpio: ${path}: ${field} ${value} does not fit the 8 hex digits of newc`);
  }
  return value.toString(16).padStart(8, "0");
}

/** Archive names are relative ("bin/sh"), as the kernel and `cpio -i` expect; "/" becomes ".". */
function archiveName(path: string): string {
  const trimmed = path.replace(/^\/+/, "").replace(/\/+$/, "");
  if (trimmed === "") return ".";
  if (trimmed.split("/").some((part) => part === "" || part === "..")) {
    throw new RangeError(`cpio: bad member path '${path}'`);
  }
  return trimmed;
}

function modeOf(entry: CpioEntry): number {
  switch (entry.kind) {
    case "file":
      return S_IFREG | (entry.perm & 0o7777);
    case "dir":
      return S_IFDIR | (entry.perm & 0o7777);
    case "symlink":
      return S_IFLNK | 0o777;
    case "chardev":
      return S_IFCHR | (entry.perm & 0o7777);
    case "blockdev":
      return S_IFBLK | (entry.perm & 0o7777);
  }
}

function header(fields: {
  ino: number; mode: number; uid: number; gid: number; nlink: number; mtime: number; filesize: number;
  rdevmajor: number; rdevminor: number; namesize: number;
}, path: string): string {
  const f = (v: number, name: string) => hex8(v, name, path);
  return (
    NEWC_MAGIC +
    f(fields.ino, "ino") + f(fields.mode, "mode") + f(fields.uid, "uid") + f(fields.gid, "gid") +
    f(fields.nlink, "nlink") + f(fields.mtime, "mtime") + f(fields.filesize, "filesize") +
    f(0, "devmajor") + f(0, "devminor") + f(fields.rdevmajor, "rdevmajor") + f(fields.rdevminor, "rdevminor") +
    f(fields.namesize, "namesize") + f(0, "check")
  );
}

const pad4 = (n: number): number => (4 - (n & 3)) & 3;

/**
 * Serialises `entries` in order (parents must come before children, as for any cpio stream) and
 * appends the trailer. Duplicate names are rejected: the kernel would silently keep the last one.
 */
export function writeNewc(entries: readonly CpioEntry[], options: CpioOptions = {}): Uint8Array {
  const defaultMtime = options.mtime ?? 0;
  const blockSize = options.blockSize ?? 512;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const push = (bytes: Uint8Array): void => {
    chunks.push(bytes);
    size += bytes.length;
  };
  const seen = new Set<string>();
  const member = (
    name: string, mode: number, data: Uint8Array, ino: number, nlink: number,
    owner: CpioOwner, rdevmajor = 0, rdevminor = 0,
  ): void => {
    const nameBytes = encoder.encode(name);
    const namesize = nameBytes.length + 1;
    push(encoder.encode(header({
      ino, mode, uid: owner.uid ?? 0, gid: owner.gid ?? 0, nlink, mtime: owner.mtime ?? defaultMtime,
      filesize: data.length, rdevmajor, rdevminor, namesize,
    }, name)));
    const nameField = new Uint8Array(namesize + pad4(NEWC_HEADER_SIZE + namesize));
    nameField.set(nameBytes);
    push(nameField);
    if (data.length > 0) {
      push(data);
      const padding = pad4(data.length);
      if (padding) push(new Uint8Array(padding));
    }
  };
  let ino = 1;
  for (const entry of entries) {
    const name = archiveName(entry.path);
    if (seen.has(name)) throw new RangeError(`cpio: duplicate member '${name}'`);
    seen.add(name);
    const mode = modeOf(entry);
    switch (entry.kind) {
      case "file":
        member(name, mode, entry.data, ino++, 1, entry);
        break;
      case "dir":
        member(name, mode, new Uint8Array(0), ino++, 2, entry);
        break;
      case "symlink":
        // A symlink's data is its target, without a terminating NUL.
        member(name, mode, encoder.encode(entry.target), ino++, 1, entry);
        break;
      case "chardev":
      case "blockdev":
        member(name, mode, new Uint8Array(0), ino++, 1, entry, entry.major, entry.minor);
        break;
    }
  }
  member(NEWC_TRAILER, 0, new Uint8Array(0), 0, 1, { mtime: 0 });
  if (blockSize > 4 && size % blockSize !== 0) push(new Uint8Array(blockSize - (size % blockSize)));
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
