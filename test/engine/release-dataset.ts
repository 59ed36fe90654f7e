/** The dataset built from the shipped release, activated the way the CLI and the add-in activate theirs. */
import { readFileSync } from "fs";
import { join } from "path";
import { setActiveDataset } from "../../src/core/dataset-store";
import type { Dataset } from "../../src/core/model";
import { ingestRelease } from "../../src/ingest";

export const RELEASE_FILE = "data/releases/qfin-2023q2-earnings-release.txt";

export function activateReleaseDataset(): Dataset {
  const dataset = ingestRelease(readFileSync(join(__dirname, "..", "..", RELEASE_FILE), "utf8"), { file: RELEASE_FILE });
  setActiveDataset(dataset);
  return dataset;
}
