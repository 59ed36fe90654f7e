/**
 * What the pane shows for one item: every period's figure in RMB and US$ with how it was obtained, growth and
 * margin where they apply, the definition and the source of each figure. Every number comes from the core
 * (`findFigure`, `scaledValue`, `growth`, `margin`); this module only arranges and formats them.
 */
import { CellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { describeDefinition, describeSource } from "../core/describe";
import { formatGrouped, roundToPrecision, toExcelNumber, type Decimal } from "../core/decimal";
import { defaultMarginBase, findFigure, growth, isNotMeaningful, margin, scaledValue, type Figure, type Ratio, type Scale } from "../core/figures";
import type { Currency, FactBasis, ItemInfo, PeriodInfo, Provenance } from "../core/model";
import { periodRef } from "../core/periods";
import { isQuarterEnd } from "../core/period-id";
import { typeableName } from "../core/resolve-item";
import { itemContext } from "./item-search";

/** How a shown figure came to be: the release's basis, or converted to US$ at the release's rate. */
export type FigureOrigin = FactBasis | "converted";

export interface FigureView {
  /** Formatted for reading: "3,914.324", "27.9%", "2.56". */
  text: string;
  /** The figure as a number in the chosen scale, for the chart (Number at the display boundary only). */
  number: number;
  origin: FigureOrigin;
  /** One line naming the origin, from the core (`describeSource`). */
  source: string;
  provenance: Provenance;
}

export interface PeriodRow {
  period: PeriodInfo;
  /** A quarter, or a quarter-end balance: the points of a chart across quarters. */
  quarterly: boolean;
  rmb: FigureView | null;
  usd: FigureView | null;
  /** Growth as a percentage text ("-6.4%"), null where it does not apply or cannot be computed. */
  yoy: string | null;
  qoq: string | null;
  margin: string | null;
}

export interface ItemDetails {
  item: ItemInfo;
  /** What to type in a formula to name this item alone. */
  name: string;
  context: string;
  /** "RMB millions", "RMB per share (not scaled)", "ratio", … */
  unitNote: string;
  monetary: boolean;
  definition: string;
  rows: PeriodRow[];
  /** The period to offer first for inserting: the newest quarter (or instant) the item has. */
  defaultPeriod: PeriodInfo | null;
}

const SCALE_WORDS: Record<Scale, string> = { U: "", K: " thousands", M: " millions", B: " billions" };
const MARGIN_STATEMENTS = new Set<ItemInfo["statement"]>(["operations", "comprehensive_income", "non_gaap"]);

/** A fraction as a percentage with one decimal, as the release prints ratios ("27.9%"). */
export function percentText(fraction: Decimal): string {
  return `${fraction.times(100).toFixed(1)}%`;
}

function figureText(figure: Figure, scale: Scale): string {
  const { unit } = figure.item;
  if (unit === "ratio") return `${formatGrouped(figure.value.times(100))}%`;
  return formatGrouped(scaledValue(figure, scale));
}

/**
 * A converted US$ figure is shown at the precision of the RMB figure it came from (thousands for a table figure),
 * as the release would print it; the formula still returns the unrounded conversion.
 */
function displayed(figure: Figure): Figure {
  return figure.conversion === null ? figure : { ...figure, value: roundToPrecision(figure.value, figure.fact.precision) };
}

function viewFigure(found: Figure | CellError, scale: Scale): FigureView | null {
  if (found instanceof CellError) return null;
  const figure = displayed(found);
  return {
    text: figureText(figure, scale),
    number: toExcelNumber(figure.item.unit === "ratio" ? figure.value.times(100) : scaledValue(figure, scale)),
    origin: figure.conversion !== null ? "converted" : figure.fact.basis,
    source: describeSource(figure),
    provenance: figure.fact.source,
  };
}

function unitNote(item: ItemInfo, currency: Currency, scale: Scale): string {
  switch (item.unit) {
    case "amount":
      return `${currency}${SCALE_WORDS[scale]}`;
    case "per_share":
      return `${currency} per share or ADS (never scaled)`;
    case "shares":
      return "number of shares or ADSs";
    case "count":
      return "count";
    case "ratio":
      return "percent";
    case "months":
      return "months";
  }
}

/** A ratio as the pane shows it: "n.m." where growth is not meaningful (the analyst's mark), blank where it is not given. */
const asPercent = (ratio: Ratio | CellError): string | null => {
  if (!(ratio instanceof CellError)) return percentText(ratio.value);
  return isNotMeaningful(ratio) ? "n.m." : null;
};

/**
 * Everything the details panel shows for an item, in the chosen scale (amounts only; the rest are never scaled).
 *
 * @example
 * const details = itemDetails(index, index.itemsById.get("ops.net_income")!, "M");
 * details.rows.find((row) => row.period.id === "2023Q2")?.rmb?.text // "1,093.377"
 * details.rows.find((row) => row.period.id === "2023Q1")?.rmb?.origin // "derived"
 */
export function itemDetails(index: DatasetIndex, item: ItemInfo, scale: Scale = "M"): ItemDetails {
  const monetary = item.unit === "amount" || item.unit === "per_share";
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
      rmb: viewFigure(findFigure(index, item, ref, "RMB"), scale),
      usd: monetary ? viewFigure(findFigure(index, item, ref, "USD"), scale) : null,
      yoy: canCompare ? asPercent(growth(index, item, key, "YoY")) : null,
      qoq: canCompare && quarterLike ? asPercent(growth(index, item, key, "QoQ")) : null,
      margin: withMargin && !(base instanceof CellError) ? asPercent(margin(index, item, base, key)) : null,
    };
  });
  const quarterly = periods.filter((period) => period.type === "quarter" || period.type === "instant");
  return {
    item,
    name: typeableName(index, item),
    context: itemContext(item),
    unitNote: unitNote(item, "RMB", scale),
    monetary,
    definition: describeDefinition(index, item),
    rows,
    defaultPeriod: quarterly[quarterly.length - 1] ?? periods[periods.length - 1] ?? null,
  };
}

export interface ChartPoint {
  label: string;
  value: number;
}

/**
 * The points worth a line: quarters for flows and quarter-end balances for stocks (mixing a quarter with a half
 * year on one axis would mislead), in RMB; every period when there are not two of those.
 */
export function chartPoints(details: ItemDetails): ChartPoint[] {
  const withValue = details.rows.filter((row): row is PeriodRow & { rmb: FigureView } => row.rmb !== null);
  const quarterly = withValue.filter((row) => row.quarterly);
  const chosen = quarterly.length >= 2 ? quarterly : withValue;
  return chosen.map((row) => ({ label: row.period.label, value: row.rmb.number }));
}
