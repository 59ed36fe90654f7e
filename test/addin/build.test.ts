/**
 * The production build, run once: the generated custom-functions metadata against the function table, what the
 * bundles may not contain, the ADDIN_HOST rewrite, the pages (support, help, taskpane and its CSP), and the manifest's
 * URLs against the files the build emits. And `npm run build` itself, refusing without its settings.
 */
import { execFile } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runInNewContext } from "vm";
import { functionsMetadata } from "../../src/addin/functions-metadata";
import { REFRESH_LIMITS } from "../../src/addin/refresh";
import { FUNCTIONS } from "../../src/functions/catalogue";
import { PROJECT_ROOT, TEST_PRODUCTION_SETTINGS, buildAddin, type AddinBuild } from "./build-addin";
import { allUrls, parseManifest } from "./manifest-reader";
import { validateXml } from "../support/xmllint";

const ADDIN_HOST = TEST_PRODUCTION_SETTINGS.host;
const DEV_ORIGIN = "https://localhost:3000";

interface MetadataParameter {
  name: string;
  description?: string;
  type?: string;
  optional?: boolean;
  dimensionality?: string;
}
interface MetadataFunction {
  id: string;
  name: string;
  description?: string;
  helpUrl?: string;
  parameters: MetadataParameter[];
  result: { type?: string; dimensionality?: string };
}

let build: AddinBuild;
let metadata: { functions: MetadataFunction[] };

beforeAll(async () => {
  build = await buildAddin(TEST_PRODUCTION_SETTINGS);
  metadata = JSON.parse(build.read("functions.json")) as { functions: MetadataFunction[] };
}, 300_000);

afterAll(() => {
  if (build) rmSync(build.outDir, { recursive: true, force: true });
});

describe("functions.json (generated from the function catalogue)", () => {
  it("is what the catalogue's generator writes for the production host: every function under its frozen id, help links there", () => {
    expect(metadata).toEqual(JSON.parse(JSON.stringify(functionsMetadata(ADDIN_HOST))));
    expect(metadata.functions.map((fn) => fn.id)).toEqual(FUNCTIONS.map((fn) => fn.id));
    for (const fn of metadata.functions) {
      expect(fn.name).toBe(fn.id);
      expect(fn.helpUrl).toBe(`${ADDIN_HOST}/help.html#${fn.id}`);
      for (const param of fn.parameters) expect(param.type).toBe("any");
    }
  });

  it("declares a range parameter wherever a range is taken (item and period map cell by cell, SERIES takes a row of periods)", () => {
    const matrixParameters = metadata.functions.flatMap((fn) =>
      fn.parameters.filter((param) => param.dimensionality === "matrix").map((param) => `${fn.id}.${param.name}`),
    );
    expect(matrixParameters).toEqual(["METRIC.item", "METRIC.period", "MARGIN.item", "MARGIN.period", "GROWTH.item", "GROWTH.period", "CHANGE.item", "CHANGE.period", "SERIES.periods", "SOURCE.item", "SOURCE.period", "MARKER.item", "MARKER.period", "DEFINITION.item"]);
    const matrixResults = metadata.functions.filter((fn) => fn.result.dimensionality === "matrix").map((fn) => fn.id);
    expect(matrixResults).toEqual(["METRIC", "MARGIN", "GROWTH", "CHANGE", "SERIES", "STATEMENT", "ITEMS", "PERIODS", "SOURCE", "MARKER", "DEFINITION", "CHECK"]);
  });

  it("declares neither data-type nor error arguments (Excel passes plain values and answers error arguments itself)", () => {
    expect(Object.keys(metadata)).toEqual(["functions"]);
  });
});

describe("the bundles", () => {
  const scripts = (): string[] => build.files.filter((file) => file.endsWith(".js"));

  it("are the two entries, and the formula engine and the linker the pane loads on first use, with their source maps", () => {
    expect(scripts().sort()).toEqual(["formula-engine.js", "functions.js", "link-workbook.js", "taskpane.js"]);
    expect(build.files).toEqual(expect.arrayContaining(["formula-engine.js.map", "functions.js.map", "taskpane.js.map"]));
    // The engine's libraries are in its own file, not in the pane's start-up code.
    expect(build.read("formula-engine.js")).toContain("fast-formula-parser");
    for (const marker of ["fast-formula-parser", "is not implemented", "bahttext"]) expect({ marker, inTaskpane: build.read("taskpane.js").includes(marker) }).toEqual({ marker, inTaskpane: false });
    expect(build.read("formula-engine.js")).toContain("is not implemented");
    // So is the linker (Link this workbook).
    expect(build.read("link-workbook.js")).toContain("in periods the data lacks");
    expect(build.read("taskpane.js")).not.toContain("in periods the data lacks");
  });

  it("load functions.js where there is no page (no document, no current script) and answer a METRIC", () => {
    // functions.js carries webpack's chunk loader; an automatic public path would throw here at load.
    const registered: Record<string, (...args: unknown[]) => unknown> = {};
    const sandbox: Record<string, unknown> = {
      CustomFunctions: { associate: (id: string, fn: (...args: unknown[]) => unknown) => (registered[id] = fn), Error: class extends Error {}, ErrorCode: {} },
      setTimeout,
      clearTimeout,
      TextDecoder,
      TextEncoder,
      console,
    };
    sandbox.self = sandbox;
    sandbox.globalThis = sandbox;
    runInNewContext(build.read("functions.js"), sandbox, { filename: "functions.js" });
    expect(registered.METRIC?.([["Net income"]], [["Q2 2023"]], null, null, null)).toEqual([[1093.377]]);
  });

  it("contain no HyperFormula (GPL-3.0: tests only, never shipped)", () => {
    for (const file of scripts()) expect({ file, hyperformula: /hyperformula/i.test(build.read(file)) }).toEqual({ file, hyperformula: false });
    for (const file of build.files.filter((name) => name.endsWith(".map"))) {
      expect({ file, hyperformula: /node_modules\/hyperformula/.test(build.read(file)) }).toEqual({ file, hyperformula: false });
    }
  });

  it("evaluate no code at run time (no eval, no new Function)", () => {
    for (const file of scripts()) {
      const code = build.read(file);
      expect({ file, eval: /\beval\s*\(/.test(code), newFunction: /new\s+Function\s*\(/.test(code) }).toEqual({ file, eval: false, newFunction: false });
    }
  });

  it("embed the dataset once, in functions.js; the taskpane shares it through the shared runtime", () => {
    const dataset = readFileSync(join(PROJECT_ROOT, "data/dataset.json"), "utf8");
    // webpack inlines JSON as JSON.parse('…') of its compact form; a long prefix of that text identifies it.
    const needle = JSON.stringify(JSON.parse(dataset)).slice(0, 120);
    expect(build.read("functions.js")).toContain(needle);
    expect(build.read("taskpane.js")).not.toContain(needle);
    const html = build.read("taskpane.html");
    const functionsScript = html.search(/src="?functions\.js/);
    expect(functionsScript).toBeGreaterThan(0);
    expect(functionsScript).toBeLessThan(html.search(/src="?taskpane\.js/));
  });
});

describe("the published dataset (for the taskpane's Refresh)", () => {
  const datasetBytes = (): Buffer => readFileSync(join(PROJECT_ROOT, "data/dataset.json"));
  const sha256 = (): string => createHash("sha256").update(datasetBytes()).digest("hex");

  it("is data/dataset.<first 12 hex of its SHA-256>.json, the bytes of data/dataset.json", () => {
    const version = sha256().slice(0, 12);
    expect(build.files.filter((file) => file.startsWith("data/") && !file.startsWith("data/releases/")).sort()).toEqual([`data/dataset.${version}.json`, "data/latest.json"]);
    expect(readFileSync(join(build.outDir, `data/dataset.${version}.json`)).equals(datasetBytes())).toBe(true);
  });

  it("has beside it the text of each release it holds, named by its SHA-256, for the pane to quote", () => {
    const dataset = JSON.parse(datasetBytes().toString("utf8")) as { releases: { id: string; file: string; sha256: string }[] };
    expect(build.files.filter((file) => file.startsWith("data/releases/")).sort()).toEqual(dataset.releases.map((release) => `data/releases/${release.id}.${release.sha256.slice(0, 12)}.txt`).sort());
    for (const release of dataset.releases) {
      const published = readFileSync(join(build.outDir, `data/releases/${release.id}.${release.sha256.slice(0, 12)}.txt`));
      expect(createHash("sha256").update(published).digest("hex")).toBe(release.sha256);
      expect(published.equals(readFileSync(join(PROJECT_ROOT, release.file)))).toBe(true);
    }
  });

  it("is named by data/latest.json with its version, SHA-256, path, releases and revision (0 unless ADDIN_DATA_REVISION says), computed from the file", () => {
    const dataset = JSON.parse(datasetBytes().toString("utf8")) as { releases: { id: string; date: string }[] };
    const newest = [...dataset.releases].sort((a, b) => a.date.localeCompare(b.date))[dataset.releases.length - 1];
    expect(JSON.parse(build.read("data/latest.json"))).toEqual({
      schema: 1,
      version: sha256().slice(0, 12),
      sha256: sha256(),
      path: `dataset.${sha256().slice(0, 12)}.json`,
      releases: dataset.releases.map((release) => release.id),
      latestRelease: { id: newest?.id, date: newest?.date },
      revision: 0,
    });
  });

  it("embeds the dataset's version beside the dataset (functions.js, shared with the pane), to tell whether the host has a newer one", () => {
    expect(build.read("functions.js")).toContain(JSON.stringify(sha256().slice(0, 12)));
  });
});

describe("pages", () => {
  it("taskpane.html loads office.js from Microsoft's CDN, then the functions bundle, then the taskpane", () => {
    const html = build.read("taskpane.html");
    const officeJs = html.indexOf("https://appsforoffice.microsoft.com/lib/1/hosted/office.js");
    expect(officeJs).toBeGreaterThanOrEqual(0);
    expect(officeJs).toBeLessThan(html.search(/src="?functions\.js/));
    expect(html).not.toContain("/office-js/");
  });

  it("taskpane.html allows scripts from the add-in, Microsoft's office.js CDN and the one MicrosoftAjax file, nothing else", () => {
    const policy = /http-equiv="?Content-Security-Policy"?\s+content="([^"]+)"/.exec(build.read("taskpane.html"))?.[1] ?? "";
    const scriptSrc = policy.split(";").map((directive) => directive.trim()).find((directive) => directive.startsWith("script-src"));
    expect(scriptSrc).toBe("script-src 'self' https://appsforoffice.microsoft.com https://ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js");
    // No other path of ajax.aspnetcdn.com anywhere in the policy.
    expect(policy.match(/ajax\.aspnetcdn\.com[^\s;]*/g)).toEqual(["ajax.aspnetcdn.com/ajax/3.5/MicrosoftAjax.js"]);
  });

  it("support.html says how to get help (the build's support address, the publisher), and what to do about #NAME?, #BUSY!, failed refreshes and offline use", () => {
    const html = build.read("support.html");
    const manifest = readFileSync(join(PROJECT_ROOT, "manifest.xml"), "utf8");
    expect(html).toMatch(/<meta http-equiv="?Content-Security-Policy"? content="default-src 'none';/);
    expect(html).toContain(`mailto:${TEST_PRODUCTION_SETTINGS.supportEmail}`);
    expect(html).toContain(`published by ${/<ProviderName>([^<]+)</.exec(manifest)?.[1]}`);
    expect(html).toContain(`QFIN for Excel ${/<Version>([^<]+)</.exec(manifest)?.[1]}`);
    for (const section of ["contact", "name", "busy", "errors", "updates", "refresh-failed", "offline"]) expect(html).toMatch(new RegExp(`id="?${section}"?`));
    expect(html).toContain("Home › Add-ins › My Add-ins");
    expect(html).toMatch(/href="?help\.html"?[ >]/);
    // The limits it states are the ones the add-in applies.
    expect(html).toContain(`within ${REFRESH_LIMITS.pointerTimeoutMs / 1000} seconds`);
    expect(html).toContain(`the ${REFRESH_LIMITS.datasetMaxBytes / 1024 / 1024} MB the add-in accepts`);
    expect(html).not.toMatch(/<script/i);
  });

  it("help.html documents every function at the anchor its @helpurl names, with its example", () => {
    const html = build.read("help.html");
    for (const spec of FUNCTIONS) {
      expect(html).toMatch(new RegExp(`id="?${spec.id}"?[ >]`));
      expect(html).toContain(`QFIN.${spec.id}(`);
    }
    expect(html).toContain("QFIN.METRIC(item, period, [currency], [scale], [as_of])");
    // The minifier may decode &quot; back to a quote inside text.
    expect(html.replace(/&quot;/g, '"')).toContain('=QFIN.METRIC("Total net revenue","Q2 2023")');
  });
});

describe("manifest.xml in the build", () => {
  it("has every https://localhost:3000 URL rewritten to ADDIN_HOST, all occurrences", () => {
    const source = readFileSync(join(PROJECT_ROOT, "manifest.xml"), "utf8");
    const built = build.read("manifest.xml");
    expect(built).not.toContain("localhost");
    const occurrences = source.split(DEV_ORIGIN).length - 1;
    expect(occurrences).toBeGreaterThan(8);
    expect(built.split(ADDIN_HOST).length - 1).toBe(occurrences);
    expect(build.read("functions.json")).not.toContain("localhost");
  });

  it("is valid against Microsoft's schemas (xmllint), as rewritten", () => {
    expect(validateXml(build.read("manifest.xml"), join(PROJECT_ROOT, "test/schemas/office-addin-manifest/OfficeAppManifestV1_1.xsd"))).toEqual({ valid: true, messages: ["- validates"] });
  });

  it("points each of its URLs at a file the build emits", () => {
    const urls = allUrls(parseManifest(build.read("manifest.xml")));
    expect(urls.length).toBeGreaterThan(8);
    for (const url of urls) {
      expect(url.startsWith(`${ADDIN_HOST}/`)).toBe(true);
      const file = new URL(url).pathname.slice(new URL(ADDIN_HOST).pathname.length + 1);
      expect({ url, emitted: build.files.includes(file) }).toEqual({ url, emitted: true });
    }
  });
});

describe("webpack.config.js", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build config is CommonJS
  const configure = require("../../webpack.config.js") as (env: unknown, argv: { mode: string }) => {
    plugins: { userOptions?: { filename?: string; templateParameters?: { officeJsUrl?: string } } }[];
    devServer: {
      host: string;
      port: number;
      server: string;
      headers: Record<string, string>;
      static: { directory: string; publicPath: string }[];
      client: { overlay: { errors: boolean; warnings: boolean; runtimeErrors: boolean } };
    };
  };

  it("serves development on https://localhost:3000 with the npm copy of office.js at /office-js/", () => {
    const config = configure({}, { mode: "development" });
    expect(config.devServer).toMatchObject({ host: "localhost", port: 3000, server: "https" });
    expect(config.devServer.headers["Access-Control-Allow-Origin"]).toBe("*");
    const officeJs = config.devServer.static.find((entry) => entry.publicPath === "/office-js");
    expect(officeJs).toBeDefined();
    expect(readFileSync(join(officeJs?.directory ?? "", "office.js"), "utf8").length).toBeGreaterThan(1000);
    const taskpane = config.plugins.find((plugin) => plugin.userOptions?.filename === "taskpane.html");
    expect(taskpane?.userOptions?.templateParameters?.officeJsUrl).toBe("/office-js/office.js");
  });

  it("shows build errors over the page under npm start, never runtime errors (an overlay would cover the whole pane)", () => {
    expect(configure({}, { mode: "development" }).devServer.client.overlay).toEqual({ errors: true, warnings: false, runtimeErrors: false });
  });

  it("serves office.js's AgaveErrorUX/ pages from the npm copy's agaveerrorux/ folder (a 404 on a case-sensitive disk otherwise)", () => {
    const config = configure({}, { mode: "development" });
    const errorUx = config.devServer.static.find((entry) => entry.publicPath === "/office-js/AgaveErrorUX");
    expect(errorUx).toBeDefined();
    expect(existsSync(join(errorUx?.directory ?? "", "index.html"))).toBe(true);
    // office.js does ask for that spelling (and the folder is spelled otherwise).
    const officeJsDir = config.devServer.static.find((entry) => entry.publicPath === "/office-js")?.directory ?? "";
    expect(readFileSync(join(officeJsDir, "excel-web-16.00.js"), "utf8")).toContain("AgaveErrorUX/index.html");
    expect(readdirSync(officeJsDir)).not.toContain("AgaveErrorUX");
  });

  /** Runs the configuration as webpack does for `npm run build`, with exactly these two settings. */
  function configureProduction(host: string | undefined, email: string | undefined): () => unknown {
    return () => {
      const saved = { host: process.env.ADDIN_HOST, email: process.env.ADDIN_SUPPORT_EMAIL };
      try {
        if (host === undefined) delete process.env.ADDIN_HOST;
        else process.env.ADDIN_HOST = host;
        if (email === undefined) delete process.env.ADDIN_SUPPORT_EMAIL;
        else process.env.ADDIN_SUPPORT_EMAIL = email;
        return configure({}, { mode: "production" });
      } finally {
        for (const [name, value] of [["ADDIN_HOST", saved.host], ["ADDIN_SUPPORT_EMAIL", saved.email]] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    };
  }

  it("refuses a production build without an https ADDIN_HOST or a support address, saying what to set", () => {
    expect(configureProduction(undefined, undefined)).toThrow(
      "ADDIN_HOST is not set: set it to the https URL the add-in will be served from; ADDIN_SUPPORT_EMAIL is not set: set it to the address the support page gives analysts. For example: ADDIN_HOST=https://addins.example.com/qfin ADDIN_SUPPORT_EMAIL=qfin-support@example.com npm run build. For a build on https://localhost:3000, use npm run build:dev or npm start. See docs/publishing.md.",
    );
    expect(configureProduction("http://qfin-addin.example.com", "a@b.example")).toThrow('ADDIN_HOST must use https (Office requires it), got "http://qfin-addin.example.com"');
    expect(configureProduction("qfin-addin.example.com", "a@b.example")).toThrow("ADDIN_HOST must be an absolute https URL");
    expect(configureProduction("https://qfin-addin.example.com", "support")).toThrow('ADDIN_SUPPORT_EMAIL must be an email address, got "support"');
    expect(configureProduction("https://qfin-addin.example.com/", "a@b.example")).not.toThrow();
    // Development builds need neither.
    expect(() => configure({}, { mode: "development" })).not.toThrow();
  });

  it("refuses an ADDIN_DATA_REVISION that is not a whole number from 0, in either mode, before compiling", () => {
    const saved = process.env.ADDIN_DATA_REVISION;
    try {
      for (const bad of ["-1", "1.5", "one", "1e3"]) {
        process.env.ADDIN_DATA_REVISION = bad;
        expect(() => configure({}, { mode: "development" })).toThrow(`ADDIN_DATA_REVISION must be a whole number from 0 (the correction of the release being published), got "${bad}". See docs/publishing.md.`);
      }
      process.env.ADDIN_DATA_REVISION = "2";
      expect(() => configure({}, { mode: "development" })).not.toThrow();
    } finally {
      if (saved === undefined) delete process.env.ADDIN_DATA_REVISION;
      else process.env.ADDIN_DATA_REVISION = saved;
    }
  });
});

describe("npm run build", () => {
  it("is the production build, and refuses without ADDIN_HOST: exit status 2, the message and no stack, nothing written", async () => {
    expect((JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts).toMatchObject({
      build: "webpack --mode production",
      "build:dev": "webpack --mode development",
      start: "webpack serve --mode development",
    });
    const outDir = join(mkdtempSync(join(tmpdir(), "qfin-refused-build-")), "dist");
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.ADDIN_HOST;
    delete env.ADDIN_SUPPORT_EMAIL;
    const result = await new Promise<{ code: number | null; output: string }>((resolve) =>
      execFile("npm", ["run", "--silent", "build", "--", "--output-path", outDir, "--no-color"], { cwd: PROJECT_ROOT, env }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
      ),
    );
    expect(result.code).toBe(2);
    expect(result.output).toContain("npm run build refused: ADDIN_HOST is not set: set it to the https URL the add-in will be served from");
    expect(result.output).toContain("use npm run build:dev or npm start");
    expect(result.output).not.toMatch(/\n\s+at /);
    expect(existsSync(outDir)).toBe(false);
  }, 120_000);
});
