/**
 * The algebra the figures obey, checked with fast-check over items × periods drawn from the committed dataset,
 * through the functions analysts call:
 * - a margin times its base gives the item back;
 * - the release's US$ figures are its RMB figures ÷ the stated rate, within the release's rounding;
 * - Q1 + Q2 = H1 for every additive item, in RMB and US$;
 * - scales are consistent (U = 1000 K = 10⁶ M = 10⁹ B for amounts; no scaling for anything else);
 * - YoY growth = METRIC(p) / METRIC(p − 1 year) − 1, or the release's stated rate where it states one; n.m. across a
 *   sign change or from zero.
 *
 * Tolerances: the core computes in decimal (checked exactly below where it is exact), but QFIN functions return JS
 * numbers at the Excel boundary, so comparisons between two function results allow a relative error of 1e-12 —
 * far below any printed digit, far above the 1e-16 of one binary rounding.
 */
import fc from "fast-check";
import { readFileSync } from "fs";
import { CellError } from "../../src/core/cell";
import { Decimal } from "../../src/core/decimal";
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { margin } from "../../src/core/figures";
import type { Currency, Dataset, Fact, ItemInfo } from "../../src/core/model";
import { parsePeriod, type ParsedPeriod } from "../../src/core/periods";
import { parsePeriodId, periodId, shiftPeriod } from "../../src/core/period-id";
import { invoke } from "../../src/functions/invoke";
import { DATASET_PATH } from "../support/release";

const RUNS = 300;
const SEED = 6;
const BOUNDARY_TOLERANCE = 1e-12;

let dataset: Dataset;
let index: DatasetIndex;

beforeAll(() => {
  dataset = loadDataset(JSON.parse(readFileSync(DATASET_PATH, "utf8")));
  index = buildIndex(dataset);
});

/** A number from a QFIN function, or a failure naming the error it returned instead. */
function numberFrom(result: unknown, what: string): number {
  if (typeof result !== "number") throw new Error(`${what} returned ${String(result)}`);
  return result;
}

const metric = (item: string, period: string, currency: Currency = "RMB", scale = "U"): number =>
  numberFrom(invoke(index, "METRIC", [item, period, currency, scale]), `METRIC(${item}, ${period}, ${currency}, ${scale})`);

/** |a − b| within the boundary tolerance, relative to the larger magnitude (absolute near zero). */
function expectClose(actual: number, expected: number, scale = Math.max(Math.abs(actual), Math.abs(expected), 1)): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(BOUNDARY_TOLERANCE * scale);
}

const item = (id: string): ItemInfo => index.itemsById.get(id) as ItemInfo;
const factsWhere = (keep: (fact: Fact) => boolean): Fact[] => [...index.facts.values()].filter(keep);

// ---- Margins ------------------------------------------------------------------------------------------------

describe("MARGIN(item, p, base) × METRIC(base, p) = METRIC(item, p)", () => {
  /**
   * (item, base, period) with RMB amounts for both, of one nature (two flows or two balances), base not zero, and no
   * margin the release states (those answer as printed: checked below at the printed precision).
   */
  const triples = (): [string, string, string][] => {
    const amounts = factsWhere((fact) => fact.currency === "RMB" && item(fact.item).unit === "amount");
    const byPeriod = new Map<string, Fact[]>();
    for (const fact of amounts) byPeriod.set(fact.period, [...(byPeriod.get(fact.period) ?? []), fact]);
    const result: [string, string, string][] = [];
    for (const [period, facts] of byPeriod) {
      const bases = facts.filter((fact) => !new Decimal(fact.value).isZero());
      for (const numerator of facts) {
        for (const base of bases) {
          if (item(numerator.item).nature !== item(base.item).nature) continue;
          if (index.stated("margin", numerator.item, period, base.item, period) || index.stated("share", numerator.item, period, base.item, period)) continue;
          result.push([numerator.item, base.item, period]);
        }
      }
    }
    return result;
  };

  it("holds at the Excel boundary for every item, base and period", () => {
    fc.assert(
      fc.property(fc.constantFrom(...triples()), ([itemId, baseId, period]) => {
        const ratio = numberFrom(invoke(index, "MARGIN", [itemId, period, baseId]), `MARGIN(${itemId}, ${period}, ${baseId})`);
        expectClose(ratio * metric(baseId, period), metric(itemId, period));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("holds in decimal in the core to 38 significant digits (the margin is computed to 40)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...triples()), ([itemId, baseId, period]) => {
        const ratio = margin(index, item(itemId), item(baseId), parsePeriod(period) as ParsedPeriod);
        if (ratio instanceof CellError) throw new Error(ratio.toString());
        const itemValue = new Decimal((index.fact(itemId, period, "RMB") as Fact).value);
        const baseValue = new Decimal((index.fact(baseId, period, "RMB") as Fact).value);
        const error = ratio.value.times(baseValue).minus(itemValue).abs();
        expect(error.lte(Decimal.max(itemValue.abs(), 1).times("1e-38"))).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("the default base is Total net revenue", () => {
    fc.assert(
      fc.property(fc.constantFrom(...triples().filter(([, base]) => base === "ops.total_net_revenue")), ([itemId, , period]) => {
        expect(invoke(index, "MARGIN", [itemId, period])).toBe(invoke(index, "MARGIN", [itemId, period, "Total net revenue"]));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("a margin the release states is answered as printed, and agrees with the figures at its printed precision", () => {
    const stated = (dataset.stated ?? []).filter((ratio) => ratio.kind === "margin");
    expect(stated.length).toBeGreaterThanOrEqual(16);
    for (const ratio of stated) {
      const answer = invoke(index, "MARGIN", [ratio.item, ratio.period, ratio.base.item]);
      expect([ratio.item, ratio.period, answer]).toEqual([ratio.item, ratio.period, Number(ratio.value)]);
      const computed = new Decimal((index.fact(ratio.item, ratio.period, "RMB") as Fact).value).div((index.fact(ratio.base.item, ratio.base.period, "RMB") as Fact).value);
      expect([ratio.item, ratio.period, computed.toDecimalPlaces(ratio.precision).toString()]).toEqual([ratio.item, ratio.period, new Decimal(ratio.value).toString()]);
    }
  });
});

// ---- US$ and RMB --------------------------------------------------------------------------------------------

describe("US$ figures agree with RMB ÷ the stated rate", () => {
  const rate = (): number => Number(dataset.releases[0]?.usdRate);

  /**
   * The USD lines the release sets so that its USD statements add up (see BALANCING_USD_LINES in src/ingest/checks.ts),
   * with the figures they balance: their rounding error is that of those figures together.
   */
  const BALANCED_BY: Record<string, string[]> = {
    "bs.total_qifu_technology_equity": ["bs.total_assets", "bs.total_liabilities", "bs.noncontrolling_interests"],
    "cf.effect_of_foreign_exchange_rate_changes": [
      "cf.cash_end_of_period",
      "cf.cash_beginning_of_period",
      "cf.net_cash_provided_by_operating_activities",
      "cf.net_cash_used_in_investing_activities",
      "cf.net_cash_provided_by_financing_activities",
    ],
  };

  /**
   * How many separately rounded USD lines a figure is the sum of. A line is converted and rounded on its own (one
   * line); a total is the sum of its rounded components (`components` in the dataset says which items are totals);
   * a balancing line carries the rounding of the figures it balances. Each rounded line is off by at most ½ thousand.
   */
  function roundedLines(id: string, seen: Set<string> = new Set()): number {
    if (seen.has(id)) return 1; // the cash flow's balancing line sits inside the totals it balances
    seen.add(id);
    const info = item(id);
    const parts = info.components.length > 0 ? info.components.map((component) => component.item) : (BALANCED_BY[id] ?? []);
    return parts.length === 0 ? 1 : parts.reduce((sum, part) => sum + roundedLines(part, new Set(seen)), 0);
  }

  /** The bound for one US$ fact, in thousands. */
  function boundInThousands(fact: Fact): number {
    if (fact.basis === "reported") return roundedLines(fact.item) * 0.5;
    // Derived US$ figures: a quarter is a half minus a quarter (two rounded figures); total cash is three lines.
    if (fact.item === "kpi.total_cash") return 3 * 0.5;
    return 2 * roundedLines(fact.item) * 0.5;
  }

  const usdAmounts = (): Fact[] => factsWhere((fact) => fact.currency === "USD" && item(fact.item).unit === "amount" && fact.basis !== "narrative");

  it("every US$ amount the release prints (or derives from printed ones) is within its rounding of RMB ÷ rate", () => {
    const facts = usdAmounts();
    expect(facts.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.constantFrom(...facts), (fact) => {
        const rmb = metric(fact.item, fact.period, "RMB", "K");
        const usd = metric(fact.item, fact.period, "USD", "K");
        expect(usd).toBe(new Decimal(fact.value).div(1000).toNumber()); // METRIC gives the release's own US$ figure
        expect(Math.abs(rmb / rate() - usd)).toBeLessThanOrEqual(boundInThousands(fact) + BOUNDARY_TOLERANCE * Math.abs(usd));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("lines (items that are not totals) are within ½ thousand", () => {
    const lines = usdAmounts().filter((fact) => fact.basis === "reported" && roundedLines(fact.item) === 1);
    expect(lines.length).toBeGreaterThan(50);
    for (const fact of lines) {
      expect(Math.abs(metric(fact.item, fact.period, "RMB", "K") / rate() - metric(fact.item, fact.period, "USD", "K"))).toBeLessThanOrEqual(0.5);
    }
  });

  it("where the release prints no US$ figure, METRIC converts the RMB figure at the stated rate, rounded to the RMB figure's printed precision", () => {
    const unprinted = factsWhere(
      (fact) => fact.currency === "RMB" && item(fact.item).unit === "amount" && index.fact(fact.item, fact.period, "USD") === undefined,
    );
    expect(unprinted.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.constantFrom(...unprinted), (fact) => {
        // Rounded as the release rounds its own US$ figures, to the digit the RMB figure is printed to (the thousand in
        // a thousands table, the million in a sentence "RMB124,225 million"), so within ½ of that digit.
        const halfDigit = 0.5 * 10 ** -fact.precision;
        expect(Math.abs(metric(fact.item, fact.period, "USD", "U") - metric(fact.item, fact.period, "RMB", "U") / rate())).toBeLessThanOrEqual(halfDigit * (1 + 1e-12));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// ---- Q1 + Q2 = H1 -------------------------------------------------------------------------------------------

describe("Q1 + Q2 = H1 for every additive item", () => {
  const years = [2022, 2023];
  const cases = (): [string, number, Currency][] =>
    dataset.items
      .filter((info) => info.additive)
      .flatMap((info) => years.flatMap((year) => (["RMB", "USD"] as const).map((currency): [string, number, Currency] => [info.id, year, currency])))
      .filter(([id, year]) => [`${year}Q1`, `${year}Q2`, `${year}H1`].every((period) => index.periodsOf(id).some((p) => p.id === period)));

  it("in RMB and US$, in units", () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.constantFrom(...all), ([id, year, currency]) => {
        const [q1, q2, h1] = [`${year}Q1`, `${year}Q2`, `${year}H1`].map((period) => metric(id, period, currency)) as [number, number, number];
        // Release figures in units are whole numbers (exact in binary). Converted US$ figures are each rounded to the
        // thousand, as the release rounds its own: three roundings of ½ thousand at most.
        if (currency === "RMB" || index.fact(id, `${year}H1`, "USD") !== undefined) expect(q1 + q2).toBe(h1);
        else expect(Math.abs(q1 + q2 - h1)).toBeLessThanOrEqual(1500);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// ---- Scales -------------------------------------------------------------------------------------------------

describe("scales are consistent", () => {
  const pairs = (): [string, string, Currency][] =>
    [...index.facts.values()].map((fact): [string, string, Currency] => [fact.item, fact.period, fact.currency ?? "RMB"]);

  it("U = 1000 × K = 10⁶ × M = 10⁹ × B for amounts; the same figure at every scale for anything else", () => {
    fc.assert(
      fc.property(fc.constantFrom(...pairs()), ([id, period, currency]) => {
        const [u, k, m, b] = ["U", "K", "M", "B"].map((scale) => metric(id, period, currency, scale)) as [number, number, number, number];
        if (item(id).unit === "amount") {
          expectClose(k, 1000 * m);
          expectClose(u, 1000 * k);
          expectClose(m, 1000 * b);
        } else {
          expect([k, m, b]).toEqual([u, u, u]);
        }
        expect(invoke(index, "METRIC", [id, period, currency])).toBe(m); // millions by default
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// ---- Growth -------------------------------------------------------------------------------------------------

describe("GROWTH YoY = METRIC(p) / METRIC(p − 1 year) − 1", () => {
  const cases = (): [string, string, string][] =>
    dataset.items.flatMap((info) =>
      index.periodsOf(info.id).flatMap((period): [string, string, string][] => {
        const shifted = shiftPeriod(parsePeriodId(period.id)!, -4);
        const yearBefore = shifted === null ? null : periodId(shifted);
        return yearBefore !== null && index.periodsOf(info.id).some((p) => p.id === yearBefore) ? [[info.id, period.id, yearBefore]] : [];
      }),
    );

  it("for every item and period that has the year-earlier figure", () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.constantFrom(...all), ([id, period, yearBefore]) => {
        const current = metric(id, period, "RMB", "M");
        const earlier = metric(id, yearBefore, "RMB", "M");
        const result = invoke(index, "GROWTH", [id, period]);
        if (item(id).unit === "ratio") {
          // A rate's growth would mislead; its change is QFIN.CHANGE.
          expect(result).toMatchObject({ type: "#VALUE!", message: expect.stringContaining("QFIN.CHANGE") });
          return;
        }
        if (earlier === 0 || (Math.sign(current) !== Math.sign(earlier) && current !== 0)) {
          expect(result).toMatchObject({ type: "#N/A", message: expect.stringMatching(/^n\.m\.: /) });
          return;
        }
        const rate = numberFrom(result, `GROWTH(${id}, ${period})`);
        const stated = index.stated("growth", id, period, id, yearBefore);
        if (stated) {
          // The release's own rate, which agrees with the figures at its printed precision.
          expect(rate).toBe(Number(stated.value));
          expect(Math.abs(current / earlier - 1 - rate)).toBeLessThanOrEqual(0.5 * 10 ** -stated.precision);
          return;
        }
        // Like with like: both negative (a cost printed in parentheses) grows when it gets larger.
        expectClose(rate, current / earlier - 1);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
