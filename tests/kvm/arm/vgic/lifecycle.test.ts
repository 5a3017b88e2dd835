// vGIC lifecycle, addresses, interrupt count and KVM_IRQ_LINE rules driven on the Vgic object:
// reference kvm-arm32-abi.md §3.3, §3.4, §3.5, §10.4 (NR_IRQS), §10.5.
import { test } from "node:test";
import assert from "node:assert/strict";
import { vgicCreateCheck } from "../../../../src/kvm/arm/vgic/index.js";
import { C, CPUIF, D, DIST, IRQ_TYPE, newGic, readyGic } from "./gic.js";

const E = { ENXIO: 6, E2BIG: 7, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22 } as const;
const UNDEF = 0xffffffffffffffffn;

test("creation rules (kvm_vgic_create): EEXIST before EBUSY before E2BIG", () => {
  assert.equal(vgicCreateCheck({ irqchipExists: true, anyVcpuBusyOrRan: true, vcpuCount: 9 }), -E.EEXIST);
  assert.equal(vgicCreateCheck({ irqchipExists: false, anyVcpuBusyOrRan: true, vcpuCount: 9 }), -E.EBUSY);
  assert.equal(vgicCreateCheck({ irqchipExists: false, anyVcpuBusyOrRan: false, vcpuCount: 9 }), -E.E2BIG);
  assert.equal(vgicCreateCheck({ irqchipExists: false, anyVcpuBusyOrRan: false, vcpuCount: 8 }), 0);
});

test("addresses: undefined after creation; E2BIG at or above 2^40, EINVAL unaligned, EEXIST when set; unknown type ENODEV", () => {
  const { vgic } = newGic(1);
  assert.equal(vgic.getAddress(0), UNDEF);
  assert.equal(vgic.getAddress(1), UNDEF);
  assert.equal(vgic.setAddress(0, 1n << 40n), -E.E2BIG);
  assert.equal(vgic.setAddress(0, (1n << 40n) + 1n), -E.E2BIG, "E2BIG is checked before alignment");
  assert.equal(vgic.setAddress(0, 0x08000800n), -E.EINVAL);
  assert.equal(vgic.setAddress(2, 0x08000000n), -E.ENODEV);
  assert.equal(vgic.setAddress(0, 0xfffffff000n), 0, "the last 4 KiB page below 2^40 is accepted");
  assert.equal(vgic.setAddress(0, 0x08000000n), -E.EEXIST);
  assert.equal(vgic.setAddress(0, 0x08000800n), -E.EINVAL, "EINVAL is checked before EEXIST");
  assert.equal(vgic.getAddress(0), 0xfffffff000n);
  assert.equal(vgic.setAddress(1, 0x08010000n), 0);
  assert.equal(vgic.getAddress(1), 0x08010000n);
});

test("first run: ENXIO with an address unset, EINVAL when the 4 KiB and 8 KiB frames overlap; a failure uninitializes", () => {
  const { vgic } = newGic(2);
  assert.equal(vgic.init(), 0);
  assert.ok(vgic.initialized);
  assert.equal(vgic.firstRun(), -E.ENXIO);
  assert.ok(!vgic.initialized, "map_resources failure destroys the distributor state");
  assert.equal(vgic.nrIrqs, 32, "nr_spis back to 0");
  assert.equal(vgic.setAddress(1, 0x10000n), 0);
  assert.equal(vgic.firstRun(), -E.ENXIO);
  assert.equal(vgic.setAddress(0, 0x11000n), 0, "DIST inside the CPU frame's second page");
  assert.equal(vgic.firstRun(), -E.EINVAL);
  assert.ok(!vgic.ready);
  const b = newGic(1).vgic;
  b.setAddress(0, 0x12000n);
  b.setAddress(1, 0x10000n); // CPU frame ends exactly where DIST starts
  assert.equal(b.firstRun(), 0);
  assert.ok(b.ready && b.initialized);
  assert.equal(b.nrIrqs, 256);
  const c = newGic(1).vgic;
  c.setAddress(1, 0x11000n);
  c.setAddress(0, 0x10000n); // DIST ends where CPU starts
  assert.equal(c.firstRun(), 0);
  const d = newGic(1).vgic;
  d.setAddress(1, 0x10000n);
  d.setAddress(0, 0xf000n);
  assert.equal(d.firstRun(), 0);
  const e = newGic(1).vgic;
  e.setAddress(1, 0x10000n);
  e.setAddress(0, 0x10000n);
  assert.equal(e.firstRun(), -E.EINVAL, "same base");
});

test("a failed first run lowers the IRQ outputs it had raised", () => {
  const g = newGic(1);
  g.vgic.setAddress(0, BigInt(DIST));
  assert.equal(g.vgic.userRegAccess(false, 0, D.CTLR, true, 1), 0);
  assert.equal(g.vgic.userRegAccess(true, 0, C.CTLR, true, 1), 0);
  assert.equal(g.vgic.userRegAccess(true, 0, C.PMR, true, 0x1f), 0);
  assert.equal(g.vgic.userRegAccess(false, 0, D.ISENABLER + 4, true, 1), 0);
  assert.equal(g.vgic.userRegAccess(false, 0, D.ITARGETSR + 32, true, 1), 0);
  assert.equal(g.vgic.irqLine(IRQ_TYPE.SPI, 0, 32, true), 0);
  assert.equal(g.lines[0]!.irq, true);
  assert.equal(g.vgic.firstRun(), -E.ENXIO);
  assert.equal(g.lines[0]!.irq, false);
});

test("the frames are claimed only once ready, and only their 4 KiB / 8 KiB", () => {
  const g = newGic(1);
  g.vgic.setAddress(0, BigInt(DIST));
  g.vgic.setAddress(1, BigInt(CPUIF));
  assert.ok(!g.vgic.handles(DIST));
  g.vgic.firstRun();
  assert.ok(g.vgic.handles(DIST) && g.vgic.handles(DIST + 0xffc));
  assert.ok(!g.vgic.handles(DIST + 0x1000));
  assert.ok(g.vgic.handles(CPUIF) && g.vgic.handles(CPUIF + 0x1000) && g.vgic.handles(CPUIF + 0x1ffc));
  assert.ok(!g.vgic.handles(CPUIF + 0x2000) && !g.vgic.handles(DIST - 4));
});

test("NR_IRQS: 64..1024 in multiples of 32, else EINVAL; EBUSY once set or after initialization; reads nr_spis + 32", () => {
  const { vgic } = newGic(1);
  assert.equal(vgic.nrIrqs, 32, "nothing set yet: nr_spis = 0");
  for (const bad of [0, 32, 63, 96 + 1, 1056, 0xffffffff]) assert.equal(vgic.setNrIrqs(bad), -E.EINVAL, `${bad}`);
  assert.equal(vgic.setNrIrqs(128), 0);
  assert.equal(vgic.nrIrqs, 128);
  assert.equal(vgic.setNrIrqs(256), -E.EBUSY);
  const fresh = newGic(1).vgic;
  assert.equal(fresh.setNrIrqs(1024), 0, "the reference's upper bound");
  const inited = newGic(1).vgic;
  inited.init();
  assert.equal(inited.nrIrqs, 256, "default 256");
  assert.equal(inited.setNrIrqs(64), -E.EBUSY);
});

test("KVM_IRQ_LINE with the in-kernel vGIC (§3.5): CPU type ENXIO, SPI/PPI ranges, vCPU index, unknown types; first injection initializes", () => {
  const { vgic } = newGic(2);
  assert.equal(vgic.irqLine(IRQ_TYPE.CPU, 0, 0, true), -E.ENXIO);
  assert.equal(vgic.irqLine(IRQ_TYPE.SPI, 0, 31, true), -E.EINVAL);
  assert.ok(!vgic.initialized, "a rejected SPI below 32 does not initialize");
  assert.equal(vgic.irqLine(IRQ_TYPE.SPI, 0, 32, true), 0);
  assert.ok(vgic.initialized);
  assert.equal(vgic.irqLine(IRQ_TYPE.SPI, 7, 255, true), 0, "vcpu_index ignored for SPIs");
  assert.equal(vgic.irqLine(IRQ_TYPE.SPI, 0, 256, true), -E.EINVAL, "256 interrupts: INTID 256 does not exist");
  assert.equal(vgic.irqLine(IRQ_TYPE.PPI, 0, 15, true), -E.EINVAL);
  assert.equal(vgic.irqLine(IRQ_TYPE.PPI, 0, 32, true), -E.EINVAL);
  assert.equal(vgic.irqLine(IRQ_TYPE.PPI, 2, 27, true), -E.EINVAL, "no vCPU 2");
  assert.equal(vgic.irqLine(IRQ_TYPE.PPI, 1, 16, true), 0);
  assert.equal(vgic.irqLine(IRQ_TYPE.PPI, 1, 31, false), 0);
  for (const t of [3, 4, 15]) assert.equal(vgic.irqLine(t, 0, 40, true), -E.EINVAL, `type ${t}`);
  const small = newGic(1).vgic;
  small.setNrIrqs(64);
  assert.equal(small.irqLine(IRQ_TYPE.SPI, 0, 63, true), 0);
  assert.equal(small.irqLine(IRQ_TYPE.SPI, 0, 64, true), -E.EINVAL);
});

test("state injected before the first run survives it (initialization happens once)", () => {
  const g = newGic(1);
  assert.equal(g.vgic.irqLine(IRQ_TYPE.SPI, 0, 40, true), 0);
  g.vgic.setAddress(0, BigInt(DIST));
  g.vgic.setAddress(1, BigInt(CPUIF));
  assert.equal(g.vgic.firstRun(), 0);
  assert.equal((g.dr(0, D.ISPENDR + 4) >>> 8) & 1, 1, "SPI 40 still pending");
  assert.equal(g.cr(0, C.IAR), 1023, "distributor disabled");
});

test("guest accesses from a vCPU index beyond the vGIC's CPUs read zero", () => {
  const g = readyGic(1);
  assert.equal(g.dr(1, D.TYPER), 0);
  assert.equal(g.cr(3, C.BPR), 0);
});
