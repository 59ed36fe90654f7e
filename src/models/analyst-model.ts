/**
 * The analyst model: a description, as plain data, of a workbook whose every figure is a QFIN formula driven by a row
 * of period header cells. The `qfin template` command writes it as an .xlsx (src/workbook) and the taskpane's
 * "Insert model" writes it into the open workbook through Office.js; both read this one description, so the two
 * stay the same model. Pure: no Office, no Node, no file access.
 *
 * The sheets: a Cover; the income statement, balance sheet, cash flow, non-GAAP reconciliation, KPIs and the capital
 * returns and outlook, each line a QFIN formula (src/models/statement-sheets.ts); an Analysis sheet of Excel formulas over those cells; the release's
 * Definitions; and the Checks. A figure the data does not report shows "n/a" (a growth that means nothing, "n.m."),
 * never an error; a real error (a mistyped id) still shows. See timeline.ts for the columns and why they are relative.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { COVER, DEFINITIONS, coverSheet, definitionsSheet } from "./about-sheets";
import { ANALYSIS, analysisSheet } from "./analysis-sheet";
import { CHECKS, checksSheet } from "./checks-sheet";
import { CAPITAL, PERIOD_SHEETS, capitalSheet, periodSheet, type PeriodSheet } from "./statement-sheets";
import { balanceColumns, flowColumns, type PeriodColumn } from "./timeline";

export { Layout } from "./layout";
export { NumberFormats } from "./number-formats";

/**
 * What a cell is for; each writer maps a role to its own styling (bold, borders, colours), so the description says
 * what, not how.
 */
export type CellRole =
  /** The sheet's title (row 1). */
  | "title"
  /** A sentence explaining the sheet (row 2), or the legend of markers. */
  | "note"
  /** Above a period column: "not in the data" when the column has no figure. */
  | "coverage"
  /** A period header the analyst may edit (`latest-1`, `2023H1`): an input, shown as one. */
  | "period-input"
  /** A period header that follows another sheet's (one timeline for the flow sheets). */
  | "period-link"
  /** The period's label computed from the input (`Q1 2023`). */
  | "period-label"
  /** A column heading ("Item id", "RMB millions"). */
  | "column-heading"
  /** A heading row inside a statement ("Current assets", "Margins"). */
  | "section"
  /** A line item's label. */
  | "label"
  /** A subtotal or total's label. */
  | "total-label"
  /** The headline line of a block (diluted EPS per ADS). */
  | "key-label"
  /** The item id the row's formulas read (column B, hidden), or what an analysis line reads. */
  | "item-ref"
  /** A figure of a line item. */
  | "figure"
  /** A figure of a subtotal or total. */
  | "total-figure"
  /** A figure of the headline line. */
  | "key-figure"
  /** A tie-out difference (0 when it holds) or a check result. */
  | "check"
  /** A paragraph (the cover, definitions): wraps. */
  | "text"
  /** Small print that wraps (the ingest checks' messages). */
  | "detail";

export interface ModelCell {
  /** A1 address on the sheet, e.g. `C6`. */
  address: string;
  /** A constant (label, header text). Absent for formula cells. */
  value?: string | number;
  /** An Excel formula as typed in the cell, with its leading `=`, e.g. `=QFIN.METRIC($B6,C$4)`. */
  formula?: string;
  /**
   * For a formula that reads no data (a link to another sheet's period input, a count of the checks' values): the
   * value it has. Writers cache it as is, since only formulas that reach a QFIN call are evaluated when writing.
   */
  cached?: string | number;
  /** An Excel number format; absent for text and General. */
  numberFormat?: string;
  role: CellRole;
  /** Indent level for labels (0 at the top of a statement). */
  indent?: number;
  /** A note shown on hover (a KPI's definition). */
  note?: string;
}

export interface ModelSheet {
  name: string;
  /** Cells row by row, left to right. */
  cells: ModelCell[];
  /** Column widths in Excel's character units, by 1-based column number. */
  columnWidths: { column: number; width: number }[];
  /** Rows and columns kept in view when scrolling (the titles, period headers and labels). */
  frozen: { rows: number; columns: number };
  /** Columns grouped and hidden, out of the reading path (the item ids the formulas read). */
  hiddenColumns: number[];
  /** Heights in points of rows whose text wraps. */
  rowHeights: { row: number; height: number }[];
  /** Rows printed atop every page (the period headers); the sheet prints landscape, one page wide. */
  repeatRows: { first: number; last: number } | null;
  /** What prints (A1 range), when not the whole sheet. */
  printArea?: string;
  /** Rows that start a new printed page (a block that reads best whole). */
  pageBreaks: number[];
  /** Printed on one page, shrunk to fit (the cover, the balance sheet, the KPIs), rather than one page wide. */
  onePage?: boolean;
}

export interface AnalystModel {
  /** The release the model was built from (e.g. `2023Q2`); the model itself reads whatever data is loaded. */
  builtFrom: string;
  sheets: ModelSheet[];
}

const ABOUT: Readonly<Record<string, string>> = {
  [COVER]: "This page.",
  "Income statement": "The statement of operations by quarter and half-year; earnings per ADS and per share; margins, their change in bps, growth YoY and QoQ.",
  "Balance sheet": "The balance sheet at each quarter end.",
  "Cash flow": "The cash flow statement's totals by quarter and half-year.",
  "Non-GAAP": "The release's reconciliation of non-GAAP net income and income from operations, with non-GAAP margins and EPS per ADS.",
  KPIs: "Every operating KPI of the release (partners, users, loan volume, loan book, delinquency, tenor, cash) with its change year on year.",
  [CAPITAL]: "The dividend, the share repurchase and the loan volume outlook, each at its own date or period.",
  [ANALYSIS]: "Costs as % of revenue, effective tax rate, take rate on loan volume, capital-light share, non-GAAP EPS per ADS, LTM sums: Excel formulas over the QFIN cells.",
  [DEFINITIONS]: "The release's definitions of the KPIs and non-GAAP measures.",
  [CHECKS]: "Tie-outs computed in Excel from the statement sheets, and the data's ingest checks.",
};

/**
 * Builds the analyst model for a dataset.
 *
 * @example
 * const model = buildAnalystModel(index);
 * model.sheets.map((sheet) => sheet.name)
 * // ["Cover", "Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Capital & outlook", "Analysis", "Definitions", "Checks"]
 */
export function buildAnalystModel(index: DatasetIndex): AnalystModel {
  const built = new Map<string, PeriodSheet>();
  for (const spec of PERIOD_SHEETS) {
    const columns: PeriodColumn[] = spec.name === "Balance sheet" ? balanceColumns(index) : flowColumns(index, !spec.yoyColumn);
    if (columns.length === 0) continue;
    built.set(spec.name, periodSheet(index, spec, columns));
  }
  const capital = capitalSheet(index);
  const analysis = analysisSheet(built);
  const definitions = definitionsSheet(index);
  const checks = checksSheet(index, built);
  const figures = [...[...built.values()].map((sheet) => sheet.sheet), ...(capital ? [capital] : []), ...(analysis ? [analysis] : []), definitions, checks];
  const income = built.get("Income statement");
  const gaps = (income?.columns ?? []).filter((column) => column.kind === "quarter" && !hasFigures(index, column, income?.rows));
  const cover = coverSheet(
    index,
    [COVER, ...figures.map((sheet) => sheet.name)].map((name) => ({ name, about: ABOUT[name] ?? "" })),
    gaps,
  );
  return { builtFrom: index.latestRelease.id, sheets: [cover, ...figures] };
}

/** Whether the data has a figure of any income statement line for a column's period (a gap has none). */
function hasFigures(index: DatasetIndex, column: PeriodColumn, rows: ReadonlyMap<string, number> | undefined): boolean {
  return [...(rows?.keys() ?? [])].some((item) => index.periodsOf(item).some((period) => period.label === column.label));
}
