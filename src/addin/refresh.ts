/**
 * Refresh, in two steps the analyst controls.
 *
 * 1. Check (`checkForUpdate`, also run when the add-in starts): read the host's data/latest.json and, when it names a
 *    newer release, download that dataset, verify it against its published SHA-256, validate it whole (the core's
 *    loader re-checks every total) and work out what it changes. Nothing in use changes: the result is an offer.
 * 2. Apply (`applyUpdate`, on the analyst's say-so or by their setting): make the checked data the one every QFIN
 *    function reads (one atomic swap) and have the workbook catch up as recalculation.ts decides (only the QFIN
 *    cells, Manual calculation respected).
 *
 * Every request has a time limit and a size limit. A dataset that is not newer than the one in use (an older release,
 * or the same release published again) is refused. On any failure the data in use stays and the error says why in
 * an analyst's words. The embedded dataset (inside the functions bundle) is the offline default; see
 * dataset-publication.ts for what the host publishes.
 */
import { buildIndex, newestRelease, type DatasetIndex } from "../core/dataset-index";
import { loadDataset } from "../core/load-dataset";
import type { Dataset } from "../core/model";
import { datasetChanges, describeChanges, type DatasetChanges } from "./dataset-changes";
import { LATEST_POINTER_PATH, PointerError, parsePointer, sha256Hex, type DatasetPointer } from "./dataset-publication";
import type { QfinCellSet, RecalculationPlan, WorkbookCalculation } from "./recalculation";
import type { Session } from "./session";

export interface DatasetVersion {
  release: string;
  /** ISO date of the release. */
  date: string;
  /** The published version (12 hex digits of the file's SHA-256), null when unknown. */
  version: string | null;
  /** 0, or which correction of the release this data is. */
  revision: number;
  /** "Release 2023Q2 · 2023-08-21 · 132 items, 772 figures · data 3f2a9c0d1e4b" (and " · correction 1"). */
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
  const data = version === null ? text : `${text} · data ${version}`;
  return { release: release.id, date: release.date, version, revision: index.revision, text: index.revision > 0 ? `${data} · correction ${index.revision}` : data };
}

/** The version of the dataset a session uses, or null when none is loaded. */
export function activeVersion(session: Session): DatasetVersion | null {
  const index = session.index;
  return index === null ? null : datasetVersion(index);
}

/** "release 2023Q2 (2023-08-21)", and "release 2023Q2 (2023-08-21), correction 1" for a correction. */
export const describeRelease = (release: { id: string; date: string }, revision = 0): string =>
  revision > 0 ? `release ${release.id} (${release.date}), correction ${revision}` : `release ${release.id} (${release.date})`;

// ---- Limits -----------------------------------------------------------------------------------------------------

export interface RefreshLimits {
  /** How long latest.json may take, from the request to its last byte. */
  pointerTimeoutMs: number;
  /** How long a dataset may take, from the request to its last byte. */
  datasetTimeoutMs: number;
  pointerMaxBytes: number;
  datasetMaxBytes: number;
}

/**
 * The shipped dataset is 0.7 MB; a dataset of ten years of quarterly releases would be under 30 MB. latest.json is a
 * few hundred bytes. A server that stays silent is given up on: 15 s for the pointer, 60 s for a dataset.
 */
export const REFRESH_LIMITS: Readonly<RefreshLimits> = {
  pointerTimeoutMs: 15_000,
  datasetTimeoutMs: 60_000,
  pointerMaxBytes: 64 * 1024,
  datasetMaxBytes: 32 * 1024 * 1024,
};

/** "15 seconds", "32 MB", "64 KB": limits and sizes as the pane says them. */
export const describeDuration = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} seconds` : `${(ms / 1000).toFixed(1)} seconds`);
export function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number.isInteger(bytes / (1024 * 1024)) ? bytes / (1024 * 1024) : (bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

// ---- Errors and progress ----------------------------------------------------------------------------------------

export type RefreshStage = "checking" | "downloading" | "validating" | "applying" | "recalculating";

export interface RefreshProgress {
  stage: RefreshStage;
  /** What is happening, for the pane: "Downloading release 2023Q3 (2023-11-20)…". */
  message: string;
}

/** Why a check or an apply failed. */
export type RefreshFailure =
  | "network"
  | "timeout"
  | "too-large"
  | "not-found"
  | "server"
  | "pointer"
  | "hash-mismatch"
  | "invalid"
  | "not-newer"
  | "stale"
  | "recalculation";

/** A check or an apply that failed, with a message an analyst understands. Except for "recalculation", nothing changed. */
export class RefreshError extends Error {
  override name = "RefreshError";
  constructor(
    readonly reason: RefreshFailure,
    message: string,
  ) {
    super(message);
  }
}

// ---- Downloads --------------------------------------------------------------------------------------------------

export interface DownloadLimits {
  timeoutMs: number;
  maxBytes: number;
}

/** The body, read chunk by chunk so a body larger than the limit is stopped, not held. */
async function readCapped(response: Response, maxBytes: number, tooLarge: (size: number | null) => RefreshError): Promise<Uint8Array> {
  const declared = response.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(Number(declared));
  if (response.body === null) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(null);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Fetches a URL within a time limit (request and body alike: an AbortController cancels it, and the wait ends at the
 * limit even if a fetch ignored the signal) and a size limit, turning every failure into a RefreshError that says which
 * file and why.
 */
export async function download(fetchImpl: typeof fetch, url: URL, what: string, init: RequestInit, limits: DownloadLimits): Promise<Uint8Array> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new RefreshError(
          "timeout",
          `The QFIN data server did not send ${what} within ${describeDuration(limits.timeoutMs)}, so the add-in stopped waiting. Check the connection and try again later.`,
        ),
      );
    }, limits.timeoutMs);
  });
  const tooLarge = (size: number | null): RefreshError => {
    controller.abort();
    return new RefreshError(
      "too-large",
      size === null
        ? `${what[0]?.toUpperCase()}${what.slice(1)} is larger than the ${describeSize(limits.maxBytes)} the add-in accepts, so the download was stopped. Whoever hosts the add-in should check what they published.`
        : `${what[0]?.toUpperCase()}${what.slice(1)} is ${describeSize(size)}, more than the ${describeSize(limits.maxBytes)} the add-in accepts, so it was not downloaded. Whoever hosts the add-in should check what they published.`,
    );
  };
  const attempt = (async (): Promise<Uint8Array> => {
    let response: Response;
    try {
      response = await fetchImpl(url.href, { ...init, signal: controller.signal });
    } catch (error) {
      throw new RefreshError(
        "network",
        `Could not reach the QFIN data server for ${what} (${error instanceof Error ? error.message : String(error)}). Check the connection and try again.`,
      );
    }
    if (response.status === 404) throw new RefreshError("not-found", `The QFIN data server has no ${what} at ${url.pathname} (HTTP 404). Whoever hosts the add-in needs to publish it again.`);
    if (!response.ok) throw new RefreshError("server", `The QFIN data server answered HTTP ${response.status} for ${what}. Try again later.`);
    try {
      return await readCapped(response, limits.maxBytes, tooLarge);
    } catch (error) {
      if (error instanceof RefreshError) throw error;
      throw new RefreshError("network", `The download of ${what} broke off (${error instanceof Error ? error.message : String(error)}). Check the connection and try again.`);
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- Check ------------------------------------------------------------------------------------------------------

export interface CheckOptions {
  /** The session whose data would be replaced (read only: a check changes nothing). */
  session: Session;
  /** The taskpane page's URL: latest.json is fetched relative to it. */
  baseUrl: string;
  onProgress?: (progress: RefreshProgress) => void;
  /** The Fetch API (the browser's by default). */
  fetch?: typeof fetch;
  limits?: Partial<RefreshLimits>;
}

/** A newer dataset, checked and indexed but not in use. */
export interface AvailableUpdate {
  /** The index in use when it was checked; applying refuses once another has taken its place. */
  from: DatasetIndex | null;
  index: DatasetIndex;
  version: DatasetVersion;
  changes: DatasetChanges;
  /** "Release 2023Q3 (2023-11-20) is available: adds Q3 2023, 9M 2023 …; restates no figure." */
  summary: string;
}

export type CheckOutcome =
  | { status: "up-to-date"; message: string }
  | { status: "available"; update: AvailableUpdate; message: string };


/**
 * Whether the host has newer data and, if so, that data checked and what it changes. Never changes the data in use.
 * Rejects with a RefreshError.
 *
 * @example
 * const outcome = await checkForUpdate({ session, baseUrl: document.baseURI });
 * outcome.message // "Up to date: release 2023Q2 (2023-08-21) is the newest data." or
 *                 // "Release 2023Q3 (2023-11-20) is available: adds Q3 2023, 9M 2023 and balances at Sep 30, 2023 …"
 */
export async function checkForUpdate(options: CheckOptions): Promise<CheckOutcome> {
  const fetchImpl = options.fetch ?? fetch.bind(globalThis);
  const limits = { ...REFRESH_LIMITS, ...options.limits };
  const report = (stage: RefreshStage, message: string): void => options.onProgress?.({ stage, message });
  const from = options.session.index;
  const current = activeVersion(options.session);

  report("checking", "Checking for newer data…");
  const pointerUrl = new URL(LATEST_POINTER_PATH, options.baseUrl);
  // no-store: the pointer is the one file that changes in place; the versioned files never do.
  const pointerBytes = await download(fetchImpl, pointerUrl, "the list of datasets (latest.json)", { cache: "no-store" }, { timeoutMs: limits.pointerTimeoutMs, maxBytes: limits.pointerMaxBytes });
  let pointer: DatasetPointer;
  try {
    pointer = parsePointer(JSON.parse(new TextDecoder().decode(pointerBytes)));
  } catch (error) {
    const why = error instanceof PointerError ? error.message : "it is not valid JSON";
    throw new RefreshError("pointer", `The QFIN data server's latest.json could not be used: ${why}. Whoever hosts the add-in needs to republish it.`);
  }

  const announced = pointer.latestRelease;
  /** A later revision of the newest release in use: the same releases, corrected data. */
  let correction = false;
  if (current !== null) {
    const upToDate = { status: "up-to-date" as const, message: `Up to date: ${describeRelease({ id: current.release, date: current.date }, current.revision)} is the newest data.` };
    if (current.version === pointer.version) return upToDate;
    const inUse = describeRelease({ id: current.release, date: current.date });
    if (announced.date < current.date) {
      throw new RefreshError("not-newer", `The QFIN data server publishes ${describeRelease(announced)}, which is older than ${inUse} in use. The add-in does not go back to older data, so nothing changed.`);
    }
    if (announced.date === current.date) {
      // Without a version for the data in use (a build that did not stamp it), the same release is taken to be it.
      if (current.version === null && announced.id === current.release && pointer.revision <= current.revision) return upToDate;
      correction = announced.id === current.release && pointer.revision > current.revision;
      if (!correction) {
        throw new RefreshError(
          "not-newer",
          `The QFIN data server publishes ${describeRelease(announced, pointer.revision)} as data ${pointer.version}, not newer than ${describeRelease({ id: current.release, date: current.date }, current.revision)} in use (data ${current.version ?? "unknown"}). The add-in takes a newer release, or a correction of the one in use with a higher revision, so nothing changed; whoever hosts the add-in should check what they published (a correction is built with ADDIN_DATA_REVISION set one higher: see docs/publishing.md).`,
        );
      }
    }
  }

  const what = `the dataset of ${describeRelease(announced, pointer.revision)}`;
  report("downloading", `Downloading ${describeRelease(announced, pointer.revision)}…`);
  const bytes = await download(fetchImpl, new URL(pointer.path, pointerUrl), what, {}, { timeoutMs: limits.datasetTimeoutMs, maxBytes: limits.datasetMaxBytes });

  report("validating", `Checking ${describeRelease(announced)}: its fingerprint, then every total…`);
  if ((await sha256Hex(bytes)) !== pointer.sha256) {
    throw new RefreshError(
      "hash-mismatch",
      `The downloaded dataset of ${describeRelease(announced)} does not match its published fingerprint (SHA-256): it was damaged in transit or changed after it was published. It was not used.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RefreshError("invalid", `The downloaded dataset of ${describeRelease(announced)} is not readable JSON. It was not used.`);
  }
  let dataset: Dataset;
  try {
    dataset = loadDataset(json);
  } catch (error) {
    // The loader's DatasetError names the failed check and the figures involved.
    const why = error instanceof Error ? error.message : String(error);
    throw new RefreshError("invalid", `The downloaded dataset of ${describeRelease(announced)} failed its checks, so it was not used: ${why}`);
  }
  const newest = newestRelease(dataset.releases);
  if (newest === undefined || newest.id !== announced.id || newest.date !== announced.date) {
    throw new RefreshError("invalid", `The downloaded dataset's newest release is ${newest ? describeRelease(newest) : "missing"}, not ${describeRelease(announced)} as announced. It was not used.`);
  }
  // A newer dataset carries every release in use, from the same release text: it adds to what analysts have, it
  // never rewrites it.
  for (const release of from?.dataset.releases ?? []) {
    const carried = dataset.releases.find((candidate) => candidate.id === release.id);
    if (carried === undefined || carried.sha256 !== release.sha256) {
      throw new RefreshError(
        "invalid",
        `The downloaded dataset of ${describeRelease(announced)} ${carried === undefined ? `lacks ${describeRelease(release)}, which the data in use holds` : `holds a different text of ${describeRelease(release)} than the data in use`}. It was not used.`,
      );
    }
  }

  const index = buildIndex(dataset, pointer.version, pointer.revision);
  const changes = datasetChanges(from, index);
  const name = describeRelease(announced, pointer.revision).replace(/^r/, "R");
  const summary = `${name}${pointer.revision > 0 ? "," : ""} is available: ${describeChanges(changes, correction)}.`;
  return { status: "available", update: { from, index, version: datasetVersion(index), changes, summary }, message: summary };
}

// ---- The analyst's setting ---------------------------------------------------------------------------------------

/** The setting that lets the add-in apply newer data by itself when it starts ("on"/"off"; off when never set). */
export const AUTO_APPLY_SETTING = "qfin.applyNewerDataAutomatically";

/** Where the analyst's settings are kept (Excel: OfficeRuntime.storage, see office.ts). */
export interface SettingStore {
  read(key: string): Promise<string | null>;
  write(key: string, value: string): Promise<void>;
}

// ---- Apply ------------------------------------------------------------------------------------------------------

export interface ApplyOptions {
  session: Session;
  update: AvailableUpdate;
  calculation: WorkbookCalculation;
  /** What recalculation.ts decided (`planRecalculation`), with the analyst's consent where it needed it. */
  plan: RecalculationPlan;
  onProgress?: (progress: RefreshProgress) => void;
}

export interface ApplyOutcome {
  version: DatasetVersion;
  /** The data the workbook's cells were calculated with before, when they may still show it (Manual calculation). */
  cellsStillShow: DatasetVersion | null;
  /** What brings those cells up to date: F9 where they are marked, Ctrl+Alt+F9 where only a full calculation will. */
  catchUpKey: "F9" | "Ctrl+Alt+F9" | null;
  message: string;
}

/** How long Apply waits to see Excel re-run a QFIN function after asking it to (Excel calls them at once). */
export const RERUN_WAIT_MS = 5_000;

/** Whether the host re-ran a QFIN function (true where it cannot tell, as recalculating is running them). */
const reran = (calculation: WorkbookCalculation): Promise<boolean> => calculation.waitForRerun?.() ?? Promise.resolve(true);

const NOT_RERUN_ADVICE = (beforeText: string): string =>
  ` within ${describeDuration(RERUN_WAIT_MS)}. If the cells still show ${beforeText}, recalculate everything with Ctrl+Alt+F9 (QFIN now answers from the newer data).`;

const cellCount = (cells: QfinCellSet): string =>
  `${cells.cells} QFIN ${cells.cells === 1 ? "cell" : "cells"} on ${cells.sheets} ${cells.sheets === 1 ? "sheet" : "sheets"}`;

/**
 * Makes a checked update the data in use and has the workbook catch up as `plan` says. The QFIN cells are found
 * before the swap, so a failure to read the workbook changes nothing; only a failure of Excel's recalculation itself,
 * after the swap, leaves the new data loaded (and says how to recalculate).
 *
 * @example
 * const plan = await planRecalculation(calculation);
 * (await applyUpdate({ session, update, calculation, plan })).message
 * // "Updated to release 2023Q3 (2023-11-20): recalculated 510 QFIN cells on 6 sheets and what depends on them."
 */
export async function applyUpdate(options: ApplyOptions): Promise<ApplyOutcome> {
  const { session, update, calculation, plan } = options;
  const report = (stage: RefreshStage, message: string): void => options.onProgress?.({ stage, message });
  const newer = describeRelease({ id: update.version.release, date: update.version.date }, update.version.revision);
  const before = activeVersion(session);
  if (session.index !== update.from) {
    throw new RefreshError("stale", `The data in use changed after ${newer} was offered, so it was not applied. Check for newer data again.`);
  }

  report("applying", `Loading ${newer}…`);
  const needsCells = plan.kind === "recalculate-cells" || plan.kind === "mark-cells";
  let cells: QfinCellSet | null = null;
  if (needsCells) {
    try {
      cells = await calculation.findQfinCells();
    } catch (error) {
      throw new RefreshError("recalculation", `Could not read this workbook to find its QFIN cells (${error instanceof Error ? error.message : String(error)}), so ${newer} was not applied. Try again.`);
    }
  }
  session.adopt(update.index);
  const version = update.version;
  const beforeText = before === null ? "no data" : describeRelease({ id: before.release, date: before.date }, before.revision);

  try {
    switch (plan.kind) {
      case "recalculate-cells": {
        const found = cells as QfinCellSet;
        if (found.cells === 0) return { version, cellsStillShow: null, catchUpKey: null, message: `Updated to ${newer}. This workbook has no QFIN cells to recalculate.` };
        report("recalculating", `Recalculating ${cellCount(found)}…`);
        await calculation.touchQfinCells(found, true);
        if (!(await reran(calculation))) {
          return { version, cellsStillShow: before, catchUpKey: "Ctrl+Alt+F9", message: `Loaded ${newer} and asked Excel to recalculate ${cellCount(found)}, but it has not re-run any of them${NOT_RERUN_ADVICE(beforeText)}` };
        }
        return { version, cellsStillShow: null, catchUpKey: null, message: `Updated to ${newer}: recalculated ${cellCount(found)} and what depends on them.` };
      }
      case "mark-cells": {
        const found = cells as QfinCellSet;
        await calculation.touchQfinCells(found, false);
        return {
          version,
          cellsStillShow: before,
          catchUpKey: "F9",
          message: `Loaded ${newer}. Calculation is Manual, so nothing was recalculated: the cells keep ${beforeText} until your next calculation (F9), which recalculates the ${cellCount(found)} marked for it.`,
        };
      }
      case "full-calculation":
        report("recalculating", "Recalculating every formula in every open workbook…");
        await calculation.calculateEverything();
        if (!(await reran(calculation))) {
          return { version, cellsStillShow: before, catchUpKey: "Ctrl+Alt+F9", message: `Loaded ${newer} and asked Excel to recalculate every open workbook, but it has not re-run any QFIN cell${NOT_RERUN_ADVICE(beforeText)}` };
        }
        return { version, cellsStillShow: null, catchUpKey: null, message: `Updated to ${newer}: every open workbook was recalculated.` };
      case "none":
        return {
          version,
          cellsStillShow: before,
          catchUpKey: "Ctrl+Alt+F9",
          message: `Loaded ${newer}. Calculation is Manual and this version of Excel cannot mark the QFIN cells: cells show ${beforeText} until a full calculation (Ctrl+Alt+F9); F9 alone does not re-run QFIN formulas.`,
        };
    }
  } catch (error) {
    throw new RefreshError(
      "recalculation",
      `The data of ${newer} is loaded, but Excel did not recalculate (${error instanceof Error ? error.message : String(error)}). Press Ctrl+Alt+F9 to recalculate every formula.`,
    );
  }
}
