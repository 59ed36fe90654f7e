/**
 * The add-in's one door to Office (Office.js and the Excel JavaScript API), for the pane and the runtime alike.
 * Everything else is plain TypeScript that runs and is tested outside Excel; the browser tests stub the host below
 * this file (a stand-in `Office`/`Excel` in place of office.js), never above it.
 *
 * APIs used: `Office.onReady`, `Office.context.officeTheme`, `Office.context.requirements`;
 * `Workbook.getActiveCell` and `Range.getResizedRange` (ExcelApi 1.7); `Application.calculate` and
 * `Application.calculationMode` (ExcelApi 1.1); `Worksheet.getUsedRangeOrNullObject` (1.4), `Range.setDirty` (1.9) and
 * `Range.calculate` (1.6) to recalculate the QFIN cells alone; `WorksheetCollection.getItemOrNullObject` (1.4), `add`,
 * `Range.formulas`/`numberFormat`/`format` (1.1) and `Worksheet.freezePanes` (1.7) for Insert model;
 * `RangeFormat.indentLevel` (1.9) only where supported; `OfficeRuntime.storage` (SharedRuntime 1.1) for the pane's
 * setting; `Range.values`/`formulas`/`numberFormat`/`valueTypes` (1.1) and
 * `WorksheetCollection.getItem` (1.1) for Link this workbook; for the trace of a cell, `Workbook.onSelectionChanged`
 * (1.2), `Range.values`/`rowIndex`/`columnIndex` (1.1) and `Range.getSpillParentOrNullObject` (1.12) only where
 * supported.
 */
import { columnLetters } from "../excel/a1";
import type { InputCell, InputSheet } from "../retrofit/cells";
import type { CellRole } from "../models/analyst-model";
import { ROLE_STYLES } from "../models/cell-styles";
import type { SheetPlan } from "./model-sheet-plan";
import { qfinCellRuns, qfinCellSet, type CalculationMode, type QfinCellSet, type WorkbookCalculation } from "./recalculation";

/** The ExcelApi level these functions need; the pane checks it before offering to insert. */
export const REQUIRED_EXCEL_API = "1.7";

/**
 * Where the pane runs: inside Excel, inside another Office application, in a plain browser (the preview), or where
 * office.js is missing (its script did not load) or silent (it loaded but never became ready, as when the files it
 * loads in turn are blocked).
 */
export type HostKind = "excel" | "other-office" | "none" | "office-js-missing" | "office-js-silent";

/**
 * How long office.js may take to say where it runs. Microsoft: "If the Office JavaScript API library files are blocked
 * by network filters, firewalls, or browser extensions, Office.onReady will never resolve."
 */
export const OFFICE_READY_TIMEOUT_MS = 10_000;

/**
 * Waits for office.js and says where the pane runs. Outside Office, office.js resolves with no host. Never waits
 * forever and never throws: a missing or silent office.js is an answer the caller explains.
 *
 * @example
 * await connectToOffice() //=> "none" in a plain browser, "excel" in Excel
 */
export async function connectToOffice(timeoutMs: number = OFFICE_READY_TIMEOUT_MS): Promise<HostKind> {
  // office.js failed to load (blocked, offline): the page is no add-in host; the caller says so.
  if (typeof Office === "undefined" || typeof Office.onReady !== "function") return "office-js-missing";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    const info = await Promise.race([Office.onReady().catch(() => null), silence]);
    if (info === null) return "office-js-silent";
    if (!info.host) return "none";
    return info.host === Office.HostType.Excel ? "excel" : "other-office";
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the running Excel has the ExcelApi requirement set `version` (the one place this adapter asks). */
const supportsExcelApi = (version: string): boolean => Office.context.requirements.isSetSupported("ExcelApi", version);

/** Whether the running Excel supports what this adapter uses. */
export function isExcelApiSupported(): boolean {
  return supportsExcelApi(REQUIRED_EXCEL_API);
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
 * Recalculates every formula in the open workbooks with a full calculation: every cell is marked dirty, so the
 * QFIN custom functions (which are not volatile, and which a plain recalculation would skip as their arguments did
 * not change) run again against the data now loaded. Only on the analyst's say-so (see recalculation.ts).
 *
 * @example
 * await calculateEverything(); // every =QFIN.… cell, and every other formula, calculated again
 */
export async function calculateEverything(): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.calculate(Excel.CalculationType.full);
    await context.sync();
  });
}

const CALCULATION_MODES: Record<string, CalculationMode> = { Automatic: "automatic", AutomaticExceptTables: "automaticExceptTables", Manual: "manual" };

/**
 * Excel's calculation mode (a setting of the Excel session, not of the workbook).
 *
 * @example
 * await readCalculationMode() //=> "manual" when the analyst chose Formulas › Calculation Options › Manual
 */
export async function readCalculationMode(): Promise<CalculationMode> {
  return Excel.run(async (context) => {
    const application = context.workbook.application;
    application.load("calculationMode");
    await context.sync();
    const mode = CALCULATION_MODES[String(application.calculationMode)];
    if (mode === undefined) throw new Error(`Excel reports an unknown calculation mode "${String(application.calculationMode)}"`);
    return mode;
  });
}

/** Whether this Excel can mark single ranges for recalculation (`Range.setDirty`, ExcelApi 1.9). */
export const canRecalculateCells = (): boolean => supportsExcelApi("1.9");

/**
 * Cells read in one round trip at most. Microsoft's guidance for large ranges is to read them in blocks of rows rather
 * than at once (a response over Excel on the web's 5 MB payload limit fails); 20,000 cells of formulas or values stay
 * well under it.
 */
export const CELLS_PER_READ = 20_000;
/** Ranges marked (and calculated) in one round trip at most, for the same reason. */
export const RUNS_PER_SYNC = 2_000;

/** A block of a sheet's used range, loaded: whole rows of it, from `rowIndex` (0-based). */
interface UsedBlock {
  sheet: string;
  range: Excel.Range;
  rowIndex: number;
  columnIndex: number;
}
/** A sheet with nothing in it: no block, but a sheet all the same (Link this workbook counts the sheets it read). */
interface EmptySheet {
  sheet: string;
  range: null;
}

/**
 * Every worksheet's used range, read in blocks of whole rows of at most `CELLS_PER_READ` cells, one sync each (after
 * one sync for the sheets' names and one for their used ranges' extents); `properties` are loaded on each block. A
 * sheet with no used range comes as one EmptySheet.
 */
async function* usedRangeBlocks(context: Excel.RequestContext, properties: string, valuesOnly: boolean): AsyncGenerator<UsedBlock | EmptySheet> {
  const worksheets = context.workbook.worksheets;
  worksheets.load("items/name");
  await context.sync();
  const extents = worksheets.items.map((worksheet) => {
    const used = worksheet.getUsedRangeOrNullObject(valuesOnly);
    used.load("isNullObject,rowIndex,columnIndex,rowCount,columnCount");
    return { worksheet, used };
  });
  await context.sync();
  for (const { worksheet, used } of extents) {
    if (used.isNullObject) {
      yield { sheet: worksheet.name, range: null };
      continue;
    }
    const rowsPerBlock = Math.max(1, Math.floor(CELLS_PER_READ / used.columnCount));
    for (let start = 0; start < used.rowCount; start += rowsPerBlock) {
      const range = worksheet.getRangeByIndexes(used.rowIndex + start, used.columnIndex, Math.min(rowsPerBlock, used.rowCount - start), used.columnCount);
      range.load(properties);
      await context.sync();
      yield { sheet: worksheet.name, range, rowIndex: used.rowIndex + start, columnIndex: used.columnIndex };
    }
  }
}

/**
 * The QFIN cells of every worksheet of this workbook: each sheet's used range is read (its formulas) in blocks of
 * rows, so a large workbook never goes to Excel in one payload. Changes nothing.
 *
 * @example
 * await findQfinCells() //=> { cells: 510, sheets: 6, runs: [{ sheet: "Income statement", address: "C6:J6", cells: 8 }, …] }
 */
export async function findQfinCells(): Promise<QfinCellSet> {
  return Excel.run(async (context) => {
    const bySheet: { sheet: string; runs: ReturnType<typeof qfinCellRuns> }[] = [];
    for await (const block of usedRangeBlocks(context, "formulas", false)) {
      if (block.range === null) continue;
      const runs = qfinCellRuns(block.range.formulas as unknown[][], block);
      const last = bySheet[bySheet.length - 1];
      if (last !== undefined && last.sheet === block.sheet) last.runs.push(...runs);
      else bySheet.push({ sheet: block.sheet, runs });
    }
    return qfinCellSet(bySheet);
  });
}

/**
 * Marks the QFIN cells dirty and, when `calculate`, calculates them (`RUNS_PER_SYNC` ranges a sync). In Manual calculation the marks
 * wait for the analyst's next calculation; in Automatic calculation Excel also recalculates what depends on them.
 *
 * @example
 * await touchQfinCells(await findQfinCells(), true);
 */
export async function touchQfinCells(cells: QfinCellSet, calculate: boolean): Promise<void> {
  if (cells.runs.length === 0) return;
  await Excel.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    for (let start = 0; start < cells.runs.length; start += RUNS_PER_SYNC) {
      for (const run of cells.runs.slice(start, start + RUNS_PER_SYNC)) {
        const range = worksheets.getItem(run.sheet).getRange(run.address);
        range.setDirty();
        if (calculate) range.calculate();
      }
      await context.sync();
    }
  });
}

/** The workbook's calculation, through this adapter (see recalculation.ts for what is done when). */
export const excelCalculation: WorkbookCalculation = {
  calculationMode: readCalculationMode,
  canRecalculateCells,
  findQfinCells,
  touchQfinCells,
  calculateEverything,
};

/**
 * A setting of the analyst's, kept by Office for the add-in (`OfficeRuntime.storage`: per user and add-in domain,
 * across workbooks; not in the workbook, so it does not travel with a file sent to a colleague). Null when never set.
 * Rejects when Office has no such storage (an Excel without SharedRuntime 1.1) or does not answer within 5 seconds
 * (its reference warns that `getItem` may never resolve).
 *
 * @example
 * await readSetting("qfin.applyNewerDataAutomatically") //=> "on", "off" or null
 */
export async function readSetting(key: string): Promise<string | null> {
  const storage = typeof OfficeRuntime === "undefined" ? undefined : OfficeRuntime.storage;
  if (storage === undefined) throw new Error("this Excel keeps no add-in settings (OfficeRuntime.storage is missing)");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error("Office did not answer within 5 seconds")), 5_000)));
  try {
    return await Promise.race([storage.getItem(key), silence]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stores a setting (see `readSetting`). */
export async function writeSetting(key: string, value: string): Promise<void> {
  const storage = typeof OfficeRuntime === "undefined" ? undefined : OfficeRuntime.storage;
  if (storage === undefined) throw new Error("this Excel keeps no add-in settings (OfficeRuntime.storage is missing)");
  await storage.setItem(key, value);
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

export interface WrittenSheets {
  /** Round trips to Excel. */
  syncs: number;
  /** What this Excel could not take, in words ("cell notes (they need ExcelApi 1.18)"); the sheets stand without it. */
  leftOut: string[];
}

/**
 * Writes planned sheets as new worksheets, in order, each in one `context.sync()`: formulas and number formats as
 * 2-D blocks over the used range, the model's font, styles by rectangles, column widths, row heights, the hidden id
 * column, frozen panes. A sheet named in `options.replace` is deleted in the same sync, after its replacement is added
 * under a temporary name (a workbook must always keep one sheet). Then one last sync for what only newer Excels take
 * (print settings, ExcelApi 1.9; notes, 1.18): Excel's batches are not transactions, so it goes after the sheets,
 * which stand whatever it meets. The first sheet is activated at the end.
 *
 * @example
 * await writeWorksheets(model.sheets.map(planModelSheet), { replace: new Set() }) //=> { syncs: 13, leftOut: [] }
 */
export async function writeWorksheets(plans: readonly SheetPlan[], options: WriteSheetsOptions): Promise<WrittenSheets> {
  const indentSupported = supportsExcelApi("1.9");
  return Excel.run(async (context) => {
    const worksheets = context.workbook.worksheets;
    let syncs = 0;
    const leftOut: string[] = [];
    const written: { plan: SheetPlan; sheet: Excel.Worksheet }[] = [];
    for (const [position, plan] of plans.entries()) {
      options.onSheet?.(plan, position);
      const replacing = options.replace.has(plan.name);
      const sheet = worksheets.add(replacing ? `QFIN new ${position + 1}` : plan.name);
      if (replacing) {
        worksheets.getItem(plan.name).delete();
        sheet.name = plan.name;
      }
      written.push({ plan, sheet });
      const used = sheet.getRange(plan.address);
      used.formulas = plan.formulas;
      used.numberFormat = plan.numberFormats;
      used.format.font.name = plan.font.name;
      used.format.font.size = plan.font.size;
      for (const block of plan.styles) applyRoleFormat(sheet.getRange(block.address), block.role, block.indent, indentSupported);
      for (const { columns, points } of plan.columnWidths) sheet.getRange(columns).format.columnWidth = points;
      for (const { rows, points } of plan.rowHeights) sheet.getRange(rows).format.rowHeight = points;
      for (const columns of plan.hiddenColumns) {
        const hidden = sheet.getRange(columns);
        // Grouped as the .xlsx template groups it, so the outline's + shows it again (ExcelApi 1.10).
        if (supportsExcelApi("1.10")) hidden.group(Excel.GroupOption.byColumns);
        hidden.columnHidden = true;
      }
      const { rows, columns } = plan.frozen;
      if (rows > 0 && columns > 0) sheet.freezePanes.freezeAt(sheet.getRange(`A1:${columnLetters(columns)}${rows}`));
      else if (rows > 0) sheet.freezePanes.freezeRows(rows);
      else if (columns > 0) sheet.freezePanes.freezeColumns(columns);
      await context.sync();
      syncs++;
    }
    const printable = supportsExcelApi("1.9");
    const notable = supportsExcelApi("1.18");
    if (!printable) leftOut.push("the print settings (landscape, one page wide, titles on each page; they need ExcelApi 1.9)");
    if (!notable && plans.some((plan) => plan.notes.length > 0)) leftOut.push("the cell notes with each KPI's definition (they need ExcelApi 1.18; the Definitions sheet has them)");
    for (const { plan, sheet } of written) {
      if (printable) {
        const layout = sheet.pageLayout;
        layout.orientation = Excel.PageOrientation.landscape;
        // One page wide and as many tall as it takes (0, as fitToHeight="0" in the .xlsx), unless it reads best on one.
        layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: plan.print.onePage ? 1 : 0 };
        if (plan.print.titleRows !== null) layout.setPrintTitleRows(plan.print.titleRows);
        if (plan.print.area !== null) layout.setPrintArea(plan.print.area);
        for (const cell of plan.print.breaksBefore) sheet.horizontalPageBreaks.add(cell);
      }
      if (notable) for (const { address, text } of plan.notes) sheet.notes.add(address, text);
    }
    written[0]?.sheet.activate();
    try {
      await context.sync();
    } catch (error) {
      leftOut.push(`the print settings and notes (Excel refused them: ${error instanceof Error ? error.message : String(error)})`);
      if (written[0] !== undefined) {
        written[0].sheet.activate();
        await context.sync().catch(() => undefined);
      }
    }
    syncs++;
    return { syncs, leftOut };
  });
}

/**
 * Every worksheet's used cells, for Link this workbook: values as Excel shows them, whether each cell holds a formula,
 * and number formats (a header typed as "Jun-23" is a date shown as month and year). Errors read as empty. Read in
 * blocks of rows (`CELLS_PER_READ`), so a large workbook is never one payload.
 *
 * @example
 * await readWorkbookCells() //=> [{ name: "Model", cells: [{ row: 4, col: 2, value: "2Q23", formula: false, numberFormat: "General" }, …] }]
 */
export async function readWorkbookCells(): Promise<InputSheet[]> {
  return Excel.run(async (context) => {
    const sheets: { name: string; cells: InputCell[] }[] = [];
    for await (const block of usedRangeBlocks(context, "values,formulas,numberFormat,valueTypes", true)) {
      const last = sheets[sheets.length - 1];
      const cells = block.range === null ? [] : blockCells(block);
      if (last !== undefined && last.name === block.sheet) last.cells.push(...cells);
      else sheets.push({ name: block.sheet, cells });
    }
    return sheets;
  });
}

/** The non-empty cells of a loaded block, positioned (1-based, as A1 addresses count) from where the block starts. */
function blockCells({ range, rowIndex, columnIndex }: UsedBlock): InputCell[] {
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
        row: rowIndex + r + 1,
        col: columnIndex + c + 1,
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

// ---- The selection, for the pane's trace of a cell to its release line -------------------------------------------

/** The active cell as the pane's trace reads it. */
export interface ActiveCell {
  /** "Sheet1". */
  sheet: string;
  /** "B4". */
  address: string;
  /** The formula (`=QFIN.METRIC($B6,C$4)`), or the constant the cell holds; a spilled cell reports its value. */
  formula: string;
  /** What the cell shows: a number, text, TRUE/FALSE, or an error's code ("#N/A"). */
  value: unknown;
  /** For a cell a dynamic array spills into: the cell whose formula spills there, and this cell's place in it. */
  spill: { address: string; formula: string; row: number; column: number } | null;
}

/** "'Income statement'!C6" → ["Income statement", "C6"]. */
function splitAddress(address: string): [string, string] {
  const bang = address.lastIndexOf("!");
  const sheet = address.slice(0, Math.max(0, bang));
  return [sheet.startsWith("'") && sheet.endsWith("'") ? sheet.slice(1, -1).replace(/''/g, "'") : sheet, address.slice(bang + 1)];
}

/**
 * The active cell: where it is, its formula and what it shows (`Workbook.getActiveCell`, ExcelApi 1.7), and for a
 * spilled cell the formula that spills there (`Range.getSpillParentOrNullObject`, ExcelApi 1.12, read only where
 * supported: older Excel reports a spilled cell's value alone). One sync.
 *
 * @example
 * await readActiveCell() //=> { sheet: "Sheet1", address: "C6", formula: "=QFIN.METRIC($B6,C$4)", value: 1093.377, spill: null }
 */
export async function readActiveCell(): Promise<ActiveCell> {
  const spills = supportsExcelApi("1.12");
  return Excel.run(async (context) => {
    const cell = context.workbook.getActiveCell();
    cell.load("address,formulas,values,rowIndex,columnIndex");
    const parent = spills ? cell.getSpillParentOrNullObject() : null;
    parent?.load("isNullObject,address,formulas,rowIndex,columnIndex");
    await context.sync();
    const [sheet, address] = splitAddress(cell.address);
    const formula = (cell.formulas as unknown[][])[0]?.[0];
    const value = (cell.values as unknown[][])[0]?.[0];
    const spilled = parent !== null && !parent.isNullObject && parent.address !== cell.address;
    return {
      sheet,
      address,
      formula: typeof formula === "string" ? formula : String(formula ?? ""),
      value,
      spill: spilled
        ? { address: splitAddress(parent.address)[1], formula: String((parent.formulas as unknown[][])[0]?.[0] ?? ""), row: cell.rowIndex - parent.rowIndex, column: cell.columnIndex - parent.columnIndex }
        : null,
    };
  });
}

/**
 * What single cells show (the arguments a traced formula reads from cells), in one sync.
 *
 * @example
 * await readCellValues([{ sheet: "Income statement", address: "B6" }, { sheet: "Income statement", address: "C4" }]) //=> ["ops.net_income", "latest"]
 */
export async function readCellValues(refs: readonly { sheet: string; address: string }[]): Promise<unknown[]> {
  if (refs.length === 0) return [];
  return Excel.run(async (context) => {
    const ranges = refs.map((ref) => {
      const range = context.workbook.worksheets.getItem(ref.sheet).getRange(ref.address);
      range.load("values");
      return range;
    });
    await context.sync();
    return ranges.map((range) => (range.values as unknown[][])[0]?.[0]);
  });
}

/**
 * Calls `onChange` whenever the selection changes in this workbook (`Workbook.onSelectionChanged`, ExcelApi 1.2; the
 * handler lives as long as the pane's runtime). Resolves once registered.
 *
 * @example
 * await watchSelection(() => void traceActiveCell());
 */
export async function watchSelection(onChange: () => void): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.onSelectionChanged.add(async () => onChange());
    await context.sync();
  });
}
