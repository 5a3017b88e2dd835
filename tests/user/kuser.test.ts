import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AddressSpace } from "../../src/user/address-space.js";
import { KUSER_HELPER_VERSION_ADDR, kuserPage, mapKuserPage } from "../../src/user/kuser.js";
import { scratchDir } from "./toolchain.js";

const hasObjdump = spawnSync("arm-linux-gnueabihf-objdump", ["--version"]).status === 0;

/** The page disassembled by binutils: address → mnemonic and operands. */
function disassemble(): Map<number, string> {
  const file = join(scratchDir, "kuser.bin");
  writeFileSync(file, kuserPage());
  const text = execFileSync("arm-linux-gnueabihf-objdump", ["-D", "-b", "binary", "-marm", "--adjust-vma=0xffff0000", file], { encoding: "utf8" });
  const out = new Map<number, string>();
  for (const m of text.matchAll(/^(ffff[0-9a-f]{4}):\s+[0-9a-f]{8}\s+(.*?)\s*(?:@.*)?$/gm)) out.set(parseInt(m[1], 16), m[2].replace(/\s+/g, " "));
  return out;
}

test("helper version is 5 (cmpxchg64 available) and the page is read+exec only", () => {
  const space = new AddressSpace();
  mapKuserPage(space);
  assert.equal(space.readU32(KUSER_HELPER_VERSION_ADDR), 5);
  assert.equal(space.protectionAt(0xffff0000), 1 | 4);
  assert.equal(space.write(0xffff0fe0, new Uint8Array(4)), false);
});

test("helpers are the documented routines at their fixed addresses", { skip: !hasObjdump }, () => {
  const d = disassemble();
  // __kuser_get_tls: TPIDRURO is CP15 c13, c0, 3
  assert.equal(d.get(0xffff0fe0), "mrc 15, 0, r0, cr13, cr0, {3}");
  assert.equal(d.get(0xffff0fe4), "bx lr");
  // __kuser_memory_barrier
  assert.equal(d.get(0xffff0fa0), "dmb ish");
  assert.equal(d.get(0xffff0fa4), "bx lr");
  // __kuser_cmpxchg: an exclusive load/store loop on [r2], ends through the barrier
  assert.equal(d.get(0xffff0fc4), "ldrex r3, [r2]");
  assert.equal(d.get(0xffff0fcc), "strexeq r3, r1, [r2]");
  assert.equal(d.get(0xffff0fd4), "beq 0xffff0fc4");
  assert.equal(d.get(0xffff0fdc), "b 0xffff0fa0");
  // __kuser_cmpxchg64: preserves r1 (only r3, lr, flags may be clobbered) around ldrexd/strexd
  assert.equal(d.get(0xffff0f64), "push {r1, r4, r5, r6, r7}");
  assert.equal(d.get(0xffff0f70), "ldrexd r0, [r2]");
  assert.equal(d.get(0xffff0f7c), "strexdeq r3, r6, [r2]");
  assert.equal(d.get(0xffff0f84), "beq 0xffff0f70");
  assert.equal(d.get(0xffff0f88), "pop {r1, r4, r5, r6, r7}");
  assert.equal(d.get(0xffff0f94), "bx lr");
  assert.ok(d.get(0xffff0000)?.startsWith("udf"), "unused space traps");
});
