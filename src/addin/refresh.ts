/**
 * Refresh: find out whether the add-in's host publishes a newer dataset than the one in use, and if so download it,
 * verify it against its published SHA-256, validate it whole (the core's loader re-checks every total), make it the
 * one every QFIN function reads (one atomic swap) and have Excel recalculate. On any failure the dataset in use stays
 * and the error says why in an analyst's words. The embedded dataset (inside the functions bundle) is the offline
 * default; see dataset-publication.ts for what the host publishes.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { loadDataset } from "../core/load-dataset";
import type { Dataset } from "../core/model";
import { LATEST_POINTER_PATH, PointerError, parsePointer, sha256Hex, type DatasetPointer } from "./dataset-publication";
import type { Session } from "./session";

export interface DatasetVersion {
  release: string;
  /** ISO date of the release. */
  date: string;
  /** The published version (12 hex digits of the file's SHA-256), null when unknown. */
  version: string | null;
  /** "Release 2023Q2 · 2023-08-21 · 132 items, 772 figures · data 3f2a9c0d1e4b". */
  text: string;
}

/**
 * @example
 * datasetVersion(session.index!).text // "Release 2023Q2 · 2023-08-21 · 132 items, 772 figures · data 3f2a9c0d1e4b"
 */
export function datasetVersion(index: DatasetIndex): DatasetVersion {
  const release = index.latestRelease;
  const version = index.version;
  const text = `Release ${release.id} · ${release.date} · ${index.itemsById.size} items, ${index.dataset.facts.length} figures`;
  return { release: release.id, date: release.date, version, text: version === null ? text : `${text} · data ${version}` };
}

/** The version of the dataset a session uses, or null when none is loaded. */
export function activeVersion(session: Session): DatasetVersion | null {
  const index = session.index;
  return index === null ? null : datasetVersion(index);
}

// ---- Refresh from the add-in's host ---------------------------------------------------------------------------

export type RefreshStage = "checking" | "downloading" | "validating" | "recalculating" | "done";

export interface RefreshProgress {
  stage: RefreshStage;
  /** What is happening, for the pane: "Downloading release 2023Q3 (2023-11-20)…". */
  message: string;
}

/** Why a refresh failed. */
export type RefreshFailure = "network" | "not-found" | "server" | "pointer" | "hash-mismatch" | "invalid" | "recalculation";

/** A refresh that failed, with a message an analyst understands. Except for "recalculation", nothing was swapped. */
export class RefreshError extends Error {
  override name = "RefreshError";
  constructor(
    readonly reason: RefreshFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface RefreshOptions {
  /** The session whose dataset is replaced. */
  session: Session;
  /** The taskpane page's URL: latest.json is fetched relative to it. */
  baseUrl: string;
  /** Recalculates the QFIN formulas (Excel: a full calculation; the preview: the workbench). */
  recalculate: () => Promise<void>;
  onProgress?: (progress: RefreshProgress) => void;
  /** The Fetch API (the browser's by default). */
  fetch?: typeof fetch;
}

export interface RefreshOutcome {
  status: "up-to-date" | "updated";
  version: DatasetVersion;
  /** "Up to date: release 2023Q2 (2023-08-21)." or "Updated to release 2023Q3 (2023-11-20)." */
  message: string;
}

const describeRelease = (release: { id: string; date: string }): string => `release ${release.id} (${release.date})`;

/** Fetches a URL, turning transport and HTTP failures into RefreshErrors that say which file and why. */
async function download(fetchImpl: typeof fetch, url: URL, what: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url.href, init);
  } catch (error) {
    throw new RefreshError(
      "network",
      `Could not reach the QFIN data server for ${what} (${error instanceof Error ? error.message : String(error)}). Check the connection and try Refresh again.`,
    );
  }
  if (response.status === 404) throw new RefreshError("not-found", `The QFIN data server has no ${what} at ${url.pathname} (HTTP 404). Whoever hosts the add-in needs to publish it again.`);
  if (!response.ok) throw new RefreshError("server", `The QFIN data server answered HTTP ${response.status} for ${what}. Try Refresh again later.`);
  return response;
}

/**
 * Checks the host for a newer dataset and, when there is one, downloads, verifies, validates and activates it, then
 * recalculates. Resolves with what happened; rejects with a RefreshError (the dataset in use stays, except when
 * only the recalculation failed).
 *
 * @example
 * const outcome = await refreshFromHost({ session, baseUrl: location.href, recalculate: recalculateWorkbook });
 * outcome.message // "Up to date: release 2023Q2 (2023-08-21)." or "Updated to release 2023Q3 (2023-11-20)."
 */
export async function refreshFromHost(options: RefreshOptions): Promise<RefreshOutcome> {
  const fetchImpl = options.fetch ?? fetch.bind(globalThis);
  const report = (stage: RefreshStage, message: string): void => options.onProgress?.({ stage, message });

  report("checking", "Checking for newer data…");
  const pointerUrl = new URL(LATEST_POINTER_PATH, options.baseUrl);
  // no-store: the pointer is the one file that changes in place; the versioned files never do.
  const pointerResponse = await download(fetchImpl, pointerUrl, "the list of datasets (latest.json)", { cache: "no-store" });
  let pointer: DatasetPointer;
  try {
    pointer = parsePointer(await pointerResponse.json());
  } catch (error) {
    const why = error instanceof PointerError ? error.message : "it is not valid JSON";
    throw new RefreshError("pointer", `The QFIN data server's latest.json could not be used: ${why}. Whoever hosts the add-in needs to republish it.`);
  }

  const current = activeVersion(options.session);
  if (current !== null && current.version === pointer.version) {
    const message = `Up to date: ${describeRelease({ id: current.release, date: current.date })} is the newest data.`;
    report("done", message);
    return { status: "up-to-date", version: current, message };
  }

  const announced = describeRelease(pointer.latestRelease);
  report("downloading", `Downloading ${announced}…`);
  const datasetUrl = new URL(pointer.path, pointerUrl);
  const bytes = await (await download(fetchImpl, datasetUrl, `the dataset of ${announced}`, {})).arrayBuffer();

  report("validating", `Checking ${announced}: its fingerprint, then every total…`);
  if ((await sha256Hex(bytes)) !== pointer.sha256) {
    throw new RefreshError(
      "hash-mismatch",
      `The downloaded dataset of ${announced} does not match its published fingerprint (SHA-256): it was damaged in transit or changed after it was published. It was not used.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RefreshError("invalid", `The downloaded dataset of ${announced} is not readable JSON. It was not used.`);
  }
  let dataset: Dataset;
  try {
    dataset = loadDataset(json);
  } catch (error) {
    // The loader's DatasetError names the failed check and the figures involved.
    const why = error instanceof Error ? error.message : String(error);
    throw new RefreshError("invalid", `The downloaded dataset of ${announced} failed its checks, so it was not used: ${why}`);
  }
  const newest = [...dataset.releases].sort((a, b) => a.date.localeCompare(b.date))[dataset.releases.length - 1] as Dataset["releases"][number] | undefined;
  if (newest === undefined || newest.id !== pointer.latestRelease.id || newest.date !== pointer.latestRelease.date) {
    throw new RefreshError("invalid", `The downloaded dataset's newest release is ${newest ? describeRelease(newest) : "missing"}, not ${announced} as announced. It was not used.`);
  }

  const index = options.session.use(dataset, pointer.version);
  if (index === null) throw new RefreshError("invalid", "The dataset could not be activated.");
  const version = datasetVersion(index);

  report("recalculating", "Recalculating the QFIN formulas in this workbook…");
  try {
    await options.recalculate();
  } catch (error) {
    throw new RefreshError(
      "recalculation",
      `The data of ${announced} is loaded, but Excel did not recalculate (${error instanceof Error ? error.message : String(error)}). Press Ctrl+Alt+F9 to recalculate every formula.`,
    );
  }
  const message = `Updated to ${announced}.`;
  report("done", message);
  return { status: "updated", version, message };
}
