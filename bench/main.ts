/**
 * `npm run bench`: user-mode workloads (guests/bench/*.c, built once `-O2 -marm` static) run on the
 * same binary under qemu-arm and under `tskvm user` in the same run. Per workload it prints both
 * wall times, their ratio, and tskvm's guest MIPS (retired instructions per second, from
 * `tskvm user --stats`, which prints `retired=N` on stderr at exit; "n/a" while the CLI lacks it).
 *
 *   node dist/bench/main.js [NAME…] [--only NAME[,NAME]] [--repeat N] [--timeout SECONDS] [--qemu-only]
 *
 * NAMEs (bare or after --only) pick what runs: a workload below, `user` for all of them, or `boot`
 * for the Debian boot benchmark (bench/boot.ts: tskvm run vs qemu-system-arm to userspace), e.g.
 * `npm run bench -- boot`. With no NAME everything runs, the boot benchmark last.
 *
 * qemu's time is the best of --repeat runs (default 3); tskvm runs once (it is the slow side).
 * Each workload prints a checksum line; the two emulators' stdout must match or the row says so.
 */
import { cpus } from "node:os";
import { spawnSync } from "node:child_process";
import { buildGuest, guestSource, hasCommand, type FlagSet } from "../tests/arch/arm/differential/cross-toolchain.js";
import { QEMU, TSKVM, runGuest, tskvmEmulator, type Outcome } from "../tests/arch/arm/differential/guest-runner.js";
import { bootBench } from "./boot.js";

interface Workload {
  readonly name: string;
  readonly what: string;
  /** Compiler flags beyond BENCH_FLAGS' (the NEON workload needs -mfpu=neon-vfpv4). */
  readonly cflags?: readonly string[];
}

/**
 * Each is sized to run about 1–1.5 s under qemu-arm 7.2 on an idle 2-core machine (3–4 s when the
 * other core is busy: compare runs made under similar load). First full run, 2026-11-21, loaded
 * machine: tskvm/qemu 10x intmix, 9x crc32, 4x calls, 41x memcopy, 26x fpdouble; 6–90 MIPS.
 * neon (added later the same day, idle machine): qemu 1.01 s, tskvm 14.4 s (14x), 17.7 MIPS.
 */
const WORKLOADS: readonly Workload[] = [
  { name: "intmix", what: "integer ALU, branches, division" },
  { name: "crc32", what: "table-driven CRC-32, loads/xor/shift" },
  { name: "calls", what: "recursion and function-pointer calls" },
  { name: "memcopy", what: "memcpy/memmove/memset, byte loops" },
  { name: "fpdouble", what: "double-precision n-body (VFP)" },
  { name: "neon", what: "Advanced SIMD blend/FIR/SAXPY/VTBL (arm_neon.h)", cflags: ["-mfpu=neon-vfpv4"] },
];

const BENCH_FLAGS: FlagSet = { isa: "arm", opt: "O2" };
const STATS_LINE = /^retired=(\d+)\s*$/m;
const USER_TIMEOUT_MS = 600_000;
/** A Debian boot under tskvm takes 35–60 s on an idle 2-core machine, and over 300 s when it is very busy. */
const BOOT_TIMEOUT_MS = 600_000;

interface Options {
  only?: string[];
  repeat: number;
  timeoutMs?: number;
  qemuOnly: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { repeat: 3, qemuOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--only") o.only = [...(o.only ?? []), ...value().split(",")];
    else if (!a.startsWith("-")) o.only = [...(o.only ?? []), a];
    else if (a === "--repeat") o.repeat = Math.max(1, Number(value()));
    else if (a === "--timeout") o.timeoutMs = Number(value()) * 1000;
    else if (a === "--qemu-only") o.qemuOnly = true;
    else throw new Error(`unknown argument '${a}' (NAMES --only NAMES --repeat N --timeout SECONDS --qemu-only)`);
  }
  const known = ["user", "boot", ...WORKLOADS.map((w) => w.name)];
  for (const n of o.only ?? []) if (!known.includes(n)) throw new Error(`unknown benchmark '${n}' (${known.join(", ")})`);
  return o;
}

interface Row {
  name: string;
  qemuS?: number;
  tskvmS?: number;
  mips?: number;
  note: string;
}

async function measure(w: Workload, o: Options): Promise<Row> {
  const { binary } = await buildGuest({
    name: `bench/${w.name}`, source: guestSource("bench", w.name), flags: BENCH_FLAGS, extraFlags: w.cflags, libs: ["-lm"],
  });
  let best: Outcome | undefined;
  for (let i = 0; i < o.repeat; i++) {
    const r = await runGuest(QEMU, binary, { timeoutMs: o.timeoutMs ?? USER_TIMEOUT_MS });
    if (r.status !== 0) return { name: w.name, note: `qemu failed: status ${r.status} ${r.stderr.toString().trim()}` };
    if (!best || r.wallMs < best.wallMs) best = r;
  }
  const row: Row = { name: w.name, qemuS: best!.wallMs / 1000, note: "" };
  if (o.qemuOnly) return row;
  const timeoutMs = o.timeoutMs ?? USER_TIMEOUT_MS;
  let t = await runGuest(tskvmEmulator(["--stats"]), binary, { timeoutMs });
  let stats = true;
  if (t.status !== 0 && /unknown option '--stats'/.test(t.stderr.toString())) {
    stats = false; // the CLI has no --stats yet: time it without, MIPS unknown
    t = await runGuest(TSKVM, binary, { timeoutMs });
  }
  if (t.timedOut) return { ...row, note: `tskvm timed out after ${timeoutMs / 1000} s` };
  const retired = STATS_LINE.exec(t.stderr.toString());
  if (t.status !== 0 || !t.stdout.equals(best!.stdout)) {
    const why = t.status !== 0 ? `status ${t.status}: ${t.stderr.toString().trim().split("\n")[0]?.slice(0, 100)}` : "stdout differs from qemu";
    return { ...row, note: `tskvm WRONG (${why})` };
  }
  row.tskvmS = t.wallMs / 1000;
  if (retired) row.mips = Number(retired[1]) / (t.wallMs / 1000) / 1e6;
  row.note = stats ? (retired ? "same output" : "same output; no retired= line") : "same output; no --stats in CLI";
  return row;
}

function fmt(n: number | undefined, digits: number): string {
  return n === undefined ? "n/a" : n.toFixed(digits);
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const selected = (name: string): boolean => !o.only || o.only.includes(name);
  const workloads = WORKLOADS.filter((w) => selected("user") || selected(w.name));
  let status = workloads.length > 0 ? await userBench(o, workloads) : 0;
  if (selected("boot")) {
    const boot = await bootBench({ timeoutMs: o.timeoutMs ?? BOOT_TIMEOUT_MS, repeat: o.repeat, qemuOnly: o.qemuOnly });
    status = Math.max(status, boot);
  }
  return status;
}

async function userBench(o: Options, workloads: readonly Workload[]): Promise<number> {
  if (!hasCommand("qemu-arm") || !hasCommand("arm-linux-gnueabihf-gcc")) {
    process.stderr.write("bench: needs qemu-arm and arm-linux-gnueabihf-gcc (scripts/setup.sh)\n");
    return 2;
  }
  const qemuVersion = spawnSync("qemu-arm", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
  process.stdout.write(
    `tskvm user benchmark — ${new Date().toISOString()}\n` +
      `host: ${cpus()[0]?.model ?? "?"} ×${cpus().length}, node ${process.version}, ${qemuVersion}\n` +
      `guests: -O2 -marm -static armv7-a vfpv4 hard-float; qemu best of ${o.repeat}, tskvm 1 run\n\n`,
  );
  const header = `${"workload".padEnd(10)} ${"qemu s".padStart(8)} ${"tskvm s".padStart(9)} ${"tskvm/qemu".padStart(11)} ${"tskvm MIPS".padStart(11)}  note`;
  process.stdout.write(`${header}\n${"-".repeat(header.length + 20)}\n`);
  let failures = 0;
  for (const w of workloads) {
    const r = await measure(w, o);
    if (r.note.includes("WRONG") || r.note.startsWith("qemu failed")) failures++;
    const ratio = r.qemuS && r.tskvmS ? `${(r.tskvmS / r.qemuS).toFixed(1)}x` : "n/a";
    process.stdout.write(
      `${r.name.padEnd(10)} ${fmt(r.qemuS, 3).padStart(8)} ${fmt(r.tskvmS, 3).padStart(9)} ${ratio.padStart(11)} ${fmt(r.mips, 1).padStart(11)}  ${r.note} (${w.what})\n`,
    );
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
