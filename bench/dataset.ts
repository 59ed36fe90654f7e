/** The dataset the add-in ships (data/dataset.json), loaded and activated as the functions bundle does. */
import { readFileSync } from "fs";
import { join } from "path";
import { loadDataset, setActiveDataset } from "../src/core/dataset-store";
import type { DatasetIndex } from "../src/core/dataset-index";
import type { Dataset } from "../src/core/model";

export const PROJECT_ROOT = join(__dirname, "..");
export const DATASET_PATH = join(PROJECT_ROOT, "data", "dataset.json");
export const RELEASE_FILE = "data/releases/qfin-2023q2-earnings-release.txt";

export function readShippedDataset(): Dataset {
  return loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8")));
}

/** Loads the shipped dataset as the one every QFIN function reads, and returns its index. */
export function activateShippedDataset(): { dataset: Dataset; index: DatasetIndex } {
  const dataset = readShippedDataset();
  const index = setActiveDataset(dataset);
  if (index === null) throw new Error("setActiveDataset returned no index");
  return { dataset, index };
}
