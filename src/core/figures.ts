/**
 * Figures: the value of an item for a period in a currency, chosen from the facts, converted and scaled; and the
 * two calculations on them analysts ask for most, margins and growth. All arithmetic in Decimal.
 */
import { CellError, ErrorType } from "./cell";
import { Decimal } from "./decimal";
import type { Currency, Fact, ItemInfo, ReleaseInfo } from "./model";
import { LATEST, type AsOf, type DatasetIndex } from "./dataset-index";
import { notReported, periodRef, resolvePeriod, type ParsedPeriod, type PeriodRef } from "./periods";
import { shiftPeriod } from "./period-id";
import { resolveItem, typeableName } from "./resolve-item";
import { Messages } from "./messages";

export type Scale = "U" | "K" | "M" | "B";
export type GrowthBasis = "YoY" | "QoQ";

/** Divisors from base units; the release's tables are in thousands, terminals show millions. */
export const SCALE_DIVISORS: Readonly<Record<Scale, Decimal>> = {
  U: new Decimal(1),
  K: new Decimal(1e3),
  M: new Decimal(1e6),
  B: new Decimal(1e9),
};

/** Units that carry a currency; the rest (counts, shares, ratios, months) are the same in RMB and USD. */
const MONETARY: ReadonlySet<ItemInfo["unit"]> = new Set<ItemInfo["unit"]>(["amount", "per_share"]);

export interface Figure {
  item: ItemInfo;
  period: PeriodRef;
  /** In base units (RMB, not thousands), before scaling. */
  value: Decimal;
  fact: Fact;
  /** Set when the release prints no US$ figure and we converted its RMB figure at the release's rate. */
  conversion: { release: ReleaseInfo; rate: string } | null;
}

const newValueMemo = (): Map<Fact, Decimal> => new Map();

/** A fact's value as a Decimal, parsed once per dataset (Decimals never change, so they can be shared). */
export function factValue(index: DatasetIndex, fact: Fact): Decimal {
  const memo = index.memo("fact-values", newValueMemo);
  let value = memo.get(fact);
  if (value === undefined) memo.set(fact, (value = new Decimal(fact.value)));
  return value;
}

/**
 * The figure of an item for a period: the release's own figure in the asked currency where it prints one (the most
 * precise of the facts, see DatasetIndex), else for US$ the RMB figure converted at the release's rate.
 *
 * @example
 * findFigure(index, netIncome, { id: "2023Q2", label: "Q2 2023" }, "USD").value.toString() // "150782000"
 * findFigure(index, netIncome, { id: "2022Q2", label: "Q2 2022" }, "USD").conversion?.rate  // "7.2513"
 */
export function findFigure(index: DatasetIndex, item: ItemInfo, period: PeriodRef, currency: Currency, asOf: AsOf = LATEST): Figure | CellError {
  const figure = (fact: Fact, conversion: Figure["conversion"] = null, value = factValue(index, fact)): Figure => ({
    item,
    period,
    value,
    fact,
    conversion,
  });
  if (!MONETARY.has(item.unit)) {
    const fact = index.fact(item.id, period.id, null, asOf) ?? index.fact(item.id, period.id, currency, asOf) ?? index.fact(item.id, period.id, "RMB", asOf);
    return fact === undefined ? notReported(index, item, period) : figure(fact);
  }
  const own = index.fact(item.id, period.id, currency, asOf);
  if (own !== undefined) return figure(own);
  const rmb = index.fact(item.id, period.id, "RMB", asOf) ?? index.fact(item.id, period.id, null, asOf);
  if (rmb === undefined) return notReported(index, item, period);
  if (currency === "RMB") return figure(rmb);
  const release = index.releasesById.get(rmb.source.release) ?? index.latestRelease;
  return figure(rmb, { release, rate: release.usdRate }, factValue(index, rmb).div(release.usdRate));
}

/**
 * A figure as METRIC returns it: amounts divided by the scale; per-share figures, counts, shares, ratios and
 * months as they are (a scale given for them is ignored, not an error, so one formula can be filled across rows).
 *
 * @example
 * scaledValue(figureOfNetIncomeQ2, "M").toString() // "1093.377"
 */
export function scaledValue(figure: Figure, scale: Scale): Decimal {
  return figure.item.unit === "amount" ? figure.value.div(SCALE_DIVISORS[scale]) : figure.value;
}

/** Resolves the period for the item, then finds the figure: the path METRIC and STATEMENT share. */
export function figureFor(index: DatasetIndex, item: ItemInfo, parsed: ParsedPeriod, currency: Currency, asOf: AsOf = LATEST): Figure | CellError {
  const period = resolvePeriod(index, parsed, item);
  return period instanceof CellError ? period : findFigure(index, item, period, currency, asOf);
}

/** The default denominator of MARGIN. */
export function defaultMarginBase(index: DatasetIndex): ItemInfo | CellError {
  return index.itemsById.get("ops.total_net_revenue") ?? resolveItem(index, "Total net revenue");
}

/**
 * item ÷ base for one period, exact: MARGIN("Net income", "Q2 2023") = 1,093,377 / 3,914,324 = 0.27932…
 * (the release prints 27.9%). `#DIV/0!` when the base is zero.
 */
export function margin(index: DatasetIndex, item: ItemInfo, base: ItemInfo, parsed: ParsedPeriod): Decimal | CellError {
  if (item.unit !== base.unit) return new CellError(ErrorType.VALUE, Messages.marginUnits(typeableName(index, item), typeableName(index, base)));
  const numerator = figureFor(index, item, parsed, "RMB");
  if (numerator instanceof CellError) return numerator;
  const denominator = figureFor(index, base, parsed, "RMB");
  if (denominator instanceof CellError) return denominator;
  if (denominator.value.isZero()) return new CellError(ErrorType.DIV_BY_ZERO, Messages.zeroBase(base.label, denominator.period.label));
  return numerator.value.div(denominator.value);
}

/**
 * Growth as a fraction: (current − comparison) / |comparison|, so a loss that narrows shows as positive growth.
 * YoY compares with the same period a year earlier; QoQ with the previous quarter (a derived Q1 counts) or, for
 * balances, the previous quarter-end.
 *
 * @example
 * growth(index, totalNetRevenue, parsePeriod("Q2 2023"), "YoY") // 3,914,324 / 4,183,199 − 1 = −0.06427…
 */
export function growth(index: DatasetIndex, item: ItemInfo, parsed: ParsedPeriod, basis: GrowthBasis): Decimal | CellError {
  const current = figureFor(index, item, parsed, "RMB");
  if (current instanceof CellError) return current;
  const quarterLike = current.period.key.type === "quarter" || current.period.key.type === "instant";
  if (basis === "QoQ" && !quarterLike) return new CellError(ErrorType.VALUE, Messages.qoqNeedsQuarter(current.period.label));
  const comparisonKey = shiftPeriod(current.period.key, basis === "YoY" ? -4 : -1);
  const comparison = comparisonKey === null ? null : findFigure(index, item, periodRef(index, comparisonKey), "RMB");
  if (comparison === null || comparison instanceof CellError) {
    const available = index.periodsOf(item.id).map((p) => p.label);
    const wanted = comparisonKey === null ? "an earlier period" : periodRef(index, comparisonKey).label;
    return new CellError(ErrorType.NA, Messages.comparisonMissing(item.label, current.period.label, wanted, basis, available));
  }
  if (comparison.value.isZero()) return new CellError(ErrorType.DIV_BY_ZERO, Messages.zeroBase(item.label, comparison.period.label));
  return current.value.minus(comparison.value).div(comparison.value.abs());
}
