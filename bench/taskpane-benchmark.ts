/**
 * The taskpane in headless Chromium (Debian's /usr/bin/chromium through playwright-core), on the production build the
 * start-up step made, served locally with office.js answered from npm and nothing else reachable (the browser tests'
 * harness). Standalone preview: no Office host, so the pane starts without Excel's own start-up in the way.
 *
 * Time to ready: navigation start → the pane's `performance.mark("qfin:pane-ready")` (set once the tree, details
 * and search are usable), each sample in a fresh browser context, so nothing comes from the HTTP or code cache: the
 * first open of the pane. Baseline: a blank HTML page navigated the same way through the same server and context
 * set-up (navigation start → load event end): what any page costs here before it runs code.
 *
 * Search per keystroke: real key presses (CDP key events into the search field's inner <input>), queries typed one
 * character at a time from an empty field. The pane emits no marks of its own for search, so the page measures
 * itself: a capturing `keydown` listener on window takes `performance.now()` when the key reaches the page; a
 * bubbling `input` listener on window — it runs after the pane's own `input` handler on the search field, which
 * searches the whole dataset and replaces the result list synchronously — forces style and layout of the list
 * (`getBoundingClientRect`) and takes the time again. keydown → results laid out is the main-thread work a keystroke
 * costs before the browser can paint it, which is what must fit in one frame (16 ms) for typing to feel instant.
 * Recorded alongside: keydown → the next animation frame's callback, which adds the wait for the frame boundary
 * (up to one frame even for zero work). Between keystrokes the driver waits for that frame, so keystrokes never
 * overlap. The queries are the ones analysts type in the browser tests, a typo included.
 */
import type { Browser, Page } from "playwright-core";
import { closeServer, launchChromium, offlineContext, serveDirectory, type ServedFile } from "../test/browser/support/browser-harness";
import { summarise, type Timing } from "./measure";

export const SEARCH_QUERIES = ["total net revnue", "delinquency", "net income", "approved credit lines"] as const;
export const FRAME_MS = 16;
const VIEWPORT = { width: 340, height: 900 };
const BLANK_PATH = "/bench-blank.html";

export interface Keystroke {
  query: string;
  /** The field's text after the key. */
  typed: string;
  /** keydown → results laid out (the work). */
  workMs: number;
  /** keydown → next animation frame callback. */
  toNextFrameMs: number;
  results: number;
}

export interface TaskpaneResult {
  /** The Chromium version that ran (playwright's `browser.version()`). */
  browserVersion: string;
  ready: Timing;
  /** Medians over the ready samples: when the HTML had arrived, DOMContentLoaded ended, load ended. */
  phases: { responseEndMs: number; domContentLoadedMs: number; loadEventEndMs: number };
  blankPage: Timing;
  readyRatio: number;
  keystrokes: number;
  work: Timing & { p95Ms: number };
  toNextFrame: Timing & { p95Ms: number };
  byQuery: { query: string; medianWorkMs: number; maxWorkMs: number }[];
  /** Keystrokes whose work exceeded one frame. */
  overFrame: number;
  /** The raw samples of the first round, for the curious. */
  firstRound: Keystroke[];
}

const percentile = (values: readonly number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
};

interface NavigationTimes {
  responseEnd: number;
  domContentLoaded: number;
  loadEventEnd: number;
  ready: number | null;
}

/** Opens `path` in a fresh context and reads its navigation timing (and the pane's ready mark when `waitReady`). */
async function openFresh(browser: Browser, origin: string, path: string, waitReady: boolean): Promise<{ times: NavigationTimes; page: Page; close: () => Promise<void> }> {
  const served = new Map<string, ServedFile>([[BLANK_PATH, { body: "<!doctype html><html><head><meta charset=utf-8><title>blank</title></head><body></body></html>" }]]);
  const context = await offlineContext(browser, origin, { viewport: VIEWPORT, served });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${origin}${path}`, { waitUntil: "load" });
  if (waitReady) await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  // loadEventEnd is set just after the load handlers return: wait until it is.
  await page.waitForFunction(() => ((performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd ?? 0) > 0);
  const times = await page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return {
      responseEnd: navigation.responseEnd,
      domContentLoaded: navigation.domContentLoadedEventEnd,
      loadEventEnd: navigation.loadEventEnd,
      ready: performance.getEntriesByName("qfin:pane-ready")[0]?.startTime ?? null,
    };
  });
  if (errors.length > 0) throw new Error(`taskpane: script errors on ${path}: ${errors.join("; ")}`);
  return { times, page, close: () => context.close() };
}

/** Installs the in-page keystroke probe (see the file comment). */
async function installKeystrokeProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Pending = { start: number };
    type Probe = { records: { workMs: number; toNextFrameMs: number; typed: string; results: number }[]; pending: Pending | null };
    const probe: Probe = { records: [], pending: null };
    (window as unknown as { __qfinKeystrokes: Probe }).__qfinKeystrokes = probe;
    window.addEventListener("keydown", () => (probe.pending = { start: performance.now() }), { capture: true });
    window.addEventListener("input", () => {
      const pending = probe.pending;
      if (pending === null) return;
      probe.pending = null;
      const results = document.getElementById("results") as HTMLElement;
      results.getBoundingClientRect();
      const laidOut = performance.now();
      const typed = (document.getElementById("search") as HTMLElement & { value: string }).value;
      const count = results.querySelectorAll("[role=option]").length;
      requestAnimationFrame(() => {
        probe.records.push({ workMs: laidOut - pending.start, toNextFrameMs: performance.now() - pending.start, typed, results: count });
      });
    });
  });
}

async function typeQuery(page: Page, query: string): Promise<Keystroke[]> {
  const field = page.locator("#search input");
  await field.fill("");
  await field.focus();
  // Let the cleared field's frame pass so the first keystroke starts from an idle page.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  const start = await page.evaluate(() => (window as unknown as { __qfinKeystrokes: { records: unknown[] } }).__qfinKeystrokes.records.length);
  for (let i = 0; i < query.length; i++) {
    await page.keyboard.type(query[i] as string);
    await page.waitForFunction((count) => (window as unknown as { __qfinKeystrokes: { records: unknown[] } }).__qfinKeystrokes.records.length >= count, start + i + 1);
  }
  const records = await page.evaluate(
    (from) => (window as unknown as { __qfinKeystrokes: { records: Omit<Keystroke, "query">[] } }).__qfinKeystrokes.records.slice(from),
    start,
  );
  const last = records[records.length - 1];
  if (records.length !== query.length || last?.typed !== query) throw new Error(`taskpane: typed "${query}", the field holds "${last?.typed}" after ${records.length} keystrokes`);
  if (last.results === 0) throw new Error(`taskpane: "${query}" found nothing`);
  return records.map((record) => ({ query, ...record }));
}

/** Runs against a production build folder (not deleted here: the caller owns it). */
export async function runTaskpaneBenchmark(buildDir: string, options: { readySamples: number; searchRounds: number }): Promise<TaskpaneResult> {
  const { server, origin } = await serveDirectory(buildDir);
  const browser = await launchChromium();
  try {
    // One discarded open of each warms the server's file cache and Chromium's own start-up paths.
    await (await openFresh(browser, origin, "/taskpane.html", true)).close();
    await (await openFresh(browser, origin, BLANK_PATH, false)).close();
    const panes: NavigationTimes[] = [];
    const blanks: number[] = [];
    for (let i = 0; i < options.readySamples; i++) {
      const pane = await openFresh(browser, origin, "/taskpane.html", true);
      panes.push(pane.times);
      await pane.close();
      const blank = await openFresh(browser, origin, BLANK_PATH, false);
      blanks.push(blank.times.loadEventEnd);
      await blank.close();
    }
    if (panes.some((times) => times.ready === null)) throw new Error("taskpane: the pane set no qfin:pane-ready mark");
    const ready = summarise(panes.map((times) => times.ready as number));
    const blankPage = summarise(blanks);
    const medianOf = (key: keyof Omit<NavigationTimes, "ready">): number => summarise(panes.map((times) => times[key])).medianMs;

    const session = await openFresh(browser, origin, "/taskpane.html", true);
    let keystrokes: Keystroke[] = [];
    let firstRound: Keystroke[] = [];
    try {
      await installKeystrokeProbe(session.page);
      // A warm-up round: the first search compiles the search code and builds lazily made structures.
      for (const query of SEARCH_QUERIES) await typeQuery(session.page, query);
      for (let round = 0; round < options.searchRounds; round++) {
        const typedThisRound: Keystroke[] = [];
        for (const query of SEARCH_QUERIES) typedThisRound.push(...(await typeQuery(session.page, query)));
        if (round === 0) firstRound = typedThisRound;
        keystrokes = keystrokes.concat(typedThisRound);
      }
    } finally {
      await session.close();
    }
    const workMs = keystrokes.map((keystroke) => keystroke.workMs);
    const frameMs = keystrokes.map((keystroke) => keystroke.toNextFrameMs);
    return {
      browserVersion: browser.version(),
      ready,
      phases: { responseEndMs: medianOf("responseEnd"), domContentLoadedMs: medianOf("domContentLoaded"), loadEventEndMs: medianOf("loadEventEnd") },
      blankPage,
      readyRatio: ready.medianMs / blankPage.medianMs,
      keystrokes: keystrokes.length,
      work: { ...summarise(workMs), p95Ms: percentile(workMs, 0.95) },
      toNextFrame: { ...summarise(frameMs), p95Ms: percentile(frameMs, 0.95) },
      byQuery: SEARCH_QUERIES.map((query) => {
        const mine = keystrokes.filter((keystroke) => keystroke.query === query).map((keystroke) => keystroke.workMs);
        return { query, medianWorkMs: summarise(mine).medianMs, maxWorkMs: Math.max(...mine) };
      }),
      overFrame: workMs.filter((value) => value > FRAME_MS).length,
      firstRound,
    };
  } finally {
    await browser.close();
    await closeServer(server);
  }
}
