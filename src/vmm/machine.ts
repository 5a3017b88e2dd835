// The machine tskvm emulates: compatible with QEMU's `virt` board for 32-bit ARM (GICv2), so kernels
// built for that board boot unchanged. Its memory map and interrupt numbers are data here
// (reference kvm-arm32-abi.md §10.6); `machineDeviceTree` describes a configured machine as the
// device tree Linux reads (bindings: Documentation/devicetree/bindings/… for each node below).

import { DeviceTree, type DeviceTreeNode } from "./fdt/tree.js";
import { flatten } from "./fdt/blob.js";
import { cells, empty, reg, string, strings, u32, u64 } from "./fdt/property.js";

export interface MmioRegion {
  readonly base: number;
  readonly size: number;
}

/** The `virt` memory map. GPAs; all below 4 GiB. */
export const VIRT_MEMORY_MAP = {
  gicDistributor: { base: 0x0800_0000, size: 0x1_0000 },
  gicCpuInterface: { base: 0x0801_0000, size: 0x1_0000 },
  uart: { base: 0x0900_0000, size: 0x1000 },
  rtc: { base: 0x0901_0000, size: 0x1000 },
  /** 32 virtio-mmio transports, 0x200 bytes apart. */
  virtioMmio: { base: 0x0a00_0000, size: 0x200 },
  ram: { base: 0x4000_0000 },
} as const;

export const VIRTIO_MMIO_SLOTS = 32;

/** SPI numbers (GIC INTID = SPI + 32, the `KVM_IRQ_LINE` SPI number is the INTID). */
export const VIRT_SPI = {
  uart: 1,
  rtc: 2,
  /** virtio-mmio slot n uses SPI 16 + n. */
  virtioMmioFirst: 16,
} as const;

/** Arch timer PPIs in the DT's order: secure phys, non-secure phys, virtual, hyp (INTIDs 29, 30, 27, 26). */
export const ARCH_TIMER_PPIS = [13, 14, 11, 10] as const;

/** The GIC's first SPI INTID. */
export const GIC_SPI_BASE = 32;

/** RAM may span from its base up to the 4 GiB boundary (no LPAE high memory). */
export const VIRT_MAX_RAM_BYTES = 0x1_0000_0000 - VIRT_MEMORY_MAP.ram.base;

/** GICv2 addresses at most 8 CPU interfaces. */
export const VIRT_MAX_CPUS = 8;

/** 24 MHz: the fixed APB clock QEMU's virt board gives its PrimeCells. */
export const APB_PCLK_HZ = 24_000_000;

export type CpuModel = "cortex-a15" | "cortex-a7";
export type PsciVersion = "0.1" | "0.2" | "1.0";

export interface MachineConfig {
  /** RAM size in bytes. */
  readonly ramBytes: number;
  /** One entry per vCPU, in vCPU-id order; models may be mixed (big.LITTLE). */
  readonly cpus: readonly CpuModel[];
  /** PSCI version the vCPUs implement (KVM: 0.1 without KVM_ARM_VCPU_PSCI_0_2, else 1.0). Default 1.0. */
  readonly psci?: PsciVersion;
  /** Populated virtio-mmio slots (0..31). */
  readonly virtioSlots?: readonly number[];
  /** Kernel command line for /chosen/bootargs. */
  readonly bootargs?: string;
  /** Initrd range in guest-physical addresses, end exclusive. */
  readonly initrd?: { readonly start: number; readonly end: number };
}

/** GIC flag cells (binding arm,gic.yaml): type 0 = SPI, 1 = PPI; trigger 1 = edge rising, 4 = level high. */
const GIC_SPI = 0;
const GIC_PPI = 1;
const IRQ_EDGE_RISING = 1;
const IRQ_LEVEL_HIGH = 4;

/** MPIDR affinity of a vCPU (reference §6.3): Aff1 = id / 4, Aff0 = id % 4. The DT's cpu "reg". */
export function vcpuMpidrAffinity(vcpuId: number): number {
  return ((vcpuId >> 2) << 8) | (vcpuId & 3);
}

/** The GPA of virtio-mmio slot n. */
export function virtioMmioBase(slot: number): number {
  return VIRT_MEMORY_MAP.virtioMmio.base + slot * VIRT_MEMORY_MAP.virtioMmio.size;
}

/** The GIC INTID (= KVM_IRQ_LINE SPI number) of virtio-mmio slot n. */
export function virtioMmioIntid(slot: number): number {
  return GIC_SPI_BASE + VIRT_SPI.virtioMmioFirst + slot;
}

export const UART_INTID = GIC_SPI_BASE + VIRT_SPI.uart;
export const RTC_INTID = GIC_SPI_BASE + VIRT_SPI.rtc;

/** The DT path of the console UART, used by /chosen/stdout-path and /aliases/serial0. */
export const UART_PATH = `/pl011@${VIRT_MEMORY_MAP.uart.base.toString(16)}`;

/** PSCI function ids by version (reference §8.2): 0.1 uses KVM's ids, 0.2+ the SMCCC 32-bit ids. */
const PSCI_IDS: Record<PsciVersion, { suspend: number; off: number; on: number; migrate: number }> = {
  "0.1": { suspend: 0x95c1ba5e, off: 0x95c1ba5f, on: 0x95c1ba60, migrate: 0x95c1ba61 },
  "0.2": { suspend: 0x84000001, off: 0x84000002, on: 0x84000003, migrate: 0x84000005 },
  "1.0": { suspend: 0x84000001, off: 0x84000002, on: 0x84000003, migrate: 0x84000005 },
};

const PSCI_COMPATIBLE: Record<PsciVersion, string[]> = {
  "0.1": ["arm,psci"],
  "0.2": ["arm,psci-0.2", "arm,psci"],
  "1.0": ["arm,psci-1.0", "arm,psci-0.2", "arm,psci"],
};

/** Fills a /psci node (binding arm/psci.yaml): the vCPUs' PSCI over HVC, with its function ids. */
export function describePsci(node: DeviceTreeNode, psci: PsciVersion = "1.0"): void {
  const ids = PSCI_IDS[psci];
  node
    .set("compatible", strings(...PSCI_COMPATIBLE[psci]))
    .set("method", string("hvc"))
    .set("cpu_suspend", u32(ids.suspend))
    .set("cpu_off", u32(ids.off))
    .set("cpu_on", u32(ids.on))
    .set("migrate", u32(ids.migrate));
}

/** Throws a RangeError naming the first thing wrong with `config`. */
export function validateMachineConfig(config: MachineConfig): void {
  const { ramBytes, cpus } = config;
  if (!Number.isInteger(ramBytes) || ramBytes <= 0) throw new RangeError(`RAM size must be a positive integer: ${ramBytes}`);
  if (ramBytes % 0x1000 !== 0) throw new RangeError(`RAM size must be a multiple of 4 KiB: ${ramBytes}`);
  if (ramBytes > VIRT_MAX_RAM_BYTES) {
    throw new RangeError(`RAM size ${ramBytes / 0x100000} MiB exceeds the ${VIRT_MAX_RAM_BYTES / 0x100000} MiB below 4 GiB`);
  }
  if (cpus.length < 1 || cpus.length > VIRT_MAX_CPUS) {
    throw new RangeError(`CPU count must be 1..${VIRT_MAX_CPUS} (GICv2): ${cpus.length}`);
  }
  const slots = config.virtioSlots ?? [];
  for (const s of slots) {
    if (!Number.isInteger(s) || s < 0 || s >= VIRTIO_MMIO_SLOTS) throw new RangeError(`virtio-mmio slot out of range: ${s}`);
  }
  if (new Set(slots).size !== slots.length) throw new RangeError("virtio-mmio slot used twice");
  const initrd = config.initrd;
  if (initrd) {
    const ramEnd = VIRT_MEMORY_MAP.ram.base + ramBytes;
    if (!(initrd.start >= VIRT_MEMORY_MAP.ram.base && initrd.start <= initrd.end && initrd.end <= ramEnd)) {
      throw new RangeError("initrd range is not inside RAM");
    }
  }
}

const hex = (n: number) => n.toString(16);

/** The device tree for `config`. */
export function machineDeviceTree(config: MachineConfig): DeviceTree {
  validateMachineConfig(config);
  const psci = config.psci ?? "1.0";
  const map = VIRT_MEMORY_MAP;
  const tree = new DeviceTree();
  tree.bootCpuidPhys = vcpuMpidrAffinity(0);
  const root = tree.root;
  root
    .set("compatible", string("linux,dummy-virt"))
    .set("model", string("tskvm virt (QEMU virt compatible)"))
    .set("#address-cells", u32(2))
    .set("#size-cells", u32(2));

  const intc = root.addNode(`intc@${hex(map.gicDistributor.base)}`);
  const gic = tree.phandle(intc);
  root.set("interrupt-parent", u32(gic));

  const chosen = root.addNode("chosen");
  chosen.set("bootargs", string(config.bootargs ?? "")).set("stdout-path", string(UART_PATH));
  if (config.initrd) {
    chosen.set("linux,initrd-start", u64(config.initrd.start)).set("linux,initrd-end", u64(config.initrd.end));
  }
  root.addNode("aliases").set("serial0", string(UART_PATH));

  root
    .addNode(`memory@${hex(map.ram.base)}`)
    .set("device_type", string("memory"))
    .set("reg", reg([[map.ram.base, config.ramBytes]]));

  const cpusNode = root.addNode("cpus").set("#address-cells", u32(1)).set("#size-cells", u32(0));
  config.cpus.forEach((model, id) => {
    const mpidr = vcpuMpidrAffinity(id);
    cpusNode
      .addNode(`cpu@${hex(mpidr)}`)
      .set("device_type", string("cpu"))
      .set("compatible", string(`arm,${model}`))
      .set("reg", u32(mpidr))
      .set("enable-method", string("psci"));
  });

  describePsci(root.addNode("psci"), psci);

  intc
    .set("compatible", string("arm,cortex-a15-gic"))
    .set("#interrupt-cells", u32(3))
    // An interrupt-map parent's unit address width (dtc's interrupt_provider check); no children.
    .set("#address-cells", u32(0))
    .set("interrupt-controller", empty())
    .set(
      "reg",
      reg([
        [map.gicDistributor.base, map.gicDistributor.size],
        [map.gicCpuInterface.base, map.gicCpuInterface.size],
      ]),
    );

  // GICv2 PPI flags carry a CPU mask in bits 15..8: the CPUs the PPI is wired to.
  const ppiFlags = IRQ_LEVEL_HIGH | (((1 << config.cpus.length) - 1) << 8);
  root
    .addNode("timer")
    .set("compatible", string("arm,armv7-timer"))
    .set("interrupts", cells(...ARCH_TIMER_PPIS.flatMap((ppi) => [GIC_PPI, ppi, ppiFlags])))
    .set("always-on", empty());

  const clockNode = root
    .addNode("apb-pclk")
    .set("compatible", string("fixed-clock"))
    .set("#clock-cells", u32(0))
    .set("clock-frequency", u32(APB_PCLK_HZ))
    .set("clock-output-names", string("clk24mhz"));
  const clock = tree.phandle(clockNode);

  root
    .addNode(`pl011@${hex(map.uart.base)}`)
    .set("compatible", strings("arm,pl011", "arm,primecell"))
    .set("reg", reg([[map.uart.base, map.uart.size]]))
    .set("interrupts", cells(GIC_SPI, VIRT_SPI.uart, IRQ_LEVEL_HIGH))
    .set("clocks", cells(clock, clock))
    .set("clock-names", strings("uartclk", "apb_pclk"));

  root
    .addNode(`pl031@${hex(map.rtc.base)}`)
    .set("compatible", strings("arm,pl031", "arm,primecell"))
    .set("reg", reg([[map.rtc.base, map.rtc.size]]))
    .set("interrupts", cells(GIC_SPI, VIRT_SPI.rtc, IRQ_LEVEL_HIGH))
    .set("clocks", cells(clock))
    .set("clock-names", string("apb_pclk"));

  for (const slot of [...(config.virtioSlots ?? [])].sort((a, b) => a - b)) {
    const base = virtioMmioBase(slot);
    root
      .addNode(`virtio_mmio@${hex(base)}`)
      .set("compatible", string("virtio,mmio"))
      .set("reg", reg([[base, map.virtioMmio.size]]))
      .set("interrupts", cells(GIC_SPI, VIRT_SPI.virtioMmioFirst + slot, IRQ_EDGE_RISING));
  }
  return tree;
}

/** The DTB for `config`. */
export function machineDtb(config: MachineConfig): Uint8Array {
  return flatten(machineDeviceTree(config));
}
