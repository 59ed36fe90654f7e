/**
 * Writes the analyst model (src/models) as an .xlsx with exceljs (MIT): every formula with its value cached (computed
 * by the shipped engine), number formats, named fonts, frozen headers, widths, the id column grouped and hidden, and
 * print settings (landscape, one page wide, the period headers repeated on every page).
 *
 * Why it opens clean anywhere: the file does not ask for a recalculation on open (no `fullCalcOnLoad`), and its
 * `calcId` is current Excel's, which Excel reads as "calculated by this engine" — a lower one makes Excel recalculate
 * every formula on open ([MS-XLS] RecalcId: "If the value is less than the recalculation engine identifier associated
 * with the application, the application will recalculate the results of all formulas"), and a QFIN formula
 * recalculated without the add-in is #NAME?. Excel does not re-run non-volatile add-in functions on open either, so a
 * reader without the add-in sees the cached values, and the refresh is explicit: the pane's Refresh, or `qfin recalc`.
 */
import { MARKERS } from "../core/figures";
import ExcelJS from "exceljs";
import type { CellValue } from "../core/cell";
import { isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { cellName, evaluateWorkbook, WorkbookCell } from "../engine/workbook-evaluator";
import { savedFormula } from "../excel/formula-text";
import { AnalystModel, CellRole, ModelSheet, buildAnalystModel } from "../models/analyst-model";
import { MODEL_FONT, ROLE_STYLES, type CellStyle } from "../models/cell-styles";
import { PartReader, readZipPackage, writeZipPackage } from "./zip-package";

/** The calculation engine id of current Excel (Microsoft 365, Excel 2019 and later), written in `<calcPr calcId>`. */
export const EXCEL_CALC_ID = 191029;

const argb = (hex: string): { argb: string } => ({ argb: `FF${hex.replace(/^#/, "").toUpperCase()}` });

/** A role's look (models/cell-styles.ts) as exceljs styles, in the model's font. */
function excelStyle(style: CellStyle): Partial<ExcelJS.Style> {
  const font: Partial<ExcelJS.Font> = { name: MODEL_FONT.name, size: style.size ?? MODEL_FONT.size };
  if (style.bold) font.bold = true;
  if (style.italic) font.italic = true;
  if (style.color !== undefined) font.color = argb(style.color);
  const border: Partial<ExcelJS.Borders> = {};
  if (style.borderTop) border.top = { style: "thin" };
  if (style.borderBottom) border.bottom = { style: "thin" };
  // Top-aligned, so a label stands level with the first line of wrapped text beside it.
  const alignment: Partial<ExcelJS.Alignment> = { vertical: "top" };
  if (style.alignRight) alignment.horizontal = "right";
  if (style.wrap) alignment.wrapText = true;
  return {
    font,
    ...(style.fill !== undefined ? { fill: { type: "pattern", pattern: "solid", fgColor: argb(style.fill) } } : {}),
    alignment,
    ...(Object.keys(border).length > 0 ? { border } : {}),
  };
}

const EXCEL_STYLES = Object.fromEntries(Object.entries(ROLE_STYLES).map(([role, style]) => [role, excelStyle(style)])) as Record<CellRole, Partial<ExcelJS.Style>>;

export interface TemplateWorkbook {
  model: AnalystModel;
  /** The .xlsx bytes. */
  bytes: Buffer;
  /** Formula cells whose cached value is an error, by `Sheet!A1` (none in a model the data can fill). */
  errorCells: string[];
  /** Formula cells that show a marker instead of a figure ("n/a": not in the data; "n.m.": not meaningful). */
  markedCells: string[];
}

const MARKED = new Set<string>(Object.values(MARKERS));

/**
 * Builds the analyst model for the dataset and renders it as .xlsx bytes, its cached values computed through the QFIN
 * functions against the same dataset.
 *
 * @example
 * const { bytes } = await writeTemplate(index);
 * writeFileSync("model.xlsx", bytes);
 */
export async function writeTemplate(index: DatasetIndex): Promise<TemplateWorkbook> {
  const model = buildAnalystModel(index);
  const sources: WorkbookCell[] = model.sheets.flatMap((sheet) =>
    sheet.cells.map((cell) => ({
      sheet: sheet.name,
      address: cell.address,
      value: cell.value ?? cell.cached ?? null,
      ...(cell.formula !== undefined ? { formula: cell.formula } : {}),
    })),
  );
  const evaluation = evaluateWorkbook(sources, { index });
  const errorCells: string[] = [];
  const markedCells: string[] = [];

  const workbook = new ExcelJS.Workbook();
  workbook.creator = "QFIN for Excel (qfin template)";
  for (const sheet of model.sheets) {
    const worksheet = addWorksheet(workbook, sheet);
    for (const cell of sheet.cells) {
      const target = worksheet.getCell(cell.address);
      const style = EXCEL_STYLES[cell.role];
      target.font = style.font as Partial<ExcelJS.Font>;
      if (style.fill) target.fill = style.fill;
      if (style.border) target.border = style.border;
      target.alignment = { ...(style.alignment ?? {}), ...(cell.indent ? { indent: cell.indent } : {}) };
      if (cell.numberFormat) target.numFmt = cell.numberFormat;
      if (cell.note) target.note = cell.note;
      if (cell.formula === undefined) {
        target.value = cell.value ?? null;
        continue;
      }
      const name = cellName(sheet.name, cell.address);
      const outcome = evaluation.cells.get(name);
      // Formulas that reach no QFIN call are not evaluated; the model gives their value.
      const result = outcome === undefined ? cell.cached : outcome.kind === "value" ? outcome.value : undefined;
      if (result === undefined) throw new Error(`internal: the model's formula at ${name} has no value to cache (${outcome?.kind ?? "not evaluated"})`);
      // The model writes no spilling formula; an array here would be a bug in the layout.
      if (Array.isArray(result)) throw new Error(`internal: the model's formula at ${name} spills`);
      if (isCellError(result)) errorCells.push(name);
      else if (typeof result === "string" && MARKED.has(result)) markedCells.push(name);
      // Stored as Excel stores add-in functions in a file, so Excel binds them to the add-in when it loads.
      target.value = { formula: savedFormula(cell.formula.replace(/^=/, "")), result: cachedResult(result) } as ExcelJS.CellFormulaValue;
    }
  }
  const bytes = openCleanAnywhere(Buffer.from(await workbook.xlsx.writeBuffer()));
  return { model, bytes, errorCells, markedCells };
}

/** A worksheet with the sheet's layout: views, widths, hidden and grouped columns, row heights, print settings. */
function addWorksheet(workbook: ExcelJS.Workbook, sheet: ModelSheet): ExcelJS.Worksheet {
  const { rows, columns } = sheet.frozen;
  const worksheet = workbook.addWorksheet(sheet.name, {
    views: [rows > 0 || columns > 0 ? { state: "frozen", xSplit: columns, ySplit: rows, showGridLines: false } : { showGridLines: false }],
    properties: { outlineLevelCol: sheet.hiddenColumns.length > 0 ? 1 : 0 } as Partial<ExcelJS.WorksheetProperties>,
    pageSetup: {
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      // As many pages tall as it takes (the width fits, the rows flow on), unless the sheet reads best on one.
      fitToHeight: sheet.onePage ? 1 : 0,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
      ...(sheet.repeatRows ? { printTitlesRow: `${sheet.repeatRows.first}:${sheet.repeatRows.last}` } : {}),
      // exceljs puts "$" before each part: "A$1:J$37" becomes the absolute $A$1:$J$37 spreadsheets read.
      ...(sheet.printArea ? { printArea: sheet.printArea.replace(/([A-Z]+)(\d+)/g, "$1$$$2") } : {}),
    },
    headerFooter: { oddFooter: `&L&"${MODEL_FONT.name}"&8Qifu Technology (QFIN) — &A&R&"${MODEL_FONT.name}"&8Page &P of &N` },
  });
  for (const { column, width } of sheet.columnWidths) worksheet.getColumn(column).width = width;
  for (const column of sheet.hiddenColumns) {
    const hidden = worksheet.getColumn(column);
    hidden.outlineLevel = 1;
    hidden.hidden = true;
  }
  for (const { row, height } of sheet.rowHeights) worksheet.getRow(row).height = height;
  for (const row of sheet.pageBreaks) if (row > 1) worksheet.getRow(row - 1).addPageBreak();
  return worksheet;
}

/**
 * The package as exceljs wrote it, with the two things exceljs cannot set: `<calcPr>` without a forced recalculation
 * and with current Excel's engine id, and the workbook's default font (the Normal style, which every unstyled cell and
 * the column widths use) in the model's font instead of the theme's Calibri.
 */
function openCleanAnywhere(bytes: Buffer): Buffer {
  const zip = readZipPackage(bytes);
  const reader = new PartReader(zip);
  const replacements = new Map<string, Uint8Array>();
  const edit = (path: string, change: (xml: string) => string): void => {
    const before = reader.text(path);
    const after = change(before);
    if (after === before) throw new Error(`internal: ${path} is not as exceljs 4.4 writes it`);
    replacements.set(path, Buffer.from(after, "utf8"));
  };
  edit("xl/workbook.xml", (xml) => xml.replace(/<calcPr\b[^>]*\/>/, `<calcPr calcId="${EXCEL_CALC_ID}"/>`));
  edit("xl/styles.xml", (xml) =>
    xml.replace(/(<fonts\b[^>]*>)<font>[\s\S]*?<\/font>/, `$1<font><sz val="${MODEL_FONT.size}"/><color theme="1"/><name val="${MODEL_FONT.name}"/><family val="2"/></font>`),
  );
  return writeZipPackage(zip, replacements);
}

function cachedResult(value: CellValue): ExcelJS.CellFormulaValue["result"] {
  if (isCellError(value)) return { error: value.type as ExcelJS.CellErrorValue["error"] };
  return value;
}
