/** `qfin recalc`: refreshes the QFIN formulas of any .xlsx workbook headlessly, changing nothing else in the file. */
import { formatResult } from "../format-result";
import { writeFileAtomic } from "../atomic-file";
import { RecalcReport, WorkbookFileError, describeValue, recalculateXlsx } from "../../workbook/recalc-xlsx";
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { displayPath, loadDatasetFile, readWorkbookFile } from "../dataset-file";

export const recalcCommand: CliCommand = {
  name: "recalc",
  summary: "Recalculate the QFIN formulas of a workbook (.xlsx) with the current data.",
  usage: [
    "Usage: qfin recalc MODEL.xlsx [--data FILE] [--out FILE]",
    "",
    "Recomputes every QFIN formula in the workbook, and every formula that depends on one, with the same engine and",
    "functions as `qfin eval`, and writes the new cached values. Nothing else in the file changes: sheets, formats,",
    "other formulas and their values, defined names — only the changed values of recalculated cells are rewritten.",
    "Formulas may use QFIN.METRIC(…) or the form Excel saves add-in functions in (_xldudf_QFIN_METRIC(…)).",
    "",
    "Prints each changed cell (old → new), then the cells that hold an error value (code and message), then cells left",
    "as they were (circular references, Excel functions this engine lacks, spills larger than their area), then notes",
    "(array areas reaching past the cells the sheet has, recalculated as far as the sheet goes).",
    "Writes --out FILE, or replaces MODEL.xlsx atomically (untouched when nothing changed). Parts not rewritten are",
    "copied byte for byte. Refused, with the reason, and left as they were: a file that is not a readable .xlsx, XML",
    "that is not well-formed (the part, line and column are named), a cell outside Excel's grid, and zip bombs (a part",
    "over 256 MB, parts over 1 GB together, or compression no real sheet reaches), checked before anything is inflated.",
    "Exit status: 0 recalculated (error values in cells are results, as in Excel), 1 unreadable workbook or data,",
    "or the file could not be written, 2 misuse.",
    "",
    "Options:",
    "  --data FILE   the dataset to read (default: data/dataset.json in the package)",
    "  --out FILE    write the refreshed workbook here instead of replacing MODEL.xlsx",
    "",
    "Examples:",
    "  qfin recalc qfin-model.xlsx",
    "  qfin recalc models/qfin.xlsx --data next/dataset.json --out refreshed/qfin.xlsx",
  ].join("\n"),
  async run(args: readonly string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseCommandArgs(args, { out: { type: "string" }, data: { type: "string" } });
    if (parsed.positionals.length !== 1) throw new UsageError("Give one workbook: qfin recalc MODEL.xlsx.");
    const input = parsed.positionals[0];
    const out = stringOption(parsed, "out") ?? input;
    const index = loadDatasetFile(stringOption(parsed, "data"));

    const read = readWorkbookFile(input);
    if ("reason" in read) {
      io.err(`qfin recalc: cannot read ${displayPath(input)}: ${read.reason}.\n`);
      return ExitCode.FAILED;
    }
    const { bytes } = read;
    const started = performance.now();
    let result: Awaited<ReturnType<typeof recalculateXlsx>>;
    let printed: string;
    try {
      result = await recalculateXlsx(bytes, index);
      // The report is rendered before anything is written: whatever fails here leaves the file as it was.
      printed = describeReport(result.report);
    } catch (error) {
      if (error instanceof WorkbookFileError) {
        io.err(`qfin recalc: ${displayPath(input)} is ${error.message} Nothing was written.\n`);
        return ExitCode.FAILED;
      }
      // A limit of this process (string or array length, call stack), not a fault of the file; said so, not thrown.
      if (error instanceof RangeError) {
        io.err(`qfin recalc: ${displayPath(input)} is too large to refresh in this process (${error.message}). Nothing was written.\n`);
        return ExitCode.FAILED;
      }
      throw error;
    }
    const { output, report } = result;
    const unchangedInPlace = out === input && report.changes.length === 0;
    if (!unchangedInPlace) {
      try {
        writeFileAtomic(out, output);
      } catch (error) {
        io.err(`qfin recalc: cannot write ${displayPath(out)}: ${(error as Error).message}\n`);
        return ExitCode.FAILED;
      }
    }
    const milliseconds = Math.round(performance.now() - started);
    io.out(printed);
    const where = unchangedInPlace ? `${displayPath(input)} left as it was` : `wrote ${displayPath(out)}`;
    io.out(
      `${report.recalculated} formulas recalculated (${report.qfinFormulas} QFIN), ${report.changes.length} values changed, ` +
        `${report.errors.length} errors, ${report.skipped.length} left as they were; ${where} (${milliseconds} ms).\n`,
    );
    return ExitCode.OK;
  },
};

/**
 * The report as lines: changes, then errors, then skipped cells, then notes. Built with loops, not spread arguments:
 * a million changes would overflow the call stack as arguments of one push.
 */
export function describeReport(report: RecalcReport): string {
  const lines: string[] = [];
  const section = <T>(title: string, list: readonly T[], line: (entry: T) => string): void => {
    if (list.length === 0) return;
    lines.push(title);
    for (const entry of list) lines.push(line(entry));
  };
  section("Changed:", report.changes, (change) => `  ${change.cell}: ${describeValue(change.before)} → ${describeValue(change.after)}`);
  section("Errors:", report.errors, (problem) => `  ${problem.cell}: ${formatResult(problemAsText(problem))}`);
  section("Left as they were:", report.skipped, (problem) => `  ${problem.cell}: ${problem.code} ${problem.message}`);
  section("Notes:", report.notes, (note) => `  ${note.cell}: ${note.message}`);
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}

function problemAsText(problem: { code: string; message: string }): string {
  return problem.message ? `${problem.code} ${problem.message}` : problem.code;
}
