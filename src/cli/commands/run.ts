/**
 * `tskvm run`: boots a guest on the `virt` board (src/vmm/virt-vmm.ts) with the console on
 * stdin/stdout — like `qemu-system-arm -M virt -nographic -kernel … -initrd … -append …`.
 * Exit status: 0 when the guest powers off (PSCI SYSTEM_OFF), resets with --no-reboot, or the user
 * quits with Ctrl-A X; 1 when the guest crashes or the VM fails; 2 for a usage mistake.
 */
import { defaultGuestDir, existingGuest } from "../../vmm/guest/fetch.js";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createHost } from "../../kvm/index.js";
import { VIRT_MAX_CPUS, VIRT_MAX_RAM_BYTES } from "../../vmm/machine.js";
import { CPU_TARGETS, VmmError, type CpuModel } from "../../vmm/vmm.js";
import { loaderPlacement, VirtVmm, type VirtDisk } from "../../vmm/virt-vmm.js";
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

function parseMem(v: string): number {
  const m = /^(\d+)([MG]?)$/i.exec(v);
  const n = m ? Number(m[1]) * (m[2]!.toUpperCase() === "G" ? 1024 : 1) : NaN;
  if (!m || !Number.isSafeInteger(n) || n <= 0) throw new CliError(`--mem: '${v}' is not a size in MiB`);
  if (n * 0x100000 > VIRT_MAX_RAM_BYTES) throw new CliError(`--mem: ${n} MiB is more than the ${VIRT_MAX_RAM_BYTES >> 20} MiB the virt board has below 4 GiB`);
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

function readInput(what: string, path: string): Uint8Array {
  if (!existsSync(path)) throw new CliError(`${what}: '${path}' does not exist`);
  if (!statSync(path).isFile()) throw new CliError(`${what}: '${path}' is not a file`);
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
  --dtb FILE           use this device tree instead of the generated one
  --mem MiB            guest RAM in MiB (default 256; 'M'/'G' suffixes accepted)
  --cpus N             number of vCPUs (default 1, at most 8)
  --cpu MODEL[,MODEL…] cortex-a15 (default) or cortex-a7; a list gives each vCPU its model
  --disk FILE[,readonly]  a raw disk image as virtio-blk (repeatable)
  --dump-dtb FILE      write the generated device tree blob to FILE and exit
  --no-reboot          exit when the guest resets instead of rebooting

Console: the guest's ttyAMA0 on stdin/stdout. On a terminal: Ctrl-A X quits, Ctrl-A Ctrl-A sends Ctrl-A.
`;

export const runCommand: Command = {
  name: "run",
  summary: "boot an ARM Linux kernel (or bare-metal ELF) on the virt board",
  usage: "tskvm run [--kernel FILE] [--initrd FILE] [--append TEXT] [--mem MiB] [--cpus N] [--cpu MODEL] [--disk FILE[,readonly]] …",
  help: HELP,
  run: async (args) => {
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
    for (const d of o.disks) readInput("--disk", d.path);

    let console: HostConsole | undefined;
    let placedDtb: Uint8Array | undefined;
    let machine: VirtVmm;
    try {
      machine = new VirtVmm(createHost(), {
        memBytes: o.memMiB * 0x100000,
        cpus: o.cpus,
        kernel,
        initrd,
        append: o.append,
        dtb,
        disks: o.disks,
        noReboot: o.noReboot,
        place: (req) => loaderPlacement({ ...req, dtb: (range) => (placedDtb = req.dtb(range)) }),
        transmit: (byte) => console!.writeByte(byte),
      });
    } catch (e) {
      throw new CliError(e instanceof VmmError || e instanceof Error ? e.message : String(e), 1);
    }
    if (o.dumpDtb !== undefined) {
      machine.close();
      try {
        writeFileSync(o.dumpDtb, placedDtb!);
      } catch (e) {
        throw new CliError(`--dump-dtb: cannot write '${o.dumpDtb}': ${(e as Error).message}`, 1);
      }
      return 0;
    }
    console = new HostConsole(
      { stdin: process.stdin, stdout: process.stdout },
      { input: (bytes) => machine.input(bytes), quit: () => machine.stop() },
    );
    console.start();
    try {
      const exit = await machine.run();
      console.restore();
      switch (exit.kind) {
        case "shutdown": return 0;
        case "stopped": return 0;
        case "reset":
          process.stderr.write("tskvm: guest reset (--no-reboot): exiting\n");
          return 0;
        case "crash":
          process.stderr.write(`tskvm: guest reported a crash (PSCI SYSTEM_EVENT_CRASH on vCPU ${exit.vcpu})\n`);
          return 1;
        case "error":
          process.stderr.write(`tskvm: ${exit.message}\n`);
          return 1;
      }
    } finally {
      console.restore();
      machine.close();
    }
  },
};
