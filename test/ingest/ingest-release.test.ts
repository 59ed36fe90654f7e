/**
 * The shipped release ingests, every check passes, and the dataset holds every printed table figure exactly
 * (checked against an independent, deliberately simple reading of the release text in this test).
 */
import { readFileSync } from "fs";
import { Decimal } from "../../src/core/decimal";
import type { Fact } from "../../src/core/model";
import { datasetJson } from "../../src/ingest/files";
import { DATASET_PATH, releaseText, shippedDataset } from "../support/release";

const dataset = shippedDataset();
const itemById = new Map(dataset.items.map((item) => [item.id, item]));
/** Reported facts printed at a line, with the provenance of that printing (the first, or a copy). */
const factsAt = (line: number): { fact: Fact; printed?: string }[] =>
  dataset.facts.flatMap((fact) =>
    fact.basis !== "reported"
      ? []
      : [fact.source, ...(fact.copies ?? [])].filter((source) => source.line === line).map((source) => ({ fact, printed: source.printed })),
  );

describe("release metadata", () => {
  test("reads the quarter, the date from the dateline, the company and the USD rate", () => {
    expect(dataset.releases).toEqual([
      expect.objectContaining({
        id: "2023Q2",
        date: "2023-08-21",
        company: "Qifu Technology, Inc.",
        usdRate: "7.2513",
        usdRateDate: "2023-06-30",
        file: "data/releases/qfin-2023q2-earnings-release.txt",
      }),
    ]);
    expect(dataset.releases[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("tie-out", () => {
  test("every check passes, and every family of check ran", () => {
    expect(dataset.checks.filter((check) => check.status === "fail")).toEqual([]);
    const families = new Set(dataset.checks.map((check) => check.check));
    for (const family of [
      "subtotal",
      "usd_conversion",
      "usd_balancing",
      "per_ads",
      "per_share",
      "ads_count",
      "margin",
      "balance_sheet",
      "cash_flow_to_balance_sheet",
      "repeated_figure",
      "narrative",
      "derived_vs_narrative",
      "stated_ratio",
      "kpi_parts",
    ]) {
      expect(families).toContain(family);
    }
  });

  test("every prior-quarter figure the narrative states is checked against its derived Q1", () => {
    const priorQuarterStatements = releaseText().match(/million in the prior quarter/g) ?? [];
    const checked = dataset.checks.filter((check) => check.check === "derived_vs_narrative" && check.period === "2023Q1");
    expect(priorQuarterStatements.length).toBe(26);
    expect(checked).toHaveLength(priorQuarterStatements.length);
  });
});

describe("every table figure is in the dataset, exactly as printed", () => {
  // An independent reading: every tab-separated line after the first table caption, its numeric cells.
  const lines = releaseText().split("\n");
  const firstTable = lines.findIndex((line) => line.startsWith("Unaudited Condensed Consolidated Balance Sheets"));
  const printed: { line: number; cell: string }[] = [];
  lines.forEach((line, index) => {
    if (index < firstTable) return;
    for (const cell of line.split("\t").slice(1)) {
      if (/^\(?[\d,]+(\.\d+)?%?\)?$/.test(cell.trim()) && !/^\d{4}$/.test(cell.trim())) printed.push({ line: index + 1, cell: cell.trim() });
    }
  });

  test("the release prints 496 table figures", () => {
    expect(printed).toHaveLength(496);
  });

  test("each printed figure is a fact of that line with the printed value", () => {
    const missing: string[] = [];
    for (const { line, cell } of printed) {
      const facts = factsAt(line);
      const number = new Decimal(cell.replace(/[(),%]/g, "")).times(cell.startsWith("(") ? -1 : 1);
      const matches = facts.some(({ fact, printed }) => {
        const unit = itemById.get(fact.item)?.unit;
        const expected = unit === "amount" ? number.times(1000) : unit === "ratio" ? number.div(100) : number;
        return new Decimal(fact.value).eq(expected) && printed === cell;
      });
      if (!matches) missing.push(`line ${line}: ${cell}`);
    }
    expect(missing).toEqual([]);
  });
});

describe("items", () => {
  test("duplicate labels are different items with different parents", () => {
    const otherFees = dataset.items.filter((item) => item.label === "Other services fees");
    expect(otherFees.map((item) => [item.id, item.parent, item.path.join(" > ")])).toEqual([
      ["ops.credit_driven_services.other_services_fees", "ops.credit_driven_services", "Credit driven services > Other services fees"],
      ["ops.platform_services.other_services_fees", "ops.platform_services", "Platform services > Other services fees"],
    ]);
    const dueFrom = dataset.items.filter((item) => item.label === "Amounts due from related parties");
    expect(dueFrom.map((item) => item.path.join(" > "))).toEqual([
      "Current assets > Amounts due from related parties",
      "Non-current assets > Amounts due from related parties",
    ]);
    expect(dataset.items.filter((item) => item.label === "Diluted")).toHaveLength(3);
  });

  test("a figure repeated across tables is one item, its copies checked", () => {
    expect(dataset.items.filter((item) => item.label === "Net income")).toHaveLength(1);
    const copies = dataset.checks.filter((check) => check.check === "repeated_figure" && check.row === "Net income");
    // Comprehensive income and the reconciliation each repeat 2022, 2023 RMB and 2023 USD for Q2 and H1.
    expect(copies).toHaveLength(12);
  });

  test("sections and parents follow the statements", () => {
    expect(itemById.get("bs.cash_and_cash_equivalents")).toMatchObject({ section: "Current assets", parent: "bs.total_current_assets", nature: "instant" });
    expect(itemById.get("ops.loan_facilitation_and_servicing_fees_capital_heavy")).toMatchObject({ parent: "ops.credit_driven_services", nature: "duration", additive: true });
    expect(itemById.get("ops.total_net_revenue")?.components).toEqual([
      { item: "ops.credit_driven_services", sign: 1 },
      { item: "ops.platform_services", sign: 1 },
    ]);
    expect(itemById.get("ops.net_income_per_share_basic")).toMatchObject({ unit: "per_share", additive: false });
  });

  test("footnotes define the KPIs they mark", () => {
    expect(itemById.get("kpi.delinquency_rate_90_day")?.definition).toMatch(/^"90 day\+ delinquency rate" refers to the outstanding principal balance/);
    expect(itemById.get("kpi.collection_rate_30_day")?.definition).toMatch(/^"30 day collection rate" is defined as/);
    expect(itemById.get("ops.financing_income")?.definition).toMatch(/^"Financing income" is generated from loans/);
    // Footnote 5 runs over two paragraphs.
    expect(itemById.get("kpi.loan_volume_ice")?.definition).toMatch(/"ICE" is an open platform.*Under other technology solutions/);
    expect(itemById.get("ng.non_gaap_operating_margin")?.definition).toBe(
      "Non-GAAP operating margin is equal to Non-GAAP income from operation divided by total net revenue.",
    );
  });
});

describe("derived and narrative facts", () => {
  const fact = (item: string, period: string, currency: string | null, basis: Fact["basis"]) =>
    dataset.facts.find((f) => f.item === item && f.period === period && f.currency === currency && f.basis === basis);

  test("Q1 = H1 − Q2, marked derived, with its formula", () => {
    expect(fact("ops.net_income", "2023Q1", "RMB", "derived")).toMatchObject({
      value: "929822000",
      precision: -3,
      source: { formula: "H1 2023 − Q2 2023 = 2,023,199 − 1,093,377 = 929,822 (RMB thousands)" },
    });
    expect(fact("ops.net_income", "2023Q1", "USD", "derived")?.value).toBe("128228000");
    expect(fact("ops.net_income", "2022Q1", "RMB", "derived")?.value).toBe("1174357000");
    // RMB-2.2 million in the prior quarter.
    expect(fact("ops.provision_for_accounts_receivable_and_contract_assets", "2023Q1", "RMB", "derived")?.value).toBe("-2236000");
  });

  test("per-share figures and share counts are not derived for Q1", () => {
    expect(dataset.facts.some((f) => f.period === "2023Q1" && f.item.startsWith("ops.net_income_per"))).toBe(false);
    expect(dataset.facts.some((f) => f.period === "2023Q1" && f.item.startsWith("ops.weighted_average"))).toBe(false);
  });

  test("Q1 cash balances carry over instead of subtracting", () => {
    expect(fact("cf.cash_beginning_of_period", "2023Q1", "RMB", "derived")?.value).toBe("10512363000");
    expect(fact("cf.cash_end_of_period", "2023Q1", "RMB", "derived")?.value).toBe("8745344000");
  });

  test("narrative facts quote their sentence", () => {
    const partners = fact("kpi.financial_institutional_partners", "2023-06-30", null, "narrative");
    expect(partners).toMatchObject({ value: "153", precision: 0 });
    expect(partners?.source.sentence).toContain("our platform has connected 153 financial institutional partners");
    expect(fact("kpi.delinquency_rate_90_day", "2023-06-30", null, "narrative")).toMatchObject({ value: "0.0184", precision: 4 });
    expect(fact("kpi.total_loan_volume", "2023Q2", "RMB", "narrative")).toMatchObject({ value: "124225000000", precision: -6 });
  });
});

describe("the committed dataset", () => {
  test("data/dataset.json is exactly what ingesting the shipped release produces (regenerate with npm run dataset)", () => {
    expect(readFileSync(DATASET_PATH, "utf8")).toBe(datasetJson(dataset));
  });
});
