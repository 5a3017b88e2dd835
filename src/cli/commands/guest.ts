/**
 * `tskvm guest fetch [--dir DIR]`: download Debian's armmp kernel and static BusyBox (armhf) and build
 * the guest's initramfs; `tskvm guest path [--dir DIR]` prints where the guest is (or would be).
 */
import { homedir } from "node:os";
import { resolve } from "node:path";
import { CliError, type Command } from "../command.js";
import { defaultGuestDir, existingGuest, fetchGuest } from "../../vmm/guest/fetch.js";
import { GuestFetchError } from "../../vmm/guest/debian-archive.js";
import { BusyboxAppletsError } from "../../vmm/guest/busybox-applets.js";

function parse(args: string[]): { action: string; dir: string } {
  const [action, ...rest] = args;
  if (action === undefined) throw new CliError("guest: missing action (usage: tskvm guest fetch|path [--dir DIR])");
  if (action !== "fetch" && action !== "path") throw new CliError(`guest: unknown action '${action}' (fetch or path)`);
  let dir = defaultGuestDir(process.env, homedir());
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === "--dir" || a.startsWith("--dir=")) {
      const value = a === "--dir" ? rest[++i] : a.slice("--dir=".length);
      if (!value) throw new CliError("guest: --dir needs a directory");
      dir = value;
    } else throw new CliError(`guest: unknown option '${a}'`);
  }
  return { action, dir: resolve(dir) };
}

export const guestCommand: Command = {
  name: "guest",
  summary: "fetch Debian's ARM kernel and BusyBox and build the guest's initramfs",
  usage: "tskvm guest fetch|path [--dir DIR]",
  help: [
    "",
    "actions:",
    "  fetch       apt-get download linux-image-armmp:armhf and busybox-static:armhf (private apt",
    "              state: the host's dpkg architectures are not changed), unpack them with dpkg-deb,",
    "              write DIR/vmlinuz, DIR/initrd.img and DIR/manifest.json",
    "  path        print DIR and whether a guest is there",
    "",
    "options:",
    "  --dir DIR   default $TSKVM_GUEST_DIR, else $XDG_CACHE_HOME/tskvm/guest, else ~/.cache/tskvm/guest",
    "",
  ].join("\n"),
  async run(args) {
    const { action, dir } = parse(args);
    if (action === "path") {
      process.stdout.write(`${dir}${existingGuest(dir) ? "" : " (no guest yet: run tskvm guest fetch)"}\n`);
      return 0;
    }
    try {
      const { files, manifest } = fetchGuest({ dir, log: (line) => process.stderr.write(`guest: ${line}\n`) });
      process.stdout.write(
        [
          `kernel   ${manifest.kernel.package} ${manifest.kernel.version} (${manifest.kernel.release})`,
          `busybox  ${manifest.busybox.package} ${manifest.busybox.version}, ${manifest.busybox.applets} applets`,
          `modules  ${manifest.modules.length} (${manifest.modules.map((m) => m.replace(/^.*\//, "").replace(/\.ko$/, "")).join(" ")})`,
          `vmlinuz  ${files.vmlinuz}`,
          `initrd   ${files.initrd}`,
          `manifest ${files.manifest}`,
          "",
        ].join("\n"),
      );
      return 0;
    } catch (err) {
      if (err instanceof GuestFetchError || err instanceof BusyboxAppletsError) throw new CliError(`guest fetch: ${err.message}`, 1);
      // The directory cannot be made or written (EACCES, EROFS, ENOTDIR, ENOSPC…): the user's to fix.
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
        throw new CliError(`guest fetch: cannot use '${dir}': ${(err as Error).message}`, 1);
      }
      throw err;
    }
  },
};
