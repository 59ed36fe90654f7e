/** The shipped release and its ingest, shared by tests (ingested once per test file). */
import { readFileSync } from "fs";
import { join } from "path";
import { setActiveDataset } from "../../src/core/dataset-store";
import type { Dataset } from "../../src/core/model";
import { ingestRelease } from "../../src/ingest";

export const PROJECT_ROOT = join(__dirname, "..", "..");
export const RELEASE_FILE = "data/releases/qfin-2023q2-earnings-release.txt";
export const RELEASE_PATH = join(PROJECT_ROOT, RELEASE_FILE);
export const DATASET_PATH = join(PROJECT_ROOT, "data", "dataset.json");

export const releaseText = (): string => readFileSync(RELEASE_PATH, "utf8");

let cached: Dataset | undefined;
/** The dataset ingested from the shipped release (not the committed JSON: tests check that the two agree). */
export function shippedDataset(): Dataset {
  cached ??= ingestRelease(releaseText(), { file: RELEASE_FILE });
  return cached;
}

/** Ingests a modified copy of the release. */
export const ingestText = (text: string): Dataset => ingestRelease(text, { file: "test/modified-release.txt" });

/** Replaces the one line of the release that `find` matches (it must match exactly one line). */
export function editLine(text: string, find: RegExp, edit: (line: string) => string): string {
  const lines = text.split("\n");
  const hits = lines.map((line, index) => (find.test(line) ? index : -1)).filter((index) => index >= 0);
  if (hits.length !== 1) throw new Error(`expected one line matching ${find}, found ${hits.length}`);
  const index = hits[0] as number;
  lines[index] = edit(lines[index] as string);
  return lines.join("\n");
}

/** Loads the shipped release's dataset as the active one, the way the CLI and the add-in activate theirs. */
export function activateShippedDataset(): Dataset {
  const dataset = shippedDataset();
  setActiveDataset(dataset);
  return dataset;
}
