/** What every `qfin` command is made of: its help text and a `run` that returns an exit code (never exits). */

/** Where a command writes: stdout for results, stderr for messages. Tests capture both. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** `qfin` exit codes. */
export enum ExitCode {
  /** The command did its job (for `eval`: every formula evaluated, even to an error value). */
  OK = 0,
  /** The job failed: a release that does not tie out, a failing check, unreadable data. */
  FAILED = 1,
  /** The command line was wrong: unknown command or option, missing argument, a formula that does not parse. */
  USAGE = 2,
}

export interface CliCommand {
  name: string;
  /** One line for `qfin --help`. */
  summary: string;
  /** Full help: usage line, options, examples. */
  usage: string;
  /** Synchronous, or a promise for commands that write files through asynchronous libraries (template, recalc). */
  run(args: readonly string[], io: CliIo): ExitCode | Promise<ExitCode>;
}

/** A mistake on the command line: the command prints the message and its usage to stderr and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
