/**
 * The applet list of a BusyBox binary, read from the binary itself so that building an initramfs
 * needs no ARM emulator. BusyBox keeps its applet names as one constant, `applet_names` (generated
 * into include/applet_tables.h): the names sorted in strcmp order, each NUL-terminated, starting with
 * "[" and "[[" when the test applets are built in — exactly what `busybox --list` prints, one per line.
 * We find the table by that sorted, NUL-separated shape; tests compare the result with
 * `qemu-arm busybox --list` on Debian's busybox-static.
 */

export class BusyboxAppletsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BusyboxAppletsError";
  }
}

/** Bytes an applet name may contain: lower-case letters, digits, '[', '-', '_', '.' and '+'. */
function isNameByte(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x5b || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x2b || (b >= 0x41 && b <= 0x5a);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** NUL-separated names from `start` while they stay well-formed and strictly increasing. */
function tableAt(image: Uint8Array, start: number): string[] {
  const names: string[] = [];
  let at = start;
  while (at < image.length) {
    let end = at;
    while (end < image.length && isNameByte(image[end]!)) end++;
    if (end === at || end >= image.length || image[end] !== 0) break;
    const name = String.fromCharCode(...image.subarray(at, end));
    if (names.length > 0 && compare(names[names.length - 1]!, name) >= 0) break;
    names.push(name);
    at = end + 1;
  }
  return names;
}

/**
 * Applet names of a BusyBox binary: the longest sorted run that begins with "[\0[[\0" (so a build
 * without the test applets is not recognised); it must hold at least 10 names, "sh" and "mount".
 */
export function busyboxApplets(image: Uint8Array): string[] {
  const marker = [0x5b, 0x00, 0x5b, 0x5b, 0x00]; // "[\0[[\0"
  let best: string[] = [];
  for (let i = 0; i + marker.length <= image.length; i++) {
    if (image[i] !== 0x5b) continue;
    if (i > 0 && image[i - 1] !== 0) continue;
    let match = true;
    for (let k = 1; k < marker.length; k++) if (image[i + k] !== marker[k]) { match = false; break; }
    if (!match) continue;
    const names = tableAt(image, i);
    if (names.length > best.length) best = names;
  }
  if (best.length < 10 || !best.includes("sh") || !best.includes("mount")) {
    throw new BusyboxAppletsError("no BusyBox applet table (\"[\\0[[\\0...\") found in the binary");
  }
  return best;
}
