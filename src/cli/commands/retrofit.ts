/** `qfin retrofit`: links an analyst's own model to the release, writing a copy in which its figures are QFIN formulas. */
import { FileWriteError, sameFile, writableTarget, writeFileAtomic } from "../atomic-file";
import { retrofitXlsx } from "../../workbook/retrofit-xlsx";
import { WorkbookFileError } from "../../workbook/recalc-xlsx";
import { retrofitReport, summaryLine } from "../../retrofit/report";
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { displayPath, loadDatasetFile, readWorkbookFile } from "../dataset-file";

export const retrofitCommand: CliCommand = {
  name: "retrofit",
  summary: "Link an existing model (.xlsx): its hard-coded release figures become QFIN formulas, in a copy.",
  usage: [
    "Usage: qfin retrofit MODEL.xlsx --out LINKED.xlsx [--report REPORT.json] [--data FILE]",
    "",
    "Finds the release's figures among the numbers typed into MODEL.xlsx — at any scale (units, thousands, millions,",
    "billions; percentages as fractions or as per cent under a \"%\" note), either sign, RMB or US$, rounded to the digits",
    "typed — using each number's row label (the vocabulary QFIN.METRIC reads) and the period heading its column",
    "(1Q22, Q2'23, 1H23, FY22, Dec-22, Jun-23, dates, \"Three months ended June 30, 2023\"). Writes LINKED.xlsx, a copy in",
    "which each figure found is a QFIN formula that gives back exactly the number that was there",
    "(=ROUND(QFIN.METRIC(\"Total net revenue\",\"Q2 2023\"),1) for 3914.3); every other cell, formula, style and part of",
    "the file is left as it was. MODEL.xlsx itself is never written.",
    "",
    "Left alone, and listed in the report with the reason: numbers in columns for periods the data lacks or marked as",
    "estimates (3Q23E, \"Consensus\"), numbers that fit several figures, numbers with one significant digit (0.2, 0.03),",
    "lines the release does not report (EBITDA), and anything that is a formula or text.",
    "",
    "Prints a summary line. Exit status: 0 linked (even none), 1 unreadable workbook or data, or a file could not be",
    "written, 2 misuse.",
    "",
    "Options:",
    "  --out FILE      the linked copy to write (required; not MODEL.xlsx)",
    "  --report FILE   also write the report: every linked cell (address, old value, formula, item, period, how",
    "                  it was decided) and every candidate not linked, with why (JSON)",
    "  --data FILE     the dataset to read (default: data/dataset.json in the package)",
    "",
    "Example:",
    "  qfin retrofit my-model.xlsx --out my-model-linked.xlsx --report my-model-links.json",
  ].join("\n"),
  async run(args: readonly string[], io: CliIo): Promise<ExitCode> {
    const parsed = parseCommandArgs(args, { out: { type: "string" }, report: { type: "string" }, data: { type: "string" } });
    if (parsed.positionals.length !== 1) throw new UsageError("Give one workbook: qfin retrofit MODEL.xlsx --out LINKED.xlsx.");
    const input = parsed.positionals[0] as string;
    const out = stringOption(parsed, "out");
    if (!out) throw new UsageError("Say where to write the linked copy: --out LINKED.xlsx (the model itself is never written).");
    const reportPath = stringOption(parsed, "report");
    const fail = (message: string): ExitCode => {
      io.err(`qfin retrofit: ${message}\n`);
      return ExitCode.FAILED;
    };
    // Refused before any work: the original is never touched, and the copy and the report are two files.
    if (sameFile(input, out)) return fail(`${displayPath(out)} is the model being linked; it was left as it was. Write the linked copy to another file (--out FILE).`);
    if (reportPath !== undefined && (sameFile(input, reportPath) || sameFile(out, reportPath) || reportPath === out)) {
      return fail(`--report ${displayPath(reportPath)} must be a file of its own, neither the model nor the linked copy; nothing was written.`);
    }
    for (const target of reportPath === undefined ? [out] : [out, reportPath]) {
      try {
        writableTarget(target);
      } catch (error) {
        if (error instanceof FileWriteError) return fail(`cannot write ${displayPath(target)}: ${error.message}`);
        throw error;
      }
    }
    const index = loadDatasetFile(stringOption(parsed, "data"));

    const read = readWorkbookFile(input);
    if ("reason" in read) return fail(`cannot read ${displayPath(input)}: ${read.reason}. Nothing was written.`);
    const { bytes } = read;
    const started = performance.now();
    let linked: Awaited<ReturnType<typeof retrofitXlsx>>;
    try {
      linked = await retrofitXlsx(bytes, index);
    } catch (error) {
      if (!(error instanceof WorkbookFileError)) throw error;
      return fail(`${displayPath(input)} is ${error.message} Nothing was written.`);
    }
    const milliseconds = Math.round(performance.now() - started);
    try {
      writeFileAtomic(out, linked.output);
    } catch (error) {
      if (error instanceof FileWriteError) return fail(`cannot write ${displayPath(out)}: ${error.message}`);
      throw error;
    }
    if (reportPath !== undefined) {
      const report = retrofitReport(linked.result, index, displayPath(input), displayPath(out));
      try {
        writeFileAtomic(reportPath, Buffer.from(JSON.stringify(report, null, 2) + "\n", "utf8"));
      } catch (error) {
        if (error instanceof FileWriteError) return fail(`wrote ${displayPath(out)}, but cannot write the report ${displayPath(reportPath)}: ${error.message}`);
        throw error;
      }
    }
    const wrote = reportPath === undefined ? `wrote ${displayPath(out)}` : `wrote ${displayPath(out)} and ${displayPath(reportPath)}`;
    io.out(`${summaryLine(linked.result.summary)} ${capitalise(wrote)} (${milliseconds} ms).\n`);
    return ExitCode.OK;
  },
};

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
