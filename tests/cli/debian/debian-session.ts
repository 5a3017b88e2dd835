/**
 * A scripted console session with the Debian guest under `tskvm run` (the acceptance tests of the
 * VMM): spawns `node dist/src/cli/main.js run ...` with pipes, waits for the guest's shell, runs one
 * command at a time and returns its output and exit status.
 *
 * Each command is typed as
 *     echo @@BEG""<n>@@; <command>; echo "@@END""<n>@@ $?"
 * so the shell's output holds `@@BEG<n>@@` … `@@END<n>@@ <status>` while the echo of the typed line
 * (which still has the `""`) never matches. Kernel log lines (`[   12.345678] ...`) that the console
 * interleaves with the shell's output are removed before matching, as are carriage returns.
 * Every timeout or early exit throws with the tail of the transcript. With TSKVM_DEBIAN_TRANSCRIPT=FILE
 * in the environment the raw console is also appended to FILE as it arrives (to watch a slow run).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { defaultGuestDir, existingGuest } from "../../../src/vmm/guest/fetch.js";

export const CLI = new URL("../../../src/cli/main.js", import.meta.url).pathname;

/** The first userspace line of the guest's /init (src/vmm/guest/initramfs.ts). */
export const GUEST_BANNER = /tskvm guest: BusyBox on Debian's armmp kernel (\S+)/;
/** BusyBox ash's prompt from the guest's /etc/profile (PS1='\u@\h:\w\$ '), e.g. `root@tskvm:/# `. */
const PROMPT = /@tskvm:[^\n]*# /;

/**
 * A boot costs 35–60 s of one core on an idle 2-core machine, double when two run at once, and far more
 * on a machine shared with other work (10 minutes were seen at load 10): be generous.
 */
export const BOOT_TIMEOUT_MS = 600_000;

/**
 * Removes the kernel's console messages (`[    1.234567] text` up to the end of their line, which may
 * start in the middle of a shell line) and carriage returns (the tty's ONLCR and ash's redraws).
 */
export function withoutKernelLog(text: string): string {
  return text.replace(/\r/g, "").replace(/\[ *\d+\.\d{6}\] [^\n]*(\n|$)/g, "");
}

export class GuestTimeout extends Error {}

export interface CommandResult {
  readonly status: number;
  /** What the command printed, kernel lines removed, `\n` line ends. */
  readonly output: string;
}

export class DebianSession {
  private raw = "";
  private stderrText = "";
  private exitCode: number | null | undefined; // undefined while running
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  /** Raw offset from which the next wait looks (everything before has been consumed). */
  private cursor = 0;
  readonly child: ChildProcessWithoutNullStreams;
  readonly startedAt = Date.now();

  private constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [CLI, "run", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.setEncoding("latin1");
    this.child.stderr.setEncoding("latin1");
    const live = process.env.TSKVM_DEBIAN_TRANSCRIPT; // a file to follow the console live (tail -f)
    this.child.stdout.on("data", (s: string) => {
      this.raw += s;
      if (live) appendFileSync(live, s, "latin1");
      this.wake();
    });
    this.child.stderr.on("data", (s: string) => {
      this.stderrText += s;
    });
    this.child.on("exit", (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
      this.wake();
    });
    this.child.stdin.on("error", () => {}); // the guest may power off while we write
  }

  /** `tskvm run ARGS` with the fetched guest (no --kernel): the console on pipes. */
  static start(args: readonly string[]): DebianSession {
    return new DebianSession(args);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Everything the guest and tskvm printed so far (stdout, then stderr), for error messages. */
  transcript(tail = 6000): string {
    const out = withoutKernelLog(this.raw);
    const t = out.length > tail ? `…${out.slice(-tail)}` : out;
    return `--- console (kernel lines removed, last ${tail} chars) ---\n${t}\n--- stderr ---\n${this.stderrText}`;
  }

  get rawOutput(): string {
    return this.raw;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /**
   * Resolves with the first match of `re` in the (cleaned) output after the cursor, and moves the
   * cursor to the raw end of the output at that moment when `consume` is set.
   */
  private waitFor(re: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = re.exec(withoutKernelLog(this.raw.slice(this.cursor)));
        if (m) {
          done();
          resolve(m);
          return true;
        }
        if (this.exitCode !== undefined) {
          done();
          reject(new Error(`tskvm exited (status ${this.exitCode}) while waiting for ${what}\n${this.transcript()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new GuestTimeout(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${this.transcript()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      if (!check()) this.waiters.add(check);
    });
  }

  /** Waits for the next boot's banner and then its shell prompt; returns the kernel release. */
  async waitForShell(timeoutMs = BOOT_TIMEOUT_MS): Promise<string> {
    const m = await this.waitFor(new RegExp(`${GUEST_BANNER.source}[^]*?${PROMPT.source}`), timeoutMs, "the guest's banner and shell prompt");
    this.cursor = this.raw.length;
    return m[1]!;
  }

  /** Types one command line (it must not end in `&`) and returns its output and `$?`. */
  async run(command: string, timeoutMs = 120_000): Promise<CommandResult> {
    if (command.includes("\n")) throw new Error("DebianSession.run: one line at a time");
    const id = this.nextId++;
    this.cursor = this.raw.length;
    this.child.stdin.write(`echo @@BEG""${id}@@; ${command}; echo "@@END""${id}@@ $?"\n`);
    const m = await this.waitFor(
      new RegExp(`(?:^|\\n)@@BEG${id}@@\\n([^]*?)@@END${id}@@ (\\d+)\\n[^]*?${PROMPT.source}`),
      timeoutMs,
      `the end of '${command}'`,
    );
    this.cursor = this.raw.length;
    return { status: Number(m[2]), output: m[1]! };
  }

  /** run() that insists on status 0 and returns the output. */
  async sh(command: string, timeoutMs?: number): Promise<string> {
    const r = await this.run(command, timeoutMs);
    if (r.status !== 0) throw new Error(`'${command}' exited ${r.status}:\n${r.output}\n${this.transcript(2000)}`);
    return r.output;
  }

  /** Types a line with no end marker (poweroff, reboot). */
  send(line: string): void {
    this.cursor = this.raw.length;
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits for tskvm to exit and returns its status. */
  async exit(timeoutMs = 120_000): Promise<number | null> {
    if (this.exitCode === undefined) {
      await new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (this.exitCode === undefined) return;
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          this.waiters.delete(check);
          reject(new GuestTimeout(`tskvm did not exit within ${timeoutMs / 1000} s\n${this.transcript()}`));
        }, timeoutMs);
        this.waiters.add(check);
      });
    }
    return this.exitCode!;
  }

  /** Ends tskvm if it still runs (test cleanup). */
  kill(): void {
    if (this.exitCode === undefined) this.child.kill("SIGKILL");
  }
}

/**
 * Why the Debian tests cannot run, or false: the guest must be fetched (`tskvm guest fetch` is tried
 * once when it is missing, as scripts/setup.sh does).
 */
export function guestUnavailable(): string | false {
  const dir = defaultGuestDir(process.env, homedir());
  if (existingGuest(dir)) return false;
  const r = spawnSync(process.execPath, [CLI, "guest", "fetch"], { encoding: "utf8", timeout: 900_000 });
  if (r.status === 0 && existingGuest(dir)) return false;
  const lines = (r.stderr || r.error?.message || "").trim().split("\n");
  const why = lines.find((l) => l.startsWith("tskvm:")) ?? lines.pop();
  return `no Debian guest in ${dir} and 'tskvm guest fetch' failed: ${why}`;
}

/** A host tool's path (Debian keeps e2fsprogs in /usr/sbin, often not on a user's PATH), or null. */
export function hostTool(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(":").filter(Boolean), "/usr/sbin", "/sbin"]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}
