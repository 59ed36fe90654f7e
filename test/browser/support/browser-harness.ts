/**
 * Serving a build to headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), offline: the
 * build folder over HTTP, Microsoft's office.js CDN answered from @microsoft/office-js (or from a host stub),
 * everything else refused.
 */
import { createReadStream, existsSync, readdirSync, statSync } from "fs";
import { createServer, type Server } from "http";
import type { AddressInfo } from "net";
import { extname, join, normalize } from "path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from "playwright-core";
import { PROJECT_ROOT } from "../../addin/build-addin";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";
const OFFICE_JS_DIST = join(PROJECT_ROOT, "node_modules/@microsoft/office-js/dist");

export const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
};

/** Serves a folder on 127.0.0.1 (a free port); resolves with the server and its origin. */
export function serveDirectory(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

export function closeServer(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OfflineContextOptions extends BrowserContextOptions {
  /** Script text served instead of office.js (a host stub); by default the real office.js from npm. */
  officeJs?: string;
  /** Refuse every request to Microsoft's office.js CDN, as a firewall that blocks it would. */
  blockOfficeJs?: boolean;
  /** Rewrites a file of ours before it reaches the page (e.g. a dataset with a crafted label). */
  rewrite?: { path: string; edit: (text: string) => string };
  /**
   * Files answered in place of the build's, by path (e.g. `/data/latest.json`); read at each request, so a test can
   * change what the "host" publishes between steps. A `status` other than 200 answers with that status.
   */
  served?: Map<string, ServedFile>;
}

export interface ServedFile {
  body: string | Buffer;
  status?: number;
  contentType?: string;
  /** Never answer (a server that accepts the request and stays silent). */
  hang?: boolean;
}

/**
 * A file of the npm copy of office.js by the path office.js asks for. Its code asks for `AgaveErrorUX/…` while the
 * folder is `agaveerrorux/`; Microsoft's CDN answers either, so folder names are matched without regard to case.
 */
function officeJsFile(relativePath: string): string | null {
  let current = OFFICE_JS_DIST;
  for (const part of relativePath.split("/").filter((segment) => segment !== "" && segment !== "." && segment !== "..")) {
    if (!existsSync(current) || !statSync(current).isDirectory()) return null;
    const match = readdirSync(current).find((name) => name === part) ?? readdirSync(current).find((name) => name.toLowerCase() === part.toLowerCase());
    if (match === undefined) return null;
    current = join(current, match);
  }
  return existsSync(current) && statSync(current).isFile() ? current : null;
}

/**
 * A browser context that can reach only `origin` and the office.js CDN (answered locally). Anything else is aborted,
 * so a test can never depend on the network.
 */
export async function offlineContext(browser: Browser, origin: string, options: OfflineContextOptions = {}): Promise<BrowserContext> {
  const { officeJs, blockOfficeJs, rewrite, served, ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) {
      const substitute = served?.get(new URL(url).pathname);
      if (substitute?.hang) return new Promise<void>(() => undefined);
      if (substitute) {
        const contentType = substitute.contentType ?? CONTENT_TYPES[extname(new URL(url).pathname)] ?? "application/octet-stream";
        return route.fulfill({ status: substitute.status ?? 200, body: substitute.body, contentType });
      }
      if (rewrite && new URL(url).pathname === rewrite.path) {
        const response = await route.fetch();
        return route.fulfill({ response, body: rewrite.edit(await response.text()) });
      }
      return route.continue();
    }
    if (url.startsWith(OFFICE_JS_CDN) && !blockOfficeJs) {
      const relativePath = new URL(url).pathname.slice(new URL(OFFICE_JS_CDN).pathname.length);
      if (officeJs !== undefined && relativePath === "office.js") return route.fulfill({ body: officeJs, contentType: CONTENT_TYPES[".js"] });
      const file = officeJsFile(relativePath);
      if (file !== null) return route.fulfill({ path: file, contentType: CONTENT_TYPES[extname(file)] ?? "text/plain" });
    }
    return route.abort();
  });
  return context;
}

/**
 * Reads a value until it settles on what `accept` wants (or the time is up) and returns the last reading, for the
 * test to assert with a readable failure: UI updates are asynchronous.
 *
 * @example
 * expect(await settled(() => page.locator("#formula").inputValue(), (v) => v.startsWith("="))).toBe('=QFIN.METRIC(…)')
 */
export async function settled<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
