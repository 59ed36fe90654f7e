/**
 * Recalc at scale: `recalculateXlsx` on workbooks of 10,000, 50,000 and 100,000 QFIN formulas, to show that the
 * recalculation grows linearly with the workbook (issue 15 §10: the dependency scan was O(formulas × references),
 * 5k / 10k / 20k formulas took 3.8 / 14.7 / 57.7 s). Goal: 100,000 formulas in ≤ 10 s.
 *
 * Each workbook is built here as a real .xlsx package (the XML written directly, zipped with JSZip, since exceljs
 * takes longer to write 100k cells than recalc takes to read them): sheets of 5,000 item rows × 10 QFIN columns
 * (METRIC over `latest`, `latest-1`, … in RMB and USD, MARGIN, GROWTH), a SUM row under every column, and a summary
 * sheet that sums each sheet's totals, so the dependency graph has long ranges, cross-sheet references and QFIN cells
 * that ordinary formulas depend on. The file holds no cached values, so every cell is rewritten: the worst case.
 * Timed: the whole `recalculateXlsx(bytes)` (read the package, parse, order, evaluate, splice, write).
 */
import JSZip from "jszip";
import type { DatasetIndex } from "../src/core/dataset-index";
import { typeableName } from "../src/core/resolve-item";
import { invoke } from "../src/functions/invoke";
import { recalculateXlsx } from "../src/workbook/recalc-xlsx";
import { timeAsync, type Timing } from "./measure";

export const SCALE_SIZES = [10_000, 50_000, 100_000] as const;
const ROWS_PER_SHEET = 5_000;
const HEADER_ROWS = 4;

interface Column {
  fn: "METRIC" | "MARGIN" | "GROWTH";
  period: string;
  third?: string;
}

const COLUMNS: readonly Column[] = [
  { fn: "METRIC", period: "latest", third: "RMB" },
  { fn: "METRIC", period: "latest-1", third: "RMB" },
  { fn: "METRIC", period: "latest-5", third: "RMB" },
  { fn: "METRIC", period: "latest-4", third: "RMB" },
  { fn: "METRIC", period: "latest", third: "USD" },
  { fn: "METRIC", period: "latest-1", third: "USD" },
  { fn: "MARGIN", period: "latest" },
  { fn: "MARGIN", period: "latest-1" },
  { fn: "GROWTH", period: "latest", third: "YoY" },
  { fn: "GROWTH", period: "latest", third: "QoQ" },
];

/** `QFIN.METRIC($A5,C$2,C$3)`: the item from column A, the header arguments from rows 2 and 3. */
const formulaOf = (column: Column, row: number, col: string): string =>
  `QFIN.${column.fn}($A${row},${col}$2${column.third === undefined ? "" : `,${col}$3`})`;

const letter = (col: number): string => {
  let name = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
};
const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const inline = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${escape(text)}</t></is></c>`;

/** Items that answer every column with a number: a model an analyst keeps. */
function answerableItems(index: DatasetIndex): string[] {
  const items: string[] = [];
  for (const item of index.itemsById.values()) {
    const name = typeableName(index, item);
    const ok = COLUMNS.every((column) => {
      const args = column.third === undefined ? [name, column.period] : [name, column.period, column.third];
      return typeof invoke(index, column.fn, args as never) === "number";
    });
    if (ok) items.push(name);
  }
  return items;
}

function sheetXml(formulas: number, items: readonly string[], sheetTotals: string[], sheetName: string): string {
  const rows: string[] = [];
  const header = (r: number, cells: string[]): void => void rows.push(`<row r="${r}">${cells.join("")}</row>`);
  header(1, [inline("A1", "Item"), ...COLUMNS.map((_, c) => inline(`${letter(3 + c)}1`, `column ${c + 1}`))]);
  header(2, [inline("A2", "Period"), ...COLUMNS.map((column, c) => inline(`${letter(3 + c)}2`, column.period))]);
  header(3, [inline("A3", "Currency / basis"), ...COLUMNS.flatMap((column, c) => (column.third ? [inline(`${letter(3 + c)}3`, column.third)] : []))]);
  const itemRows = Math.ceil(formulas / COLUMNS.length);
  let left = formulas;
  for (let i = 0; i < itemRows; i++) {
    const r = HEADER_ROWS + 1 + i;
    const cells = [inline(`A${r}`, items[i % items.length] as string)];
    COLUMNS.forEach((column, c) => {
      if (left === 0) return;
      const col = letter(3 + c);
      cells.push(`<c r="${col}${r}"><f>${escape(formulaOf(column, r, col))}</f></c>`);
      left--;
    });
    rows.push(`<row r="${r}">${cells.join("")}</row>`);
  }
  const totalRow = HEADER_ROWS + itemRows + 2;
  const totals = COLUMNS.map((_, c) => `<c r="${letter(3 + c)}${totalRow}"><f>SUM(${letter(3 + c)}${HEADER_ROWS + 1}:${letter(3 + c)}${HEADER_ROWS + itemRows})</f></c>`);
  rows.push(`<row r="${totalRow}">${inline(`A${totalRow}`, "Total")}${totals.join("")}</row>`);
  sheetTotals.push(`SUM('${sheetName}'!C${totalRow}:${letter(2 + COLUMNS.length)}${totalRow})`);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join("")}</sheetData></worksheet>`;
}

/** A real .xlsx package of `formulas` QFIN formulas (plus their sums), no cached values. */
export async function scaleWorkbook(index: DatasetIndex, formulas: number): Promise<Buffer> {
  const items = answerableItems(index);
  if (items.length < 10) throw new Error(`recalc scale: only ${items.length} items answer every column`);
  const perSheet = ROWS_PER_SHEET * COLUMNS.length;
  const sheets = Math.ceil(formulas / perSheet);
  const zip = new JSZip();
  const totals: string[] = [];
  const names: string[] = [];
  for (let s = 0; s < sheets; s++) {
    const name = `Model ${s + 1}`;
    names.push(name);
    zip.file(`xl/worksheets/sheet${s + 1}.xml`, sheetXml(Math.min(perSheet, formulas - s * perSheet), items, totals, name));
  }
  const summaryRows = totals.map((formula, s) => `<row r="${s + 1}"><c r="A${s + 1}"><f>${escape(formula)}</f></c></row>`);
  summaryRows.push(`<row r="${totals.length + 1}"><c r="A${totals.length + 1}"><f>SUM(A1:A${totals.length})</f></c></row>`);
  names.push("Summary");
  zip.file(
    `xl/worksheets/sheet${sheets + 1}.xml`,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${summaryRows.join("")}</sheetData></worksheet>`,
  );
  const sheetList = names.map((name, s) => `<sheet name="${escape(name)}" sheetId="${s + 1}" r:id="rId${s + 1}"/>`).join("");
  zip.file(
    "xl/workbook.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheetList}</sheets></workbook>`,
  );
  const rels = names.map((_, s) => `<Relationship Id="rId${s + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${s + 1}.xml"/>`).join("");
  zip.file("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`);
  zip.file(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const overrides = names.map((_, s) => `<Override PartName="/xl/worksheets/sheet${s + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join("");
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}</Types>`,
  );
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 } });
}

export interface ScaleCase {
  formulas: number;
  recalculated: number;
  changes: number;
  fileBytes: number;
  timing: Timing;
  /** Milliseconds per 1,000 formulas: flat across sizes when recalc is linear. */
  msPerThousand: number;
}

export async function runRecalcScaleBenchmark(index: DatasetIndex, options: { samples: number; sizes?: readonly number[] }): Promise<ScaleCase[]> {
  const cases: ScaleCase[] = [];
  for (const formulas of options.sizes ?? SCALE_SIZES) {
    const bytes = await scaleWorkbook(index, formulas);
    const { report } = await recalculateXlsx(bytes, index);
    if (report.qfinFormulas !== formulas) throw new Error(`recalc scale: ${report.qfinFormulas} QFIN formulas, expected ${formulas}`);
    if (report.errors.length > 0) throw new Error(`recalc scale: ${report.errors.length} errors, e.g. ${report.errors[0]?.cell}: ${report.errors[0]?.message}`);
    const timing = await timeAsync(() => recalculateXlsx(bytes, index), { warmups: 0, samples: options.samples });
    cases.push({
      formulas,
      recalculated: report.recalculated,
      changes: report.changes.length,
      fileBytes: bytes.length,
      timing,
      msPerThousand: timing.medianMs / (formulas / 1000),
    });
  }
  return cases;
}
