/**
 * The taskpane of the production build in headless Chromium, for a jest test file: one server and one browser per
 * file, a context per pane opened, all closed when the file is done.
 */
import type { Server } from "http";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { closeServer, launchChromium, offlineContext, serveDirectory, type OfflineContextOptions } from "./browser-harness";
import { sharedProductionBuild } from "./shared-build";

/** A taskpane opened in a context of its own, and what the page reported while the test ran. */
export interface OpenedPane {
  page: Page;
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Messages the page logged as errors (Content-Security-Policy violations among them). */
  consoleErrors: string[];
  /** The path of every request the page made, in order. */
  requests: string[];
}

export interface PaneBrowser {
  /** Opens taskpane.html in a new offline context (see offlineContext) and waits until the pane is ready. */
  open(options?: OfflineContextOptions): Promise<OpenedPane>;
  /** The served build's origin, once the file's beforeAll has run. */
  readonly origin: string;
}

/**
 * The production build served to one Chromium for the test file that calls this (at its top level): both start in
 * a beforeAll, and every context opened, the browser and the server are closed in an afterAll.
 */
export function paneBrowser(): PaneBrowser {
  let server: Server | undefined;
  let origin = "";
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    ({ server, origin } = await serveDirectory(await sharedProductionBuild()));
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await closeServer(server);
  });
  return {
    get origin() {
      return origin;
    },
    async open(options = {}) {
      if (browser === undefined) throw new Error("paneBrowser: open() ran before the test file's beforeAll");
      const context = await offlineContext(browser, origin, options);
      contexts.push(context);
      const page = await context.newPage();
      const pane: OpenedPane = { page, errors: [], consoleErrors: [], requests: [] };
      page.on("pageerror", (error) => pane.errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") pane.consoleErrors.push(message.text());
      });
      page.on("request", (request) => pane.requests.push(new URL(request.url()).pathname));
      await page.goto(`${origin}/taskpane.html`);
      await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
      return pane;
    },
  };
}
