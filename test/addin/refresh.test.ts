/**
 * Refresh from the add-in's host, outside the browser: the pointer's checks, the SHA-256, and the whole flow against
 * a stand-in of the network (a `fetch` answering from a table of files, the platform's own Response objects) —
 * the shipped dataset, a newer one (the shipped one merged with a next-quarter release built from it), a tampered
 * copy, one that fails the loader's checks, a missing file and an unreachable host.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { Session } from "../../src/addin/session";
import { loadDataset } from "../../src/core/load-dataset";
import type { Dataset } from "../../src/core/model";
import { invoke } from "../../src/functions/invoke";
import { mergeRelease } from "../../src/ingest";
import { PointerError, parsePointer, publication, sha256Hex, versionOf, type DatasetPointer } from "../../src/addin/dataset-publication";
import { RefreshError, activeVersion, refreshFromHost, type RefreshProgress, type RefreshStage } from "../../src/addin/refresh";
import { DATASET_PATH, ingestText, nextQuarterRelease, shippedDataset } from "../support/release";

const BASE = "https://qfin-addin.example.com/excel/taskpane.html";
const shippedBytes = readFileSync(DATASET_PATH);

/** What webpack.config.js publishes for these bytes (the same function, hashed with Node's crypto as the build does). */
function publish(bytes: Buffer, dataset: Pick<Dataset, "releases">): DatasetPointer {
  return publication(createHash("sha256").update(bytes).digest("hex"), dataset.releases).pointer;
}

interface Host {
  files: Map<string, { body: string | Buffer; status?: number }>;
  requests: { url: string; cache: RequestCache | undefined }[];
  fetch: typeof fetch;
}

/** A host publishing `bytes` under `pointer` (the files sit next to each other in /excel/data/). */
function hostPublishing(pointer: unknown, bytes?: Buffer, path = (pointer as DatasetPointer).path): Host {
  const files = new Map<string, { body: string | Buffer; status?: number }>([["/excel/data/latest.json", { body: JSON.stringify(pointer) }]]);
  if (bytes) files.set(`/excel/data/${path}`, { body: bytes });
  const requests: Host["requests"] = [];
  const fetchFromHost = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    requests.push({ url: url.pathname, cache: init?.cache });
    const file = files.get(url.pathname);
    const body = typeof file?.body === "string" ? file.body : file ? new Uint8Array(file.body) : "not here";
    return new Response(body, { status: file ? (file.status ?? 200) : 404 });
  };
  return { files, requests, fetch: fetchFromHost as typeof fetch };
}

let newerDataset: Dataset;
let newerBytes: Buffer;
const shippedVersion = versionOf(createHash("sha256").update(shippedBytes).digest("hex"));

beforeAll(() => {
  newerDataset = mergeRelease(shippedDataset(), ingestText(nextQuarterRelease())).dataset;
  newerBytes = Buffer.from(JSON.stringify(newerDataset));
});

let session: Session;
/** A session with the shipped dataset as the embedded one with its published version, as the add-in starts. */
function startWithShipped(): void {
  session = new Session();
  session.use(loadDataset(JSON.parse(shippedBytes.toString("utf8"))), shippedVersion);
}

async function refresh(host: Host, recalculations: string[] = []): Promise<{ stages: RefreshStage[]; messages: string[]; outcome: Awaited<ReturnType<typeof refreshFromHost>> }> {
  const progress: RefreshProgress[] = [];
  const outcome = await refreshFromHost({
    session,
    baseUrl: BASE,
    fetch: host.fetch,
    recalculate: async () => {
      recalculations.push("full");
    },
    onProgress: (step) => progress.push(step),
  });
  return { stages: progress.map((step) => step.stage), messages: progress.map((step) => step.message), outcome };
}

describe("parsePointer", () => {
  const valid = (): DatasetPointer => publish(shippedBytes, shippedDataset());

  it("refuses what is not a pointer of schema 1, before anything else", () => {
    expect(() => parsePointer(null)).toThrow(PointerError);
    expect(() => parsePointer([])).toThrow("not a JSON object");
    expect(() => parsePointer({ ...valid(), schema: 2 })).toThrow("schema 2; this add-in reads schema 1");
  });

  it("refuses a pointer whose version, path or fingerprint do not agree, so it can only name a sibling versioned file", () => {
    expect(() => parsePointer({ ...valid(), sha256: "ABC" })).toThrow("64 lower-case hex");
    expect(() => parsePointer({ ...valid(), version: "000000000000" })).toThrow("not the first 12 digits");
    expect(() => parsePointer({ ...valid(), path: `../../elsewhere/dataset.${valid().version}.json` })).toThrow("is not dataset.");
    expect(() => parsePointer({ ...valid(), path: `https://evil.example/dataset.${valid().version}.json` })).toThrow("is not dataset.");
  });

  it("refuses a pointer without releases or whose latest release is not among them", () => {
    expect(() => parsePointer({ ...valid(), releases: [] })).toThrow("lists no releases");
    expect(() => parsePointer({ ...valid(), latestRelease: { id: "2023Q2" } })).toThrow("id and an ISO date");
    expect(() => parsePointer({ ...valid(), latestRelease: { id: "2024Q1", date: "2024-05-20" } })).toThrow("not among its releases");
  });

  it("accepts what the build publishes", () => {
    expect(parsePointer(JSON.parse(JSON.stringify(valid())))).toEqual(valid());
  });
});

describe("sha256Hex", () => {
  it("is the SHA-256 of the bytes in lower-case hex (Web Crypto), the same as Node's", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex(new Uint8Array(shippedBytes))).toBe(createHash("sha256").update(shippedBytes).digest("hex"));
  });
});

describe("refreshFromHost", () => {
  beforeEach(startWithShipped);

  it("says up to date and downloads nothing when the host's version is the one in use", async () => {
    const host = hostPublishing(publish(shippedBytes, shippedDataset()), shippedBytes);
    const before = session.index;
    const recalculations: string[] = [];
    const { stages, outcome } = await refresh(host, recalculations);
    expect(outcome).toMatchObject({ status: "up-to-date", message: "Up to date: release 2023Q2 (2023-08-21) is the newest data." });
    expect(host.requests).toEqual([{ url: "/excel/data/latest.json", cache: "no-store" }]);
    expect(stages).toEqual(["checking", "done"]);
    expect(recalculations).toEqual([]);
    expect(session.index).toBe(before);
  });

  it("downloads a newer dataset, verifies, validates and swaps it in, then recalculates: the new quarter answers", async () => {
    const pointer = publish(newerBytes, newerDataset);
    const host = hostPublishing(pointer, newerBytes);
    expect(invoke(session.index, "METRIC", ["Total net revenue", "2023Q3"])).toMatchObject({ type: "#N/A" });
    const recalculations: string[] = [];
    const { stages, messages, outcome } = await refresh(host, recalculations);
    expect(stages).toEqual(["checking", "downloading", "validating", "recalculating", "done"]);
    expect(messages[1]).toBe("Downloading release 2023Q3 (2023-11-20)…");
    expect(outcome.status).toBe("updated");
    expect(outcome.message).toBe("Updated to release 2023Q3 (2023-11-20).");
    expect(outcome.version).toMatchObject({ release: "2023Q3", date: "2023-11-20", version: pointer.version });
    expect(activeVersion(session)?.text).toContain(`Release 2023Q3 · 2023-11-20 · `);
    expect(activeVersion(session)?.text).toContain(`data ${pointer.version}`);
    expect(host.requests.map((request) => request.url)).toEqual(["/excel/data/latest.json", `/excel/data/dataset.${pointer.version}.json`]);
    expect(recalculations).toEqual(["full"]);
    // The next-quarter copy repeats Q2's figures for Q3; Q2 itself is still there.
    expect(invoke(session.index, "METRIC", ["Total net revenue", "2023Q3"])).toBe(3914.324);
    expect(invoke(session.index, "METRIC", ["Total net revenue", "2023Q2"])).toBe(3914.324);
    expect(String(invoke(session.index, "VERSION", []))).toContain("2023Q3 (2023-11-20)");
    // Asked again, the host has nothing newer.
    expect((await refresh(host)).outcome.status).toBe("up-to-date");
  });

  it("refuses a dataset whose bytes do not match the published SHA-256, keeping the data in use", async () => {
    const tampered = Buffer.from(newerBytes.toString("utf8").replace('"title":', '"title" :'));
    const host = hostPublishing(publish(newerBytes, newerDataset), tampered);
    const before = session.index;
    const recalculations: string[] = [];
    const failure = refresh(host, recalculations);
    await expect(failure).rejects.toThrow(RefreshError);
    await expect(failure).rejects.toMatchObject({ reason: "hash-mismatch", message: expect.stringContaining("does not match its published fingerprint (SHA-256)") });
    expect(session.index).toBe(before);
    expect(recalculations).toEqual([]);
    expect(invoke(session.index, "METRIC", ["Total net revenue", "2023Q3"])).toMatchObject({ type: "#N/A" });
  });

  it("refuses a dataset that fails the loader's checks (a total that no longer adds up), keeping the data in use", async () => {
    const broken = JSON.parse(JSON.stringify(newerDataset)) as Dataset;
    const fact = broken.facts.find((candidate) => candidate.item === "ops.total_net_revenue" && candidate.period === "2023Q3" && candidate.currency === "RMB");
    if (!fact) throw new Error("the merged dataset lacks Q3 total net revenue");
    fact.value = String(Number(fact.value) + 1000);
    const bytes = Buffer.from(JSON.stringify(broken));
    const host = hostPublishing(publish(bytes, broken), bytes);
    const before = session.index;
    const failure = refresh(host);
    await expect(failure).rejects.toMatchObject({ reason: "invalid", message: expect.stringContaining("failed its checks, so it was not used") });
    expect(session.index).toBe(before);
  });

  it("refuses a dataset that is not the release the pointer announced", async () => {
    const pointer = { ...publish(newerBytes, newerDataset), latestRelease: { id: "2023Q2", date: "2023-08-21" } };
    await expect(refresh(hostPublishing(pointer, newerBytes))).rejects.toMatchObject({ reason: "invalid", message: expect.stringContaining("not release 2023Q2 (2023-08-21) as announced") });
  });

  it("says which file is missing (404), that the host is unreachable, or that latest.json is unusable", async () => {
    const missing = hostPublishing(publish(newerBytes, newerDataset));
    await expect(refresh(missing)).rejects.toMatchObject({ reason: "not-found", message: expect.stringContaining("HTTP 404") });
    const offline: Host = { files: new Map(), requests: [], fetch: (async () => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch };
    await expect(refresh(offline)).rejects.toMatchObject({ reason: "network", message: expect.stringContaining("Could not reach the QFIN data server") });
    const garbled = hostPublishing({});
    garbled.files.set("/excel/data/latest.json", { body: "<html>" });
    await expect(refresh(garbled)).rejects.toMatchObject({ reason: "pointer", message: expect.stringContaining("not valid JSON") });
    const failing = hostPublishing({});
    failing.files.set("/excel/data/latest.json", { body: "busy", status: 503 });
    await expect(refresh(failing)).rejects.toMatchObject({ reason: "server", message: expect.stringContaining("HTTP 503") });
  });

  it("keeps the new data but says so when only Excel's recalculation failed", async () => {
    const host = hostPublishing(publish(newerBytes, newerDataset), newerBytes);
    const failure = refreshFromHost({ session, baseUrl: BASE, fetch: host.fetch, recalculate: () => Promise.reject(new Error("GeneralException")) });
    await expect(failure).rejects.toMatchObject({ reason: "recalculation", message: expect.stringContaining("Press Ctrl+Alt+F9") });
    expect(session.index?.latestRelease.id).toBe("2023Q3");
  });
});
