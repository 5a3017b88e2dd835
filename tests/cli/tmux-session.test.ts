// An interactive session as a person has it: `tskvm run` (the fetched Debian guest, as
// scripts/boot-debian.sh runs it) on a real pty in a detached tmux session. The test waits for the
// BusyBox prompt on the pane, types commands with `tmux send-keys` and reads the screen back with
// `tmux capture-pane`: the typed characters come back (the host terminal is in raw mode, so the echo is
// the guest's), arithmetic and a pipeline print their results; Ctrl-A then X ends tskvm with status 0
// and the terminal is back in the mode it had before (a wrapper script records `stty -a` before and
// after, and the test reads the pane's mode from outside while tskvm runs). One boot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { defaultGuestDir, existingGuest } from "../../src/vmm/guest/fetch.js";

const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;
const GUEST_DIR = defaultGuestDir(process.env, homedir());
const BOOT_TIMEOUT_MS = 300_000;
/** The guest profile's prompt (BusyBox ash then asks for the cursor position with ESC[6n; tmux answers it). */
const PROMPT = "@tskvm:/# ";

const skip =
  spawnSync("tmux", ["-V"], { stdio: "ignore" }).status !== 0 ? "tmux not installed (scripts/setup.sh)"
  : !existingGuest(GUEST_DIR) ? `no fetched guest in ${GUEST_DIR} (tskvm guest fetch)`
  : false;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One private tmux server (its own socket), so the test never touches a user's sessions. */
class TmuxSession {
  readonly socket: string;
  constructor(dir: string, readonly name = "tskvm") {
    this.socket = join(dir, "tmux.sock");
  }
  tmux(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync("tmux", ["-S", this.socket, ...args], { encoding: "utf8", timeout: 10_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  alive(): boolean {
    return this.tmux("has-session", "-t", this.name).status === 0;
  }
  /** The whole pane, history included, wrapped lines joined. */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", this.name).stdout;
  }
  /** Types text literally (no key-name lookup), then Enter. */
  type(text: string): void {
    assert.equal(this.tmux("send-keys", "-t", this.name, "-l", text).status, 0);
    assert.equal(this.tmux("send-keys", "-t", this.name, "Enter").status, 0);
  }
  /** Polls the pane until `found` returns something, or fails with the screen's tail. */
  async waitFor<T>(what: string, found: (screen: string) => T | undefined, timeoutMs: number): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      const v = found(s);
      if (v !== undefined) return v;
      if (Date.now() > end || !this.alive()) {
        assert.fail(`${what}: not on the pane after ${timeoutMs / 1000} s${this.alive() ? "" : " (session ended)"}; last lines:\n${tail(s)}`);
      }
      await sleep(500);
    }
  }
}

function tail(screen: string, n = 25): string {
  return screen.trimEnd().split("\n").slice(-n).join("\n");
}

/** Kernel messages share the console: a printk line can land between a command and its output. */
const PRINTK = /^\[\s*\d+\.\d+\]/;

/**
 * The output of a command typed at the prompt: the prompt line must end with the command exactly
 * as typed (the guest's echo; the host terminal does not echo in raw mode), and the output is the
 * non-printk lines up to the next prompt (undefined while that next prompt has not appeared yet).
 */
function outputAfter(screen: string, command: string): string[] | undefined {
  const lines = screen.split("\n").map((l) => l.trimEnd());
  // A printk that lands right after the prompt pushes the echoed command onto a line of its own.
  const at = lines.findIndex((l) => l.endsWith(`${PROMPT}${command}`) || l === command);
  if (at < 0) return undefined;
  const next = lines.findIndex((l, i) => i > at && l.includes(PROMPT.trimEnd())); // an idle prompt's line is trimmed
  if (next < 0) return undefined;
  return lines.slice(at + 1, next).filter((l) => !PRINTK.test(l) && l !== "");
}

/** `stty -a`'s flag words: "icanon" when on, "-icanon" when off. */
function flag(stty: string, name: string): boolean {
  const words = stty.split(/[\s;]+/);
  if (words.includes(name)) return true;
  if (words.includes(`-${name}`)) return false;
  assert.fail(`stty -a shows no '${name}' flag:\n${stty}`);
}

// Modes a cooked terminal has and raw mode clears (Node's setRawMode, libuv's UV_TTY_MODE_RAW: line
// editing, local echo, signal keys, CR to NL on input; it keeps output processing, as QEMU's stdio does).
const COOKED_FLAGS = ["icanon", "echo", "isig", "iexten", "icrnl"] as const;

test("tskvm run in tmux: prompt, typed commands echo and answer, a pipe works, Ctrl-A X exits 0 and restores the terminal",
  { skip, timeout: BOOT_TIMEOUT_MS + 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tskvm-tmux-"));
    const session = new TmuxSession(dir);
    const file = (name: string): string => join(dir, name);
    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    // The wrapper: terminal mode before, tskvm as the pane's foreground job (its pid kept), its exit
    // status, terminal mode after. The pane (and so the session) ends when the wrapper does.
    writeFileSync(file("session.sh"), [
      "stty -a > stty-before",
      `export TSKVM_GUEST_DIR=${q(GUEST_DIR)}`,
      `sh -c 'echo $$ > tskvm.pid; exec "$0" "$@"' ${q(process.execPath)} ${q(CLI)} run --mem 256 --append console=ttyAMA0`,
      "echo EXIT=$? > exit-status",
      "stty -a > stty-after",
      "",
    ].join("\n"));
    try {
      const start = session.tmux("new-session", "-d", "-s", session.name, "-x", "120", "-y", "50", "-c", dir, `sh ${q(file("session.sh"))}`);
      assert.equal(start.status, 0, start.stderr);

      // Booted: the /init banner, then the prompt.
      await session.waitFor("the shell prompt", (s) => (s.includes(PROMPT) ? true : undefined), BOOT_TIMEOUT_MS);
      const booted = session.screen();
      assert.match(booted, /^tskvm guest: BusyBox on Debian's armmp kernel \S+$/m);

      // While tskvm runs, its terminal is raw: no canonical mode, no local echo, no signal keys.
      const tty = session.tmux("display-message", "-p", "-t", session.name, "#{pane_tty}").stdout.trim();
      const during = spawnSync("stty", ["-a", "-F", tty], { encoding: "utf8" });
      assert.equal(during.status, 0, during.stderr);
      for (const f of COOKED_FLAGS) assert.equal(flag(during.stdout, f), false, `${f} while tskvm runs`);

      const sum = "echo $((6*7))";
      session.type(sum);
      const sumOut = await session.waitFor(`the output of ${sum}`, (s) => outputAfter(s, sum), 60_000);
      assert.deepEqual(sumOut, ["42"]);

      const upper = "echo hello, guest | tr a-z A-Z";
      session.type(upper);
      assert.deepEqual(await session.waitFor(`the output of ${upper}`, (s) => outputAfter(s, upper), 60_000), ["HELLO, GUEST"]);

      const total = "seq 1 100 | awk '{ s += $1 } END { print s }'";
      session.type(total);
      assert.deepEqual(await session.waitFor(`the output of ${total}`, (s) => outputAfter(s, total), 60_000), ["5050"]);

      // Ctrl-A then X: tskvm quits; the wrapper records the status and the terminal mode, then ends.
      assert.equal(session.tmux("send-keys", "-t", session.name, "C-a").status, 0);
      assert.equal(session.tmux("send-keys", "-t", session.name, "X").status, 0);
      const end = Date.now() + 30_000;
      while (session.alive() && Date.now() < end) await sleep(200);
      assert.equal(session.alive(), false, `the session is still there 30 s after Ctrl-A X:\n${tail(session.screen())}`);

      assert.equal(readFileSync(file("exit-status"), "utf8"), "EXIT=0\n");
      const pid = Number(readFileSync(file("tskvm.pid"), "utf8"));
      assert.ok(pid > 0);
      assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, "the tskvm process is gone");

      const before = readFileSync(file("stty-before"), "utf8"), after = readFileSync(file("stty-after"), "utf8");
      for (const f of COOKED_FLAGS) assert.equal(flag(before, f), true, `${f} before tskvm`);
      assert.equal(after, before, "the terminal mode after tskvm is the one it had before");
    } finally {
      session.tmux("kill-server");
      if (existsSync(file("tskvm.pid"))) {
        try {
          process.kill(Number(readFileSync(file("tskvm.pid"), "utf8")), "SIGKILL");
        } catch {
          // already gone: the normal case
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
