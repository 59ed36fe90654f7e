/** `qfin check`: the tie-out checks of a dataset, as QFIN.CHECK() shows them in Excel. */
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { displayPath, loadDatasetFile } from "../dataset-file";
import { checkLocation } from "../describe-check";
import { defaultDatasetPath } from "../package-root";

export const checkCommand: CliCommand = {
  name: "check",
  summary: "Print the tie-out checks of a dataset; exit 1 if any failed.",
  usage: [
    "Usage: qfin check [--data FILE]",
    "",
    "Prints every tie-out check recorded when the dataset was ingested (subtotals, A = L + E, cash flows,",
    "USD conversion, narrative figures, derived quarters) as tab-separated rows: status, check, where, message;",
    "then a summary line. A dataset whose recorded checks failed, or whose totals no longer add up, is refused",
    "when it is read (exit status 1, with the first problem named).",
    "",
    "Options:",
    "  --data FILE   the dataset to check (default: data/dataset.json in the package)",
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, { data: { type: "string" } });
    if (parsed.positionals.length > 0) throw new UsageError(`Unexpected argument: ${parsed.positionals[0]}.`);
    const path = stringOption(parsed, "data") ?? defaultDatasetPath();
    const { checks } = loadDatasetFile(path).dataset;
    const rows = checks.map((check) => [check.status.toUpperCase(), check.check, checkLocation(check), check.message].join("\t"));
    io.out([...rows, `${displayPath(path)}: ${checks.length} checks, all passed.`].join("\n") + "\n");
    return ExitCode.OK;
  },
};
