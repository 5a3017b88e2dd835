/** `tskvm info`: the emulated host's answers, as printed, against reference kvm-arm32-abi.md §2. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

/** capability name -> [system fd answer, VM fd answer] from the printed table. */
function table(stdout: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const line of stdout.split("\n")) {
    const m = /^(KVM_CAP_\w+) \(\d+\)\s+(\S+)\s+(\S+)$/.exec(line);
    if (m) rows.set(m[1]!, [m[2]!, m[3]!]);
  }
  return rows;
}

test("ARM host: API version 12, 8192-byte vCPU mapping, §2.4 capability values", () => {
  const r = run("info", "--all");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^KVM_GET_API_VERSION: 12$/m);
  assert.match(r.stdout, /^KVM_GET_VCPU_MMAP_SIZE: 8192$/m);
  const t = table(r.stdout);
  assert.deepEqual(t.get("KVM_CAP_NR_MEMSLOTS"), ["32", "32"]);
  assert.deepEqual(t.get("KVM_CAP_IRQ_ROUTING"), ["4096", "4096"]);
  assert.deepEqual(t.get("KVM_CAP_ARM_PSCI_0_2"), ["1", "1"]);
  assert.deepEqual(t.get("KVM_CAP_MSI_DEVID"), ["EINVAL", "0"]);
  assert.deepEqual(t.get("KVM_CAP_ARM_VM_IPA_SIZE"), ["0", "0"]);
  assert.deepEqual(t.get("KVM_CAP_SET_GUEST_DEBUG"), ["0", "0"]);
});

test("without --all, capabilities the host lacks are left out", () => {
  const t = table(run("info").stdout);
  assert.equal(t.has("KVM_CAP_ARM_PSCI"), true);
  assert.equal(t.has("KVM_CAP_SET_GUEST_DEBUG"), false);
});

test("PowerPC host and a user's mistake", () => {
  const ppc = run("info", "--arch", "ppc");
  assert.equal(ppc.status, 0);
  assert.deepEqual(table(ppc.stdout).get("KVM_CAP_PPC_PAPR"), ["1", "1"]);
  const bad = run("info", "--arch", "x86");
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, "tskvm: --arch takes 'arm' or 'ppc', not 'x86'\n");
  assert.equal(run("info", "--bogus").stderr.split("\n").length, 2, "one line");
});
