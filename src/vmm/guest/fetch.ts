/**
 * `tskvm guest fetch`: Debian's armmp kernel and static BusyBox for armhf, and an initramfs of ours.
 *
 * In `dir` (see docs/guest.md):
 *   vmlinuz          the kernel's zImage (boot/vmlinuz-<release> from linux-image-<abi>-armmp)
 *   initrd.img       gzip'd newc cpio: BusyBox, /init, the virtio-mmio/blk/rng (+ ext4) modules
 *   manifest.json    packages and versions, kernel release, modules, sizes and SHA-256 of both files
 *   apt/ debs/ kernel/ busybox/   apt's private state, the .debs and their unpacked trees
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { busyboxApplets } from "./busybox-applets.js";
import { DebianArchive, GuestFetchError, HOST_TOOLS, type DebianTools } from "./debian-archive.js";
import { depmodTree, ModinfoError, moduleFiles } from "./modinfo.js";
import { buildInitramfs, type InitramfsModule } from "./initramfs.js";
import { GUEST_MODULES, OPTIONAL_GUEST_MODULES, ModuleSelectionError, moduleName, parseModulesDep, selectModules, type ModuleTree } from "./modules.js";

export const KERNEL_META_PACKAGE = "linux-image-armmp:armhf";
export const BUSYBOX_PACKAGE = "busybox-static:armhf";

export interface GuestFiles {
  readonly dir: string;
  readonly vmlinuz: string;
  readonly initrd: string;
  readonly manifest: string;
}

export interface GuestManifest {
  readonly createdBy: "tskvm guest fetch";
  readonly kernel: { readonly package: string; readonly version: string; readonly release: string };
  readonly busybox: { readonly package: string; readonly version: string; readonly applets: number };
  /** Paths under /lib/modules/<release>, in the order /init loads them. */
  readonly modules: readonly string[];
  readonly builtinModules: readonly string[];
  readonly files: Readonly<Record<"vmlinuz" | "initrd.img", { readonly size: number; readonly sha256: string }>>;
}

export interface FetchOptions {
  readonly dir: string;
  readonly tools?: DebianTools;
  /** Command for .ko.xz modules (Debian's xz-utils). */
  readonly xz?: string;
  /** Progress lines ("downloading ..."). */
  readonly log?: (line: string) => void;
}

/** Where the guest lives unless `--dir` says otherwise: $TSKVM_GUEST_DIR, else $XDG_CACHE_HOME/tskvm/guest, else ~/.cache/tskvm/guest. */
export function defaultGuestDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  if (env.TSKVM_GUEST_DIR) return env.TSKVM_GUEST_DIR;
  return join(env.XDG_CACHE_HOME || join(home, ".cache"), "tskvm", "guest");
}

export function guestFiles(dir: string): GuestFiles {
  return { dir, vmlinuz: join(dir, "vmlinuz"), initrd: join(dir, "initrd.img"), manifest: join(dir, "manifest.json") };
}

/** The guest in `dir` when its three outputs exist (what `tskvm run` checks before fetching). */
export function existingGuest(dir: string): GuestFiles | null {
  const files = guestFiles(dir);
  return existsSync(files.vmlinuz) && existsSync(files.initrd) && existsSync(files.manifest) ? files : null;
}

/** A module's object, decompressed: .ko as is, .ko.gz with zlib, .ko.xz and .ko.zst with xz/zstd. */
export function moduleObject(file: string, xz = "xz"): Uint8Array {
  if (file.endsWith(".ko")) return readFileSync(file);
  if (file.endsWith(".ko.gz")) return gunzipSync(readFileSync(file));
  const tool = file.endsWith(".ko.xz") ? xz : file.endsWith(".ko.zst") ? "zstd" : null;
  if (tool === null) throw new GuestFetchError(`${file}: not a kernel module (.ko, .ko.xz, .ko.zst, .ko.gz)`);
  const r = spawnSync(tool, ["-dc", file], { maxBuffer: 256 << 20 });
  if (r.error) throw new GuestFetchError(`${tool} is needed to decompress ${file}: ${r.error.message}`);
  if (r.status !== 0) throw new GuestFetchError(`${tool} -dc ${file} failed: ${r.stderr.toString().trim()}`);
  return new Uint8Array(r.stdout);
}

/** The kernel release and its module directory in an unpacked linux-image package. */
export function kernelTree(root: string): { release: string; vmlinuz: string; modules: string } {
  const boot = join(root, "boot");
  const images = existsSync(boot) ? readdirSync(boot).filter((f) => f.startsWith("vmlinuz-")) : [];
  if (images.length !== 1) throw new GuestFetchError(`expected one boot/vmlinuz-* in the kernel package, found ${images.length}`);
  const release = images[0]!.slice("vmlinuz-".length);
  const modules = [join(root, "lib", "modules", release), join(root, "usr", "lib", "modules", release)].find((d) => existsSync(d));
  if (!modules) throw new GuestFetchError(`the kernel package has no lib/modules/${release}`);
  return { release, vmlinuz: join(boot, images[0]!), modules };
}

function optionalText(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * depmod's view of a module directory: its own modules.dep/softdep/alias when present (an installed
 * tree), else the same derived from each module's .modinfo (a freshly unpacked package has none).
 */
export function moduleTree(dir: string, xz?: string): ModuleTree {
  const builtin = optionalText(join(dir, "modules.builtin"));
  if (existsSync(join(dir, "modules.dep"))) {
    return {
      dep: readFileSync(join(dir, "modules.dep"), "utf8"),
      builtin,
      softdep: optionalText(join(dir, "modules.softdep")),
      alias: optionalText(join(dir, "modules.alias")),
    };
  }
  try {
    return depmodTree(moduleFiles(dir), (p) => moduleObject(join(dir, p), xz), builtin);
  } catch (err) {
    if (err instanceof ModinfoError) throw new GuestFetchError(`${dir}: ${err.message}`);
    throw err;
  }
}

/** Downloads, unpacks and builds; returns the paths. Replaces an existing guest in `dir`. */
export function fetchGuest(options: FetchOptions): { files: GuestFiles; manifest: GuestManifest } {
  const { dir } = options;
  const log = options.log ?? (() => {});
  const archive = new DebianArchive(join(dir, "apt"), options.tools ?? HOST_TOOLS);
  log(`updating the armhf package index (private apt state in ${join(dir, "apt")})`);
  archive.update();
  const kernelPackage = archive.resolveKernelPackage(KERNEL_META_PACKAGE);
  log(`downloading ${kernelPackage} (${KERNEL_META_PACKAGE}) and ${BUSYBOX_PACKAGE}`);
  const kernelDeb = archive.download(kernelPackage, join(dir, "debs"));
  const busyboxDeb = archive.download(BUSYBOX_PACKAGE, join(dir, "debs"));
  const kernelVersion = archive.packageVersion(kernelDeb);
  const busyboxVersion = archive.packageVersion(busyboxDeb);

  log("unpacking with dpkg-deb -x");
  const kernelRoot = join(dir, "kernel", kernelVersion.version);
  const busyboxRoot = join(dir, "busybox", busyboxVersion.version);
  archive.extract(kernelDeb, kernelRoot);
  archive.extract(busyboxDeb, busyboxRoot);

  const kernel = kernelTree(kernelRoot);
  const busyboxPath = join(busyboxRoot, "bin", "busybox");
  if (!existsSync(busyboxPath)) throw new GuestFetchError(`${busyboxDeb} has no /bin/busybox`);
  const busybox = readFileSync(busyboxPath);
  const applets = busyboxApplets(busybox);

  const tree = moduleTree(kernel.modules, options.xz);
  let selection;
  try {
    selection = selectModules(tree, GUEST_MODULES, OPTIONAL_GUEST_MODULES);
  } catch (err) {
    if (err instanceof ModuleSelectionError) throw new GuestFetchError(`kernel ${kernel.release}: ${err.message}`);
    throw err;
  }
  const depOf = parseModulesDep(tree.dep);
  // Shipped uncompressed: BusyBox's insmod hands the file to init_module as it is.
  const unpacked = (p: string) => p.replace(/\.(xz|zst|gz)$/, "");
  const modules: InitramfsModule[] = selection.load.map((path) => ({
    path: unpacked(path),
    data: moduleObject(join(kernel.modules, path), options.xz),
    deps: (depOf.get(moduleName(path))?.depPaths ?? []).map(unpacked),
  }));
  log(`building initrd.img: BusyBox ${busyboxVersion.version} (${applets.length} applets), ${modules.length} modules`);
  const initrd = buildInitramfs({ busybox, applets, kernelRelease: kernel.release, modules });
  const vmlinuz = readFileSync(kernel.vmlinuz);

  const files = guestFiles(dir);
  const manifest: GuestManifest = {
    createdBy: "tskvm guest fetch",
    kernel: { package: kernelVersion.package, version: kernelVersion.version, release: kernel.release },
    busybox: { package: busyboxVersion.package, version: busyboxVersion.version, applets: applets.length },
    modules: modules.map((m) => m.path),
    builtinModules: selection.builtin,
    files: {
      vmlinuz: { size: vmlinuz.length, sha256: sha256(vmlinuz) },
      "initrd.img": { size: initrd.length, sha256: sha256(initrd) },
    },
  };
  // Written beside, then renamed: a guest in `dir` is either the old one or the complete new one.
  copyFileSync(kernel.vmlinuz, `${files.vmlinuz}.new`);
  writeFileSync(`${files.initrd}.new`, initrd);
  writeFileSync(`${files.manifest}.new`, JSON.stringify(manifest, null, 2) + "\n");
  renameSync(`${files.vmlinuz}.new`, files.vmlinuz);
  renameSync(`${files.initrd}.new`, files.initrd);
  renameSync(`${files.manifest}.new`, files.manifest);
  return { files, manifest };
}
