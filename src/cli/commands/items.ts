/** `qfin items`: searches the line items and KPIs, through the same QFIN.ITEMS an analyst calls in Excel. */
import { isCellError } from "../../core/cell";
import { invoke } from "../../functions/invoke";
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { loadDatasetFile } from "../dataset-file";
import { formatResult } from "../format-result";

export const itemsCommand: CliCommand = {
  name: "items",
  summary: "Search line items and KPIs (what QFIN.ITEMS returns).",
  usage: [
    "Usage: qfin items [--statement NAME] [--data FILE] [QUERY]",
    "",
    "Prints the matching items, best match first, as tab-separated rows (as QFIN.ITEMS spills them); every item",
    "when QUERY is omitted. Exit status 1 when nothing matches.",
    "",
    "Options:",
    '  --statement NAME   limit to one statement ("Balance sheet", "Operations", "Cash flows", "KPI", ...)',
    "  --data FILE        the dataset to read (default: data/dataset.json in the package)",
    "",
    "Examples:",
    "  qfin items delinquency",
    '  qfin items "other services fees" --statement Operations',
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, { statement: { type: "string" }, data: { type: "string" } });
    if (parsed.positionals.length > 1) throw new UsageError(`Give one QUERY (quote words: qfin items "net income"), not ${parsed.positionals.length}.`);
    const index = loadDatasetFile(stringOption(parsed, "data"));
    const result = invoke(index, "ITEMS", [parsed.positionals[0] ?? null, stringOption(parsed, "statement") ?? null]);
    if (isCellError(result)) {
      io.err(formatResult(result) + "\n");
      return ExitCode.FAILED;
    }
    io.out(formatResult(result) + "\n");
    return ExitCode.OK;
  },
};
