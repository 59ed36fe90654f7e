/**
 * Writes the analyst model (src/models) as an .xlsx with exceljs (MIT): formulas with cached values computed by the
 * shipped engine, so the file shows numbers before the add-in loads; number formats, frozen headers, column widths.
 *
 * Spills: `=QFIN.CHECK()` is written as an array formula over the area its result fills now (`<f t="array"
 * ref="A25:C493">`), with every value of the area cached — how Excel stores an array formula. exceljs 4.4 cannot mark
 * it as a dynamic array (that needs the `cm` cell-metadata attribute and `xl/metadata.xml`), so Excel treats it as a
 * fixed-size array formula until it is re-entered; `qfin recalc` refreshes its values within that area.
 */
import ExcelJS from "exceljs";
import type { CellValue, FunctionResult } from "../core/cell";
import { isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { cellName, evaluateWorkbook, WorkbookCell } from "../engine/workbook-evaluator";
import { formatA1, parseA1 } from "../excel/a1";
import { savedFormula } from "../excel/formula-text";
import { AnalystModel, CellRole, buildAnalystModel } from "../models/analyst-model";
import { ROLE_STYLES, type CellStyle } from "../models/cell-styles";

const argb = (hex: string): { argb: string } => ({ argb: `FF${hex.replace(/^#/, "").toUpperCase()}` });

/** A role's look (models/cell-styles.ts) as exceljs styles. */
function excelStyle(style: CellStyle): Partial<ExcelJS.Style> {
  const font: Partial<ExcelJS.Font> = {};
  if (style.bold) font.bold = true;
  if (style.italic) font.italic = true;
  if (style.size !== undefined) font.size = style.size;
  if (style.color !== undefined) font.color = argb(style.color);
  const border: Partial<ExcelJS.Borders> = {};
  if (style.borderTop) border.top = { style: "thin" };
  if (style.borderBottom) border.bottom = { style: "thin" };
  return {
    ...(Object.keys(font).length > 0 ? { font } : {}),
    ...(style.fill !== undefined ? { fill: { type: "pattern", pattern: "solid", fgColor: argb(style.fill) } } : {}),
    ...(style.alignRight ? { alignment: { horizontal: "right" } } : {}),
    ...(Object.keys(border).length > 0 ? { border } : {}),
  };
}

const EXCEL_STYLES = Object.fromEntries(Object.entries(ROLE_STYLES).map(([role, style]) => [role, excelStyle(style)])) as Record<CellRole, Partial<ExcelJS.Style>>;
const addressOf = (row: number, col: number): string => formatA1({ row, col });

export interface TemplateWorkbook {
  model: AnalystModel;
  /** The .xlsx bytes. */
  bytes: Buffer;
  /** Formula cells whose cached value is an error (e.g. a period the data does not report), by `Sheet!A1`. */
  errorCells: string[];
}

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
      value: cell.value ?? null,
      ...(cell.formula !== undefined ? { formula: cell.formula } : {}),
    })),
  );
  const evaluation = evaluateWorkbook(sources, { index });
  const errorCells: string[] = [];

  const workbook = new ExcelJS.Workbook();
  workbook.creator = "QFIN for Excel (qfin template)";
  workbook.calcProperties = { fullCalcOnLoad: true };
  for (const sheet of model.sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, {
      views: [
        sheet.frozen.rows > 0 || sheet.frozen.columns > 0
          ? { state: "frozen", xSplit: sheet.frozen.columns, ySplit: sheet.frozen.rows, showGridLines: false }
          : { showGridLines: false },
      ],
    });
    for (const { column, width } of sheet.columnWidths) worksheet.getColumn(column).width = width;
    for (const cell of sheet.cells) {
      const target = worksheet.getCell(cell.address);
      const style = EXCEL_STYLES[cell.role];
      if (style.font) target.font = style.font;
      if (style.fill) target.fill = style.fill;
      if (style.border) target.border = style.border;
      target.alignment = { ...(style.alignment ?? {}), ...(cell.indent ? { indent: cell.indent } : {}) };
      if (cell.numberFormat) target.numFmt = cell.numberFormat;
      if (cell.formula === undefined) {
        target.value = cell.value ?? null;
        continue;
      }
      const name = cellName(sheet.name, cell.address);
      const outcome = evaluation.cells.get(name);
      const result: FunctionResult = outcome?.kind === "value" ? outcome.value : "";
      // Stored as Excel stores add-in functions in a file, so Excel binds them to the add-in when it loads.
      const formula = savedFormula(cell.formula.replace(/^=/, ""));
      if (Array.isArray(result)) {
        const origin = parseA1(cell.address) as { row: number; col: number };
        const rows = result.length;
        const columns = Math.max(...result.map((row) => row.length));
        const ref = `${cell.address}:${addressOf(origin.row + rows - 1, origin.col + columns - 1)}`;
        // exceljs writes `shareType: "array"` as <f t="array" ref="…">; its typings omit the two fields.
        target.value = { formula, result: cachedResult(result[0]?.[0] ?? ""), shareType: "array", ref } as unknown as ExcelJS.CellFormulaValue;
        result.forEach((row, rowOffset) =>
          row.forEach((entry, colOffset) => {
            if (rowOffset === 0 && colOffset === 0) return;
            worksheet.getCell(addressOf(origin.row + rowOffset, origin.col + colOffset)).value = plainValue(entry);
          }),
        );
        continue;
      }
      if (isCellError(result)) errorCells.push(name);
      target.value = { formula, result: cachedResult(result) } as ExcelJS.CellFormulaValue;
    }
  }
  const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
  return { model, bytes, errorCells };
}

function cachedResult(value: CellValue): ExcelJS.CellFormulaValue["result"] {
  if (isCellError(value)) return { error: value.type as ExcelJS.CellErrorValue["error"] };
  return value;
}

function plainValue(value: CellValue): ExcelJS.CellValue {
  if (isCellError(value)) return { error: value.type as ExcelJS.CellErrorValue["error"] };
  return value === "" ? null : value;
}
