/** `qfin ingest`: release text → validated dataset file, refused (and nothing written) unless the release ties out. */
import { existsSync } from "node:fs";
import { readFileSync } from "node:fs";
import { loadDataset } from "../../core/dataset-store";
import type { Dataset } from "../../core/model";
import { datasetJson, ingestReleaseFile } from "../../ingest/files";
import { FileWriteError, writeFileAtomic } from "../atomic-file";
import { IngestError } from "../../ingest/ingest-error";
import { mergeRelease, type MergeReport } from "../../ingest/merge";
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { displayPath } from "../dataset-file";
import { describeFailure } from "../describe-check";
import { packageRoot } from "../package-root";

export const ingestCommand: CliCommand = {
  name: "ingest",
  summary: "Build a dataset from a release text, refusing a release that does not tie out.",
  usage: [
    "Usage: qfin ingest RELEASE.txt --out FILE",
    "       qfin ingest RELEASE.txt --into DATASET [--out FILE]",
    "",
    "Parses the earnings release, runs every tie-out check and writes the dataset to FILE (atomically).",
    "With --into, adds the release to an existing dataset: earlier releases' figures are kept, figures the new",
    "release reports differently (restatements) and renamed items are listed, and the result replaces DATASET",
    "(or goes to --out FILE).",
    "A release that fails a check is refused: the failures are printed, the exit status is 1 and FILE is left as it was.",
    "",
    "Options:",
    "  --out FILE       where to write the dataset JSON (required without --into)",
    "  --into DATASET   add the release to this dataset",
    "",
    "Examples:",
    "  qfin ingest data/releases/qfin-2023q2-earnings-release.txt --out data/dataset.json",
    "  qfin ingest releases/qfin-2023q3.txt --into data/dataset.json",
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, { out: { type: "string" }, into: { type: "string" } });
    const into = stringOption(parsed, "into");
    const out = stringOption(parsed, "out") ?? into;
    if (parsed.positionals.length !== 1) throw new UsageError("Give exactly one RELEASE.txt to ingest.");
    if (!out) throw new UsageError("Say where to write the dataset: --out FILE (or --into DATASET to add to one).");
    const releasePath = parsed.positionals[0];

    let existing: Dataset | undefined;
    if (into) {
      try {
        existing = loadDataset(JSON.parse(readFileSync(into, "utf8")));
      } catch (error) {
        io.err(`qfin ingest: cannot add to ${displayPath(into)}: ${(error as Error).message}\n`);
        return ExitCode.FAILED;
      }
    }

    let dataset: Dataset;
    let report: MergeReport | undefined;
    try {
      dataset = ingestReleaseFile(releasePath, packageRoot());
      if (existing) ({ dataset, report } = mergeRelease(existing, dataset));
    } catch (error) {
      if (error instanceof IngestError) {
        io.err(refusal(releasePath, out, error));
        return ExitCode.FAILED;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") {
        io.err(`qfin ingest: cannot read ${displayPath(releasePath)} (${code}).\n`);
        return ExitCode.FAILED;
      }
      throw error;
    }
    try {
      writeFileAtomic(out, Buffer.from(datasetJson(dataset), "utf8"));
    } catch (error) {
      if (!(error instanceof FileWriteError)) throw error;
      io.err(`qfin ingest: cannot write ${displayPath(out)}: ${error.message}\n`);
      return ExitCode.FAILED;
    }
    if (report) io.out(describeMerge(report));
    const passed = dataset.checks.filter((check) => check.status === "pass").length;
    const releases = dataset.releases.map((release) => release.id).join(", ");
    io.out(
      `Wrote ${displayPath(out)}: release ${releases}, ${dataset.items.length} items, ${dataset.periods.length} periods, ` +
        `${dataset.facts.length} facts; ${passed} of ${dataset.checks.length} tie-out checks passed.\n`,
    );
    return ExitCode.OK;
  },
};

/** Shown at most, so a truncated table's hundreds of failures stay readable; the first ones locate the damage. */
const MAX_FAILURES_SHOWN = 20;

function refusal(releasePath: string, out: string, error: IngestError): string {
  const failures = error.failures;
  const count = failures.length;
  const lines = [
    `qfin ingest: ${displayPath(releasePath)} was refused: ${count === 0 ? error.message : `${count} tie-out check${count === 1 ? "" : "s"} failed.`}`,
    ...failures.slice(0, MAX_FAILURES_SHOWN).map((failure) => `  ${describeFailure(failure)}`),
    ...(count > MAX_FAILURES_SHOWN ? [`  … and ${count - MAX_FAILURES_SHOWN} more.`] : []),
    existsSync(out) ? `${displayPath(out)} was left as it was.` : `Nothing was written to ${displayPath(out)}.`,
  ];
  return lines.join("\n") + "\n";
}

function describeMerge(report: MergeReport): string {
  const lines = [
    `Added release ${report.release}: ${report.factsAdded} facts, periods ${report.periodsAdded.join(", ") || "(none new)"}` +
      `${report.derivedAcrossReleases ? `, ${report.derivedAcrossReleases} figures derived across releases` : ""}.`,
  ];
  for (const rename of report.renamed) lines.push(`  renamed: ${rename.item} "${rename.from}" → "${rename.to}" (the old name still resolves)`);
  for (const item of report.itemsAdded) lines.push(`  new item: ${item}`);
  for (const r of report.restated) {
    lines.push(
      `  restated (${r.basis}): "${r.label}" ${r.period}${r.currency ? ` ${r.currency}` : ""}: ${r.before.value} in ${r.before.release} (line ${r.before.line}) → ${r.after.value} in ${r.after.release} (line ${r.after.line}); both kept, the latest answers by default`,
    );
  }
  return `${lines.join("\n")}\n`;
}
