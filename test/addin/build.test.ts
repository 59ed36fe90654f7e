/**
 * The production build, run once: the generated custom-functions metadata against the function table, what the
 * bundles may not contain, the ADDIN_HOST rewrite, and the manifest's URLs against the files the build emits.
 */
import { createHash } from "crypto";
import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { functionsMetadata } from "../../src/addin/functions-metadata";
import { FUNCTIONS } from "../../src/functions/catalogue";
import { PROJECT_ROOT, buildAddin, type AddinBuild } from "./build-addin";
import { allUrls, parseManifest } from "./manifest-reader";

const ADDIN_HOST = "https://qfin-addin.example.com/excel";
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
  build = await buildAddin(ADDIN_HOST);
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

  it("are the two entries with their source maps", () => {
    expect(scripts().sort()).toEqual(["functions.js", "taskpane.js"]);
    expect(build.files).toEqual(expect.arrayContaining(["functions.js.map", "taskpane.js.map"]));
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
    expect(build.files.filter((file) => file.startsWith("data/")).sort()).toEqual([`data/dataset.${version}.json`, "data/latest.json"]);
    expect(readFileSync(join(build.outDir, `data/dataset.${version}.json`)).equals(datasetBytes())).toBe(true);
  });

  it("is named by data/latest.json with its version, SHA-256, path and releases, computed from the file", () => {
    const dataset = JSON.parse(datasetBytes().toString("utf8")) as { releases: { id: string; date: string }[] };
    const newest = [...dataset.releases].sort((a, b) => a.date.localeCompare(b.date))[dataset.releases.length - 1];
    expect(JSON.parse(build.read("data/latest.json"))).toEqual({
      schema: 1,
      version: sha256().slice(0, 12),
      sha256: sha256(),
      path: `dataset.${sha256().slice(0, 12)}.json`,
      releases: dataset.releases.map((release) => release.id),
      latestRelease: { id: newest?.id, date: newest?.date },
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
    devServer: { host: string; port: number; server: string; headers: Record<string, string>; static: { directory: string; publicPath: string }[] };
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

  it("refuses an ADDIN_HOST that is not an https URL", () => {
    const saved = process.env.ADDIN_HOST;
    try {
      process.env.ADDIN_HOST = "http://qfin-addin.example.com";
      expect(() => configure({}, { mode: "production" })).toThrow(/https/);
      process.env.ADDIN_HOST = "qfin-addin.example.com";
      expect(() => configure({}, { mode: "production" })).toThrow(/absolute https URL/);
    } finally {
      if (saved === undefined) delete process.env.ADDIN_HOST;
      else process.env.ADDIN_HOST = saved;
    }
  });
});
