/**
 * The served add-in in a real browser: the production build is served over HTTP, its taskpane page (the shared
 * runtime page, which is the standalone preview outside Office) is loaded in headless Chromium with office.js
 * from the npm package in place of Microsoft's CDN, and the functions the bundle registered through
 * `CustomFunctions.associate` are called the way Excel calls them (every argument, omitted ones as null).
 * Expected values are the release's own figures (RMB thousands → the functions' default RMB millions).
 */
import type { Server } from "http";
import type { Browser, Page } from "playwright-core";
import { closeServer, launchChromium, offlineContext, serveDirectory } from "./support/browser-harness";
import { sharedProductionBuild } from "./support/shared-build";

/** A result as it crosses from the page: errors as {code, message}, like CustomFunctions.Error. */
type Serialized = number | string | boolean | null | { code: string; message?: string } | Serialized[];

let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** The served functions.json: what Excel reads to know each function's parameters. */
let metadata: { functions: { id: string; parameters: { name: string; dimensionality: string }[] }[] };

beforeAll(async () => {
  // The production build the other browser tests use (built once per source state), served offline: Microsoft's
  // office.js CDN is answered from @microsoft/office-js, anything else not ours is refused.
  let origin: string;
  ({ server, origin } = await serveDirectory(await sharedProductionBuild()));
  browser = await launchChromium();
  page = await (await offlineContext(browser, origin)).newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${origin}/taskpane.html`);
  await page.waitForSelector("#workbench:not([hidden])", { timeout: 30_000 });
  metadata = await page.evaluate(async () => (await fetch("functions.json")).json());
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
});

/**
 * Calls a registered function as Excel does, by the served functions.json: by id, every parameter present, omitted
 * ones null, and a single value given to a `matrix` parameter as a 1×1 range.
 */
async function call(id: string, ...args: unknown[]): Promise<Serialized> {
  const declared = metadata.functions.find((candidate) => candidate.id === id);
  if (!declared) throw new Error(`functions.json has no ${id}`);
  const full = declared.parameters.map((param, index) => {
    const value = index < args.length ? args[index] : null;
    return param.dimensionality === "matrix" && value !== null && !Array.isArray(value) ? [[value]] : value;
  });
  return page.evaluate(
    ({ id, full }) => {
      const registry = (window as unknown as { CustomFunctions: { _association: { mappings: Record<string, (...args: unknown[]) => unknown> } } }).CustomFunctions._association.mappings;
      const serialize = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(serialize);
        if (value && typeof value === "object" && "code" in value) {
          const error = value as { code: string; message?: string };
          return error.message ? { code: error.code, message: error.message } : { code: error.code };
        }
        return value;
      };
      return serialize(registry[id](...full)) as never;
    },
    { id, full },
  );
}

/**
 * What the cell shows: a function declared with a `matrix` result answers one value as a 1×1 array, which Excel shows
 * as that value (it spills nothing).
 */
async function shown(id: string, ...args: unknown[]): Promise<Serialized> {
  const result = await call(id, ...args);
  return Array.isArray(result) && result.length === 1 && Array.isArray(result[0]) && result[0].length === 1 ? (result[0][0] as Serialized) : result;
}

const millions = (thousands: number): number => thousands / 1000;

describe("the taskpane page outside Office (the standalone preview)", () => {
  it("loads without script errors and detects that there is no host", async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.locator("body").getAttribute("class")).toContain("preview");
    expect(await page.locator("#mode").textContent()).toContain("Standalone preview");
  });

  it("has every QFIN function registered through CustomFunctions.associate", async () => {
    const ids = await page.evaluate(() =>
      Object.keys((window as unknown as { CustomFunctions: { _association: { mappings: Record<string, unknown> } } }).CustomFunctions._association.mappings),
    );
    expect(ids.sort()).toEqual(metadata.functions.map((fn) => fn.id).sort());
  });
});

describe("the registered functions, called as Excel calls them", () => {
  it("METRIC returns the release's figures in RMB millions, and its own US$ figure", async () => {
    expect(await shown("METRIC", "Total net revenue", "Q2 2023")).toBeCloseTo(millions(3_914_324), 9);
    expect(await shown("METRIC", "Net income", "2Q23")).toBeCloseTo(millions(1_093_377), 9);
    expect(await shown("METRIC", "Net income", "Q2 2023", "USD")).toBeCloseTo(millions(150_782), 9);
    expect(await shown("METRIC", "Net income", "Q1 2023")).toBeCloseTo(millions(2_023_199 - 1_093_377), 9);
  });

  it("a function that can answer a range returns one value as a 1×1 array (Excel shows it in the cell), a range as the grid", async () => {
    expect(await call("METRIC", "Net income", "Q2 2023")).toEqual([[expect.closeTo(millions(1_093_377), 9)]]);
    expect(await call("METRIC", [["Net income"], ["Total net revenue"]], [["Q1 2023", "Q2 2023"]])).toEqual([
      [expect.closeTo(millions(929_822), 9), expect.closeTo(millions(1_093_377), 9)],
      [expect.closeTo(millions(3_599_174), 9), expect.closeTo(millions(3_914_324), 9)],
    ]);
    expect(await call("VERSION")).toMatch(/^QFIN data: release 2023Q2/);
  });

  it("MARGIN and GROWTH return fractions: the release's stated margin as printed, growth computed where none is stated", async () => {
    expect(await shown("MARGIN", "Net income", "Q2 2023")).toBe(0.279);
    expect(await shown("MARGIN", "Credit driven services", "Q2 2023")).toBeCloseTo(2_788_707 / 3_914_324, 9);
    expect(await shown("GROWTH", "Total net revenue", "Q2 2023")).toBeCloseTo(3_914_324 / 4_183_199 - 1, 9);
    expect(await shown("GROWTH", "Total net revenue", "Q2 2023", "QoQ")).toBeCloseTo(3_914_324 / (7_513_498 - 3_914_324) - 1, 9);
  });

  it("SERIES spills a row of values for a range of period headers", async () => {
    const result = await call("SERIES", "Net income", [["Q1 2023", "Q2 2023"]]);
    expect(result).toEqual([[expect.closeTo(millions(929_822), 9), expect.closeTo(millions(1_093_377), 9)]]);
    // A typed keyword reaches a matrix parameter as a 1×1 array, as Excel passes it.
    const quarters = (await call("SERIES", "Net income", [["quarters"]], null, null, true)) as Serialized[][];
    expect(quarters).toHaveLength(2);
    expect(quarters[0]).toEqual(expect.arrayContaining(["Q2 2023"]));
    expect(quarters[1]).toContainEqual(expect.closeTo(millions(1_093_377), 9));
  });

  it("STATEMENT and PERIODS spill rectangular tables", async () => {
    const statement = (await call("STATEMENT", "Operations", "Q2 2023")) as Serialized[][];
    expect(statement.length).toBeGreaterThan(10);
    expect(new Set(statement.map((row) => row.length)).size).toBe(1);
    const revenueRow = statement.find((row) => row.includes("Total net revenue"));
    expect(revenueRow).toContainEqual(expect.closeTo(millions(3_914_324), 9));
    const periods = (await call("PERIODS")) as Serialized[][];
    expect(periods.flat()).toEqual(expect.arrayContaining(["2023Q2"]));
  });

  it("errors arrive as CustomFunctions.Error with Excel's code and the core's message", async () => {
    const unknown = (await shown("METRIC", "Revenu", "Q2 2023")) as { code: string; message?: string };
    expect(unknown.code).toBe("#N/A");
    expect(unknown.message).toMatch(/Revenu/);
    const badCurrency = (await shown("METRIC", "Net income", "Q2 2023", "EUR")) as { code: string; message?: string };
    expect(badCurrency.code).toBe("#VALUE!");
    expect(badCurrency.message).toMatch(/EUR/);
    const badStatement = (await call("STATEMENT", "Segment report", "Q2 2023")) as Serialized[][];
    expect(badStatement).toHaveLength(1);
    expect(badStatement[0][0]).toMatchObject({ code: expect.stringMatching(/^#(N\/A|VALUE!)$/) });
  });
});

describe("the formula workbench", () => {
  async function evaluate(formula: string): Promise<void> {
    await page.fill("#formula", formula);
    await page.click("#evaluate");
  }

  it("evaluates a QFIN formula combined with Excel arithmetic", async () => {
    await evaluate('=QFIN.METRIC("Net income","Q2 2023")*2');
    expect(Number(await page.locator("#result output").textContent())).toBeCloseTo(2 * millions(1_093_377), 9);
  });

  it("shows a spill as a table", async () => {
    await evaluate('=QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"})');
    expect(await page.locator("#result .spill-size").textContent()).toContain("1 × 2");
    expect(await page.locator("#result td").allTextContents()).toEqual([String(millions(929_822)), String(millions(1_093_377))]);
  });

  it("shows an error's code and message", async () => {
    await evaluate('=QFIN.METRIC("Revenu","Q2 2023")');
    expect(await page.locator("#result .error-code").textContent()).toBe("#N/A");
    expect(await page.locator("#result").textContent()).toMatch(/Revenu/);
    expect(pageErrors).toEqual([]);
  });
});
