// KVM_GET_REG_LIST (§4.4, §6.1): content and order for Cortex-A15 and Cortex-A7 vCPUs, count, E2BIG
// with n written back. The ids are typed from the reference tables (§5.2 core, §5.7 FW, §5.6 timer,
// §6.2 invariant CP15 in table order, §6.3 saved CP15 in sort order, §5.4 VFP, §5.5 CCSIDR).
import { test } from "node:test";
import assert from "node:assert/strict";
import { BAD_PTR, E, R, TIMER_CNT, TIMER_CTL, TIMER_CVAL, ccsidr, core, cp15, cp15w, fw, init, machine, regList, vfpCtl, vfpD } from "./vcpu-raw.js";

/** §6.2 rows: (CRn, op1, CRm, op2). */
const INVARIANT: [number, number, number, number][] = [
  [0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 2], [0, 0, 0, 3], [0, 0, 0, 6], [0, 1, 0, 1], [0, 1, 0, 7],
  [0, 0, 1, 0], [0, 0, 1, 1], [0, 0, 1, 2], [0, 0, 1, 3], [0, 0, 1, 4], [0, 0, 1, 5], [0, 0, 1, 6], [0, 0, 1, 7],
  [0, 0, 2, 0], [0, 0, 2, 1], [0, 0, 2, 2], [0, 0, 2, 3], [0, 0, 2, 4], [0, 0, 2, 5],
];
/** §6.3 rows, in list order: 32-bit (CRn, op1, CRm, op2) or 64-bit [op1, CRm]. */
const SAVED: ([number, number, number, number] | [number, number])[] = [
  [0, 0, 0, 5], [0, 2, 0, 0], [1, 0, 0, 0], [1, 0, 0, 1], [1, 0, 0, 2],
  [0, 2], [2, 0, 0, 0], [2, 0, 0, 1], [2, 0, 0, 2], [1, 2],
  [3, 0, 0, 0], [5, 0, 0, 0], [5, 0, 0, 1], [5, 0, 1, 0], [5, 0, 1, 1], [6, 0, 0, 0], [6, 0, 0, 2],
  [0, 7], [9, 1, 0, 2], [10, 0, 2, 0], [10, 0, 2, 1], [10, 0, 3, 0], [10, 0, 3, 1],
  [12, 0, 0, 0], [13, 0, 0, 1], [13, 0, 0, 2], [13, 0, 0, 3], [13, 0, 0, 4], [14, 0, 1, 0],
];

export const EXPECTED_LIST: readonly bigint[] = [
  ...Array.from({ length: 38 }, (_, i) => core(i)),
  fw(0), fw(1), fw(2),
  TIMER_CTL, TIMER_CNT, TIMER_CVAL,
  ...INVARIANT.map(([crn, op1, crm, op2]) => cp15(crn, op1, crm, op2)),
  ...SAVED.map((r) => (r.length === 2 ? cp15w(r[0], r[1]) : cp15(r[0], r[1], r[2], r[3]))),
  ...Array.from({ length: 32 }, (_, i) => vfpD(i)),
  vfpCtl(0x1008), vfpCtl(0x1001), vfpCtl(0x1009), vfpCtl(0x100a), vfpCtl(0x1007), vfpCtl(0x1006), vfpCtl(0x1000),
  ccsidr(0), ccsidr(1), ccsidr(2),
];

test("the reference list has 136 entries (38 + 3 + 3 + 21 + 29 + 39 + 3)", () => {
  assert.equal(EXPECTED_LIST.length, 136);
  assert.equal(new Set(EXPECTED_LIST).size, 136);
});

for (const target of [0, 1]) {
  test(`REG_LIST of a ${target === 0 ? "Cortex-A15" : "Cortex-A7"} vCPU: every id, in the kernel's order`, () => {
    const m = machine(1, { target });
    const fd = m.vcpus[0]!;
    assert.equal(init(m, fd, target, [2]), 0);
    const [r, n, ids] = regList(m, fd, 200);
    assert.equal(r, 0);
    assert.equal(n, 136);
    assert.deepEqual(ids.map((x) => x.toString(16)), EXPECTED_LIST.map((x) => x.toString(16)));
  });
}

test("REG_LIST: capacity short by one → E2BIG with n = 136 written back; exact capacity succeeds; 0 → E2BIG", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  assert.equal(init(m, fd), 0);
  assert.deepEqual(regList(m, fd, 135).slice(0, 2), [-E.E2BIG, 136]);
  assert.deepEqual(regList(m, fd, 0).slice(0, 2), [-E.E2BIG, 136]);
  const [r, n, ids] = regList(m, fd, 136);
  assert.deepEqual([r, n, ids.length], [0, 136, 136]);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_REG_LIST, BAD_PTR), -E.EFAULT);
});

test("REG_LIST is the same without PSCI_0_2 and with POWER_OFF (the list does not depend on features)", () => {
  const m = machine(2);
  assert.equal(init(m, m.vcpus[0]!, 0, [0]), 0);
  assert.equal(init(m, m.vcpus[1]!, 0, [1]), 0);
  assert.deepEqual(regList(m, m.vcpus[0]!, 136)[2], [...EXPECTED_LIST]);
  assert.deepEqual(regList(m, m.vcpus[1]!, 136)[2], [...EXPECTED_LIST]);
});
