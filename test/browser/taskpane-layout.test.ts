/**
 * The pane's layout at the widths analysts keep it (320, 350 and 500 px), light and dark, in headless Chromium against
 * the production build: the header stays within about 100 px so the first screen is content, the search box fills
 * the width like everything else, nothing scrolls sideways, and the dark theme is dark. The pictures of these states
 * go to test-results/ (docs/taskpane-*.png are copies of them, looked at before they were committed).
 */
import { join } from "path";
import type { Page } from "playwright-core";
import { PROJECT_ROOT } from "../addin/build-addin";
import { settled, type OfflineContextOptions } from "./support/browser-harness";
import { paneBrowser, type OpenedPane } from "./support/pane-browser";
import { EXCEL_HOST_STUB } from "./support/excel-host-stub";

const RESULTS = join(PROJECT_ROOT, "test-results");
const HEADER_BUDGET_PX = 100;

const panes = paneBrowser();

const open = (width: number, options: OfflineContextOptions = {}): Promise<OpenedPane> => panes.open({ viewport: { width, height: 800 }, ...options });

/** Where things sit: the header's bottom, the search box against the content width, sideways scrolling. */
const layout = (page: Page) =>
  page.evaluate(() => {
    const body = document.body.getBoundingClientRect();
    const style = getComputedStyle(document.body);
    const contentWidth = body.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {
      headerBottom: Math.round((document.querySelector("header") as HTMLElement).getBoundingClientRect().bottom),
      searchWidth: Math.round((document.getElementById("search") as HTMLElement).getBoundingClientRect().width),
      treeWidth: Math.round((document.getElementById("tree") as HTMLElement).getBoundingClientRect().width),
      contentWidth: Math.round(contentWidth),
      scrollsSideways: document.documentElement.scrollWidth > window.innerWidth,
    };
  });

/** Chooses Diluted EPS (ADS) the way an analyst would: type "eps", Enter. */
async function chooseEps(page: Page): Promise<void> {
  await page.locator("#search input").pressSequentially("eps");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("details-title")?.textContent === "Diluted EPS (ADS)");
}

describe.each([320, 350, 500])("the preview at %i px", (width) => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ page, errors } = await open(width));
  }, 120_000);

  it(`keeps the header within ${HEADER_BUDGET_PX} px and the search box as wide as the rest`, async () => {
    const measured = await layout(page);
    expect(measured.headerBottom).toBeLessThanOrEqual(HEADER_BUDGET_PX);
    expect(measured).toMatchObject({ searchWidth: measured.contentWidth, treeWidth: measured.contentWidth, scrollsSideways: false });
  });

  it("brings the chosen item's details to the top of the first screen", async () => {
    await chooseEps(page);
    const top = await page.locator("#details-title").evaluate((title) => title.getBoundingClientRect().top);
    expect(top).toBeLessThanOrEqual(12);
    // The chart and the first periods are on the same screen.
    expect(await page.locator("#details svg.chart").evaluate((chart) => chart.getBoundingClientRect().bottom)).toBeLessThan(800);
    expect((await layout(page)).scrollsSideways).toBe(false);
    await page.screenshot({ path: join(RESULTS, `taskpane-${width}-details.png`) });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(RESULTS, `taskpane-${width}.png`) });
    expect(errors).toEqual([]);
  });
});

describe("inside Excel at 350 px", () => {
  it(`keeps the header, version and the automatic-update setting within ${HEADER_BUDGET_PX} px`, async () => {
    const { page, errors } = await open(350, { officeJs: EXCEL_HOST_STUB });
    expect(await settled(() => page.locator("#auto-apply-row").isVisible(), (visible) => visible)).toBe(true);
    const measured = await layout(page);
    expect(measured.headerBottom).toBeLessThanOrEqual(HEADER_BUDGET_PX);
    expect(measured.scrollsSideways).toBe(false);
    // A traced cell, for the picture of the pane as an analyst keeps it open beside a model.
    await page.evaluate(() => {
      const host = (window as unknown as { __excelHost: { cells: Record<string, string>; values: Record<string, number> } }).__excelHost;
      Object.assign(host.cells, { B6: "ops.net_income", C4: "2023Q2", C6: "=QFIN.METRIC($B6,C$4)" });
      host.values.C6 = 1093.377;
      (window as unknown as { __excelSelect: (address: string) => void }).__excelSelect("C6");
    });
    expect(await settled(() => page.locator("#trace .quote-line.focus mark").count(), (count) => count > 0, 10_000)).toBeGreaterThan(0);
    await page.screenshot({ path: join(RESULTS, "taskpane-350-trace.png") });
    expect(errors).toEqual([]);
  });
});

describe("dark mode", () => {
  it("follows a dark theme: dark background, light text, the chart and the marks readable", async () => {
    const { page, errors } = await open(350, { colorScheme: "dark" });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await chooseEps(page);
    const colours = await page.evaluate(() => {
      const luminance = (colour: string): number => {
        const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).slice(0, 3).map(Number) as [number, number, number];
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      const body = getComputedStyle(document.body);
      const value = document.querySelector("#details .chart-value") as SVGElement;
      return { background: luminance(body.backgroundColor), text: luminance(body.color), chartValue: luminance(getComputedStyle(value).fill) };
    });
    expect(colours.background).toBeLessThan(0.2);
    expect(colours.text).toBeGreaterThan(0.8);
    expect(colours.chartValue).toBeGreaterThan(0.6);
    await page.screenshot({ path: join(RESULTS, "taskpane-dark-350-details.png") });
    expect(errors).toEqual([]);
  });
});
