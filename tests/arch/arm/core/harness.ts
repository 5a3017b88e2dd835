/**
 * Test support for the ARM core: a flat physical memory (one region, every page RAM below `size`),
 * snippet assembly with Debian's arm-linux-gnueabihf binutils, and a runner that executes a snippet
 * until it stops (snippets end with `svc #0`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArmCpu } from "../../../../src/arch/arm/cpu.js";
import { enableFpSimdAccess } from "../../../../src/arch/arm/fp-simd.js";
import {
  ACCESS_WRITE, PHYS_FAULT, PHYS_RAM, type AccessKind, type PhysicalMemoryPort, type PhysPage,
} from "../../../../src/arch/arm/memory.js";

export const CODE_BASE = 0x10000;

/**
 * Snippets run through the block translator from their first instruction (threshold 1), so every
 * snippet test checks translated code; TSKVM_ARM_TRANSLATE_THRESHOLD=Infinity runs them on the
 * interpreter alone (translate.test.ts compares the two directly).
 */
export const TRANSLATE_THRESHOLD = Number(process.env.TSKVM_ARM_TRANSLATE_THRESHOLD ?? "1");
export const DATA_BASE = 0x20000;

export class FlatMemory implements PhysicalMemoryPort {
  readonly regions: Uint8Array[];
  generation = 0;
  /** pages (page numbers) that refuse writes / all access */
  readonly readOnly = new Set<number>();
  readonly unmapped = new Set<number>();
  constructor(readonly size = 0x100000) {
    this.regions = [new Uint8Array(size)];
  }
  lookup(pa: number, access: AccessKind, out: PhysPage): 0 | 1 | 2 {
    const page = Math.floor(pa / 4096);
    if (pa >= this.size || this.unmapped.has(page)) return PHYS_FAULT;
    if (access === ACCESS_WRITE && this.readOnly.has(page)) return PHYS_FAULT;
    out.region = 0;
    out.offset = page * 4096;
    return PHYS_RAM;
  }
  ioRead(): number {
    return 0;
  }
  ioWrite(): number {
    return 0;
  }
  get bytes(): Uint8Array {
    return this.regions[0];
  }
  view(): DataView {
    const b = this.regions[0];
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
}

const cache = new Map<string, Uint8Array>();

/** Assemble `source` (ARM or Thumb) into a flat binary placed at address 0. */
export function assemble(source: string, thumb: boolean): Uint8Array {
  const key = (thumb ? "T:" : "A:") + source;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), "armsnip-"));
  try {
    const header = `.syntax unified\n.arch armv7ve\n${thumb ? ".thumb" : ".arm"}\n.text\n`;
    writeFileSync(join(dir, "a.s"), header + source + "\n");
    execFileSync("arm-linux-gnueabihf-as", ["-march=armv7ve", "-mfpu=neon-vfpv4", "-o", join(dir, "a.o"), join(dir, "a.s")]);
    execFileSync("arm-linux-gnueabihf-objcopy", ["-O", "binary", "-j", ".text", join(dir, "a.o"), join(dir, "a.bin")]);
    const bin = new Uint8Array(readFileSync(join(dir, "a.bin")));
    cache.set(key, bin);
    return bin;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunOptions {
  thumb?: boolean;
  regs?: Record<number, number>;
  /** CPSR flags to start with (bits 31..27) */
  flags?: number;
  budget?: number;
  memory?: FlatMemory;
}

/** Assemble and run a snippet from CODE_BASE until it stops. Returns the CPU and the stop reason. */
export function run(source: string, opts: RunOptions = {}): { cpu: ArmCpu; stop: number; mem: FlatMemory } {
  const thumb = opts.thumb ?? false;
  const mem = opts.memory ?? new FlatMemory();
  const code = assemble(source, thumb);
  mem.bytes.set(code, CODE_BASE);
  const cpu = new ArmCpu({ memory: mem, translateThreshold: TRANSLATE_THRESHOLD });
  for (const [r, v] of Object.entries(opts.regs ?? {})) cpu.regs[Number(r)] = v;
  if (cpu.regs[13] === 0) cpu.regs[13] = 0x80000;
  cpu.cpsr = ((opts.flags ?? 0) & 0xf8000000) | (thumb ? 0x20 : 0) | 0x10;
  enableFpSimdAccess(cpu); // a user process as Linux runs it: CPACR cp10/cp11 full access, FPEXC.EN
  cpu.pc = CODE_BASE | (thumb ? 1 : 0);
  const stop = cpu.run(opts.budget ?? 100000);
  return { cpu, stop, mem };
}

/** Flags as "NZCV" letters (uppercase set, lowercase clear), e.g. "nZCv". */
export function flags(cpu: ArmCpu): string {
  const c = cpu.cpsr >>> 0;
  return (c & 0x80000000 ? "N" : "n") + (c & 0x40000000 ? "Z" : "z") + (c & 0x20000000 ? "C" : "c") + (c & 0x10000000 ? "V" : "v");
}

export function u32(v: number): number {
  return v >>> 0;
}
