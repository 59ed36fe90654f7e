/**
 * What the pane shows for one item: every period's figure in RMB and US$ with how it was obtained, in a grid that runs
 * in order (quarters, then half years, then balances at their dates) and marks the periods the data lacks; growth and
 * margin as the core answers them (stated where the release states them, n.m. where not meaningful); the chart's
 * series; the definition and the source of each figure. Every number comes from the core (`findFigure`,
 * `scaledValue`, `growth`, `margin`); this module only arranges and formats them.
 */
import { CellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { describeConversion, describeDefinition, describeSource, unitWords } from "../core/describe";
import { formatGrouped, roundToPrecision, toExcelNumber, type Decimal } from "../core/decimal";
import { defaultCurrency, defaultMarginBase, findFigure, growth, isNotMeaningful, margin, MARKERS, scaledValue, type Figure, type Ratio, type Scale } from "../core/figures";
import type { Currency, FactBasis, ItemInfo, PeriodInfo, Provenance } from "../core/model";
import { periodRef } from "../core/periods";
import { isQuarterEnd, periodId, periodLabel, shiftPeriod, type PeriodKey } from "../core/period-id";
import { itemFormulaName, shortName } from "../core/resolve-item";
import { itemContext } from "./item-search";

/** How a shown figure came to be: the release's basis, or converted to US$ at the release's rate. */
export type FigureOrigin = FactBasis | "converted";

export interface FigureView {
  /** Formatted for reading: "3,914.324", "27.9%", "2.56". */
  text: string;
  /** The figure as a number in the chosen scale (per cent for ratios), for the chart (Number at the display boundary only). */
  number: number;
  origin: FigureOrigin;
  /** One line naming the origin, from the core (`describeSource`, what QFIN.SOURCE says). */
  source: string;
  /** How it was converted from the release's other currency, or null (the core's `describeConversion`). */
  conversion: string | null;
  provenance: Provenance;
}

/** A growth rate or margin as the pane shows it. */
export interface RatioView {
  /** "27.9%", or "n.m." where the core refuses it as not meaningful. */
  text: string;
  /** Stated in so many words by the release (returned as printed), rather than computed. */
  stated: boolean;
  /** How the core obtained it, or why it is n.m. (for the cell's title). */
  how: string;
}

export interface PeriodRow {
  period: PeriodInfo;
  /** A quarter, or a quarter-end balance: the points of a chart across quarters. */
  quarterly: boolean;
  rmb: FigureView | null;
  usd: FigureView | null;
  /** Growth and margin; null where they do not apply or the data cannot give them. */
  yoy: RatioView | null;
  qoq: RatioView | null;
  margin: RatioView | null;
}

/** A line of the period grid: a period with its figures, or one the data lacks between two it has. */
export type GridLine = { kind: "period"; row: PeriodRow } | { kind: "gap"; id: string; label: string };

export interface PeriodGroup {
  /** "Quarters", "Half years", "Nine months", "Years", "Balances". */
  title: string;
  lines: GridLine[];
}

export interface ChartSlot {
  label: string;
  /** Null where the data has no figure for the period (a gap the chart leaves visible). */
  value: number | null;
  text: string | null;
}

export interface ChartSeries {
  /** Bars for flows (amounts over a period), a line for balances and rates. */
  kind: "bars" | "line";
  slots: ChartSlot[];
}

export interface ItemDetails {
  item: ItemInfo;
  /** The short name analysts know the line by ("Diluted EPS (ADS)"); the release's label when the vocabulary has none. */
  title: string;
  /** What a formula names this item by: its short name where that names it alone ("Diluted EPS (ADS)"), else the shortest path. */
  name: string;
  context: string;
  /** "RMB millions", "RMB per share or ADS", "per cent", "count", … */
  unit: string;
  /** The unit as the chip shows it: per-share figures marked "(never scaled)". */
  unitNote: string;
  monetary: boolean;
  /** The currency columns the grid shows: both, or US$ alone for a line the release prints in US$ only. */
  currencies: Currency[];
  definition: string;
  /** Every period the item has, in the dataset's order. */
  rows: PeriodRow[];
  /** The same periods grouped by kind, each group in order with the periods it lacks marked. */
  groups: PeriodGroup[];
  /** The period to offer first for inserting: the newest quarter (or instant) the item has. */
  defaultPeriod: PeriodInfo | null;
}

const MARGIN_STATEMENTS = new Set<ItemInfo["statement"]>(["operations", "comprehensive_income", "non_gaap"]);

/** A fraction as a percentage with one decimal, as the release prints ratios ("27.9%"). */
export function percentText(fraction: Decimal): string {
  return `${fraction.times(100).toFixed(1)}%`;
}

const SCALE_DIGITS: Record<Scale, number> = { U: 0, K: 3, M: 6, B: 9 };

/**
 * A figure as the pane prints it in a scale, to the digit the release prints it to (thousands shown in millions keep
 * three decimals, "279.010"; "US$0.50" keeps its cents): amounts scaled, ratios in per cent, the rest as they are.
 *
 * @example
 * figureText(netIncomeQ2Usd, "M") // "150.782"
 * figureText(dividendPerAds, "M") // "0.50"
 */
export function figureText(figure: Figure, scale: Scale): string {
  const { unit } = figure.item;
  const precision = figure.fact.precision;
  if (unit === "ratio") return `${formatGrouped(figure.value.times(100), Math.max(0, precision - 2))}%`;
  if (unit === "amount") return formatGrouped(scaledValue(figure, scale), Math.max(0, precision + SCALE_DIGITS[scale]));
  return formatGrouped(figure.value, Math.max(0, precision));
}

/**
 * A converted US$ figure is shown at the precision of the RMB figure it came from (thousands for a table figure),
 * as the release would print it; the formula still returns the unrounded conversion.
 */
function displayed(figure: Figure): Figure {
  return figure.conversion === null ? figure : { ...figure, value: roundToPrecision(figure.value, figure.fact.precision) };
}

/** How a found figure came to be. */
export const originOf = (figure: Figure): FigureOrigin => (figure.conversion !== null ? "converted" : figure.fact.basis);

function viewFigure(found: Figure | CellError, scale: Scale): FigureView | null {
  if (found instanceof CellError) return null;
  const figure = displayed(found);
  return {
    text: figureText(figure, scale),
    number: toExcelNumber(figure.item.unit === "ratio" ? figure.value.times(100) : scaledValue(figure, scale)),
    origin: originOf(figure),
    source: describeSource(figure),
    conversion: describeConversion(figure),
    provenance: figure.fact.source,
  };
}

/** The unit chip: the unit in words, per-share figures marked as never scaled, a count called one. */
function unitNote(item: ItemInfo, currency: Currency, scale: Scale): string {
  const unit = unitLabel(item, currency, scale);
  return item.unit === "per_share" ? `${unit} (never scaled)` : unit;
}

const unitLabel = (item: ItemInfo, currency: Currency, scale: Scale): string => unitWords(item, currency, scale) || "count";

/** A ratio as the pane shows it: "n.m." where growth is not meaningful (the analyst's mark), null where it is not given. */
function viewRatio(ratio: Ratio | CellError): RatioView | null {
  if (!(ratio instanceof CellError)) return { text: percentText(ratio.value), stated: ratio.stated !== null, how: ratio.how };
  return isNotMeaningful(ratio) ? { text: MARKERS.notMeaningful, stated: false, how: ratio.message } : null;
}

const GROUPS: { title: string; member: (key: PeriodKey) => boolean }[] = [
  { title: "Quarters", member: (key) => key.type === "quarter" },
  { title: "Half years", member: (key) => key.type === "half" },
  { title: "Nine months", member: (key) => key.type === "nine_months" },
  { title: "Years", member: (key) => key.type === "year" },
  { title: "Balances", member: (key) => key.type === "instant" },
];

/** The next period of the same kind, for walking a group in order: a quarter, a half, a quarter end; null otherwise. */
function nextOfKind(key: PeriodKey): PeriodKey | null {
  if (key.type === "quarter") return shiftPeriod(key, 1);
  if (key.type === "half") return key.half === 1 ? { type: "half", year: key.year, half: 2 } : { type: "half", year: key.year + 1, half: 1 };
  if (key.type === "instant" && isQuarterEnd(key)) return shiftPeriod(key, 1);
  return null;
}

/**
 * One group's lines in order: between two periods the item has, every quarter (half, quarter end) it lacks is a gap
 * line, so Q3–Q4 2022 show as missing rather than vanish. Dates that are no quarter end (a repurchase date) have no
 * such neighbours and none is implied.
 */
function groupLines(index: DatasetIndex, rows: readonly PeriodRow[]): GridLine[] {
  const lines: GridLine[] = [];
  rows.forEach((row, position) => {
    lines.push({ kind: "period", row });
    const following = rows[position + 1];
    if (following === undefined) return;
    const until = periodId(index.periodKey(following.period));
    let next = nextOfKind(index.periodKey(row.period));
    // Ids of one kind sort as their periods do ("2022Q3" < "2023Q1", ISO dates); the cap guards a malformed dataset.
    for (let steps = 0; next !== null && periodId(next) < until && steps < 400; steps++) {
      lines.push({ kind: "gap", id: periodId(next), label: periodLabel(next) });
      next = nextOfKind(next);
    }
  });
  return lines;
}


/** Sorts a group's rows by period end (the dataset's order is by type and date already; this keeps it explicit). */
const byEnd = (a: PeriodRow, b: PeriodRow): number => (a.period.end < b.period.end ? -1 : a.period.end > b.period.end ? 1 : 0);

/**
 * Everything the details panel shows for an item, in the chosen scale (amounts only; the rest are never scaled).
 *
 * @example
 * const details = itemDetails(index, index.itemsById.get("ops.net_income")!, "M");
 * details.rows.find((row) => row.period.id === "2023Q2")?.rmb?.text // "1,093.377"
 * details.groups[0].lines.map((line) => line.kind === "gap" ? `(${line.label})` : line.row.period.label)
 * // ["Q1 2022", "Q2 2022", "(Q3 2022)", "(Q4 2022)", "Q1 2023", "Q2 2023"]
 */
export function itemDetails(index: DatasetIndex, item: ItemInfo, scale: Scale = "M"): ItemDetails {
  const monetary = item.unit === "amount" || item.unit === "per_share";
  const own = defaultCurrency(index, item);
  const currencies: Currency[] = !monetary ? [] : own === "USD" ? ["USD"] : ["RMB", "USD"];
  const base = defaultMarginBase(index);
  const withMargin = item.unit === "amount" && item.nature === "duration" && MARGIN_STATEMENTS.has(item.statement) && !(base instanceof CellError) && base.id !== item.id;
  const periods = index.periodsOf(item.id);
  const rows = periods.map((period): PeriodRow => {
    const key = index.periodKey(period);
    const ref = periodRef(index, key);
    const quarterLike = key.type === "quarter" || key.type === "instant";
    const canCompare = item.unit !== "ratio";
    return {
      period,
      quarterly: key.type === "quarter" || isQuarterEnd(key),
      rmb: currencies.includes("RMB") || !monetary ? viewFigure(findFigure(index, item, ref, monetary ? "RMB" : null), scale) : null,
      usd: currencies.includes("USD") ? viewFigure(findFigure(index, item, ref, "USD"), scale) : null,
      yoy: canCompare ? viewRatio(growth(index, item, key, "YoY")) : null,
      qoq: canCompare && quarterLike ? viewRatio(growth(index, item, key, "QoQ")) : null,
      margin: withMargin && !(base instanceof CellError) ? viewRatio(margin(index, item, base, key)) : null,
    };
  });
  const groups = GROUPS.map(({ title, member }) => ({ title, lines: groupLines(index, rows.filter((row) => member(index.periodKey(row.period))).sort(byEnd)) })).filter(
    (group) => group.lines.length > 0,
  );
  const quarterly = periods.filter((period) => period.type === "quarter" || period.type === "instant");
  return {
    item,
    title: shortName(index, item),
    name: itemFormulaName(index, item),
    context: itemContext(item),
    unit: unitLabel(item, own, scale),
    unitNote: unitNote(item, own, scale),
    monetary,
    currencies,
    definition: describeDefinition(index, item),
    rows,
    groups,
    defaultPeriod: quarterly[quarterly.length - 1] ?? periods[periods.length - 1] ?? null,
  };
}

/** The figure a chart draws for a row: the item's own currency (RMB, or US$ for a US$-only line). */
const chartFigure = (details: ItemDetails, row: PeriodRow): FigureView | null => (details.currencies[0] === "USD" ? row.usd : row.rmb);

/** A value as a chart label: short enough to sit on a bar ("1,093", "6.64", "47.4M"). */
export function chartValueText(value: number): string {
  const size = Math.abs(value);
  if (size >= 10_000) return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: size >= 100 ? 0 : size >= 10 ? 1 : 2 });
}

/**
 * What the chart draws: quarters for flows and quarter-end balances for stocks (mixing a quarter with a half year on
 * one axis would mislead), every quarter between the first and the last, a gap where the data has none; half years
 * (or every period) when the item has fewer than two of those. Bars for flows, a line for balances and rates.
 *
 * @example
 * chartSeries(itemDetails(index, netIncome)).slots.map((slot) => slot.value === null ? "gap" : slot.label)
 * // ["Q1 2022", "Q2 2022", "gap", "gap", "Q1 2023", "Q2 2023"]
 */
export function chartSeries(details: ItemDetails): ChartSeries {
  const kind = details.item.nature === "instant" || details.item.unit === "ratio" ? "line" : "bars";
  const ratio = details.item.unit === "ratio";
  const slotsOf = (lines: readonly GridLine[]): ChartSlot[] =>
    lines.map((line) => {
      if (line.kind === "gap") return { label: line.label, value: null, text: null };
      const figure = chartFigure(details, line.row);
      return { label: line.row.period.label, value: figure?.number ?? null, text: figure === null ? null : ratio ? figure.text : chartValueText(figure.number) };
    });
  const quarterLines = (group: PeriodGroup): GridLine[] =>
    group.title === "Balances" ? group.lines.filter((line) => line.kind === "gap" || line.row.quarterly) : group.lines;
  const preferred = details.groups.filter((group) => group.title === (details.item.nature === "instant" ? "Balances" : "Quarters"));
  for (const group of [...preferred, ...details.groups.filter((group) => group.title === "Half years")]) {
    const slots = slotsOf(quarterLines(group));
    if (slots.filter((slot) => slot.value !== null).length >= 2) return { kind, slots };
  }
  const all = details.rows.map((row) => ({ kind: "period", row }) as const);
  return { kind, slots: slotsOf(all) };
}
