/**
 * The pane checked by axe-core (Deque's accessibility engine, used in tests only) against WCAG 2 A and AA: roles,
 * names, labels, contrast, focusable controls. Checked as the pane opens, with a search and an item's details showing
 * (the states an analyst spends time in), and inside "Excel" (the host stub) with the offer of newer data, its
 * setting, and the question before a full calculation showing; with a selected cell traced to its release line; and in
 * dark mode with an item's details and the workbench's trace. The page's Content-Security-Policy is bypassed in these
 * contexts only, to let the test inject axe; the policy itself is checked in taskpane.test.ts.
 */
import { readFileSync } from "fs";
import type { Server } from "http";
import type { Browser, Page } from "playwright-core";
import { createHash } from "crypto";
import { mergeRelease } from "../../src/ingest";
import { ingestText, nextQuarterRelease, shippedDataset } from "../support/release";
import { closeServer, launchChromium, offlineContext, serveDirectory, settled, type ServedFile } from "./support/browser-harness";
import { EXCEL_HOST_STUB } from "./support/excel-host-stub";
import { sharedProductionBuild } from "./support/shared-build";

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let server: Server;
let browser: Browser;
let page: Page;
let origin: string;

beforeAll(async () => {
  ({ server, origin } = await serveDirectory(await sharedProductionBuild()));
  browser = await launchChromium();
  const context = await offlineContext(browser, origin, { viewport: { width: 340, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  await page.goto(`${origin}/taskpane.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
});

async function violations(): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations;
  });
  return found.map((violation) => `${violation.impact ?? "?"} ${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`);
}

test("the pane as it opens has no WCAG 2 A/AA violations", async () => {
  expect(await violations()).toEqual([]);
});

test("with search results and an item's details showing, it has none either", async () => {
  await page.locator("#search input").pressSequentially("net income");
  await page.locator("#results [role=option]").first().click();
  await page.waitForFunction(() => (document.getElementById("details-title")?.textContent ?? "") !== "");
  expect(await violations()).toEqual([]);
});

test("with the workbench's formula traced to its release line, and a parse error shown, none either", async () => {
  expect(await settled(() => page.locator("#workbench-trace .quote-line.focus mark").count(), (count) => count > 0, 10_000)).toBeGreaterThan(0);
  expect(await violations()).toEqual([]);
  await page.locator("#formula").fill("=SUM(1,2");
  await page.locator("#evaluate").click();
  expect(await settled(() => page.locator("#result").textContent(), (text) => String(text).startsWith("Not evaluated"))).toMatch(/^Not evaluated/);
  expect(await violations()).toEqual([]);
});

test("the check can fail: an unlabelled control added to the page is reported", async () => {
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.id = "unlabelled-probe";
    document.body.append(input);
  });
  expect((await violations()).some((line) => line.includes("#unlabelled-probe"))).toBe(true);
  await page.evaluate(() => document.getElementById("unlabelled-probe")?.remove());
});

describe("inside Excel, with a selected cell traced to its release line", () => {
  beforeAll(async () => {
    const context = await offlineContext(browser, origin, { viewport: { width: 350, height: 800 }, bypassCSP: true, officeJs: EXCEL_HOST_STUB });
    page = await context.newPage();
    await page.goto(`${origin}/taskpane.html`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  }, 120_000);

  test("the trace of a figure and of a growth rate have no WCAG 2 A/AA violations", async () => {
    await page.evaluate(() => {
      const host = (window as unknown as { __excelHost: { cells: Record<string, string>; values: Record<string, number> } }).__excelHost;
      Object.assign(host.cells, { B6: "Net income", C4: "Q2 2023", C6: "=QFIN.METRIC($B6,C$4)", D6: '=QFIN.GROWTH("Total net revenue","Q2 2023")' });
      Object.assign(host.values, { C6: 1093.377, D6: -0.0643 });
      (window as unknown as { __excelSelect: (address: string) => void }).__excelSelect("C6");
    });
    expect(await settled(() => page.locator("#trace .quote-line.focus mark").count(), (count) => count > 0, 10_000)).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    await page.evaluate(() => (window as unknown as { __excelSelect: (address: string) => void }).__excelSelect("D6"));
    expect(await settled(() => page.locator("#trace .quote-line.focus mark").count(), (count) => count > 1, 10_000)).toBeGreaterThan(1);
    expect(await violations()).toEqual([]);
  });
});

describe("in dark mode", () => {
  beforeAll(async () => {
    const context = await offlineContext(browser, origin, { viewport: { width: 350, height: 800 }, bypassCSP: true, colorScheme: "dark" });
    page = await context.newPage();
    await page.goto(`${origin}/taskpane.html`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  }, 120_000);

  test("the results, an item's details (grid, chart, marks) and the workbench's trace have no WCAG 2 A/AA violations", async () => {
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await page.locator("#search input").pressSequentially("eps");
    expect(await violations()).toEqual([]);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("details-title")?.textContent === "Diluted EPS (ADS)");
    expect(await settled(() => page.locator("#workbench-trace .quote-line.focus mark").count(), (count) => count > 0, 10_000)).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
  });
});

describe("inside Excel, with newer data offered", () => {
  beforeAll(async () => {
    const merged = mergeRelease(shippedDataset(), ingestText(nextQuarterRelease())).dataset;
    const bytes = Buffer.from(JSON.stringify(merged));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const version = sha256.slice(0, 12);
    const pointer = { schema: 1, version, sha256, path: `dataset.${version}.json`, releases: ["2023Q2", "2023Q3"], latestRelease: { id: "2023Q3", date: "2023-11-20" } };
    const served = new Map<string, ServedFile>([
      ["/data/latest.json", { body: JSON.stringify(pointer) }],
      [`/data/dataset.${version}.json`, { body: bytes }],
    ]);
    const context = await offlineContext(browser, origin, { viewport: { width: 340, height: 900 }, bypassCSP: true, officeJs: EXCEL_HOST_STUB, served });
    page = await context.newPage();
    // An Excel without Range.setDirty, so Apply asks before a full calculation.
    await page.addInitScript(() => window.sessionStorage.setItem("__excelHostConfig", JSON.stringify({ excelApi: 1.8 })));
    await page.goto(`${origin}/taskpane.html`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    expect(await settled(() => page.locator("#refresh-status").getAttribute("data-stage"), (stage) => stage === "available", 20_000)).toBe("available");
  }, 120_000);

  test("the offer and the setting have no WCAG 2 A/AA violations", async () => {
    expect(await page.locator("#update-offer").isVisible()).toBe(true);
    expect(await page.locator("#auto-apply-row").isVisible()).toBe(true);
    expect(await violations()).toEqual([]);
  });

  test("nor the question before a full calculation", async () => {
    await page.locator("#update-apply").click();
    await page.locator("#update-confirm").waitFor({ state: "visible" });
    expect(await violations()).toEqual([]);
  });
});
