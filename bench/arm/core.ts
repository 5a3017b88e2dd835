/**
 * ARM core micro benchmark: guests/arm-snippets/bench.c (CRC-32, sieve, 64-bit LCG) built for ARM
 * and Thumb-2, run on a flat memory; prints instructions retired and millions per second, by wall
 * clock and by the process's CPU time.
 * Usage: npx tsc -p . && node dist/bench/arm/core.js
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArmCpu, STOP_BUDGET, STOP_SVC } from "../../src/arch/arm/cpu.js";
import { enableFpSimdAccess } from "../../src/arch/arm/fp-simd.js";
import { ACCESS_FETCH, PHYS_FAULT, PHYS_RAM, type PhysicalMemoryPort, type PhysPage } from "../../src/arch/arm/memory.js";

const root = new URL("../../../", import.meta.url).pathname;

class Flat implements PhysicalMemoryPort {
  readonly regions = [new Uint8Array(0x400000)];
  generation = 0;
  lookup(pa: number, _a: typeof ACCESS_FETCH, out: PhysPage): 0 | 2 {
    if (pa >= 0x400000) return PHYS_FAULT;
    out.region = 0;
    out.offset = pa & ~0xfff;
    return PHYS_RAM;
  }
  ioRead(): number { return 0; }
  ioWrite(): number { return 0; }
}

function load(image: Uint8Array, mem: Flat): number {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const phoff = dv.getUint32(0x1c, true), n = dv.getUint16(0x2c, true), size = dv.getUint16(0x2a, true);
  for (let i = 0; i < n; i++) {
    const ph = phoff + i * size;
    if (dv.getUint32(ph, true) !== 1) continue;
    const off = dv.getUint32(ph + 4, true), va = dv.getUint32(ph + 8, true), filesz = dv.getUint32(ph + 16, true);
    mem.regions[0].set(image.subarray(off, off + filesz), va);
  }
  return dv.getUint32(0x18, true);
}

const dir = mkdtempSync(join(tmpdir(), "armbench-"));
try {
  for (const isa of ["arm", "thumb"]) {
    const bin = join(dir, isa);
    execFileSync("arm-linux-gnueabihf-gcc", ["-O2", `-m${isa}`, "-mcpu=cortex-a15", "-mfpu=vfpv3-d16", "-fno-tree-vectorize",
      "-ffreestanding", "-nostdlib", "-static", "-fno-pie", "-no-pie", "-o", bin, join(root, "guests/arm-snippets/bench.c")]);
    const mem = new Flat();
    const cpu = new ArmCpu({ memory: mem });
    enableFpSimdAccess(cpu); // a user process: FP/SIMD on as Linux leaves it
    cpu.pc = load(new Uint8Array(readFileSync(bin)), mem);
    cpu.regs[13] = 0x3ff000;
    const t0 = performance.now(), c0 = process.cpuUsage();
    let stop;
    while ((stop = cpu.run(50_000_000)) === STOP_BUDGET) {}
    const ms = performance.now() - t0, c = process.cpuUsage(c0), cpuMs = (c.user + c.system) / 1000;
    if (stop !== STOP_SVC) throw new Error(`stopped with ${stop} at 0x${cpu.pc.toString(16)}`);
    // CPU time too: on a shared machine the wall clock mostly measures the other processes
    console.log(`${isa.padEnd(5)} ${cpu.retired} instructions in ${ms.toFixed(0)} ms: ${(cpu.retired / ms / 1000).toFixed(1)} MIPS; ` +
      `${cpuMs.toFixed(0)} ms CPU: ${(cpu.retired / cpuMs / 1000).toFixed(1)} MIPS (exit ${cpu.regs[0]})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
