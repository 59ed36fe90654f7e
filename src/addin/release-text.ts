/**
 * The text of a release, for quoting the line a figure comes from: fetched on demand from the add-in's own host (the
 * build publishes it beside the dataset, see `releaseTextPath`), checked against the SHA-256 the dataset records for
 * it, and kept for the session. A text that does not match is refused: the line numbers would point into another text.
 */
import type { ReleaseInfo } from "../core/model";
import { releaseTextPath, sha256Hex } from "./dataset-publication";
import { download, RefreshError } from "./refresh";

/** Releases are at most 5 MB (ingest refuses larger); the text is one small file. */
const RELEASE_TEXT_LIMITS = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024 };

const texts = new Map<string, Promise<string[]>>();

/**
 * The release's lines (line 1 first), fetched once per text. Rejects with a RefreshError that says which file and why.
 *
 * @example
 * (await releaseLines(release, document.baseURI))[291] // "Net income\t974,956\t1,093,377\t150,782\t…"
 */
export function releaseLines(release: Pick<ReleaseInfo, "id" | "sha256">, baseUrl: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): Promise<string[]> {
  const key = release.sha256;
  let pending = texts.get(key);
  if (pending === undefined) {
    pending = (async () => {
      const url = new URL(releaseTextPath(release), baseUrl);
      const what = `the text of release ${release.id}`;
      let bytes: Uint8Array;
      try {
        bytes = await download(fetchImpl, url, what, { cache: "force-cache" }, RELEASE_TEXT_LIMITS);
      } catch (error) {
        if (error instanceof RefreshError && error.reason === "not-found") {
          throw new RefreshError("not-found", `The add-in's host does not publish the text of release ${release.id} (${url.pathname}, HTTP 404), so its lines cannot be quoted. Whoever hosts the add-in should publish data/releases/ with the dataset.`);
        }
        throw error;
      }
      const sha256 = await sha256Hex(bytes);
      if (sha256 !== release.sha256) {
        throw new RefreshError("hash-mismatch", `The text of release ${release.id} at ${url.pathname} is not the text the data was read from (its SHA-256 differs), so no line is quoted from it. Whoever hosts the add-in should publish it again.`);
      }
      return new TextDecoder("utf-8").decode(bytes).split(/\r?\n/);
    })();
    texts.set(key, pending);
    // A failure is not kept: the next quote tries again.
    pending.catch(() => texts.delete(key));
  }
  return pending;
}
