/**
 * The tie-out checks: does the release agree with itself? Each rule is the release's own, stated once here:
 *
 * - **Totals**: every total equals the sum of its components (catalogue `sum`), exactly, in every column.
 *   USD totals are the sums of the rounded USD lines (the release converts each line, then adds).
 * - **USD lines**: every USD amount that is not a total is the RMB amount ÷ the stated rate, rounded half up to the
 *   thousand; USD per-share figures are USD net income ÷ shares, rounded to the cent. Two lines are the release's
 *   balancing lines in USD instead (`BALANCING_USD_LINES`): the Company's equity, so that the USD balance sheet
 *   balances, and the cash flow's effect of exchange rate changes, so that USD end cash equals the balance sheet's.
 * - **Per share**: per ADS = 2 × per share (both as printed); per share = net income attributable ÷ weighted shares,
 *   rounded to the cent; diluted ADS = diluted shares ÷ 2 rounded half up; non-GAAP per ADS = non-GAAP net income
 *   attributable ÷ diluted ADS.
 * - **Margins**: a printed margin is its numerator ÷ total net revenue at the printed precision.
 * - **Balance sheet**: total liabilities and equity = total assets; the cash flow's end (and beginning) cash equals
 *   the balance sheet's cash and cash equivalents + restricted cash at that date.
 * - **Narrative**: every figure the prose restates agrees with the table (or derived) figure at the prose's
 *   precision; every growth rate and share it states agrees with the figures it relates; KPI parts add up.
 */
import { sumOfParts, type SignedPart } from "../core/components";
import { Decimal, roundToPrecision } from "../core/decimal";
import { factKey, type CheckResult, type Currency, type Fact, type PeriodInfo } from "../core/model";
import { CASH_BALANCES, TABLES, type RowSpec } from "./catalogue";
import { IDENTITIES } from "../core/identities";
import type { FactBook } from "./fact-book";
import type { NarrativeReading, StatedFigure } from "./narrative";

/** USD lines the release sets so that its USD statements add up, with the figures they must then equal. */
const BALANCING_USD_LINES: Readonly<Record<string, readonly string[]>> = {
  "bs.total_qifu_technology_equity": ["bs.total_assets", "-bs.total_liabilities", "-bs.noncontrolling_interests"],
  "cf.effect_of_foreign_exchange_rate_changes": [
    CASH_BALANCES.closing,
    `-${CASH_BALANCES.opening}`,
    "-cf.net_cash_provided_by_operating_activities",
    "-cf.net_cash_used_in_investing_activities",
    "-cf.net_cash_provided_by_financing_activities",
  ],
};

const fmt = (value: Decimal | string): string => new Decimal(value).toFixed();

export function runChecks(book: FactBook, usdRate: string, narrative: NarrativeReading): void {
  const rate = new Decimal(usdRate);
  const rows = new Map<string, RowSpec>();
  for (const table of TABLES) for (const row of table.rows) if (row.id && !rows.has(row.id)) rows.set(row.id, row);

  const reported = [...book.exact.values()].filter((fact) => fact.basis === "reported");
  const check = (name: string, pass: boolean, message: string, fact?: Fact, extra: Partial<CheckResult> = {}): void => {
    book.record({
      check: name,
      status: pass ? "pass" : "fail",
      message,
      ...(fact
        ? { table: fact.source.table, row: fact.source.row, period: fact.period, currency: fact.currency, line: fact.source.line }
        : {}),
      ...extra,
    });
  };
  const describe = (fact: Fact): string => `"${fact.source.row ?? book.item(fact.item).label}" ${fact.period}${fact.currency ? ` ${fact.currency}` : ""}`;

  // Totals.
  for (const fact of reported) {
    const item = book.item(fact.item);
    if (item.components.length === 0) continue;
    const { sum, missing } = sumOfParts(item.components, (id) => book.get(id, fact.period, fact.currency)?.value);
    if (missing.length > 0) {
      check("subtotal", false, `${describe(fact)}: cannot be tied out, its components ${missing.map((id) => `"${book.item(id).label}"`).join(", ")} are missing.`, fact);
      continue;
    }
    const terms = item.components.map((c) => `${c.sign < 0 ? "− " : "+ "}${book.item(c.item).label}`).join(" ").replace(/^\+ /, "");
    check(
      "subtotal",
      sum.eq(fact.value),
      `${describe(fact)} = ${terms}: printed ${fmt(fact.value)}, components sum to ${fmt(sum)}${sum.eq(fact.value) ? "" : ` (off by ${fmt(sum.minus(fact.value))})`}.`,
      fact,
    );
  }

  // USD conversion of lines that are not totals.
  for (const fact of reported) {
    if (fact.currency !== "USD") continue;
    const item = book.item(fact.item);
    if (item.components.length > 0) continue;
    const balancing = BALANCING_USD_LINES[item.id];
    if (balancing) {
      const parts = balancing.map((signed): SignedPart => ({ item: signed.replace(/^-/, ""), sign: signed.startsWith("-") ? -1 : 1 }));
      const { sum: balance, missing } = sumOfParts(parts, (id) => book.get(id, fact.period, "USD")?.value);
      if (missing.length === 0) {
        const terms = balancing.map((signed) => `${signed.startsWith("-") ? "− " : "+ "}${book.item(signed.replace(/^-/, "")).label}`).join(" ").replace(/^\+ /, "");
        check("usd_balancing", balance.eq(fact.value), `${describe(fact)} is the release's balancing line in USD: printed ${fmt(fact.value)}; ${terms} = ${fmt(balance)}.`, fact);
      }
      continue;
    }
    if (item.unit === "amount") {
      const rmb = book.get(item.id, fact.period, "RMB");
      if (!rmb) continue;
      const converted = roundToPrecision(new Decimal(rmb.value).div(rate), -3);
      check(
        "usd_conversion",
        converted.eq(fact.value),
        `${describe(fact)}: printed ${fmt(fact.value)}; RMB ${fmt(rmb.value)} ÷ ${usdRate} rounds to ${fmt(converted)}.`,
        fact,
      );
    }
  }

  // Per share and per ADS.
  const perShare: [string, string, string][] = [
    ["ops.net_income_per_share_basic", "ops.weighted_average_shares_basic", "ops.net_income_per_ads_basic"],
    ["ops.net_income_per_share_diluted", "ops.weighted_average_shares_diluted", "ops.net_income_per_ads_diluted"],
  ];
  for (const fact of reported) {
    for (const [eps, shares, perAds] of perShare) {
      if (fact.item !== eps) continue;
      const ads = book.get(perAds, fact.period, fact.currency);
      if (ads) {
        const twice = new Decimal(fact.value).times(2);
        check("per_ads", twice.eq(ads.value), `${describe(ads)} = 2 × per share: printed ${fmt(ads.value)}, 2 × ${fmt(fact.value)} = ${fmt(twice)}.`, ads);
      }
      const income = book.get("ops.net_income_attributable_to_ordinary_shareholders", fact.period, fact.currency);
      const count = book.get(shares, fact.period, null);
      if (income && count) {
        const computed = roundToPrecision(new Decimal(income.value).div(count.value), fact.precision);
        check("per_share", computed.eq(fact.value), `${describe(fact)}: printed ${fmt(fact.value)}; net income attributable ÷ weighted shares = ${fmt(income.value)} ÷ ${fmt(count.value)} rounds to ${fmt(computed)}.`, fact);
      }
    }
    if (fact.item === "ng.weighted_average_ads_diluted") {
      const shares = book.get("ops.weighted_average_shares_diluted", fact.period, null);
      if (shares) {
        const ads = new Decimal(shares.value).div(2).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
        check("ads_count", ads.eq(fact.value), `${describe(fact)}: printed ${fmt(fact.value)}; diluted shares ÷ 2 = ${fmt(new Decimal(shares.value).div(2))} rounds to ${fmt(ads)}.`, fact);
      }
    }
    if (fact.item === "ng.non_gaap_net_income_per_ads_diluted") {
      const income = book.get("ng.non_gaap_net_income_attributable_to_shareholders", fact.period, fact.currency);
      const ads = book.get("ng.weighted_average_ads_diluted", fact.period, null);
      if (income && ads) {
        const computed = roundToPrecision(new Decimal(income.value).div(ads.value), fact.precision);
        check("per_ads", computed.eq(fact.value), `${describe(fact)}: printed ${fmt(fact.value)}; non-GAAP net income attributable ÷ diluted ADS rounds to ${fmt(computed)}.`, fact);
      }
    }
  }

  // Printed margins.
  for (const fact of reported) {
    const ratioOf = rows.get(fact.item)?.ratioOf;
    if (!ratioOf) continue;
    const numerator = book.get(ratioOf[0], fact.period, "RMB");
    const denominator = book.get(ratioOf[1], fact.period, "RMB");
    if (!numerator || !denominator) {
      check("margin", false, `${describe(fact)}: the figures it is a margin of are missing.`, fact);
      continue;
    }
    const computed = roundToPrecision(new Decimal(numerator.value).div(denominator.value), fact.precision);
    check(
      "margin",
      computed.eq(fact.value),
      `${describe(fact)}: printed ${fmt(fact.value)}; ${book.item(ratioOf[0]).label} ÷ ${book.item(ratioOf[1]).label} = ${fmt(numerator.value)} ÷ ${fmt(denominator.value)} rounds to ${fmt(computed)}.`,
      fact,
    );
  }

  checkBalanceSheet(book, check);
  checkNarrative(book, narrative, check);
}

type Check = (name: string, pass: boolean, message: string, fact?: Fact, extra?: Partial<CheckResult>) => void;

function checkBalanceSheet(book: FactBook, check: Check): void {
  for (const identity of IDENTITIES) {
    for (const fact of book.exact.values()) {
      if (fact.item !== identity.right) continue;
      const left = book.get(identity.left, fact.period, fact.currency);
      if (left) check("balance_sheet", left.value === fact.value, `${identity.label} at ${fact.period} ${fact.currency}: ${fmt(left.value)} vs ${fmt(fact.value)}.`, fact);
    }
  }
  const dayBefore = (iso: string): string => {
    const date = new Date(`${iso}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() - 1);
    return date.toISOString().slice(0, 10);
  };
  for (const fact of book.exact.values()) {
    const opening = fact.item === CASH_BALANCES.opening;
    if (fact.basis !== "reported" || (!opening && fact.item !== CASH_BALANCES.closing)) continue;
    const period = book.periods.get(fact.period) as PeriodInfo;
    const date = opening ? dayBefore(period.start as string) : period.end;
    const cash = book.get("bs.cash_and_cash_equivalents", date, fact.currency);
    const restricted = book.get("bs.restricted_cash", date, fact.currency);
    if (!cash || !restricted) continue;
    const sum = new Decimal(cash.value).plus(restricted.value);
    check(
      "cash_flow_to_balance_sheet",
      sum.eq(fact.value),
      `${opening ? "Beginning" : "End"} cash of ${fact.period} ${fact.currency} in the cash flow statement (${fmt(fact.value)}) = balance sheet cash and cash equivalents + restricted cash at ${date} (${fmt(cash.value)} + ${fmt(restricted.value)} = ${fmt(sum)}).`,
      fact,
    );
  }
}

function checkNarrative(book: FactBook, narrative: NarrativeReading, check: Check): void {
  const narrativeBest = new Map<string, Fact>();
  for (const fact of book.narrative) {
    const key = factKey(fact.item, fact.period, fact.currency);
    const best = narrativeBest.get(key);
    if (!best || fact.precision > best.precision) narrativeBest.set(key, fact);
  }
  const quote = (fact: Fact): string => `line ${fact.source.line}: "${fact.source.sentence?.slice(0, 120)}${(fact.source.sentence?.length ?? 0) > 120 ? "…" : ""}"`;

  for (const fact of book.narrative) {
    const key = factKey(fact.item, fact.period, fact.currency);
    const exact = book.exact.get(key);
    const reference = exact ?? narrativeBest.get(key);
    if (!reference || reference === fact) continue;
    const rounded = roundToPrecision(new Decimal(reference.value), fact.precision);
    const label = book.item(fact.item).label;
    check(
      exact?.basis === "derived" ? "derived_vs_narrative" : "narrative",
      rounded.eq(fact.value),
      `${label} ${fact.period}${fact.currency ? ` ${fact.currency}` : ""}: the narrative states ${fact.source.printed}; the ${exact ? (exact.basis === "derived" ? "derived figure" : "table") : "more precise statement"} gives ${fmt(reference.value)}, which rounds to ${fmt(rounded)} (${quote(fact)}).`,
      undefined,
      { period: fact.period, currency: fact.currency, line: fact.source.line, row: label },
    );
  }

  const factOf = (item: string, period: string, currency: Currency | null): Fact | undefined =>
    book.exact.get(factKey(item, period, currency)) ?? narrativeBest.get(factKey(item, period, currency));
  const valueOf = (item: string, period: string, currency: Currency | null): Decimal | undefined => {
    const fact = factOf(item, period, currency);
    return fact ? new Decimal(fact.value) : undefined;
  };

  for (const stated of narrative.statedRatios) checkStatedRatio(book, stated, factOf, check);

  // KPI parts that must add up.
  const quarterIds = [...new Set(book.narrative.map((fact) => fact.period))];
  for (const period of quarterIds) {
    const total = valueOf("kpi.loans_originated", period, null);
    const vPocket = valueOf("kpi.loans_originated_v_pocket", period, null);
    const other = valueOf("kpi.loans_originated_other_products", period, null);
    if (total && vPocket && other) {
      check("kpi_parts", vPocket.plus(other).eq(total), `Loans originated ${period}: V-pocket ${fmt(vPocket)} + other products ${fmt(other)} = ${fmt(vPocket.plus(other))}, stated total ${fmt(total)}.`, undefined, { period });
    }
    const perShare = valueOf("cap.dividend_per_share", period, "USD");
    const perAds = valueOf("cap.dividend_per_ads", period, "USD");
    if (perShare && perAds) {
      check("per_ads", perShare.times(2).eq(perAds), `Dividend ${period}: per ADS ${fmt(perAds)} = 2 × per share ${fmt(perShare)}.`, undefined, { period });
    }
  }
}

function checkStatedRatio(
  book: FactBook,
  stated: StatedFigure,
  valueOf: (item: string, period: string, currency: Currency | null) => Fact | undefined,
  check: Check,
): void {
  const resolve = (side: { item: string; period: string }): { value?: Decimal; precision: number; period: string } => {
    const item = book.item(side.item);
    const currency: Currency | null = item.unit === "amount" || item.unit === "per_share" ? "RMB" : null;
    const fact = valueOf(side.item, side.period, currency);
    return { value: fact ? new Decimal(fact.value) : undefined, precision: fact?.precision ?? 0, period: side.period };
  };
  const numerator = resolve(stated.numerator);
  const denominator = resolve(stated.denominator);
  const label = book.item(stated.numerator.item).label;
  if (!numerator.value || !denominator.value) {
    check("stated_ratio", false, `${label}: line ${stated.line} states ${stated.kind} of ${fmt(new Decimal(stated.value).times(100))}% but the figures it relates (${numerator.period}, ${denominator.period}) are not stated.`, undefined, { line: stated.line });
    return;
  }
  // The stated rate was computed from unrounded figures: it must fall within what the rounded inputs allow.
  const bounds = (side: { value?: Decimal; precision: number }): [Decimal, Decimal] => {
    const half = new Decimal(10).pow(-side.precision).div(2);
    return [(side.value as Decimal).minus(half), (side.value as Decimal).plus(half)];
  };
  const [numLow, numHigh] = bounds(numerator);
  const [denLow, denHigh] = bounds(denominator);
  const offset = stated.kind === "growth" ? 1 : 0;
  const low = numLow.div(denHigh).minus(offset);
  const high = numHigh.div(denLow).minus(offset);
  const statedHalf = new Decimal(10).pow(-stated.precision).div(2);
  const pass = low.lte(new Decimal(stated.value).plus(statedHalf)) && high.gte(new Decimal(stated.value).minus(statedHalf));
  const pct = (value: Decimal): string => fmt(value.times(100).toDecimalPlaces(3));
  check(
    "stated_ratio",
    pass,
    `${label}: line ${stated.line} states ${stated.kind === "growth" ? "growth" : "a share"} of ${pct(new Decimal(stated.value))}%; ${fmt(numerator.value as Decimal)} ${stated.kind === "growth" ? "vs" : "of"} ${fmt(denominator.value as Decimal)} (as rounded in the release) allow ${pct(low)}% to ${pct(high)}%.`,
    undefined,
    { line: stated.line, period: numerator.period, row: label },
  );
}
