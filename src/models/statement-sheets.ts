/**
 * The period sheets of the model: the income statement (with margins and growth), balance sheet, cash flow, non-GAAP
 * reconciliation and KPIs. Rows follow the release's print order; a label the release uses for several lines
 * ("Basic", "Diluted", "Other services fees") is qualified ("Diluted EPS (ADS)"), and earnings per ADS — the figure the
 * release headlines — stand above earnings per ordinary share.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { defaultCurrency } from "../core/figures";
import type { ItemInfo, StatementId } from "../core/model";
import { shortName, typeableName } from "../core/resolve-item";
import { statementLayout } from "../core/statements";
import { labelKey } from "../core/text-match";
import { sheetPrefix } from "../excel/a1";
import type { CellRole, ModelSheet } from "./model-sheet";
import { Formulas } from "./formulas";
import { ITEM_WIDTH, LABEL_WIDTH, Layout, PERIOD_WIDTH, SheetBuilder, letters, sheetOf, wrappedHeight } from "./layout";
import { NumberFormats, countInMillions, numberFormatFor } from "./number-formats";
import type { PeriodColumn } from "./timeline";

/** A sheet with the rows its items landed on (the Checks and Analysis sheets refer to them). */
export interface PeriodSheet {
  sheet: ModelSheet;
  columns: readonly PeriodColumn[];
  /** The row of each item's figures (its first, for a line printed twice). */
  rows: Map<string, number>;
}

/** Where a sheet's period headers come from: its own inputs, or another sheet's (one timeline for the flow sheets). */
export type HeaderSource = { kind: "own"; labelItem: string } | { kind: "linked"; sheet: string };

export const INCOME_STATEMENT = "Income statement";
export const BALANCE_SHEET = "Balance sheet";

const LEGEND = "n/a not in the data · n.m. not meaningful · (1.0) negative · – zero";

/** A line of a period sheet. */
type Line =
  | { kind: "section"; label: string }
  | { kind: "blank" }
  /** A new printed page starts at the next line. */
  | { kind: "page-break" }
  | {
      kind: "item";
      item: ItemInfo;
      label: string;
      role: "label" | "total-label" | "key-label";
      indent: number;
      formula: (row: number, col: number) => string;
      format: string;
      quartersOnly?: boolean;
      /** Shown on hover over the label (a KPI's definition). */
      note?: string;
    };

const FIGURE_ROLE: Record<"label" | "total-label" | "key-label", CellRole> = { label: "figure", "total-label": "total-figure", "key-label": "key-figure" };

/** Labels longer than this are shortened to the vocabulary's name for the line, where it has one. */
const LONG_LABEL = 46;

/**
 * The label a model row shows: the release's, qualified when the release uses it for several lines, and the
 * vocabulary's short name for a label in capitals or too long for the column.
 *
 * @example
 * modelLabel(index, netIncomePerAdsDiluted) // "Diluted EPS (ADS)"
 * modelLabel(index, totalAssets)            // "Total assets" (the release prints TOTAL ASSETS)
 */
export function modelLabel(index: DatasetIndex, item: ItemInfo): string {
  const shared = (index.itemsByLabel.get(labelKey(item.label))?.length ?? 0) > 1;
  const short = shortName(index, item);
  if (shared) return short !== item.label ? short : typeableName(index, item);
  if (item.label === item.label.toUpperCase() || item.label.length > LONG_LABEL) return short;
  return item.label;
}

const indentOf = (item: ItemInfo): number => Math.max(0, item.path.length - 1) + (item.section !== null && item.path[0] !== item.section ? 1 : 0);

function itemLine(index: DatasetIndex, item: ItemInfo, overrides: Partial<Extract<Line, { kind: "item" }>> = {}): Line {
  return {
    kind: "item",
    item,
    label: modelLabel(index, item),
    role: item.components.length > 0 ? "total-label" : "label",
    indent: indentOf(item),
    formula: Formulas.figure,
    format: numberFormatFor(index, item),
    ...overrides,
  };
}

/** The release's rows of a statement, section headings included. */
function statementLines(index: DatasetIndex, statement: StatementId): Line[] {
  const lines: Line[] = [];
  for (const row of statementLayout(index, statement)) {
    if (row.kind === "section") lines.push(...(lines.length > 0 ? [{ kind: "blank" } as const] : []), { kind: "section", label: row.label });
    else if (!index.isHeading(row.item)) lines.push(itemLine(index, row.item));
  }
  return lines;
}

const isPerShareBlock = (item: ItemInfo): boolean => item.unit === "per_share" || item.unit === "shares";
const dilutedFirst = (items: readonly ItemInfo[]): ItemInfo[] => [...items].sort((a, b) => Number(!/diluted/i.test(a.label)) - Number(!/diluted/i.test(b.label)));

/**
 * The income statement: the release's lines to net income attributable, then earnings per ADS (diluted, the headline,
 * first), per ordinary share and the share counts, then margins, their change in basis points, and growth.
 */
function incomeStatementLines(index: DatasetIndex): Line[] {
  const lines = statementLines(index, "operations");
  const main = lines.filter((line) => line.kind === "item" && !isPerShareBlock(line.item));
  const bySection = new Map<string, ItemInfo[]>();
  for (const line of lines) if (line.kind === "item" && isPerShareBlock(line.item)) bySection.set(line.item.section ?? "", [...(bySection.get(line.item.section ?? "") ?? []), line.item]);
  const perAds = [...bySection.entries()].filter(([section, items]) => /\bADS\b/.test(section) && items.every((item) => item.unit === "per_share")).flatMap(([, items]) => items);
  const perShare = [...bySection.entries()].filter(([section, items]) => !/\bADS\b/.test(section) && items.every((item) => item.unit === "per_share")).flatMap(([, items]) => items);
  const shares = [...bySection.values()].flat().filter((item) => item.unit === "shares");
  // Earnings per share and the ratios print on a page of their own, after the statement.
  const out: Line[] = [...main, { kind: "page-break" }];
  const block = (title: string, items: readonly ItemInfo[], headline: boolean): void => {
    if (items.length === 0) return;
    out.push({ kind: "blank" }, { kind: "section", label: title });
    items.forEach((item, position) => out.push(itemLine(index, item, { indent: 1, role: headline && position === 0 ? "key-label" : "label" })));
  };
  block("Earnings per ADS (RMB)", dilutedFirst(perAds), true);
  block("Earnings per ordinary share (RMB)", dilutedFirst(perShare), false);
  block("Weighted average ordinary shares", shares, false);

  const analysis = (title: string, entries: readonly { id: string; label: string; formula: (row: number, col: number) => string; format: string; quartersOnly?: boolean }[]): void => {
    const present = entries.flatMap((entry) => {
      const item = index.itemsById.get(entry.id);
      return item ? [{ item, ...entry }] : [];
    });
    if (present.length === 0) return;
    out.push({ kind: "blank" }, { kind: "section", label: title });
    for (const entry of present) out.push(itemLine(index, entry.item, { label: entry.label, role: "label", indent: 1, formula: entry.formula, format: entry.format, quartersOnly: entry.quartersOnly }));
  };
  const percent = NumberFormats.percent(1);
  analysis("Margins (% of total net revenue)", [
    { id: "ops.income_from_operations", label: "Operating margin", formula: Formulas.margin, format: percent },
    { id: "ops.income_before_income_tax_expense", label: "Pre-tax margin", formula: Formulas.margin, format: percent },
    { id: "ops.net_income", label: "Net margin", formula: Formulas.margin, format: percent },
    { id: "ng.gaap_operating_margin", label: "Operating margin, change YoY (bps)", formula: Formulas.changeBps, format: NumberFormats.bps },
    { id: "ng.gaap_net_income_margin", label: "Net margin, change YoY (bps)", formula: Formulas.changeBps, format: NumberFormats.bps },
  ]);
  const growthLines = [
    ["ops.total_net_revenue", "Total net revenue"],
    ["ops.credit_driven_services", "Credit-driven services"],
    ["ops.platform_services", "Platform services"],
    ["ops.total_operating_costs_and_expenses", "Total operating costs and expenses"],
    ["ops.income_from_operations", "Income from operations"],
    ["ops.net_income", "Net income"],
    ["ops.net_income_per_ads_diluted", "Diluted EPS (ADS)"],
  ] as const;
  analysis("Growth, year on year", growthLines.map(([id, label]) => ({ id, label, formula: Formulas.growthYoY, format: percent })));
  analysis("Growth, quarter on quarter", growthLines.map(([id, label]) => ({ id, label, formula: Formulas.growthQoQ, format: percent, quartersOnly: true })));
  return out;
}

/**
 * The KPIs in the groups an analyst reads them in. Balances and cumulative counts are instants (as of the quarter
 * end); volumes and rates of the quarter are flows. Every KPI of the data appears: those no group names go last.
 */
const KPI_GROUPS: readonly { title: string; items: readonly string[] }[] = [
  {
    title: "Partners and users",
    items: ["kpi.financial_institutional_partners", "kpi.cumulative_registered_users", "kpi.cumulative_users_with_approved_credit_lines", "kpi.cumulative_borrowers_with_successful_drawdown"],
  },
  {
    title: "Loan volume",
    items: [
      "kpi.total_loan_volume",
      "kpi.loan_volume_capital_light_ice_and_other_technology_solutions",
      "kpi.loan_volume_capital_light_ice_and_other_technology_solutions_share",
      "kpi.loan_volume_ice",
      "kpi.loan_volume_other_technology_solutions",
      "kpi.loans_originated",
      "kpi.loans_originated_v_pocket",
      "kpi.loans_originated_other_products",
      "kpi.weighted_average_contractual_tenor",
      "kpi.repeat_borrower_contribution",
    ],
  },
  {
    title: "Loan book",
    items: ["kpi.total_outstanding_loan_balance", "kpi.outstanding_loan_balance_capital_light_ice_and_other_technology_solutions", "kpi.outstanding_loan_balance_ice", "kpi.outstanding_loan_balance_other_technology_solutions"],
  },
  { title: "Credit quality", items: ["kpi.delinquency_rate_90_day", "kpi.day_1_delinquency_rate", "kpi.collection_rate_30_day"] },
  { title: "Liquidity", items: ["kpi.total_cash"] },
];

/** A KPI's label with its unit where the sheet's "RMB millions" does not say it, and whether it is a balance. */
function kpiLabel(index: DatasetIndex, item: ItemInfo, mixed: boolean): string {
  const label = modelLabel(index, item);
  const unit = item.unit === "count" && countInMillions(index, item) ? ", million" : item.unit === "months" && !/month/i.test(label) ? ", months" : "";
  const when = !mixed ? "" : item.nature === "instant" ? " (at quarter end)" : " (in the quarter)";
  return `${label}${unit}${when}`;
}

const KPI_YOY_WORD = "YoY";

function kpiLines(index: DatasetIndex): Line[] {
  const all = (index.itemsByStatement.get("kpi") ?? []).filter((item) => !index.isHeading(item));
  const named = new Set(KPI_GROUPS.flatMap((group) => group.items));
  const groups = [...KPI_GROUPS, { title: "Other KPIs", items: all.filter((item) => !named.has(item.id)).map((item) => item.id) }];
  const lines: Line[] = [];
  for (const group of groups) {
    const items = group.items.flatMap((id) => {
      const item = index.itemsById.get(id);
      return item && all.includes(item) ? [item] : [];
    });
    if (items.length === 0) continue;
    const natures = new Set(items.map((item) => item.nature));
    const mixed = natures.size > 1;
    const when = mixed ? "" : natures.has("instant") ? " — at the quarter end" : " — in the quarter";
    if (lines.length > 0) lines.push({ kind: "blank" });
    lines.push({ kind: "section", label: `${group.title}${when}` });
    for (const item of items) {
      const definition = item.definition?.trim();
      lines.push(itemLine(index, item, { label: kpiLabel(index, item, mixed), role: "label", indent: 1, ...(definition ? { note: definition } : {}) }));
    }
  }
  return lines;
}

/** The year-on-year measure of a KPI: growth of amounts and counts, the change of rates (bps) and of tenor (months). */
function yoyOf(item: ItemInfo): { formula: (row: number, col: number) => string; format: string } {
  if (item.unit === "ratio") return { formula: Formulas.changeBps, format: NumberFormats.bps };
  if (item.unit === "months") return { formula: Formulas.change, format: NumberFormats.months };
  return { formula: Formulas.growthYoY, format: NumberFormats.percent(1) };
}

export interface PeriodSheetSpec {
  name: string;
  title: string;
  note: string;
  lines: (index: DatasetIndex) => Line[];
  headers: HeaderSource;
  /** Add a YoY column after the last quarter (the KPIs). */
  yoyColumn?: boolean;
  /** Print on one page (see ModelSheet.onePage). */
  onePage?: boolean;
}

const NOTE_FLOWS = "Each figure: a QFIN formula of the id in column B (the + above C shows it) and the period in row 4.";

export const PERIOD_SHEETS: readonly PeriodSheetSpec[] = [
  {
    name: INCOME_STATEMENT,
    title: "Income statement",
    note: `${NOTE_FLOWS} latest is the newest quarter loaded; type 2023Q2 to pin a column.`,
    lines: incomeStatementLines,
    headers: { kind: "own", labelItem: "ops.total_net_revenue" },
  },
  {
    name: BALANCE_SHEET,
    title: "Balance sheet",
    note: `${NOTE_FLOWS} latest is the newest quarter end loaded.`,
    lines: (index) => statementLines(index, "balance_sheet"),
    headers: { kind: "own", labelItem: "bs.total_assets" },
    onePage: true,
  },
  {
    name: "Cash flow",
    title: "Cash flow statement",
    note: NOTE_FLOWS,
    lines: (index) => statementLines(index, "cash_flows"),
    headers: { kind: "linked", sheet: INCOME_STATEMENT },
  },
  {
    name: "Non-GAAP",
    title: "Non-GAAP reconciliation",
    note: NOTE_FLOWS,
    lines: (index) => statementLines(index, "non_gaap"),
    headers: { kind: "linked", sheet: INCOME_STATEMENT },
  },
  {
    name: "KPIs",
    title: "Operating KPIs",
    note: "Every operating KPI of the release. YoY: growth in %; rates' change in bps, tenor's in months. Definitions: hover a label, or see Definitions.",
    lines: kpiLines,
    headers: { kind: "linked", sheet: INCOME_STATEMENT },
    yoyColumn: true,
  },
];

/** Title, note and legend rows, and the period input and label rows, of a period sheet. */
function writeHeaders(builder: SheetBuilder, spec: PeriodSheetSpec, columns: readonly PeriodColumn[]): void {
  builder.text(Layout.titleRow, Layout.labelColumn, `Qifu Technology (QFIN) — ${spec.title}`, "title");
  builder.text(Layout.noteRow, Layout.labelColumn, spec.note, "note");
  builder.text(Layout.coverageRow, Layout.labelColumn, LEGEND, "note");
  const heading = spec.headers.kind === "linked" ? `Period (follows the ${spec.headers.sheet})` : "Period (edit to move a column)";
  builder.text(Layout.periodInputRow, Layout.labelColumn, heading, "column-heading");
  builder.text(Layout.periodInputRow, Layout.itemColumn, "Item id", "column-heading");
  builder.text(Layout.periodLabelRow, Layout.labelColumn, spec.name === BALANCE_SHEET ? "RMB millions, at" : "RMB millions", "column-heading");
  for (const column of columns) {
    if (spec.headers.kind === "linked") {
      const source = sheetPrefix(spec.headers.sheet);
      builder.put(Layout.periodInputRow, column.column, { formula: Formulas.link(`${source}${letters(column.column)}$${Layout.periodInputRow}`), cached: column.header, role: "period-link" });
      builder.put(Layout.periodLabelRow, column.column, { formula: Formulas.link(`${source}${letters(column.column)}$${Layout.periodLabelRow}`), role: "period-label" });
    } else {
      builder.text(Layout.periodInputRow, column.column, column.header, "period-input");
      builder.put(Layout.periodLabelRow, column.column, { formula: Formulas.periodLabel(spec.headers.labelItem, column.column), role: "period-label" });
    }
  }
}

/**
 * Builds one period sheet over its columns.
 *
 * @example
 * const { sheet, rows } = periodSheet(index, PERIOD_SHEETS[0], flowColumns(index, true));
 * sheet.cells.find((cell) => cell.address === `F${rows.get("ops.net_income")}`)?.formula
 * // "=IFERROR(QFIN.METRIC($B33,F$4),QFIN.MARKER($B33,F$4))"
 */
export function periodSheet(index: DatasetIndex, spec: PeriodSheetSpec, columns: readonly PeriodColumn[]): PeriodSheet {
  const builder = new SheetBuilder();
  writeHeaders(builder, spec, columns);
  const lastQuarter = [...columns].reverse().find((column) => column.kind === "quarter");
  const yoyColumn = spec.yoyColumn && lastQuarter ? Math.max(...columns.map((column) => column.column)) + 1 : null;
  if (yoyColumn !== null && lastQuarter) {
    builder.put(Layout.periodInputRow, yoyColumn, { formula: Formulas.link(`${letters(lastQuarter.column)}$${Layout.periodInputRow}`), cached: lastQuarter.header, role: "period-link" });
    builder.text(Layout.periodLabelRow, yoyColumn, KPI_YOY_WORD, "period-label");
  }
  const rows = new Map<string, number>();
  const pageBreaks: number[] = [];
  for (const line of spec.lines(index)) {
    if (line.kind === "page-break") {
      pageBreaks.push(builder.row);
      continue;
    }
    const row = builder.row++;
    if (line.kind === "blank") continue;
    if (line.kind === "section") {
      builder.text(row, Layout.labelColumn, line.label, "section");
      continue;
    }
    if (!rows.has(line.item.id) && line.formula === Formulas.figure) rows.set(line.item.id, row);
    builder.text(row, Layout.labelColumn, line.label, line.role, { ...(line.indent > 0 ? { indent: line.indent } : {}), ...(line.note ? { note: line.note } : {}) });
    builder.text(row, Layout.itemColumn, line.item.id, "item-ref");
    const role = FIGURE_ROLE[line.role];
    for (const column of columns) {
      if (line.quartersOnly && column.kind !== "quarter") continue;
      builder.put(row, column.column, { formula: line.formula(row, column.column), numberFormat: line.format, role });
    }
    if (yoyColumn !== null) {
      const yoy = yoyOf(line.item);
      builder.put(row, yoyColumn, { formula: yoy.formula(row, yoyColumn), numberFormat: yoy.format, role });
    }
  }
  const lastRow = builder.row - 1;
  for (const column of columns) builder.put(Layout.coverageRow, column.column, { formula: Formulas.coverage(column.column, Layout.firstDataRow, lastRow), role: "coverage" });
  const widths = [
    { column: Layout.labelColumn, width: LABEL_WIDTH },
    { column: Layout.itemColumn, width: ITEM_WIDTH },
    ...columns.map((column) => ({ column: column.column, width: PERIOD_WIDTH })),
    ...(yoyColumn !== null ? [{ column: yoyColumn, width: PERIOD_WIDTH }] : []),
  ];
  const sheet = sheetOf(spec.name, builder.done(), {
    columnWidths: widths,
    frozen: { rows: Layout.periodLabelRow, columns: Layout.itemColumn },
    hiddenColumns: [Layout.itemColumn],
    repeatRows: { first: Layout.coverageRow, last: Layout.periodLabelRow },
    pageBreaks,
    ...(spec.onePage ? { onePage: true } : {}),
  });
  return { sheet, columns, rows };
}

export const CAPITAL = "Capital & outlook";
/** Characters of a capital item's label that fit its column on one line. */
const CAPITAL_LABEL_FITS = 58;

/**
 * The capital returns and outlook the release announces (dividend, share repurchase, loan volume outlook), each at
 * its own date or period, which the analyst may edit (column C), and the figure in its own unit (US$ where the release
 * gives US$ only). A sheet of its own: these figures have no quarter columns.
 *
 * @example
 * capitalSheet(index)?.cells.find((cell) => cell.value === "cap.dividend_per_ads") // row of "Dividend per ADS (US$)"
 */
export function capitalSheet(index: DatasetIndex): ModelSheet | null {
  const items = (index.itemsByStatement.get("capital") ?? []).filter((item) => !index.isHeading(item) && index.periodsOf(item.id).length > 0);
  if (items.length === 0) return null;
  const builder = new SheetBuilder();
  const periodCol = Layout.firstPeriodColumn;
  const valueCol = periodCol + 1;
  builder.text(Layout.titleRow, Layout.labelColumn, "Qifu Technology (QFIN) — Capital returns and outlook", "title");
  builder.text(Layout.noteRow, Layout.labelColumn, "As the release announces them, each at its own date or period (column C; edit it to read another).", "note");
  builder.text(Layout.periodInputRow, Layout.labelColumn, "Line", "column-heading");
  builder.text(Layout.periodInputRow, Layout.itemColumn, "Item id", "column-heading");
  builder.text(Layout.periodInputRow, periodCol, "Period", "period-label");
  builder.text(Layout.periodInputRow, valueCol, "Figure", "period-label");
  const rowHeights: { row: number; height: number }[] = [];
  for (const item of items) {
    const held = index.periodsOf(item.id);
    const period = held[held.length - 1] as (typeof held)[number];
    const row = builder.row++;
    const currency = item.unit === "amount" || item.unit === "per_share" ? defaultCurrency(index, item) : null;
    const money = currency === "USD" ? "US$" : "RMB";
    const unit = item.unit === "amount" ? ` (${money} m)` : item.unit === "per_share" ? ` (${money})` : item.unit === "count" && countInMillions(index, item) ? ", million" : "";
    const text = `${modelLabel(index, item).replace(/ \((US\$|RMB)\)$/, "")}${unit}`;
    // A label too long for the column wraps onto a second line rather than run under the period.
    const long = text.length > CAPITAL_LABEL_FITS;
    builder.text(row, Layout.labelColumn, text, long ? "text" : "label");
    if (long) rowHeights.push({ row, height: wrappedHeight(text, LABEL_WIDTH, 10) });
    builder.text(row, Layout.itemColumn, item.id, "item-ref");
    builder.text(row, periodCol, period.id, "period-input");
    const ref = `$${letters(Layout.itemColumn)}${row}`;
    const at = `$${letters(periodCol)}${row}`;
    builder.put(row, valueCol, { formula: `=IFERROR(QFIN.METRIC(${ref},${at}),QFIN.MARKER(${ref},${at}))`, numberFormat: numberFormatFor(index, item), role: "figure" });
  }
  return sheetOf(CAPITAL, builder.done(), {
    columnWidths: [
      { column: Layout.labelColumn, width: LABEL_WIDTH },
      { column: Layout.itemColumn, width: ITEM_WIDTH },
      { column: periodCol, width: PERIOD_WIDTH },
      { column: valueCol, width: PERIOD_WIDTH },
    ],
    frozen: { rows: Layout.periodInputRow, columns: Layout.itemColumn },
    hiddenColumns: [Layout.itemColumn],
    rowHeights,
    onePage: true,
  });
}
