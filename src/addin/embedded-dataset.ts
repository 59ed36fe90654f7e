/**
 * The dataset the add-in ships with, and its published version (injected by the build: webpack's DefinePlugin, see
 * webpack.config.js). The functions bundle activates it when the runtime starts; the taskpane's refresh compares
 * the host's newest data with it.
 *
 * The build validates these very bytes in full (webpack.config.js runs `loadDataset` on data/dataset.json and fails
 * on any problem), so the runtime does not validate them again: that check was a third of the functions' start-up.
 * Only the schema version is looked at, so a bundle can never read a dataset of another shape. Datasets fetched by a
 * refresh are validated in full (src/addin/refresh.ts).
 */
import datasetJson from "../../data/dataset.json";
import { DATASET_SCHEMA_VERSION, type Dataset } from "../core/model";

declare const __QFIN_EMBEDDED_DATASET__: { version: string; revision: number } | undefined;

/** The embedded dataset, as the build validated it. Throws only if its schema is not the one this code reads. */
export function embeddedDataset(): Dataset {
  const json: unknown = datasetJson;
  const schema = (json as { schema?: unknown }).schema;
  if (schema !== DATASET_SCHEMA_VERSION) throw new Error(`the embedded dataset has schema ${JSON.stringify(schema)}; this code reads ${DATASET_SCHEMA_VERSION}`);
  return json as Dataset;
}

/** The embedded dataset's version (first 12 hex digits of its file's SHA-256), or null outside a webpack build. */
export const EMBEDDED_DATASET_VERSION: string | null = typeof __QFIN_EMBEDDED_DATASET__ === "undefined" ? null : __QFIN_EMBEDDED_DATASET__.version;

/** Which correction of its newest release the embedded dataset is (ADDIN_DATA_REVISION at build time; 0 for none). */
export const EMBEDDED_DATASET_REVISION: number = typeof __QFIN_EMBEDDED_DATASET__ === "undefined" ? 0 : __QFIN_EMBEDDED_DATASET__.revision;
