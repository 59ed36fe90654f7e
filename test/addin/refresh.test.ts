/**
 * Refresh from the add-in's host, outside the browser, against a stand-in of the network (a `fetch` answering from a
 * table of files with the platform's own Response objects, streams included) and of the workbook (a recording
 * WorkbookCalculation): the pointer's checks and the SHA-256; a check that changes nothing and says what a newer
 * release changes; refusals (tampered, failing its checks, not announced, older, not newer, rewriting a release in
 * use); time and size limits; and Apply, which swaps and recalculates as the plan says, or changes nothing.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { Session } from "../../src/addin/session";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import type { Dataset } from "../../src/core/model";
import { invoke } from "../../src/functions/invoke";
import { mergeRelease } from "../../src/ingest";
import { PointerError, parsePointer, publication, sha256Hex, versionOf, type DatasetPointer } from "../../src/addin/dataset-publication";
import type { QfinCellSet, RecalculationPlan, WorkbookCalculation } from "../../src/addin/recalculation";
import {
  RefreshError,
  activeVersion,
  applyUpdate,
  checkForUpdate,
  describeSize,
  type AvailableUpdate,
  type CheckOutcome,
  type RefreshLimits,
  type RefreshProgress,
} from "../../src/addin/refresh";
import { DATASET_PATH, ingestText, nextQuarterRelease, shippedDataset } from "../support/release";

const BASE = "https://qfin-addin.example.com/excel/taskpane.html";
const shippedBytes = readFileSync(DATASET_PATH);

/** What webpack.config.js publishes for these bytes (the same function, hashed with Node's crypto as the build does). */
function publish(bytes: Buffer, dataset: Pick<Dataset, "releases">): DatasetPointer {
  return publication(createHash("sha256").update(bytes).digest("hex"), dataset.releases).pointer;
}

type Served = { body: string | Buffer | (() => ReadableStream<Uint8Array>); status?: number; headers?: Record<string, string> };

interface Host {
  files: Map<string, Served>;
  requests: { url: string; cache: RequestCache | undefined }[];
  fetch: typeof fetch;
}

/** A host publishing `bytes` under `pointer` (the files sit next to each other in /excel/data/). */
function hostPublishing(pointer: unknown, bytes?: Buffer, path = (pointer as DatasetPointer).path): Host {
  const files = new Map<string, Served>([["/excel/data/latest.json", { body: JSON.stringify(pointer) }]]);
  if (bytes) files.set(`/excel/data/${path}`, { body: bytes });
  const requests: Host["requests"] = [];
  const fetchFromHost = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    requests.push({ url: url.pathname, cache: init?.cache });
    const file = files.get(url.pathname);
    if (!file) return new Response("not here", { status: 404 });
    const body = typeof file.body === "function" ? file.body() : typeof file.body === "string" ? file.body : new Uint8Array(file.body);
    return new Response(body, { status: file.status ?? 200, headers: file.headers });
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

async function check(host: Host, limits?: Partial<RefreshLimits>): Promise<{ stages: string[]; messages: string[]; outcome: CheckOutcome }> {
  const progress: RefreshProgress[] = [];
  const outcome = await checkForUpdate({ session, baseUrl: BASE, fetch: host.fetch, onProgress: (step) => progress.push(step), limits });
  return { stages: progress.map((step) => step.stage), messages: progress.map((step) => step.message), outcome };
}

async function available(host: Host): Promise<AvailableUpdate> {
  const { outcome } = await check(host);
  if (outcome.status !== "available") throw new Error(`expected an update, got: ${outcome.message}`);
  return outcome.update;
}

/** A workbook stand-in that records what Apply asked of it. */
function recordingWorkbook(cells: QfinCellSet, failures: { find?: Error; touch?: Error } = {}): WorkbookCalculation & { calls: string[]; dataAtTouch: (string | undefined)[] } {
  const calls: string[] = [];
  const dataAtTouch: (string | undefined)[] = [];
  return {
    calls,
    dataAtTouch,
    calculationMode: async () => "automatic",
    canRecalculateCells: () => true,
    findQfinCells: async () => {
      calls.push(`find (data in use: ${session.index?.latestRelease.id})`);
      if (failures.find) throw failures.find;
      return cells;
    },
    touchQfinCells: async (found, calculate) => {
      calls.push(`touch ${found.cells} cells, calculate ${calculate}`);
      dataAtTouch.push(session.index?.latestRelease.id);
      if (failures.touch) throw failures.touch;
    },
    calculateEverything: async () => {
      calls.push("full calculation");
    },
  };
}

const THREE_CELLS: QfinCellSet = {
  runs: [
    { sheet: "Sheet1", address: "B4:C4", cells: 2 },
    { sheet: "Model", address: "D9", cells: 1 },
  ],
  cells: 3,
  sheets: 2,
};

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

  it("reads a missing revision as 0 (pointers published before corrections existed) and refuses one that is not a whole number from 0", () => {
    const { revision, ...older } = valid();
    expect(revision).toBe(0);
    expect(parsePointer(older).revision).toBe(0);
    expect(parsePointer({ ...valid(), revision: 3 }).revision).toBe(3);
    for (const bad of [-1, 1.5, "1", null, Number.MAX_SAFE_INTEGER + 1]) expect(() => parsePointer({ ...valid(), revision: bad })).toThrow("is not a whole number from 0");
    expect(() => publication("0".repeat(64), shippedDataset().releases, -1)).toThrow("is not a whole number from 0");
  });
});

describe("sha256Hex", () => {
  it("is the SHA-256 of the bytes in lower-case hex (Web Crypto), the same as Node's", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await sha256Hex(new Uint8Array(shippedBytes))).toBe(createHash("sha256").update(shippedBytes).digest("hex"));
  });
});

describe("checkForUpdate: it only checks", () => {
  beforeEach(startWithShipped);

  it("says up to date and downloads nothing when the host's version is the one in use", async () => {
    const host = hostPublishing(publish(shippedBytes, shippedDataset()), shippedBytes);
    const before = session.index;
    const { stages, outcome } = await check(host);
    expect(outcome).toEqual({ status: "up-to-date", message: "Up to date: release 2023Q2 (2023-08-21) is the newest data." });
    expect(host.requests).toEqual([{ url: "/excel/data/latest.json", cache: "no-store" }]);
    expect(stages).toEqual(["checking"]);
    expect(session.index).toBe(before);
  });

  it("downloads, verifies and validates a newer dataset and says what it changes, but keeps the data in use", async () => {
    const pointer = publish(newerBytes, newerDataset);
    const host = hostPublishing(pointer, newerBytes);
    const before = session.index;
    const { stages, messages, outcome } = await check(host);
    expect(stages).toEqual(["checking", "downloading", "validating"]);
    expect(messages[1]).toBe("Downloading release 2023Q3 (2023-11-20)…");
    expect(outcome.status).toBe("available");
    expect(outcome.message).toBe(
      "Release 2023Q3 (2023-11-20) is available: adds Q3 2023, 9M 2023 and balances at Sep 30, 2023 (with Q3 2022, 9M 2022 and balances at Sep 30, 2022 for comparison); restates no figure.",
    );
    if (outcome.status !== "available") throw new Error("unreachable");
    expect(outcome.update.version).toMatchObject({ release: "2023Q3", date: "2023-11-20", version: pointer.version });
    expect(outcome.update.from).toBe(before);
    expect(outcome.update.changes.releasesAdded.map((release) => release.id)).toEqual(["2023Q3"]);
    expect(outcome.update.changes.figuresDropped).toBe(0);
    expect(host.requests.map((request) => request.url)).toEqual(["/excel/data/latest.json", `/excel/data/dataset.${pointer.version}.json`]);
    // Nothing changed: the functions still answer from the shipped release.
    expect(session.index).toBe(before);
    expect(activeVersion(session)?.release).toBe("2023Q2");
    expect(invoke(session.index, "METRIC", ["Total net revenue", "2023Q3"])).toMatchObject({ type: "#N/A" });
  });

  it("refuses a dataset whose bytes do not match the published SHA-256", async () => {
    const tampered = Buffer.from(newerBytes.toString("utf8").replace('"title":', '"title" :'));
    const host = hostPublishing(publish(newerBytes, newerDataset), tampered);
    const before = session.index;
    const failure = check(host);
    await expect(failure).rejects.toThrow(RefreshError);
    await expect(failure).rejects.toMatchObject({ reason: "hash-mismatch", message: expect.stringContaining("does not match its published fingerprint (SHA-256)") });
    expect(session.index).toBe(before);
  });

  it("refuses a dataset that fails the loader's checks (a total that no longer adds up)", async () => {
    const broken = JSON.parse(JSON.stringify(newerDataset)) as Dataset;
    const fact = broken.facts.find((candidate) => candidate.item === "ops.total_net_revenue" && candidate.period === "2023Q3" && candidate.currency === "RMB");
    if (!fact) throw new Error("the merged dataset lacks Q3 total net revenue");
    fact.value = String(Number(fact.value) + 1000);
    const bytes = Buffer.from(JSON.stringify(broken));
    await expect(check(hostPublishing(publish(bytes, broken), bytes))).rejects.toMatchObject({ reason: "invalid", message: expect.stringContaining("failed its checks, so it was not used") });
  });

  it("refuses a dataset that is not the release the pointer announced", async () => {
    const pointer = { ...publish(newerBytes, newerDataset), latestRelease: { id: "2023Q3", date: "2023-11-21" } };
    await expect(check(hostPublishing(pointer, newerBytes))).rejects.toMatchObject({ reason: "invalid", message: expect.stringContaining("not release 2023Q3 (2023-11-21) as announced") });
  });

  it("refuses an older genuine dataset (a rollback), naming both releases, without downloading it", async () => {
    session.adopt(buildIndex(newerDataset, versionOf(createHash("sha256").update(newerBytes).digest("hex"))));
    const before = session.index;
    const host = hostPublishing(publish(shippedBytes, shippedDataset()), shippedBytes);
    await expect(check(host)).rejects.toMatchObject({
      reason: "not-newer",
      message: "The QFIN data server publishes release 2023Q2 (2023-08-21), which is older than release 2023Q3 (2023-11-20) in use. The add-in does not go back to older data, so nothing changed.",
    });
    expect(host.requests.map((request) => request.url)).toEqual(["/excel/data/latest.json"]);
    expect(session.index).toBe(before);
  });

  it("refuses the release in use published again as other data (not newer)", async () => {
    const rebuilt = Buffer.from(`${shippedBytes.toString("utf8")}\n`);
    const host = hostPublishing(publish(rebuilt, shippedDataset()), rebuilt);
    await expect(check(host)).rejects.toMatchObject({ reason: "not-newer", message: expect.stringMatching(/^The QFIN data server publishes release 2023Q2 \(2023-08-21\) as data [0-9a-f]{12}, not newer than release 2023Q2 \(2023-08-21\) in use \(data [0-9a-f]{12}\)/) });
    expect(host.requests).toHaveLength(1);
  });

  it("refuses a newer dataset that holds another text of a release in use (history rewritten)", async () => {
    const altered = JSON.parse(shippedBytes.toString("utf8")) as Dataset;
    altered.releases[0]!.sha256 = "0".repeat(64);
    session.use(loadDataset(altered), "0123456789ab");
    await expect(check(hostPublishing(publish(newerBytes, newerDataset), newerBytes))).rejects.toMatchObject({
      reason: "invalid",
      message: expect.stringContaining("holds a different text of release 2023Q2 (2023-08-21) than the data in use"),
    });
  });

  it("says which file is missing (404), that the host is unreachable, or that latest.json is unusable", async () => {
    await expect(check(hostPublishing(publish(newerBytes, newerDataset)))).rejects.toMatchObject({ reason: "not-found", message: expect.stringContaining("HTTP 404") });
    const offline: Host = { files: new Map(), requests: [], fetch: (async () => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch };
    await expect(check(offline)).rejects.toMatchObject({ reason: "network", message: expect.stringContaining("Could not reach the QFIN data server") });
    const garbled = hostPublishing({});
    garbled.files.set("/excel/data/latest.json", { body: "<html>" });
    await expect(check(garbled)).rejects.toMatchObject({ reason: "pointer", message: expect.stringContaining("not valid JSON") });
    const failing = hostPublishing({});
    failing.files.set("/excel/data/latest.json", { body: "busy", status: 503 });
    await expect(check(failing)).rejects.toMatchObject({ reason: "server", message: expect.stringContaining("HTTP 503") });
  });
});

describe("checkForUpdate: time and size limits", () => {
  beforeEach(startWithShipped);

  /** A fetch that never answers, but gives up when its signal aborts (as the browser's does). */
  const silentServer = (signals: AbortSignal[]): typeof fetch =>
    ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal;
        if (signal) {
          signals.push(signal);
          signal.addEventListener("abort", () => reject(new DOMException("The operation was aborted.", "AbortError")));
        }
      })) as typeof fetch;

  it("gives up on a silent server at the limit, aborting the request, and says so", async () => {
    const signals: AbortSignal[] = [];
    const started = Date.now();
    const failure = checkForUpdate({ session, baseUrl: BASE, fetch: silentServer(signals), limits: { pointerTimeoutMs: 300 } });
    await expect(failure).rejects.toMatchObject({
      reason: "timeout",
      message: "The QFIN data server did not send the list of datasets (latest.json) within 0.3 seconds, so the add-in stopped waiting. Check the connection and try again later.",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it("still settles at the limit when a fetch ignores the abort signal", async () => {
    const deaf = (() => new Promise<Response>(() => undefined)) as typeof fetch;
    await expect(checkForUpdate({ session, baseUrl: BASE, fetch: deaf, limits: { pointerTimeoutMs: 200 } })).rejects.toMatchObject({ reason: "timeout" });
  });

  it("gives up on a dataset whose body stops arriving, within the dataset's limit", async () => {
    const host = hostPublishing(publish(newerBytes, newerDataset));
    const pointer = publish(newerBytes, newerDataset);
    host.files.set(`/excel/data/${pointer.path}`, {
      body: () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(newerBytes.subarray(0, 1000)));
            // …and nothing more, ever.
          },
        }),
    });
    await expect(check(host, { datasetTimeoutMs: 300 })).rejects.toMatchObject({ reason: "timeout", message: expect.stringContaining("did not send the dataset of release 2023Q3 (2023-11-20) within 0.3 seconds") });
    expect(activeVersion(session)?.release).toBe("2023Q2");
  });

  it("refuses a dataset whose Content-Length is over the limit without reading its body (a 300 MB dataset)", async () => {
    const pointer = publish(newerBytes, newerDataset);
    const host = hostPublishing(pointer);
    let pulled = 0;
    host.files.set(`/excel/data/${pointer.path}`, {
      headers: { "content-length": String(300 * 1024 * 1024) },
      body: () =>
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled++;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
        }),
    });
    await expect(check(host)).rejects.toMatchObject({
      reason: "too-large",
      message: "The dataset of release 2023Q3 (2023-11-20) is 300 MB, more than the 32 MB the add-in accepts, so it was not downloaded. Whoever hosts the add-in should check what they published.",
    });
    expect(pulled).toBeLessThanOrEqual(1); // a stream may pre-fill one chunk; nothing is read past it
    expect(activeVersion(session)?.release).toBe("2023Q2");
  });

  it("stops a body that runs past the limit when no length was announced, reading no more than the limit and a chunk", async () => {
    const pointer = publish(newerBytes, newerDataset);
    const host = hostPublishing(pointer);
    let sent = 0;
    let cancelled = false;
    host.files.set(`/excel/data/${pointer.path}`, {
      body: () =>
        new ReadableStream<Uint8Array>({
          pull(controller) {
            sent += 64 * 1024;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
          cancel() {
            cancelled = true;
          },
        }),
    });
    await expect(check(host, { datasetMaxBytes: 1024 * 1024 })).rejects.toMatchObject({
      reason: "too-large",
      message: "The dataset of release 2023Q3 (2023-11-20) is larger than the 1 MB the add-in accepts, so the download was stopped. Whoever hosts the add-in should check what they published.",
    });
    expect(cancelled).toBe(true);
    expect(sent).toBeLessThanOrEqual(1024 * 1024 + 3 * 64 * 1024);
  });

  it("caps latest.json too", async () => {
    const host = hostPublishing({});
    host.files.set("/excel/data/latest.json", { body: " ".repeat(70 * 1024) });
    await expect(check(host)).rejects.toMatchObject({ reason: "too-large", message: expect.stringContaining("than the 64 KB the add-in accepts") });
  });

  it("describes sizes the way it states its limits", () => {
    expect(describeSize(32 * 1024 * 1024)).toBe("32 MB");
    expect(describeSize(1.5 * 1024 * 1024)).toBe("1.5 MB");
    expect(describeSize(64 * 1024)).toBe("64 KB");
    expect(describeSize(512)).toBe("512 bytes");
  });
});

describe("a correction of the release in use (the same release, other data, a higher revision)", () => {
  let correctedBytes: Buffer;
  beforeAll(() => {
    // The cumulative registered users at June 30, 2023 (a figure only the prose states) read wrongly and fixed.
    const corrected = JSON.parse(shippedBytes.toString("utf8")) as Dataset;
    const facts = corrected.facts.filter((candidate) => candidate.item === "kpi.cumulative_registered_users" && candidate.period === "2023-06-30");
    if (facts.length !== 1) throw new Error(`expected one registered-users figure at 2023-06-30, found ${facts.length}`);
    (facts[0] as Dataset["facts"][number]).value = String(Number((facts[0] as Dataset["facts"][number]).value) + 100_000);
    correctedBytes = Buffer.from(JSON.stringify(corrected));
  });
  const correction = (revision: number, bytes = correctedBytes): Host => hostPublishing({ ...publish(bytes, shippedDataset()), revision }, bytes);
  beforeEach(startWithShipped);

  it("is offered when its revision is higher than the one in use, saying which figures it corrects", async () => {
    const update = await available(correction(1));
    expect(update.summary).toBe("Release 2023Q2 (2023-08-21), correction 1, is available: adds no period; corrects 1 figure.");
    expect(update.version).toMatchObject({ release: "2023Q2", revision: 1 });
    expect(update.version.text).toMatch(/ · data [0-9a-f]{12} · correction 1$/);
    expect(update.changes.restated.map((restated) => [restated.item.id, restated.period.id, restated.currency])).toEqual([["kpi.cumulative_registered_users", "2023-06-30", null]]);
  });

  it("is refused as not newer without a higher revision, and the message says how to publish one", async () => {
    await expect(check(correction(0))).rejects.toMatchObject({
      reason: "not-newer",
      message: expect.stringContaining("a correction is built with ADDIN_DATA_REVISION set one higher: see docs/publishing.md"),
    });
  });

  it("once applied, is what the functions answer and name; the same correction again is up to date, another needs the next revision", async () => {
    const update = await available(correction(1));
    const outcome = await applyUpdate({ session, update, calculation: recordingWorkbook(THREE_CELLS), plan: { kind: "recalculate-cells", mode: "automatic" } as RecalculationPlan });
    expect(outcome.message).toBe("Updated to release 2023Q2 (2023-08-21), correction 1: recalculated 3 QFIN cells on 2 sheets and what depends on them.");
    expect(String(invoke(session.index, "VERSION", []))).toMatch(/, data [0-9a-f]{12}, correction 1$/);
    expect((await check(correction(1))).outcome).toEqual({ status: "up-to-date", message: "Up to date: release 2023Q2 (2023-08-21), correction 1 is the newest data." });
    const again = Buffer.from(`${correctedBytes.toString("utf8")}\n`);
    await expect(check(correction(1, again))).rejects.toMatchObject({ reason: "not-newer" });
    expect((await available(correction(2, again))).version.revision).toBe(2);
    // The next release is newer whatever its revision.
    expect((await available(hostPublishing(publish(newerBytes, newerDataset), newerBytes))).version).toMatchObject({ release: "2023Q3", revision: 0 });
  });
});

describe("applyUpdate", () => {
  let update: AvailableUpdate;
  beforeEach(async () => {
    startWithShipped();
    update = await available(hostPublishing(publish(newerBytes, newerDataset), newerBytes));
  });
  const plan = (kind: RecalculationPlan["kind"]): RecalculationPlan => ({ kind, mode: kind === "mark-cells" || kind === "none" ? "manual" : "automatic" }) as RecalculationPlan;

  it("Automatic: finds the QFIN cells before the swap, swaps, then recalculates only them", async () => {
    const workbook = recordingWorkbook(THREE_CELLS);
    const stages: string[] = [];
    const outcome = await applyUpdate({ session, update, calculation: workbook, plan: plan("recalculate-cells"), onProgress: (step) => stages.push(step.stage) });
    expect(workbook.calls).toEqual(["find (data in use: 2023Q2)", "touch 3 cells, calculate true"]);
    expect(workbook.dataAtTouch).toEqual(["2023Q3"]);
    expect(stages).toEqual(["applying", "recalculating"]);
    expect(outcome).toMatchObject({ cellsStillShow: null, message: "Updated to release 2023Q3 (2023-11-20): recalculated 3 QFIN cells on 2 sheets and what depends on them." });
    expect(session.index).toBe(update.index);
    expect(invoke(session.index, "METRIC", ["Total net revenue", "2023Q3"])).toBe(3914.324);
    expect(String(invoke(session.index, "VERSION", []))).toContain(`2023Q3 (2023-11-20), schema 1`);
  });

  it("Manual: swaps and only marks the QFIN cells, and says the cells keep the old release until F9", async () => {
    const workbook = recordingWorkbook(THREE_CELLS);
    const outcome = await applyUpdate({ session, update, calculation: workbook, plan: plan("mark-cells") });
    expect(workbook.calls).toEqual(["find (data in use: 2023Q2)", "touch 3 cells, calculate false"]);
    expect(outcome.cellsStillShow).toMatchObject({ release: "2023Q2", version: shippedVersion });
    expect(outcome.catchUpKey).toBe("F9");
    expect(outcome.message).toBe(
      "Loaded release 2023Q3 (2023-11-20). Calculation is Manual, so nothing was recalculated: the cells keep release 2023Q2 (2023-08-21) until your next calculation (F9), which recalculates the 3 QFIN cells on 2 sheets marked for it.",
    );
    expect(session.index?.latestRelease.id).toBe("2023Q3");
  });

  it("Full calculation (agreed to): swaps and calculates everything; Manual without setDirty: calculates nothing", async () => {
    const full = recordingWorkbook(THREE_CELLS);
    expect((await applyUpdate({ session, update, calculation: full, plan: plan("full-calculation") })).message).toBe("Updated to release 2023Q3 (2023-11-20): every open workbook was recalculated.");
    expect(full.calls).toEqual(["full calculation"]);
    startWithShipped();
    const again = await available(hostPublishing(publish(newerBytes, newerDataset), newerBytes));
    const none = recordingWorkbook(THREE_CELLS);
    const outcome = await applyUpdate({ session, update: again, calculation: none, plan: plan("none") });
    expect(none.calls).toEqual([]);
    expect(outcome.message).toContain("until a full calculation (Ctrl+Alt+F9); F9 alone does not re-run QFIN formulas");
    expect(outcome.cellsStillShow?.release).toBe("2023Q2");
  });

  it("does not claim an update Excel did not carry out: when no QFIN function re-ran, it says so and how to catch up", async () => {
    const silent = { ...recordingWorkbook(THREE_CELLS), waitForRerun: async () => false };
    const outcome = await applyUpdate({ session, update, calculation: silent, plan: plan("recalculate-cells") });
    expect(outcome).toMatchObject({
      cellsStillShow: { release: "2023Q2" },
      catchUpKey: "Ctrl+Alt+F9",
      message:
        "Loaded release 2023Q3 (2023-11-20) and asked Excel to recalculate 3 QFIN cells on 2 sheets, but it has not re-run any of them within 5 seconds. If the cells still show release 2023Q2 (2023-08-21), recalculate everything with Ctrl+Alt+F9 (QFIN now answers from the newer data).",
    });
    startWithShipped();
    const again = await available(hostPublishing(publish(newerBytes, newerDataset), newerBytes));
    const ran = { ...recordingWorkbook(THREE_CELLS), waitForRerun: async () => true };
    expect(await applyUpdate({ session, update: again, calculation: ran, plan: plan("recalculate-cells") })).toMatchObject({ cellsStillShow: null, catchUpKey: null });
  });

  it("says so when the workbook has no QFIN cells", async () => {
    const outcome = await applyUpdate({ session, update, calculation: recordingWorkbook({ runs: [], cells: 0, sheets: 0 }), plan: plan("recalculate-cells") });
    expect(outcome.message).toBe("Updated to release 2023Q3 (2023-11-20). This workbook has no QFIN cells to recalculate.");
  });

  it("changes nothing when the workbook cannot be read", async () => {
    const before = session.index;
    const workbook = recordingWorkbook(THREE_CELLS, { find: new Error("GeneralException") });
    await expect(applyUpdate({ session, update, calculation: workbook, plan: plan("recalculate-cells") })).rejects.toMatchObject({
      reason: "recalculation",
      message: "Could not read this workbook to find its QFIN cells (GeneralException), so release 2023Q3 (2023-11-20) was not applied. Try again.",
    });
    expect(session.index).toBe(before);
  });

  it("keeps the new data and says how to recalculate when only Excel's recalculation failed", async () => {
    const workbook = recordingWorkbook(THREE_CELLS, { touch: new Error("GeneralException") });
    await expect(applyUpdate({ session, update, calculation: workbook, plan: plan("recalculate-cells") })).rejects.toMatchObject({ reason: "recalculation", message: expect.stringContaining("Press Ctrl+Alt+F9") });
    expect(session.index?.latestRelease.id).toBe("2023Q3");
  });

  it("refuses an offer made against data that is no longer in use", async () => {
    session.use(loadDataset(JSON.parse(shippedBytes.toString("utf8"))), shippedVersion);
    const before = session.index;
    const workbook = recordingWorkbook(THREE_CELLS);
    await expect(applyUpdate({ session, update, calculation: workbook, plan: plan("recalculate-cells") })).rejects.toMatchObject({ reason: "stale", message: expect.stringContaining("was offered, so it was not applied") });
    expect(session.index).toBe(before);
    expect(workbook.calls).toEqual([]);
  });
});
