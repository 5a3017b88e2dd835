// The vGIC through the raw system-call interface, as a VMM drives it: KVM_CREATE_IRQCHIP (§3.3),
// KVM_ARM_SET_DEVICE_ADDR (§3.4), KVM_IRQ_LINE(_STATUS) (§3.5), KVM_CREATE_DEVICE(VGIC_V2) (§3.8) and
// the device attributes (§10.4). Request numbers, struct layouts and errno values typed in from
// reference kvm-arm32-abi.md §1, §3 and §10.
import { test } from "node:test";
import assert from "node:assert/strict";
import { armVm, hostMem } from "../../raw.js";
import { runRaw, runView, tinyVm, RUN_OFF } from "../run/tiny-vm.js";

const REQ = {
  KVM_CREATE_VCPU: 0x0000ae41,
  KVM_CREATE_IRQCHIP: 0x0000ae60,
  KVM_IRQ_LINE: 0x4008ae61,
  KVM_IRQ_LINE_STATUS: 0xc008ae67,
  KVM_ARM_SET_DEVICE_ADDR: 0x4010aeab,
  KVM_CREATE_DEVICE: 0xc00caee0,
  KVM_SET_DEVICE_ATTR: 0x4018aee1,
  KVM_GET_DEVICE_ATTR: 0x4018aee2,
  KVM_HAS_DEVICE_ATTR: 0x4018aee3,
} as const;
const E = { ENXIO: 6, E2BIG: 7, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19, EINVAL: 22 } as const;
const GRP = { ADDR: 0, DIST_REGS: 1, CPU_REGS: 2, NR_IRQS: 3, CTRL: 4 } as const;

function createDevice(type: number, flags = 0): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(8, flags, true);
  return b;
}

function deviceAddr(id: bigint, addr: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, id, true);
  v.setBigUint64(8, addr, true);
  return b;
}

function irqLevel(irq: number, level: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, irq >>> 0, true);
  v.setUint32(4, level, true);
  return b;
}

/** A VM with `vcpus` vCPUs and a VGIC_V2 device; helpers for its attributes through a user buffer. */
function vgicVm(vcpus: number) {
  const env = armVm();
  const { host, vm } = env;
  for (let i = 0; i < vcpus; i++) assert.ok(host.ioctl(vm, REQ.KVM_CREATE_VCPU, i) >= 0);
  const cd = createDevice(5);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, cd), 0);
  const dev = new DataView(cd.buffer).getUint32(4, true);
  const buf = hostMem(host, 4096);
  const bv = new DataView(buf.bytes.buffer, buf.bytes.byteOffset, 4096);
  const attr = (req: number, group: number, a: bigint, addr = buf.addr): number => {
    const s = new Uint8Array(24);
    const v = new DataView(s.buffer);
    v.setUint32(4, group, true);
    v.setBigUint64(8, a, true);
    v.setBigUint64(16, addr, true);
    return host.ioctl(dev, req, s);
  };
  return {
    ...env,
    dev,
    set32: (group: number, a: bigint, value: number) => (bv.setUint32(0, value >>> 0, true), attr(REQ.KVM_SET_DEVICE_ATTR, group, a)),
    get32: (group: number, a: bigint): number | { err: number } => {
      bv.setUint32(0, 0xdeadbeef, true);
      const r = attr(REQ.KVM_GET_DEVICE_ATTR, group, a);
      return r < 0 ? { err: r } : bv.getUint32(0, true);
    },
    set64: (group: number, a: bigint, value: bigint) => (bv.setBigUint64(0, value, true), attr(REQ.KVM_SET_DEVICE_ATTR, group, a)),
    get64: (group: number, a: bigint): bigint | { err: number } => {
      const r = attr(REQ.KVM_GET_DEVICE_ATTR, group, a);
      return r < 0 ? { err: r } : bv.getBigUint64(0, true);
    },
    has: (group: number, a: bigint) => attr(REQ.KVM_HAS_DEVICE_ATTR, group, a),
    attrAt: (req: number, group: number, a: bigint, addr: bigint) => attr(req, group, a, addr),
    irq: (irq: number, level: number) => host.ioctl(vm, REQ.KVM_IRQ_LINE, irqLevel(irq, level)),
  };
}

/** DIST_REGS / CPU_REGS attr: vCPU index in bits 39..32, offset in 31..0. */
const reg = (cpu: number, offset: number): bigint => (BigInt(cpu) << 32n) | BigInt(offset);

test("KVM_CREATE_IRQCHIP: 0, then EEXIST by either API; KVM_CREATE_DEVICE TEST creates nothing; VGIC_V3 ENODEV", () => {
  const { host, vm } = armVm();
  const t = createDevice(5, 1);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, t), 0);
  assert.equal(new DataView(t.buffer).getUint32(4, true), 0, "TEST: no fd written");
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, createDevice(7)), -E.ENODEV);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_IRQCHIP, 0), 0, "TEST left no irqchip behind");
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_IRQCHIP, 0), -E.EEXIST);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, createDevice(5)), -E.EEXIST);
  assert.equal(host.ioctl(vm, REQ.KVM_CREATE_DEVICE, createDevice(5, 1)), 0, "TEST only asks whether the type exists");
  const b = armVm();
  assert.equal(b.host.ioctl(b.vm, REQ.KVM_CREATE_DEVICE, createDevice(5)), 0);
  assert.equal(b.host.ioctl(b.vm, REQ.KVM_CREATE_IRQCHIP, 0), -E.EEXIST);
});

test("KVM_CREATE_IRQCHIP after a vCPU has entered KVM_RUN: EBUSY", () => {
  const t = tinyVm();
  const c = t.vcpus[0]!;
  runView(c).setUint8(RUN_OFF.immediate_exit, 1);
  assert.equal(runRaw(t, c), -4, "EINTR from immediate_exit, after the first-run work");
  assert.equal(t.host.ioctl(t.vm.fd, REQ.KVM_CREATE_IRQCHIP, 0), -E.EBUSY);
  assert.equal(t.host.ioctl(t.vm.fd, REQ.KVM_CREATE_DEVICE, createDevice(5)), -E.EBUSY);
});

test("KVM_ARM_SET_DEVICE_ADDR (§3.4): ENODEV without a vGIC or for other devices/types; E2BIG, EINVAL, EEXIST; the attr reads it back", () => {
  const { host, vm } = armVm();
  assert.equal(host.ioctl(vm, REQ.KVM_ARM_SET_DEVICE_ADDR, deviceAddr(0n, 0x08000000n)), -E.ENODEV, "no vGIC created");
  const g = vgicVm(0);
  const set = (id: bigint, addr: bigint) => g.host.ioctl(g.vm, REQ.KVM_ARM_SET_DEVICE_ADDR, deviceAddr(id, addr));
  assert.equal(set(0x10000n, 0x08000000n), -E.ENODEV, "device id 1");
  assert.equal(set(0x2n, 0x08000000n), -E.ENODEV, "address type 2");
  assert.equal(set(0x0n, 1n << 40n), -E.E2BIG);
  assert.equal(set(0x0n, 0x08000004n), -E.EINVAL);
  assert.equal(set(0x0n, 0x08000000n), 0);
  assert.equal(set(0x0n, 0x09000000n), -E.EEXIST);
  assert.equal(set(0x1n, 0x08010000n), 0);
  assert.equal(g.get64(GRP.ADDR, 0n), 0x08000000n);
  assert.equal(g.get64(GRP.ADDR, 1n), 0x08010000n);
});

test("GRP_ADDR (§10.4): unset reads all ones; SET errors E2BIG, EINVAL, EEXIST; unknown attr ENXIO; bad pointer EFAULT", () => {
  const g = vgicVm(1);
  assert.equal(g.get64(GRP.ADDR, 0n), 0xffffffffffffffffn);
  assert.equal(g.get64(GRP.ADDR, 1n), 0xffffffffffffffffn);
  assert.deepEqual(g.get64(GRP.ADDR, 2n), { err: -E.ENXIO });
  assert.equal(g.set64(GRP.ADDR, 1n, 0xff_0000_0000n << 8n), -E.E2BIG);
  assert.equal(g.set64(GRP.ADDR, 1n, 0x3ffd0100n), -E.EINVAL);
  assert.equal(g.set64(GRP.ADDR, 2n, 0x3ffd0000n), -E.ENXIO);
  assert.equal(g.set64(GRP.ADDR, 1n, 0x3ffd0000n), 0);
  assert.equal(g.set64(GRP.ADDR, 1n, 0x3ffd0000n), -E.EEXIST);
  assert.equal(g.get64(GRP.ADDR, 1n), 0x3ffd0000n);
  assert.equal(g.attrAt(REQ.KVM_SET_DEVICE_ATTR, GRP.ADDR, 0n, 0x10n), -E.EFAULT);
  assert.equal(g.attrAt(REQ.KVM_GET_DEVICE_ATTR, GRP.ADDR, 0n, 0x10n), -E.EFAULT);
  assert.equal(g.has(GRP.ADDR, 0n), 0);
  assert.equal(g.has(GRP.ADDR, 1n), 0);
  assert.equal(g.has(GRP.ADDR, 2n), -E.ENXIO);
});

test("GRP_NR_IRQS: reads 32 before anything is set; EINVAL for bad totals; EBUSY once set; GICD_TYPER follows", () => {
  const g = vgicVm(2);
  assert.equal(g.get32(GRP.NR_IRQS, 0n), 32);
  assert.equal(g.set32(GRP.NR_IRQS, 0n, 48), -E.EINVAL);
  assert.equal(g.set32(GRP.NR_IRQS, 0n, 100), -E.EINVAL);
  assert.equal(g.set32(GRP.NR_IRQS, 0n, 2048), -E.EINVAL);
  assert.equal(g.set32(GRP.NR_IRQS, 0n, 96), 0);
  assert.equal(g.set32(GRP.NR_IRQS, 0n, 128), -E.EBUSY);
  assert.equal(g.get32(GRP.NR_IRQS, 0n), 96);
  assert.equal(g.has(GRP.NR_IRQS, 0n), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x004)), (96 / 32 - 1) | (1 << 5), "ITLinesNumber 2, CPUNumber 1");
  assert.equal(g.attrAt(REQ.KVM_SET_DEVICE_ATTR, GRP.NR_IRQS, 0n, 0x10n), -E.EFAULT);
});

test("GRP_CTRL: INIT initializes with 256 interrupts; new vCPUs are then EBUSY; other attrs ENXIO", () => {
  const g = vgicVm(1);
  assert.equal(g.has(GRP.CTRL, 0n), 0);
  assert.equal(g.has(GRP.CTRL, 1n), -E.ENXIO);
  assert.equal(g.set32(GRP.CTRL, 1n, 0), -E.ENXIO);
  assert.deepEqual(g.get32(GRP.CTRL, 0n), { err: -E.ENXIO });
  assert.equal(g.set32(GRP.CTRL, 0n, 0), 0);
  assert.equal(g.get32(GRP.NR_IRQS, 0n), 256);
  assert.equal(g.set32(GRP.NR_IRQS, 0n, 64), -E.EBUSY);
  assert.equal(g.host.ioctl(g.vm, REQ.KVM_CREATE_VCPU, 1), -E.EBUSY, "§3.2: vGIC initialized");
  assert.equal(g.set32(GRP.CTRL, 0n, 0), 0, "INIT again is harmless");
});

test("unknown groups are ENXIO for SET, GET and HAS (GICv3 groups 5..8 included)", () => {
  const g = vgicVm(1);
  for (const grp of [5, 6, 7, 8, 9, 100]) {
    assert.equal(g.set32(grp, 0n, 0), -E.ENXIO);
    assert.deepEqual(g.get32(grp, 0n), { err: -E.ENXIO });
    assert.equal(g.has(grp, 0n), -E.ENXIO);
  }
});

test("GRP_DIST_REGS: registers as seen by the named vCPU; EINVAL vCPU index; ENXIO unknown or misaligned offset", () => {
  const g = vgicVm(2);
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x008)), 0x4b00243b, "GICD_IIDR; the access initialized the vGIC");
  assert.equal(g.host.ioctl(g.vm, REQ.KVM_CREATE_VCPU, 2), -E.EBUSY);
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x004)), 0x27);
  assert.equal(g.get32(GRP.DIST_REGS, reg(1, 0x800)), 0x02020202, "vCPU 1's private targets");
  assert.deepEqual(g.get32(GRP.DIST_REGS, reg(2, 0x000)), { err: -E.EINVAL });
  assert.equal(g.set32(GRP.DIST_REGS, reg(2, 0x000), 1), -E.EINVAL);
  assert.equal(g.has(GRP.DIST_REGS, reg(2, 0x000)), -E.EINVAL);
  for (const off of [0x00c, 0x040, 0xd00, 0xf04, 0xf30, 0xfe8, 0x1000, 0x002]) {
    assert.deepEqual(g.get32(GRP.DIST_REGS, reg(0, off)), { err: -E.ENXIO }, `GET 0x${off.toString(16)}`);
    assert.equal(g.has(GRP.DIST_REGS, reg(0, off)), -E.ENXIO, `HAS 0x${off.toString(16)}`);
  }
  for (const off of [0x000, 0x004, 0x008, 0x080, 0x17c, 0x400, 0x7fc, 0x800, 0xbfc, 0xc00, 0xcfc, 0xf00, 0xf10, 0xf2c]) {
    assert.equal(g.has(GRP.DIST_REGS, reg(1, off)), 0, `HAS 0x${off.toString(16)}`);
  }
  assert.equal(g.set32(GRP.DIST_REGS, reg(0, 0x000), 1), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(1, 0x000)), 1);
  assert.equal(g.set32(GRP.DIST_REGS, reg(1, 0x420), 0xffffffff), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x420)), 0xf8f8f8f8, "SPI priorities are shared, 5 bits");
  assert.equal(g.set32(GRP.DIST_REGS, reg(1, 0x400), 0x80808080), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x400)), 0, "SGI priorities are banked");
  assert.equal(g.get32(GRP.DIST_REGS, reg(1, 0x400)), 0x80808080);
});

test("GICD_IIDR from userspace: only its own value (else EINVAL); writing it makes IGROUPR userspace-writable; SGIR ignores userspace", () => {
  const g = vgicVm(2);
  assert.equal(g.set32(GRP.DIST_REGS, reg(0, 0x084), 0xffffffff), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x084)), 0, "IGROUPR ignored before the IIDR handshake");
  assert.equal(g.set32(GRP.DIST_REGS, reg(0, 0x008), 0x4b00143b), -E.EINVAL);
  assert.equal(g.set32(GRP.DIST_REGS, reg(0, 0x008), 0x4b00243b), 0);
  assert.equal(g.set32(GRP.DIST_REGS, reg(0, 0x084), 0x0000ff00), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(1, 0x084)), 0x0000ff00);
  assert.equal(g.set32(GRP.DIST_REGS, reg(0, 0xf00), (0x02 << 16) | 1), 0);
  assert.equal((g.get32(GRP.DIST_REGS, reg(1, 0x200)) as number) & 0xffff, 0, "no SGI from a userspace GICD_SGIR");
  assert.equal(g.set32(GRP.DIST_REGS, reg(1, 0xf20), 0x00000100), 0, "SPENDSGIR: SGI 1 from vCPU 0");
  assert.equal((g.get32(GRP.DIST_REGS, reg(1, 0x200)) as number) & 0xffff, 0x0002);
});

test("GRP_CPU_REGS: CTLR, PMR in the 5-bit format, BPR, ABPR, APRs, IIDR 0x04B2043B; other offsets ENXIO", () => {
  const g = vgicVm(2);
  assert.equal(g.get32(GRP.CPU_REGS, reg(1, 0x00)), 0);
  assert.equal(g.get32(GRP.CPU_REGS, reg(1, 0x04)), 0);
  assert.equal(g.get32(GRP.CPU_REGS, reg(1, 0x08)), 2);
  assert.equal(g.get32(GRP.CPU_REGS, reg(1, 0x1c)), 3);
  assert.equal(g.get32(GRP.CPU_REGS, reg(1, 0xfc)), 0x04b2043b);
  assert.equal(g.set32(GRP.CPU_REGS, reg(1, 0x04), 0x1e), 0);
  assert.equal(g.get32(GRP.CPU_REGS, reg(1, 0x04)), 0x1e, "5-bit value round-trips");
  assert.equal(g.get32(GRP.CPU_REGS, reg(0, 0x04)), 0, "per vCPU");
  assert.equal(g.set32(GRP.CPU_REGS, reg(0, 0x00), 0x21f), 0);
  assert.equal(g.get32(GRP.CPU_REGS, reg(0, 0x00)), 0x21f);
  assert.equal(g.set32(GRP.CPU_REGS, reg(0, 0xd0), 0x00010000), 0);
  assert.equal(g.get32(GRP.CPU_REGS, reg(0, 0xd0)), 0x00010000);
  assert.equal(g.set32(GRP.CPU_REGS, reg(0, 0xd4), 0xffffffff), 0);
  assert.equal(g.get32(GRP.CPU_REGS, reg(0, 0xd4)), 0, "APR1 RAZ/WI");
  assert.equal(g.set32(GRP.CPU_REGS, reg(0, 0xfc), 0), 0);
  assert.equal(g.get32(GRP.CPU_REGS, reg(0, 0xfc)), 0x04b2043b, "IIDR ignores writes");
  for (const off of [0x0c, 0x10, 0x14, 0x18, 0x20, 0xe0, 0x1000, 0x02]) {
    assert.deepEqual(g.get32(GRP.CPU_REGS, reg(0, off)), { err: -E.ENXIO }, `GET 0x${off.toString(16)}`);
    assert.equal(g.has(GRP.CPU_REGS, reg(0, off)), -E.ENXIO);
  }
  for (const off of [0x00, 0x04, 0x08, 0x1c, 0xd0, 0xdc, 0xfc]) assert.equal(g.has(GRP.CPU_REGS, reg(1, off)), 0);
  assert.deepEqual(g.get32(GRP.CPU_REGS, reg(5, 0x00)), { err: -E.EINVAL });
});

test("KVM_IRQ_LINE (§3.5): SPI 33 = 0x01000021, PPI 27 on vCPU 1 = 0x0201001B; CPU type ENXIO with the vGIC; vcpu2_index; bad types", () => {
  const g = vgicVm(2);
  assert.equal(g.irq(0x01000021, 1), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x204)), 0x2, "SPI 33 pending (edge, latched)");
  assert.equal(g.irq(0x0201001b, 1), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(1, 0x200)), 1 << 27, "PPI 27 pending on vCPU 1 only");
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x200)), 0);
  assert.equal(g.irq(0x0201001b, 0), 0);
  assert.equal(g.get32(GRP.DIST_REGS, reg(1, 0x200)), 0, "PPIs are level: the line went low");
  assert.equal(g.irq(0x00000000, 1), -E.ENXIO, "raw IRQ line refused with an in-kernel irqchip");
  assert.equal(g.irq(0x00000001, 1), -E.ENXIO);
  assert.equal(g.irq(0x1201001b, 1), -E.EINVAL, "vcpu2_index 1: vCPU 257");
  assert.equal(g.irq(0x0202001b, 1), -E.EINVAL, "vCPU 2 does not exist");
  assert.equal(g.irq(0x0200000f, 1), -E.EINVAL, "INTID 15 is an SGI");
  assert.equal(g.irq(0x01000100, 1), -E.EINVAL, "INTID 256 of 256");
  assert.equal(g.irq(0x0100001f, 1), -E.EINVAL, "INTID 31 is not an SPI");
  assert.equal(g.irq(0x03000021, 1), -E.EINVAL);
  const st = irqLevel(0x01000022, 1);
  assert.equal(g.host.ioctl(g.vm, REQ.KVM_IRQ_LINE_STATUS, st), 0);
  assert.deepEqual([...st], [...irqLevel(0x01000022, 1)], "struct copied back unchanged");
  assert.equal(g.get32(GRP.DIST_REGS, reg(0, 0x204)), 0x6);
});

test("KVM_IRQ_LINE SPI/PPI without an in-kernel irqchip: ENXIO", () => {
  const { host, vm } = armVm();
  assert.ok(host.ioctl(vm, REQ.KVM_CREATE_VCPU, 0) >= 0);
  assert.equal(host.ioctl(vm, REQ.KVM_IRQ_LINE, irqLevel(0x01000021, 1)), -E.ENXIO);
  assert.equal(host.ioctl(vm, REQ.KVM_IRQ_LINE, irqLevel(0x0200001b, 1)), -E.ENXIO);
});
