/**
 * The `qfin` command: `qfin eval | functions | ingest | check | items | template | recalc | retrofit`. `runQfin` returns the exit code and writes through the
 * given io, so tests and `bin/qfin.js` drive the same code; only `main` touches the process.
 */
import { CliCommand, CliIo, ExitCode, UsageError } from "./command";
import { checkCommand } from "./commands/check";
import { evalCommand } from "./commands/eval";
import { functionsCommand } from "./commands/functions";
import { ingestCommand } from "./commands/ingest";
import { itemsCommand } from "./commands/items";
import { recalcCommand } from "./commands/recalc";
import { retrofitCommand } from "./commands/retrofit";
import { templateCommand } from "./commands/template";
import { DataFileError } from "./dataset-file";

export const COMMANDS: readonly CliCommand[] = [evalCommand, functionsCommand, ingestCommand, checkCommand, itemsCommand, templateCommand, recalcCommand, retrofitCommand];

const HELP_FLAGS = new Set(["--help", "-h"]);

export function generalUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    "Usage: qfin COMMAND [OPTIONS] [ARGS]",
    "",
    "QFIN for Excel from the terminal: Qifu Technology's reported figures through the same QFIN functions as Excel.",
    "",
    "Commands:",
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    "",
    'Run "qfin COMMAND --help" for a command\'s options and examples.',
  ].join("\n");
}

/**
 * Runs `qfin` with the arguments after the program name.
 *
 * @example
 * runQfin(["eval", '=QFIN.METRIC("Net income","Q2 2023")'], io) // 0, io.out("1093.377\n")
 * runQfin(["frobnicate"], io) // 2, usage on io.err
 */
export function runQfin(argv: readonly string[], io: CliIo): ExitCode | Promise<ExitCode> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.err(generalUsage() + "\n");
    return ExitCode.USAGE;
  }
  if (HELP_FLAGS.has(name) || name === "help") {
    const topic = name === "help" ? COMMANDS.find((command) => command.name === args[0]) : undefined;
    io.out((topic ? topic.usage : generalUsage()) + "\n");
    return ExitCode.OK;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.err(`qfin: unknown command "${name}".\n\n${generalUsage()}\n`);
    return ExitCode.USAGE;
  }
  const separator = args.indexOf("--");
  const options = separator === -1 ? args : args.slice(0, separator);
  if (options.some((arg) => HELP_FLAGS.has(arg))) {
    io.out(command.usage + "\n");
    return ExitCode.OK;
  }
  try {
    const code = command.run(args, io);
    return code instanceof Promise ? code.catch((error: unknown) => commandFailure(command, error, io)) : code;
  } catch (error) {
    return commandFailure(command, error, io);
  }
}

/** A command's UsageError exits 2 with its usage, an unreadable data file exits 1; anything else is a bug and is thrown. */
function commandFailure(command: CliCommand, error: unknown, io: CliIo): ExitCode {
  if (error instanceof UsageError) {
    io.err(`qfin ${command.name}: ${error.message}\n\n${command.usage}\n`);
    return ExitCode.USAGE;
  }
  if (error instanceof DataFileError) {
    io.err(`qfin ${command.name}: ${error.message}\n`);
    return ExitCode.FAILED;
  }
  throw error;
}

/** Entry point for `bin/qfin.js`: real stdout/stderr, and the exit code set (not forced) so output is flushed. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const io: CliIo = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  const code = runQfin(argv, io);
  if (code instanceof Promise) {
    code.then(
      (exit) => (process.exitCode = exit),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = ExitCode.FAILED;
      },
    );
  } else {
    process.exitCode = code;
  }
}
