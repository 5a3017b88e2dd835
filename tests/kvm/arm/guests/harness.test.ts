/**
 * The harness's own pieces, independent of the kernel: the ELF loader and the mmio access-log checker
 * (it must accept exactly the program-order log the guest source implies, with 64-bit accesses whole
 * or split, and reject reordered, missing, extra and wrong-data accesses).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkMmioLog, MMIO_GUEST_GROUPS } from "./mmio-log.js";
import { loadElf, TESTDEV_MARK, type MmioAccess } from "./vmm.js";

function perfectLog(merge64: boolean): MmioAccess[] {
  const log: MmioAccess[] = [];
  for (const [mark, accesses] of Object.entries(MMIO_GUEST_GROUPS).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const m = Number(mark);
    log.push({ vcpu: 0, offset: TESTDEV_MARK, len: 4, isWrite: true, data: [m & 0xff, (m >> 8) & 0xff, 0, 0] });
    for (let i = 0; i < accesses.length; i++) {
      const [k, offset, len, data] = accesses[i]!;
      const next = accesses[i + 1];
      // LDRD/STRD/VLDR/VSTR pairs (two word accesses at 8-aligned offset, +4) may arrive as one 8-byte access
      if (merge64 && next && len === 4 && next[2] === 4 && next[0] === k && next[1] === offset + 4 && offset % 8 === 0 && [0x10, 0x40].includes(offset)) {
        log.push({ vcpu: 0, offset, len: 8, isWrite: k === "W", data: [...(data ?? [0, 0, 0, 0]), ...(next[3] ?? [0, 0, 0, 0])] });
        i++;
      } else log.push({ vcpu: 0, offset, len, isWrite: k === "W", data: data ? [...data] : new Array<number>(len).fill(0) });
    }
  }
  return log;
}

test("mmio log checker accepts the program-order log, 64-bit accesses whole or split", () => {
  assert.deepEqual(checkMmioLog(perfectLog(false)), []);
  assert.deepEqual(checkMmioLog(perfectLog(true)), []);
});

test("mmio log checker rejects reordered, missing, extra, wrong-data and foreign-vCPU accesses", () => {
  const base = perfectLog(false);
  const swapped = base.slice();
  const i = swapped.findIndex((a) => a.offset === 0x24 && a.isWrite);
  [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
  assert.ok(checkMmioLog(swapped).some((p) => p.startsWith("group 0x11")));
  const missing = base.filter((a) => !(a.offset === 0x51 && a.len === 1));
  assert.ok(checkMmioLog(missing).some((p) => p.startsWith("group 0x14")));
  const extra = base.slice();
  extra.splice(extra.findIndex((a) => a.offset === 0x52) + 1, 0, { vcpu: 0, offset: 0x58, len: 4, isWrite: false, data: [0, 0, 0, 0] });
  assert.ok(checkMmioLog(extra).length > 0, "a load whose condition failed must not reach the device");
  const wrong = base.map((a) => (a.offset === 6 && a.isWrite && a.len === 2 ? { ...a, data: [0x82, 0x34] } : a));
  assert.ok(checkMmioLog(wrong).some((p) => p.startsWith("group 0x3")));
  const foreign = base.map((a, k) => (k === 3 ? { ...a, vcpu: 1 } : a));
  assert.ok(checkMmioLog(foreign).some((p) => p.includes("vCPU 1")));
});

test("loadElf copies PT_LOAD segments, zero-fills bss and returns the entry", () => {
  const elf = new Uint8Array(0x100);
  const v = new DataView(elf.buffer);
  v.setUint32(0, 0x7f454c46, false);
  elf[4] = 1; elf[5] = 1;
  v.setUint16(18, 40, true); // EM_ARM
  v.setUint32(24, 0x40000010, true); // entry
  v.setUint32(28, 52, true); // phoff
  v.setUint16(42, 32, true); v.setUint16(44, 1, true);
  v.setUint32(52, 1, true); v.setUint32(56, 0x80, true); v.setUint32(64, 0x40000008, true);
  v.setUint32(68, 4, true); v.setUint32(72, 12, true);
  elf.set([1, 2, 3, 4], 0x80);
  const ram = new Uint8Array(64).fill(0xee);
  assert.equal(loadElf(ram, 0x40000000, elf), 0x40000010);
  assert.deepEqual([...ram.subarray(8, 20)], [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(ram[7], 0xee);
  assert.throws(() => loadElf(new Uint8Array(8), 0x40000000, elf), /outside RAM/);
});
