/** A tskvm subcommand. `run` returns the process exit status. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Extra help text printed after the usage line. */
  readonly help?: string;
  run(args: string[]): Promise<number>;
}

/** A user's mistake: printed as one line `tskvm: <message>`, never with a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = "CliError";
  }
}
