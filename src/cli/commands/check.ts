/** `qfin check`: the tie-out checks of a dataset, as QFIN.CHECK() shows them in Excel. */
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { activateDatasetFile, displayPath } from "../dataset-file";
import { checkLocation } from "../describe-check";
import { defaultDatasetPath } from "../package-root";

export const checkCommand: CliCommand = {
  name: "check",
  summary: "Print the tie-out checks of a dataset; exit 1 if any failed.",
  usage: [
    "Usage: qfin check [--failed] [--data FILE]",
    "",
    "Prints every tie-out check recorded when the dataset was ingested (subtotals, A = L + E, cash flows,",
    "USD conversion, narrative figures, derived quarters) as tab-separated rows: status, check, where, message;",
    "then a summary line. Exit status 1 if any check failed.",
    "",
    "Options:",
    "  --failed      print only the failed checks (and the summary)",
    "  --data FILE   the dataset to check (default: data/dataset.json in the package)",
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, { data: { type: "string" }, failed: { type: "boolean" } });
    if (parsed.positionals.length > 0) throw new UsageError(`Unexpected argument: ${parsed.positionals[0]}.`);
    const path = stringOption(parsed, "data") ?? defaultDatasetPath();
    const dataset = activateDatasetFile(path);

    const failed = dataset.checks.filter((check) => check.status !== "pass");
    const shown = parsed.values.failed ? failed : dataset.checks;
    const rows = shown.map((check) => [check.status.toUpperCase(), check.check, checkLocation(check), check.message].join("\t"));
    const summary = `${displayPath(path)}: ${dataset.checks.length} checks, ${dataset.checks.length - failed.length} passed, ${failed.length} failed.`;
    io.out([...rows, summary].join("\n") + "\n");
    return failed.length === 0 ? ExitCode.OK : ExitCode.FAILED;
  },
};
