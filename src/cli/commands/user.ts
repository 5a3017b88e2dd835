/**
 * `tskvm user [--strace] [--cpu cortex-a15|cortex-a7] PROGRAM [ARGS...]`: run a static 32-bit ARM
 * Linux EABI program on the emulated core, like qemu-arm. The program's output and exit status are
 * its own; death by a signal is one line on stderr and status 128 + signal, as a shell reports it.
 */
import { readFileSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import { resolve } from "node:path";
import { CliError, type Command } from "../command.js";
import { ExecError } from "../../user/elf.js";
import { execProgram, runProcess, type CpuModel } from "../../user/exec.js";
import type { HostContext } from "../../user/process.js";
import { signalDescription } from "../../user/signals.js";

const MODELS: readonly CpuModel[] = ["cortex-a15", "cortex-a7"];

interface Parsed {
  strace: boolean;
  stats: boolean;
  model: CpuModel;
  program: string;
  args: string[];
}

function parse(args: string[]): Parsed {
  let strace = false;
  let stats = false;
  let model: CpuModel = "cortex-a15";
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      i++;
      break;
    }
    if (a === "--strace" || a === "--trace-syscalls") strace = true;
    else if (a === "--stats") stats = true;
    else if (a === "--cpu" || a.startsWith("--cpu=")) {
      const value = a === "--cpu" ? args[++i] : a.slice("--cpu=".length);
      if (value === undefined) throw new CliError("user: --cpu needs a value (cortex-a15 or cortex-a7)");
      if (!MODELS.includes(value as CpuModel)) throw new CliError(`user: unknown CPU '${value}' (cortex-a15 or cortex-a7)`);
      model = value as CpuModel;
    } else if (a.startsWith("-") && a !== "-") throw new CliError(`user: unknown option '${a}'`);
    else break;
  }
  const program = args[i];
  if (program === undefined) throw new CliError("user: missing PROGRAM (usage: tskvm user [--strace] [--cpu MODEL] PROGRAM [ARGS...])");
  return { strace, stats, model, program, args: args.slice(i + 1) };
}

function readProgram(program: string): Uint8Array {
  try {
    return readFileSync(program);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === "ENOENT" ? "No such file or directory" : code === "EACCES" ? "Permission denied" :
      code === "EISDIR" ? "Is a directory" : code ?? String(err);
    throw new CliError(`${program}: ${why}`, 1);
  }
}

function hostContext(strace: boolean): HostContext {
  return {
    pid: process.pid,
    ppid: process.ppid,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    euid: process.geteuid?.() ?? 0,
    egid: process.getegid?.() ?? 0,
    cwd: process.cwd(),
    stdio: [0, 1, 2],
    isTerminal: (fd) => isatty(fd),
    windowSize: (fd) => {
      if (!isatty(fd)) return null;
      const stream = fd === 2 ? process.stderr : process.stdout;
      return stream.isTTY ? { rows: stream.rows, cols: stream.columns } : null;
    },
    trace: strace ? (line) => writeSync(2, line + "\n") : null,
  };
}

export const userCommand: Command = {
  name: "user",
  summary: "run a static 32-bit ARM Linux program (user-mode emulation, like qemu-arm)",
  usage: "tskvm user [--strace] [--stats] [--cpu cortex-a15|cortex-a7] PROGRAM [ARGS...]",
  help: [
    "",
    "options:",
    "  --strace, --trace-syscalls   list every system call with arguments and result on stderr",
    "  --cpu MODEL                  cortex-a15 (default) or cortex-a7",
    "  --stats                      print retired=N (instructions executed) on stderr at exit",
    "",
    "PROGRAM must be a static (or static-PIE) ARM EABI executable; options after it are its own.",
    "",
  ].join("\n"),
  async run(args) {
    const opts = parse(args);
    const image = readProgram(opts.program);
    let started;
    try {
      started = execProgram({
        image,
        path: resolve(opts.program),
        argv: [opts.program, ...opts.args],
        envp: Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ""}`),
        model: opts.model,
        host: hostContext(opts.strace),
      });
    } catch (err) {
      if (err instanceof ExecError) throw new CliError(`${opts.program}: ${err.message}`, 1);
      throw err;
    }
    const exit = runProcess(started);
    if (opts.stats) process.stderr.write(`retired=${started.cpu.retired}\n`);
    if (exit.kind === "exited") return exit.status;
    const detail = exit.detail ? `: ${exit.detail}` : "";
    process.stderr.write(
      `tskvm: ${opts.program}: ${signalDescription(exit.signal)} (signal ${exit.signal})${exit.coreDump ? " - core dumped" : ""}${detail}\n`,
    );
    return 128 + exit.signal;
  },
};
