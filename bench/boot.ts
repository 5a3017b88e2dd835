/**
 * The boot benchmark (`npm run bench -- boot`): the fetched Debian guest (`tskvm guest fetch`: Debian's
 * armmp kernel and our BusyBox initramfs) booted by `tskvm run` and by `qemu-system-arm -M virt` (TCG),
 * same kernel, same initrd, same command line, 256 MiB, in one run. Per machine it prints the wall
 * time from spawn to the kernel's last line before userspace ("Run /init as init process"), to the
 * first userspace line (the /init banner, printed once /init has mounted its file systems and
 * insmod'ed the guest's modules: virtio, ext4 and their dependencies), and to the shell prompt; the
 * process's CPU time at that point (on a shared 2-core machine the wall clock also measures everyone
 * else); and tskvm/qemu.
 * Every machine is stopped (SIGTERM, then SIGKILL) once measured; none outlives the bench.
 *
 * Both run with 1 and with 2 vCPUs; each tskvm row is compared with qemu's row of the same vCPU count.
 * qemu 7.2's TCG with -smp 2 may livelock with this kernel (issue #7; it booted fine here on
 * 2026-11-21), so qemu rows have their own short limit (QEMU_LIMIT_MS): it boots in seconds, and a
 * row that misses it says "did not reach userspace in N s" and tskvm's row falls back to qemu's 1 vCPU.
 *
 * First runs, 2026-11-21 (wall to userspace, CPU/qemu): load ~12, before 1c658fd: qemu 5.4 s, tskvm
 * 218 s (CPU 18x); load ~1–5 after 1c658fd (blocks translated after 1000 visits): qemu 4.0 s / 4.9 s
 * (-smp 2), tskvm 37.4 s (9.4x, CPU 10.1x) / 68.5 s with --cpus 2 (13.9x, CPU 10.4x).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { defaultGuestDir, existingGuest, type GuestFiles } from "../src/vmm/guest/fetch.js";
import { TSKVM_CLI } from "../tests/arch/arm/differential/guest-runner.js";
import { hasCommand } from "../tests/arch/arm/differential/cross-toolchain.js";

/** The kernel's last line before it execs the initramfs's /init (init/main.c, run_init_process). */
const RUN_INIT = /\[\s*(\d+\.\d+)\] Run \/init as init process/;
/** The guest's /init prints this first (src/vmm/guest/initramfs): the first userspace line. */
const BANNER = /tskvm guest: BusyBox on Debian's armmp kernel (\S+)\r?\n/;
/** BusyBox ash's prompt as the guest's profile sets it (followed by an ESC[6n cursor query). */
const PROMPT = "@tskvm:/# ";
/** After the banner, how long to wait for the prompt before giving up on that column. */
const PROMPT_GRACE_MS = 30_000;
const MEM_MIB = 256;
/** qemu reaches userspace in 3–10 s on this machine; past this it is stuck (the -smp 2 livelock). */
const QEMU_LIMIT_MS = 120_000;
const APPEND = "console=ttyAMA0";

export interface BootOptions {
  /** Per-boot limit: a machine not in userspace by then is stopped and reported. */
  readonly timeoutMs: number;
  /** qemu boots this many times, best taken (tskvm boots once per row: it is the slow side). */
  readonly repeat: number;
  readonly qemuOnly: boolean;
}

interface Machine {
  readonly label: string;
  readonly kind: "tskvm" | "qemu";
  readonly cpus: number;
  readonly command: string;
  readonly args: readonly string[];
}

/** Wall-clock seconds from spawn to each milestone (undefined: not reached). */
interface BootTiming {
  runInitS?: number;
  userspaceS?: number;
  promptS?: number;
  /** The guest kernel's own printk clock at "Run /init". */
  kernelClockS?: number;
  /** User+system CPU seconds of the machine's process when it was stopped. */
  cpuS?: number;
  release?: string;
  timedOut: boolean;
  cpus: number;
  /** Exit before userspace: status or signal, and the last output. */
  died?: string;
}

function tskvmMachine(guest: GuestFiles, cpus: number): Machine {
  return {
    label: cpus === 1 ? "tskvm run" : `tskvm run --cpus ${cpus}`,
    kind: "tskvm",
    cpus,
    command: process.execPath,
    args: [TSKVM_CLI, "run", "--kernel", guest.vmlinuz, "--initrd", guest.initrd, "--mem", String(MEM_MIB),
      "--cpus", String(cpus), "--append", APPEND],
  };
}

function qemuMachine(guest: GuestFiles, cpus: number): Machine {
  return {
    label: cpus === 1 ? "qemu-system-arm (TCG)" : `qemu-system-arm -smp ${cpus}`,
    kind: "qemu",
    cpus,
    command: "qemu-system-arm",
    // -nic none: tskvm's virt board has no network, and qemu's default NIC wants a ROM file
    // (efi-virtio.rom) that Debian's qemu-system-arm does not depend on.
    args: ["-M", "virt", "-cpu", "cortex-a15", "-smp", String(cpus), "-m", String(MEM_MIB), "-nographic", "-nic", "none",
      "-kernel", guest.vmlinuz, "-initrd", guest.initrd, "-append", APPEND],
  };
}

let clockTicks: number | undefined;

/** utime+stime of a live process in seconds (Linux /proc), undefined elsewhere or once it is gone. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    clockTicks ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // Fields after the parenthesised command name (which may itself hold spaces): state is field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** Machines not yet stopped: killed if the bench itself exits or is told to stop. */
const live = new Set<ChildProcess>();
let guarding = false;
/** Set once the bench is told to stop: no machine may start after that. */
let aborting = false;

function killMachinesOnExit(): void {
  if (guarding) return;
  guarding = true;
  process.on("exit", () => {
    for (const c of live) c.kill("SIGKILL");
  });
  // Told to stop: kill the machines and reap them first (exiting at once would leave them as zombies
  // for an init that may not reap), then exit as the signal would have.
  for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15], ["SIGHUP", 1]] as const) {
    process.once(signal, () => {
      aborting = true;
      const reaped = [...live].map((c) => new Promise((resolve) => {
        c.once("exit", resolve);
        c.kill("SIGKILL");
      }));
      void Promise.race([Promise.all(reaped), new Promise((r) => setTimeout(r, 2000))]).then(() => process.exit(128 + number));
    });
  }
}

/** SIGTERM, then SIGKILL if it is still there after 3 s; resolves once the process has exited. */
async function stopMachine(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(killer);
}

/** Boots one machine, timing its milestones from the moment of spawn; always leaves it stopped. */
export async function timeBoot(m: Machine, timeoutMs: number): Promise<BootTiming> {
  killMachinesOnExit();
  if (aborting) await new Promise(() => {}); // the signal handler exits the process
  const t: BootTiming = { timedOut: false, cpus: m.cpus };
  const t0 = performance.now();
  const child = spawn(m.command, m.args, { stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  let out = "";
  let settled = false;
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = () => {
    settled = true;
    resolve();
  }));
  let promptTimer: NodeJS.Timeout | undefined;
  const seconds = (): number => (performance.now() - t0) / 1000;
  const scan = (chunk: Buffer): void => {
    out += chunk.toString("latin1");
    const now = seconds();
    if (t.runInitS === undefined) {
      const r = RUN_INIT.exec(out);
      if (r) {
        t.runInitS = now;
        t.kernelClockS = Number(r[1]);
      }
    }
    if (t.userspaceS === undefined) {
      const b = BANNER.exec(out);
      if (b) {
        t.userspaceS = now;
        t.release = b[1];
        promptTimer = setTimeout(settle, PROMPT_GRACE_MS);
      }
    }
    if (t.userspaceS !== undefined && t.promptS === undefined && out.includes(PROMPT, out.search(BANNER))) {
      t.promptS = now;
      settle();
    }
  };
  child.stdout!.on("data", scan);
  child.stderr!.on("data", (d: Buffer) => (out += d.toString("latin1")));
  child.on("error", (e) => {
    t.died = `could not start ${m.command}: ${e.message}`;
    settle();
  });
  child.on("exit", (code, signal) => {
    // After settling, the exit is our own SIGTERM/SIGKILL.
    if (!settled) {
      const tail = out.replace(/\r/g, "").trim().split("\n").slice(-1)[0]?.slice(0, 120) ?? "";
      const before = t.userspaceS === undefined ? "userspace" : "the prompt";
      t.died = `exited (${signal ?? `status ${code}`}) before ${before}; last line: ${JSON.stringify(tail)}`;
    }
    settle();
  });
  const limit = setTimeout(() => {
    if (t.userspaceS === undefined) t.timedOut = true;
    settle();
  }, timeoutMs);
  await done;
  clearTimeout(limit);
  clearTimeout(promptTimer);
  if (child.pid !== undefined) t.cpuS = processCpuSeconds(child.pid);
  await stopMachine(child);
  live.delete(child);
  return t;
}

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined ? "-" : n.toFixed(digits);
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(1)}x` : "n/a";
}

function note(t: BootTiming, timeoutMs: number, release: string): string {
  if (t.died) return t.died;
  if (t.timedOut) return `did not reach userspace in ${timeoutMs / 1000} s${t.runInitS !== undefined ? " (kernel ran /init)" : ""}`;
  const parts: string[] = [];
  if (t.kernelClockS !== undefined) parts.push(`kernel clock ${t.kernelClockS.toFixed(2)} s at Run /init`);
  if (t.release !== release) parts.push(`banner names ${t.release}, manifest ${release}`);
  if (t.promptS === undefined) parts.push(`no prompt within ${PROMPT_GRACE_MS / 1000} s of the banner`);
  return parts.join("; ");
}

/** Runs the boot benchmark; returns 0, or 1 when a tskvm machine failed to reach userspace. */
export async function bootBench(o: BootOptions): Promise<number> {
  const out = (s: string): void => void process.stdout.write(s);
  const guestDir = defaultGuestDir(process.env, homedir());
  const guest = existingGuest(guestDir);
  if (!guest) {
    out(`boot: skipped — no fetched guest in ${guestDir} (run 'node dist/src/cli/main.js guest fetch')\n`);
    return 0;
  }
  const manifest = JSON.parse(readFileSync(guest.manifest, "utf8")) as { kernel: { release: string; version: string } };
  const haveQemu = hasCommand("qemu-system-arm");
  const machines: Machine[] = [];
  for (const cpus of [1, 2]) {
    if (haveQemu) machines.push(qemuMachine(guest, cpus));
    if (!o.qemuOnly) machines.push(tskvmMachine(guest, cpus));
  }
  const qemuVersion = haveQemu ? spawnSync("qemu-system-arm", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] : "";
  out(`\nboot benchmark — Debian ${manifest.kernel.release} (${manifest.kernel.version}) + BusyBox initramfs, ` +
    `${MEM_MIB} MiB, -append ${APPEND}; qemu best of ${o.repeat}, tskvm 1 boot per row\n`);
  out(haveQemu ? `qemu: ${qemuVersion}, -M virt -cpu cortex-a15 -nographic (TCG)\n`
    : "boot: qemu-system-arm not installed (scripts/setup.sh) — qemu rows skipped, no ratios\n");
  const header = `${"machine".padEnd(24)} ${"vCPUs".padStart(5)} ${"Run /init s".padStart(12)} ${"userspace s".padStart(12)} ` +
    `${"prompt s".padStart(9)} ${"CPU s".padStart(7)} ${"wall/qemu".padStart(9)} ${"CPU/qemu".padStart(8)}  note`;
  out(`${header}\n${"-".repeat(header.length + 30)}\n`);
  const qemuRows = new Map<number, BootTiming>();
  let failures = 0;
  for (const m of machines) {
    const limitMs = m.kind === "qemu" ? Math.min(o.timeoutMs, QEMU_LIMIT_MS) : o.timeoutMs;
    let t: BootTiming | undefined;
    for (let i = 0; i < (m.kind === "qemu" ? o.repeat : 1); i++) {
      const r = await timeBoot(m, limitMs);
      if (!t || (r.userspaceS ?? Infinity) < (t.userspaceS ?? Infinity)) t = r;
      if (r.userspaceS === undefined) break;
    }
    let wallRatio = "", cpuRatio = "";
    const notes = [note(t!, limitMs, manifest.kernel.release)];
    if (m.kind === "qemu") {
      if (t!.userspaceS !== undefined) qemuRows.set(m.cpus, t!);
    } else {
      if (t!.userspaceS === undefined) failures++;
      const q = qemuRows.get(m.cpus) ?? qemuRows.get(1);
      wallRatio = ratio(t!.userspaceS, q?.userspaceS);
      cpuRatio = ratio(t!.cpuS, q?.cpuS);
      if (q && q.cpus !== m.cpus && t!.userspaceS !== undefined) notes.push("ratios against qemu's 1 vCPU");
    }
    out(`${m.label.padEnd(24)} ${String(m.cpus).padStart(5)} ${fmt(t!.runInitS).padStart(12)} ${fmt(t!.userspaceS).padStart(12)} ` +
      `${fmt(t!.promptS).padStart(9)} ${fmt(t!.cpuS, 1).padStart(7)} ${wallRatio.padStart(9)} ${cpuRatio.padStart(8)}  ${notes.filter(Boolean).join("; ")}\n`);
  }
  out(`(wall/qemu: tskvm's wall time to the first userspace line over qemu's with as many vCPUs; CPU/qemu: the same for ` +
    `CPU s, the process's user+system time when it was stopped at the prompt — steadier than wall time on a busy machine.)\n`);
  return failures ? 1 : 0;
}
