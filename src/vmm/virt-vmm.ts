/**
 * A `virt` board VMM (machine.ts's memory map and interrupts) assembled from the generic Vmm and the
 * userspace devices, as QEMU's hw/arm/virt.c wires its board:
 *   PL011 at 0x09000000 (INTID 33) — the console; PL031 at 0x09010000 (INTID 34) — host time;
 *   virtio-mmio slots from 0x0A000000 (INTID 48 + slot): one virtio-blk per disk, in order, then a
 *   virtio-rng; the DTB (machineDtb) describing exactly these, with bootargs and the initrd range.
 * The images are placed by src/vmm/loader (arrangeBoot: QEMU -kernel rules), or a caller's `place`
 * step; it runs again on every reboot so the guest starts from fresh images. A user's DTB (--dtb) is
 * kept but patched for the run as QEMU's -dtb is (fdt/boot-patch.ts: /memory, /chosen, /psci).
 *
 * The console's output is also offered line by line (onConsoleLine), so a caller can act on what
 * the guest says — e.g. the end-of-panic line Linux prints when it will not reboot (linuxPanicReason).
 */
import type { RawKvmHost } from "../abi/syscalls.js";
import { Pl011 } from "../devices/pl011.js";
import { Pl031 } from "../devices/pl031.js";
import { VirtioMmioTransport } from "../devices/virtio/mmio.js";
import { VirtioBlk } from "../devices/virtio/blk.js";
import { VirtioRng } from "../devices/virtio/rng.js";
import { patchBootDtb } from "./fdt/boot-patch.js";
import {
  describePsci, machineDtb, RTC_INTID, UART_INTID, VIRT_MEMORY_MAP, virtioMmioBase, virtioMmioIntid, type MachineConfig,
} from "./machine.js";
import { arrangeBoot } from "./loader/boot.js";
import { Vmm, type BootImage, type CpuModel, type GuestRam, type MappedDevice, type VmmExit } from "./vmm.js";

export interface VirtDisk {
  readonly path: string;
  readonly readOnly: boolean;
}

/** What the loader is asked to place: the DTB is built by `dtb(initrd)` once it knows the initrd range. */
export interface PlaceRequest {
  readonly ram: GuestRam;
  readonly kernel: Uint8Array;
  readonly initrd?: Uint8Array;
  /** A DTB supplied by the user (--dtb) replaces the generated one. */
  readonly dtb: (initrd: { start: number; end: number } | undefined) => Uint8Array;
}

export type PlaceImages = (request: PlaceRequest) => BootImage;

export interface VirtVmmOptions {
  readonly memBytes: number;
  readonly cpus: readonly CpuModel[];
  readonly kernel: Uint8Array;
  readonly initrd?: Uint8Array;
  readonly append?: string;
  /** A user DTB (--dtb) used instead of the generated one, patched per boot by virtUserDtb. */
  readonly dtb?: Uint8Array;
  readonly disks?: readonly VirtDisk[];
  readonly noReboot?: boolean;
  /** Default: the loader's arrangeBoot. */
  readonly place?: PlaceImages;
  /** Guest UART output, byte by byte. */
  readonly transmit: (byte: number) => void;
  /** Each complete line of UART output (after `transmit` has seen its bytes), without CR/LF. */
  readonly onConsoleLine?: (line: string) => void;
  /** Accesses no device claims (default: ignored, reads return 0, as QEMU's unassigned memory). */
  readonly onUnmappedMmio?: (vcpu: number, addr: number, len: number, isWrite: boolean) => void;
}

/** The generated DTB of a configuration (also for --dump-dtb). */
export function virtMachineConfig(o: Pick<VirtVmmOptions, "memBytes" | "cpus" | "append" | "disks">,
  initrd?: { start: number; end: number }): MachineConfig {
  const slots = [...Array((o.disks?.length ?? 0) + 1).keys()]; // disks, then the rng
  return { ramBytes: o.memBytes, cpus: o.cpus, virtioSlots: slots, bootargs: o.append ?? "", initrd };
}

/**
 * A user's DTB made bootable on this board, as QEMU's -dtb: the RAM in /memory, bootargs (when
 * `append` is non-empty) and the initrd range in /chosen, a /psci node if it has none.
 * Throws FdtFormatError when the blob is malformed or lacks what the patch needs.
 */
export function virtUserDtb(blob: Uint8Array, o: Pick<VirtVmmOptions, "memBytes" | "append">,
  initrd?: { start: number; end: number }): Uint8Array {
  return patchBootDtb(blob, {
    memory: { base: VIRT_MEMORY_MAP.ram.base, size: o.memBytes },
    bootargs: o.append,
    initrd,
    psci: (node) => describePsci(node),
  });
}

/**
 * The reason of a Linux kernel panic the guest will not recover from, if `line` is the marker
 * kernel/panic.c prints last: `---[ end Kernel panic - not syncing: <reason> ]---`. Linux prints it
 * only when it will not reboot (panic_timeout 0, or emergency_restart returned); with panic=N it
 * prints "Kernel panic - not syncing: …" and "Rebooting in N seconds.." instead and then resets.
 * A printk timestamp or other text may precede the marker on the line.
 */
export function linuxPanicReason(line: string): string | undefined {
  const m = /---\[ end Kernel panic - not syncing: (.*) \]---/.exec(line);
  return m ? m[1] : undefined;
}

/**
 * True if `line` is what Linux prints when `halt` (reboot(LINUX_REBOOT_CMD_HALT)) stops the machine:
 * kernel_halt() logs "reboot: System halted" and arm's machine_halt() then spins forever with
 * interrupts masked — no PSCI call follows, so no KVM_EXIT_SYSTEM_EVENT. A printk timestamp may
 * precede it.
 */
export function linuxHalted(line: string): boolean {
  return /(^|\] )reboot: System halted$/.test(line);
}

/** The longest console line kept for onConsoleLine; the rest of a longer line is dropped. */
export const CONSOLE_LINE_MAX = 4096;

/** Splits console bytes into LF-terminated lines (CRs dropped), decoded as UTF-8. */
export class ConsoleLines {
  private readonly buf = new Uint8Array(CONSOLE_LINE_MAX);
  private length = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly onLine: (line: string) => void) {}

  byte(b: number): void {
    if (b === 0x0a) {
      const line = this.decoder.decode(this.buf.subarray(0, this.length));
      this.length = 0;
      this.onLine(line);
    } else if (b !== 0x0d && this.length < this.buf.length) {
      this.buf[this.length++] = b;
    }
  }
}

/** The loader's placement (ELF / uImage / zImage / raw; initrd and DTB above the kernel). */
export const loaderPlacement: PlaceImages = (req) => {
  const layout = arrangeBoot(req.ram, { kernel: req.kernel, initrd: req.initrd, dtb: req.dtb });
  return { entry: layout.pc, dtb: layout.r2, cpsr: layout.cpsr };
};

export class VirtVmm {
  readonly vmm: Vmm;
  private uart: Pl011 | undefined;
  private rtc: Pl031 | undefined;
  /** Host input the UART's RX FIFO could not take yet. */
  private pendingInput: Uint8Array[] = [];
  private rtcTimer: NodeJS.Timeout | undefined;

  constructor(host: RawKvmHost, private readonly options: VirtVmmOptions) {
    const o = options;
    this.vmm = new Vmm(host, {
      ramBase: VIRT_MEMORY_MAP.ram.base,
      ramSize: o.memBytes,
      cpus: o.cpus,
      gicDist: VIRT_MEMORY_MAP.gicDistributor.base,
      gicCpu: VIRT_MEMORY_MAP.gicCpuInterface.base,
      noReboot: o.noReboot,
      onUnmappedMmio: o.onUnmappedMmio,
      boot: (ram) =>
        (o.place ?? loaderPlacement)({
          ram,
          kernel: o.kernel,
          initrd: o.initrd,
          dtb: (initrd) => (o.dtb ? virtUserDtb(o.dtb, o, initrd) : machineDtb(virtMachineConfig(o, initrd))),
        }),
      devices: (ctx) => {
        const lines = o.onConsoleLine ? new ConsoleLines(o.onConsoleLine) : undefined;
        const uart = (this.uart = new Pl011({
          irq: ctx.irqLine(UART_INTID),
          transmit: lines ? (b) => { o.transmit(b); lines.byte(b); } : o.transmit,
          rxSpaceAvailable: () => this.feedUart(),
        }));
        const rtc = (this.rtc = new Pl031({ irq: ctx.irqLine(RTC_INTID) }));
        const list: MappedDevice[] = [
          { base: VIRT_MEMORY_MAP.uart.base, device: uart, name: "pl011", reset: () => uart.reset() },
          { base: VIRT_MEMORY_MAP.rtc.base, device: rtc, name: "pl031", reset: () => rtc.reset() },
        ];
        let slot = 0;
        for (const d of o.disks ?? []) {
          const blk = new VirtioBlk({ path: d.path, readOnly: d.readOnly });
          list.push({ base: virtioMmioBase(slot), device: new VirtioMmioTransport(blk, ctx.irqLine(virtioMmioIntid(slot)), ctx.memory), name: `virtio-blk ${d.path}` });
          slot++;
        }
        list.push({ base: virtioMmioBase(slot), device: new VirtioMmioTransport(new VirtioRng(), ctx.irqLine(virtioMmioIntid(slot)), ctx.memory), name: "virtio-rng" });
        return list;
      },
    });
  }

  /** Host → guest console bytes; what the RX FIFO cannot take waits for the guest to read. */
  input(bytes: Uint8Array): void {
    this.pendingInput.push(bytes.slice());
    this.feedUart();
  }

  private feedUart(): void {
    const uart = this.uart;
    while (uart && this.pendingInput.length > 0) {
      const head = this.pendingInput[0]!;
      const n = uart.receive(head);
      if (n === head.length) this.pendingInput.shift();
      else {
        this.pendingInput[0] = head.subarray(n);
        return;
      }
    }
  }

  /** Runs the guest; the RTC's match interrupt is checked once a second while it runs. */
  async run(): Promise<VmmExit> {
    this.rtcTimer = setInterval(() => this.rtc?.poll(), 1000);
    try {
      return await this.vmm.run();
    } finally {
      clearInterval(this.rtcTimer);
    }
  }

  stop(): void {
    this.vmm.stop();
  }

  close(): void {
    this.vmm.close();
  }
}
