/** The one argument parser of the `qfin` commands: Node's `util.parseArgs`, with its errors turned into UsageError. */
import { parseArgs } from "node:util";
import { UsageError } from "./command";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses a command's arguments strictly: an unknown option or a missing option value is a UsageError.
 * `--` ends the options, so a formula that starts with `-` can follow it.
 *
 * @example
 * parseCommandArgs(["--data", "d.json", "=1+1"], { data: { type: "string" } })
 * // { values: { data: "d.json" }, positionals: ["=1+1"] }
 */
export function parseCommandArgs(args: readonly string[], options: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  try {
    const parsed = parseArgs({ args: [...args], options: { ...options }, strict: true, allowPositionals: true });
    return { values: parsed.values as ParsedArgs["values"], positionals: parsed.positionals };
  } catch (error) {
    // parseArgs explains itself ("Unknown option '--dat'"); drop its advice about `--` for positionals, ours is in the usage.
    const message = error instanceof Error ? error.message.split(". To specify")[0] : String(error);
    throw new UsageError(message.replace(/\.$/, "") + ".");
  }
}

/** A string option's value, or undefined. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}
