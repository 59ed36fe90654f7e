/**
 * The dataset the add-in ships with, and its published version (injected by the build: webpack's DefinePlugin, see
 * webpack.config.js). The functions bundle activates it when the runtime starts; the taskpane's refresh compares
 * the host's newest data with it.
 */
import datasetJson from "../../data/dataset.json";

declare const __QFIN_EMBEDDED_DATASET__: { sha256: string; version: string } | undefined;

export const EMBEDDED_DATASET: unknown = datasetJson;

/** The embedded dataset's version (first 12 hex digits of its file's SHA-256), or null outside a webpack build. */
export const EMBEDDED_DATASET_VERSION: string | null = typeof __QFIN_EMBEDDED_DATASET__ === "undefined" ? null : __QFIN_EMBEDDED_DATASET__.version;
