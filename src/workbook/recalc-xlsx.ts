/**
 * Headless refresh of any .xlsx: recomputes every QFIN formula (and every formula that depends on one) with the
 * shipped engine and the loaded dataset, and writes the new cached values by surgery on the package: only the `<c>`
 * elements of cells whose value changed are rewritten; every other part, and every other byte of the sheets, stays
 * as it was (unchanged zip entries are copied as they are: same compression, extra fields and file modes).
 */
import { CellError, CellValue, FunctionResult, isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { formatA1, parseRange } from "../excel/a1";
import { callsQfin } from "../excel/formula-text";
import { shiftFormula } from "../excel/shift-formula";
import { CellGrid } from "../engine/cell-grid";
import { WorkbookCell, cellName, evaluateWorkbook } from "../engine/workbook-evaluator";
import { SheetCellXml, readSharedStrings, readSheetCells, rewriteCell, spliceCells } from "./sheet-xml";
import { WorkbookFileError } from "./workbook-file-error";
import { PACKAGE_RELATIONSHIPS_NAMESPACE, RELATIONSHIP_ID_NAMESPACES, decodeOoxmlText, isMain, parseXml } from "./xml-reader";
import { PartReader, readZipPackage, writeZipPackage } from "./zip-package";

export { WorkbookFileError } from "./workbook-file-error";

export interface ValueChange {
  /** `Income statement!C6` */
  cell: string;
  before: CellValue | null;
  after: CellValue | null;
}

export interface CellProblem {
  cell: string;
  /** `#N/A`, `#VALUE!`, … for error values; `CYCLE`, `UNSUPPORTED` or `SPILL` when the cell could not be refreshed. */
  code: string;
  message: string;
}

export interface RecalcReport {
  /** Formula cells that call a QFIN function. */
  qfinFormulas: number;
  /** Formula cells recalculated: the QFIN ones and those depending on them. */
  recalculated: number;
  /** Cells whose cached value changed, in evaluation order (spilled cells included). */
  changes: ValueChange[];
  /** Recalculated cells that hold an error value, with its message. */
  errors: CellProblem[];
  /** Cells that keep their old value: circular references, functions this engine lacks, spills that no longer fit. */
  skipped: CellProblem[];
  /** What recalc did differently from the file's own word, and why: array areas capped to the cells the sheet has. */
  notes: CellProblem[];
}

interface SheetPart {
  name: string;
  path: string;
  xml: string;
  cells: SheetCellXml[];
  /** The sheet's cells by position: what lies inside an array area. */
  grid: CellGrid<SheetCellXml>;
}

/** An array formula's area, as the file gives it and as recalc uses it (capped to the cells the sheet has). */
interface ArrayArea {
  ref: string;
  rows: number;
  columns: number;
}

/**
 * Recalculates the QFIN formulas of an .xlsx file against `index` and returns the new file and a report.
 * Throws WorkbookFileError for input that is not an .xlsx workbook, or one refused as hostile (a zip bomb, XML that
 * is not well-formed, a cell outside Excel's grid).
 *
 * @example
 * const { output, report } = await recalculateXlsx(readFileSync("model.xlsx"), index);
 * report.changes // [{ cell: "Income statement!F6", before: 3914.324, after: 4100.2 }, …]
 */
export async function recalculateXlsx(input: Uint8Array, index: DatasetIndex | null): Promise<{ output: Buffer; report: RecalcReport }> {
  const zip = readZipPackage(input);
  const reader = new PartReader(zip);
  const workbook = readWorkbook(reader);
  const sharedStrings = workbook.sharedStrings && reader.has(workbook.sharedStrings) ? readSharedStrings(reader.text(workbook.sharedStrings), workbook.sharedStrings) : [];
  const parts: SheetPart[] = [];
  for (const sheet of workbook.sheets) {
    const xml = reader.text(sheet.path);
    const cells = readSheetCells(xml, sharedStrings, `its sheet "${sheet.name}" (${sheet.path})`);
    const grid = new CellGrid<SheetCellXml>();
    for (const cell of cells) grid.add(cell.row, cell.col, cell);
    parts.push({ ...sheet, xml, cells, grid });
  }

  const report: RecalcReport = { qfinFormulas: 0, recalculated: 0, changes: [], errors: [], skipped: [], notes: [] };
  const sources: WorkbookCell[] = [];
  const byName = new Map<string, { part: SheetPart; cell: SheetCellXml }>();
  const areas = new Map<SheetCellXml, ArrayArea>();
  for (const part of parts) {
    const masters = sharedFormulaMasters(part.cells);
    for (const cell of part.cells) {
      const name = cellName(part.name, cell.address);
      byName.set(name, { part, cell });
      const formula = formulaOf(cell, masters);
      const source: WorkbookCell = { sheet: part.name, address: cell.address, value: cell.value };
      if (formula !== undefined) {
        source.formula = formula;
        if (callsQfin(formula)) report.qfinFormulas++;
        const area = arrayArea(part, cell, report);
        if (area) {
          areas.set(cell, area);
          source.spill = { rows: area.rows, columns: area.columns };
        }
      }
      sources.push(source);
    }
  }

  const evaluation = evaluateWorkbook(sources, { index, definedNames: workbook.definedNames });
  const edits = new Map<SheetPart, { start: number; end: number; xml: string }[]>();
  const edit = (part: SheetPart, cell: SheetCellXml, value: CellValue | null): void => {
    if (sameValue(cell.value, value)) return;
    report.changes.push({ cell: cellName(part.name, cell.address), before: cell.value, after: value });
    const list = edits.get(part) ?? [];
    list.push({ start: cell.start, end: cell.end, xml: rewriteCell(part.xml, cell, value) });
    edits.set(part, list);
  };

  for (const [name, outcome] of evaluation.cells) {
    report.recalculated++;
    if (outcome.kind === "cycle") {
      report.skipped.push({ cell: name, code: "CYCLE", message: `circular reference (${outcome.cycle.join(" → ")}); value left as it was.` });
      continue;
    }
    if (outcome.kind === "unsupported") {
      report.skipped.push({ cell: name, code: "UNSUPPORTED", message: `${outcome.reason} Value left as Excel computed it.` });
      continue;
    }
    const { part, cell } = byName.get(name) as { part: SheetPart; cell: SheetCellXml };
    writeResult(name, part, cell, areas.get(cell), outcome.value, edit, report);
  }

  const replacements = new Map<string, Uint8Array>();
  for (const [part, list] of edits) replacements.set(part.path, Buffer.from(spliceCells(part.xml, list), "utf8"));
  return { output: writeZipPackage(zip, replacements), report };
}

/**
 * The area of an array formula (`<f t="array" ref="A1:C3">`), capped to the cells the sheet has: a file may claim
 * `A1:XFD1048576`, but only cells that exist can receive a value, and walking 17 billion positions would hang.
 * A capped area is noted in the report.
 */
function arrayArea(part: SheetPart, cell: SheetCellXml, report: RecalcReport): ArrayArea | undefined {
  const ref = cell.formula?.attributes.t === "array" ? cell.formula.attributes.ref : undefined;
  if (ref === undefined) return undefined;
  const range = parseRange(ref);
  if (!range) return undefined;
  const used = part.grid.extent();
  const rows = range.to.row - cell.row + 1;
  const columns = range.to.col - cell.col + 1;
  if (rows < 1 || columns < 1) return undefined;
  const cappedRows = Math.min(rows, Math.max(1, used.row - cell.row + 1));
  const cappedColumns = Math.min(columns, Math.max(1, used.col - cell.col + 1));
  if (cappedRows < rows || cappedColumns < columns) {
    const capped = `${cell.address}:${formatA1({ row: cell.row + cappedRows - 1, col: cell.col + cappedColumns - 1 })}`;
    report.notes.push({
      cell: cellName(part.name, cell.address),
      code: "AREA",
      message: `the array area ${ref} reaches past the cells the sheet has; recalculated as ${capped} (cells outside it do not exist in the file).`,
    });
  }
  return { ref, rows: cappedRows, columns: cappedColumns };
}

function writeResult(
  name: string,
  part: SheetPart,
  cell: SheetCellXml,
  area: ArrayArea | undefined,
  value: FunctionResult,
  edit: (part: SheetPart, cell: SheetCellXml, value: CellValue | null) => void,
  report: RecalcReport,
): void {
  const held = area ?? { rows: 1, columns: 1 };
  // Only cells that exist in the file can take a value: walk those inside the area, not every position.
  const inArea = part.grid.within({ fromRow: cell.row, fromCol: cell.col, toRow: cell.row + held.rows - 1, toCol: cell.col + held.columns - 1 });
  if (!Array.isArray(value)) {
    edit(part, cell, value);
    noteError(name, value, report);
    for (const other of inArea) if (other !== cell) edit(part, other, null);
    return;
  }
  const rows = value.length;
  let columns = 0;
  for (const entries of value) columns = Math.max(columns, entries.length);
  for (const target of inArea) {
    const row = target.row - cell.row;
    const col = target.col - cell.col;
    const entry = row < rows && col < (value[row] as CellValue[]).length ? (value[row] as CellValue[])[col] as CellValue : null;
    edit(part, target, target === cell ? (entry ?? "") : entry);
    if (entry !== null) noteError(cellName(part.name, target.address), entry, report);
  }
  if (rows > held.rows || columns > held.columns) {
    report.skipped.push({
      cell: name,
      code: "SPILL",
      message: `the result is ${rows}×${columns} but the file's array area ${area?.ref ?? cell.address} is ${held.rows}×${held.columns}; the file holds the part that fits, and Excel shows the whole result when it recalculates.`,
    });
  }
}

function noteError(name: string, value: CellValue, report: RecalcReport): void {
  if (isCellError(value)) report.errors.push({ cell: name, code: value.type, message: value.message });
}

function sameValue(before: CellValue | null, after: CellValue | null): boolean {
  if (isCellError(before) || isCellError(after)) return isCellError(before) && isCellError(after) && before.type === after.type;
  const blank = (value: CellValue | null): boolean => value === null || value === "";
  return (blank(before) && blank(after)) || before === after;
}

/** Shared-formula masters of a sheet by `si`: their formula and position. */
function sharedFormulaMasters(cells: readonly SheetCellXml[]): Map<string, { text: string; row: number; col: number }> {
  const masters = new Map<string, { text: string; row: number; col: number }>();
  for (const cell of cells) {
    const formula = cell.formula;
    const si = formula?.attributes.si;
    if (formula?.attributes.t === "shared" && si !== undefined && formula.attributes.ref !== undefined && formula.text !== "") {
      masters.set(si, { text: formula.text, row: cell.row, col: cell.col });
    }
  }
  return masters;
}

/** The formula a cell holds, with shared formulas expanded from their master. */
function formulaOf(cell: SheetCellXml, masters: ReadonlyMap<string, { text: string; row: number; col: number }>): string | undefined {
  const formula = cell.formula;
  if (!formula) return undefined;
  if (formula.attributes.t === "shared" && formula.text === "") {
    const master = masters.get(formula.attributes.si ?? "");
    if (!master) return undefined;
    return shiftFormula(master.text, cell.row - master.row, cell.col - master.col);
  }
  return formula.text;
}

interface WorkbookParts {
  /** The worksheets (name and part path), in tab order. */
  sheets: { name: string; path: string }[];
  /** Workbook-level defined names → what they stand for. */
  definedNames: Map<string, string>;
  sharedStrings?: string;
}

/** A relationship target → a part name: relative to the source part's folder, or absolute from the package root. */
function resolveTarget(base: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // not percent-encoded: as written
  }
  const segments = decoded.startsWith("/") ? [] : base.split("/").filter(Boolean);
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return segments.join("/");
}

/** The relationships of a part (`xl/_rels/workbook.xml.rels`): id → type and resolved target. */
function readRelationships(reader: PartReader, part: string): Map<string, { type: string; target: string }> {
  const folder = part.includes("/") ? part.slice(0, part.lastIndexOf("/")) : "";
  const relsPath = `${folder ? `${folder}/` : ""}_rels/${part.slice(part.lastIndexOf("/") + 1)}.rels`;
  const relationships = new Map<string, { type: string; target: string }>();
  if (!reader.has(relsPath)) return relationships;
  parseXml(reader.text(relsPath), `its part ${relsPath}`, {
    open(element) {
      if (element.local !== "Relationship" || element.uri !== PACKAGE_RELATIONSHIPS_NAMESPACE) return;
      const id = element.attribute("Id");
      const target = element.attribute("Target");
      if (id === undefined || target === undefined || element.attribute("TargetMode") === "External") return;
      relationships.set(id, { type: element.attribute("Type") ?? "", target: resolveTarget(folder, target) });
    },
  });
  return relationships;
}

/** The workbook part (from the package's relationships), its worksheets and defined names. */
function readWorkbook(reader: PartReader): WorkbookParts {
  if (!reader.has("[Content_Types].xml")) throw new WorkbookFileError("not an .xlsx workbook (no [Content_Types].xml in the package).");
  const main = [...readRelationships(reader, "").values()].find((relationship) => relationship.type.endsWith("/officeDocument"))?.target;
  const workbookPath = main !== undefined && reader.has(main) ? main : "xl/workbook.xml";
  if (!reader.has(workbookPath)) throw new WorkbookFileError("not an .xlsx workbook (no xl/workbook.xml in the package).");
  const relationships = readRelationships(reader, workbookPath);
  const sheets: { name: string; path: string }[] = [];
  const definedNames = new Map<string, string>();
  let definedName: { name: string; local: boolean; text: string[] } | null = null;
  parseXml(reader.text(workbookPath), `its part ${workbookPath}`, {
    open(element) {
      if (isMain(element, "sheet")) {
        const name = element.attribute("name");
        let id: string | undefined;
        for (const uri of RELATIONSHIP_ID_NAMESPACES) id ??= element.attribute("id", uri);
        const path = id === undefined ? undefined : relationships.get(id)?.target;
        if (name !== undefined && path !== undefined && reader.has(path)) sheets.push({ name: decodeOoxmlText(name), path });
      } else if (isMain(element, "definedName")) {
        definedName = { name: element.attribute("name") ?? "", local: element.attribute("localSheetId") !== undefined, text: [] };
      }
    },
    close(element) {
      if (isMain(element, "definedName") && definedName) {
        if (definedName.name !== "" && !definedName.local) definedNames.set(decodeOoxmlText(definedName.name), decodeOoxmlText(definedName.text.join("")));
        definedName = null;
      }
    },
    text(text) {
      definedName?.text.push(text);
    },
  });
  if (sheets.length === 0) throw new WorkbookFileError("not an .xlsx workbook (it lists no worksheets).");
  const sharedStrings = [...relationships.values()].find((relationship) => relationship.type.endsWith("/sharedStrings"))?.target ?? "xl/sharedStrings.xml";
  return { sheets, definedNames, sharedStrings };
}

/** A value as the report prints it: numbers in full, text quoted, errors by code. */
export function describeValue(value: CellValue | null): string {
  if (value === null) return "(empty)";
  if (value instanceof CellError) return value.type;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}
