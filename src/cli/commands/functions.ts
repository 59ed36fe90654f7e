/** `qfin functions`: the QFIN functions and their arguments, from the catalogue Excel's functions.json is made from. */
import { FUNCTIONS } from "../../functions/catalogue";
import { isOptional, signature } from "../../functions/define";
import { parseCommandArgs } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";

export const functionsCommand: CliCommand = {
  name: "functions",
  summary: "List the QFIN functions, their arguments and an example of each.",
  usage: [
    "Usage: qfin functions [NAME]",
    "",
    "Prints each QFIN function's signature, what it returns, its arguments and an example (one function when NAME is",
    "given, e.g. qfin functions METRIC). The same descriptions Excel shows, from the same declarations.",
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, {});
    if (parsed.positionals.length > 1) throw new UsageError("Give at most one function name.");
    const wanted = parsed.positionals[0]?.toUpperCase().replace(/^QFIN\./, "");
    const shown = wanted === undefined ? FUNCTIONS : FUNCTIONS.filter((fn) => fn.id === wanted);
    if (shown.length === 0) throw new UsageError(`There is no function QFIN.${wanted}. The functions are ${FUNCTIONS.map((fn) => fn.id).join(", ")}.`);
    const blocks = shown.map((fn) =>
      [
        signature(fn),
        `  ${fn.description}`,
        ...fn.params.map((param) => `  ${param.name}${isOptional(param) ? " (optional)" : ""}: ${param.description}`),
        `  Example: ${fn.example.formula} → ${fn.example.result}`,
      ].join("\n"),
    );
    io.out(blocks.join("\n\n") + "\n");
    return ExitCode.OK;
  },
};
