/**
 * The house's fences, checked on the source: which room may import which (a lower floor never imports a higher one),
 * which packages each room may use, and that only src/addin touches Office's globals (Office, Excel, CustomFunctions,
 * OfficeRuntime). Imports are read by TypeScript's own pre-processor, globals by walking its syntax tree, so comments
 * and strings never count. Each layer's tsconfig (src/<room>/tsconfig.json) holds the matching type fences.
 */
import { readdirSync, readFileSync } from "fs";
import { dirname, join, relative, resolve, sep } from "path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..", "..");
const SRC = join(ROOT, "src");

type Room = "core" | "excel" | "functions" | "ingest" | "engine" | "models" | "workbook" | "addin" | "taskpane" | "cli";

/** Each room's floor, its one job, and what it may import (rooms and packages). */
const ROOMS: Record<Room, { floor: number; rooms: Room[]; packages: string[] }> = {
  core: { floor: 1, rooms: [], packages: ["decimal.js"] },
  excel: { floor: 2, rooms: ["core"], packages: [] },
  functions: { floor: 2, rooms: ["core"], packages: [] },
  ingest: { floor: 2, rooms: ["core"], packages: ["crypto", "fs", "path"] },
  engine: { floor: 3, rooms: ["core", "excel", "functions"], packages: ["fast-formula-parser", "@formulajs/formulajs"] },
  models: { floor: 3, rooms: ["core", "excel"], packages: [] },
  // exceljs writes the template; saxes (ISC) is the XML parser recalc reads every part with; node:zlib inflates and
  // deflates the package's entries (recalc reads and writes the zip itself, so untouched entries stay byte for byte).
  // src/workbook runs only in the qfin command, never in a bundle.
  workbook: { floor: 4, rooms: ["core", "excel", "functions", "engine", "models"], packages: ["exceljs", "saxes", "node:*"] },
  addin: { floor: 4, rooms: ["core", "excel", "functions", "engine", "models"], packages: [] },
  taskpane: { floor: 5, rooms: ["core", "excel", "functions", "engine", "models", "addin"], packages: ["@fluentui/web-components", "@fluentui/tokens"] },
  cli: { floor: 5, rooms: ["core", "excel", "functions", "ingest", "engine", "models", "workbook"], packages: ["node:*"] },
};

/** Files outside src/ a room may read: the dataset the add-in embeds. */
const DATA_FILES = new Set([join(ROOT, "data", "dataset.json")]);

const OFFICE_GLOBALS = new Set(["Office", "Excel", "CustomFunctions", "OfficeRuntime"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const roomOf = (file: string): Room => relative(SRC, file).split(sep)[0] as Room;

function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((imported) => imported.fileName);
}

/** What an import specifier reaches: a room, a data file, or a package (its name). */
function target(file: string, specifier: string): { room: Room } | { data: string } | { package: string } {
  if (!specifier.startsWith(".")) {
    const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
    return { package: name.startsWith("node:") ? "node:*" : name };
  }
  const path = resolve(dirname(file), specifier);
  if (DATA_FILES.has(path)) return { data: path };
  if (!path.startsWith(SRC + sep)) return { package: `(outside src) ${relative(ROOT, path)}` };
  return { room: roomOf(path) };
}

/** Identifiers naming an Office global in a file, outside property names and declarations of its own. */
function officeGlobalsUsed(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2020, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && OFFICE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent);
      const isQualifiedTail = ts.isQualifiedName(parent) && parent.right === node;
      if (!isPropertyName && !isQualifiedTail) found.push(`${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sourceFiles(SRC);

describe("the fences between rooms", () => {
  it("finds every room's files and their imports (a fence test that reads nothing would pass)", () => {
    const rooms = new Set(files.map(roomOf));
    expect([...rooms].sort()).toEqual(Object.keys(ROOMS).sort());
    expect(importsOf(join(SRC, "engine", "formula-engine.ts"))).toEqual(expect.arrayContaining(["fast-formula-parser", "../core/cell", "./qfin-functions"]));
    expect(officeGlobalsUsed(join(SRC, "addin", "office.ts")).length).toBeGreaterThan(5);
  });

  it("every import stays inside what its room may use; no room imports a higher floor", () => {
    const crossings: string[] = [];
    for (const file of files) {
      const room = roomOf(file);
      const rule = ROOMS[room];
      for (const specifier of importsOf(file)) {
        const reached = target(file, specifier);
        const where = `${relative(ROOT, file)} → ${specifier}`;
        if ("room" in reached) {
          if (reached.room === room) continue;
          if (!rule.rooms.includes(reached.room)) crossings.push(`${where} (${room} may not import ${reached.room})`);
          else if (ROOMS[reached.room].floor >= rule.floor) crossings.push(`${where} (floor ${rule.floor} imports floor ${ROOMS[reached.room].floor})`);
        } else if ("package" in reached) {
          if (!rule.packages.includes(reached.package)) crossings.push(`${where} (package ${reached.package} is not ${room}'s)`);
        } else if (room !== "addin") {
          crossings.push(`${where} (only src/addin embeds the dataset)`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it("only src/addin touches Office's globals (Office, Excel, CustomFunctions, OfficeRuntime)", () => {
    const outside = files.filter((file) => roomOf(file) !== "addin").flatMap(officeGlobalsUsed);
    expect(outside).toEqual([]);
  });

  it("no shipped code imports HyperFormula (GPL-3.0; tests only)", () => {
    const offenders = files.filter((file) => importsOf(file).some((specifier) => /^hyperformula(\/|$)/.test(specifier)));
    expect(offenders.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it("the core and the catalogue keep no module-level mutable state: no top-level let/var, and top-level Maps and Sets are read-only tables", () => {
    const stateful: string[] = [];
    for (const file of files.filter((candidate) => roomOf(candidate) === "core" || roomOf(candidate) === "functions")) {
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2020, true);
      for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        const flags = statement.declarationList.flags;
        if (!(flags & ts.NodeFlags.Const)) stateful.push(`${relative(ROOT, file)}: ${statement.getText().slice(0, 60)}`);
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer;
          const readOnly = declaration.type !== undefined && /^Readonly(Map|Set)</.test(declaration.type.getText());
          if (init && ts.isNewExpression(init) && /^(Weak)?(Map|Set)$/.test(init.expression.getText()) && !readOnly) {
            stateful.push(`${relative(ROOT, file)}: ${declaration.name.getText()} = new ${init.expression.getText()}`);
          }
        }
      }
    }
    expect(stateful).toEqual([]);
  });
});
