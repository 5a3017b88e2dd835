/**
 * Module selection from depmod's files (modules.dep, modules.builtin, modules.softdep, modules.alias)
 * and modules.dep derived from .modinfo: insmod order puts every dependency first, each module once.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { moduleName, selectModules } from "../../../src/vmm/guest/modules.js";
import { depmodTree, readModinfo } from "../../../src/vmm/guest/modinfo.js";
import { fakeModule } from "./fake-module.js";

// A synthetic tree in depmod's format: each line lists the module's whole dependency closure.
const DEP = [
  "kernel/drivers/virtio/virtio_mmio.ko: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko",
  "kernel/drivers/virtio/virtio_ring.ko: kernel/drivers/virtio/virtio.ko",
  "kernel/drivers/virtio/virtio.ko:",
  "kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko",
  "kernel/drivers/char/hw_random/virtio-rng.ko: kernel/drivers/char/hw_random/rng-core.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko",
  "kernel/drivers/char/hw_random/rng-core.ko:",
  "kernel/fs/ext4/ext4.ko: kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko kernel/lib/crc16.ko",
  "kernel/fs/mbcache.ko:",
  "kernel/fs/jbd2/jbd2.ko:",
  "kernel/lib/crc16.ko:",
  "kernel/arch/arm/crypto/crc32-arm-ce.ko:",
  "kernel/crypto/crc32c_generic.ko:",
  "",
].join("\n");

test("insmod order: dependencies before dependents, shared ones once, names with '-' and '_' equal", () => {
  const sel = selectModules({ dep: DEP }, ["virtio_mmio", "virtio_blk", "virtio_rng"]);
  assert.deepEqual(sel.load, [
    "kernel/drivers/virtio/virtio.ko",
    "kernel/drivers/virtio/virtio_ring.ko",
    "kernel/drivers/virtio/virtio_mmio.ko",
    "kernel/drivers/block/virtio_blk.ko.xz",
    "kernel/drivers/char/hw_random/rng-core.ko",
    "kernel/drivers/char/hw_random/virtio-rng.ko",
  ]);
  assert.deepEqual(sel.builtin, []);
  assert.equal(moduleName("kernel/drivers/char/hw_random/virtio-rng.ko.zst"), "virtio_rng");
});

test("built-in modules are not loaded; soft 'pre:' dependencies via modules.alias prefer *_generic", () => {
  const sel = selectModules(
    {
      dep: DEP.split("\n").filter((l) => !l.includes("virtio_blk")).join("\n"),
      builtin: "kernel/drivers/virtio/virtio_blk.ko\n",
      softdep: "softdep ext4 pre: crc32c\n",
      alias: "alias crc32c crc32_arm_ce\nalias crc32c crc32c_generic\nalias crypto-crc32c crc32c_generic\n",
    },
    ["virtio_blk", "ext4"],
  );
  assert.deepEqual(sel.builtin, ["virtio_blk"]);
  // Soft dependencies first, then the hard ones in modules.dep's order, then the module.
  assert.deepEqual(sel.load, [
    "kernel/crypto/crc32c_generic.ko",
    "kernel/fs/mbcache.ko",
    "kernel/fs/jbd2/jbd2.ko",
    "kernel/lib/crc16.ko",
    "kernel/fs/ext4/ext4.ko",
  ]);
});

test("missing modules are errors unless optional; cycles are reported", () => {
  assert.throws(() => selectModules({ dep: DEP }, ["nope"]), /'nope' is neither in modules.dep nor in modules.builtin/);
  assert.deepEqual(selectModules({ dep: DEP }, ["nope"], ["nope"]).load, []);
  assert.throws(() => selectModules({ dep: "a.ko: b.ko\nb.ko: a.ko\n" }, ["a"]), /cycle a -> b -> a/);
  assert.throws(() => selectModules({ dep: "a.ko: b.ko\n" }, ["a"]), /'b' \(needed by a\)/);
});

test(".modinfo of an ELF32 object; depmodTree writes depmod's formats with full closures", () => {
  const objects: Record<string, Uint8Array> = {
    "kernel/drivers/virtio/virtio.ko": fakeModule(["license=GPL", "depends=", "name=virtio"]),
    "kernel/drivers/virtio/virtio_ring.ko": fakeModule(["depends=virtio", "name=virtio_ring"]),
    "kernel/drivers/virtio/virtio_mmio.ko": fakeModule(["alias=of:N*T*Cvirtio,mmio", "depends=virtio,virtio_ring"]),
    "kernel/fs/ext4/ext4.ko": fakeModule(["softdep=pre: crc32c", "depends=jbd2"]),
    "kernel/fs/jbd2/jbd2.ko": fakeModule(["depends="]),
    "kernel/crypto/crc32c_generic.ko": fakeModule(["alias=crc32c", "alias=crypto-crc32c", "depends="]),
  };
  assert.deepEqual(readModinfo(objects["kernel/fs/ext4/ext4.ko"]!), [["softdep", "pre: crc32c"], ["depends", "jbd2"]]);
  assert.throws(() => readModinfo(new Uint8Array(60)), /not an ELF/);
  const tree = depmodTree(Object.keys(objects), (p) => objects[p]!, "kernel/lib/crc16.ko\n");
  const depLines = tree.dep.trim().split("\n");
  assert.ok(depLines.includes("kernel/drivers/virtio/virtio_mmio.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko"));
  assert.ok(depLines.includes("kernel/drivers/virtio/virtio.ko:"));
  assert.match(tree.softdep!, /^softdep ext4 pre: crc32c$/m);
  assert.match(tree.alias!, /^alias crypto-crc32c crc32c_generic$/m);
  const sel = selectModules(tree, ["virtio_mmio", "ext4"]);
  assert.deepEqual(sel.load, [
    "kernel/drivers/virtio/virtio.ko",
    "kernel/drivers/virtio/virtio_ring.ko",
    "kernel/drivers/virtio/virtio_mmio.ko",
    "kernel/crypto/crc32c_generic.ko",
    "kernel/fs/jbd2/jbd2.ko",
    "kernel/fs/ext4/ext4.ko",
  ]);
  assert.throws(() => depmodTree(["a.ko"], () => fakeModule(["depends=ghost"])), /depends on 'ghost'/);
});
