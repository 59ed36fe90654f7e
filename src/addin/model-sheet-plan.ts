/**
 * "Insert model": the analyst model (src/models/analyst-model.ts, the same description `qfin template` writes as
 * .xlsx) turned into what Office.js writes in a few calls per sheet: one 2-D block of formulas and one of number
 * formats over the sheet's used rectangle, styles as rectangles of cells that share a role, column widths in points,
 * the frozen panes, the hidden id column, row heights, notes and the print settings. Pure: office.ts applies a plan, nothing here touches Office.
 */
import { columnRange, parseA1, rangeAddress as blockAddress } from "../excel/a1";
import type { CellRole, ModelCell, ModelSheet } from "../models/analyst-model";
import { MODEL_FONT, isPlain } from "../models/cell-styles";

/** A rectangle of cells sharing a role (and an indent), styled in one go. */
export interface StyleBlock {
  /** `A6:A9`, or `C4` for one cell. */
  address: string;
  role: CellRole;
  /** Indent level of labels (0 = none). */
  indent: number;
}

export interface SheetPlan {
  name: string;
  /** The used rectangle, from A1: `A1:J84`. */
  address: string;
  /** Row by row over `address`: formulas as typed, constants as Excel reads them, "" for empty cells. */
  formulas: (string | number)[][];
  /** Row by row over `address`: "General" where the model sets no format. */
  numberFormats: string[][];
  /** Only roles that look different from a plain cell (or carry an indent). */
  styles: StyleBlock[];
  /** Whole-column ranges (`A:A`) and their width in points. */
  columnWidths: { columns: string; points: number }[];
  frozen: { rows: number; columns: number };
  /** The model's one font, set on the used range (a cell with no font named is drawn in the host's default). */
  font: { name: string; size: number };
  /** Whole columns (`B:B`) grouped and hidden, out of the reading path: the item ids the formulas read. */
  hiddenColumns: string[];
  /** Whole rows (`7:7`) of wrapping text and their height in points. */
  rowHeights: { rows: string; points: number }[];
  /** Notes shown on hover (a KPI's definition), by cell. */
  notes: { address: string; text: string }[];
  /** How it prints, as the .xlsx template does: landscape, one page wide (or one page). */
  print: {
    /** Rows repeated atop every page (`4:5`), or null. */
    titleRows: string | null;
    /** What prints (`A1:J37`), or null for the whole sheet. */
    area: string | null;
    /** Cells (`A40`) before whose row a new page starts. */
    breaksBefore: string[];
    /** One page tall as well as wide. */
    onePage: boolean;
  };
}

/**
 * Excel's column width in points for a width in characters of the default font (Calibri 11: 7 pixels a character
 * plus 5 pixels of padding, in whole pixels; 0.75 points a pixel), which is what the .xlsx template's widths mean.
 *
 * @example
 * columnWidthPoints(12) // 66.75
 */
export function columnWidthPoints(characters: number): number {
  return Math.round(characters * 7 + 5) * 0.75;
}

/** Texts Excel would read as something else when written through `formulas` (a formula, a number, a date, a boolean). */
const READ_AS_OTHER = /^\s*[=+\-@]|^\s*[\d.,$%()/\s:-]+\s*$|^(true|false)$/i;

/**
 * What to write through `Range.formulas` for a model cell: the formula, the number, or the text — with Excel's
 * leading apostrophe where Excel would otherwise read the text as a formula, a number or a date.
 *
 * @example
 * cellEntry({ address: "C6", formula: "=QFIN.METRIC($B6,C$4)", role: "figure" }) // "=QFIN.METRIC($B6,C$4)"
 * cellEntry({ address: "C4", value: "latest-1", role: "period-input" })           // "latest-1"
 * cellEntry({ address: "A9", value: "2023-06-30", role: "label" })                // "'2023-06-30"
 */
export function cellEntry(cell: ModelCell): string | number {
  if (cell.formula !== undefined) return cell.formula;
  const value = cell.value ?? "";
  if (typeof value === "number") return value;
  return value !== "" && READ_AS_OTHER.test(value) ? `'${value}` : value;
}

const position = (address: string): { row: number; col: number } => {
  const parsed = parseA1(address);
  if (parsed === undefined) throw new Error(`the analyst model has a bad cell address ${JSON.stringify(address)}`);
  return parsed;
};
const rangeAddress = (top: number, left: number, bottom: number, right: number): string => blockAddress({ row: top, col: left }, { row: bottom, col: right });

/**
 * Styles as few rectangles as possible: runs of adjacent cells in a row with the same role and indent, then runs
 * spanning the same columns on consecutive rows merged into one rectangle. Plain roles without indent are left out.
 */
function styleBlocks(cells: readonly ModelCell[]): StyleBlock[] {
  const styled = cells
    .filter((cell) => !isPlain(cell.role) || (cell.indent ?? 0) > 0)
    .map((cell) => ({ ...position(cell.address), role: cell.role, indent: cell.indent ?? 0 }))
    .sort((a, b) => a.row - b.row || a.col - b.col);
  interface Run {
    top: number;
    bottom: number;
    left: number;
    right: number;
    role: CellRole;
    indent: number;
  }
  const runs: Run[] = [];
  for (const cell of styled) {
    const last = runs[runs.length - 1];
    if (last && last.top === cell.row && last.right + 1 === cell.col && last.role === cell.role && last.indent === cell.indent) last.right = cell.col;
    else runs.push({ top: cell.row, bottom: cell.row, left: cell.col, right: cell.col, role: cell.role, indent: cell.indent });
  }
  const blocks: Run[] = [];
  for (const run of runs) {
    const above = blocks.find(
      (block) => block.bottom + 1 === run.top && block.left === run.left && block.right === run.right && block.role === run.role && block.indent === run.indent,
    );
    if (above) above.bottom = run.bottom;
    else blocks.push({ ...run });
  }
  return blocks.map((block) => ({ address: rangeAddress(block.top, block.left, block.bottom, block.right), role: block.role, indent: block.indent }));
}

/**
 * The plan for writing one model sheet through Office.js.
 *
 * @example
 * const plan = planModelSheet(buildAnalystModel(index).sheets[0]);
 * plan.address          // "A1:J84"
 * plan.formulas[5][2]   // "=QFIN.METRIC($B6,C$4)"
 * plan.numberFormats[5][2] // "#,##0.0"
 */
export function planModelSheet(sheet: ModelSheet): SheetPlan {
  const positions = sheet.cells.map((cell) => position(cell.address));
  const rows = Math.max(1, ...positions.map((at) => at.row));
  const columns = Math.max(1, ...positions.map((at) => at.col));
  const formulas: (string | number)[][] = Array.from({ length: rows }, () => Array.from({ length: columns }, () => ""));
  const numberFormats: string[][] = Array.from({ length: rows }, () => Array.from({ length: columns }, () => "General"));
  sheet.cells.forEach((cell, index) => {
    const { row, col } = positions[index] as { row: number; col: number };
    (formulas[row - 1] as (string | number)[])[col - 1] = cellEntry(cell);
    if (cell.numberFormat) (numberFormats[row - 1] as string[])[col - 1] = cell.numberFormat;
  });
  return {
    name: sheet.name,
    address: rangeAddress(1, 1, rows, columns),
    formulas,
    numberFormats,
    styles: styleBlocks(sheet.cells),
    columnWidths: sheet.columnWidths.map(({ column, width }) => ({ columns: columnRange(column), points: columnWidthPoints(width) })),
    frozen: { ...sheet.frozen },
    font: { ...MODEL_FONT },
    hiddenColumns: sheet.hiddenColumns.map(columnRange),
    rowHeights: sheet.rowHeights.map(({ row, height }) => ({ rows: `${row}:${row}`, points: height })),
    notes: sheet.cells.flatMap((cell) => (cell.note === undefined ? [] : [{ address: cell.address, text: cell.note }])),
    print: {
      titleRows: sheet.repeatRows === null ? null : `${sheet.repeatRows.first}:${sheet.repeatRows.last}`,
      area: sheet.printArea ?? null,
      breaksBefore: sheet.pageBreaks.filter((row) => row > 1).map((row) => `A${row}`),
      onePage: sheet.onePage === true,
    },
  };
}
