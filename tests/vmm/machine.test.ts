// The virt machine's device tree: addresses/interrupts from reference kvm-arm32-abi.md §10.6, MPIDRs
// from §6.3, PSCI ids from §8.2, bindings from Linux's DT bindings; dtc must read it without warnings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { machineDeviceTree, machineDtb, type MachineConfig, UART_INTID, RTC_INTID, virtioMmioBase, virtioMmioIntid } from "../../src/vmm/machine.js";
import { dtcDecompile } from "./fdt/dtc.js";

const MiB = 1024 * 1024;
const words = (v: Uint8Array | undefined) => {
  assert.ok(v, "property missing");
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return Array.from({ length: v.length / 4 }, (_, i) => dv.getUint32(i * 4, false));
};
const text = (v: Uint8Array | undefined) => {
  assert.ok(v, "property missing");
  return new TextDecoder().decode(v).split("\0").slice(0, -1);
};

const config: MachineConfig = {
  ramBytes: 256 * MiB,
  cpus: ["cortex-a15", "cortex-a15", "cortex-a7", "cortex-a7", "cortex-a7", "cortex-a7"],
  virtioSlots: [2, 0],
  bootargs: "console=ttyAMA0 rdinit=/init",
  initrd: { start: 0x4800_0000, end: 0x4812_3456 },
};

test("virt interrupt numbers: UART INTID 33, RTC 34, virtio slot n at 0x0A000000 + n*0x200 with INTID 48 + n", () => {
  assert.equal(UART_INTID, 33);
  assert.equal(RTC_INTID, 34);
  assert.equal(virtioMmioBase(0), 0x0a00_0000);
  assert.equal(virtioMmioBase(31), 0x0a00_3e00);
  assert.equal(virtioMmioIntid(0), 48);
  assert.equal(virtioMmioIntid(31), 79);
});

test("dtc reads the machine's blob without warnings and sees every node", () => {
  const { dts, stderr, status } = dtcDecompile(machineDtb(config));
  assert.equal(status, 0);
  assert.equal(stderr, "");
  for (const node of [
    "intc@8000000", "memory@40000000", "cpus", "cpu@0", "cpu@1", "cpu@2", "cpu@3", "cpu@100", "cpu@101",
    "psci", "timer", "apb-pclk", "pl011@9000000", "pl031@9010000", "virtio_mmio@a000000", "virtio_mmio@a000400",
    "chosen", "aliases",
  ]) {
    assert.match(dts, new RegExp(`\\s${node} \\{`), node);
  }
  assert.doesNotMatch(dts, /virtio_mmio@a000200/);
  assert.match(dts, /compatible = "linux,dummy-virt";/);
  assert.match(dts, /bootargs = "console=ttyAMA0 rdinit=\/init";/);
  assert.match(dts, /stdout-path = "\/pl011@9000000";/);
  assert.match(dts, /clock-names = "uartclk\\0apb_pclk";/);
});

test("root, memory, chosen", () => {
  const t = machineDeviceTree(config);
  assert.deepEqual(words(t.root.get("#address-cells")), [2]);
  assert.deepEqual(words(t.root.get("#size-cells")), [2]);
  assert.deepEqual(words(t.find("/memory@40000000")!.get("reg")), [0, 0x4000_0000, 0, 0x1000_0000]);
  assert.deepEqual(text(t.find("/memory@40000000")!.get("device_type")), ["memory"]);
  const chosen = t.find("/chosen")!;
  assert.deepEqual(words(chosen.get("linux,initrd-start")), [0, 0x4800_0000]);
  assert.deepEqual(words(chosen.get("linux,initrd-end")), [0, 0x4812_3456]);
  assert.deepEqual(text(t.find("/aliases")!.get("serial0")), ["/pl011@9000000"]);
  assert.equal(machineDeviceTree({ ramBytes: 64 * MiB, cpus: ["cortex-a15"] }).find("/chosen")!.get("linux,initrd-start"), undefined);
});

test("cpus: one node per vCPU, reg = MPIDR affinity (Aff1 = id/4, Aff0 = id%4), model per vCPU, psci enable-method", () => {
  const t = machineDeviceTree(config);
  const cpus = t.find("/cpus")!;
  assert.deepEqual(words(cpus.get("#address-cells")), [1]);
  assert.deepEqual(words(cpus.get("#size-cells")), [0]);
  const expected = [
    ["cpu@0", 0x000, "arm,cortex-a15"], ["cpu@1", 0x001, "arm,cortex-a15"], ["cpu@2", 0x002, "arm,cortex-a7"],
    ["cpu@3", 0x003, "arm,cortex-a7"], ["cpu@100", 0x100, "arm,cortex-a7"], ["cpu@101", 0x101, "arm,cortex-a7"],
  ] as const;
  assert.deepEqual(cpus.children.map((c) => c.name), expected.map((e) => e[0]));
  for (const [name, mpidr, compat] of expected) {
    const cpu = cpus.child(name)!;
    assert.deepEqual(words(cpu.get("reg")), [mpidr]);
    assert.deepEqual(text(cpu.get("compatible")), [compat]);
    assert.deepEqual(text(cpu.get("enable-method")), ["psci"]);
    assert.deepEqual(text(cpu.get("device_type")), ["cpu"]);
  }
});

test("psci: compatible per version, hvc, function ids (0.1: KVM's 0x95C1BA5E+n; 0.2+: 0x84000001/2/3/5)", () => {
  const v10 = machineDeviceTree(config).find("/psci")!;
  assert.deepEqual(text(v10.get("compatible")), ["arm,psci-1.0", "arm,psci-0.2", "arm,psci"]);
  assert.deepEqual(text(v10.get("method")), ["hvc"]);
  assert.deepEqual([v10.get("cpu_suspend"), v10.get("cpu_off"), v10.get("cpu_on"), v10.get("migrate")].map((v) => words(v)[0]),
    [0x84000001, 0x84000002, 0x84000003, 0x84000005]);
  const v02 = machineDeviceTree({ ...config, psci: "0.2" }).find("/psci")!;
  assert.deepEqual(text(v02.get("compatible")), ["arm,psci-0.2", "arm,psci"]);
  const v01 = machineDeviceTree({ ...config, psci: "0.1" }).find("/psci")!;
  assert.deepEqual(text(v01.get("compatible")), ["arm,psci"]);
  assert.deepEqual([v01.get("cpu_suspend"), v01.get("cpu_off"), v01.get("cpu_on"), v01.get("migrate")].map((v) => words(v)[0]),
    [0x95c1ba5e, 0x95c1ba5f, 0x95c1ba60, 0x95c1ba61]);
});

test("GIC, timer PPIs 13/14/11/10 with the CPU mask, PrimeCells with clocks, virtio SPIs", () => {
  const t = machineDeviceTree(config);
  const intc = t.find("/intc@8000000")!;
  assert.deepEqual(text(intc.get("compatible")), ["arm,cortex-a15-gic"]);
  assert.deepEqual(words(intc.get("#interrupt-cells")), [3]);
  assert.equal(intc.get("interrupt-controller")!.length, 0);
  assert.deepEqual(words(intc.get("reg")), [0, 0x0800_0000, 0, 0x1_0000, 0, 0x0801_0000, 0, 0x1_0000]);
  assert.deepEqual(words(t.root.get("interrupt-parent")), words(intc.get("phandle")));

  // 6 CPUs: mask 0b111111 in bits 15..8, level-high (4)
  const timer = t.find("/timer")!;
  assert.deepEqual(text(timer.get("compatible")), ["arm,armv7-timer"]);
  assert.deepEqual(words(timer.get("interrupts")), [1, 13, 0x3f04, 1, 14, 0x3f04, 1, 11, 0x3f04, 1, 10, 0x3f04]);
  assert.equal(timer.get("always-on")!.length, 0);
  const one = machineDeviceTree({ ramBytes: 64 * MiB, cpus: ["cortex-a7"] }).find("/timer")!;
  assert.deepEqual(words(one.get("interrupts")).filter((_, i) => i % 3 === 2), [0x104, 0x104, 0x104, 0x104]);

  const clk = t.find("/apb-pclk")!;
  assert.deepEqual(text(clk.get("compatible")), ["fixed-clock"]);
  assert.deepEqual(words(clk.get("clock-frequency")), [24_000_000]);
  assert.deepEqual(words(clk.get("#clock-cells")), [0]);
  const clkPhandle = words(clk.get("phandle"))[0];

  const uart = t.find("/pl011@9000000")!;
  assert.deepEqual(text(uart.get("compatible")), ["arm,pl011", "arm,primecell"]);
  assert.deepEqual(words(uart.get("reg")), [0, 0x0900_0000, 0, 0x1000]);
  assert.deepEqual(words(uart.get("interrupts")), [0, 1, 4]); // SPI 1 -> INTID 33
  assert.deepEqual(words(uart.get("clocks")), [clkPhandle, clkPhandle]);
  assert.deepEqual(text(uart.get("clock-names")), ["uartclk", "apb_pclk"]);

  const rtc = t.find("/pl031@9010000")!;
  assert.deepEqual(text(rtc.get("compatible")), ["arm,pl031", "arm,primecell"]);
  assert.deepEqual(words(rtc.get("interrupts")), [0, 2, 4]);

  const v2 = t.find("/virtio_mmio@a000400")!;
  assert.deepEqual(text(v2.get("compatible")), ["virtio,mmio"]);
  assert.deepEqual(words(v2.get("reg")), [0, 0x0a00_0400, 0, 0x200]);
  assert.deepEqual(words(v2.get("interrupts")), [0, 18, 1]); // SPI 16 + 2 -> INTID 50
});

test("header: boot_cpuid_phys is vCPU 0's MPIDR affinity", () => {
  const b = machineDtb(config);
  assert.equal(new DataView(b.buffer).getUint32(28, false), 0);
});

test("invalid machine configurations are refused with a reason", () => {
  assert.throws(() => machineDtb({ ramBytes: 0, cpus: ["cortex-a15"] }), /RAM size/);
  assert.throws(() => machineDtb({ ramBytes: 3 * 1024 * MiB + 4096, cpus: ["cortex-a15"] }), /exceeds/);
  assert.throws(() => machineDtb({ ramBytes: 64 * MiB, cpus: [] }), /CPU count/);
  assert.throws(() => machineDtb({ ramBytes: 64 * MiB, cpus: Array(9).fill("cortex-a15") }), /CPU count/);
  assert.throws(() => machineDtb({ ramBytes: 64 * MiB, cpus: ["cortex-a15"], virtioSlots: [32] }), /slot/);
  assert.throws(() => machineDtb({ ramBytes: 64 * MiB, cpus: ["cortex-a15"], virtioSlots: [1, 1] }), /twice/);
  assert.throws(() => machineDtb({ ramBytes: 64 * MiB, cpus: ["cortex-a15"], initrd: { start: 0x3000_0000, end: 0x4000_0000 } }), /initrd/);
  // the largest machine is fine and dtc accepts it
  const { stderr } = dtcDecompile(machineDtb({ ramBytes: 3 * 1024 * MiB, cpus: Array(8).fill("cortex-a15"), virtioSlots: [...Array(32).keys()] }));
  assert.equal(stderr, "");
});
