/**
 * The served add-in in a real browser: the production build is served over HTTP, its taskpane page (the shared
 * runtime page, which is the standalone preview outside Office) is loaded in headless Chromium with office.js
 * from the npm package in place of Microsoft's CDN, and the functions the bundle registered through
 * `CustomFunctions.associate` are called the way Excel calls them (every argument, omitted ones as null).
 * Expected values are the release's own figures (RMB thousands → the functions' default RMB millions).
 */
import type { Server } from "http";
import type { Browser, Page } from "playwright-core";
import { FUNCTION_SPECS } from "../../src/functions/spec";
import { closeServer, launchChromium, offlineContext, serveDirectory } from "./support/browser-harness";
import { sharedProductionBuild } from "./support/shared-build";

/** A result as it crosses from the page: errors as {code, message}, like CustomFunctions.Error. */
type Serialized = number | string | boolean | null | { code: string; message?: string } | Serialized[];

let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

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
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
});

/** Calls a registered function as Excel does: by id, every parameter present, omitted ones null. */
async function call(id: string, ...args: unknown[]): Promise<Serialized> {
  const spec = FUNCTION_SPECS.find((candidate) => candidate.id === id);
  if (!spec) throw new Error(`no spec for ${id}`);
  const full = spec.params.map((_, index) => (index < args.length ? args[index] : null));
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
    expect(ids.sort()).toEqual(FUNCTION_SPECS.map((spec) => spec.id).sort());
  });
});

describe("the registered functions, called as Excel calls them", () => {
  it("METRIC returns the release's figures in RMB millions, and its own US$ figure", async () => {
    expect(await call("METRIC", "Total net revenue", "Q2 2023")).toBeCloseTo(millions(3_914_324), 9);
    expect(await call("METRIC", "Net income", "2Q23")).toBeCloseTo(millions(1_093_377), 9);
    expect(await call("METRIC", "Net income", "Q2 2023", "USD")).toBeCloseTo(millions(150_782), 9);
    expect(await call("METRIC", "Net income", "Q1 2023")).toBeCloseTo(millions(2_023_199 - 1_093_377), 9);
  });

  it("MARGIN and GROWTH return fractions computed from the release's figures", async () => {
    expect(await call("MARGIN", "Net income", "Q2 2023")).toBeCloseTo(1_093_377 / 3_914_324, 9);
    expect(await call("GROWTH", "Total net revenue", "Q2 2023")).toBeCloseTo(3_914_324 / 4_183_199 - 1, 9);
    expect(await call("GROWTH", "Total net revenue", "Q2 2023", "QoQ")).toBeCloseTo(3_914_324 / (7_513_498 - 3_914_324) - 1, 9);
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
    const unknown = (await call("METRIC", "Revenu", "Q2 2023")) as { code: string; message?: string };
    expect(unknown.code).toBe("#N/A");
    expect(unknown.message).toMatch(/Revenu/);
    const badCurrency = (await call("METRIC", "Net income", "Q2 2023", "EUR")) as { code: string; message?: string };
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
