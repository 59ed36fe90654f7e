/**
 * The taskpane's only door to the workbook (Office.js / Excel JavaScript API). Everything else in the pane is
 * plain TypeScript that can run and be tested outside Excel.
 *
 * APIs used: `Workbook.getActiveCell` and `Range.getResizedRange` (ExcelApi 1.7).
 */

/** The ExcelApi level these functions need; the pane checks it before offering to insert. */
export const REQUIRED_EXCEL_API = "1.7";

/** Whether the running Excel supports what this adapter uses. */
export function isExcelApiSupported(): boolean {
  return Office.context.requirements.isSetSupported("ExcelApi", REQUIRED_EXCEL_API);
}

/**
 * Writes a formula (as typed in a cell, starting with "=") into the active cell and returns that cell's
 * address, e.g. `Sheet1!B4`. Excel evaluates it like any typed formula, so the QFIN functions run in Excel's
 * own calculation.
 *
 * @example
 * await insertFormulaAtActiveCell('=QFIN.METRIC("Net income","Q2 2023")') //=> "Sheet1!B4"
 */
export async function insertFormulaAtActiveCell(formula: string): Promise<string> {
  return Excel.run(async (context) => {
    const cell = context.workbook.getActiveCell();
    cell.formulas = [[formula]];
    cell.load("address");
    await context.sync();
    return cell.address;
  });
}

/**
 * Whether a result of `rows` × `columns` can spill from the active cell: every cell of that block other than
 * the active cell itself (which the formula replaces) must be empty, or Excel shows #SPILL!. A cell holding a
 * formula that returns "" is not empty for Excel, so formulas are read, not values.
 *
 * @example
 * await isSpillAreaClear(2, 5) //=> false when any of the other 9 cells holds a value or a formula
 */
export async function isSpillAreaClear(rows: number, columns: number): Promise<boolean> {
  if (rows <= 1 && columns <= 1) return true;
  return Excel.run(async (context) => {
    const area = context.workbook.getActiveCell().getResizedRange(rows - 1, columns - 1);
    area.load("formulas");
    await context.sync();
    const formulas = area.formulas as unknown[][];
    return formulas.every((row, r) => row.every((cell, c) => (r === 0 && c === 0) || cell === "" || cell === null));
  });
}
