/**
 * What ships, checked on one production build: no code evaluated at run time by any route the build test's
 * `eval(` / `new Function(` scan does not cover, pages that load nothing over plain http, and the licence of every
 * third-party package in the bundles (docs/licences.md is generated from the same build and must be current).
 */
import { readFileSync } from "fs";
import type { AddinBuild } from "../addin/build-addin";
import { sharedAddinBuild } from "../browser/support/shared-build";
import { LICENCES_DOC, cliPackages, isPermissive, packageDirectory, renderLicences, renderNotices, shippedPackages } from "./licence-list";

let build: AddinBuild;

beforeAll(async () => {
  // The same production build the browser tests use (built once per run, keyed by the sources).
  build = await sharedAddinBuild();
}, 600_000);

const scripts = (): string[] => build.files.filter((file) => file.endsWith(".js"));

/** Where a pattern occurs in a bundle, with a little context, so a failure shows the offending code. */
function occurrences(code: string, pattern: RegExp): string[] {
  return [...code.matchAll(pattern)].map((match) => code.slice(Math.max(0, (match.index ?? 0) - 40), (match.index ?? 0) + 40));
}

describe("the bundles compile no code at run time (strict CSP without 'unsafe-eval')", () => {
  // Minified code: no space between a callee and its "(". The build test covers `eval(` and `new Function(`.
  const ROUTES: Record<string, RegExp> = {
    "Function(…) called without new": /(?<![.\w$])Function\(/g,
    "any reference to eval (indirect eval: (0,eval)(…), window.eval)": /(?<![\w$])eval(?![\w$])/g,
    "a string passed to setTimeout/setInterval/setImmediate": /\bset(?:Timeout|Interval|Immediate)\(\s*["'`]/g,
    "a string passed to a constructor (x.constructor(\"…\"))": /\.constructor\(\s*["'`]/g,
    "WebAssembly compiled at run time": /WebAssembly\.(?:compile|instantiate|Module)\b/g,
    "scripts imported at run time (importScripts, import(…))": /(?<![.\w$])(?:importScripts|import)\(/g,
    "document.write": /document\.write(?:ln)?\(/g,
  };

  it.each(Object.entries(ROUTES))("no %s", (_route, pattern) => {
    for (const file of scripts()) expect({ file, found: occurrences(build.read(file), pattern) }).toEqual({ file, found: [] });
  });

  it("the scan itself finds each route in code that uses it", () => {
    const samples = ['var g=Function("return this")();', "(0,eval)(s);", 'setTimeout("alert(1)",0);', 'x.constructor("return 1")()', "WebAssembly.instantiate(b)", 'importScripts("x.js")', 'document.write("<p>")'];
    Object.values(ROUTES).forEach((pattern, position) => expect(occurrences(samples[position] as string, pattern)).toHaveLength(1));
    expect(occurrences("o.unknownFunction(x);isFunction(y);evaluate(z);a.eval(1)", ROUTES["Function(…) called without new"] as RegExp)).toEqual([]);
  });
});

describe("the pages load scripts, styles and images only over https or from their own origin", () => {
  it.each(["taskpane.html", "help.html"])("%s", (page) => {
    const html = build.read(page);
    const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => match[1] as string);
    expect(references.length).toBeGreaterThan(0);
    const insecure = references.filter((url) => /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^(https:|#)/i.test(url));
    expect(insecure).toEqual([]);
  });
});

describe("third-party code in the bundles", () => {
  it("is accounted for: every bundled module is ours, webpack's runtime, or an npm package we can name", () => {
    for (const file of scripts()) {
      const { sources } = JSON.parse(build.read(`${file}.map`)) as { sources: string[] };
      const unaccounted = sources.filter(
        (source) => packageDirectory(source) === null && !/^webpack:\/\/[^/]+\/(\.\/(src|data)\/|webpack\/)/.test(source) && !source.startsWith("data:"),
      );
      expect({ file, unaccounted }).toEqual({ file, unaccounted: [] });
    }
  });

  it("ships with its notices: third-party-notices.txt (copied beside the bundles) is current for the build", () => {
    expect(build.read("third-party-notices.txt")).toBe(renderNotices(shippedPackages(build)));
    expect(build.read("third-party-notices.txt")).toContain("decimal.js 10.6.0 (MIT)");
  });

  it("is under permissive licences only (no GPL, AGPL, LGPL, SSPL, MPL, custom or missing licence)", () => {
    const packages = shippedPackages(build);
    expect(packages.map((entry) => entry.name)).toEqual(expect.arrayContaining(["decimal.js", "fast-formula-parser"]));
    expect(packages.filter((entry) => !isPermissive(entry.licence)).map((entry) => `${entry.name}@${entry.version}: ${entry.licence}`)).toEqual([]);
  });

  it("is listed in docs/licences.md as the build finds it (run `npm run licences` after changing dependencies)", () => {
    expect(readFileSync(LICENCES_DOC, "utf8")).toBe(renderLicences(shippedPackages(build), cliPackages()));
  });

  it("the qfin command installs with permissive licences only, and without the unlicensed buffers@0.1.1", () => {
    const installed = cliPackages();
    expect(installed.map((entry) => entry.name)).toEqual(expect.arrayContaining(["exceljs", "saxes", "fast-formula-parser", "unzipper"]));
    expect(installed.filter((entry) => !isPermissive(entry.licence)).map((entry) => `${entry.name}@${entry.version}: ${entry.licence}`)).toEqual([]);
    expect(installed.filter((entry) => ["buffers", "fstream", "inflight", "rimraf"].includes(entry.name) || (entry.name === "glob" && entry.version.startsWith("7.")))).toEqual([]);
  });

  it("the licence rule refuses copyleft and unknown licences and takes a permissive choice of an OR", () => {
    for (const refused of ["GPL-3.0", "GPL-3.0-or-later", "AGPL-3.0-only", "LGPL-2.1", "SSPL-1.0", "MPL-2.0", "UNKNOWN", "SEE LICENSE IN LICENSE.txt", "(MIT AND GPL-2.0)"]) {
      expect({ refused, ok: isPermissive(refused) }).toEqual({ refused, ok: false });
    }
    for (const accepted of ["MIT", "Apache-2.0", "(MIT OR GPL-3.0)", "BSD-3-Clause", "(MIT AND ISC)", "(MIT AND Zlib)"]) {
      expect({ accepted, ok: isPermissive(accepted) }).toEqual({ accepted, ok: true });
    }
  });
});
