/**
 * The bare-metal test bus's own contract (test-bus.ts): RAM and device placement as on QEMU's virt
 * board, UART output, and the GIC stub's acknowledge/complete protocol for the timer PPIs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ACCESS_READ, PHYS_FAULT, PHYS_IO, PHYS_RAM } from "../../../../../src/arch/arm/memory.js";
import { BareMetalBus, GICC_EOIR, GICC_IAR, RAM_BASE, RAM_SIZE, UART_DR } from "./test-bus.js";

test("RAM spans 256 MiB from 0x40000000; UART and GIC are I/O; other addresses fault", () => {
  const bus = new BareMetalBus();
  const out = { region: -1, offset: -1 };
  assert.equal(bus.lookup(RAM_BASE + 0x1234, ACCESS_READ, out), PHYS_RAM);
  assert.deepEqual(out, { region: 0, offset: 0x1000 });
  assert.equal(bus.lookup(RAM_BASE + RAM_SIZE - 1, ACCESS_READ, out), PHYS_RAM);
  assert.equal(bus.lookup(RAM_BASE + RAM_SIZE, ACCESS_READ, out), PHYS_FAULT);
  assert.equal(bus.lookup(RAM_BASE - 1, ACCESS_READ, out), PHYS_FAULT);
  assert.equal(bus.lookup(UART_DR, ACCESS_READ, out), PHYS_IO);
  assert.equal(bus.lookup(0x0800_0000, ACCESS_READ, out), PHYS_IO);
  assert.equal(bus.lookup(0x0801_0fff, ACCESS_READ, out), PHYS_IO);
  assert.equal(bus.lookup(0x0802_0000, ACCESS_READ, out), PHYS_FAULT);
});

test("bytes written to UARTDR are the console text", () => {
  const bus = new BareMetalBus();
  for (const c of "ok x\n") bus.ioWrite(UART_DR, 4, c.charCodeAt(0) | 0x100);
  assert.equal(bus.text, "ok x\n");
});

test("GIC stub: IAR acknowledges a high timer output once until EOIR, else 1023", () => {
  const bus = new BareMetalBus();
  assert.equal(bus.ioRead(GICC_IAR, 4), 1023);
  bus.setTimerOutputs(true, false);
  assert.equal(bus.irqLevel, true);
  assert.equal(bus.ioRead(GICC_IAR, 4), 27);
  assert.equal(bus.irqLevel, false, "active: no longer signalled");
  assert.equal(bus.ioRead(GICC_IAR, 4), 1023);
  bus.ioWrite(GICC_EOIR, 4, 27);
  assert.equal(bus.irqLevel, true, "still high after EOI: pending again");
  bus.setTimerOutputs(false, true);
  assert.equal(bus.ioRead(GICC_IAR, 4), 30);
  bus.ioWrite(GICC_EOIR, 4, 30);
  bus.setTimerOutputs(false, false);
  assert.equal(bus.irqLevel, false);
  assert.equal(bus.ioRead(GICC_IAR, 4), 1023);
});

test("loading outside RAM is refused", () => {
  const bus = new BareMetalBus();
  assert.throws(() => bus.load(RAM_BASE - 4, new Uint8Array(8)), /outside RAM/);
  bus.load(RAM_BASE + 8, Uint8Array.of(1, 2, 3));
  assert.deepEqual([...bus.ram.subarray(8, 11)], [1, 2, 3]);
});
