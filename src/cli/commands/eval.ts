/** `qfin eval`: evaluates Excel formulas that call QFIN functions, with the same engine the taskpane workbench uses. */
import { FormulaSyntaxError, evaluateFormula } from "../../engine/formula-engine";
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { loadDatasetFile } from "../dataset-file";
import { formatResult } from "../format-result";

export const evalCommand: CliCommand = {
  name: "eval",
  summary: "Evaluate Excel formulas that call QFIN functions.",
  usage: [
    "Usage: qfin eval [--data FILE] [--] FORMULA...",
    "",
    "Evaluates each formula as Excel would in a cell (the leading = is optional) and prints one line per formula:",
    "a number in full precision, text, TRUE/FALSE, a spill as tab-separated rows, or an error as its code and message.",
    "Exit status: 0 when every formula evaluated (an error value counts), 2 when a formula does not parse.",
    "",
    "Options:",
    "  --data FILE   the dataset to read (default: data/dataset.json in the package)",
    "  --            end of options (for a formula that starts with -)",
    "",
    "Examples:",
    "  qfin eval '=QFIN.METRIC(\"Net income\",\"Q2 2023\")'",
    "  qfin eval '=ROUND(QFIN.MARGIN(\"Net income\",\"Q2 2023\"),3)' '=QFIN.SERIES(\"Total net revenue\",\"quarters\",,,TRUE)'",
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, { data: { type: "string" } });
    const formulas = parsed.positionals;
    if (formulas.length === 0) throw new UsageError("Give at least one formula.");
    const index = loadDatasetFile(stringOption(parsed, "data"));

    // Evaluate everything before printing, so output is all-or-nothing when a formula does not parse.
    const lines: string[] = [];
    const syntaxErrors: string[] = [];
    for (const formula of formulas) {
      try {
        lines.push(formatResult(evaluateFormula(index, formula)));
      } catch (error) {
        if (!(error instanceof FormulaSyntaxError)) throw error;
        syntaxErrors.push(error.message);
      }
    }
    if (syntaxErrors.length > 0) throw new UsageError(syntaxErrors.join("\n"));
    io.out(lines.join("\n") + "\n");
    return ExitCode.OK;
  },
};
