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

/**
 * A third-quarter release made from the Q2 text: the same figures relabelled to the quarter ended September 30 and
 * the nine months to that date, dated three months later. Its figures tie out (they are the Q2 release's), so
 * ingest accepts it; it lets tests roll a dataset forward without typing a release by hand. The prior-quarter
 * clauses are dropped (in the copy they would state Q1 figures for Q2).
 */
export function nextQuarterRelease(text: string = releaseText()): string {
  return text
    .replace("Second Quarter and Interim 2023 Unaudited Financial Results and Declares Semi-Annual Dividend", "Third Quarter 2023 Unaudited Financial Results")
    .replace("Aug. 21, 2023 (GLOBE NEWSWIRE)", "Nov. 20, 2023 (GLOBE NEWSWIRE)")
    .replace(/second quarter and six months ended June 30, 2023/g, "third quarter and nine months ended September 30, 2023")
    .replace(/Three months ended June 30,/g, "Three months ended September 30,")
    .replace(/Six months ended June 30,/g, "Nine months ended September 30,")
    .replace(/\tJune 30, 2023/g, "\tSeptember 30, 2023")
    .replace(/June 30, 2023/g, "September 30, 2023")
    .replace(/June 30, 2022/g, "September 30, 2022")
    .replace(/second quarter/g, "third quarter")
    .replace(/Second Quarter 2023/g, "Third Quarter 2023")
    .replace(/,? and RMB-?[\d,.]+ million in the prior quarter/g, "");
}
