/** The ingest's file side: read a release from disk; the dataset's canonical JSON text (the CLI writes it atomically). */
import { readFileSync, statSync } from "fs";
import { relative } from "path";
import { DatasetError, loadDataset } from "../core/load-dataset";
import type { Dataset } from "../core/model";
import { ingestRelease } from "./index";
import { IngestError } from "./ingest-error";
import { MAX_RELEASE_BYTES } from "./release-text";

/** The release file cannot be read as a release text at all: not a file, too large, not UTF-8. */
export class ReleaseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReleaseFileError";
  }
}

/**
 * Reads a release text: a regular file of at most `MAX_RELEASE_BYTES`, in UTF-8. Checked before reading, so a device
 * or a huge file is refused rather than read (`/dev/zero` would never end).
 *
 * @throws ReleaseFileError saying what the file is and what a release is; errors of the file system (ENOENT…) as they are
 */
export function readReleaseFile(path: string): string {
  const stats = statSync(path);
  if (stats.isDirectory()) throw new ReleaseFileError("it is a folder; give the release's .txt file");
  if (!stats.isFile()) throw new ReleaseFileError("it is not a regular file (a device, pipe or socket); give the release's .txt file");
  if (stats.size > MAX_RELEASE_BYTES) {
    throw new ReleaseFileError(`it is ${stats.size.toLocaleString("en-US")} bytes; a release text is about 40 KB and at most ${MAX_RELEASE_BYTES.toLocaleString("en-US")} bytes are read`);
  }
  const bytes = readFileSync(path);
  if (bytes.length > MAX_RELEASE_BYTES) throw new ReleaseFileError(`it grew past ${MAX_RELEASE_BYTES.toLocaleString("en-US")} bytes while it was read`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new ReleaseFileError(`it is not UTF-8 text (byte ${at + 1}, on line ${lineAt(bytes, at)}, is not UTF-8); convert the release to UTF-8 first`);
  }
}

/** Ingests a release file; `projectRoot` makes the recorded path relative (and portable). */
export function ingestReleaseFile(path: string, projectRoot = process.cwd()): Dataset {
  const file = relative(projectRoot, path).split("\\").join("/");
  return ingestRelease(readReleaseFile(path), { file });
}

/** The dataset's canonical JSON text (stable key order as built, two-space indent, final newline). */
export function datasetJson(dataset: Dataset): string {
  return `${JSON.stringify(dataset, null, 2)}\n`;
}

/**
 * The dataset's JSON text, after the loader has accepted exactly that text: what ingest writes is what every reader
 * (the CLI, the add-in, a refresh) will load, or nothing is written.
 *
 * @throws IngestError (check `dataset`) with the loader's message
 */
export function checkedDatasetJson(dataset: Dataset): string {
  const json = datasetJson(dataset);
  try {
    loadDataset(JSON.parse(json));
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    const message = `the dataset it gives would not load (${error.message}); this is a fault of the ingest, not of the release's figures.`;
    throw new IngestError([{ check: "dataset", status: "fail", message }]);
  }
  return json;
}

/** The offset of the first byte that breaks UTF-8 (a binary search over prefixes that decode; only for the message). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decodes = (end: number): boolean => {
    try {
      // Streaming: a character cut at the end of the prefix is not an error, a broken one inside it is.
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodes(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
  return line;
}
