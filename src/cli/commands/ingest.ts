/** `qfin ingest`: release text → validated dataset file, refused (and nothing written) unless the release ties out. */
import { existsSync } from "node:fs";
import { ingestReleaseFile, writeDatasetFile } from "../../ingest/files";
import { IngestError } from "../../ingest/ingest-error";
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
    "",
    "Parses the earnings release, runs every tie-out check and writes the dataset to FILE (atomically).",
    "A release that fails a check is refused: the failures are printed, the exit status is 1 and FILE is left as it was.",
    "",
    "Options:",
    "  --out FILE   where to write the dataset JSON (required)",
    "",
    "Example:",
    "  qfin ingest data/releases/qfin-2023q2-earnings-release.txt --out data/dataset.json",
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, { out: { type: "string" } });
    const out = stringOption(parsed, "out");
    if (parsed.positionals.length !== 1) throw new UsageError("Give exactly one RELEASE.txt to ingest.");
    if (!out) throw new UsageError("Say where to write the dataset: --out FILE.");
    const releasePath = parsed.positionals[0];

    let dataset;
    try {
      dataset = ingestReleaseFile(releasePath, packageRoot());
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
    writeDatasetFile(out, dataset);
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
