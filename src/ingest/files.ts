/** The ingest's file side: read a release from disk; the dataset's canonical JSON text (the CLI writes it atomically). */
import { readFileSync } from "fs";
import { relative } from "path";
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
