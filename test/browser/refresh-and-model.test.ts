/**
 * Refresh and Insert model inside "Excel", in headless Chromium against the production build: office.js is replaced
 * by the host stub (support/excel-host-stub.ts), so src/addin/office.ts runs unchanged and the stub records syncs,
 * calculations (full, and ranges marked dirty and calculated), the worksheets written and the stored setting; the
 * QFIN functions are called as Excel calls them, through what the bundle registered with CustomFunctions.associate.
 *
 * The "host" publishes what the build emitted (data/latest.json → data/dataset.<sha12>.json) until a test replaces
 * those files through the harness: a newer dataset (the shipped one merged with a next-quarter release built from
 * it), a tampered copy, one that fails the loader's checks, an oversized one, a silent server, and the older shipped
 * dataset again (a rollback). The stub plays Manual calculation, an Excel without Range.setDirty (ExcelApi 1.8) and a
 * failing settings store where a test asks it to.
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
import { columnLetters, parseRange } from "../../src/excel/a1";
import { callsQfin } from "../../src/excel/formula-text";
import { MODEL_FONT, ROLE_STYLES as ROLE_FORMATS } from "../../src/models/cell-styles";
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

const FINAL_STAGES = ["up-to-date", "available", "applied", "dismissed", "failed"];

/** Clicks `selector` and returns every text the status line showed until it settled on a final stage. */
async function clickAndWatch(selector: string, timeoutMs = 20_000): Promise<string[]> {
  await page.evaluate(() => {
    const status = document.getElementById("refresh-status") as HTMLElement;
    const seen: string[] = [];
    (window as unknown as { __statusSeen: string[] }).__statusSeen = seen;
    new MutationObserver(() => seen.push(status.textContent ?? "")).observe(status, { childList: true, characterData: true, subtree: true });
    delete status.dataset.stage;
  });
  await page.locator(selector).click();
  await settled(() => page.locator("#refresh-status").getAttribute("data-stage"), (stage) => FINAL_STAGES.includes(String(stage)), timeoutMs);
  await settled(() => page.locator("#refresh").evaluate((button) => (button as HTMLElement & { disabled: boolean }).disabled), (disabled) => !disabled);
  return page.evaluate(() => (window as unknown as { __statusSeen: string[] }).__statusSeen.filter((text, index, all) => text !== "" && text !== all[index - 1]));
}

/** Checks for updates (the button) and returns the status texts shown. */
const checkAndWatch = (timeoutMs?: number): Promise<string[]> => clickAndWatch("#refresh", timeoutMs);

const stage = (): Promise<string | null> => page.locator("#refresh-status").getAttribute("data-stage");
const statusText = async (): Promise<string> => (await page.locator("#refresh-status").textContent()) ?? "";

/** Every cell address a list of `Sheet!A1:B2` ranges covers, as `Sheet!A1`. */
function cellsOf(ranges: readonly string[]): string[] {
  return ranges.flatMap((range) => {
    const [sheet, address] = range.split("!") as [string, string];
    const parsed = parseRange(address);
    if (!parsed) throw new Error(`not a range: ${range}`);
    const cells: string[] = [];
    for (let row = parsed.from.row; row <= parsed.to.row; row++) {
      for (let col = parsed.from.col; col <= parsed.to.col; col++) cells.push(`${sheet}!${columnName(col)}${row}`);
    }
    return cells;
  });
}
function columnName(col: number): string {
  let name = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The workbook's QFIN cells as the stub holds them (Sheet1 and the sheets added), as `Sheet!A1`, sorted. */
function qfinCellsOf(state: ExcelHostState): string[] {
  const sheets: [string, Record<string, string | number>][] = [["Sheet1", state.cells], ...state.sheets.map((sheet): [string, Record<string, string | number>] => [sheet.name, sheet.cells])];
  return sheets.flatMap(([name, cells]) => Object.entries(cells).filter(([, value]) => typeof value === "string" && value.startsWith("=") && callsQfin(value)).map(([address]) => `${name}!${address}`)).sort();
}

/** Reloads the pane as a fresh start of the runtime (the embedded dataset again), with the stub playing `config`. */
async function restart(config: Partial<Pick<ExcelHostState, "calculationMode" | "excelApi" | "storageFails" | "ignoresCalculation" | "cells">> = {}): Promise<void> {
  await page.evaluate((settings) => window.sessionStorage.setItem("__excelHostConfig", JSON.stringify(settings)), config);
  await page.reload();
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  await settled(stage, (value) => FINAL_STAGES.includes(String(value)), 20_000);
}

/** Sheet1 formulas an analyst typed: two QFIN cells, one formula on them, and a text that only spells QFIN. */
const ANALYST_CELLS = { B4: '=QFIN.METRIC("Total net revenue","latest")', C4: "=QFIN.VERSION()", D4: "=B4*2", B6: '="QFIN.METRIC("' };

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
    // The build writes revision 0 (ADDIN_DATA_REVISION unset); this file's own pointers leave it out, as pointers did
    // before corrections existed, which the add-in reads as 0.
    expect(JSON.parse(readFileSync(join(buildDir, "data/latest.json"), "utf8"))).toEqual({ ...JSON.parse(publication(bytes, shippedDataset()).pointer), revision: 0 });
  });
});

describe("at start and on demand, the add-in only checks", () => {
  it("checks the host silently at start: up to date, nothing downloaded, the version shown, automatic updates off", async () => {
    expect(await settled(stage, (value) => value === "up-to-date")).toBe("up-to-date");
    expect(requests).toContain("/data/latest.json");
    expect(datasetDownloads()).toEqual([]);
    expect(await statusText()).toBe("");
    expect(await page.locator("#version").textContent()).toBe(`Release 2023Q2 · 2023-08-21 · ${buildIndex(loadDataset(datasetJson)).itemsById.size} items, ${(datasetJson as { facts: unknown[] }).facts.length} figures · data ${shippedVersion}`);
    expect(await page.locator("#auto-apply-row").isVisible()).toBe(true);
    expect(await page.locator("#auto-apply").isChecked()).toBe(false);
    expect((await host()).storage).toEqual({});
    expect(pageErrors).toEqual([]);
  });

  it("says Up to date on Check for updates when the host has nothing newer, and downloads and recalculates nothing", async () => {
    const seen = await checkAndWatch();
    expect(seen).toEqual(["Checking for newer data…", "Up to date: release 2023Q2 (2023-08-21) is the newest data."]);
    expect(datasetDownloads()).toEqual([]);
    expect((await host()).calculations).toEqual([]);
  });

  it("refuses a tampered dataset (SHA-256 mismatch), says why, and the old data still answers", async () => {
    const bytes = Buffer.from(JSON.stringify(merged));
    const tampered = Buffer.from(bytes.toString("utf8").replace('"title":', '"title" :'));
    publish(tampered, merged, bytes);
    const seen = await checkAndWatch();
    expect(seen.at(-1)).toMatch(/^The check failed; still using release 2023Q2 \(2023-08-21\)\. The downloaded dataset of release 2023Q3 \(2023-11-20\) does not match its published fingerprint \(SHA-256\)/);
    expect(await page.locator("#refresh-status").getAttribute("class")).toContain("error");
    expect(await page.locator("#update-offer").isVisible()).toBe(false);
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
    const seen = await checkAndWatch();
    expect(seen.at(-1)).toMatch(/^The check failed; still using release 2023Q2 \(2023-08-21\)\. The downloaded dataset of release 2023Q3 \(2023-11-20\) failed its checks, so it was not used: /);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toEqual({ code: "#N/A" });
    expect(await call("VERSION")).toMatch(/^QFIN data: release 2023Q2 \(2023-08-21\)/);
  });

  it("refuses a dataset over the size limit (33 MB) and says how large it is", async () => {
    const version = publish(Buffer.from(JSON.stringify(merged)), merged);
    served.set(`/data/dataset.${version}.json`, { body: Buffer.alloc(33 * 1024 * 1024, 0x20) });
    const seen = await checkAndWatch();
    expect(seen.at(-1)).toBe(
      "The check failed; still using release 2023Q2 (2023-08-21). The dataset of release 2023Q3 (2023-11-20) is 33 MB, more than the 32 MB the add-in accepts, so it was not downloaded. Whoever hosts the add-in should check what they published.",
    );
    expect(await page.locator("#version").textContent()).toContain("Release 2023Q2 · 2023-08-21");
  });

  it("gives up on a server that never answers (15 s), says so, and the button works again", async () => {
    served.clear();
    served.set("/data/latest.json", { body: "", hang: true });
    const started = Date.now();
    const seen = await checkAndWatch(40_000);
    const waited = Date.now() - started;
    expect(seen).toEqual([
      "Checking for newer data…",
      "The check failed; still using release 2023Q2 (2023-08-21). The QFIN data server did not send the list of datasets (latest.json) within 15 seconds, so the add-in stopped waiting. Check the connection and try again later.",
    ]);
    expect(waited).toBeGreaterThanOrEqual(14_500);
    expect(await page.locator("#refresh").evaluate((button) => (button as HTMLElement & { disabled: boolean }).disabled)).toBe(false);
    served.clear();
  }, 60_000);
});

describe("Insert model inside Excel", () => {
  /** The model as the page builds it now (from the data loaded in the page). */
  let expected: AnalystModel;
  beforeAll(async () => {
    // Insert model uses the data in use; reload the page so it is the shipped dataset again (the host publishes it).
    served.clear();
    await page.reload();
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    await settled(stage, (value) => value === "up-to-date");
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
    // Laid out and printed as the .xlsx template is (src/workbook/write-template.ts reads the same ModelSheet).
    const wholeColumn = (column: number): string => `${columnLetters(column)}:${columnLetters(column)}`;
    expect({ sheet: sheet.name, hidden: sheet.hiddenColumns, grouped: sheet.grouped }).toEqual({ sheet: modelSheet.name, hidden: modelSheet.hiddenColumns.map(wholeColumn), grouped: modelSheet.hiddenColumns.map(wholeColumn) });
    for (const { row, height } of modelSheet.rowHeights) expect(sheet.formats).toContainEqual({ address: `${row}:${row}`, property: "rowHeight", value: height });
    expect(sheet.formats.slice(0, 2)).toEqual([
      { address: expect.stringMatching(/^A1:[A-Z]+\d+$/), property: "font.name", value: MODEL_FONT.name },
      { address: expect.stringMatching(/^A1:[A-Z]+\d+$/), property: "font.size", value: MODEL_FONT.size },
    ]);
    expect({ sheet: sheet.name, print: sheet.print }).toEqual({
      sheet: modelSheet.name,
      print: {
        orientation: "Landscape",
        zoom: { horizontalFitToPages: 1, verticalFitToPages: modelSheet.onePage ? 1 : 0 },
        ...(modelSheet.repeatRows ? { titleRows: `${modelSheet.repeatRows.first}:${modelSheet.repeatRows.last}` } : {}),
        ...(modelSheet.printArea ? { area: modelSheet.printArea } : {}),
        breaksBefore: modelSheet.pageBreaks.filter((row) => row > 1).map((row) => `A${row}`),
      },
    });
  };

  it("writes every sheet of buildAnalystModel with its exact formulas, number formats, font, bold totals, widths, hidden ids, frozen panes and print settings, in one sync per sheet and one for printing", async () => {
    const before = await host();
    const started = Date.now();
    await page.locator("#insert-model").click();
    const status = await settled(() => page.locator("#model-status").textContent(), (text) => String(text).startsWith("Inserted"), 20_000);
    const elapsedMs = Date.now() - started;
    expect(status).toContain("10 sheets: Cover, Income statement, Balance sheet, Cash flow, Non-GAAP, KPIs, Capital & outlook, Analysis, Definitions, Checks");
    // This Excel (ExcelApi 1.12) has no notes API; the pane says so, and where the definitions are instead.
    expect(status).toContain("This Excel did not take the cell notes with each KPI's definition (they need ExcelApi 1.18; the Definitions sheet has them).");
    const after = await host();
    expect(after.sheets.map((sheet) => sheet.name)).toEqual(expected.sheets.map((sheet) => sheet.name));
    after.sheets.forEach(compare);
    for (const sheet of after.sheets) expect(sheet.notes).toEqual([]);
    // One sync to look for sheets of the same names, one per sheet (each sheet's content within a single sync), and
    // one last for the print settings of all of them.
    expect(after.syncs - before.syncs).toBe(1 + expected.sheets.length + 1);
    const last = after.syncs;
    for (const sheet of after.sheets) expect(sheet.syncs).toEqual([expect.any(Number), last]);
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

  it("replaces them when confirmed, still one sync per sheet; an Excel with ExcelApi 1.18 gets each KPI's definition as a note", async () => {
    await page.evaluate(() => ((window as unknown as { __excelHost: ExcelHostState }).__excelHost.excelApi = 1.18));
    const before = await host();
    await page.locator("#insert-model").click();
    await page.locator("#model-confirm-replace").click();
    const status = await settled(() => page.locator("#model-status").textContent(), (text) => String(text).startsWith("Inserted"), 20_000);
    await page.evaluate(() => ((window as unknown as { __excelHost: ExcelHostState }).__excelHost.excelApi = 1.12));
    expect(status).not.toContain("did not take");
    const after = await host();
    expect(after.sheets.map((sheet) => sheet.name)).toEqual(expected.sheets.map((sheet) => sheet.name));
    after.sheets.forEach(compare);
    after.sheets.forEach((sheet, index) => {
      const notes = (expected.sheets[index]?.cells ?? []).flatMap((cell) => (cell.note === undefined ? [] : [{ address: cell.address, text: cell.note }]));
      expect({ sheet: sheet.name, notes: sheet.notes }).toEqual({ sheet: sheet.name, notes });
    });
    expect(after.sheets.find((sheet) => sheet.name === "KPIs")?.notes.length).toBeGreaterThan(0);
    expect(after.syncs - before.syncs).toBe(1 + expected.sheets.length + 1);
    for (const sheet of after.sheets) expect(sheet.syncs).toEqual([expect.any(Number), after.syncs]);
    await page.screenshot({ path: join(RESULTS, "taskpane-insert-model.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});

describe("newer data is offered and applied on the analyst's action", () => {
  let newerVersion: string;
  beforeAll(() => {
    newerVersion = publish(Buffer.from(JSON.stringify(merged)), merged);
  });

  it("offers the newer release with what it changes and what Apply will do, and changes nothing", async () => {
    // The analyst's own QFIN formulas beside the model's sheets (inserted above).
    await page.evaluate((cells) => Object.assign((window as unknown as { __excelHost: ExcelHostState }).__excelHost.cells, cells), ANALYST_CELLS);
    const seen = await checkAndWatch();
    expect(seen).toEqual(["Checking for newer data…", "Downloading release 2023Q3 (2023-11-20)…", "Checking release 2023Q3 (2023-11-20): its fingerprint, then every total…"]);
    expect(await stage()).toBe("available");
    expect(await page.locator("#update-offer").isVisible()).toBe(true);
    expect(await page.locator("#update-offer-message").textContent()).toBe(
      "Release 2023Q3 (2023-11-20) is available: adds Q3 2023, 9M 2023 and balances at Sep 30, 2023 (with Q3 2022, 9M 2022 and balances at Sep 30, 2022 for comparison); restates no figure.",
    );
    expect(await page.locator("#update-offer-plan").textContent()).toBe("Apply loads the data and recalculates the QFIN cells of this workbook and what depends on them; nothing else is recalculated.");
    expect(await page.locator("#update-restated").isVisible()).toBe(false);
    expect(datasetDownloads().at(-1)).toBe(`/data/dataset.${newerVersion}.json`);
    // Nothing changed: the data in use, the functions' answers, the workbook.
    expect(await page.locator("#version").textContent()).toContain(`Release 2023Q2 · 2023-08-21 · `);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toEqual({ code: "#N/A" });
    const state = await host();
    expect([state.calculations, state.dirtied, state.rangeCalculations]).toEqual([[], [], []]);
    await page.screenshot({ path: join(RESULTS, "taskpane-update-offer.png") });
  });

  it("Not now leaves everything as it was; the next check offers it again", async () => {
    const seen = await clickAndWatch("#update-dismiss");
    expect(seen.at(-1)).toBe("Not applied; still using release 2023Q2 (2023-08-21). Release 2023Q3 (2023-11-20) is offered again at the next check.");
    expect(await page.locator("#update-offer").isVisible()).toBe(false);
    expect(await call("VERSION")).toMatch(/^QFIN data: release 2023Q2 /);
    await checkAndWatch();
    expect(await stage()).toBe("available");
  });

  it("Apply (Automatic calculation) swaps the data and recalculates exactly the workbook's QFIN cells, no full calculation", async () => {
    const before = await host();
    const expected = qfinCellsOf(before);
    // The model's formulas on six sheets and the analyst's two on Sheet1; not D4 (=B4*2) nor the text in B6.
    expect(expected).toEqual(expect.arrayContaining(["Sheet1!B4", "Sheet1!C4"]));
    expect(expected).not.toContain("Sheet1!D4");
    expect(expected).not.toContain("Sheet1!B6");
    const seen = await clickAndWatch("#update-apply");
    const sheets = new Set(expected.map((cell) => cell.split("!")[0])).size;
    expect(seen).toEqual([
      "Loading release 2023Q3 (2023-11-20)…",
      `Recalculating ${expected.length} QFIN cells on ${sheets} ${sheets === 1 ? "sheet" : "sheets"}…`,
      `Updated to release 2023Q3 (2023-11-20): recalculated ${expected.length} QFIN cells on ${sheets} ${sheets === 1 ? "sheet" : "sheets"} and what depends on them.`,
    ]);
    const after = await host();
    expect(cellsOf(after.dirtied).sort()).toEqual(expected);
    expect(after.rangeCalculations).toEqual(after.dirtied);
    expect(after.calculations).toEqual([]);
    // "Excel" ran the function of every cell it calculated, and the add-in saw it do so before saying Updated.
    expect(after.functionRuns).toBe(expected.length);
    expect(await page.locator("#update-offer").isVisible()).toBe(false);
    expect(await page.locator("#cells-version").isVisible()).toBe(false);
    expect(await page.locator("#version").textContent()).toMatch(new RegExp(`^Release 2023Q3 · 2023-11-20 · \\d+ items, \\d+ figures · data ${newerVersion}$`));
    expect(await call("VERSION")).toMatch(/^QFIN data: releases 2023Q2 \(2023-08-21\), 2023Q3 \(2023-11-20\)/);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toBe(3914.324);
    expect(await call("METRIC", "Total net revenue", "latest")).toBe(3914.324);
    expect(pageErrors).toEqual([]);
  });

  it("refuses the older shipped dataset once the newer one is in use (no rollback), without downloading it", async () => {
    publish(readFileSync(join(PROJECT_ROOT, "data/dataset.json")), shippedDataset());
    const downloads = datasetDownloads().length;
    const seen = await checkAndWatch();
    expect(seen.at(-1)).toBe(
      "The check failed; still using release 2023Q3 (2023-11-20). The QFIN data server publishes release 2023Q2 (2023-08-21), which is older than release 2023Q3 (2023-11-20) in use. The add-in does not go back to older data, so nothing changed.",
    );
    expect(datasetDownloads()).toHaveLength(downloads);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toBe(3914.324);
  });
});

describe("Apply respects how Excel calculates", () => {
  beforeAll(() => {
    publish(Buffer.from(JSON.stringify(merged)), merged);
  });
  afterAll(async () => {
    await page.evaluate(() => window.sessionStorage.clear());
  });

  it("Manual calculation: the offer says so; Apply loads the data and only marks the QFIN cells; both versions are shown", async () => {
    await restart({ calculationMode: "Manual", cells: { ...ANALYST_CELLS } });
    expect(await stage()).toBe("available");
    expect(await page.locator("#update-offer-plan").textContent()).toBe(
      "Calculation is Manual: Apply loads the data and marks the QFIN cells; they show it at your next calculation (F9). Nothing is recalculated now.",
    );
    const seen = await clickAndWatch("#update-apply");
    expect(seen.at(-1)).toBe(
      "Loaded release 2023Q3 (2023-11-20). Calculation is Manual, so nothing was recalculated: the cells keep release 2023Q2 (2023-08-21) until your next calculation (F9), which recalculates the 2 QFIN cells on 1 sheet marked for it.",
    );
    const state = await host();
    expect(cellsOf(state.dirtied).sort()).toEqual(["Sheet1!B4", "Sheet1!C4"]);
    expect(state.rangeCalculations).toEqual([]);
    expect(state.calculations).toEqual([]);
    expect(await page.locator("#version").textContent()).toContain("Release 2023Q3 · 2023-11-20");
    expect(await page.locator("#cells-version").textContent()).toMatch(
      new RegExp(`^Cells calculated before \\d\\d:\\d\\d keep release 2023Q2 \\(2023-08-21\\), data ${shippedVersion}, until they are calculated again \\(F9\\)\\. =QFIN\\.VERSION\\(\\) in a cell shows the data it was calculated with\\.$`),
    );
    await page.screenshot({ path: join(RESULTS, "taskpane-manual-applied.png") });
  });

  it("an Excel that can only calculate everything (ExcelApi 1.8): Apply asks first; Cancel changes nothing; agreeing runs one full calculation", async () => {
    await restart({ calculationMode: "Automatic", excelApi: 1.8, cells: { ...ANALYST_CELLS } });
    expect(await page.locator("#update-offer-plan").textContent()).toBe(
      "This version of Excel can re-run QFIN formulas only with a full calculation of every open workbook; Apply asks before it does that.",
    );
    await page.locator("#update-apply").click();
    await page.locator("#update-confirm").waitFor({ state: "visible" });
    await page.screenshot({ path: join(RESULTS, "taskpane-full-calculation-question.png") });
    expect(await page.locator("#update-confirm-message").textContent()).toContain("recalculating every formula in every open workbook (a full calculation, like Ctrl+Alt+F9)");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("update-confirm-cancel");
    await page.keyboard.press("Escape");
    await page.locator("#update-confirm").waitFor({ state: "hidden" });
    expect(await statusText()).toBe("Not applied; still using release 2023Q2 (2023-08-21). The offer stays: Apply when a full calculation suits you.");
    expect((await host()).calculations).toEqual([]);
    expect(await call("VERSION")).toMatch(/^QFIN data: release 2023Q2 /);
    expect(await page.locator("#update-offer").isVisible()).toBe(true);
    await page.locator("#update-apply").click();
    await page.locator("#update-confirm-replace").click();
    await settled(stage, (value) => value === "applied");
    expect(await statusText()).toBe("Updated to release 2023Q3 (2023-11-20): every open workbook was recalculated.");
    const state = await host();
    expect(state.calculations).toEqual(["Full"]);
    expect(state.dirtied).toEqual([]);
  });

  it("an Excel whose calculation did not re-run the QFIN cells: the pane does not claim it did, and says how to catch up", async () => {
    await restart({ calculationMode: "Automatic", ignoresCalculation: true, cells: { ...ANALYST_CELLS } });
    const started = Date.now();
    const seen = await clickAndWatch("#update-apply");
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(seen.at(-1)).toBe(
      "Loaded release 2023Q3 (2023-11-20) and asked Excel to recalculate 2 QFIN cells on 1 sheet, but it has not re-run any of them within 5 seconds. If the cells still show release 2023Q2 (2023-08-21), recalculate everything with Ctrl+Alt+F9 (QFIN now answers from the newer data).",
    );
    expect(await page.locator("#refresh-status").getAttribute("class")).not.toContain("error");
    expect(await page.locator("#cells-version").textContent()).toMatch(/keep release 2023Q2 \(2023-08-21\), data [0-9a-f]{12}, until they are calculated again \(Ctrl\+Alt\+F9\)\./);
    expect(cellsOf((await host()).rangeCalculations).sort()).toEqual(["Sheet1!B4", "Sheet1!C4"]);
  }, 60_000);

  it("Apply newer data automatically: stored for the analyst, off by default; at the next start newer data is applied without a click", async () => {
    await restart({ calculationMode: "Automatic", cells: { ...ANALYST_CELLS } });
    expect(await stage()).toBe("available");
    await page.locator("#auto-apply").check();
    expect(await settled(async () => (await host()).storage, (value) => value["qfin.applyNewerDataAutomatically"] === "on")).toEqual({ "qfin.applyNewerDataAutomatically": "on" });
    expect(await page.locator("#auto-apply-note").textContent()).toContain("From the next start, newer data is applied as soon as it is checked");
    await restart({ calculationMode: "Automatic", cells: { ...ANALYST_CELLS } });
    expect(await stage()).toBe("applied");
    expect(await statusText()).toBe("Updated to release 2023Q3 (2023-11-20): recalculated 2 QFIN cells on 1 sheet and what depends on them.");
    expect(await page.locator("#auto-apply").isChecked()).toBe(true);
    expect(cellsOf((await host()).dirtied).sort()).toEqual(["Sheet1!B4", "Sheet1!C4"]);
    expect(await call("METRIC", "Total net revenue", "2023Q3")).toBe(3914.324);
  });

  it("…but never runs a full calculation unasked: where only that would show the data, it offers instead", async () => {
    await restart({ calculationMode: "Automatic", excelApi: 1.8 });
    expect(await stage()).toBe("available");
    expect(await page.locator("#update-offer-plan").textContent()).toMatch(/^Not applied automatically: This version of Excel can re-run QFIN formulas only with a full calculation/);
    expect((await host()).calculations).toEqual([]);
    expect(await call("VERSION")).toMatch(/^QFIN data: release 2023Q2 /);
  });

  it("says so when the setting cannot be kept, and it stays as it was", async () => {
    await restart({ calculationMode: "Automatic", storageFails: "QuotaExceeded" });
    expect(await page.locator("#auto-apply-note").textContent()).toBe("Could not read this setting (QuotaExceeded), so newer data waits for Apply.");
    expect(await stage()).toBe("available");
    // click, not check(): the box is meant to spring back.
    await page.locator("#auto-apply").click();
    expect(await settled(() => page.locator("#auto-apply-note").textContent(), (text) => String(text).startsWith("Could not save"))).toBe("Could not save this setting (QuotaExceeded); it stays off.");
    expect(await page.locator("#auto-apply").isChecked()).toBe(false);
    expect(pageErrors).toEqual([]);
  });
});
