/**
 * Headless refresh of any .xlsx: recomputes every QFIN formula (and every formula that depends on one) with the
 * shipped engine and the loaded dataset, and writes the new cached values by surgery on the package: only the `<c>`
 * elements of cells whose value changed are rewritten; every other part, and every other byte of the sheets, stays
 * as it was (unchanged zip entries are even copied without recompressing).
 */
import JSZip from "jszip";
import { CellError, CellValue, FunctionResult, isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { formatA1, parseA1 } from "../excel/a1";
import { callsQfin } from "../excel/formula-text";
import { shiftFormula } from "../excel/shift-formula";
import { WorkbookCell, cellName, evaluateWorkbook } from "../engine/workbook-evaluator";
import { SheetCellXml, readSharedStrings, readSheetCells, rewriteCell, spliceCells, unescapeXml } from "./sheet-xml";

const addressOf = (row: number, col: number): string => formatA1({ row, col });

/** The input is not a readable .xlsx workbook: nothing is written. */
export class WorkbookFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkbookFileError";
  }
}

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
}

interface SheetPart {
  name: string;
  path: string;
  xml: string;
  cells: SheetCellXml[];
}

/**
 * Recalculates the QFIN formulas of an .xlsx file against `index` and returns the new file and a report.
 * Throws WorkbookFileError for input that is not an .xlsx workbook.
 *
 * @example
 * const { output, report } = await recalculateXlsx(readFileSync("model.xlsx"), index);
 * report.changes // [{ cell: "Income statement!F6", before: 3914.324, after: 4100.2 }, …]
 */
export async function recalculateXlsx(input: Uint8Array, index: DatasetIndex | null): Promise<{ output: Buffer; report: RecalcReport }> {
  const zip = await openPackage(input);
  const sharedStrings = zip.file("xl/sharedStrings.xml") ? readSharedStrings(await text(zip, "xl/sharedStrings.xml")) : [];
  const { sheets, definedNames } = await readWorkbook(zip);
  const parts: SheetPart[] = [];
  for (const sheet of sheets) {
    const xml = await text(zip, sheet.path);
    parts.push({ ...sheet, xml, cells: readSheetCells(xml, sharedStrings) });
  }

  const sources: WorkbookCell[] = [];
  let qfinFormulas = 0;
  const byName = new Map<string, { part: SheetPart; cell: SheetCellXml }>();
  for (const part of parts) {
    const masters = sharedFormulaMasters(part.cells);
    for (const cell of part.cells) {
      byName.set(cellName(part.name, cell.address), { part, cell });
      const formula = formulaOf(cell, masters);
      const source: WorkbookCell = { sheet: part.name, address: cell.address, value: cell.value };
      if (formula !== undefined) {
        source.formula = formula;
        const ref = cell.formula?.attributes.t === "array" ? cell.formula.attributes.ref : undefined;
        const area = ref ? areaSize(ref) : undefined;
        if (area) source.spill = area;
      }
      sources.push(source);
    }
  }

  const evaluation = evaluateWorkbook(sources, { index, definedNames });
  const report: RecalcReport = { qfinFormulas: 0, recalculated: 0, changes: [], errors: [], skipped: [] };
  const edits = new Map<SheetPart, { start: number; end: number; xml: string }[]>();
  const edit = (name: string, value: CellValue | null): void => {
    const found = byName.get(name);
    if (!found) return; // a spilled value where the sheet has no cell: see the SPILL note
    if (sameValue(found.cell.value, value)) return;
    report.changes.push({ cell: name, before: found.cell.value, after: value });
    const list = edits.get(found.part) ?? [];
    list.push({ start: found.cell.start, end: found.cell.end, xml: rewriteCell(found.cell, value) });
    edits.set(found.part, list);
  };

  for (const source of sources) if (source.formula !== undefined && callsQfin(source.formula)) qfinFormulas++;
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
    writeResult(name, part, cell, outcome.value, edit, report);
  }
  report.qfinFormulas = qfinFormulas;

  for (const [part, list] of edits) zip.file(part.path, spliceCells(part.xml, list));
  const output = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 } });
  return { output, report };
}

function writeResult(
  name: string,
  part: SheetPart,
  cell: SheetCellXml,
  value: FunctionResult,
  edit: (name: string, value: CellValue | null) => void,
  report: RecalcReport,
): void {
  const origin = parseA1(cell.address) as { row: number; col: number };
  const ref = cell.formula?.attributes.t === "array" ? cell.formula.attributes.ref : undefined;
  const area = ref ? areaSize(ref) : { rows: 1, columns: 1 };
  if (!Array.isArray(value)) {
    edit(name, value);
    noteError(name, value, report);
    for (let row = 0; row < (area?.rows ?? 1); row++) {
      for (let col = 0; col < (area?.columns ?? 1); col++) {
        if (row > 0 || col > 0) edit(cellName(part.name, addressOf(origin.row + row, origin.col + col)), null);
      }
    }
    return;
  }
  const rows = value.length;
  const columns = Math.max(...value.map((entry) => entry.length));
  const held = area ?? { rows: 1, columns: 1 };
  for (let row = 0; row < Math.max(rows, held.rows); row++) {
    for (let col = 0; col < Math.max(columns, held.columns); col++) {
      const inResult = row < rows && col < value[row].length;
      const inArea = row < held.rows && col < held.columns;
      if (!inArea) continue;
      const entry = inResult ? value[row][col] : null;
      const target = cellName(part.name, addressOf(origin.row + row, origin.col + col));
      edit(target, row === 0 && col === 0 ? (entry ?? "") : entry);
      if (entry !== null) noteError(target, entry, report);
    }
  }
  if (rows > held.rows || columns > held.columns) {
    report.skipped.push({
      cell: name,
      code: "SPILL",
      message: `the result is ${rows}×${columns} but the file's array area ${ref ?? cell.address} is ${held.rows}×${held.columns}; the file holds the part that fits, and Excel shows the whole result when it recalculates.`,
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

/** `A5:C40` → 36 rows × 3 columns. */
function areaSize(ref: string): { rows: number; columns: number } | undefined {
  const [from, to] = ref.split(":").map((part) => parseA1(part));
  if (!from) return undefined;
  const end = to ?? from;
  return { rows: end.row - from.row + 1, columns: end.col - from.col + 1 };
}

/** Shared-formula masters of a sheet by `si`: their formula and position. */
function sharedFormulaMasters(cells: readonly SheetCellXml[]): Map<string, { text: string; row: number; col: number }> {
  const masters = new Map<string, { text: string; row: number; col: number }>();
  for (const cell of cells) {
    const formula = cell.formula;
    if (formula?.attributes.t === "shared" && formula.attributes.ref !== undefined && formula.text !== "") {
      masters.set(formula.attributes.si, { text: formula.text, ...(parseA1(cell.address) as { row: number; col: number }) });
    }
  }
  return masters;
}

/** The formula a cell holds, with shared formulas expanded from their master. */
function formulaOf(cell: SheetCellXml, masters: ReadonlyMap<string, { text: string; row: number; col: number }>): string | undefined {
  const formula = cell.formula;
  if (!formula) return undefined;
  if (formula.attributes.t === "shared" && formula.text === "") {
    const master = masters.get(formula.attributes.si);
    if (!master) return undefined;
    const at = parseA1(cell.address) as { row: number; col: number };
    return shiftFormula(master.text, at.row - master.row, at.col - master.col);
  }
  return formula.text;
}

export async function openPackage(input: Uint8Array): Promise<JSZip> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(input, { checkCRC32: true });
  } catch (error) {
    throw new WorkbookFileError(`not an .xlsx workbook (the file is not a readable zip package: ${(error as Error).message}).`);
  }
  if (!zip.file("xl/workbook.xml") || !zip.file("[Content_Types].xml")) {
    throw new WorkbookFileError("not an .xlsx workbook (no xl/workbook.xml in the package).");
  }
  return zip;
}

export async function text(zip: JSZip, path: string): Promise<string> {
  const entry = zip.file(path);
  if (!entry) throw new WorkbookFileError(`the package has no ${path}, which the workbook refers to.`);
  return entry.async("string");
}

/** The worksheets (name and part path, in tab order) and the workbook's defined names. */
export async function readWorkbook(zip: JSZip): Promise<{ sheets: { name: string; path: string }[]; definedNames: Map<string, string> }> {
  const workbook = await text(zip, "xl/workbook.xml");
  const rels = zip.file("xl/_rels/workbook.xml.rels") ? await text(zip, "xl/_rels/workbook.xml.rels") : "";
  const targets = new Map<string, string>();
  for (const match of rels.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = /\bId="([^"]*)"/.exec(match[1])?.[1];
    const target = /\bTarget="([^"]*)"/.exec(match[1])?.[1];
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const sheets: { name: string; path: string }[] = [];
  for (const match of workbook.matchAll(/<sheet\b([^>]*)\/?>/g)) {
    const name = /\bname="([^"]*)"/.exec(match[1])?.[1];
    const id = /\br:id="([^"]*)"/.exec(match[1])?.[1] ?? /\b\w+:id="([^"]*)"/.exec(match[1])?.[1];
    const path = id ? targets.get(id) : undefined;
    if (name !== undefined && path && zip.file(path)) sheets.push({ name: unescapeXml(name), path: path.replace(/\/\.\//g, "/") });
  }
  if (sheets.length === 0) throw new WorkbookFileError("not an .xlsx workbook (it lists no worksheets).");
  const definedNames = new Map<string, string>();
  for (const match of workbook.matchAll(/<definedName\b([^>]*)>([\s\S]*?)<\/definedName>/g)) {
    const name = /\bname="([^"]*)"/.exec(match[1])?.[1];
    if (name && !/\blocalSheetId=/.test(match[1])) definedNames.set(unescapeXml(name), unescapeXml(match[2]));
  }
  return { sheets, definedNames };
}

/** A value as the report prints it: numbers in full, text quoted, errors by code. */
export function describeValue(value: CellValue | null): string {
  if (value === null) return "(empty)";
  if (value instanceof CellError) return value.type;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}
