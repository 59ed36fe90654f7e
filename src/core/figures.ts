/**
 * Figures: the value of an item for a period in a currency, chosen from the facts, converted and scaled; and the
 * calculations analysts ask for most — margins, growth, changes — answered with the release's own stated ratio
 * wherever it states one, computed (exactly, in Decimal) only where it states none, and refused where a number
 * would mislead (n.m.).
 */
import { CellError, ErrorType } from "./cell";
import { Decimal, formatGrouped, roundToPrecision } from "./decimal";
import type { Currency, Fact, ItemInfo, ReleaseInfo, StatedRatio } from "./model";
import { LATEST, type AsOf, type DatasetIndex } from "./dataset-index";
import { notReported, periodRef, resolvePeriod, trailingQuarters, type ParsedPeriod, type PeriodRef } from "./periods";
import { periodLabel, shiftPeriod } from "./period-id";
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
  /** The fact that answers (for an LTM, its newest quarter's). */
  fact: Fact;
  /** Set when the release prints no figure in the asked currency and its other one was converted at its rate. */
  conversion: { release: ReleaseInfo; rate: string; from: Currency; to: Currency } | null;
  /** For an LTM: the four quarters summed, oldest first. */
  parts?: Figure[];
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
 * The currency an item answers in when none is asked for: RMB, the release's reporting currency, for every line it
 * prints in RMB; US$ for the few it prints in US$ only (the dividend, the share repurchase).
 *
 * @example
 * defaultCurrency(index, index.itemsById.get("cap.dividend_per_ads")!) // "USD"
 */
export function defaultCurrency(index: DatasetIndex, item: ItemInfo): Currency {
  return !index.printsIn(item.id, "RMB") && index.printsIn(item.id, "USD") ? "USD" : "RMB";
}

/**
 * The figure of an item for a period: the release's own figure in the asked currency where it prints one (the most
 * precise of the facts, see DatasetIndex), else its figure in the other currency converted at the release's rate and
 * rounded as the release rounds its own translations (amounts to the thousand, per-share figures to the cent).
 * `currency` null means the item's own (see `defaultCurrency`).
 *
 * @example
 * findFigure(index, netIncome, q2_2023, "USD").value.toString() // "150782000"
 * findFigure(index, netIncome, q2_2022, "USD").value.toString() // "134453000" (974,956 ÷ 7.2513, to the thousand)
 */
export function findFigure(index: DatasetIndex, item: ItemInfo, period: PeriodRef, currency: Currency | null, asOf: AsOf = LATEST): Figure | CellError {
  const figure = (fact: Fact, conversion: Figure["conversion"] = null, value = factValue(index, fact)): Figure => ({
    item,
    period,
    value,
    fact,
    conversion,
  });
  if (!MONETARY.has(item.unit)) {
    const fact = index.fact(item.id, period.id, null, asOf) ?? index.fact(item.id, period.id, currency ?? "RMB", asOf) ?? index.fact(item.id, period.id, "RMB", asOf);
    return fact === undefined ? notReported(index, item, period) : figure(fact);
  }
  const wanted = currency ?? defaultCurrency(index, item);
  const own = index.fact(item.id, period.id, wanted, asOf);
  if (own !== undefined) return figure(own);
  const other: Currency = wanted === "RMB" ? "USD" : "RMB";
  const source = index.fact(item.id, period.id, other, asOf) ?? index.fact(item.id, period.id, null, asOf);
  if (source === undefined) return notReported(index, item, period);
  const release = index.releasesById.get(source.source.release) ?? index.latestRelease;
  const exact = wanted === "USD" ? factValue(index, source).div(release.usdRate) : factValue(index, source).times(release.usdRate);
  return figure(source, { release, rate: release.usdRate, from: other, to: wanted }, roundToPrecision(exact, source.precision));
}

/**
 * A figure as METRIC returns it: amounts divided by the scale; per-share figures, counts, shares, ratios and
 * months as they are (a scale given for them is ignored, not an error, so one formula can be filled across rows).
 *
 * @example
 * scaledValue(figureOfNetIncomeQ2, "M").toString() // "1093.377"
 */
export function scaledValue(figure: Figure, scale: Scale): Decimal {
  return scaledAs(figure.item, figure.value, scale);
}

/**
 * A value of an item (a figure, a change of it) in a scale: amounts divided, everything else as it is.
 *
 * @example
 * scaledAs(netIncome, new Decimal("93555000"), "M").toString() // "93.555"
 */
export function scaledAs(item: ItemInfo, value: Decimal, scale: Scale): Decimal {
  return item.unit === "amount" ? value.div(SCALE_DIVISORS[scale]) : value;
}

/**
 * Resolves the period for the item, then finds the figure: the path METRIC and STATEMENT share. An LTM is the sum of
 * its four quarters, each found the same way; a quarter the data lacks makes it `#N/A` naming the quarter.
 */
export function figureFor(index: DatasetIndex, item: ItemInfo, parsed: ParsedPeriod, currency: Currency | null, asOf: AsOf = LATEST): Figure | CellError {
  if (parsed.type === "ltm") return trailingFigure(index, item, parsed, currency, asOf);
  const period = resolvePeriod(index, parsed, item);
  return period instanceof CellError ? period : findFigure(index, item, period, currency, asOf);
}

function trailingFigure(index: DatasetIndex, item: ItemInfo, parsed: Extract<ParsedPeriod, { type: "ltm" }>, currency: Currency | null, asOf: AsOf): Figure | CellError {
  const quarters = trailingQuarters(index, parsed, item);
  if (quarters instanceof CellError) return quarters;
  const end = quarters[quarters.length - 1] as PeriodRef;
  const label = `LTM ${end.label}`;
  const parts = quarters.map((quarter) => findFigure(index, item, quarter, currency, asOf));
  const missing = quarters.filter((_quarter, position) => parts[position] instanceof CellError).map((quarter) => quarter.label);
  if (missing.length > 0) return new CellError(ErrorType.NA, Messages.ltmMissing(item.label, label, missing, index.periodsOf(item.id).map((p) => p.label)));
  const found = parts as Figure[];
  const value = found.reduce((sum, part) => sum.plus(part.value), new Decimal(0));
  const newest = found[found.length - 1] as Figure;
  return { item, period: { key: end.key, id: `LTM ${end.id}`, label }, value, fact: newest.fact, conversion: newest.conversion, parts: found };
}

/** The default denominator of MARGIN. */
export function defaultMarginBase(index: DatasetIndex): ItemInfo | CellError {
  return index.itemsById.get("ops.total_net_revenue") ?? resolveItem(index, "Total net revenue");
}

/** The currency a figure is in (null for units that carry none). */
const currencyOf = (figure: Figure): Currency | null => figure.conversion?.to ?? figure.fact.currency;

/** A ratio and how it was obtained: the release's statement of it, or the computation (for SOURCE). */
export interface Ratio {
  value: Decimal;
  stated: StatedRatio | null;
  /** The computation in words with its figures, or the statement it repeats. */
  how: string;
  /** The figures it is of: the item and its base (a margin), or the period and the one compared with (a growth). */
  inputs: readonly [Figure, Figure];
}

const percent = (fraction: Decimal): string => `${fraction.times(100).toDecimalPlaces(2).toString()}%`;
/** A figure as a sentence shows it: amounts in thousands as the tables print them, ratios in per cent. */
const shown = (figure: Figure): string =>
  figure.item.unit === "ratio" ? percent(figure.value) : formatGrouped(figure.item.unit === "amount" ? figure.value.div(1000) : figure.value);

function statedHow(ratio: StatedRatio): string {
  const where = ratio.source.sentence ? `line ${ratio.source.line}: "${ratio.source.sentence}"` : [ratio.source.table, ratio.source.row ? `row "${ratio.source.row}"` : null, ratio.source.column ? `column "${ratio.source.column}"` : null, `line ${ratio.source.line}`].filter(Boolean).join(", ");
  return `stated by the ${ratio.source.release} release as ${percent(new Decimal(ratio.value))} (${where}); the release's own figure is returned as printed, not recomputed from its rounded figures`;
}

/**
 * item ÷ base for one period: the release's stated margin or share where it states one (net income margin 27.9%,
 * capital-light share 57.8%), else exact: 1,093,377 / 3,914,324 = 0.27932…. A balance over a flow is no margin and is
 * refused; `#DIV/0!` when the base is zero.
 */
export function margin(index: DatasetIndex, item: ItemInfo, base: ItemInfo, parsed: ParsedPeriod): Ratio | CellError {
  if (item.unit !== base.unit) return new CellError(ErrorType.VALUE, Messages.marginUnits(typeableName(index, item), typeableName(index, base)));
  if (item.nature !== base.nature) return new CellError(ErrorType.VALUE, Messages.marginNatures(typeableName(index, item), typeableName(index, base), item.nature === "instant"));
  const numerator = figureFor(index, item, parsed, null);
  if (numerator instanceof CellError) return numerator;
  const denominator = figureFor(index, base, parsed, currencyOf(numerator));
  if (denominator instanceof CellError) return denominator;
  const period = numerator.period.id;
  const stated = index.stated("margin", item.id, period, base.id, period) ?? index.stated("share", item.id, period, base.id, period);
  const inputs = [numerator, denominator] as const;
  if (stated !== undefined) return { value: new Decimal(stated.value), stated, how: statedHow(stated), inputs };
  if (denominator.value.isZero()) return new CellError(ErrorType.DIV_BY_ZERO, Messages.zeroBase(base.label, denominator.period.label));
  const value = numerator.value.div(denominator.value);
  return { value, stated: null, how: `computed: ${item.label} ÷ ${base.label} for ${numerator.period.label} = ${shown(numerator)} ÷ ${shown(denominator)} = ${percent(value)}`, inputs };
}

/** The figure a growth rate or change compares with: the same period a year earlier (YoY) or the previous quarter. */
function comparisonFor(index: DatasetIndex, item: ItemInfo, current: Figure, basis: GrowthBasis, measure: "growth" | "change"): Figure | CellError {
  if (current.parts !== undefined) return new CellError(ErrorType.VALUE, Messages.ltmNoGrowth(item.label));
  const quarterLike = current.period.key.type === "quarter" || current.period.key.type === "instant";
  if (basis === "QoQ" && !quarterLike) return new CellError(ErrorType.VALUE, Messages.qoqNeedsQuarter(current.period.label, measure));
  const comparisonKey = shiftPeriod(current.period.key, basis === "YoY" ? -4 : -1);
  const comparison = comparisonKey === null ? null : findFigure(index, item, periodRef(index, comparisonKey), currencyOf(current));
  if (comparison === null || comparison instanceof CellError) {
    const available = index.periodsOf(item.id).map((p) => p.label);
    const wanted = comparisonKey === null ? "an earlier period" : periodLabel(comparisonKey);
    return new CellError(ErrorType.NA, Messages.comparisonMissing(item.label, current.period.label, wanted, `${basis} ${measure}`, available));
  }
  return comparison;
}

/** What a model or the pane shows where a figure cannot be given: not in the data, or not meaningful. */
export const MARKERS = { notReported: "n/a", notMeaningful: "n.m." } as const;

/** True for growth refused as not meaningful, which an analyst's table shows as "n.m." rather than as an error. */
export const isNotMeaningful = (result: unknown): boolean => result instanceof CellError && result.message.startsWith("n.m.");

/**
 * Growth as a fraction, YoY (the same period a year earlier) or QoQ (the previous quarter, a derived Q1 included; for
 * balances the previous quarter end): the release's stated growth where it states one, else current ÷ comparison − 1.
 * Like is compared with like: a cost printed negative in both periods grows when it gets larger (income taxes
 * −180,303 → −272,934 is +51.4%), a loss that narrows shrinks. Refused as not meaningful (`#N/A` n.m.): a sign change
 * and a zero base. Refused for ratios and rates, whose change is a difference (QFIN.CHANGE).
 *
 * @example
 * growth(index, totalNetRevenue, q2_2023, "YoY").value // 3,914,324 / 4,183,199 − 1 = −0.06427…
 */
export function growth(index: DatasetIndex, item: ItemInfo, parsed: ParsedPeriod, basis: GrowthBasis): Ratio | CellError {
  if (item.unit === "ratio") return new CellError(ErrorType.VALUE, Messages.growthOfRatio(typeableName(index, item)));
  const current = figureFor(index, item, parsed, null);
  if (current instanceof CellError) return current;
  const comparison = comparisonFor(index, item, current, basis, "growth");
  if (comparison instanceof CellError) return comparison;
  const stated = index.stated("growth", item.id, current.period.id, item.id, comparison.period.id);
  const inputs = [current, comparison] as const;
  if (stated !== undefined) return { value: new Decimal(stated.value), stated, how: statedHow(stated), inputs };
  const [now, then] = [current.value, comparison.value];
  if (then.isZero()) return new CellError(ErrorType.NA, Messages.notMeaningful(item.label, current.period.label, comparison.period.label, "the comparison figure is zero"));
  if (now.isPositive() !== then.isPositive() && !now.isZero()) {
    return new CellError(ErrorType.NA, Messages.notMeaningful(item.label, current.period.label, comparison.period.label, `the figure changes sign (${shown(comparison)} to ${shown(current)})`));
  }
  const value = now.div(then).minus(1);
  const sign = then.isNegative() ? `; both are negative (printed in parentheses), so growth compares their sizes: ${value.isPositive() ? "the amount grew" : "the amount shrank"} by ${percent(value.abs())}` : "";
  return {
    value,
    stated: null,
    how: `computed: ${basis} growth = ${current.period.label} ÷ ${comparison.period.label} − 1 = ${shown(current)} ÷ ${shown(comparison)} − 1 = ${percent(value)}${sign}`,
    inputs,
  };
}

/**
 * The change from the comparison period, in the item's own units: amounts in base units (scale them as METRIC
 * does), ratios as a fraction (0.0046 is 46 basis points), counts and months as they are.
 *
 * @example
 * change(index, netIncomeMargin, q2_2023, "YoY").value // 0.279 − 0.233 = 0.046 (460 bps, both as printed)
 */
export function change(
  index: DatasetIndex,
  item: ItemInfo,
  parsed: ParsedPeriod,
  basis: GrowthBasis,
  currency: Currency | null = null,
): { figure: Figure; comparison: Figure; value: Decimal; how: string } | CellError {
  const current = figureFor(index, item, parsed, currency);
  if (current instanceof CellError) return current;
  const comparison = comparisonFor(index, item, current, basis, "change");
  if (comparison instanceof CellError) return comparison;
  const value = current.value.minus(comparison.value);
  const what = item.unit === "ratio" ? `${value.times(10000).toDecimalPlaces(1).toString()} bps` : formatGrouped(item.unit === "amount" ? value.div(1000) : value);
  return { figure: current, comparison, value, how: `computed: ${current.period.label} − ${comparison.period.label} = ${shown(current)} − ${shown(comparison)} = ${what}` };
}
