/**
 * Figures the release implies but does not print, each marked `derived` with its formula:
 * - a quarter as a longer period minus a contained one (Q1 = H1 − Q2; Q3 = 9M − H1; Q4 = FY − 9M), for every
 *   additive amount, RMB and USD alike; opening/closing cash balances carry over instead of subtracting;
 * - basic ADS counts as half the basic share count (1 ADS = 2 Class A shares), rounded as the release rounds
 *   its diluted ADS count;
 * - total cash as footnote 11 defines it (cash and cash equivalents + restricted cash + security deposit).
 */
import { Decimal } from "../core/decimal";
import type { Currency, Fact, PeriodInfo } from "../core/model";
import { CASH_BALANCES } from "./catalogue";
import type { FactBook } from "./fact-book";
import { durationPeriod } from "./periods";

const CURRENCIES: Currency[] = ["RMB", "USD"];

const monthsOf = (period: PeriodInfo): number => {
  const [sy, sm] = (period.start as string).split("-").map(Number) as [number, number];
  const [ey, em] = period.end.split("-").map(Number) as [number, number];
  return (ey - sy) * 12 + (em - sm) + 1;
};

const thousands = (value: string): string => new Decimal(value).div(1000).toNumber().toLocaleString("en-US");

interface Split {
  whole: PeriodInfo;
  part: PeriodInfo;
  /** The quarter that is `whole` minus `part`. */
  rest: PeriodInfo;
  /** Whether `part` is the later part of `whole` (H1 − Q2 = Q1) or the earlier (H1 − Q1 = Q2). */
  partIsLater: boolean;
}

/** Pairs of (longer period, contained period) whose difference is one quarter. */
function quarterSplits(periods: Iterable<PeriodInfo>): Split[] {
  const durations = [...periods].filter((period) => period.start !== null);
  const splits: Split[] = [];
  for (const whole of durations) {
    for (const part of durations) {
      const gap = monthsOf(whole) - monthsOf(part);
      if (gap !== 3) continue;
      const [year, endMonth] = whole.end.split("-").map(Number) as [number, number];
      if (part.end === whole.end) {
        const rest = durationPeriod(3, endMonth - monthsOf(part), year);
        if (rest && rest.start === whole.start) splits.push({ whole, part, rest, partIsLater: true });
      } else if (part.start === whole.start) {
        const rest = durationPeriod(3, endMonth, year);
        if (rest) splits.push({ whole, part, rest, partIsLater: false });
      }
    }
  }
  return splits;
}

export function deriveFacts(book: FactBook): void {
  deriveQuarters(book);
  deriveBasicAds(book);
  deriveTotalCash(book);
}

function deriveQuarters(book: FactBook): void {
  for (const split of quarterSplits([...book.periods.values()])) {
    let added = false;
    for (const item of book.items.values()) {
      if (item.nature !== "duration" || item.unit !== "amount") continue;
      const balance = item.id === CASH_BALANCES.opening ? "opening" : item.id === CASH_BALANCES.closing ? "closing" : null;
      if (!item.additive && !balance) continue;
      for (const currency of CURRENCIES) {
        const fact = balance ? carryBalance(book, item.id, balance, split, currency) : subtract(book, item.id, split, currency);
        if (fact && book.addDerived(fact)) added = true;
      }
    }
    if (added) book.addPeriod(split.rest);
  }
}

function subtract(book: FactBook, item: string, split: Split, currency: Currency): Fact | null {
  const whole = book.get(item, split.whole.id, currency);
  const part = book.get(item, split.part.id, currency);
  if (!whole || !part || whole.basis !== "reported" || part.basis !== "reported") return null;
  const value = new Decimal(whole.value).minus(part.value);
  return {
    item,
    period: split.rest.id,
    currency,
    value: value.toFixed(),
    precision: Math.min(whole.precision, part.precision),
    basis: "derived",
    source: {
      release: book.release,
      line: part.source.line,
      table: part.source.table,
      row: part.source.row,
      formula: `${split.whole.label} − ${split.part.label} = ${thousands(whole.value)} − ${thousands(part.value)} = ${thousands(value.toFixed())} (${currency} thousands)`,
    },
  };
}

/** Opening balance of the first quarter is the longer period's; closing balance of the first quarter is the second's opening. */
function carryBalance(book: FactBook, item: string, balance: "opening" | "closing", split: Split, currency: Currency): Fact | null {
  // Only quarters inside a longer period the release reports for this item (no Q4 opening from a nine-month close).
  if (book.get(item, split.whole.id, currency)?.basis !== "reported") return null;
  const fromWhole = (balance === "opening") === split.partIsLater;
  const sourcePeriod = fromWhole ? split.whole : split.part;
  const sourceItem = fromWhole ? item : balance === "opening" ? CASH_BALANCES.closing : CASH_BALANCES.opening;
  const source = book.get(sourceItem, sourcePeriod.id, currency);
  if (!source || source.basis !== "reported") return null;
  const sourceLabel = book.item(sourceItem).label;
  return {
    item,
    period: split.rest.id,
    currency,
    value: source.value,
    precision: source.precision,
    basis: "derived",
    source: {
      release: book.release,
      line: source.source.line,
      table: source.source.table,
      row: source.source.row,
      formula: `${balance === "opening" ? "opening" : "closing"} balance of ${split.rest.label} = "${sourceLabel}" of ${sourcePeriod.label} = ${thousands(source.value)} (${currency} thousands)`,
    },
  };
}

function deriveBasicAds(book: FactBook): void {
  if (!book.items.has("ng.weighted_average_ads_basic")) return;
  for (const period of book.periods.values()) {
    const shares = book.get("ops.weighted_average_shares_basic", period.id, null);
    if (!shares) continue;
    const ads = new Decimal(shares.value).div(2).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
    book.addDerived({
      item: "ng.weighted_average_ads_basic",
      period: period.id,
      currency: null,
      value: ads.toFixed(),
      precision: 0,
      basis: "derived",
      source: {
        release: book.release,
        line: shares.source.line,
        table: shares.source.table,
        row: shares.source.row,
        formula: `weighted average basic shares ÷ 2 (1 ADS = 2 Class A ordinary shares) = ${shares.value} ÷ 2 ≈ ${ads.toFixed()}, rounded half up as the release rounds its diluted ADS count`,
      },
    });
  }
}

const TOTAL_CASH_PARTS = ["bs.cash_and_cash_equivalents", "bs.restricted_cash", "bs.security_deposit_prepaid"];

function deriveTotalCash(book: FactBook): void {
  if (!book.items.has("kpi.total_cash")) return;
  for (const period of book.periods.values()) {
    for (const currency of CURRENCIES) {
      const parts = TOTAL_CASH_PARTS.map((id) => book.get(id, period.id, currency));
      if (parts.some((part) => !part)) continue;
      const total = parts.reduce((sum, part) => sum.plus((part as Fact).value), new Decimal(0));
      book.addDerived({
        item: "kpi.total_cash",
        period: period.id,
        currency,
        value: total.toFixed(),
        precision: -3,
        basis: "derived",
        source: {
          release: book.release,
          line: (parts[0] as Fact).source.line,
          table: (parts[0] as Fact).source.table,
          formula: `footnote 11: Cash and cash equivalents + Restricted cash + Security deposit prepaid to third-party guarantee companies = ${parts.map((part) => thousands((part as Fact).value)).join(" + ")} = ${thousands(total.toFixed())} (${currency} thousands)`,
        },
      });
    }
  }
}
