/**
 * `tskvm info`: what the emulated kernel offers, asked the way any VMM asks /dev/kvm — through the
 * public API only (open, KVM_GET_API_VERSION, KVM_CHECK_EXTENSION on the system and a VM fd,
 * KVM_GET_VCPU_MMAP_SIZE). Like `kvm-ok` or QEMU's `-accel help`, for tskvm's kernel.
 */
import { CAPABILITY_NAMES } from "../../abi/capabilities.js";
import { createHost } from "../../kvm/index.js";
import { Kvm } from "../../facade/index.js";
import { CliError, type Command } from "../command.js";

function parse(args: string[]): { arch: "arm" | "ppc"; all: boolean } {
  let arch: "arm" | "ppc" = "arm";
  let all = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--arch") {
      const v = args[++i];
      if (v !== "arm" && v !== "ppc") throw new CliError(`--arch takes 'arm' or 'ppc', not '${v ?? ""}'`);
      arch = v;
    } else if (a === "--all") all = true;
    else throw new CliError(`info: unknown option '${a}' (try 'tskvm info --help')`);
  }
  return { arch, all };
}

export const infoCommand: Command = {
  name: "info",
  summary: "show the emulated KVM host: API version, capabilities, vCPU mmap size",
  usage: "tskvm info [--arch arm|ppc] [--all]",
  help: "\n  --arch arm|ppc  the host the emulated kernel pretends to be (default arm)\n  --all           also list capabilities the host does not have (value 0)\n",
  run: async (args) => {
    const { arch, all } = parse(args);
    const kvm = Kvm.open(createHost({ arch }));
    const vm = kvm.createVm();
    const lines = [
      `emulated host: ${arch === "arm" ? "32-bit ARM (KVM/ARM, Cortex-A15)" : "64-bit PowerPC (Book3S PR)"}`,
      `KVM_GET_API_VERSION: ${kvm.getApiVersion()}`,
      `KVM_GET_VCPU_MMAP_SIZE: ${kvm.getVcpuMmapSize()}`,
      "capability                               /dev/kvm   VM fd",
    ];
    for (const [num, name] of [...CAPABILITY_NAMES].sort((a, b) => a[0] - b[0])) {
      const sys = answer(() => kvm.checkExtension(num));
      const onVm = answer(() => vm.checkExtension(num));
      if (!all && sys === "0" && onVm === "0") continue;
      lines.push(`${`${name} (${num})`.padEnd(40)} ${sys.padStart(8)} ${onVm.padStart(7)}`);
    }
    vm.close();
    kvm.close();
    process.stdout.write(lines.join("\n") + "\n");
    return 0;
  },
};

/** A capability's value, or the errno code the kernel answered with (e.g. MSI_DEVID on /dev/kvm). */
function answer(ask: () => number): string {
  try {
    return String(ask());
  } catch (e) {
    return (e as { code?: string }).code ?? "error";
  }
}
