/**
 * Runs a bare-metal guest ELF on tskvm's ARM core over the test bus: loads the PT_LOAD segments at
 * their addresses, puts the core in the state QEMU's `virt -kernel` gives a bare ELF (SVC mode,
 * A/I/F masked, ARM state, MMU off, PC = entry), then runs it in slices until the guest powers off
 * through PSCI SYSTEM_OFF (`hvc #0`, r0 = 0x84000008), sampling the generic timer's outputs between
 * slices into the bus's interrupt stub and driving the core's IRQ input from it.
 *
 * The privileged core (system mode, exception entry, IRQ input, timer) is being written alongside
 * these tests; `PrivilegedCore` below names what this runner uses, each member optional so the
 * runner works (and says precisely what is missing) whatever has landed. A stop that a privileged
 * core takes as an exception itself (UNDEFINED, SVC, aborts, BKPT) ends the run with a diagnosis.
 */
import { ArmCpu, STOP_BUDGET, STOP_HVC, STOP_WFE, STOP_WFI } from "../../../../../src/arch/arm/cpu.js";
import * as stops from "../../../../../src/arch/arm/stop.js";
import { BareMetalBus } from "./test-bus.js";
import { parseGuestOutput, type BareMetalResult } from "./result.js";

export const PSCI_SYSTEM_OFF = 0x8400_0008;
/** CPSR at entry: SVC mode, A, I, F masked, ARM state, little-endian. */
export const RESET_CPSR = 0x1d3;

/** The privileged-core surface this runner drives (see file comment). */
interface PrivilegedCore {
  /** Switch the core from user-mode emulation (tskvm user) to a full PL1 system. */
  systemMode: boolean;
  /** Architectural reset of the system state (CP15 reset values, CPSR 0x1d3). */
  reset(): void;
  /** Level of the IRQ input. */
  setIrqLine(level: boolean): void;
  /** Generic timer, with its interrupt outputs. */
  timer: { readonly virtualOutput?: boolean; readonly physicalOutput?: boolean; virtIrq?: boolean; physIrq?: boolean };
}

export interface RunOptions {
  model?: "cortex-a15" | "cortex-a7";
  /** Instruction budget for the whole run (default 200 million). */
  budget?: number;
  /** Instructions per run slice between timer samples (default 20 000). */
  slice?: number;
}

const STOP_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(stops).filter(([k, v]) => k.startsWith("STOP_") && typeof v === "number").map(([k, v]) => [v as number, k]),
);

function hex(v: number): string {
  return "0x" + (v >>> 0).toString(16).padStart(8, "0");
}

/**
 * Loads an ELF32 little-endian ARM executable's PT_LOAD segments at their physical addresses (as
 * QEMU's ELF loader does; ours link VMA = LMA) and returns the entry point.
 */
export function loadGuest(bus: BareMetalBus, image: Uint8Array): number {
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (image.length < 52 || v.getUint32(0, false) !== 0x7f454c46 || image[4] !== 1 || image[5] !== 1 || v.getUint16(18, true) !== 40) {
    throw new Error("not an ELF32 little-endian ARM executable");
  }
  const phoff = v.getUint32(28, true), phentsize = v.getUint16(42, true), phnum = v.getUint16(44, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (v.getUint32(at, true) !== 1 /* PT_LOAD */) continue;
    const offset = v.getUint32(at + 4, true), paddr = v.getUint32(at + 12, true), filesz = v.getUint32(at + 16, true);
    bus.load(paddr, image.subarray(offset, offset + filesz)); // RAM starts zeroed: the rest is .bss
  }
  return v.getUint32(24, true);
}

function timerOutputs(core: Partial<PrivilegedCore>): [boolean, boolean] {
  const t = core.timer;
  if (!t) return [false, false];
  return [Boolean(t.virtualOutput ?? t.virtIrq), Boolean(t.physicalOutput ?? t.physIrq)];
}

export function runOnTskvm(image: Uint8Array, options: RunOptions = {}): BareMetalResult {
  const bus = new BareMetalBus();
  const entry = loadGuest(bus, image);
  const cpu = new ArmCpu({ memory: bus, model: options.model ?? "cortex-a15" });
  const core = cpu as unknown as Partial<PrivilegedCore>;
  if ("systemMode" in cpu) core.systemMode = true;
  if (typeof core.reset === "function") core.reset();
  cpu.cpsr = RESET_CPSR;
  cpu.pc = entry;
  const missing: string[] = [];
  if (!("systemMode" in cpu)) missing.push("systemMode");
  if (typeof core.setIrqLine !== "function") missing.push("setIrqLine");
  if (core.timer === undefined) missing.push("timer");

  const budget = options.budget ?? 200_000_000;
  const slice = options.slice ?? 20_000;
  const finish = (why: string | undefined): BareMetalResult =>
    parseGuestOutput(bus.text, why === undefined ? undefined : missing.length ? `${why} (core lacks: ${missing.join(", ")})` : why);
  // The GIC stub sees the timer outputs and drives the IRQ input at every GIC access too (as a real
  // GIC samples its PPIs continuously): an acknowledged interrupt must drop the line before the
  // handler returns, or the core would take it again within the same slice.
  const sync = (): void => {
    const [virt, phys] = timerOutputs(core);
    bus.setTimerOutputs(virt, phys);
    if (typeof core.setIrqLine === "function") core.setIrqLine(bus.irqLevel);
  };
  const ioRead = bus.ioRead.bind(bus), ioWrite = bus.ioWrite.bind(bus);
  bus.ioRead = (pa, size) => {
    sync();
    const v = ioRead(pa, size);
    sync();
    return v;
  };
  bus.ioWrite = (pa, size, value) => {
    const r = ioWrite(pa, size, value);
    sync();
    return r;
  };
  try {
    while (cpu.retired < budget) {
      const reason = cpu.run(slice);
      sync();
      if (reason === STOP_BUDGET || reason === STOP_WFI || reason === STOP_WFE) continue;
      if (reason === STOP_HVC) {
        const fn = cpu.regs[0]! >>> 0;
        if (fn === PSCI_SYSTEM_OFF) return finish(undefined);
        return finish(`HVC with r0 = ${hex(fn)} at ${hex(cpu.pc)}: not PSCI SYSTEM_OFF`);
      }
      const info = cpu.stopInfo;
      return finish(
        `core stopped with ${STOP_NAMES[reason] ?? reason} at pc ${hex(cpu.pc)} (insn ${hex(info.insn)}, address ${hex(info.address)}, ` +
          `status ${hex(info.status)}, cpsr ${hex(cpu.cpsr)}) instead of taking the exception itself`,
      );
    }
    return finish(`no PSCI SYSTEM_OFF within ${budget} instructions (pc ${hex(cpu.pc)}, cpsr ${hex(cpu.cpsr)})`);
  } catch (e) {
    return finish(`JavaScript exception out of the core at pc ${hex(cpu.pc)}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
}
