/** The dataset the add-in ships (data/dataset.json), loaded and indexed as the functions bundle does. */
import { readFileSync } from "fs";
import { join } from "path";
import { buildIndex, type DatasetIndex } from "../src/core/dataset-index";
import { loadDataset } from "../src/core/load-dataset";
import type { Dataset } from "../src/core/model";

export const PROJECT_ROOT = join(__dirname, "..");
export const DATASET_PATH = join(PROJECT_ROOT, "data", "dataset.json");
export const RELEASE_FILE = "data/releases/qfin-2023q2-earnings-release.txt";

export function readShippedDataset(): Dataset {
  return loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8")));
}

/** Loads and indexes the shipped dataset, as the add-in does when it starts. */
export function shippedIndex(): { dataset: Dataset; index: DatasetIndex } {
  const dataset = readShippedDataset();
  return { dataset, index: buildIndex(dataset) };
}
