/**
 * The dataset every surface reads right now. Swapping it is a single assignment of a fully built index, so a
 * refresh is atomic: a recalculation sees the old data or the new, never a mix.
 */
import type { Dataset } from "./model";
import { buildIndex, type DatasetIndex } from "./dataset-index";

export { loadDataset, DatasetError } from "./load-dataset";
export { DatasetIndex, buildIndex } from "./dataset-index";

let active: DatasetIndex | null = null;
const listeners = new Set<(index: DatasetIndex | null) => void>();

/**
 * Makes a validated dataset the one all QFIN functions read (pass null to unload). Indexes it first, then swaps.
 * `version` is the published data version (12 hex digits of the file's SHA-256) when the caller knows it.
 *
 * @example
 * setActiveDataset(loadDataset(json));
 * invoke("METRIC", ["Net income", "Q2 2023"]) // 1093.377
 */
export function setActiveDataset(dataset: Dataset | null, options: { version?: string | null } = {}): DatasetIndex | null {
  const next = dataset === null ? null : buildIndex(dataset, options.version ?? null);
  active = next;
  for (const listener of listeners) listener(next);
  return next;
}

/** The index of the active dataset, or null before one is loaded. */
export function getActiveIndex(): DatasetIndex | null {
  return active;
}

/**
 * Calls `listener` after every swap (the taskpane refreshes its tree; the Excel adapter can ask for a recalc).
 * Returns the function that unsubscribes.
 */
export function onActiveDatasetChange(listener: (index: DatasetIndex | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
