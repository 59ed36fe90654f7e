/**
 * Link this workbook inside "Excel", in headless Chromium against the production build: office.js is replaced by the
 * host stub (support/excel-host-stub.ts), seeded with the analyst models of test/retrofit, so the pane's panel and the
 * add-in's Office adapter (src/addin/office.ts) run unchanged above it. The pane must ask before writing anything,
 * write exactly the formulas `qfin retrofit` expects for those sheets (one round trip to read the targets, one to
 * write), leave a cell the analyst changed meanwhile as it is, and say outside Excel that it needs Excel.
 */
import { join } from "path";
import type { Page } from "playwright-core";
import { isoDateToSerial } from "../../src/core/excel-date";
import { PROJECT_ROOT } from "../addin/build-addin";
import { ANALYST_MODEL } from "../retrofit/analyst-models";
import { gridCells, type GridSheet } from "../retrofit/grid";
import { settled } from "./support/browser-harness";
import { paneBrowser, type OpenedPane } from "./support/pane-browser";
import { EXCEL_HOST_STUB, type ExcelHostState } from "./support/excel-host-stub";

const RESULTS = join(PROJECT_ROOT, "test-results");

const panes = paneBrowser();

/** A grid sheet as the stub holds a sheet: formulas or constants, number formats, and the values formulas show. */
function stubSheet(sheet: GridSheet): { cells: Record<string, string | number>; formats: Record<string, string>; values: Record<string, string | number> } {
  const cells: Record<string, string | number> = {};
  const formats: Record<string, string> = {};
  const values: Record<string, string | number> = {};
  for (const { address, cell } of gridCells(sheet)) {
    if (typeof cell === "number" || typeof cell === "string") cells[address] = cell;
    else if (cell !== null && "f" in cell) {
      cells[address] = `=${cell.f}`;
      values[address] = cell.v;
    } else if (cell !== null && "date" in cell) {
      cells[address] = isoDateToSerial(cell.date);
      formats[address] = cell.fmt;
    } else if (cell !== null) {
      cells[address] = cell.n;
      formats[address] = cell.fmt;
    }
  }
  return { cells, formats, values };
}

/** What `qfin retrofit` links in these sheets: `Sheet!A1` → formula. */
const EXPECTED = Object.fromEntries(
  ANALYST_MODEL.flatMap(({ sheet, outcomes }) => Object.entries(outcomes).flatMap(([cell, outcome]) => (typeof outcome === "string" ? [[`${sheet.name}!${cell}`, outcome]] : []))),
);

const openPane = (officeJs?: string): Promise<OpenedPane> => panes.open({ viewport: { width: 340, height: 900 }, ...(officeJs ? { officeJs } : {}) });

describe("Link this workbook inside Excel", () => {
  let page: Page;
  let errors: string[];
  const host = (): Promise<ExcelHostState> => page.evaluate(() => (window as unknown as { __excelHost: ExcelHostState }).__excelHost);

  beforeAll(async () => {
    ({ page, errors } = await openPane(EXCEL_HOST_STUB));
    for (const { sheet } of ANALYST_MODEL) {
      const { cells, formats, values } = stubSheet(sheet);
      await page.evaluate(
        ([name, cells, formats, values]) => (window as unknown as { __excelHostSeed: (...args: unknown[]) => void }).__excelHostSeed(name, cells, formats, values),
        [sheet.name, cells, formats, values] as const,
      );
    }
  }, 120_000);

  it("asks first, saying how many cells on how many sheets; Cancel writes nothing", async () => {
    const before = await host();
    await page.locator("#link-workbook").click();
    await page.locator("#link-confirm").waitFor({ state: "visible" });
    const linked = Object.keys(EXPECTED).length;
    const sheets = new Set(Object.keys(EXPECTED).map((cell) => cell.split("!")[0])).size;
    expect(await page.locator("#link-confirm-message").textContent()).toMatch(new RegExp(`^Link ${linked} cells on ${sheets} sheets\\? Each typed number becomes a QFIN formula that gives back the same number`));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("link-confirm-cancel");
    // The list shows what would be linked and what is left alone, before anything is written.
    expect(await page.locator("#link-results li.not-linked").count()).toBeGreaterThan(10);
    await page.keyboard.press("Enter");
    await page.locator("#link-confirm").waitFor({ state: "hidden" });
    expect(await page.locator("#link-status").textContent()).toBe("Nothing was linked; the workbook is unchanged.");
    const after = await host();
    expect(after.cellWrites).toEqual([]);
    expect(after.sheets.map((sheet) => sheet.cells)).toEqual(before.sheets.map((sheet) => sheet.cells));
  });

  it("writes exactly the formulas qfin retrofit finds, in one round trip after reading the targets, and leaves a cell edited meanwhile", async () => {
    await page.locator("#link-workbook").click();
    await page.locator("#link-confirm").waitFor({ state: "visible" });
    // The analyst retypes a number while the question is open: that cell must be left as they typed it.
    await page.evaluate(() => {
      const state = (window as unknown as { __excelHost: ExcelHostState }).__excelHost;
      const sheet = state.sheets.find((candidate) => candidate.name === "P&L");
      if (sheet) sheet.cells.F17 = 1093.5;
    });
    const syncsBefore = (await host()).syncs;
    await page.locator("#link-confirm-replace").click();
    const status = await settled(() => page.locator("#link-status").textContent(), (text) => String(text).startsWith("Linked"), 20_000);
    const after = await host();
    const expected = { ...EXPECTED };
    delete expected["P&L!F17"];
    expect(Object.fromEntries(after.cellWrites.map((write) => [write.address, write.formula]))).toEqual(expected);
    expect(after.cellWrites).toHaveLength(Object.keys(expected).length);
    expect(new Set(after.cellWrites.map((write) => write.sync)).size).toBe(1);
    expect(after.syncs - syncsBefore).toBe(2);
    expect(after.sheets.find((sheet) => sheet.name === "P&L")?.cells.F17).toBe(1093.5);
    expect(status).toMatch(new RegExp(`^Linked ${Object.keys(expected).length} cells: each shows the number it held, now from a QFIN formula\\. Linked ${Object.keys(EXPECTED).length} of \\d+ candidate figures among \\d+ typed numbers on 7 sheets`));
    expect(status).toMatch(/ 1 cell changed since it was read and was left as it is: P&L!F17\.$/);
    expect(await page.locator("#link-results li.linked").count()).toBe(Object.keys(expected).length);
    await page.screenshot({ path: join(RESULTS, "taskpane-link-workbook.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("run again, finds nothing left to link: the linked cells are formulas now", async () => {
    const writes = (await host()).cellWrites.length;
    await page.locator("#link-workbook").click();
    // The workbook's empty Sheet1 and the six model sheets; what is left are the refusals of the first run and the
    // edited cell (1093.5, not the release's figure), so nothing is asked.
    const status = await settled(() => page.locator("#link-status").textContent(), (text) => String(text).includes("Nothing to link"), 20_000);
    expect(status).toMatch(/^Linked 0 of \d+ candidate figures among \d+ typed numbers on 7 sheets .*; \d+ not linked: .*2 not the release's figure.* Nothing to link; the workbook is unchanged\.$/);
    expect(await page.locator("#link-confirm").isVisible()).toBe(false);
    expect((await host()).cellWrites).toHaveLength(writes);
  });
});

describe("Link this workbook outside Excel", () => {
  it("says it needs Excel and points to qfin retrofit", async () => {
    const { page, errors } = await openPane();
    await page.locator("#link-workbook").click();
    expect(await page.locator("#link-status").textContent()).toBe(
      "Link this workbook reads and rewrites the open Excel workbook, so it needs Excel. Outside it, use qfin retrofit MODEL.xlsx --out LINKED.xlsx.",
    );
    expect(errors).toEqual([]);
  });
});
