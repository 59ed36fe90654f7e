/**
 * Every figure the release prints, asked for the way an analyst types it in a cell and evaluated by the shipped
 * formula engine: each table figure exactly, each narrative figure (values, prior quarters, USD, margins,
 * per-ADS, KPIs) at the precision the narrative prints, each stated growth rate and share at its precision.
 * The expected values come from the release text (the dataset's provenance says where each is printed).
 */
import { CellError } from "../../src/core/cell";
import { Decimal } from "../../src/core/decimal";
import type { Fact, PeriodInfo } from "../../src/core/model";
import { typeableName } from "../../src/core/resolve-item";
import { evaluateFormula } from "../../src/engine";
import { releaseText, shippedIndex } from "../support/release";

const index = shippedIndex();
const dataset = index.dataset;
const items = new Map(dataset.items.map((item) => [item.id, item]));
const periods = new Map(dataset.periods.map((period) => [period.id, period]));
const lines = releaseText().split("\n");

/** The period as an analyst types it: "Q2 2023", "H1 2023", "Jun 30, 2023", "FY 2023". */
const typed = (period: PeriodInfo): string => (period.type === "instant" ? period.label : period.label);
const q = (text: string): string => `"${text.replace(/"/g, '""')}"`;
const SCALE_EXPONENT: Record<string, number> = { U: 0, K: 3, M: 6, B: 9 };

function metric(fact: Fact, scale: "U" | "K" | "M" | "B"): number {
  const item = items.get(fact.item)!;
  const formula = `=QFIN.METRIC(${q(typeableName(index, item))},${q(typed(periods.get(fact.period)!))},${q(fact.currency ?? "RMB")},${q(scale)})`;
  const result = evaluateFormula(index, formula);
  if (typeof result !== "number") throw new Error(`${formula} gave ${result instanceof CellError ? result.toString() : JSON.stringify(result)}`);
  return result;
}

/** The base-unit value METRIC returns, undoing the display scale for amounts. */
const baseValue = (fact: Fact, scale: "U" | "K" | "M" | "B"): Decimal =>
  items.get(fact.item)!.unit === "amount" ? new Decimal(metric(fact, scale)).times(new Decimal(10).pow(SCALE_EXPONENT[scale]!)) : new Decimal(metric(fact, scale));

const reported = dataset.facts.filter((fact) => fact.basis === "reported");
const narrative = dataset.facts.filter((fact) => fact.basis === "narrative");

describe("every table figure, exactly", () => {
  test("there are facts to check", () => expect(reported.length).toBeGreaterThan(400));

  test.each(reported.map((fact) => [typeableName(index, items.get(fact.item)!), fact.period, fact.currency ?? "", fact] as const))(
    "%s %s %s",
    (_name, _period, _currency, fact) => {
      // The printed cell is on the fact's line, in thousands for amounts.
      const printedCell = fact.source.printed!;
      expect(lines[fact.source.line - 1]).toContain(printedCell);
      const number = new Decimal(printedCell.replace(/[(),%]/g, "")).times(printedCell.startsWith("(") ? -1 : 1);
      const unit = items.get(fact.item)!.unit;
      if (unit === "amount") expect(metric(fact, "K")).toBe(number.toNumber());
      else if (unit === "ratio") expect(metric(fact, "M")).toBe(number.div(100).toNumber());
      else expect(metric(fact, "M")).toBe(number.toNumber()); // per share and share counts: never scaled
    },
  );
});

describe("every narrative figure, at the precision the narrative prints", () => {
  test.each(narrative.map((fact) => [typeableName(index, items.get(fact.item)!), fact.period, fact.currency ?? "", fact.source.printed ?? "", fact] as const))(
    "%s %s %s: %s",
    (_name, _period, _currency, _printed, fact) => {
      // The sentence is quoted with the conversion's markup (^{*8}, **bold**, \$) removed.
      const paragraph = lines.slice(fact.source.line - 1, fact.source.line + 2).join(" ").replace(/\^\{\*\d+\}|\*\*|\\/g, "");
      expect(paragraph).toContain(fact.source.sentence!.slice(0, 40));
      const value = baseValue(fact, "U");
      const rounded = value.toDecimalPlaces(Math.max(fact.precision, 0), Decimal.ROUND_HALF_UP);
      const atPrecision = fact.precision >= 0 ? rounded : value.div(new Decimal(10).pow(-fact.precision)).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(new Decimal(10).pow(-fact.precision));
      expect(atPrecision.toFixed()).toBe(new Decimal(fact.value).toFixed());
    },
  );
});

describe("margins and growth, as the release states them", () => {
  const margins = reported.filter((fact) => items.get(fact.item)!.unit === "ratio");
  test.each(margins.map((fact) => [fact.item, fact.period, fact] as const))("%s %s", (_item, _period, fact) => {
    const numeratorOf: Record<string, string> = {
      "ng.gaap_net_income_margin": "Net income",
      "ng.non_gaap_net_income_margin": "Non-GAAP net income",
      "ng.gaap_operating_margin": "Income from operations",
      "ng.non_gaap_operating_margin": "Non-GAAP Income from operations",
    };
    const result = evaluateFormula(index, `=ROUND(QFIN.MARGIN(${q(numeratorOf[fact.item]!)},${q(typed(periods.get(fact.period)!))}),${fact.precision})`);
    expect(result).toBe(new Decimal(fact.value).toNumber());
  });

  // Growth the release states, and what QFIN.GROWTH gives at the same precision.
  test.each([
    ["Total facilitation and origination loan volume", "Q2 2023", 0.264],
    ["Loan volume under capital-light model, ICE and other technology solutions", "Q2 2023", 0.312],
    ["Total outstanding loan balance", "Jun 30, 2023", 0.226],
    ["Outstanding loan balance under capital-light model, ICE and other technology solutions", "Jun 30, 2023", 0.391],
    ["Cumulative registered users", "Jun 30, 2023", 0.115],
    ["Cumulative borrowers with successful drawdown", "Jun 30, 2023", 0.113],
  ])("GROWTH(%s, %s) = %d as stated", (item, period, stated) => {
    expect(evaluateFormula(index, `=ROUND(QFIN.GROWTH(${q(item)},${q(period)}),3)`)).toBe(stated);
  });

  test("a growth rate the release computed from unrounded counts is the answer, not one recomputed from the printed counts", () => {
    // The release states 14.9% from 41.3m to 47.4m users; the printed figures give 14.77%. The stated figure wins,
    // exactly as printed (no ROUND needed), and SOURCE quotes the sentence.
    expect(evaluateFormula(index, '=QFIN.GROWTH("Cumulative users with approved credit lines","Jun 30, 2023")')).toBe(0.149);
    expect(String(evaluateFormula(index, '=QFIN.SOURCE("Cumulative users with approved credit lines","Jun 30, 2023",,,"growth")'))).toMatch(
      /^stated by the 2023Q2 release as 14\.9% \(line 14: "Cumulative users with approved credit lines.*an increase of 14\.9% from 41\.3 million/,
    );
  });

  test("the capital-light share of loan volume", () => {
    expect(evaluateFormula(index, '=ROUND(QFIN.METRIC("Loan volume under capital-light model, ICE and other technology solutions","Q2 2023")/QFIN.METRIC("Loan volume","Q2 2023"),3)')).toBe(0.578);
  });
});
