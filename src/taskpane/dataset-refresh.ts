/**
 * Refresh: load a dataset, validate it whole, make it the one every QFIN function reads, and say which release it
 * is. Today the source is the dataset embedded in the functions bundle; the refresh issue replaces
 * `embeddedDatasetSource` with one that fetches a newer dataset (and asks Excel to recalculate). A dataset that
 * fails validation never replaces the active one.
 */
import datasetJson from "../../data/dataset.json";
import { getActiveIndex, loadDataset, setActiveDataset } from "../core/dataset-store";
import type { DatasetIndex } from "../core/dataset-index";

/** Where a refresh gets its dataset JSON from. The hook the refresh issue extends (e.g. a fetch). */
export type DatasetSource = () => Promise<unknown>;

/** The dataset the add-in ships with (the same module the functions bundle activates at start). */
export const embeddedDatasetSource: DatasetSource = async () => datasetJson;

export interface DatasetVersion {
  release: string;
  /** ISO date of the release. */
  date: string;
  /** "Release 2023Q2 · 2023-08-21 · 132 items". */
  text: string;
}

/**
 * @example
 * datasetVersion(getActiveIndex()!).text // "Release 2023Q2 · 2023-08-21 · 132 items, 772 figures"
 */
export function datasetVersion(index: DatasetIndex): DatasetVersion {
  const release = index.latestRelease;
  return {
    release: release.id,
    date: release.date,
    text: `Release ${release.id} · ${release.date} · ${index.itemsById.size} items, ${index.dataset.facts.length} figures`,
  };
}

/**
 * Loads the source's dataset and activates it; rejects (keeping the active dataset) when it is invalid.
 *
 * @example
 * (await refreshDataset()).release // "2023Q2"
 */
export async function refreshDataset(source: DatasetSource = embeddedDatasetSource): Promise<DatasetVersion> {
  const dataset = loadDataset(await source());
  const index = setActiveDataset(dataset);
  if (index === null) throw new Error("The dataset could not be activated.");
  return datasetVersion(index);
}

/** The active dataset's version, or null when none is loaded. */
export function activeVersion(): DatasetVersion | null {
  const index = getActiveIndex();
  return index === null ? null : datasetVersion(index);
}
