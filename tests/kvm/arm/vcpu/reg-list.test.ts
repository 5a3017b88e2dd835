// KVM_GET_REG_LIST (§4.4, §6.1): content and order for Cortex-A15 and Cortex-A7 vCPUs, count, E2BIG
// with n written back. The ids are typed from the reference tables (§5.2 core, §5.7 FW, §5.6 timer,
// §6.2 invariant CP15 in table order, §6.3 saved CP15 in sort order, §5.4 VFP, §5.5 CCSIDR).
import { test } from "node:test";
import assert from "node:assert/strict";
import { BAD_PTR, E, EXPECTED_LIST, R, init, machine, regList } from "./vcpu-raw.js";

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
