#!/usr/bin/env node
/**
 * The tskvm command line. The only layer that touches process, argv and the terminal.
 * Each subcommand lives in its own module and is registered in COMMANDS.
 */
import { readFileSync } from "node:fs";
import { CliError, type Command } from "./command.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

const versionCommand: Command = {
  name: "version",
  summary: "print tskvm's version",
  usage: "tskvm version",
  run: async () => {
    process.stdout.write(`tskvm ${packageVersion()}\n`);
    return 0;
  },
};

/** Loaded lazily so that `tskvm --help` stays fast and one broken command cannot break the others. */
const COMMANDS: ReadonlyArray<{ name: string; summary: string; load: () => Promise<Command> }> = [
  { name: "version", summary: versionCommand.summary, load: async () => versionCommand },
  { name: "info", summary: "show the emulated KVM host: API version, capabilities", load: async () => (await import("./commands/info.js")).infoCommand },
  { name: "run", summary: "boot an ARM Linux kernel on the virt board", load: async () => (await import("./commands/run.js")).runCommand },
  { name: "user", summary: "run a static ARM Linux program (user-mode emulation)", load: async () => (await import("./commands/user.js")).userCommand },
  { name: "guest", summary: "fetch Debian's ARM kernel and BusyBox, build the guest initramfs", load: async () => (await import("./commands/guest.js")).guestCommand },
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: tskvm <command> [options]",
    "",
    "The Linux KVM userspace API in TypeScript, with software ARM and PowerPC CPUs.",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `tskvm <command> --help` for a command's options.",
    "",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V") return versionCommand.run([]);
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new CliError(`unknown command '${name}' (try 'tskvm --help')`);
  const command = await entry.load();
  // Only a leading --help belongs to tskvm: `tskvm user prog --help` passes it to the program.
  if (rest[0] === "--help" || rest[0] === "-h") {
    process.stdout.write(`usage: ${command.usage}\n\n${command.summary}\n${command.help ?? ""}`);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof CliError) {
      process.stderr.write(`tskvm: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    // A bug in tskvm itself: say so in one line plus the stack for a report.
    process.stderr.write(`tskvm: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(70);
  },
);
