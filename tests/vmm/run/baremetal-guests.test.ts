/**
 * "Our own bare-metal test guests built for QEMU's virt board boot unchanged under `tskvm run`"
 * (issue #7): every guest variant of guests/baremetal/ — the ones tests/arch/arm/system/baremetal
 * proves against qemu-system-arm — runs on the virt machine the CLI builds (VirtVmm: the public KVM
 * API, the in-kernel GICv2 and timer, PL011 at 0x09000000, PSCI SYSTEM_OFF ends the run), not on the
 * core's test bus. A pass is the guests' own verdict: every check `ok`, `EXIT 0`, then SYSTEM_OFF.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHost } from "../../../src/kvm/index.js";
import { VirtVmm } from "../../../src/vmm/virt-vmm.js";
import { crossCompilerVersion } from "../../arch/arm/differential/cross-toolchain.js";
import { buildBareMetal, listGuestVariants } from "../../arch/arm/system/baremetal/guest-build.js";
import { describe, parseGuestOutput, passed } from "../../arch/arm/system/baremetal/result.js";

const noCross = crossCompilerVersion() ? false : "arm-linux-gnueabihf-gcc not installed";

const cases = listGuestVariants();

for (const c of cases) {
  test(`${c.id} boots under tskvm run's virt machine`, { skip: noCross }, async () => {
    const { elf } = await buildBareMetal(c.name, c.isa);
    let text = "";
    const machine: VirtVmm = new VirtVmm(createHost(), {
      memBytes: 256 << 20,
      cpus: ["cortex-a15"],
      kernel: readFileSync(elf),
      noReboot: true,
      transmit: (b) => {
        text += String.fromCharCode(b);
      },
    });
    const guard = setTimeout(() => machine.stop(), 60_000);
    try {
      const exit = await machine.run();
      const r = parseGuestOutput(text, exit.kind === "shutdown" ? undefined : `run ended: ${JSON.stringify(exit)}`);
      assert.ok(passed(r), `${c.id} under tskvm run:\n${describe(r)}`);
    } finally {
      clearTimeout(guard);
      machine.close();
    }
  });
}
