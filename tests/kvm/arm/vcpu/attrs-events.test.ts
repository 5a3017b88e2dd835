// vCPU events (§4.8), vCPU timer attributes (§4.9), KVM_IRQ_LINE's CPU-line path (§3.5) and
// KVM_ARM_SET_DEVICE_ADDR's ENODEV rows (§3.4), through the raw interface.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BAD_PTR, E, R, cell, init, machine, type Machine } from "./vcpu-raw.js";

function attr(m: Machine, group: number, a: bigint, value?: number): { arg: Uint8Array; view: DataView } {
  const c = cell(m);
  if (value !== undefined) c.view.setInt32(0, value, true);
  const arg = new Uint8Array(24);
  const v = new DataView(arg.buffer);
  v.setUint32(4, group, true);
  v.setBigUint64(8, a, true);
  v.setBigUint64(16, c.addr, true);
  return { arg, view: c.view };
}

test("§4.8 vCPU events: GET zeroed; SET rejects pad/reserved bytes and serror with ESR; serror_pending is reported", () => {
  const m = machine(1);
  const fd = m.vcpus[0]!;
  assert.equal(init(m, fd), 0);
  const ev = new Uint8Array(64).fill(0xee);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_VCPU_EVENTS, ev), 0);
  assert.deepEqual(ev, new Uint8Array(64));
  for (const byte of [3, 7, 16, 63]) {
    const bad = new Uint8Array(64);
    bad[byte] = 1;
    assert.equal(m.host.ioctl(fd, R.KVM_SET_VCPU_EVENTS, bad), -E.EINVAL, `byte ${byte}`);
  }
  const both = new Uint8Array(64);
  both[0] = 1;
  both[1] = 1;
  assert.equal(m.host.ioctl(fd, R.KVM_SET_VCPU_EVENTS, both), -E.EINVAL);
  const serror = new Uint8Array(64);
  serror[0] = 1;
  assert.equal(m.host.ioctl(fd, R.KVM_SET_VCPU_EVENTS, serror), 0);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_VCPU_EVENTS, ev), 0);
  assert.equal(ev[0], 1);
  assert.equal(m.host.ioctl(fd, R.KVM_SET_VCPU_EVENTS, BAD_PTR), -E.EFAULT);
  assert.equal(m.host.ioctl(fd, R.KVM_GET_VCPU_EVENTS, BAD_PTR), -E.EFAULT);
});

test("§4.9 timer attributes: defaults 27/30, HAS, ENXIO for others, SET needs an irqchip and a PPI, VM-wide", () => {
  const m = machine(2);
  const [a, b] = m.vcpus as [number, number];
  const get = (fd: number, which: bigint): number => {
    const { arg, view } = attr(m, 1, which);
    assert.equal(m.host.ioctl(fd, R.KVM_GET_DEVICE_ATTR, arg), 0);
    return view.getInt32(0, true);
  };
  assert.equal(get(a, 0n), 27);
  assert.equal(get(a, 1n), 30);
  assert.equal(m.host.ioctl(a, R.KVM_HAS_DEVICE_ATTR, attr(m, 1, 0n).arg), 0);
  assert.equal(m.host.ioctl(a, R.KVM_HAS_DEVICE_ATTR, attr(m, 1, 1n).arg), 0);
  assert.equal(m.host.ioctl(a, R.KVM_HAS_DEVICE_ATTR, attr(m, 1, 2n).arg), -E.ENXIO);
  assert.equal(m.host.ioctl(a, R.KVM_HAS_DEVICE_ATTR, attr(m, 0, 0n).arg), -E.ENXIO, "PMU group on ARM32");
  assert.equal(m.host.ioctl(a, R.KVM_GET_DEVICE_ATTR, attr(m, 1, 2n).arg), -E.ENXIO);
  assert.equal(m.host.ioctl(a, R.KVM_SET_DEVICE_ATTR, attr(m, 2, 0n, 20).arg), -E.ENXIO);
  assert.equal(m.host.ioctl(a, R.KVM_SET_DEVICE_ATTR, attr(m, 1, 0n, 20).arg), -E.EINVAL, "no in-kernel irqchip");
  assert.equal(m.host.ioctl(m.vm, R.KVM_CREATE_IRQCHIP, 0), 0);
  for (const bad of [15, 32, -1]) assert.equal(m.host.ioctl(a, R.KVM_SET_DEVICE_ATTR, attr(m, 1, 0n, bad).arg), -E.EINVAL, `${bad}`);
  assert.equal(m.host.ioctl(a, R.KVM_SET_DEVICE_ATTR, attr(m, 1, 0n, 20).arg), 0);
  assert.equal(m.host.ioctl(a, R.KVM_SET_DEVICE_ATTR, attr(m, 1, 1n, 21).arg), 0);
  assert.equal(get(b, 0n), 20, "applies to every vCPU");
  assert.equal(get(b, 1n), 21);
  const badPtr = attr(m, 1, 0n);
  new DataView(badPtr.arg.buffer).setBigUint64(16, BAD_PTR, true);
  assert.equal(m.host.ioctl(a, R.KVM_SET_DEVICE_ATTR, badPtr.arg), -E.EFAULT);
  assert.equal(m.host.ioctl(a, R.KVM_GET_DEVICE_ATTR, badPtr.arg), -E.EFAULT);
});

test("§3.5 KVM_IRQ_LINE without irqchip: CPU lines only; index and irq_id checks; SPI/PPI ENXIO; type 3 EINVAL", () => {
  const m = machine(2);
  const line = (irq: number, level: number, req: number = R.KVM_IRQ_LINE): number =>
    m.host.ioctl(m.vm, req, new Uint8Array(new Uint32Array([irq, level]).buffer));
  assert.equal(line(0x00000000, 1), 0, "vCPU 0 IRQ");
  assert.equal(line(0x00010001, 1), 0, "vCPU 1 FIQ");
  assert.equal(line(0x00020000, 1), -E.EINVAL, "vCPU index 2 of 2");
  assert.equal(line(0x10000000, 1), -E.EINVAL, "vcpu2_index 1 = index 256");
  assert.equal(line(0x00000002, 1), -E.EINVAL, "irq_id 2");
  assert.equal(line(0x01000021, 1), -E.ENXIO, "SPI");
  assert.equal(line(0x0201001b, 1), -E.ENXIO, "PPI");
  assert.equal(line(0x03000000, 1), -E.EINVAL);
  assert.equal(line(0x00000000, 0, R.KVM_IRQ_LINE_STATUS), 0);
  assert.equal(m.host.ioctl(m.vm, R.KVM_IRQ_LINE, BAD_PTR), -E.EFAULT);
  assert.equal(m.host.ioctl(m.vm, R.KVM_CREATE_IRQCHIP, 0), 0);
  assert.equal(line(0x00000000, 1), -E.ENXIO, "CPU lines belong to the in-kernel irqchip now");
  assert.equal(m.host.ioctl(m.vm, R.KVM_CREATE_IRQCHIP, 0), -E.EEXIST);
});

test("§3.4 KVM_ARM_SET_DEVICE_ADDR: device id != 0 / type not 0,1 / no vGIC are ENODEV", () => {
  const m = machine(1);
  const addr = (id: number, a: bigint): number => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, BigInt(id), true);
    v.setBigUint64(8, a, true);
    return m.host.ioctl(m.vm, R.KVM_ARM_SET_DEVICE_ADDR, b);
  };
  assert.equal(addr(0, 0x8000000n), -E.ENODEV, "no vGIC yet");
  assert.equal(m.host.ioctl(m.vm, R.KVM_CREATE_IRQCHIP, 0), 0);
  assert.equal(addr(0x10000, 0x8000000n), -E.ENODEV, "device id 1");
  assert.equal(addr(2, 0x8000000n), -E.ENODEV, "address type 2");
  assert.equal(addr(0, 0x8000000n), 0);
  assert.equal(addr(0, 0x9000000n), -E.EEXIST);
  assert.equal(addr(1, 0x8010000n), 0);
  assert.equal(m.host.ioctl(m.vm, R.KVM_ARM_SET_DEVICE_ADDR, BAD_PTR), -E.EFAULT);
});
