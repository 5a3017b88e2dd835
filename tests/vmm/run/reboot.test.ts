// PSCI SYSTEM_RESET without noReboot: the VMM re-INITs every vCPU, reloads the images and the guest
// boots again from its entry (it prints its banner once per boot); stop() ends the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createHost } from "../../../src/kvm/index.js";
import { VirtVmm } from "../../../src/vmm/virt-vmm.js";
import { crossCompilerVersion } from "../../arch/arm/differential/cross-toolchain.js";
import { buildKvmGuest } from "../../kvm/arm/guests/guest-build.js";

const noCross = crossCompilerVersion() ? false : "arm-linux-gnueabihf-gcc not installed";

test("sysreset guest reboots until stopped; each boot starts from fresh images", { skip: noCross }, async () => {
  const kernel = readFileSync(await buildKvmGuest("sysreset"));
  let out = "";
  const machine: VirtVmm = new VirtVmm(createHost(), {
    memBytes: 32 << 20,
    cpus: ["cortex-a15", "cortex-a15"],
    kernel,
    transmit: (b) => {
      out += String.fromCharCode(b);
      if (b === 0x0a && out.split("ok psci version major\n").length - 1 === 3) machine.stop();
    },
  });
  try {
    const exit = await machine.run();
    assert.deepEqual(exit, { kind: "stopped" });
    assert.equal(machine.vmm.reboots >= 2, true);
    assert.equal(out.match(/^# sysreset$/gm)?.length, 3);
    assert.equal(out.match(/^ok psci version major$/gm)?.length, 3);
    assert.doesNotMatch(out, /^FAIL/m);
  } finally {
    machine.close();
  }
});

test("sysreset guest with noReboot ends the run with the reset", { skip: noCross }, async () => {
  const kernel = readFileSync(await buildKvmGuest("sysreset"));
  const machine = new VirtVmm(createHost(), { memBytes: 32 << 20, cpus: ["cortex-a15"], kernel, noReboot: true, transmit: () => {} });
  try {
    assert.deepEqual(await machine.run(), { kind: "reset", vcpu: 0 });
    assert.equal(machine.vmm.reboots, 0);
  } finally {
    machine.close();
  }
});
