/**
 * The Analysis sheet: the lines a sell-side model carries that the release does not print — costs as % of revenue,
 * the effective tax rate, revenue take rate on loan volume, the capital-light share, non-GAAP EPS per ADS and LTM
 * sums — as plain Excel formulas over the QFIN cells of the other sheets. Its columns are the income statement's (its
 * period rows link there), so every formula moves with the roll-forward and any spreadsheet can follow it.
 */
import { MARKERS } from "../core/figures";
import { sheetPrefix } from "../excel/a1";
import type { ModelSheet } from "./model-sheet";
import { Formulas } from "./formulas";
import { ITEM_WIDTH, LABEL_WIDTH, Layout, PERIOD_WIDTH, SheetBuilder, letters, sheetOf } from "./layout";
import { NumberFormats } from "./number-formats";
import { INCOME_STATEMENT, type PeriodSheet } from "./statement-sheets";
import type { PeriodColumn } from "./timeline";

export const ANALYSIS = "Analysis";

interface AnalysisLine {
  label: string;
  /** The items it reads, each a cell in the column; the formula is built from their references. */
  inputs: readonly { sheet: string; item: string }[];
  expression: (cells: readonly string[]) => string;
  format: string;
  /** The id column shows what the line is computed from. */
  note: string;
  /** Quarters only (lines over the KPIs, which have no half-years). */
  quartersOnly?: boolean;
  /** A share the release may state: QFIN.MARGIN of the first input over the second, not a division of the cells. */
  share?: boolean;
}

const IS = INCOME_STATEMENT;
const KPIS = "KPIs";
const NG = "Non-GAAP";

const ratioLine = (label: string, numerator: string, denominator: string, format: string, sheetOfNumerator = IS, sheetOfDenominator = IS): AnalysisLine => ({
  label,
  inputs: [
    { sheet: sheetOfNumerator, item: numerator },
    { sheet: sheetOfDenominator, item: denominator },
  ],
  expression: ([a, b]) => `${a}/${b}`,
  format,
  note: `${numerator} ÷ ${denominator}`,
  quartersOnly: sheetOfNumerator === KPIS || sheetOfDenominator === KPIS,
});

/** A share of one KPI in another, as the release states it where it does (57.8%, not 71,860 ÷ 124,225 rounded). */
const shareLine = (label: string, item: string, base: string): AnalysisLine => ({
  ...ratioLine(label, item, base, NumberFormats.percent(1), KPIS, KPIS),
  share: true,
  note: `${item} ÷ ${base}, the release's stated share where it prints one`,
});

const PROVISIONS = [
  "ops.provision_for_loans_receivable",
  "ops.provision_for_financial_assets_receivable",
  "ops.provision_for_accounts_receivable_and_contract_assets",
  "ops.provision_for_contingent_liabilities",
];

const percent1 = NumberFormats.percent(1);

const COST_LINES: readonly AnalysisLine[] = [
  ratioLine("Facilitation, origination & servicing", "ops.facilitation_origination_and_servicing", "ops.total_net_revenue", percent1),
  ratioLine("Funding costs", "ops.funding_costs", "ops.total_net_revenue", percent1),
  ratioLine("Sales & marketing", "ops.sales_and_marketing", "ops.total_net_revenue", percent1),
  ratioLine("General & administrative", "ops.general_and_administrative", "ops.total_net_revenue", percent1),
  {
    label: "Provisions (loans, financial assets, receivables, contingent liabilities)",
    inputs: [...PROVISIONS.map((item) => ({ sheet: IS, item })), { sheet: IS, item: "ops.total_net_revenue" }],
    expression: (cells) => `(${cells.slice(0, -1).join("+")})/${cells[cells.length - 1]}`,
    format: percent1,
    note: "four provisions ÷ ops.total_net_revenue",
  },
  ratioLine("Total operating costs & expenses", "ops.total_operating_costs_and_expenses", "ops.total_net_revenue", percent1),
];

const OTHER_LINES: readonly { title: string; lines: readonly AnalysisLine[] }[] = [
  {
    title: "Tax",
    lines: [
      {
        label: "Effective tax rate",
        inputs: [
          { sheet: IS, item: "ops.income_taxes_expense" },
          { sheet: IS, item: "ops.income_before_income_tax_expense" },
        ],
        // The release prints the tax expense negative: the rate is its size over pre-tax income.
        expression: ([tax, pretax]) => `-${tax}/${pretax}`,
        format: percent1,
        note: "−ops.income_taxes_expense ÷ ops.income_before_income_tax_expense",
      },
    ],
  },
  {
    title: "Loan platform",
    lines: [
      ratioLine("Revenue take rate on loan volume", "ops.total_net_revenue", "kpi.total_loan_volume", NumberFormats.percent(2), IS, KPIS),
      shareLine("Capital-light share of loan volume", "kpi.loan_volume_capital_light_ice_and_other_technology_solutions", "kpi.total_loan_volume"),
      shareLine("Capital-light share of outstanding loan balance", "kpi.outstanding_loan_balance_capital_light_ice_and_other_technology_solutions", "kpi.total_outstanding_loan_balance"),
    ],
  },
  {
    title: "Per ADS (RMB)",
    lines: [
      {
        label: "Non-GAAP EPS per diluted ADS, computed",
        inputs: [
          { sheet: NG, item: "ng.non_gaap_net_income_attributable_to_shareholders" },
          { sheet: NG, item: "ng.weighted_average_ads_diluted" },
        ],
        // Income in RMB millions over a count of ADSs.
        expression: ([income, ads]) => `${income}*1000000/${ads}`,
        format: NumberFormats.perShare,
        note: "ng.non_gaap_net_income_attributable_to_shareholders ÷ ng.weighted_average_ads_diluted",
      },
      {
        label: "Non-GAAP EPS per diluted ADS, as reported",
        inputs: [{ sheet: NG, item: "ng.non_gaap_net_income_per_ads_diluted" }],
        expression: ([reported]) => reported,
        format: NumberFormats.perShare,
        note: "ng.non_gaap_net_income_per_ads_diluted",
      },
    ],
  },
];

/** LTM sums: this quarter and the three before it, n/a until all four are in the data (additive items only, as core's LTM). */
const LTM_LINES: readonly { label: string; sheet: string; item: string; format: string }[] = [
  { label: "Total net revenue", sheet: IS, item: "ops.total_net_revenue", format: NumberFormats.amount(1) },
  { label: "Income from operations", sheet: IS, item: "ops.income_from_operations", format: NumberFormats.amount(1) },
  { label: "Net income", sheet: IS, item: "ops.net_income", format: NumberFormats.amount(1) },
  { label: "Non-GAAP net income", sheet: NG, item: "ng.non_gaap_net_income", format: NumberFormats.amount(1) },
  { label: "Loan volume", sheet: KPIS, item: "kpi.total_loan_volume", format: NumberFormats.amount(0) },
];

/**
 * Builds the Analysis sheet over the period sheets already built (by name).
 *
 * @example
 * analysisSheet(sheets).cells.find((cell) => cell.address === "H8")?.formula
 * // "=IF(OR(ISTEXT('Income statement'!H16),ISTEXT('Income statement'!H15)),"n/a",'Income statement'!H16/'Income statement'!H15)"
 */
export function analysisSheet(sheets: ReadonlyMap<string, PeriodSheet>): ModelSheet | null {
  const income = sheets.get(IS);
  if (!income) return null;
  const columns = income.columns;
  /** The figure cell of an item on another sheet in a column: `'Income statement'!C20`, or null when it has none. */
  const lookup = (sheetName: string, item: string, column: PeriodColumn): string | null => {
    const sheet = sheets.get(sheetName);
    const row = sheet?.rows.get(item);
    const same = sheet?.columns.find((candidate) => candidate.column === column.column && candidate.header === column.header);
    return row === undefined || same === undefined ? null : `${sheetPrefix(sheetName)}${letters(column.column)}${row}`;
  };

  const builder = new SheetBuilder();
  builder.text(Layout.titleRow, Layout.labelColumn, "Qifu Technology (QFIN) — Analysis", "title");
  builder.text(
    Layout.noteRow,
    Layout.labelColumn,
    "Ratios the release does not print: Excel formulas over the QFIN cells of the other sheets (column B says what each reads).",
    "note",
  );
  builder.text(Layout.periodInputRow, Layout.labelColumn, "Period (follows the Income statement)", "column-heading");
  builder.text(Layout.periodInputRow, Layout.itemColumn, "Computed from", "column-heading");
  builder.text(Layout.periodLabelRow, Layout.labelColumn, "% unless stated", "column-heading");
  for (const column of columns) {
    const source = `${sheetPrefix(IS)}${letters(column.column)}$`;
    builder.put(Layout.coverageRow, column.column, { formula: Formulas.link(`${source}${Layout.coverageRow}`), role: "coverage" });
    builder.put(Layout.periodInputRow, column.column, { formula: Formulas.link(`${source}${Layout.periodInputRow}`), cached: column.header, role: "period-link" });
    builder.put(Layout.periodLabelRow, column.column, { formula: Formulas.link(`${source}${Layout.periodLabelRow}`), role: "period-label" });
  }

  const writeLine = (line: AnalysisLine): void => {
    const row = builder.row++;
    builder.text(row, Layout.labelColumn, line.label, "label", { indent: 1 });
    builder.text(row, Layout.itemColumn, line.note, "item-ref");
    for (const column of columns) {
      if (line.quartersOnly && column.kind !== "quarter") continue;
      const cells = line.inputs.map((input) => lookup(input.sheet, input.item, column));
      if (cells.some((cell) => cell === null)) continue;
      const refs = cells as string[];
      const [first, base] = line.inputs;
      const formula = line.share && first && base ? Formulas.shareOf(first.item, base.item, column.column) : Formulas.over(refs, line.expression(refs));
      builder.put(row, column.column, { formula, numberFormat: line.format, role: "figure" });
    }
  };
  const section = (title: string): void => {
    if (builder.row > Layout.firstDataRow) builder.row++;
    builder.text(builder.row++, Layout.labelColumn, title, "section");
  };

  section("Costs as % of total net revenue");
  COST_LINES.forEach(writeLine);
  for (const group of OTHER_LINES) {
    section(group.title);
    group.lines.forEach(writeLine);
  }

  section("LTM, RMB millions: this quarter and the three before (n/a until the data has all four)");
  const quarters = columns.filter((column) => column.kind === "quarter");
  for (const line of LTM_LINES) {
    const row = builder.row++;
    builder.text(row, Layout.labelColumn, line.label, "label", { indent: 1 });
    builder.text(row, Layout.itemColumn, `sum of four quarters of ${line.item}`, "item-ref");
    quarters.forEach((column, position) => {
      const window = position >= 3 ? quarters.slice(position - 3, position + 1).map((quarter) => lookup(line.sheet, line.item, quarter)) : null;
      if (window === null || window.some((cell) => cell === null)) {
        // The sheet has fewer than four quarters up to this one: no LTM can be summed here.
        builder.put(row, column.column, { value: MARKERS.notReported, numberFormat: line.format, role: "figure" });
        return;
      }
      const refs = window as string[];
      builder.put(row, column.column, { formula: Formulas.over(refs, refs.join("+")), numberFormat: line.format, role: "figure" });
    });
  }

  return sheetOf(ANALYSIS, builder.done(), {
    columnWidths: [
      { column: Layout.labelColumn, width: LABEL_WIDTH + 6 },
      { column: Layout.itemColumn, width: ITEM_WIDTH },
      ...columns.map((column) => ({ column: column.column, width: PERIOD_WIDTH })),
    ],
    frozen: { rows: Layout.periodLabelRow, columns: Layout.itemColumn },
    hiddenColumns: [Layout.itemColumn],
    repeatRows: { first: Layout.coverageRow, last: Layout.periodLabelRow },
  });
}
