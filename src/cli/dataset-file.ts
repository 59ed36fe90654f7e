/** Loads a dataset file and indexes it for the QFIN functions. Read with fs at run time, never bundled. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { buildIndex, type DatasetIndex } from "../core/dataset-index";
import { loadDataset } from "../core/load-dataset";
import type { Dataset } from "../core/model";
import { defaultDatasetPath } from "./package-root";

/** The data file could not be read or is not a dataset: the command exits 1 with this message. */
export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataFileError";
  }
}

/**
 * Reads, validates and indexes a dataset file (default: the package's `data/dataset.json`), with its data version: the
 * first 12 hex digits of the file's SHA-256, as the add-in's host publishes it, so QFIN.VERSION and a model's cover
 * name the same data wherever it was computed.
 *
 * @example
 * loadDatasetFile("data/dataset.json").latestRelease.id // "2023Q2"
 */
export function loadDatasetFile(path: string = defaultDatasetPath()): DatasetIndex {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new DataFileError(`Cannot read the dataset ${displayPath(path)}: ${reason}. Build it with "npm run dataset" or pass --data FILE.`);
  }
  let dataset: Dataset;
  try {
    dataset = loadDataset(JSON.parse(bytes.toString("utf8")));
  } catch (error) {
    throw new DataFileError(`${displayPath(path)} is not a QFIN dataset: ${(error as Error).message}`);
  }
  return buildIndex(dataset, createHash("sha256").update(bytes).digest("hex").slice(0, 12));
}

/** A path as the user would type it from here. */
export function displayPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere && !fromHere.startsWith("..") ? fromHere : path;
}

/**
 * A workbook's bytes, or why it cannot be read in a few words ("no such file"), for the commands that read one
 * (`recalc`, `retrofit`) to put in their sentence.
 */
export function readWorkbookFile(path: string): { bytes: Buffer } | { reason: string } {
  try {
    return { bytes: readFileSync(path) };
  } catch (error) {
    return { reason: (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message };
  }
}
