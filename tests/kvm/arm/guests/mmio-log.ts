/**
 * What TESTDEV must see from the mmio guest (guests/kvm/mmio.c, mmio-ops.S), group by group, in
 * program order: each group starts with the guest's 4-byte marker write to TESTDEV+0xffc. Expected
 * accesses are read off the guest's source; write data are the bytes in memory order (little-endian
 * unless SETEND BE). A 64-bit access (LDRD/STRD/VLDR/VSTR) may reach the device as one 8-byte access
 * or as two 4-byte ones (ARMv7 allows either single-copy atomicity for them); 8-byte accesses are split
 * before comparing.
 */
import type { MmioAccess } from "./vmm.js";
import { TESTDEV_MARK } from "./vmm.js";

/** [R|W, offset, len, write data?] */
type Exp = readonly ["R" | "W", number, number, (readonly number[])?];
const le = (v: number, n: number): number[] => Array.from({ length: n }, (_, i) => (v >>> (8 * i)) & 0xff);

function multiGroups(mark: number): Record<number, readonly Exp[]> {
  return {
    [mark]: [["W", 0x10, 4, le(0xa1a2a3a4, 4)], ["W", 0x14, 4, le(0xb1b2b3b4, 4)], ["R", 0x10, 4], ["R", 0x14, 4]],
    [mark + 1]: [
      ["W", 0x20, 4, le(0xc0000001, 4)], ["W", 0x24, 4, le(0xc0000002, 4)], ["W", 0x28, 4, le(0xc0000003, 4)], ["W", 0x2c, 4, le(0xc0000004, 4)],
      ["R", 0x20, 4], ["R", 0x24, 4], ["R", 0x28, 4], ["R", 0x2c, 4],
      ["R", 0x28, 4], ["R", 0x2c, 4],
    ],
    [mark + 2]: [["W", 0x40, 4, le(0x01234567, 4)], ["W", 0x44, 4, le(0x89abcdef, 4)], ["R", 0x40, 4], ["R", 0x44, 4]],
    [mark + 3]: [["R", 0x40, 4], ["W", 0x48, 2, [0xbe, 0xef]], ["R", 0x48, 4]],
    [mark + 4]: [
      ["W", 0x50, 4, le(0x80818283, 4)], ["W", 0x58, 4, le(0xdeadbeef, 4)], ["W", 0x5c, 4, le(0xdeadbeef, 4)],
      ["R", 0x50, 4], ["R", 0x51, 1], ["R", 0x52, 2],
    ],
  };
}

export const MMIO_GUEST_GROUPS: Readonly<Record<number, readonly Exp[]>> = {
  1: [["W", 0, 4, le(0x11223344, 4)], ["R", 0, 4], ["R", 0, 1], ["R", 3, 1], ["R", 2, 2]],
  2: [["W", 4, 1, [0x85]], ["W", 5, 1, [0]], ["R", 4, 1], ["R", 4, 1]],
  3: [["W", 6, 2, le(0x8234, 2)], ["R", 6, 2], ["R", 6, 2], ["R", 4, 4], ["R", 6, 1]],
  4: [["R", 4, 4], ["R", 6, 1], ["R", 0, 4], ["R", 6, 2]],
  5: [["R", 4, 4], ["R", 4, 2], ["W", 6, 1, [0x5a]], ["R", 7, 1], ["W", 0, 4, le(0xcafef00d, 4)], ["R", 4, 4], ["R", 0, 4]],
  ...multiGroups(0x10),
  ...multiGroups(0x20),
  0xff: [],
};

function fmt(a: { isWrite: boolean; offset: number; len: number; data: readonly number[] }): string {
  return `${a.isWrite ? "W" : "R"} 0x${a.offset.toString(16)}/${a.len}${a.isWrite ? " [" + a.data.map((b) => b.toString(16).padStart(2, "0")).join(" ") + "]" : ""}`;
}

/** Every difference between the log and the expected groups (empty when they agree). */
export function checkMmioLog(log: readonly MmioAccess[]): string[] {
  const problems: string[] = [];
  const split: MmioAccess[] = [];
  for (const a of log) {
    if (a.vcpu !== 0) problems.push(`access from vCPU ${a.vcpu}: ${fmt(a)}`);
    if (a.len === 8) {
      split.push({ ...a, len: 4, data: a.data.slice(0, 4) }, { ...a, offset: a.offset + 4, len: 4, data: a.data.slice(4) });
    } else split.push(a);
  }
  const groups = new Map<number, MmioAccess[]>();
  let current: MmioAccess[] | undefined;
  for (const a of split) {
    if (a.isWrite && a.offset === TESTDEV_MARK && a.len === 4) {
      const mark = a.data[0]! | (a.data[1]! << 8) | (a.data[2]! << 16) | (a.data[3]! << 24);
      current = [];
      groups.set(mark, current);
    } else if (current) current.push(a);
    else problems.push(`access before the first marker: ${fmt(a)}`);
  }
  for (const [mark, want] of Object.entries(MMIO_GUEST_GROUPS)) {
    const got = groups.get(Number(mark));
    if (!got) { problems.push(`group 0x${Number(mark).toString(16)}: marker never written`); continue; }
    const g = got.map(fmt), w = want.map(([k, offset, len, data]) => fmt({ isWrite: k === "W", offset, len, data: data ?? [] }));
    if (g.join("; ") !== w.join("; ")) problems.push(`group 0x${Number(mark).toString(16)}: expected ${w.join("; ") || "(none)"}, device saw ${g.join("; ") || "(none)"}`);
  }
  return problems;
}
