/**
 * The taskpane's only door to Office (Office.js and the Excel JavaScript API). Everything else in the pane is
 * plain TypeScript that runs and is tested outside Excel; the browser tests stub the host below this file (a
 * stand-in `Office`/`Excel` in place of office.js), never above it.
 *
 * APIs used: `Office.onReady`, `Office.context.officeTheme`, `Office.context.requirements`;
 * `Workbook.getActiveCell` and `Range.getResizedRange` (ExcelApi 1.7).
 */

/** The ExcelApi level these functions need; the pane checks it before offering to insert. */
export const REQUIRED_EXCEL_API = "1.7";

/** Where the pane runs: inside Excel, inside another Office application, or in a plain browser (the preview). */
export type HostKind = "excel" | "other-office" | "none";

/**
 * Waits for office.js and says where the pane runs. Outside Office, office.js resolves with no host.
 *
 * @example
 * await connectToOffice() //=> "none" in a plain browser, "excel" in Excel
 */
export async function connectToOffice(): Promise<HostKind> {
  const info = await Office.onReady();
  if (!info.host) return "none";
  return info.host === Office.HostType.Excel ? "excel" : "other-office";
}

/** Whether the running Excel supports what this adapter uses. */
export function isExcelApiSupported(): boolean {
  return Office.context.requirements.isSetSupported("ExcelApi", REQUIRED_EXCEL_API);
}

/**
 * Whether Office shows a dark theme (the pane then follows it), judged by the body background Office reports;
 * null when Office does not report a theme (older clients, the preview).
 */
export function isOfficeThemeDark(): boolean | null {
  const theme = typeof Office === "undefined" ? undefined : Office.context?.officeTheme;
  const background = theme?.bodyBackgroundColor;
  const match = typeof background === "string" ? background.match(/^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i) : null;
  if (match === null) return null;
  const [red, green, blue] = match.slice(1, 4).map((hex) => parseInt(hex, 16));
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 128;
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

/** What a formula placed at the active cell would cover: the block's address and how many of its cells hold something. */
export interface TargetArea {
  address: string;
  occupied: number;
}

/**
 * Reads the `rows` × `columns` block starting at the active cell (the active cell included: inserting replaces it)
 * so the pane can ask before replacing anything. A cell holding a formula that returns "" counts as occupied, so
 * formulas are read, not values.
 *
 * @example
 * await readTargetArea(1, 1) //=> { address: "Sheet1!B4", occupied: 0 }
 */
export async function readTargetArea(rows: number, columns: number): Promise<TargetArea> {
  return Excel.run(async (context) => {
    const area = context.workbook.getActiveCell().getResizedRange(Math.max(rows, 1) - 1, Math.max(columns, 1) - 1);
    area.load("address,formulas");
    await context.sync();
    const formulas = area.formulas as unknown[][];
    const occupied = formulas.reduce((count, row) => count + row.filter((cell) => cell !== "" && cell !== null).length, 0);
    return { address: area.address, occupied };
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
