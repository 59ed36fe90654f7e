/**
 * Two rules about what the shipped code may import, checked on the source text:
 * - HyperFormula is GPL-3.0; the project is MIT. It is a test-only engine, so nothing under src/ may import it.
 * - src/engine runs in the browser (the taskpane workbench) as well as in Node: no Node built-ins there; its only
 *   packages are the two MIT formula libraries.
 */
import { readdirSync, readFileSync } from "fs";
import { join, relative } from "path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Module specifiers a file imports or requires, as TypeScript's own pre-processor reads them (no regex guessing). */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((imported) => imported.fileName);
}

describe("import boundaries", () => {
  it("finds the imports it checks", () => {
    expect(importsOf(join(ROOT, "src", "engine", "formula-engine.ts"))).toEqual(
      expect.arrayContaining(["fast-formula-parser", "../core/cell", "./qfin-call"]),
    );
  });

  it("no shipped code imports HyperFormula (GPL-3.0)", () => {
    const offenders = sourceFiles(join(ROOT, "src")).filter((file) => importsOf(file).some((specifier) => /^hyperformula(\/|$)/.test(specifier)));
    expect(offenders.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it("src/engine imports only project modules, fast-formula-parser and formulajs (no Node built-ins)", () => {
    const allowed = new Set(["fast-formula-parser", "@formulajs/formulajs"]);
    const foreign = sourceFiles(join(ROOT, "src", "engine")).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith(".") && !allowed.has(specifier))
        .map((specifier) => `${relative(ROOT, file)}: ${specifier}`),
    );
    expect(foreign).toEqual([]);
  });
});
