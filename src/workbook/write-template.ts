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
import { addressOf, cellName, evaluateWorkbook, savedFormula, WorkbookCell } from "../engine/workbook-evaluator";
import { parseA1 } from "../engine/a1-address";
import { AnalystModel, CellRole, buildAnalystModel } from "../models/analyst-model";

const INPUT_BLUE = "FF0000CC";
const NOTE_GREY = "FF666666";

/** How each role looks in the .xlsx; the taskpane maps the same roles to Office.js formats. */
const ROLE_STYLES: Record<CellRole, Partial<ExcelJS.Style>> = {
  title: { font: { bold: true, size: 14 } },
  note: { font: { italic: true, color: { argb: NOTE_GREY } } },
  "period-input": {
    font: { color: { argb: INPUT_BLUE } },
    fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } },
    alignment: { horizontal: "right" },
  },
  "period-label": { font: { bold: true }, alignment: { horizontal: "right" }, border: { bottom: { style: "thin" } } },
  "column-heading": { font: { bold: true }, border: { bottom: { style: "thin" } } },
  section: { font: { bold: true } },
  label: {},
  "total-label": { font: { bold: true } },
  "item-ref": { font: { size: 9, color: { argb: NOTE_GREY } } },
  figure: {},
  "total-figure": { font: { bold: true }, border: { top: { style: "thin" } } },
  check: {},
};

export interface TemplateWorkbook {
  model: AnalystModel;
  /** The .xlsx bytes. */
  bytes: Buffer;
  /** Formula cells whose cached value is an error (e.g. a period the data does not report), by `Sheet!A1`. */
  errorCells: string[];
}

/**
 * Builds the analyst model for the dataset and renders it as .xlsx bytes (the active dataset must be `index`'s: the
 * cached values are computed through the QFIN functions).
 *
 * @example
 * const { bytes } = await writeTemplate(getActiveIndex()!);
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
  const evaluation = evaluateWorkbook(sources);
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
      const style = ROLE_STYLES[cell.role];
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
