/**
 * The licences of the third-party code that ships: every npm package with at least one module in a bundle the build
 * emits, found from the bundles' source maps (webpack lists every module it bundled there, by path), and every
 * package the `qfin` command installs with (the production dependencies in package-lock.json: what
 * `npm install --omit=dev` puts beside it), each with the licence its package.json declares. Renders
 * docs/licences.md; test/hardening/shipped-code.test.ts checks that the committed file is current and that every
 * licence is one we may ship.
 *
 *   npm run licences     rebuilds the add-in into a temporary folder and rewrites docs/licences.md
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { PROJECT_ROOT, buildAddin, type AddinBuild } from "../addin/build-addin";

export const LICENCES_DOC = join(PROJECT_ROOT, "docs", "licences.md");
/** Shipped beside the bundles (webpack copies it to dist/): the notices MIT, ISC, BSD and Apache ask to keep. */
export const NOTICES_FILE = join(PROJECT_ROOT, "docs", "third-party-notices.txt");

/**
 * Licences that let us ship the code in a closed or open add-in without obligations beyond keeping the notice.
 * Anything else — GPL, AGPL, LGPL, SSPL, MPL, a custom text, no licence at all — fails until someone decides.
 */
export const PERMISSIVE_LICENCES: ReadonlySet<string> = new Set([
  "MIT",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "0BSD",
  "Unlicense",
  "CC0-1.0",
  "BlueOak-1.0.0",
  // zlib's licence (pako, under jszip, which exceljs uses): keep the notice, mark altered versions.
  "Zlib",
]);

export interface ShippedPackage {
  name: string;
  /** Where it is installed, relative to the project (`node_modules/decimal.js`). */
  directory: string;
  version: string;
  /** The package.json `license` (an SPDX expression), or "UNKNOWN" when it declares none. */
  licence: string;
  /** The emitted bundles that contain its code. */
  bundles: string[];
  /** Modules of the package in those bundles. */
  modules: number;
}

/** `node_modules/a/node_modules/@b/c/lib/x.js` → `node_modules/a/node_modules/@b/c` (the package that owns the file). */
export function packageDirectory(source: string): string | null {
  const path = source.replace(/^webpack:\/\/[^/]*\/(\.\/)?/, "");
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
  return match ? (match[1] as string) : null;
}

function declaredLicence(packageJson: { license?: unknown; licenses?: unknown }): string {
  const { license, licenses } = packageJson;
  if (typeof license === "string" && license.trim() !== "") return license.trim();
  if (license && typeof license === "object" && typeof (license as { type?: unknown }).type === "string") return (license as { type: string }).type;
  if (Array.isArray(licenses)) {
    const types = licenses.map((entry) => (entry as { type?: unknown })?.type).filter((type): type is string => typeof type === "string");
    if (types.length > 0) return types.length === 1 ? (types[0] as string) : `(${types.join(" OR ")})`;
  }
  return "UNKNOWN";
}

/** Every package with code in the build's JavaScript bundles, sorted by name. */
export function shippedPackages(build: AddinBuild): ShippedPackage[] {
  const packages = new Map<string, ShippedPackage>();
  for (const bundle of build.files.filter((file) => file.endsWith(".js")).sort()) {
    const map = JSON.parse(build.read(`${bundle}.map`)) as { sources: string[] };
    for (const source of map.sources) {
      const directory = packageDirectory(source);
      if (directory === null) continue;
      let entry = packages.get(directory);
      if (entry === undefined) {
        const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, directory, "package.json"), "utf8")) as { name?: string; version?: string; license?: unknown; licenses?: unknown };
        entry = { name: packageJson.name ?? directory, directory, version: packageJson.version ?? "?", licence: declaredLicence(packageJson), bundles: [], modules: 0 };
        packages.set(directory, entry);
      }
      if (!entry.bundles.includes(bundle)) entry.bundles.push(bundle);
      entry.modules++;
    }
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

export interface InstalledPackage {
  name: string;
  version: string;
  licence: string;
  /** `node_modules/…` as package-lock.json has it. */
  directory: string;
}

/**
 * Every package the qfin command is installed with: package-lock.json's entries that are not development-only,
 * with the licence their installed package.json declares (the lock omits some, e.g. jstat's `licenses` array).
 */
export function cliPackages(): InstalledPackage[] {
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean }> };
  const packages = new Map<string, InstalledPackage>();
  for (const [directory, entry] of Object.entries(lock.packages)) {
    if (directory === "" || entry.dev || entry.devOptional) continue;
    const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, directory, "package.json"), "utf8")) as { name?: string; version?: string; license?: unknown; licenses?: unknown };
    const found = { name: packageJson.name ?? directory, version: packageJson.version ?? entry.version ?? "?", licence: declaredLicence(packageJson), directory };
    // One row per name and version, however many places npm installs it.
    if (!packages.has(`${found.name}@${found.version}`)) packages.set(`${found.name}@${found.version}`, found);
  }
  return [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/**
 * Whether a licence expression may ship: an OR needs one permissive alternative, an AND needs all of them.
 *
 * @example
 * isPermissive("MIT")                    // true
 * isPermissive("(MIT OR GPL-3.0)")       // true: we take it under MIT
 * isPermissive("GPL-3.0-or-later")       // false
 * isPermissive("UNKNOWN")                // false
 */
export function isPermissive(expression: string): boolean {
  const text = expression.trim().replace(/^\((.*)\)$/, "$1");
  if (/\sOR\s/i.test(text)) return text.split(/\s+OR\s+/i).some(isPermissive);
  if (/\sAND\s/i.test(text)) return text.split(/\s+AND\s+/i).every(isPermissive);
  return PERMISSIVE_LICENCES.has(text);
}

/** docs/licences.md for these packages: the bundles', then the qfin command's. */
export function renderLicences(packages: readonly ShippedPackage[], installed: readonly InstalledPackage[]): string {
  const rows = packages.map(
    (entry) => `| ${entry.name} | ${entry.version} | ${entry.licence} | ${entry.bundles.join(", ")} |`,
  );
  const cliRows = installed.map((entry) => `| ${entry.name} | ${entry.version} | ${entry.licence} |`);
  return [
    "# Third-party code in the shipped bundles",
    "",
    "Generated by `npm run licences` from the production build's source maps (every npm package with a module in",
    "`functions.js` or `taskpane.js`); `test/hardening/shipped-code.test.ts` fails when this file is out of date or a",
    "licence below is not one of: " + [...PERMISSIVE_LICENCES].join(", ") + ".",
    "",
    "Development-only packages (HyperFormula, GPL-3.0, used by tests and `npm run bench`; jest; webpack …) are not",
    "listed: none of their code is in the bundles (`test/addin/build.test.ts` checks HyperFormula's absence).",
    "Microsoft's office.js is loaded from Microsoft's CDN at run time, not bundled.",
    "",
    "| package | version | licence | bundles |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "## Installed with the `qfin` command",
    "",
    "The command runs from this package in Node and is installed with its production dependencies (package-lock.json's",
    "entries that are not development-only, as `npm install --omit=dev` installs them), each with its own licence file.",
    "exceljs's deprecated dependencies are replaced through package.json's `overrides` (unzipper 0.12, glob 10 under",
    "archiver), which also removes `buffers@0.1.1`, a package that declared no licence.",
    "",
    "| package | version | licence |",
    "| --- | --- | --- |",
    ...cliRows,
    "",
  ].join("\n");
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.(md|txt))?$/i;

/**
 * The notices file: for each shipped package, its name, version and licence, and the text of its LICENSE/NOTICE
 * files (or, where a package ships none, a line saying so with its declared licence).
 */
export function renderNotices(packages: readonly ShippedPackage[]): string {
  const sections = packages.map((entry) => {
    const directory = join(PROJECT_ROOT, entry.directory);
    const texts = readdirSync(directory)
      .filter((name) => LICENCE_FILE.test(name))
      .sort()
      .map((name) => readFileSync(join(directory, name), "utf8").trim());
    const body = texts.length > 0 ? texts.join("\n\n") : `(The package ships no licence file; its package.json declares ${entry.licence}.)`;
    return `${"=".repeat(78)}\n${entry.name} ${entry.version} (${entry.licence})\n${"=".repeat(78)}\n\n${body}\n`;
  });
  return [
    "Third-party software in QFIN for Excel's bundles (functions.js, taskpane.js), with the notices their licences ask",
    "to keep. Generated by `npm run licences` from the production build's source maps.",
    "",
    ...sections,
  ].join("\n");
}

if (require.main === module) {
  void (async () => {
    const build = await buildAddin();
    try {
      const packages = shippedPackages(build);
      const installed = cliPackages();
      writeFileSync(LICENCES_DOC, renderLicences(packages, installed));
      writeFileSync(NOTICES_FILE, renderNotices(packages));
      const refused = [...packages, ...installed].filter((entry) => !isPermissive(entry.licence));
      console.log(`Wrote ${LICENCES_DOC}: ${packages.length} packages${refused.length ? `; NOT PERMISSIVE: ${refused.map((entry) => `${entry.name} (${entry.licence})`).join(", ")}` : ""}.`);
      if (refused.length > 0) process.exitCode = 1;
    } finally {
      rmSync(build.outDir, { recursive: true, force: true });
    }
  })();
}
