/**
 * The model's number formats, as the trade writes them: negatives in parentheses, zero as a dash, margins and growth in
 * %, changes of rates in basis points, and each line to the decimals the release prints it with (tenor 12.06, the
 * 90 day+ delinquency rate 1.84%, users 220.6 million). Every format has a fourth section for text, so the markers
 * a cell shows instead of a figure ("n/a", "n.m.") line up with the numbers above and below them.
 */
import type { DatasetIndex } from "../core/dataset-index";
import type { ItemInfo } from "../core/model";

/** `0`, `0.0`, `0.00`: a number with so many decimals. */
const digits = (decimals: number): string => (decimals > 0 ? `0.${"0".repeat(decimals)}` : "0");
const grouped = (decimals: number): string => `#,##${digits(decimals)}`;

/**
 * Positive with room for a closing parenthesis (so positives and negatives align), negative in parentheses, zero as
 * given, text aligned like positives.
 */
const accounting = (body: string, zero: string): string => `${body}_);(${body});${zero}_);@_)`;

const DASH = '"–"';

export const NumberFormats = {
  /** RMB millions; the tables print thousands, so one decimal, the narrative's whole millions none. */
  amount: (decimals: number): string => accounting(grouped(decimals), DASH),
  /** RMB per ADS or per share: two decimals, as printed. */
  perShare: accounting("0.00", DASH),
  /** Shares, loans, partners: whole units. */
  count: accounting(grouped(0), DASH),
  /** Counts the release prints in millions (users): shown in millions (the two commas divide by a million). */
  countInMillions: (decimals: number): string => accounting(`${grouped(decimals)},,`, DASH),
  /** Ratios, margins and growth in %. */
  percent: (decimals: number): string => accounting(`${digits(decimals)}%`, `${digits(decimals)}%`),
  /** A change of a rate in basis points (the formula multiplies the fraction by 10,000). */
  bps: accounting('#,##0" bps"', '"0 bps"'),
  /** Months, to the two decimals the release prints (12.06). */
  months: accounting("0.00", "0.00"),
  /** A tie-out difference in RMB millions: 0.000 when it holds. */
  difference: accounting("#,##0.000", "0.000"),
} as const;

/** The finest precision the data holds an item to (decimal places in base units), among its facts in any period. */
function precisionOf(index: DatasetIndex, item: ItemInfo): number {
  return index.memo("model-item-precisions", () => {
    const finest = new Map<string, number>();
    for (const fact of index.dataset.facts) finest.set(fact.item, Math.max(finest.get(fact.item) ?? -Infinity, fact.precision));
    return finest;
  }).get(item.id) ?? 0;
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** Whether the model shows a count in millions: the release prints it so (220.6 million users), not to the unit. */
export const countInMillions = (index: DatasetIndex, item: ItemInfo): boolean => item.unit === "count" && precisionOf(index, item) <= -5;

/**
 * The format of an item's figures: amounts in millions to at most one decimal, ratios in % to the decimals printed,
 * counts in units or millions as printed, per-share figures and months to two decimals.
 *
 * @example
 * numberFormatFor(index, tenor)        // '0.00_);(0.00);0.00_);@_)'
 * numberFormatFor(index, delinquency)  // '0.00%_);(0.00%);0.00%_);@_)' (1.84%)
 */
export function numberFormatFor(index: DatasetIndex, item: ItemInfo): string {
  const precision = precisionOf(index, item);
  switch (item.unit) {
    case "amount":
      // Decimal places in millions: thousands (-3) would be three, shown as one, as terminals and the narrative do.
      return NumberFormats.amount(clamp(precision + 6, 0, 1));
    case "per_share":
      return NumberFormats.perShare;
    case "ratio":
      return NumberFormats.percent(clamp(precision - 2, 0, 2));
    case "months":
      return NumberFormats.months;
    case "count":
      return countInMillions(index, item) ? NumberFormats.countInMillions(clamp(precision + 6, 0, 1)) : NumberFormats.count;
    case "shares":
      return NumberFormats.count;
  }
}
