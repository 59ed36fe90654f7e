/**
 * The ingest's file side: read a release from disk, write a dataset atomically (a temporary file in the same
 * folder, then a rename), so a refused or interrupted ingest never leaves a half-written or changed dataset.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "fs";
import { basename, dirname, join, relative } from "path";
import type { Dataset } from "../core/model";
import { ingestRelease } from "./index";

/** Ingests a release file; `projectRoot` makes the recorded path relative (and portable). */
export function ingestReleaseFile(path: string, projectRoot = process.cwd()): Dataset {
  const file = relative(projectRoot, path).split("\\").join("/");
  return ingestRelease(readFileSync(path, "utf8"), { file });
}

/** The dataset's canonical JSON text (stable key order as built, two-space indent, final newline). */
export function datasetJson(dataset: Dataset): string {
  return `${JSON.stringify(dataset, null, 2)}\n`;
}

export function writeDatasetFile(path: string, dataset: Dataset): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, "w");
    try {
      writeSync(fd, datasetJson(dataset));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
