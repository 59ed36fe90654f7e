/**
 * The taskpane in headless Chromium, against the production build served locally (office.js from npm in place of
 * Microsoft's CDN, nothing else reachable):
 *  - the standalone preview (no Office host): browse, search, inspect, keyboard, insert into the workbench;
 *  - inside "Excel": office.js is replaced by a host stub (test/browser/support/excel-host-stub.ts), so the pane's
 *    own adapter src/taskpane/excel.ts runs unchanged and its writes are recorded at the host boundary;
 *  - a dataset with a crafted label, delivered the way a dataset reaches the pane (inside the functions bundle it
 *    loads and validates), must render as text.
 * Screenshots go to test-results/.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import type { Page } from "playwright-core";
import { PROJECT_ROOT } from "../addin/build-addin";
import { settled, type OfflineContextOptions } from "./support/browser-harness";
import { paneBrowser, type OpenedPane } from "./support/pane-browser";
import { EXCEL_HOST_STUB, type ExcelHostState } from "./support/excel-host-stub";

const RESULTS = join(PROJECT_ROOT, "test-results");
const VIEWPORT = { width: 340, height: 900 };
const CRAFTED = "<img src=x onerror=window.__qfinInjected=1>Referral <b>fees</b>";

const panes = paneBrowser();
type PaneSession = OpenedPane;
const openPane = (options: OfflineContextOptions = {}): Promise<PaneSession> => panes.open({ viewport: VIEWPORT, ...options });
const cspViolations = (session: PaneSession): string[] => session.consoleErrors.filter((message) => /Content Security Policy/i.test(message));

const screenshot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(RESULTS, `taskpane-${name}.png`), fullPage: true });

async function typeSearch(page: Page, text: string): Promise<void> {
  const input = page.locator("#search input");
  await input.fill("");
  await input.pressSequentially(text);
}

const resultLabels = (page: Page): Promise<string[]> => page.locator("#results [role=option] .result-label").allTextContents();

async function chooseBySearch(page: Page, query: string, label: string): Promise<void> {
  await typeSearch(page, query);
  const exactly = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  await page.locator("#results [role=option]", { has: page.locator(".result-label", { hasText: exactly }) }).first().click();
  await page.waitForFunction((expected) => document.getElementById("details-title")?.textContent === expected, label);
}

/** The text of a figures-table row: period label, then its cells. */
async function figureRow(page: Page, period: string): Promise<string[]> {
  const row = page.locator("#details table.figures:not(.ratios) tbody tr", { has: page.locator(`button.period[data-period="${period}"]`) });
  return row.locator("th, td").allTextContents();
}

beforeAll(() => mkdirSync(RESULTS, { recursive: true }));

describe("the standalone preview (no Office host)", () => {
  let session: PaneSession;
  let page: Page;
  beforeAll(async () => {
    session = await openPane();
    page = session.page;
  }, 120_000);

  it("starts without script errors or CSP violations, under a strict policy, and shows the dataset version", async () => {
    expect(session.errors).toEqual([]);
    expect(cspViolations(session)).toEqual([]);
    const policy = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")) ?? "";
    const scriptSources = policy.split(";").find((directive) => directive.trim().startsWith("script-src")) ?? "";
    expect(scriptSources).toContain("'self'");
    expect(scriptSources).not.toMatch(/unsafe-(eval|inline)/);
    expect(policy).toContain("object-src 'none'");
    expect(await page.locator("#version").textContent()).toContain("Release 2023Q2 · 2023-08-21");
    expect(await page.locator("#mode").textContent()).toContain("Standalone preview");
    expect(await page.locator("#workbench").isVisible()).toBe(true);
  });

  it("browses the statements in the release's order and expands them", async () => {
    const statements = page.locator("#tree > fluent-tree-item");
    expect(await statements.evaluateAll((items) => items.map((item) => item.firstChild?.textContent))).toEqual([
      "Balance sheet",
      "Operations",
      "Cash flows",
      "Comprehensive income",
      "Non-GAAP",
      "KPI",
      "Capital",
    ]);
    const operations = page.locator('#tree [data-key="statement:operations"]');
    const credit = page.locator('#tree [data-key="item:ops.credit_driven_services"]');
    expect(await credit.isVisible()).toBe(false);
    await operations.click();
    expect(await settled(() => operations.getAttribute("aria-expanded").catch(() => null), (value) => JSON.stringify(value) !== JSON.stringify("false"))).not.toBe("false");
    expect(await operations.evaluate((item) => (item as HTMLElement & { expanded: boolean }).expanded)).toBe(true);
    await credit.waitFor({ state: "visible" });
    await credit.click();
    await page.locator('#tree [data-key="item:ops.financing_income"]').waitFor({ state: "visible" });
    // Lines go by their short names; the release's label is kept as the node's title and under the details' heading.
    expect(await page.locator("#details-title").textContent()).toBe("Credit-driven services");
    expect(await page.locator("#details .release-label").textContent()).toBe("In the release: “Credit driven services”");
    expect(await credit.getAttribute("title")).toBe("Credit driven services");
    await screenshot(page, "tree");
  });

  it("finds the delinquency KPIs as you type, by their short names with the release's label and statement beside them", async () => {
    await typeSearch(page, "delinquency");
    const labels = await resultLabels(page);
    expect(labels.slice(0, 2).sort()).toEqual(["90+ DPD", "Day-1 delinquency"]);
    const contexts = await page.locator("#results [role=option] .result-context").allTextContents();
    expect(contexts.slice(0, 2).sort()).toEqual(["90 day+ delinquency rate · KPI", "Day-1 delinquency rate · KPI"]);
    expect(await page.locator("#tree").isVisible()).toBe(false);
  });

  it("puts Diluted EPS (ADS) first for eps, and folds the list away once a result is chosen", async () => {
    await typeSearch(page, "eps");
    expect((await resultLabels(page))[0]).toBe("Diluted EPS (ADS)");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("details-title")?.textContent === "Diluted EPS (ADS)");
    expect(await page.locator("#results").isVisible()).toBe(false);
    expect(await page.locator("#search-hint").textContent()).toMatch(/^Diluted EPS \(ADS\) chosen · ↓ shows the \d+ matches again$/);
    // The details come to the top of the pane, not only into view.
    expect(await page.locator("#details-title").evaluate((title) => Math.round(title.getBoundingClientRect().top))).toBeLessThanOrEqual(12);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("details-title");
    await page.locator("#search input").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.locator("#results").isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-item-id"))).toBe("ops.net_income_per_ads_diluted");
  });

  it("still finds Total net revenue with a typo, first, and says what it searched for", async () => {
    await typeSearch(page, "total net revnue");
    expect((await resultLabels(page))[0]).toBe("Total net revenue");
    expect(await page.locator("#search-hint").textContent()).toContain("total net revenue");
  });

  it("shows an item's figures in RMB and US$, how each was obtained, growth, margin, chart, definition and source", async () => {
    await chooseBySearch(page, "net income", "Net income");
    expect(await figureRow(page, "2023Q2")).toEqual(["Q2 2023", "1,093.377", "150.782"]);
    const q1 = await figureRow(page, "2023Q1");
    expect(q1[1]).toMatch(/^929\.822\s+D$/);
    expect(await page.locator("#details .context").textContent()).toBe("Operations");
    // Growth and margin as the core answers them: the release states the 27.9% net income margin (S).
    const ratios = await page.locator('#details table.ratios tbody tr[data-period="2023Q2"] td').allTextContents();
    expect(ratios).toEqual([expect.stringMatching(/^-?\d+\.\d%$/), "17.6%", "27.9% S"]);
    // The grid runs in order, quarters then half years, with the periods the data lacks marked.
    const grid = await page.locator("#details table.figures-main tbody tr").evaluateAll((rows) =>
      rows.map((row) => (row.classList.contains("group") ? `[${row.textContent}]` : row.classList.contains("gap") ? `(${row.querySelector("th")?.textContent})` : (row.querySelector("th")?.textContent ?? ""))),
    );
    expect(grid).toEqual(["[Quarters]", "Q1 2022", "Q2 2022", "(Q3 2022)", "(Q4 2022)", "Q1 2023", "Q2 2023", "[Half years]", "H1 2022", "(H2 2022)", "H1 2023"]);
    // The chart: a bar per quarter with its value, the two quarters the data lacks as gaps, an axis, and a table.
    expect(await page.locator("#details svg.chart rect.chart-bar").count()).toBe(4);
    expect(await page.locator("#details svg.chart rect.chart-gap").count()).toBe(2);
    expect(await page.locator("#details svg.chart .chart-value").allTextContents()).toEqual(["1,174", "975", "930", "1,093"]);
    expect(await page.locator("#details svg.chart .chart-tick").count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator("#details figcaption").textContent()).toBe("Net income, RMB millions · no data for Q3 2022 and Q4 2022");
    expect(await page.locator("#details table.chart-data tbody tr").evaluateAll((rows) => rows.map((row) => row.textContent))).toEqual([
      "Q1 20221,174",
      "Q2 2022975",
      "Q3 2022not in the data",
      "Q4 2022not in the data",
      "Q1 2023930",
      "Q2 20231,093",
    ]);
    expect(await page.locator("#details svg.chart").getAttribute("aria-hidden")).toBe("true");
    const sources = await page.locator("#details .sources").textContent();
    expect(sources).toContain("Source · Q2 2023");
    // The source once: the table, row and line a single time, then what each currency's column printed.
    expect(sources?.split("Unaudited Condensed Consolidated Statements of Operations").length).toBe(2);
    expect(sources).toMatch(/Release line\s*\d+ \(release 2023Q2\)/);
    expect(sources).toContain("Three months ended June 30, 2023 (RMB) · printed 1,093,377");
    await page.locator('#details button.period[data-period="2023Q1"]').click();
    expect(await page.locator("#details .sources").textContent()).toContain("2,023,199 − 1,093,377");
    await screenshot(page, "details");
  });

  it("names a balance's missing quarter ends whole in the chart's caption (dates hold commas)", async () => {
    await chooseBySearch(page, "total assets", "Total assets");
    const caption = (await page.locator("#details figcaption").textContent()) ?? "";
    expect(caption).toMatch(/ · no data for .*Mar 31, 2023/);
    expect(caption).not.toMatch(/Mar 31 and|, 2023 and 2023/);
  });

  it("shows a narrative figure's sentence and a KPI's footnote definition", async () => {
    await chooseBySearch(page, "approved credit lines", "Users with approved credit lines");
    expect(await figureRow(page, "2023-06-30")).toEqual(["Jun 30, 2023", expect.stringMatching(/^47,400,000\s+N$/)]);
    expect(await page.locator("#details .definition").textContent()).toContain("*2");
    const sources = await page.locator("#details .sources").textContent();
    expect(sources).toContain("Sentence");
    expect(sources).toContain("47.4 million as of June 30, 2023");
    await chooseBySearch(page, "90 day delinquency", "90+ DPD");
    expect(await page.locator("#details .definition").textContent()).toContain("*8");
  });

  it("inserts into the workbench outside Excel, which evaluates the formula", async () => {
    await chooseBySearch(page, "total net revenue", "Total net revenue");
    await page.locator('#details button.period[data-period="2023Q2"]').click();
    await page.locator("#insert-metric").click();
    expect(await settled(() => page.locator("#formula").inputValue(), (value) => JSON.stringify(value) === JSON.stringify('=QFIN.METRIC("Total net revenue","Q2 2023","RMB","M")'))).toBe('=QFIN.METRIC("Total net revenue","Q2 2023","RMB","M")');
    expect(await settled(() => page.locator("#result output").textContent().catch(() => null), (text) => text === "3914.324")).toBe("3914.324");
    await page.locator("#currency").selectOption("USD");
    await page.locator("#scale").selectOption("K");
    await page.locator("#insert-metric").click();
    expect(await settled(() => page.locator("#formula").inputValue(), (value) => JSON.stringify(value) === JSON.stringify('=QFIN.METRIC("Total net revenue","Q2 2023","USD","K")'))).toBe('=QFIN.METRIC("Total net revenue","Q2 2023","USD","K")');
    expect(await settled(() => page.locator("#result output").textContent().catch(() => null), (text) => text === "539809")).toBe("539809");
    expect(session.errors).toEqual([]);
  });

  it("works by keyboard alone: search, arrows, Enter, Esc, and the tree's arrows", async () => {
    await page.locator("#search input").focus();
    await page.keyboard.press("Escape");
    await typeSearch(page, "other services fees");
    await page.keyboard.press("ArrowDown");
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-item-id") ?? document.activeElement?.id ?? null);
    expect(await focused()).toBe("ops.credit_driven_services.other_services_fees");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("ops.platform_services.other_services_fees");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("details-title");
    expect(await page.locator("#details .context").textContent()).toBe("Operations · Platform services");
    expect(await page.locator("#formula-preview").textContent()).toContain('"Other services fees (platform)"');
    // The list folded away on Enter; ↓ in the search box brings it back, Esc from it returns to the search box, and Esc
    // there clears it and brings back the tree.
    await page.locator("#search input").focus();
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("ops.credit_driven_services.other_services_fees");
    await page.keyboard.press("Escape");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");
    await page.keyboard.press("Escape");
    expect(await page.locator("#search").evaluate((input) => (input as HTMLElement & { value: string }).value)).toBe("");
    expect(await page.locator("#tree").isVisible()).toBe(true);
    // The tree: focus a statement, ArrowRight expands it, ArrowDown moves into it, Enter selects.
    const cashFlows = page.locator('#tree [data-key="statement:cash_flows"]');
    await cashFlows.focus();
    await page.keyboard.press("ArrowRight");
    expect(await settled(() => cashFlows.evaluate((item) => (item as HTMLElement & { expanded: boolean }).expanded), (value) => JSON.stringify(value) === JSON.stringify(true))).toBe(true);
    // The tree moves into a branch once its children are shown, which follows the expansion by a frame.
    await page.locator('#tree [data-key="item:cf.net_cash_provided_by_operating_activities"]').waitFor({ state: "visible" });
    await page.waitForTimeout(50);
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-key"))).toBe("item:cf.net_cash_provided_by_operating_activities");
    await page.keyboard.press("Enter");
    expect(await settled(() => page.locator("#details-title").textContent(), (value) => JSON.stringify(value) === JSON.stringify("Operating cash flow"))).toBe("Operating cash flow");
    await screenshot(page, "keyboard");
  });

  it("explains that Insert model needs Excel, and writes nothing", async () => {
    await page.locator("#insert-model").click();
    expect(await page.locator("#model-status").textContent()).toMatch(/^Insert model writes the analyst model's sheets into an Excel workbook, so it needs Excel/);
    expect(await page.locator("#model-confirm").isVisible()).toBe(false);
    expect(session.errors).toEqual([]);
  });

  it("takes the pane's picture (tree and details) and measures readiness and search per keystroke", async () => {
    await chooseBySearch(page, "net income", "Net income");
    await page.locator("#currency").selectOption("RMB");
    await page.locator("#scale").selectOption("M");
    await page.locator("#search input").focus();
    await page.keyboard.press("Escape");
    expect(await page.locator('#tree [data-key="item:ops.net_income"]').getAttribute("aria-selected").catch(() => null)).not.toBe("false");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(RESULTS, "taskpane-overview.png"), clip: { x: 0, y: 0, width: VIEWPORT.width, height: 1100 } });
    // Measurements for the benchmark and the README (recorded, not asserted: timing depends on the machine).
    const measured = await page.evaluate(() => {
      const search = document.getElementById("search") as HTMLElement & { value: string };
      const perKeystroke: number[] = [];
      const query = "total net revnue";
      for (let length = 1; length <= query.length; length++) {
        const started = performance.now();
        search.value = query.slice(0, length);
        search.dispatchEvent(new Event("input", { bubbles: true }));
        perKeystroke.push(performance.now() - started);
      }
      const ready = performance.getEntriesByName("qfin:pane-ready")[0]?.startTime ?? null;
      const sorted = [...perKeystroke].sort((a, b) => a - b);
      return { paneReadyMs: ready, searchMsMedian: sorted[Math.floor(sorted.length / 2)], searchMsMax: sorted[sorted.length - 1] };
    });
    writeFileSync(join(RESULTS, "taskpane-measurements.json"), JSON.stringify(measured, null, 2));
    expect(measured.paneReadyMs).toBeGreaterThan(0);
    expect(await resultLabels(page)).toContain("Total net revenue");
    expect(cspViolations(session)).toEqual([]);
  });
});

describe("inside Excel (office.js replaced by a host stub below src/taskpane/excel.ts)", () => {
  let session: PaneSession;
  let page: Page;
  const host = (): Promise<ExcelHostState> => page.evaluate(() => (window as unknown as { __excelHost: ExcelHostState }).__excelHost);

  beforeAll(async () => {
    session = await openPane({ officeJs: EXCEL_HOST_STUB });
    page = session.page;
    await chooseBySearch(page, "total net revenue", "Total net revenue");
  }, 120_000);

  it("runs as the Excel pane: no preview banner, no workbench", async () => {
    expect(session.errors).toEqual([]);
    expect(await page.locator("#mode").isVisible()).toBe(false);
    expect(await page.locator("#workbench-section").isVisible()).toBe(false);
    expect(await page.locator("#insert-target").textContent()).toBe("the active cell");
  });

  it("writes the exact METRIC formula into the empty active cell", async () => {
    await page.locator("#insert-metric").click();
    expect(await settled(async () => (await host()).writes, (value) => JSON.stringify(value) === JSON.stringify([{ address: "Sheet1!B4", formula: '=QFIN.METRIC("Total net revenue","Q2 2023","RMB","M")' }]))).toEqual([{ address: "Sheet1!B4", formula: '=QFIN.METRIC("Total net revenue","Q2 2023","RMB","M")' }]);
    expect(await page.locator("#pane-status").textContent()).toContain("Sheet1!B4");
  });

  it("asks before replacing a non-empty cell, and writes nothing when cancelled", async () => {
    await page.locator("#insert-metric").click();
    await page.locator("#confirm").waitFor({ state: "visible" });
    expect(await page.locator("#confirm-message").textContent()).toContain("Sheet1!B4");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirm-cancel");
    await page.keyboard.press("Enter");
    await page.locator("#confirm").waitFor({ state: "hidden" });
    expect((await host()).writes).toHaveLength(1);
    expect(await page.locator("#pane-status").textContent()).toBe("Nothing was inserted.");
  });

  it("replaces when confirmed; series and statement formulas use the chosen currency and scale", async () => {
    await page.locator("#currency").selectOption("USD");
    await page.locator("#scale").selectOption("B");
    await page.locator("#insert-series").click();
    await page.locator("#confirm").waitFor({ state: "visible" });
    expect(await page.locator("#confirm-message").textContent()).toMatch(/Sheet1!B4:[A-Z]+5/);
    await page.locator("#confirm-replace").click();
    expect(await settled(async () => (await host()).writes.at(-1), (value) => JSON.stringify(value) === JSON.stringify({ address: "Sheet1!B4", formula: '=QFIN.SERIES("Total net revenue",,"USD","B",TRUE)' }))).toEqual({ address: "Sheet1!B4", formula: '=QFIN.SERIES("Total net revenue",,"USD","B",TRUE)' });
    await page.locator("#currency").selectOption("RMB");
    await page.locator("#scale").selectOption("M");
    await page.locator("#insert-statement").click();
    await page.locator("#confirm-replace").click();
    expect(await settled(async () => (await host()).writes.at(-1), (value) => JSON.stringify(value) === JSON.stringify({ address: "Sheet1!B4", formula: '=QFIN.STATEMENT("Operations","Q2 2023","RMB","M")' }))).toEqual({ address: "Sheet1!B4", formula: '=QFIN.STATEMENT("Operations","Q2 2023","RMB","M")' });
    expect((await host()).writes).toHaveLength(3);
    await screenshot(page, "excel");
  });

  it("checks the add-in's host on Refresh, finds the data up to date, and shows its version", async () => {
    await page.locator("#refresh").click();
    expect(await settled(() => page.locator("#refresh-status").textContent(), (value) => String(value).startsWith("Up to date"))).toBe("Up to date: release 2023Q2 (2023-08-21) is the newest data.");
    expect(await settled(() => page.locator("#version").textContent(), (value) => String(value).includes("Release 2023Q2 · 2023-08-21"))).toContain("Release 2023Q2 · 2023-08-21");
    expect(await page.locator("#details-title").textContent()).toBe("Total net revenue");
    expect(session.errors).toEqual([]);
  });
});

describe("office.js missing or silent", () => {
  it("blocked (a firewall refusing appsforoffice.microsoft.com): the pane says so and still works, nothing throws", async () => {
    const blocked = await openPane({ blockOfficeJs: true });
    const { page, errors } = blocked;
    expect(errors).toEqual([]);
    expect(cspViolations(blocked)).toEqual([]);
    expect(await page.evaluate(() => typeof (window as unknown as { Office?: unknown }).Office)).toBe("undefined");
    expect(await page.locator("#mode").getAttribute("data-host")).toBe("office-js-missing");
    expect(await page.locator("#mode").textContent()).toBe(
      "Office's script (office.js, from appsforoffice.microsoft.com) did not load, so this page cannot talk to Excel. Browse, search and the workbench below still work. Check the connection (or whether a firewall blocks appsforoffice.microsoft.com) and reopen the pane.",
    );
    expect(await page.locator("#version").textContent()).toContain("Release 2023Q2 · 2023-08-21");
    // The workbench evaluates with the same function code as Excel, so the figures are there without Office.
    await page.locator("#formula").fill('=QFIN.METRIC("Net income","Q2 2023")');
    await page.locator("#evaluate").click();
    expect(await settled(() => page.locator("#result").textContent(), (text) => String(text).includes("1093.377"))).toContain("1093.377");
    await screenshot(page, "office-js-blocked");
  });

  it("loaded but never ready (the files it loads blocked: Office.onReady never resolves): after 10 s the pane says so", async () => {
    const started = Date.now();
    const { page, errors } = await openPane({ officeJs: "window.Office = { onReady: function () { return new Promise(function () {}); }, HostType: { Excel: 'Excel' } };" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_500);
    expect(errors).toEqual([]);
    expect(await page.locator("#mode").getAttribute("data-host")).toBe("office-js-silent");
    expect(await page.locator("#mode").textContent()).toContain("Office's script (office.js) loaded but Office did not answer within 10 seconds");
    expect(await page.locator("#search").isVisible()).toBe(true);
  }, 60_000);
});

describe("a dataset with a crafted label", () => {
  let session: PaneSession;
  let page: Page;
  beforeAll(async () => {
    session = await openPane({
      rewrite: {
        path: "/functions.js",
        // The item's label and the end of its path (the loader checks they agree), in the embedded dataset JSON.
        edit: (code) => {
          const original = '"label":"Referral services fees","statement":"operations","section":null,"parent":"ops.platform_services","path":["Platform services","Referral services fees"]';
          if (code.split(original).length !== 2) throw new Error("the functions bundle no longer embeds the item once as expected");
          return code.replace(original, original.split("Referral services fees").join(CRAFTED));
        },
      },
    });
    page = session.page;
  }, 120_000);

  it("shows the markup as text in the tree, the search results and the details, and runs none of it", async () => {
    const node = page.locator('#tree [data-key="item:ops.referral_services_fees"]');
    expect(await node.evaluate((element) => element.firstChild?.textContent)).toBe(CRAFTED);
    await typeSearch(page, "referral");
    expect(await resultLabels(page)).toContain(CRAFTED);
    await page.locator("#results [role=option]", { hasText: "Referral" }).first().click();
    expect(await page.locator("#details-title").textContent()).toBe(CRAFTED);
    const injected = await page.evaluate(() => ({
      images: document.querySelectorAll("img").length,
      bold: document.querySelectorAll("#pane b").length,
      flag: (window as unknown as { __qfinInjected?: unknown }).__qfinInjected ?? null,
    }));
    expect(injected).toEqual({ images: 0, bold: 0, flag: null });
    // A label holding ">" (the path separator formulas accept) is named by its id, which always resolves.
    expect(await page.locator("#formula-preview").textContent()).toBe('=QFIN.METRIC("ops.referral_services_fees","Q2 2023","RMB","M")');
    expect(session.errors).toEqual([]);
    await screenshot(page, "crafted-label");
  });
});
