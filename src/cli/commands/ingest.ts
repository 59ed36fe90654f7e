/** `qfin ingest`: release text → validated dataset file, refused (and nothing written) unless the release ties out. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { DatasetError, loadDataset } from "../../core/load-dataset";
import type { Dataset } from "../../core/model";
import { checkedDatasetJson, ingestReleaseFile, ReleaseFileError } from "../../ingest/files";
import { FileWriteError, sameFile, writableTarget, writeFileAtomic } from "../atomic-file";
import { FileLock, LockBusyError } from "../file-lock";
import { IngestError } from "../../ingest/ingest-error";
import { mergeRelease, type MergeReport } from "../../ingest/merge";
import { parseCommandArgs, stringOption } from "../args";
import { CliCommand, CliIo, ExitCode, UsageError } from "../command";
import { displayPath } from "../dataset-file";
import { describeFailure } from "../describe-check";
import { packageRoot } from "../package-root";

/** A dataset of one release is about 0.7 MB; a file far larger than any history of releases is not one. */
const MAX_DATASET_BYTES = 256 * 1024 * 1024;
/** Another ingest holds the dataset for about a second; twenty queued ones finish well within this. */
const DEFAULT_WAIT_SECONDS = 30;

export const ingestCommand: CliCommand = {
  name: "ingest",
  summary: "Build a dataset from a release text, refusing a release that does not tie out.",
  usage: [
    "Usage: qfin ingest RELEASE.txt --out FILE",
    "       qfin ingest RELEASE.txt --into DATASET [--out FILE] [--wait SECONDS]",
    "",
    "Parses the earnings release, runs every tie-out check and writes the dataset to FILE (atomically).",
    "With --into, adds the release to an existing dataset: earlier releases' figures are kept, figures the new",
    "release reports differently (restatements) and renamed items are listed, and the result replaces DATASET",
    "(or goes to --out FILE).",
    "A release that fails a check is refused: the failures are printed, the exit status is 1 and FILE is left as it was.",
    "FILE must be a regular, writable file (or not exist yet) and not the release itself.",
    "While it reads, merges and writes, the dataset is locked (FILE.lock beside it): an ingest that finds it locked",
    "waits for the other to finish, then adds its release to what the other wrote. A lock left by a process that is",
    "gone is taken over, and said so.",
    "",
    "Options:",
    "  --out FILE       where to write the dataset JSON (required without --into)",
    "  --into DATASET   add the release to this dataset",
    `  --wait SECONDS   how long to wait for another ingest to finish with the dataset (default ${DEFAULT_WAIT_SECONDS})`,
    "",
    "Examples:",
    "  qfin ingest data/releases/qfin-2023q2-earnings-release.txt --out data/dataset.json",
    "  qfin ingest releases/qfin-2023q3.txt --into data/dataset.json",
  ].join("\n"),
  run(args: readonly string[], io: CliIo): ExitCode {
    const parsed = parseCommandArgs(args, { out: { type: "string" }, into: { type: "string" }, wait: { type: "string" } });
    const waitText = stringOption(parsed, "wait");
    const waitSeconds = waitText === undefined ? DEFAULT_WAIT_SECONDS : Number(waitText);
    if (!/^\d+(\.\d+)?$/.test(waitText ?? "0") || !(waitSeconds <= 3600)) throw new UsageError(`--wait ${waitText}: give a number of seconds from 0 to 3600.`);
    const into = stringOption(parsed, "into");
    const out = stringOption(parsed, "out") ?? into;
    if (parsed.positionals.length !== 1) throw new UsageError("Give exactly one RELEASE.txt to ingest.");
    if (!out) throw new UsageError("Say where to write the dataset: --out FILE (or --into DATASET to add to one).");
    const releasePath = parsed.positionals[0] as string;
    const fail = (message: string): ExitCode => {
      io.err(`qfin ingest: ${message}\n`);
      return ExitCode.FAILED;
    };

    // Refused before the work, so a bad --out costs nothing; the writer checks again when it writes.
    if (sameFile(releasePath, out)) {
      return fail(`${displayPath(out)} is the release being ingested; it was left as it was. Write the dataset to another file (--out FILE).`);
    }
    try {
      writableTarget(out);
    } catch (error) {
      if (error instanceof FileWriteError) return fail(`cannot write ${displayPath(out)}: ${error.message}`);
      throw error;
    }

    let dataset: Dataset;
    try {
      dataset = ingestReleaseFile(releasePath, packageRoot());
    } catch (error) {
      if (error instanceof IngestError) return fail(refusal(releasePath, out, error));
      if (error instanceof ReleaseFileError) return fail(`cannot read ${displayPath(releasePath)}: ${error.message}.`);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return fail(`cannot read ${displayPath(releasePath)}: there is no such file.`);
      if (code === "EACCES" || code === "EISDIR" || code === "EIO") return fail(`cannot read ${displayPath(releasePath)} (${code}).`);
      throw error;
    }

    // The dataset is read, merged and written under its lock, so a concurrent ingest's release is never lost.
    let lock: FileLock;
    try {
      lock = FileLock.acquire(out, { waitMs: waitSeconds * 1000, command: "qfin ingest", display: displayPath });
    } catch (error) {
      if (error instanceof LockBusyError) return fail(error.message);
      if (error instanceof FileWriteError) return fail(`cannot write ${displayPath(out)}: ${error.message}`);
      throw error;
    }
    let report: MergeReport | undefined;
    try {
      for (const { holder, reason } of lock.tookOver) {
        const why = reason === "gone" ? "which is no longer running" : `which had held it for ${Math.round((Date.now() - holder.started) / 1000)} s, longer than any ingest takes`;
        io.err(`qfin ingest: note: took over the lock ${displayPath(lock.path)} left by ${holder.command} (pid ${holder.pid}), ${why}.\n`);
      }
      if (into) {
        const existing = readDataset(into);
        if (typeof existing === "string") return fail(`cannot add to ${displayPath(into)}: ${existing}`);
        try {
          ({ dataset, report } = mergeRelease(existing, dataset));
        } catch (error) {
          if (error instanceof IngestError) return fail(refusal(releasePath, out, error));
          throw error;
        }
      }

      let json: string;
      try {
        json = checkedDatasetJson(dataset);
      } catch (error) {
        if (error instanceof IngestError) return fail(refusal(releasePath, out, error));
        throw error;
      }
      try {
        writeFileAtomic(out, Buffer.from(json, "utf8"), { beforeReplace: () => lock.verify() });
      } catch (error) {
        if (error instanceof FileWriteError) return fail(`cannot write ${displayPath(out)}: ${error.message}`);
        throw error;
      }
    } finally {
      lock.release();
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

/** The dataset to add to, or why it cannot be used. */
function readDataset(path: string): Dataset | string {
  let text: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return "it is not a regular file.";
    if (stats.size > MAX_DATASET_BYTES) return `it is ${stats.size.toLocaleString("en-US")} bytes, larger than any QFIN dataset (at most ${MAX_DATASET_BYTES.toLocaleString("en-US")}).`;
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `there is no such file. Build the first dataset with: qfin ingest RELEASE.txt --out ${displayPath(path)}`;
    return `it cannot be read (${code ?? (error as Error).message}).`;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `it is not JSON (${(error as Error).message}).`;
  }
  try {
    return loadDataset(json);
  } catch (error) {
    if (error instanceof DatasetError) return error.message;
    throw error;
  }
}

/** Shown at most, so a truncated table's hundreds of failures stay readable; the first ones locate the damage. */
const MAX_FAILURES_SHOWN = 20;

function refusal(releasePath: string, out: string, error: IngestError): string {
  const failures = error.failures;
  const count = failures.length;
  const lines = [
    `${displayPath(releasePath)} was refused: ${count === 0 ? error.message : `${count} check${count === 1 ? "" : "s"} failed.`}`,
    ...failures.slice(0, MAX_FAILURES_SHOWN).map((failure) => `  ${describeFailure(failure)}`),
    ...(count > MAX_FAILURES_SHOWN ? [`  … and ${count - MAX_FAILURES_SHOWN} more.`] : []),
    existsSync(out) ? `${displayPath(out)} was left as it was.` : `Nothing was written to ${displayPath(out)}.`,
  ];
  return lines.join("\n");
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
