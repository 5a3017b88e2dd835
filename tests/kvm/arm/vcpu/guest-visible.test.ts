// What ONE_REG writes is what the guest sees (§4.3, §5): registers, the saved CP15 state and VFP set
// through the raw interface, then a hand-encoded A32 guest stores them to RAM or to an MMIO address
// (KVM_EXIT_MMIO, §9) where the test reads them back. Register ids and kvm_run offsets from the reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import { R, core, cp15, init, machine, setReg, vfpD, getReg, type Machine } from "./vcpu-raw.js";

const DEV = 0x1000_0000n;
const EXIT_MMIO = 6, EXIT_INTR = 10;

function withRam(m: Machine, code: number[]): Uint8Array {
  const map = m.host.mmap(-1, 0x10000);
  if (typeof map === "number") throw new Error("mmap");
  const region = new Uint8Array(32);
  const v = new DataView(region.buffer);
  v.setBigUint64(16, 0x10000n, true);
  v.setBigUint64(24, map.addr, true);
  assert.equal(m.host.ioctl(m.vm, R.KVM_SET_USER_MEMORY_REGION, region), 0);
  const words = new DataView(map.bytes.buffer, map.bytes.byteOffset, 0x10000);
  code.forEach((w, i) => words.setUint32(4 * i, w >>> 0, true));
  return map.bytes;
}

/** KVM_RUN until an exit other than KVM_EXIT_INTR; returns the kvm_run page. */
function runToExit(m: Machine, fd: number, run: DataView): number {
  for (let i = 0; i < 1000; i++) {
    const r = m.host.ioctl(fd, R.KVM_RUN, 0);
    const reason = run.getUint32(8, true);
    if (r === 0) return reason;
    assert.equal(r, -4, "only EINTR slices before the exit");
    assert.equal(reason, EXIT_INTR);
  }
  throw new Error("no exit");
}

test("registers, MPIDR, TPIDRURW, VBAR and D1 set through ONE_REG are what the guest reads", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  const ram = withRam(m, [
    0xe5810000, // str r0, [r1]
    0xee102fb0, // mrc p15, 0, r2, c0, c0, 5   (MPIDR)
    0xe5832000, // str r2, [r3]                -> MMIO exit
    0xee1d4f50, // mrc p15, 0, r4, c13, c0, 2  (TPIDRURW)
    0xe5834000, // str r4, [r3]                -> MMIO exit
    0xee1c5f10, // mrc p15, 0, r5, c12, c0, 0  (VBAR)
    0xe5835000, // str r5, [r3]                -> MMIO exit
    0xec576b11, // vmov r6, r7, d1
    0xe5837000, // str r7, [r3]                -> MMIO exit (high word of D1)
  ]);
  assert.equal(init(m, fd), 0);
  const map = m.host.mmap(fd, 8192, 0);
  if (typeof map === "number") throw new Error("mmap vcpu");
  const run = new DataView(map.bytes.buffer, map.bytes.byteOffset, 4096);
  assert.equal(setReg(m, fd, core(0), 0xcafef00dn), 0);
  assert.equal(setReg(m, fd, core(1), 0x800n), 0);
  assert.equal(setReg(m, fd, core(3), DEV), 0);
  assert.equal(setReg(m, fd, core(15), 0n), 0);
  assert.equal(setReg(m, fd, cp15(0, 0, 0, 5), 0x80000a0bn), 0);
  assert.equal(setReg(m, fd, cp15(13, 0, 0, 2), 0x5555aaaan), 0);
  assert.equal(setReg(m, fd, cp15(12, 0, 0, 0), 0x00012340n), 0);
  assert.equal(setReg(m, fd, cp15(1, 0, 0, 2), 0x00f00000n), 0); // CPACR: CP10/CP11 full access
  assert.equal(setReg(m, fd, 0x4020000000121008n, 0x40000000n), 0); // FPEXC.EN
  assert.equal(setReg(m, fd, vfpD(1), 0x1122334455667788n), 0);
  const expect = [0x80000a0b, 0x5555aaaa, 0x00012340, 0x11223344];
  for (const value of expect) {
    assert.equal(runToExit(m, fd, run), EXIT_MMIO);
    assert.equal(run.getBigUint64(32, true), DEV, "phys_addr");
    assert.equal(run.getUint32(48, true), 4, "len");
    assert.equal(run.getUint8(52), 1, "is_write");
    assert.equal(run.getUint32(40, true), value, "data (little-endian memory order)");
  }
  assert.equal(new DataView(ram.buffer, ram.byteOffset).getUint32(0x800, true), 0xcafef00d, "str r0, [r1] hit RAM");
  assert.deepEqual(getReg(m, fd, core(6)), [0, 0x55667788n], "the guest's VMOV result reads back through ONE_REG");
});

test("big.LITTLE: on an A15 host the A7 vCPU's guest reads the A7 MIDR, FPSID and SCTLR, the A15 vCPU its own", () => {
  const m = machine(2);
  withRam(m, [
    0xee102f10, // mrc p15, 0, r2, c0, c0, 0   (MIDR)
    0xe5832000, // str r2, [r3]
    0xeef02a10, // vmrs r2, fpsid
    0xe5832000, // str r2, [r3]
    0xee112f10, // mrc p15, 0, r2, c1, c0, 0   (SCTLR)
    0xe5832000, // str r2, [r3]
  ]);
  const expected: Record<number, number[]> = { 0: [0x412fc0f1, 0x410430f0, 0x00c50078], 1: [0x410fc075, 0x41023075, 0x00c50878] };
  for (const target of [0, 1]) {
    const fd = m.vcpus[target]!;
    assert.equal(init(m, fd, target), 0);
    const map = m.host.mmap(fd, 4096, 0);
    if (typeof map === "number") throw new Error("mmap vcpu");
    const run = new DataView(map.bytes.buffer, map.bytes.byteOffset, 4096);
    assert.equal(setReg(m, fd, core(3), DEV), 0);
    // VMRS FPSID needs CPACR cp10/cp11 access (not FPEXC.EN, which stays 0): UNDEFINED otherwise
    assert.equal(setReg(m, fd, cp15(1, 0, 0, 2), 0x00f00000n), 0);
    for (const value of expected[target]!) {
      assert.equal(runToExit(m, fd, run), EXIT_MMIO);
      assert.equal(run.getUint32(40, true) >>> 0, value, `target ${target}`);
    }
  }
});
