/**
 * Tracing a figure to its release line, and the workbench, in headless Chromium against the production build:
 *  - inside "Excel" (office.js replaced by the host stub, so src/addin/office.ts runs unchanged): selecting a cell
 *    whose formula calls QFIN shows that figure, its source and the release text around its line with the figure
 *    marked; the formula's cell references are read through the adapter; a spilled cell is traced to its element; a
 *    cell calculated with other data says so; a cell without QFIN hides the trace;
 *  - in the standalone preview: the workbench traces its formula; a formula that does not parse shows its error and
 *    clears the old result; pasted curly quotes and `;` separators are read and said so; spills fit the pane's width
 *    and a long one is capped with a count.
 */
import { join } from "path";
import type { Page } from "playwright-core";
import { PROJECT_ROOT } from "../addin/build-addin";
import { settled, type OfflineContextOptions } from "./support/browser-harness";
import { paneBrowser, type OpenedPane } from "./support/pane-browser";
import { EXCEL_HOST_STUB, type ExcelHostState } from "./support/excel-host-stub";

const RESULTS = join(PROJECT_ROOT, "test-results");
const VIEWPORT = { width: 350, height: 800 };

const panes = paneBrowser();

const open = (options: OfflineContextOptions = {}): Promise<OpenedPane> => panes.open({ viewport: VIEWPORT, ...options });
/** Everything the page reported as wrong: uncaught exceptions and logged errors (a failed fetch logs one). */
const problems = (pane: OpenedPane): string[] => [...pane.errors, ...pane.consoleErrors];

/** The marked text on the quoted line, once the release text has arrived. */
const markedText = (page: Page, scope: string): Promise<string[]> =>
  settled(
    () => page.locator(`${scope} .quote-line.focus mark`).allTextContents(),
    (marks) => marks.length > 0,
    10_000,
  );

describe("inside Excel: the selected cell traced to its release line", () => {
  let page: Page;
  let pane: OpenedPane;
  let requests: string[];
  const host = (): Promise<ExcelHostState> => page.evaluate(() => (window as unknown as { __excelHost: ExcelHostState }).__excelHost);
  /** Puts cells on Sheet1 (formulas with what they show) and selects one, as an analyst clicking it. */
  const select = (address: string, cells: Record<string, string>, values: Record<string, number | string> = {}, spills: Record<string, string> = {}): Promise<void> =>
    page.evaluate(
      ({ address, cells, values, spills }) => {
        const state = (window as unknown as { __excelHost: ExcelHostState }).__excelHost;
        Object.assign(state.cells, cells);
        Object.assign(state.values, values);
        Object.assign(state.spills, spills);
        (window as unknown as { __excelSelect: (address: string) => void }).__excelSelect(address);
      },
      { address, cells, values, spills },
    );

  beforeAll(async () => {
    pane = await open({ officeJs: EXCEL_HOST_STUB });
    ({ page, requests } = pane);
  }, 120_000);

  it("follows the selection through the adapter, and shows nothing for a cell without a QFIN formula", async () => {
    expect(await settled(async () => (await host()).selectionHandlers, (count) => count === 1)).toBe(1);
    expect(await page.locator("#trace").isVisible()).toBe(false);
    await select("A6", { A6: "Net income" });
    await page.waitForTimeout(100);
    expect(await page.locator("#trace").isVisible()).toBe(false);
    expect(problems(pane)).toEqual([]);
  });

  it("shows the figure of =QFIN.METRIC($A6,C$4), its source and line 292 of the release with 1,093,377 marked", async () => {
    await select("C6", { A6: "Net income", C4: "Q2 2023", C6: "=QFIN.METRIC($A6,C$4)" }, { C6: 1093.377 });
    await page.locator("#trace").waitFor({ state: "visible" });
    expect(await page.locator("#trace .cell-line").textContent()).toBe("Sheet1!C6 =QFIN.METRIC($A6,C$4)");
    expect(await page.locator("#trace .traced h3").textContent()).toBe("Net income · Q2 2023");
    expect(await page.locator("#trace .traced .cell-formula").textContent()).toBe('QFIN.METRIC("Net income","Q2 2023")');
    expect(await page.locator("#trace .figure").textContent()).toBe("1,093.377 RMB millions");
    expect(await page.locator("#trace .traced .source").textContent()).toBe(
      '2023Q2 release, Unaudited Condensed Consolidated Statements of Operations, row "Net income", column "Three months ended June 30, 2023 (RMB)", line 292',
    );
    expect(await markedText(page, "#trace")).toEqual(["1,093,377"]);
    expect(await page.locator("#trace .quote-line.focus .line-number").textContent()).toBe("292");
    expect(await page.locator("#trace .quote-line .line-number").allTextContents()).toEqual(["291", "292", "293"]);
    // The references were read from the sheet in one round trip; the text came from the add-in's own host.
    const reads = (await host()).reads.filter((read) => read.endsWith(" values"));
    expect(reads).toEqual(expect.arrayContaining(["Sheet1!A6 values", "Sheet1!C4 values"]));
    expect(requests.filter((path) => path.startsWith("/data/releases/"))).toEqual([expect.stringMatching(/^\/data\/releases\/2023Q2\.[0-9a-f]{12}\.txt$/)]);
    expect(await page.locator("#trace .problem").count()).toBe(0);
  });

  it("says when the cell shows a figure other than the data's, and traces each QFIN call of a formula", async () => {
    await select("D6", { D6: '=QFIN.METRIC("Net income","Q2 2023")' }, { D6: 974.956 });
    expect(await settled(() => page.locator("#trace .problem").textContent().catch(() => ""), (text) => String(text).includes("calculated with other data"))).toContain(
      "The cell shows 974.956, calculated with other data than the pane's (1093.377)",
    );
    await select("E6", { E6: '=QFIN.METRIC("Net income","Q2 2023")/QFIN.METRIC("Total net revenue","Q2 2023")' }, { E6: 0.27933 });
    expect(await settled(() => page.locator("#trace .traced h3").allTextContents(), (titles) => titles.length === 2)).toEqual(["Net income · Q2 2023", "Total net revenue · Q2 2023"]);
    expect(await page.locator("#trace .problem").count()).toBe(0);
  });

  it("traces a growth rate to both figures it compares", async () => {
    await select("F6", { F6: '=QFIN.GROWTH("Total net revenue","Q2 2023")' }, { F6: -0.0643 });
    expect(await settled(() => page.locator("#trace .traced h3").textContent(), (title) => title === "Total net revenue · YoY growth, Q2 2023")).toBe("Total net revenue · YoY growth, Q2 2023");
    expect(await page.locator("#trace .traced .source").textContent()).toContain("3,914,324 ÷ 4,183,199 − 1");
    expect(await settled(() => page.locator("#trace .quote-line.focus mark").allTextContents(), (marks) => marks.length === 2)).toEqual(["3,914,324", "4,183,199"]);
  });

  it("traces a cell a SERIES spills into as the figure of its period (ExcelApi 1.12's spill parent)", async () => {
    await select("D11", { B10: '=QFIN.SERIES("Net income",,,,TRUE)' }, { D11: 929.822 }, { D11: "B10" });
    expect(await settled(() => page.locator("#trace .traced h3").textContent(), (title) => title === "Net income · Q1 2023")).toBe("Net income · Q1 2023");
    expect(await page.locator("#trace .cell-line").textContent()).toBe('Sheet1!D11 (spilled from B10) =QFIN.SERIES("Net income",,,,TRUE)');
    expect(await page.locator("#trace .figure").textContent()).toBe("929.822 RMB millions");
    expect(await page.locator("#trace .traced .source").textContent()).toContain("derived: H1 2023 − Q2 2023 = 2,023,199 − 1,093,377");
    // A derived quarter: its line's figures it was derived from are marked.
    expect(await settled(() => page.locator("#trace .quote-line.focus mark").allTextContents(), (marks) => marks.length === 2)).toEqual(["1,093,377", "2,023,199"]);
  });

  it("opens the traced line's details on request, and takes no screen once the selection moves off QFIN", async () => {
    await select("C6", {});
    await page.locator("#trace .open-item").click();
    expect(await settled(() => page.locator("#details-title").textContent(), (title) => title === "Net income")).toBe("Net income");
    await select("A6", {});
    expect(await settled(() => page.locator("#trace").isVisible(), (visible) => !visible)).toBe(false);
    await page.screenshot({ path: join(RESULTS, "taskpane-trace-excel.png"), fullPage: true });
    expect(problems(pane)).toEqual([]);
  });
});

describe("in the preview: the workbench", () => {
  let page: Page;
  let pane: OpenedPane;
  const evaluate = async (formula: string): Promise<void> => {
    await page.locator("#formula").fill(formula);
    await page.locator("#evaluate").click();
  };
  const result = (): Promise<string> => page.locator("#result").textContent().then((text) => text ?? "");

  beforeAll(async () => {
    pane = await open();
    ({ page } = pane);
  }, 120_000);

  it("traces its formula to the release line too", async () => {
    expect(await settled(result, (text) => text === "2186.754")).toBe("2186.754");
    await page.locator("#workbench-trace").waitFor({ state: "visible" });
    expect(await page.locator("#workbench-trace .cell-line").textContent()).toBe('The workbench =QFIN.METRIC("Net income","Q2 2023")*2');
    expect(await markedText(page, "#workbench-trace")).toEqual(["1,093,377"]);
  });

  it("shows why a formula does not parse and clears the old result, in the production build", async () => {
    await evaluate("=SUM(1,2");
    expect(await settled(result, (text) => text.startsWith("Not evaluated"))).toBe("Not evaluated: Cannot evaluate =SUM(1,2: syntax error at character 9: the formula ends too early.");
    expect(await result()).not.toContain("2186.754");
    expect(await page.locator("#workbench-trace").isVisible()).toBe(false);
    await evaluate("Net income");
    expect(await settled(result, (text) => text.includes("is text, not a formula"))).toBe(
      'Not evaluated: "Net income" is text, not a formula: a formula starts with =, as in a cell. For this line\'s figure, try =QFIN.METRIC("Net income","latest").',
    );
    expect(problems(pane)).toEqual([]);
  });

  it("reads curly quotes pasted from Word and ; separators, and says how it read them", async () => {
    await evaluate("=QFIN.METRIC(“Net income”;“Q1 2023”)");
    expect(await settled(result, (text) => text === "929.822")).toBe("929.822");
    expect(await page.locator("#formula-note").textContent()).toBe(
      'Read as =QFIN.METRIC("Net income","Q1 2023") (curly quotes read as straight quotes; ; read as the argument separator , (Excel in English separates arguments with commas)).',
    );
  });

  it("fits a two-column spill to the width with its values visible, and caps a long one with a count", async () => {
    await evaluate('=QFIN.STATEMENT("Operations","Q2 2023")');
    await settled(result, (text) => text.startsWith("Spills"));
    const layout = await page.evaluate(() => {
      const box = (document.getElementById("result") as HTMLElement).getBoundingClientRect();
      const numbers = [...document.querySelectorAll<HTMLElement>("#result td.number")].map((cell) => cell.getBoundingClientRect());
      return { numbers: numbers.length, outside: numbers.filter((cell) => cell.right > box.right + 0.5 || cell.left < box.left).length, scrolls: (document.getElementById("result") as HTMLElement).scrollWidth > box.width + 1 };
    });
    expect(layout).toEqual({ numbers: expect.any(Number), outside: 0, scrolls: false });
    expect(layout.numbers).toBeGreaterThan(10);
    await evaluate("=QFIN.CHECK()");
    expect(await settled(() => page.locator("#result .spill-size").textContent(), (text) => String(text).includes("rows shown"))).toMatch(/^Spills (\d+) × 3 · first 20 rows shown, \d+ more in Excel$/);
    expect(await page.locator("#result tr").count()).toBe(20);
    expect(await page.locator("#result").evaluate((element) => element.getBoundingClientRect().height)).toBeLessThan(2000);
    await page.screenshot({ path: join(RESULTS, "taskpane-workbench-spill.png"), fullPage: true });
    expect(problems(pane)).toEqual([]);
  });
});
