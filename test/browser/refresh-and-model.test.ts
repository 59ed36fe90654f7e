/**
 * Refresh and Insert model inside "Excel", in headless Chromium against the production build: office.js is replaced
 * by the host stub (support/excel-host-stub.ts), so src/taskpane/excel.ts runs unchanged and the stub records
 * syncs, calculations and the worksheets written; the QFIN functions are called as Excel calls them, through what
 * the bundle registered with CustomFunctions.associate.
 *
 * The "host" publishes what the build emitted (data/latest.json → data/dataset.<sha12>.json) until a test replaces
 * those files through the harness: a newer dataset (the shipped one merged with a next-quarter release built from
 * it), a tampered copy, and one that fails the loader's checks.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import type { Server } from "http";
import { join } from "path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import datasetJson from "../../data/dataset.json";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import type { Dataset } from "../../src/core/model";
import { functionsMetadata } from "../../src/addin/functions-metadata";
import { mergeRelease } from "../../src/ingest";
import { buildAnalystModel, type AnalystModel } from "../../src/models/analyst-model";
import { cellEntry } from "../../src/addin/model-sheet-plan";
import { ROLE_STYLES as ROLE_FORMATS } from "../../src/models/cell-styles";
import { PROJECT_ROOT } from "../addin/build-addin";
import { ingestText, nextQuarterRelease, shippedDataset } from "../support/release";
import { closeServer, launchChromium, offlineContext, serveDirectory, settled, type ServedFile } from "./support/browser-harness";
import { EXCEL_HOST_STUB, type ExcelHostState, type StubWorksheet } from "./support/excel-host-stub";
import { sharedProductionBuild } from "./support/shared-build";

const RESULTS = join(PROJECT_ROOT, "test-results");

let buildDir: string;
let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const served = new Map<string, ServedFile>();
const requests: string[] = [];
const pageErrors: string[] = [];
let model: AnalystModel;
let shippedVersion: string;
/** The shipped dataset merged with a next-quarter release built from it: what the host publishes next. */
let merged: Dataset;

/** What the build's PublishDatasetPlugin would publish for these bytes. */
function publication(bytes: Buffer, dataset: Pick<Dataset, "releases">): { version: string; pointer: string } {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const version = sha256.slice(0, 12);
  const latest = [...dataset.releases].sort((a, b) => a.date.localeCompare(b.date))[dataset.releases.length - 1];
  const pointer = { schema: 1, version, sha256, path: `dataset.${version}.json`, releases: dataset.releases.map((release) => release.id), latestRelease: { id: latest.id, date: latest.date } };
  return { version, pointer: JSON.stringify(pointer) };
}

/** The host now publishes `bytes` under a pointer computed from `pointerBytes` (the same unless tampering). */
function publish(bytes: Buffer, dataset: Dataset, pointerBytes: Buffer = bytes): string {
  const { version, pointer } = publication(pointerBytes, dataset);
  served.clear();
  served.set("/data/latest.json", { body: pointer });
  served.set(`/data/dataset.${version}.json`, { body: bytes });
  return version;
}

const host = (): Promise<ExcelHostState> => page.evaluate(() => (window as unknown as { __excelHost: ExcelHostState }).__excelHost);

type Serialized = number | string | boolean | null | { code: string; message?: string } | Serialized[];
/**
 * Calls a registered QFIN function as Excel does (every parameter present, omitted ones null, `matrix` ones as
 * ranges) and returns what the cell shows: a 1×1 result as its one value.
 */
async function call(id: string, ...args: unknown[]): Promise<Serialized> {
  const declared = functionsMetadata("https://localhost:3000").functions.find((candidate) => candidate.id === id);
  if (!declared) throw new Error(`functions.json has no ${id}`);
  const full = declared.parameters.map((param, index) => {
    const value = index < args.length ? args[index] : null;
    return param.dimensionality === "matrix" && value !== null && !Array.isArray(value) ? [[value]] : value;
  });
  return page.evaluate(
    ({ id, full }) => {
      const registered = (window as unknown as { __excelFunctions: Record<string, (...args: unknown[]) => unknown> }).__excelFunctions;
      const result = registered[id]?.(...full);
      const serialize = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(serialize);
        if (value && typeof value === "object" && "code" in value) return { code: (value as { code: string }).code };
        return value;
      };
      const oneCell = Array.isArray(result) && result.length === 1 && Array.isArray(result[0]) && result[0].length === 1;
      return serialize(oneCell ? (result as unknown[][])[0]![0] : result) as never;
    },
    { id, full },
  );
}

/** Clicks Refresh and returns every text the status line showed until it settled on a final one. */
async function refreshAndWatch(): Promise<string[]> {
  await page.evaluate(() => {
    const status = document.getElementById("refresh-status") as HTMLElement;
    const seen: string[] = [];
    (window as unknown as { __statusSeen: string[] }).__statusSeen = seen;
    new MutationObserver(() => seen.push(status.textContent ?? "")).observe(status, { childList: true, characterData: true, subtree: true });
    delete status.dataset.stage;
  });
  await page.locator("#refresh").click();
  await settled(() => page.locator("#refresh-status").getAttribute("data-stage"), (stage) => stage === "done" || stage === "failed", 20_000);
  await settled(() => page.locator("#refresh").evaluate((button) => (button as HTMLElement & { disabled: boolean }).disabled), (disabled) => !disabled);
  return page.evaluate(() => (window as unknown as { __statusSeen: string[] }).__statusSeen.filter((text, index, all) => text !== "" && text !== all[index - 1]));
}

const datasetDownloads = (): string[] => requests.filter((path) => /^\/data\/dataset\./.test(path));

beforeAll(async () => {
  buildDir = await sharedProductionBuild();
  ({ server, origin } = await serveDirectory(buildDir));
  shippedVersion = (JSON.parse(readFileSync(join(buildDir, "data/latest.json"), "utf8")) as { version: string }).version;
  // As the page builds it: the shipped data with its published version (the model's cover names it).
  model = buildAnalystModel(buildIndex(loadDataset(datasetJson), shippedVersion));
  merged = mergeRelease(shippedDataset(), ingestText(nextQuarterRelease())).dataset;
  browser = await launchChromium();
  context = await offlineContext(browser, origin, { officeJs: EXCEL_HOST_STUB, served, viewport: { width: 340, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", (request) => {
    if (request.url().startsWith(origin)) requests.push(new URL(request.url()).pathname);
  });
  await page.goto(`${origin}/taskpane.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
}, 600_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await closeServer(server);
});

describe("the build publishes the dataset for Refresh", () => {
  it("serves data/latest.json pointing at data/dataset.<sha12>.json, the bytes of data/dataset.json", () => {
    const bytes = readFileSync(join(PROJECT_ROOT, "data/dataset.json"));
    expect(readFileSync(join(buildDir, `data/dataset.${shippedVersion}.json`)).equals(bytes)).toBe(true);
    expect(JSON.parse(readFileSync(join(buildDir, "data/latest.json"), "utf8"))).toEqual(JSON.parse(publication(bytes, shippedDataset()).pointer));
  });
});

describe("Refresh inside Excel", () => {
  it("checks the host silently at start: up to date, nothing downloaded, the version shown", async () => {
    expect(await settled(() => page.locator("#refresh-status").getAttribute("data-stage"), (stage) => stage === "done")).toBe("done");
    expect(requests).toContain("/data/latest.json");
    expect(datasetDownloads()).toEqual([]);
    expect(await page.locator("#refresh-status").textContent()).toBe("");
    expect(await page.locator("#version").textContent()).toBe(`Release 2023Q2 · 2023-08-21 · ${buildIndex(loadDataset(datasetJson)).itemsById.size} items, ${(datasetJson as { facts: unknown[] }).facts.length} figures · data ${shippedVersion}`);
    expect(pageErrors).toEqual([]);
  });

  it("says Up to date on Refresh when the host has nothing newer, and downloads and recalculates nothing", async () => {
    const seen = await refreshAndWatch();
    expect(seen.at(-1)).toBe("Up to date: release 2023Q2 (2023-08-21) is the newest data.");
    expect(datasetDownloads()).toEqual([]);
    expect((await host()).calculations).toEqual([]);
  });

  it("refuses a tampered dataset (SHA-256 mismatch), says why, and the old data still answers", async () => {
    const bytes = Buffer.from(JSON.stringify(merged));
    const tampered = Buffer.from(bytes.toString("utf8").replace('"title":', '"title" :'));
    publish(tampered, merged, bytes);
    const seen = await refreshAndWatch();
    expect(seen.at(-1)).toMatch(/^Refresh failed; still using release 2023Q2 \(2023-08-21\)\. The downloaded dataset of release 2023Q3 \(2023-11-20\) does not match its published fingerprint \(SHA-256\)/);
    expect(await page.locator("#refresh-status").getAttribute("class")).toContain("error");
    expect(await page.locator("#version").textContent()).toContain("Release 2023Q2 · 2023-08-21");
    expect(await call("METRIC", "Total net revenue", "2023Q2")).toBe(3914.324);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toEqual({ code: "#N/A" });
    expect((await host()).calculations).toEqual([]);
  });

  it("refuses a dataset that fails its checks (a total that no longer adds up), says why, and the old data still answers", async () => {
    const broken = JSON.parse(JSON.stringify(merged)) as Dataset;
    const fact = broken.facts.find((candidate) => candidate.item === "ops.total_net_revenue" && candidate.period === "2023Q3" && candidate.currency === "RMB");
    if (!fact) throw new Error("no Q3 total net revenue in the merged dataset");
    fact.value = String(Number(fact.value) + 1000);
    publish(Buffer.from(JSON.stringify(broken)), broken);
    const seen = await refreshAndWatch();
    expect(seen.at(-1)).toMatch(/^Refresh failed; still using release 2023Q2 \(2023-08-21\)\. The downloaded dataset of release 2023Q3 \(2023-11-20\) failed its checks, so it was not used: /);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toEqual({ code: "#N/A" });
    expect(await call("VERSION")).toMatch(/^QFIN data: release 2023Q2 \(2023-08-21\)/);
    expect((await host()).calculations).toEqual([]);
  });

  it("takes a newer dataset: progress shown, the pane and QFIN.VERSION() show the new release, the functions answer for it, Excel recalculated in full", async () => {
    const version = publish(Buffer.from(JSON.stringify(merged)), merged);
    const seen = await refreshAndWatch();
    expect(seen).toEqual([
      "Checking for newer data…",
      "Downloading release 2023Q3 (2023-11-20)…",
      "Checking release 2023Q3 (2023-11-20): its fingerprint, then every total…",
      "Recalculating the QFIN formulas in this workbook…",
      "Updated to release 2023Q3 (2023-11-20).",
    ]);
    expect(datasetDownloads().at(-1)).toBe(`/data/dataset.${version}.json`);
    expect(await page.locator("#version").textContent()).toMatch(new RegExp(`^Release 2023Q3 · 2023-11-20 · \\d+ items, \\d+ figures · data ${version}$`));
    expect(await call("VERSION")).toMatch(/^QFIN data: releases 2023Q2 \(2023-08-21\), 2023Q3 \(2023-11-20\)/);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toBe(3914.324);
    expect(await call("METRIC", "Total net revenue", "latest")).toBe(3914.324);
    expect(await call("METRIC", "Total net revenue", "2023Q2")).toBe(3914.324);
    expect((await host()).calculations).toEqual(["Full"]);
    expect(pageErrors).toEqual([]);
  });
});

describe("Insert model inside Excel", () => {
  /** The model as the page builds it now (from the data loaded in the page). */
  let expected: AnalystModel;
  beforeAll(async () => {
    // Insert model uses the data in use; reload the page so it is the shipped dataset again (the host publishes it).
    served.clear();
    await page.reload();
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    await settled(() => page.locator("#refresh-status").getAttribute("data-stage"), (stage) => stage === "done");
    expected = model;
  }, 120_000);

  const compare = (sheet: StubWorksheet, index: number): void => {
    const modelSheet = expected.sheets[index];
    if (!modelSheet) throw new Error(`no model sheet ${index}`);
    const cells = Object.fromEntries(Object.entries(sheet.cells).filter(([, entry]) => entry !== ""));
    expect(cells).toEqual(Object.fromEntries(modelSheet.cells.map((cell) => [cell.address, cellEntry(cell)])));
    for (const cell of modelSheet.cells) {
      if (cell.formula !== undefined) expect(sheet.cells[cell.address]).toBe(cell.formula);
      expect(sheet.numberFormats[cell.address]).toBe(cell.numberFormat ?? "General");
    }
  };

  it("writes every sheet of buildAnalystModel with its exact formulas, number formats, bold totals, widths and frozen panes, in one sync per sheet", async () => {
    const before = await host();
    const started = Date.now();
    await page.locator("#insert-model").click();
    const status = await settled(() => page.locator("#model-status").textContent(), (text) => String(text).startsWith("Inserted"), 20_000);
    const elapsedMs = Date.now() - started;
    expect(status).toContain("10 sheets: Cover, Income statement, Balance sheet, Cash flow, Non-GAAP, KPIs, Capital & outlook, Analysis, Definitions, Checks");
    const after = await host();
    expect(after.sheets.map((sheet) => sheet.name)).toEqual(expected.sheets.map((sheet) => sheet.name));
    after.sheets.forEach(compare);
    // One sync to look for sheets of the same names, then one per sheet; each sheet written within a single sync.
    expect(after.syncs - before.syncs).toBe(1 + expected.sheets.length);
    for (const sheet of after.sheets) expect(sheet.syncs).toHaveLength(1);
    const income = after.sheets[1] as StubWorksheet;
    expect(income.name).toBe("Income statement");
    const totalFigure = expected.sheets[1]?.cells.find((cell) => cell.role === "total-figure");
    const row = totalFigure?.address.replace(/^[A-Z]+/, "");
    expect(income.formats).toContainEqual({ address: expect.stringMatching(new RegExp(`^C${row}:[A-Z]+${row}$`)), property: "font.bold", value: true });
    expect(income.formats).toContainEqual({ address: expect.stringMatching(new RegExp(`^C${row}:[A-Z]+${row}$`)), property: "borders.EdgeTop.style", value: "Continuous" });
    expect(income.formats).toContainEqual({ address: "A1", property: "font.size", value: ROLE_FORMATS.title.size });
    expect(income.columnWidths["A:A"]).toBe(Math.round(54 * 7 + 5) * 0.75);
    expect(income.frozen).toBe("at A1:B5");
    expect((after.sheets[9] as StubWorksheet).frozen).toBe("columns 1");
    // The first sheet written is the one shown: the cover.
    expect(after.activeSheet).toBe("Cover");
    expect(pageErrors).toEqual([]);
    console.log(`Insert model: ${expected.sheets.reduce((n, sheet) => n + sheet.cells.length, 0)} cells on ${expected.sheets.length} sheets written through the stub in ${elapsedMs} ms`);
  });

  it("asks before replacing sheets of the same names; Cancel leaves the workbook as it was", async () => {
    const before = await host();
    await page.locator("#insert-model").click();
    await page.locator("#model-confirm").waitFor({ state: "visible" });
    expect(await page.locator("#model-confirm-message").textContent()).toContain(
      "already has sheets named “Cover”, “Income statement”, “Balance sheet”, “Cash flow”, “Non-GAAP”, “KPIs”, “Capital & outlook”, “Analysis”, “Definitions”, “Checks”",
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("model-confirm-cancel");
    await page.keyboard.press("Enter");
    await page.locator("#model-confirm").waitFor({ state: "hidden" });
    expect(await page.locator("#model-status").textContent()).toBe("The model was not inserted; the workbook is unchanged.");
    const after = await host();
    expect(after.sheets).toEqual(before.sheets);
    expect(after.syncs - before.syncs).toBe(1);
  });

  it("replaces them when confirmed, still one sync per sheet", async () => {
    const before = await host();
    await page.locator("#insert-model").click();
    await page.locator("#model-confirm-replace").click();
    await settled(() => page.locator("#model-status").textContent(), (text) => String(text).startsWith("Inserted"), 20_000);
    const after = await host();
    expect(after.sheets.map((sheet) => sheet.name)).toEqual(expected.sheets.map((sheet) => sheet.name));
    after.sheets.forEach(compare);
    expect(after.syncs - before.syncs).toBe(1 + expected.sheets.length);
    for (const sheet of after.sheets) expect(sheet.syncs).toEqual([expect.any(Number)]);
    await page.screenshot({ path: join(RESULTS, "taskpane-insert-model.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
