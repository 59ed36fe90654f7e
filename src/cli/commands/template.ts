/** `qfin template`: writes the analyst model workbook (.xlsx) with cached values from the loaded dataset. */
import { writeFileAtomic } from "../atomic-file";
import { writeTemplate } from "../../workbook/write-template";
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { displayPath, loadDatasetFile } from "../dataset-file";

export const templateCommand: CliCommand = {
  name: "template",
  summary: "Write the analyst model workbook (.xlsx): every figure a QFIN formula.",
  usage: [
    "Usage: qfin template --out FILE.xlsx [--data FILE]",
    "",
    "Writes an analyst model: a cover, the income statement (quarters and half-years, EPS per ADS, margins, growth),",
    "balance sheet, cash flow, non-GAAP reconciliation, every KPI of the release, an Analysis sheet of Excel formulas",
    "over them, the release's definitions and the checks. Every figure is a QFIN formula reading the item id in the",
    "hidden column B and the period in row 4 (latest, latest-1, … roll forward when a new quarter is loaded); a period",
    "the data does not report shows n/a. Every value is cached and nothing recalculates on open, so the file reads the",
    "same without the add-in; refresh it with the pane's Refresh or qfin recalc. Written atomically (a temporary file,",
    "then renamed).",
    "Exit status: 0 written, 1 unreadable data or the file could not be written, 2 misuse.",
    "",
    "Options:",
    "  --out FILE    the workbook to write (required; .xlsx)",
    "  --data FILE   the dataset to read (default: data/dataset.json in the package)",
    "",
    "Example:",
    "  qfin template --out qfin-model.xlsx",
  ].join("\n"),
  async run(args: readonly string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseCommandArgs(args, { out: { type: "string" }, data: { type: "string" } });
    if (parsed.positionals.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[0])}; the workbook goes in --out FILE.xlsx.`);
    const out = stringOption(parsed, "out");
    if (!out) throw new UsageError("Say where to write the workbook: --out FILE.xlsx.");
    if (!/\.xlsx$/i.test(out)) throw new UsageError(`--out ${out}: the workbook must be an .xlsx file.`);
    const index = loadDatasetFile(stringOption(parsed, "data"));

    const started = performance.now();
    const template = await writeTemplate(index);
    try {
      writeFileAtomic(out, template.bytes);
    } catch (error) {
      io.err(`qfin template: cannot write ${displayPath(out)}: ${(error as Error).message}\n`);
      return ExitCode.FAILED;
    }
    const formulas = template.model.sheets.reduce((count, sheet) => count + sheet.cells.filter((cell) => cell.formula !== undefined).length, 0);
    const milliseconds = Math.round(performance.now() - started);
    io.out(
      `Wrote ${displayPath(out)}: ${template.model.sheets.map((sheet) => sheet.name).join(", ")}; ${formulas} formulas, ` +
        `${template.errorCells.length} showing an error, ${template.markedCells.length} marked n/a or n.m. (periods the data does not report), ` +
        `values from release ${template.model.builtFrom} (${milliseconds} ms).\n`,
    );
    return ExitCode.OK;
  },
};
