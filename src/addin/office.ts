/**
 * The add-in's one door to Office (Office.js and the Excel JavaScript API), for the pane and the runtime alike.
 * Everything else is plain TypeScript that runs and is tested outside Excel; the browser tests stub the host below
 * this file (a stand-in `Office`/`Excel` in place of office.js), never above it.
 *
 * APIs used: `Office.onReady`, `Office.context.officeTheme`, `Office.context.requirements`;
 * `Workbook.getActiveCell` and `Range.getResizedRange` (ExcelApi 1.7); `Application.calculate` (ExcelApi 1.1);
 * `WorksheetCollection.getItemOrNullObject` (1.4), `add`, `Range.formulas`/`numberFormat`/`format` (1.1) and
 * `Worksheet.freezePanes` (1.7) for Insert model; `RangeFormat.indentLevel` (1.9) only where supported;
 * `Worksheet.getUsedRangeOrNullObject` (1.4), `Range.values`/`formulas`/`numberFormat`/`valueTypes` (1.1) and
 * `WorksheetCollection.getItem` (1.1) for Link this workbook.
 */
import { columnLetters, parseRange } from "../excel/a1";
import type { InputCell, InputSheet } from "../retrofit/cells";
import type { CellRole } from "../models/analyst-model";
import { ROLE_STYLES } from "../models/cell-styles";
import type { SheetPlan } from "./model-sheet-plan";

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
  // office.js failed to load (blocked, offline): the page is no add-in host; the caller says so.
  if (typeof Office === "undefined") return "none";
  const info = await Office.onReady();
  if (!info.host) return "none";
  return info.host === Office.HostType.Excel ? "excel" : "other-office";
}

/** Whether office.js itself is on the page (it is absent when its script failed to load). */
export const isOfficeJsLoaded = (): boolean => typeof Office !== "undefined";

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

/**
 * Recalculates every formula in the open workbooks with a full calculation: every cell is marked dirty, so the
 * QFIN custom functions (which are not volatile, and which a plain recalculation would skip as their arguments did
 * not change) run again against the data now loaded.
 *
 * @example
 * session.use(newer); await recalculateWorkbook(); // every =QFIN.… cell now shows the newer data
 */
export async function recalculateWorkbook(): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.calculate(Excel.CalculationType.full);
    await context.sync();
  });
}

/**
 * Which of these worksheet names the workbook already uses (one round trip).
 *
 * @example
 * await existingWorksheets(["Income statement", "Checks"]) //=> ["Checks"]
 */
export async function existingWorksheets(names: readonly string[]): Promise<string[]> {
  return Excel.run(async (context) => {
    const found = names.map((name) => {
      const sheet = context.workbook.worksheets.getItemOrNullObject(name);
      sheet.load("isNullObject");
      return { name, sheet };
    });
    await context.sync();
    return found.filter(({ sheet }) => !sheet.isNullObject).map(({ name }) => name);
  });
}

/** Applies a role's look to a range (queued; sent with the sheet's sync). */
function applyRoleFormat(range: Excel.Range, role: CellRole, indent: number, indentSupported: boolean): void {
  const style = ROLE_STYLES[role];
  const format = range.format;
  if (style.bold) format.font.bold = true;
  if (style.italic) format.font.italic = true;
  if (style.size !== undefined) format.font.size = style.size;
  if (style.color !== undefined) format.font.color = style.color;
  if (style.fill !== undefined) format.fill.color = style.fill;
  if (style.alignRight) format.horizontalAlignment = "Right";
  for (const [edge, wanted] of [
    ["EdgeTop", style.borderTop],
    ["EdgeBottom", style.borderBottom],
  ] as const) {
    if (!wanted) continue;
    const border = format.borders.getItem(edge);
    border.style = "Continuous";
    border.weight = "Thin";
  }
  if (indent > 0 && indentSupported) format.indentLevel = indent;
}

export interface WriteSheetsOptions {
  /** Names among the plans' that exist and may be replaced (from `existingWorksheets`, after the user agreed). */
  replace: ReadonlySet<string>;
  /** Called before each sheet is sent, with its position (0-based). */
  onSheet?: (plan: SheetPlan, position: number) => void;
}

/**
 * Writes planned sheets as new worksheets, in order, each in one `context.sync()`: formulas and number formats as
 * 2-D blocks over the used range, styles by rectangles, column widths, frozen panes. A sheet named in
 * `options.replace` is deleted in the same sync, after its replacement is added under a temporary name (a workbook
 * must always keep one sheet). The first sheet is activated at the end. Resolves with the number of syncs.
 *
 * @example
 * await writeWorksheets(model.sheets.map(planModelSheet), { replace: new Set() }) //=> 6
 */
export async function writeWorksheets(plans: readonly SheetPlan[], options: WriteSheetsOptions): Promise<number> {
  const indentSupported = Office.context.requirements.isSetSupported("ExcelApi", "1.9");
  return Excel.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    let syncs = 0;
    let first: Excel.Worksheet | null = null;
    for (const [position, plan] of plans.entries()) {
      options.onSheet?.(plan, position);
      const replacing = options.replace.has(plan.name);
      const sheet = worksheets.add(replacing ? `QFIN new ${position + 1}` : plan.name);
      if (replacing) {
        worksheets.getItem(plan.name).delete();
        sheet.name = plan.name;
      }
      first ??= sheet;
      const used = sheet.getRange(plan.address);
      used.formulas = plan.formulas;
      used.numberFormat = plan.numberFormats;
      for (const block of plan.styles) applyRoleFormat(sheet.getRange(block.address), block.role, block.indent, indentSupported);
      for (const { columns, points } of plan.columnWidths) sheet.getRange(columns).format.columnWidth = points;
      const { rows, columns } = plan.frozen;
      if (rows > 0 && columns > 0) sheet.freezePanes.freezeAt(sheet.getRange(`A1:${columnLetters(columns)}${rows}`));
      else if (rows > 0) sheet.freezePanes.freezeRows(rows);
      else if (columns > 0) sheet.freezePanes.freezeColumns(columns);
      if (position === plans.length - 1) first.activate();
      await context.sync();
      syncs++;
    }
    return syncs;
  });
}

/**
 * Every worksheet's used cells, for Link this workbook: values as Excel shows them, whether each cell holds a formula,
 * and number formats (a header typed as "Jun-23" is a date shown as month and year). Errors read as empty. Two round
 * trips, whatever the number of sheets.
 *
 * @example
 * await readWorkbookCells() //=> [{ name: "Model", cells: [{ row: 4, col: 2, value: "2Q23", formula: false, numberFormat: "General" }, …] }]
 */
export async function readWorkbookCells(): Promise<InputSheet[]> {
  return Excel.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    worksheets.load("items/name");
    await context.sync();
    const used = worksheets.items.map((sheet) => {
      const range = sheet.getUsedRangeOrNullObject(true);
      range.load("isNullObject,address,values,formulas,numberFormat,valueTypes");
      return { name: sheet.name, range };
    });
    await context.sync();
    return used.map(({ name, range }) => ({ name, cells: range.isNullObject ? [] : usedCells(range) }));
  });
}

/** The non-empty cells of a loaded used range, positioned from its address (`'My sheet'!B2:H40`). */
function usedCells(range: Excel.Range): InputCell[] {
  const area = parseRange(range.address.slice(range.address.lastIndexOf("!") + 1));
  if (area === undefined) return [];
  const values = range.values as unknown[][];
  const formulas = range.formulas as unknown[][];
  const formats = range.numberFormat as unknown[][];
  const types = range.valueTypes as unknown[][];
  const cells: InputCell[] = [];
  values.forEach((line, r) =>
    line.forEach((value, c) => {
      if (value === "" || value === null || value === undefined || types[r]?.[c] === "Error") return;
      if (typeof value !== "number" && typeof value !== "string" && typeof value !== "boolean") return;
      const formula = formulas[r]?.[c];
      const format = formats[r]?.[c];
      cells.push({
        row: area.from.row + r,
        col: area.from.col + c,
        value,
        formula: typeof formula === "string" && formula.startsWith("="),
        numberFormat: typeof format === "string" ? format : undefined,
      });
    }),
  );
  return cells;
}

/** A formula to put where a number was, if the cell still holds that number. */
export interface LinkWrite {
  sheet: string;
  /** `C6` */
  address: string;
  /** As typed: `=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)`. */
  formula: string;
  /** The number the cell held when it was read. */
  value: number;
}

/**
 * Writes each formula into its cell, unless the cell no longer holds the number it held when it was read (the analyst
 * edited it meanwhile): those are left as they are and returned. Two round trips: read every target, then write.
 *
 * @example
 * await writeLinkedFormulas([{ sheet: "Model", address: "C6", formula: "=ROUND(QFIN.METRIC(…),1)", value: 3914.3 }])
 * //=> { written: 1, changed: [] }
 */
export async function writeLinkedFormulas(writes: readonly LinkWrite[]): Promise<{ written: number; changed: LinkWrite[] }> {
  return Excel.run(async (context) => {
    const targets = writes.map((write) => {
      const range = context.workbook.worksheets.getItem(write.sheet).getRange(write.address);
      range.load("formulas");
      return { write, range };
    });
    await context.sync();
    const changed: LinkWrite[] = [];
    let written = 0;
    for (const { write, range } of targets) {
      if ((range.formulas as unknown[][])[0]?.[0] !== write.value) {
        changed.push(write);
        continue;
      }
      range.formulas = [[write.formula]];
      written++;
    }
    await context.sync();
    return { written, changed };
  });
}
