/**
 * How the add-in's host publishes datasets (the build writes them with `publication`, see webpack.config.js): each dataset at a
 * versioned URL `data/dataset.<version>.json` that never changes, and `data/latest.json`, a small pointer naming the
 * newest one with its SHA-256; and each release's text at `data/releases/<id>.<sha12>.txt`, which the pane quotes. The version is the first 12 hex digits of the SHA-256 of the file's bytes. Pure: no
 * DOM, no Office; `crypto.subtle` is the Web Crypto API of browsers and Node alike.
 */
import { newestRelease } from "../core/dataset-index";

/** The pointer schema this add-in understands (latest.json's `schema`). */
export const DATASET_POINTER_SCHEMA = 1;
/** Where the pointer sits, relative to the taskpane page. */
export const LATEST_POINTER_PATH = "data/latest.json";

/** data/latest.json. */
export interface DatasetPointer {
  schema: typeof DATASET_POINTER_SCHEMA;
  /** First 12 hex digits of `sha256`. */
  version: string;
  /** SHA-256 of the dataset file's bytes, lower-case hex. */
  sha256: string;
  /** The dataset file, relative to the pointer: `dataset.<version>.json`. */
  path: string;
  /** Release ids the dataset holds, oldest first. */
  releases: string[];
  /** The newest release (by date): what an analyst knows the dataset by. */
  latestRelease: { id: string; date: string };
  /**
   * 0 for the dataset a release first came in; 1, 2, … for corrections of it published later (the same releases, other
   * data: a figure read wrongly and fixed). A dataset of the same newest release is taken only with a higher revision.
   * Absent in a pointer means 0.
   */
  revision: number;
}

/** Why a pointer was refused, in words for whoever hosts the add-in. */
export class PointerError extends Error {
  override name = "PointerError";
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const isRevision = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The version of a dataset with this SHA-256 (hex): its first 12 digits.
 *
 * @example
 * versionOf("3f2a9c0d1e4b…") // "3f2a9c0d1e4b"
 */
export function versionOf(sha256: string): string {
  return sha256.slice(0, 12);
}

/**
 * The SHA-256 of some bytes as lower-case hex, with the Web Crypto API.
 *
 * @example
 * await sha256Hex(new TextEncoder().encode("abc")) // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * What the host publishes for a dataset file with this SHA-256: the versioned file name and its pointer. The build
 * (webpack.config.js) calls this with the hash of data/dataset.json; the taskpane's refresh reads what it wrote.
 *
 * @example
 * publication("3f2a9c0d1e4b…", [{ id: "2023Q2", date: "2023-08-21" }]).file // "dataset.3f2a9c0d1e4b.json"
 */
export function publication(sha256: string, releases: readonly { id: string; date: string }[], revision = 0): { file: string; pointer: DatasetPointer } {
  if (releases.length === 0) throw new PointerError("the dataset names no release");
  if (!isRevision(revision)) throw new PointerError(`its revision ${JSON.stringify(revision)} is not a whole number from 0`);
  const version = versionOf(sha256);
  const file = `dataset.${version}.json`;
  const latest = newestRelease(releases) as { id: string; date: string };
  return {
    file,
    pointer: { schema: DATASET_POINTER_SCHEMA, version, sha256, path: file, releases: releases.map((release) => release.id), latestRelease: { id: latest.id, date: latest.date }, revision },
  };
}

/**
 * Where the host publishes a release's text, relative to the taskpane page, named by the release and the first 12 hex
 * digits of the SHA-256 the dataset records for it, so the URL never serves another text (the build writes it beside
 * the dataset; the pane fetches it when it quotes a release line).
 *
 * @example
 * releaseTextPath({ id: "2023Q2", sha256: "e1bf96fa6719…" }) // "data/releases/2023Q2.e1bf96fa6719.txt"
 */
export function releaseTextPath(release: { id: string; sha256: string }): string {
  return `data/releases/${release.id.replace(/[^A-Za-z0-9_-]/g, "_")}.${versionOf(release.sha256)}.txt`;
}

/**
 * Checks a parsed latest.json and returns it typed. The file path must be the one the version implies, so a pointer
 * can only ever name a sibling `dataset.<version>.json` (no other folder, no other host).
 *
 * @example
 * parsePointer({ schema: 1, version: "3f2a9c0d1e4b", sha256: "3f2a9c0d1e4b…", path: "dataset.3f2a9c0d1e4b.json",
 *   releases: ["2023Q2"], latestRelease: { id: "2023Q2", date: "2023-08-21" } }).latestRelease.id // "2023Q2"
 * parsePointer({ schema: 2 }) // throws PointerError: "it has schema 2; this add-in reads schema 1"
 */
export function parsePointer(json: unknown): DatasetPointer {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new PointerError("it is not a JSON object");
  const pointer = json as Record<string, unknown>;
  if (pointer.schema !== DATASET_POINTER_SCHEMA) throw new PointerError(`it has schema ${JSON.stringify(pointer.schema)}; this add-in reads schema ${DATASET_POINTER_SCHEMA}`);
  const { sha256, version, path, releases, latestRelease, revision = 0 } = pointer;
  if (typeof sha256 !== "string" || !HEX_SHA256.test(sha256)) throw new PointerError("its sha256 is not 64 lower-case hex digits");
  if (version !== versionOf(sha256)) throw new PointerError(`its version ${JSON.stringify(version)} is not the first 12 digits of its sha256`);
  if (path !== `dataset.${version}.json`) throw new PointerError(`its path ${JSON.stringify(path)} is not dataset.${version}.json`);
  if (!Array.isArray(releases) || releases.length === 0 || !releases.every((id) => typeof id === "string")) throw new PointerError("it lists no releases");
  const latest = latestRelease as Record<string, unknown> | null;
  if (typeof latest !== "object" || latest === null || typeof latest.id !== "string" || typeof latest.date !== "string" || !ISO_DATE.test(latest.date)) {
    throw new PointerError("its latestRelease lacks an id and an ISO date");
  }
  if (!releases.includes(latest.id)) throw new PointerError(`its latestRelease ${latest.id} is not among its releases`);
  if (!isRevision(revision)) throw new PointerError(`its revision ${JSON.stringify(revision)} is not a whole number from 0`);
  return { schema: DATASET_POINTER_SCHEMA, sha256, version, path, releases: [...releases] as string[], latestRelease: { id: latest.id, date: latest.date }, revision };
}
