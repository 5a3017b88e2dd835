// The order of KVM_PPC_SET_PLATFORM's argument rules (docs/ppc-platform.md, 1–4), observable only
// through which rule checkPlatform names: every rule answers -EINVAL at the ioctl. Inputs failing
// several rules must be refused by the first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkPlatform, POWER_ISA_LEVELS, powerIsaLevel } from "../../../src/kvm/ppc/platform.js";

const PV_NONE = 0, PV_KVM = 1, PV_SPAPR = 2, CROSS_ARCH = 1;
const rule = (platform: number, guest_arch: number, flags: number) => {
  const r = checkPlatform({ platform, guest_arch, flags });
  return "rejected" in r ? r.rejected : "ok";
};

test("each rule alone", () => {
  assert.equal(rule(PV_NONE, 206, 2), "flags");
  assert.equal(rule(3, 206, 0), "platform");
  assert.equal(rule(PV_NONE, 208, 0), "guest_arch");
  assert.equal(rule(PV_SPAPR, 300, 0), "newer_than_host");
  assert.equal(rule(PV_SPAPR, 206, CROSS_ARCH), "spapr_cross_arch");
  assert.equal(rule(PV_SPAPR, 206, 0), "ok");
});

test("rule 1 before 2, 3 and 4", () => {
  assert.equal(rule(3, 206, 2), "flags");
  assert.equal(rule(PV_NONE, 999, 2), "flags");
  assert.equal(rule(PV_SPAPR, 206, 3), "flags", "CROSS_ARCH plus an unknown bit");
  assert.equal(rule(0xffff, 0xffff, 0xffffffff), "flags");
});

test("rule 2 before 3 and 4", () => {
  assert.equal(rule(3, 999, 0), "platform");
  assert.equal(rule(7, 310, 0), "platform");
  assert.equal(rule(0xffff, 206, CROSS_ARCH), "platform");
});

test("rule 3 before 4; within 3, an unknown level before 'newer than the host'", () => {
  assert.equal(rule(PV_SPAPR, 999, CROSS_ARCH), "guest_arch");
  assert.equal(rule(PV_SPAPR, 400, 0), "guest_arch", "unknown and newer: unknown wins");
  assert.equal(rule(PV_SPAPR, 310, 0), "newer_than_host");
  assert.equal(rule(PV_SPAPR, 310, CROSS_ARCH), "spapr_cross_arch");
});

test("accepted arguments resolve guest_arch 0 to the host's POWER8 level", () => {
  assert.deepEqual(checkPlatform({ platform: PV_KVM, guest_arch: 0, flags: 0 }), { platform: PV_KVM, guestArch: 207, crossArch: false });
  assert.deepEqual(checkPlatform({ platform: PV_NONE, guest_arch: 300, flags: CROSS_ARCH }), { platform: PV_NONE, guestArch: 300, crossArch: true });
});

test("the level table: the brief's nine levels, all 64-bit server, logical PVRs from reference §8.5", () => {
  assert.deepEqual(POWER_ISA_LEVELS.map((l) => l.level), [201, 202, 203, 204, 205, 206, 207, 300, 310]);
  assert.ok(POWER_ISA_LEVELS.every((l) => l.server64));
  assert.equal(powerIsaLevel(206)?.logicalPvr, 0x0f000003);
  assert.equal(powerIsaLevel(205)?.logicalPvr, 0x0f000002);
  assert.equal(powerIsaLevel(201)?.logicalPvr, null);
  assert.equal(powerIsaLevel(208), undefined);
});
