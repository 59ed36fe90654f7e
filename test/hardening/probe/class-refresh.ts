/**
 * Class (f): attacks on the pane's refresh path (`checkForUpdate`, then `applyUpdate`), against a stand-in of the
 * network answering with the platform's own Response objects: the 21 attacks of issue 15's probe as issue 12's tests
 * state them (tampered bytes, a dataset failing its checks, a rollback, the same release again, history rewritten,
 * silent and deaf servers, a stalled body, 300 MB by Content-Length and by stream, an oversized latest.json, pointers
 * naming other paths and hosts …), more of the same kind (a dataset that is not JSON, is empty, is cut short, holds
 * NaN, a pointer with `__proto__`), and random ones: any field of latest.json replaced by a hostile value, bytes of the
 * dataset flipped or cut (its fingerprint then no longer matches), and fields of the dataset replaced with the
 * fingerprint recomputed (so only the loader's checks stand between it and the pane).
 *
 * Rules, per attack: the check settles within its time limit plus 2 s (else a hang); it never changes the data in use
 * (else data loss); a refusal is a RefreshError with a reason and a sentence; an attack that must be refused and is
 * offered as an update, or an offer whose data the loader refuses, is wrong data accepted; an Apply of an offer made
 * against data no longer in use, or whose workbook cannot be read, changes nothing.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import fc from "fast-check";
import { publication, versionOf, type DatasetPointer } from "../../../src/addin/dataset-publication";
import type { QfinCellSet, WorkbookCalculation } from "../../../src/addin/recalculation";
import { RefreshError, applyUpdate, checkForUpdate, type CheckOutcome, type RefreshLimits } from "../../../src/addin/refresh";
import { Session } from "../../../src/addin/session";
import { buildIndex } from "../../../src/core/dataset-index";
import { loadDataset } from "../../../src/core/load-dataset";
import type { Dataset } from "../../../src/core/model";
import { mergeRelease } from "../../../src/ingest";
import { Tally, yielder, type ClassResult } from "./tally";

const BASE = "https://qfin-addin.example.com/excel/taskpane.html";
/** Short limits, so the silent servers settle quickly; the rules are the same as at 15 s / 60 s. */
const LIMITS: Partial<RefreshLimits> = { pointerTimeoutMs: 300, datasetTimeoutMs: 400, datasetMaxBytes: 4 * 1024 * 1024 };
export const REFRESH_BUDGET_MS = 400 + 2_000;

type Served = { body: string | Buffer | (() => ReadableStream<Uint8Array>); status?: number; headers?: Record<string, string> };
type Expected = "refused" | "available" | "up-to-date" | "either";

interface Attack {
  kind: string;
  description: string;
  files: Map<string, Served>;
  /** A fetch of its own (silent, deaf, offline); else the files are served. */
  fetch?: typeof fetch;
  expected: Expected;
  /** The dataset in use before the check: the shipped one, unless the attack needs another. */
  inUse?: "shipped" | "newer" | "rewritten";
}

const sha = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
const pointerFor = (bytes: Buffer, dataset: Pick<Dataset, "releases">): DatasetPointer => publication(sha(bytes), dataset.releases).pointer;

function hostFetch(files: Map<string, Served>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const file = files.get(url.pathname);
    if (!file) return new Response("not here", { status: 404 });
    const body = typeof file.body === "function" ? file.body() : typeof file.body === "string" ? file.body : new Uint8Array(file.body);
    return new Response(body, { status: file.status ?? 200, headers: file.headers });
  }) as typeof fetch;
}

/** The files of a host publishing `bytes` as the dataset under `pointer` (the pointer's own path unless given). */
function publishing(pointer: unknown, bytes?: Buffer, path = (pointer as DatasetPointer).path): Map<string, Served> {
  const files = new Map<string, Served>([["/excel/data/latest.json", { body: JSON.stringify(pointer) }]]);
  if (bytes) files.set(`/excel/data/${path}`, { body: bytes });
  return files;
}

interface Material {
  shippedBytes: Buffer;
  shipped: Dataset;
  newer: Dataset;
  newerBytes: Buffer;
}

/** The fixed attacks: issue 12's 21 and more of their kind. */
export function fixedAttacks({ shippedBytes, shipped, newer, newerBytes }: Material): Attack[] {
  const attack = (description: string, files: Map<string, Served>, expected: Expected, extra: Partial<Attack> = {}): Attack => ({ kind: "fixed attack", description, files, expected, ...extra });
  const good = pointerFor(newerBytes, newer);
  const republish = (bytes: Buffer, dataset: Pick<Dataset, "releases"> = newer): Map<string, Served> => publishing(pointerFor(bytes, dataset), bytes);
  const mutated = (edit: (dataset: Dataset) => void): Buffer => {
    const copy = JSON.parse(newerBytes.toString("utf8")) as Dataset;
    edit(copy);
    return Buffer.from(JSON.stringify(copy));
  };
  const stream = (make: () => ReadableStream<Uint8Array>, headers?: Record<string, string>): Map<string, Served> => {
    const files = publishing(good);
    files.set(`/excel/data/${good.path}`, { body: make, headers });
    return files;
  };
  const silent: typeof fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(new DOMException("The operation was aborted.", "AbortError"))))) as typeof fetch;
  const latest = (body: string, status = 200): Map<string, Served> => new Map([["/excel/data/latest.json", { body, status }]]);
  return [
    attack("the genuine newer release (the premise: it must be offered)", publishing(good, newerBytes), "available"),
    attack("the release in use (the premise: up to date)", publishing(pointerFor(shippedBytes, shipped), shippedBytes), "up-to-date"),
    attack("tampered bytes (SHA-256 mismatch)", publishing(good, Buffer.from(newerBytes.toString("utf8").replace('"title":', '"title" :'))), "refused"),
    attack("a total that no longer adds up, fingerprint recomputed", republish(mutated((dataset) => {
      const fact = dataset.facts.find((candidate) => candidate.item === "ops.total_net_revenue" && candidate.period === "2023Q3" && candidate.currency === "RMB");
      if (fact) fact.value = String(Number(fact.value) + 1000);
    })), "refused"),
    attack("not the release the pointer announces", publishing({ ...good, latestRelease: { id: "2023Q3", date: "2023-11-21" } }, newerBytes), "refused"),
    attack("a rollback to an older genuine release", publishing(pointerFor(shippedBytes, shipped), shippedBytes), "refused", { inUse: "newer" }),
    attack("the release in use published again as other data", republish(Buffer.from(`${shippedBytes.toString("utf8")}\n`), shipped), "refused"),
    attack("a newer dataset rewriting a release in use", publishing(good, newerBytes), "refused", { inUse: "rewritten" }),
    attack("the dataset missing (404)", publishing(good), "refused"),
    attack("the host unreachable", new Map(), "refused", { fetch: (async () => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch }),
    attack("latest.json not JSON", latest("<html>"), "refused"),
    attack("latest.json: HTTP 503", latest("busy", 503), "refused"),
    attack("a silent server", new Map(), "refused", { fetch: silent }),
    attack("a server that ignores the abort signal", new Map(), "refused", { fetch: (() => new Promise<Response>(() => undefined)) as typeof fetch }),
    attack("a dataset body that stops after 1,000 bytes", stream(() => new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new Uint8Array(newerBytes.subarray(0, 1000))) })), "refused"),
    attack("Content-Length: 300 MB", stream(() => new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024)) }), { "content-length": String(300 * 1024 * 1024) }), "refused"),
    attack("an endless body with no length", stream(() => new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024)) })), "refused"),
    attack("latest.json of 70 KB", latest(" ".repeat(70 * 1024)), "refused"),
    attack("a pointer of schema 2", publishing({ ...good, schema: 2 }, newerBytes), "refused"),
    attack("a pointer whose sha256 is not hex", publishing({ ...good, sha256: "ABC" }, newerBytes), "refused"),
    attack("a pointer whose version is not its sha256's", publishing({ ...good, version: "000000000000" }, newerBytes), "refused"),
    attack("a pointer to ../../elsewhere", publishing({ ...good, path: `../../elsewhere/dataset.${good.version}.json` }, newerBytes), "refused"),
    attack("a pointer to another host", publishing({ ...good, path: `https://evil.example/dataset.${good.version}.json` }, newerBytes), "refused"),
    attack("a pointer listing no releases", publishing({ ...good, releases: [] }, newerBytes), "refused"),
    attack("a pointer whose latest release is not among its releases", publishing({ ...good, latestRelease: { id: "2024Q1", date: "2024-05-20" } }, newerBytes), "refused"),
    // More of the same kind.
    attack("a dataset that is not JSON, fingerprint matching", republish(Buffer.from("<html>not a dataset</html>")), "refused"),
    attack("an empty dataset, fingerprint matching", republish(Buffer.alloc(0)), "refused"),
    attack("the dataset cut in half, fingerprint matching", republish(newerBytes.subarray(0, Math.floor(newerBytes.length / 2))), "refused"),
    attack("a JSON array as the dataset, fingerprint matching", republish(Buffer.from("[]")), "refused"),
    attack('a figure "NaN", fingerprint matching', republish(mutated((dataset) => void ((dataset.facts[0] as { value: string }).value = "NaN"))), "refused"),
    attack('a figure "1e400", fingerprint matching', republish(mutated((dataset) => void ((dataset.facts[0] as { value: string }).value = "1e400"))), "refused"),
    attack("a fact of an item the dataset does not have", republish(mutated((dataset) => void dataset.facts.push({ ...(dataset.facts[0] as Dataset["facts"][number]), item: "ops.no_such_item" }))), "refused"),
    attack("a fact duplicated with another value", republish(mutated((dataset) => void dataset.facts.push({ ...(dataset.facts[0] as Dataset["facts"][number]), value: "1" }))), "refused"),
    attack("a check that failed, fingerprint matching", republish(mutated((dataset) => void ((dataset.checks[0] as { status: string }).status = "fail"))), "refused"),
    attack("schema 99, fingerprint matching", republish(mutated((dataset) => void ((dataset as { schema: number }).schema = 99))), "refused"),
    attack("a __proto__ key in latest.json", new Map([["/excel/data/latest.json", { body: JSON.stringify(good).replace('{"schema"', '{"__proto__":{"polluted":true},"schema"') }], [`/excel/data/${good.path}`, { body: newerBytes }]]), "either"),
    attack("a __proto__ key in the dataset, fingerprint matching", republish(Buffer.from(newerBytes.toString("utf8").replace('{"schema"', '{"__proto__":{"polluted":true},"schema"'))), "either"),
    attack("latest.json served as HTML with HTTP 200", latest("<!doctype html><title>Sign in</title>"), "refused"),
    attack("the dataset behind a captive portal (HTTP 200, HTML)", (() => {
      const files = publishing(good);
      files.set(`/excel/data/${good.path}`, { body: "<!doctype html><title>Wi-Fi login</title>" });
      return files;
    })(), "refused"),
  ];
}

/** Random attacks: hostile pointer fields, flipped or cut dataset bytes, hostile dataset fields with the fingerprint recomputed. */
export function randomAttacks({ newer, newerBytes }: Material, count: number, seed: number): Attack[] {
  const good = pointerFor(newerBytes, newer);
  const hostile = fc.oneof(
    fc.constantFrom<unknown>(null, undefined, "", 0, -1, 1e308, Number.NaN, true, [], {}, "../x", "https://evil.example/x", "\u0000", "a".repeat(70_000), { id: "2023Q3" }, [{ id: "2023Q3", date: "2023-11-20" }]),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.object({ maxDepth: 1 }),
  );
  const pointerAttack = fc.tuple(fc.constantFrom(...Object.keys(good)), hostile).map(([field, value]): Attack => {
    const pointer: Record<string, unknown> = { ...good, [field]: value };
    if (value === undefined) delete pointer[field];
    // A value equal to the genuine one leaves the genuine offer; anything else must be refused.
    const same = JSON.stringify(pointer) === JSON.stringify(good);
    return { kind: "random pointer field", description: `latest.json ${field} = ${JSON.stringify(value)?.slice(0, 60)}`, files: publishing(pointer, newerBytes, good.path), expected: same ? "available" : "refused" };
  });
  const byteAttack = fc.tuple(fc.array(fc.tuple(fc.nat({ max: newerBytes.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), fc.nat({ max: 100 })).map(([flips, cut]): Attack => {
    const bytes = Buffer.from(newerBytes.subarray(0, newerBytes.length - cut));
    for (const [at, xor] of flips) if (at < bytes.length) bytes[at] = (bytes[at] as number) ^ xor;
    return { kind: "random dataset bytes", description: `${flips.map(([at, xor]) => `byte ${at} ^= ${xor}`).join(", ")}, ${cut} bytes cut (fingerprint not recomputed)`, files: publishing(good, bytes), expected: "refused" };
  });
  const fieldAttack = fc.tuple(fc.nat({ max: newer.facts.length - 1 }), fc.constantFrom("value", "item", "period", "currency", "precision", "basis"), hostile).map(([at, field, value]): Attack => {
    const copy = JSON.parse(newerBytes.toString("utf8")) as { facts: Record<string, unknown>[] };
    const fact = copy.facts[at] as Record<string, unknown>;
    fact[field] = value;
    const bytes = Buffer.from(JSON.stringify(copy));
    return { kind: "random dataset field (fingerprint recomputed)", description: `fact ${at} ${field} = ${JSON.stringify(value)?.slice(0, 60)}`, files: publishing(pointerFor(bytes, newer), bytes), expected: "either" };
  });
  const third = Math.ceil(count / 3);
  return [...fc.sample(pointerAttack, { seed, numRuns: third }), ...fc.sample(byteAttack, { seed: seed + 1, numRuns: third }), ...fc.sample(fieldAttack, { seed: seed + 2, numRuns: count - 2 * third })];
}

const CELLS: QfinCellSet = { runs: [{ sheet: "Sheet1", address: "B4:C4", cells: 2 }], cells: 2, sheets: 1 };
const workbook = (failFind: boolean): WorkbookCalculation => ({
  calculationMode: async () => "automatic",
  canRecalculateCells: () => true,
  findQfinCells: async () => {
    if (failFind) throw new Error("GeneralException");
    return CELLS;
  },
  touchQfinCells: async () => undefined,
  calculateEverything: async () => undefined,
  waitForRerun: async () => true,
});

export interface RefreshProbeOptions {
  datasetPath: string;
  /** The next quarter's release ingested (what a host would publish next). */
  nextRelease: Dataset;
  random: number;
  seed: number;
  /** Multiplies the budget (the jest slice's hang bound). */
  budgetScale?: number;
}

export async function probeRefresh({ datasetPath, nextRelease, random, seed, budgetScale = 1 }: RefreshProbeOptions): Promise<ClassResult> {
  const tally = new Tally("refresh", "attacks on the pane's refresh path (checkForUpdate, applyUpdate) against a stand-in network: issue 12's 21 and more, random pointer fields, dataset bytes and fields", REFRESH_BUDGET_MS * budgetScale, seed);
  const shippedBytes = readFileSync(datasetPath);
  const shipped = loadDataset(JSON.parse(shippedBytes.toString("utf8")));
  const newer = mergeRelease(shipped, nextRelease).dataset;
  const newerBytes = Buffer.from(JSON.stringify(newer));
  const material: Material = { shippedBytes, shipped, newer, newerBytes };
  const shippedVersion = versionOf(sha(shippedBytes));
  const pause = yielder();

  const sessionFor = (inUse: Attack["inUse"]): Session => {
    const session = new Session();
    if (inUse === "newer") session.adopt(buildIndex(newer, versionOf(sha(newerBytes))));
    else if (inUse === "rewritten") {
      const altered = JSON.parse(shippedBytes.toString("utf8")) as Dataset;
      (altered.releases[0] as { sha256: string }).sha256 = "0".repeat(64);
      session.use(loadDataset(altered), "0123456789ab");
    } else session.use(loadDataset(JSON.parse(shippedBytes.toString("utf8"))), shippedVersion);
    return session;
  };

  for (const attack of [...fixedAttacks(material), ...randomAttacks(material, random, seed)]) {
    const session = sessionFor(attack.inUse);
    const before = session.index;
    const started = performance.now();
    let outcome: CheckOutcome | null = null;
    let error: unknown = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<"hang">((resolve) => (timer = setTimeout(() => resolve("hang"), REFRESH_BUDGET_MS + 5_000)));
    const settled = await Promise.race([
      checkForUpdate({ session, baseUrl: BASE, fetch: attack.fetch ?? hostFetch(attack.files), limits: LIMITS }).then(
        (value) => void (outcome = value),
        (thrown: unknown) => void (error = thrown),
      ),
      deadline,
    ]);
    clearTimeout(timer);
    const ms = performance.now() - started;
    const result = outcome as CheckOutcome | null;
    tally.record(attack.kind, attack.description, result?.status === "available" || result?.status === "up-to-date" ? "answered" : "refused", ms);
    if (settled === "hang") {
      tally.fail("hang", `${attack.description}: the check had not settled after ${(REFRESH_BUDGET_MS + 5_000) / 1000} s`);
      continue;
    }
    if (session.index !== before) tally.fail("dataLoss", `${attack.description}: the check changed the data in use`);
    if (error !== null) {
      if (!(error instanceof RefreshError) || !error.reason || !/[.?!]$/.test(error.message) || /\n\s+at /.test(error.message)) tally.fail("other", `${attack.description}: rejected with ${String(error)}`);
      if (attack.expected === "available" || attack.expected === "up-to-date") tally.fail("other", `${attack.description}: refused although genuine: ${String(error)}`);
    } else if (result !== null) {
      if (attack.expected === "refused" || (attack.expected !== "either" && attack.expected !== result.status)) tally.fail(result.status === "available" ? "wrongDataAccepted" : "other", `${attack.description}: ${result.status} (${result.message.slice(0, 120)})`);
      if (result.status === "available") {
        try {
          loadDataset(JSON.parse(JSON.stringify(result.update.index.dataset)));
        } catch (loaderError) {
          tally.fail("wrongDataAccepted", `${attack.description}: offered data the loader refuses: ${String(loaderError).slice(0, 160)}`);
        }
        if (({} as Record<string, unknown>).polluted !== undefined) tally.fail("wrongDataAccepted", `${attack.description}: Object.prototype was polluted`);
      }
    }
    await pause();
  }

  // Apply: an offer made against data no longer in use, and a workbook that cannot be read, change nothing.
  for (const [description, failFind, swapFirst] of [["Apply of an offer made against other data (stale)", false, true], ["Apply when the workbook cannot be read", true, false]] as const) {
    const session = sessionFor("shipped");
    const started = performance.now();
    const outcome = await checkForUpdate({ session, baseUrl: BASE, fetch: hostFetch(publishing(pointerFor(newerBytes, newer), newerBytes)), limits: LIMITS });
    if (outcome.status !== "available") {
      tally.record("apply attack", description, "answered", performance.now() - started);
      tally.fail("other", `${description}: the genuine update was not offered`);
      continue;
    }
    if (swapFirst) session.use(loadDataset(JSON.parse(shippedBytes.toString("utf8"))), shippedVersion);
    const before = session.index;
    let refused = false;
    try {
      await applyUpdate({ session, update: outcome.update, calculation: workbook(failFind), plan: { kind: "recalculate-cells", mode: "automatic" } as never });
    } catch (error) {
      refused = error instanceof RefreshError;
    }
    tally.record("apply attack", description, refused ? "refused" : "answered", performance.now() - started);
    if (!refused) tally.fail("wrongDataAccepted", `${description}: applied`);
    if (session.index !== before) tally.fail("dataLoss", `${description}: the data in use changed`);
  }
  tally.note(`time limits shortened for the probe (latest.json ${LIMITS.pointerTimeoutMs} ms, a dataset ${LIMITS.datasetTimeoutMs} ms, size cap ${(LIMITS.datasetMaxBytes ?? 0) / 2 ** 20} MB); the budget is the dataset limit + 2 s.`);
  tally.note('"either" attacks (a dataset field replaced with its fingerprint recomputed, __proto__ keys) may be offered only if the loader accepts the data; anything offered is loaded again to check.');
  return tally.finish();
}
