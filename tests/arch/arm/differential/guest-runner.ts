/**
 * Runs one guest binary under one user-mode emulator (qemu-arm, the oracle, or `tskvm user`) with
 * fixed arguments, standard input and environment, and captures what a shell would see: stdout,
 * stderr and the exit status (a fatal signal S as 128 + S, the way a shell reports it).
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { GUEST_CACHE, REPO_ROOT } from "./cross-toolchain.js";

/**
 * The whole environment a guest gets: small and fixed so output cannot depend on who runs the
 * suite. qemu-arm hands its own environment to the guest, and `tskvm user` does the same, so the
 * emulator process is started with exactly this.
 */
export const GUEST_ENV: Readonly<Record<string, string>> = {
  PATH: "/usr/bin:/bin",
  HOME: "/",
  LC_ALL: "C",
  TSKVM_DIFFTEST: "1",
};

export interface Emulator {
  readonly name: string;
  /** argv for running `binary args...` under this emulator. */
  command(binary: string, args: readonly string[]): string[];
  /**
   * The emulator's own report of a fatal guest signal (qemu: "qemu: uncaught target signal 11
   * (Segmentation fault) - core dumped") is the emulator talking, not the guest: it is removed
   * before comparing, and only when the guest did die of a signal.
   */
  readonly signalReport: RegExp;
}

export const QEMU: Emulator = {
  name: "qemu",
  command: (binary, args) => ["qemu-arm", binary, ...args],
  signalReport: /^qemu: uncaught target signal \d+ \([^)]*\)( - core dumped)?\n/m,
};

/** Where the compiled CLI lives; `tskvm user` is `node dist/src/cli/main.js user`. */
export const TSKVM_CLI = join(REPO_ROOT, "dist", "src", "cli", "main.js");

export function tskvmEmulator(extraFlags: readonly string[] = []): Emulator {
  return {
    name: "tskvm",
    command: (binary, args) => [process.execPath, TSKVM_CLI, "user", ...extraFlags, binary, ...args],
    signalReport: /^tskvm: .*signal \d+.*\n/m,
  };
}
export const TSKVM = tskvmEmulator();

export function emulatorByName(name: string): Emulator {
  if (name === "qemu") return QEMU;
  if (name === "tskvm") return TSKVM;
  throw new Error(`unknown emulator '${name}' (qemu | tskvm)`);
}

export interface GuestRun {
  readonly args?: readonly string[];
  readonly stdin?: string | Buffer;
  /** Wall-clock limit; a guest still running is killed and reported as a timeout. */
  readonly timeoutMs?: number;
}

export interface Outcome {
  readonly stdout: Buffer;
  /** stderr with the emulator's own fatal-signal report removed. */
  readonly stderr: Buffer;
  /** Exit code, or 128 + signal number; -1 when the run timed out or could not start. */
  readonly status: number;
  readonly timedOut: boolean;
  readonly wallMs: number;
  /** stderr exactly as the emulator wrote it (for reproducer directories). */
  readonly rawStderr: Buffer;
}

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSYS: 31,
};

/** Output past this is cut (a runaway guest must not exhaust memory). */
const OUTPUT_LIMIT = 8 << 20;

export function runGuest(emu: Emulator, binary: string, run: GuestRun = {}): Promise<Outcome> {
  const argv = emu.command(binary, run.args ?? []);
  const cwd = join(GUEST_CACHE, "cwd");
  mkdirSync(cwd, { recursive: true });
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env: { ...GUEST_ENV }, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    let spawnError: string | undefined;
    child.stdout.on("data", (c: Buffer) => {
      if (outLen < OUTPUT_LIMIT) out.push(c);
      outLen += c.length;
    });
    child.stderr.on("data", (c: Buffer) => {
      if (errLen < OUTPUT_LIMIT) err.push(c);
      errLen += c.length;
    });
    child.stdin.on("error", () => {}); // a guest that never reads its stdin closes the pipe early
    child.stdin.end(run.stdin ?? "");
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, run.timeoutMs ?? 30_000);
    child.on("error", (e) => {
      spawnError = String(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const rawStderr = Buffer.concat(spawnError ? [...err, Buffer.from(`${spawnError}\n`)] : err);
      let status = code ?? -1;
      if (signal) status = 128 + (SIGNAL_NUMBERS[signal] ?? 0);
      if (timedOut || spawnError) status = -1;
      let stderr = rawStderr;
      if (status > 128) stderr = Buffer.from(rawStderr.toString("latin1").replace(emu.signalReport, ""), "latin1");
      resolvePromise({ stdout: Buffer.concat(out), stderr, status, timedOut, wallMs, rawStderr });
    });
  });
}

/** A shell command line that reruns `binary` the way the harness did (for mismatch reports). */
export function reproduceCommand(emu: Emulator, binary: string, run: GuestRun = {}): string {
  const env = Object.entries(GUEST_ENV).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const argv = emu.command(binary, run.args ?? []).map(shellQuote);
  const cmd = `env -i ${env.join(" ")} ${argv.join(" ")}`;
  if (run.stdin === undefined || run.stdin.length === 0) return `${cmd} </dev/null`;
  return `printf %s ${shellQuote(run.stdin.toString())} | ${cmd}`;
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
