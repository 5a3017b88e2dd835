/**
 * `tskvm run`: boots a guest on the `virt` board (src/vmm/virt-vmm.ts) with the console on
 * stdin/stdout — like `qemu-system-arm -M virt -nographic -kernel … -initrd … -append …`.
 * Exit status (docs/run.md): 0 when the guest powers off (PSCI SYSTEM_OFF), resets with --no-reboot,
 * or the user quits with Ctrl-A X; 1 when the guest crashes or the VM fails; 2 for a usage mistake;
 * 3 when the guest's Linux kernel panics for good (its final "end Kernel panic" line).
 */
import { defaultGuestDir, existingGuest } from "../../vmm/guest/fetch.js";
import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createHost } from "../../kvm/index.js";
import { VIRT_MAX_CPUS, VIRT_MAX_RAM_BYTES } from "../../vmm/machine.js";
import { CPU_TARGETS, VmmError, type CpuModel } from "../../vmm/vmm.js";
import { linuxHalted, linuxPanicReason, loaderPlacement, virtUserDtb, VirtVmm, type VirtDisk } from "../../vmm/virt-vmm.js";
import { FdtFormatError } from "../../vmm/fdt/parse.js";
import { LoaderError } from "../../vmm/loader/guest-ram.js";
import { HostConsole } from "../console.js";
import { CliError, type Command } from "../command.js";

export interface RunOptions {
  kernel?: string;
  initrd?: string;
  append?: string;
  dtb?: string;
  memMiB: number;
  cpus: CpuModel[];
  disks: VirtDisk[];
  dumpDtb?: string;
  noReboot: boolean;
}

const CPU_MODELS = Object.keys(CPU_TARGETS) as CpuModel[];

/** Exit statuses of `tskvm run` (also in HELP and docs/run.md). */
export const RUN_EXIT = { ok: 0, failed: 1, usage: 2, guestPanic: 3 } as const;

function parseMem(v: string): number {
  const m = /^(\d+)([MG]?)$/i.exec(v);
  const n = m ? Number(m[1]) * (m[2]!.toUpperCase() === "G" ? 1024 : 1) : NaN;
  if (!m || !Number.isSafeInteger(n) || n <= 0) throw new CliError(`--mem: '${v}' is not a size in MiB`);
  if (n * 0x100000 > VIRT_MAX_RAM_BYTES) throw new CliError(`--mem: ${n} MiB is more than the ${VIRT_MAX_RAM_BYTES / 0x100000} MiB the virt board has below 4 GiB`);
  return n;
}

/** Parses `tskvm run` arguments; every mistake is one CliError line. */
export function parseRunArgs(args: readonly string[]): RunOptions {
  const o: RunOptions = { memMiB: 256, cpus: [], disks: [], noReboot: false };
  let nCpus: number | undefined;
  let models: CpuModel[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const takesValue = ["--kernel", "--initrd", "--append", "--dtb", "--mem", "--cpus", "--cpu", "--disk", "--dump-dtb"].includes(name);
    let value: string | undefined;
    if (takesValue) {
      value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new CliError(`${name} needs a value (try 'tskvm run --help')`);
    } else if (eq > 0) throw new CliError(`${name} takes no value`);
    switch (name) {
      case "--kernel": o.kernel = value; break;
      case "--initrd": o.initrd = value; break;
      case "--append": o.append = value; break;
      case "--dtb": o.dtb = value; break;
      case "--dump-dtb": o.dumpDtb = value; break;
      case "--mem": o.memMiB = parseMem(value!); break;
      case "--cpus": {
        const n = /^\d+$/.test(value!) ? Number(value) : NaN;
        if (!(n >= 1 && n <= VIRT_MAX_CPUS)) throw new CliError(`--cpus: '${value}' is not a CPU count from 1 to ${VIRT_MAX_CPUS}`);
        nCpus = n;
        break;
      }
      case "--cpu": {
        const list = value!.split(",");
        for (const m of list) {
          if (!CPU_MODELS.includes(m as CpuModel)) throw new CliError(`--cpu: '${m}' is not a CPU model (${CPU_MODELS.join(", ")})`);
        }
        models = list as CpuModel[];
        break;
      }
      case "--disk": {
        const [path, ...flags] = value!.split(",");
        for (const f of flags) if (f !== "readonly") throw new CliError(`--disk: unknown flag '${f}' (only 'readonly')`);
        if (!path) throw new CliError("--disk needs a file name");
        o.disks.push({ path, readOnly: flags.includes("readonly") });
        break;
      }
      case "--no-reboot": o.noReboot = true; break;
      default:
        throw new CliError(a.startsWith("-") ? `run: unknown option '${a}' (try 'tskvm run --help')` : `run: unexpected argument '${a}'`);
    }
  }
  // --cpu with one model applies to every vCPU; a list gives each vCPU its model (big.LITTLE).
  const count = nCpus ?? (models && models.length > 1 ? models.length : 1);
  if (models && models.length > 1 && models.length !== count) {
    throw new CliError(`--cpu lists ${models.length} models but --cpus is ${count}`);
  }
  o.cpus = Array.from({ length: count }, (_, i) => (models ? models[models.length > 1 ? i : 0]! : "cortex-a15"));
  return o;
}

/** The guest `tskvm guest fetch` leaves (its directory rule lives with the fetcher). */
function fetchedGuest(): { dir: string; vmlinuz?: string; initrd?: string } {
  const dir = defaultGuestDir(process.env, homedir());
  const files = existingGuest(dir);
  return files ? { dir, vmlinuz: files.vmlinuz, initrd: files.initrd } : { dir };
}

/** The user's file exists and is a regular file (one line otherwise). */
function checkInput(what: string, path: string): void {
  if (!existsSync(path)) throw new CliError(`${what}: '${path}' does not exist`);
  if (!statSync(path).isFile()) throw new CliError(`${what}: '${path}' is not a file`);
}

function readInput(what: string, path: string): Uint8Array {
  checkInput(what, path);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError(`${what}: cannot read '${path}': ${(e as Error).message}`);
  }
}

const HELP = `
  --kernel FILE        ELF, uImage, zImage or raw image (default: the guest 'tskvm guest fetch' made)
  --initrd FILE        initial ramdisk
  --append TEXT        kernel command line (e.g. "console=ttyAMA0")
  --dtb FILE           use this device tree instead of the generated one; as QEMU's -dtb, its
                       /memory is set to the RAM given, /chosen gets bootargs (--append) and the
                       initrd range, and /psci is added if it has none
  --mem MiB            guest RAM in MiB (default 256; 'M'/'G' suffixes accepted)
  --cpus N             number of vCPUs (default 1, at most 8)
  --cpu MODEL[,MODEL…] cortex-a15 (default) or cortex-a7; a list gives each vCPU its model
  --disk FILE[,readonly]  a raw disk image as virtio-blk (repeatable)
  --dump-dtb FILE      write the device tree blob the guest would get (generated, or --dtb patched)
                       to FILE and exit
  --no-reboot          exit when the guest resets instead of rebooting

Console: the guest's ttyAMA0 on stdin/stdout. On a terminal: Ctrl-A X quits, Ctrl-A Ctrl-A sends Ctrl-A.

Exit status:
  0  the guest powered off, halted, reset with --no-reboot, or Ctrl-A X quit
  1  the guest reported a crash (PSCI), or the VM could not continue
  2  a usage mistake (bad option, missing or unusable file)
  3  the guest's Linux kernel panicked and will not reboot: tskvm saw its final
     "---[ end Kernel panic - not syncing: <reason> ]---" line on the console
`;

export const runCommand: Command = {
  name: "run",
  summary: "boot an ARM Linux kernel (or bare-metal ELF) on the virt board",
  usage: "tskvm run [--kernel FILE] [--initrd FILE] [--append TEXT] [--mem MiB] [--cpus N] [--cpu MODEL] [--disk FILE[,readonly]] …",
  help: HELP,
  run: async (args) => {
    // --help anywhere (main.ts answers a leading one): the same text, status 0.
    if (args.some((a) => a === "--help" || a === "-h")) {
      process.stdout.write(`usage: ${runCommand.usage}\n\n${runCommand.summary}\n${HELP}`);
      return RUN_EXIT.ok;
    }
    const o = parseRunArgs(args);
    if (o.kernel === undefined) {
      const guest = fetchedGuest();
      if (!guest.vmlinuz) throw new CliError(`no --kernel given and no Debian guest in ${guest.dir}: run 'tskvm guest fetch' first`);
      o.kernel = guest.vmlinuz;
      o.initrd ??= guest.initrd;
      o.append ??= "console=ttyAMA0";
    }
    const kernel = readInput("--kernel", o.kernel);
    const initrd = o.initrd !== undefined ? readInput("--initrd", o.initrd) : undefined;
    const dtb = o.dtb !== undefined ? readInput("--dtb", o.dtb) : undefined;
    const memBytes = o.memMiB * 0x100000;
    if (dtb !== undefined) {
      // Refuse a corrupt or unusable blob now, in one line, rather than when the guest is placed.
      try {
        virtUserDtb(dtb, { memBytes, append: o.append });
      } catch (e) {
        if (e instanceof FdtFormatError) throw new CliError(`--dtb: '${o.dtb}' is not a usable device tree blob: ${e.message}`);
        throw e;
      }
    }
    for (const d of o.disks) {
      checkInput("--disk", d.path); // opened (not read) by virtio-blk
      if (d.readOnly) continue;
      try {
        accessSync(d.path, constants.W_OK);
      } catch (e) {
        throw new CliError(`--disk: '${d.path}' is not writable (${(e as NodeJS.ErrnoException).code}); add ',readonly' to use it read-only`);
      }
    }

    let console: HostConsole | undefined;
    let placedDtb: Uint8Array | undefined;
    let panicReason: string | undefined;
    let halted = false;
    let loadError: unknown;
    let machine: VirtVmm;
    try {
      machine = new VirtVmm(createHost(), {
        memBytes,
        cpus: o.cpus,
        kernel,
        initrd,
        append: o.append,
        dtb,
        disks: o.disks,
        noReboot: o.noReboot,
        place: (req) => {
          try {
            return loaderPlacement({ ...req, dtb: (range) => (placedDtb = req.dtb(range)) });
          } catch (e) {
            loadError = e;
            throw e;
          }
        },
        transmit: (byte) => console!.writeByte(byte),
        // Debian's kernel has no pvpanic and panics with panic_timeout 0: it would spin forever.
        onConsoleLine: (line) => {
          const reason = linuxPanicReason(line);
          if (reason !== undefined && panicReason === undefined) {
            panicReason = reason;
            machine.stop();
          }
          // After `halt` arm Linux spins with interrupts masked: nothing more can happen.
          if (linuxHalted(line) && !halted) {
            halted = true;
            machine.stop();
          }
        },
      });
    } catch (e) {
      // The images do not fit the RAM given, or a disk cannot be opened: the user's to fix.
      if (loadError instanceof LoaderError) throw new CliError(e instanceof Error ? e.message : String(e));
      // The emulated 32-bit host has a 3 GiB user address space: less than the board's RAM window.
      if (e instanceof VmmError && /^mmap of \d+ MiB guest RAM failed/.test(e.message)) {
        throw new CliError(`--mem: the host cannot map ${o.memMiB} MiB of guest RAM (${e.message}); give less memory`);
      }
      throw new CliError(e instanceof VmmError || e instanceof Error ? e.message : String(e), RUN_EXIT.failed);
    }
    if (o.dumpDtb !== undefined) {
      machine.close();
      try {
        writeFileSync(o.dumpDtb, placedDtb!);
      } catch (e) {
        throw new CliError(`--dump-dtb: cannot write '${o.dumpDtb}': ${(e as Error).message}`, RUN_EXIT.failed);
      }
      return RUN_EXIT.ok;
    }
    console = new HostConsole(
      { stdin: process.stdin, stdout: process.stdout },
      { input: (bytes) => machine.input(bytes), quit: () => machine.stop() },
    );
    console.start();
    try {
      const exit = await machine.run();
      console.restore();
      if (panicReason !== undefined) {
        process.stderr.write(`tskvm: the guest kernel panicked: ${panicReason}\n`);
        return RUN_EXIT.guestPanic;
      }
      if (halted) {
        process.stderr.write("tskvm: the guest halted (Linux's \"reboot: System halted\"): exiting\n");
        return RUN_EXIT.ok;
      }
      switch (exit.kind) {
        case "shutdown": return RUN_EXIT.ok;
        case "stopped": return RUN_EXIT.ok;
        case "reset":
          process.stderr.write("tskvm: guest reset (--no-reboot): exiting\n");
          return RUN_EXIT.ok;
        case "crash":
          process.stderr.write(`tskvm: guest reported a crash (PSCI SYSTEM_EVENT_CRASH on vCPU ${exit.vcpu})\n`);
          return RUN_EXIT.failed;
        case "error":
          process.stderr.write(`tskvm: ${exit.message}\n`);
          return RUN_EXIT.failed;
      }
    } finally {
      console.restore();
      machine.close();
    }
  },
};
