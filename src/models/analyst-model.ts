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
import { BALANCE_SHEET, CAPITAL, INCOME_STATEMENT, PERIOD_SHEETS, capitalSheet, periodSheet, type PeriodSheet } from "./statement-sheets";
import type { AnalystModel } from "./model-sheet";
import { balanceColumns, flowColumns, type PeriodColumn } from "./timeline";

export { Layout } from "./layout";
export { NumberFormats } from "./number-formats";
export type { AnalystModel, CellRole, ModelCell, ModelSheet } from "./model-sheet";

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
    const columns: PeriodColumn[] = spec.name === BALANCE_SHEET ? balanceColumns(index) : flowColumns(index, !spec.yoyColumn);
    if (columns.length === 0) continue;
    built.set(spec.name, periodSheet(index, spec, columns));
  }
  const capital = capitalSheet(index);
  const analysis = analysisSheet(built);
  const definitions = definitionsSheet(index);
  const checks = checksSheet(index, built);
  const figures = [...[...built.values()].map((sheet) => sheet.sheet), ...(capital ? [capital] : []), ...(analysis ? [analysis] : []), definitions, checks];
  const income = built.get(INCOME_STATEMENT);
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
