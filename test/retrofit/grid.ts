/**
 * Test workbooks for retrofit, written as grids the way they look on screen: each sheet a list of rows, each row its
 * cells from column A. A cell is a number or text typed as a constant, `{ f, v }` a formula with the value Excel
 * showed, `{ date, fmt }` a date (ISO) in a date format, `{ n, fmt }` a number in a number format. The same grids build
 * the matcher's input (`inputSheets`) and real .xlsx files (`xlsxWorkbook`, with exceljs), so both are checked
 * against one expectation: what becomes of every number.
 */
import ExcelJS from "exceljs";
import { isoDateToSerial } from "../../src/core/excel-date";
import { formatA1 } from "../../src/excel/a1";
import type { InputCell, InputSheet } from "../../src/retrofit/cells";

export type GridCell = number | string | null | { f: string; v: number | string } | { date: string; fmt: string } | { n: number; fmt: string };
export interface GridSheet {
  name: string;
  rows: GridCell[][];
}

/** What becomes of a number: the formula that replaces it, a refusal code, or null (not a candidate, left alone). */
export type Outcome = string | { refused: string } | null;

const isFormula = (cell: GridCell): cell is { f: string; v: number | string } => typeof cell === "object" && cell !== null && "f" in cell;
const isDate = (cell: GridCell): cell is { date: string; fmt: string } => typeof cell === "object" && cell !== null && "date" in cell;
const isFormatted = (cell: GridCell): cell is { n: number; fmt: string } => typeof cell === "object" && cell !== null && "n" in cell;

/** Every non-empty cell of a grid sheet with its address. */
export function gridCells(sheet: GridSheet): { address: string; row: number; col: number; cell: GridCell }[] {
  const cells: { address: string; row: number; col: number; cell: GridCell }[] = [];
  sheet.rows.forEach((line, r) =>
    line.forEach((cell, c) => {
      if (cell === null || cell === "") return;
      cells.push({ address: formatA1({ row: r + 1, col: c + 1 }), row: r + 1, col: c + 1, cell });
    }),
  );
  return cells;
}

/** The matcher's input for grid sheets, as a surface would read them. */
export function inputSheets(sheets: readonly GridSheet[]): InputSheet[] {
  return sheets.map((sheet) => ({
    name: sheet.name,
    cells: gridCells(sheet).map(({ row, col, cell }): InputCell => {
      if (isFormula(cell)) return { row, col, value: cell.v, formula: true };
      if (isDate(cell)) return { row, col, value: isoDateToSerial(cell.date), formula: false, numberFormat: cell.fmt };
      if (isFormatted(cell)) return { row, col, value: cell.n, formula: false, numberFormat: cell.fmt };
      return { row, col, value: cell as number | string, formula: false };
    }),
  }));
}

/** The addresses of a sheet's typed numbers (constants, dates excluded): the cells retrofit decides about. */
export function typedNumbers(sheet: GridSheet): string[] {
  return gridCells(sheet)
    .filter(({ cell }) => typeof cell === "number" || isFormatted(cell))
    .map(({ address }) => address);
}

/** The grids as an .xlsx written by exceljs, with a fill, a border and a comment-free style or two, as models have. */
export async function xlsxWorkbook(sheets: readonly GridSheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "an analyst";
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    for (const { address, cell } of gridCells(sheet)) {
      const target = worksheet.getCell(address);
      if (isFormula(cell)) target.value = { formula: cell.f, result: cell.v } as ExcelJS.CellFormulaValue;
      else if (isDate(cell)) {
        target.value = new Date(`${cell.date}T00:00:00Z`);
        target.numFmt = cell.fmt;
      } else if (isFormatted(cell)) {
        target.value = cell.n;
        target.numFmt = cell.fmt;
      } else target.value = cell;
      if (typeof cell === "string" && address.startsWith("A")) target.font = { bold: /total|net income/i.test(cell) };
    }
    worksheet.getColumn(1).width = 34;
    worksheet.getRow(1).font = { bold: true, size: 14 };
    worksheet.views = [{ state: "frozen", xSplit: 1, ySplit: 1 }];
  }
  workbook.definedNames.add(`'${sheets[0]?.name ?? "Sheet1"}'!$A$1`, "ModelTitle");
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
