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
    "Writes an analyst model: income statement (quarters and half-years, margins, growth), balance sheet, cash flow,",
    "non-GAAP reconciliation, KPIs and a Checks sheet. Every figure is a QFIN formula reading the item id in column B",
    "and the period in row 4 (latest, latest-1, … roll forward when a new quarter is loaded). Values are cached, so",
    "the file shows numbers before the add-in loads. The file is written atomically (a temporary file, then renamed).",
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
        `${template.errorCells.length} showing #N/A or another error (periods the data does not report), ` +
        `values from release ${template.model.builtFrom} (${milliseconds} ms).\n`,
    );
    return ExitCode.OK;
  },
};
