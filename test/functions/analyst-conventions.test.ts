/**
 * The conventions of the trade, through the functions analysts call, on the shipped release: stated figures win, like
 * is compared with like, "n.m." where growth would mislead, changes of rates as differences, the currency an item is
 * reported in, the period forms models use (LTM, fiscal-year quarters, month ends, quarter-end dates), one precision per
 * spill, and statements that read as printed.
 */
import { CellError, ErrorType } from "../../src/core/cell";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import type { Dataset, Fact } from "../../src/core/model";
import { invoke } from "../../src/functions/invoke";
import { shippedDataset, shippedIndex } from "../support/release";

const index = shippedIndex();
const call = (id: string, ...args: unknown[]): unknown => invoke(index, id, args as never);
const errorOf = (result: unknown, type: ErrorType): string => {
  expect(result).toBeInstanceOf(CellError);
  expect((result as CellError).type).toBe(type);
  return (result as CellError).message;
};

describe("stated figures win over recomputed ones", () => {
  it("margins the release prints are returned as printed", () => {
    expect(call("MARGIN", "Net income", "Q2 2023")).toBe(0.279); // recomputed: 0.27932…
    expect(call("MARGIN", "Income from operations", "H1 2022")).toBe(0.279);
    expect(call("MARGIN", "Non-GAAP net income", "Q2 2023")).toBe(0.293);
    expect(String(call("SOURCE", "Net income", "Q2 2023", null, null, "margin"))).toMatch(/^stated by the 2023Q2 release as 27\.9% \(Unaudited Reconciliations of GAAP and Non-GAAP Results, row "GAAP net income margin"/);
  });

  it("a margin the release does not state is computed, and SOURCE says how", () => {
    expect(call("MARGIN", "Sales and marketing", "Q2 2023")).toBeCloseTo(436486 / 3914324, 15);
    expect(String(call("SOURCE", "S&M", "Q2 2023", null, null, "margin"))).toMatch(/^computed: /);
  });

  it("growth and shares stated in the business highlights, with the sentence", () => {
    expect(call("GROWTH", "Cumulative users with approved credit lines", "2023-06-30")).toBe(0.149); // printed counts give 0.1477
    expect(call("GROWTH", "Loan volume", "Q2 2023")).toBe(0.264);
    expect(call("MARGIN", "Loan volume under capital-light model, ICE and other technology solutions", "Q2 2023", "Loan volume")).toBe(0.578);
    expect(String(call("SOURCE", "Loan volume", "Q2 2023", null, null, "growth"))).toContain("an increase of 26.4% from RMB98,281 million");
  });
});

describe("signs: like with like, and n.m. where growth would mislead", () => {
  it("a cost printed negative in both periods grows when it gets larger: income taxes −180.3 → −272.9 is +51%", () => {
    expect(call("GROWTH", "Income taxes expense", "Q2 2023")).toBeCloseTo(272934 / 180303 - 1, 15);
    expect(String(call("SOURCE", "Tax expense", "Q2 2023", null, null, "growth"))).toContain("both are negative (printed in parentheses), so growth compares their sizes: the amount grew by 51.38%");
  });

  it("a sign change is n.m., saying why and what to use instead", () => {
    expect(errorOf(call("GROWTH", "Foreign exchange (loss) gain", "Q2 2023", "QoQ"), ErrorType.NA)).toBe(
      'n.m.: growth of "Foreign exchange (loss) gain" from Q1 2023 to Q2 2023 is not meaningful because the figure changes sign (6,149 to -2,319). QFIN.CHANGE gives the difference.',
    );
    expect(call("CHANGE", "Foreign exchange (loss) gain", "Q2 2023", "QoQ")).toBe(-8.468);
  });

  it("the growth of a ratio is refused, pointing at QFIN.CHANGE; the change of a rate is a fraction (0.046 = 460 bps)", () => {
    expect(errorOf(call("GROWTH", "Net income margin", "Q2 2023"), ErrorType.VALUE)).toContain('QFIN.CHANGE("GAAP net income margin", period)');
    expect(call("CHANGE", "Net income margin", "Q2 2023")).toBe(0.046);
    expect(String(call("SOURCE", "Net income margin", "Q2 2023", null, null, "change"))).toBe("computed: Q2 2023 − Q2 2022 = 27.9% − 23.3% = 460 bps");
  });

  it("CHANGE of an amount is in the asked scale and currency", () => {
    expect(call("CHANGE", "Net income", "Q2 2023")).toBe(118.421);
    expect(call("CHANGE", "Net income", "Q2 2023", "YoY", "RMB", "K")).toBe(118421);
    expect(errorOf(call("CHANGE", "90+ DPD", "Q2 2023"), ErrorType.NA)).toMatch(/^YoY change of "90 day\+ delinquency rate" for Jun 30, 2023 needs Jun 30, 2022/);
  });

  it("a balance over a flow is no margin", () => {
    expect(errorOf(call("MARGIN", "Total assets", "Q2 2023"), ErrorType.VALUE)).toBe(
      '"TOTAL ASSETS" is a balance at a date and "Total net revenue" a flow over a period: the one divided by the other is not a margin. Divide two flows or two balances.',
    );
    expect(call("MARGIN", "Cash", "Q2 2023", "Total assets")).toBeCloseTo(5256375 / 43402113, 15);
  });
});

describe("currency", () => {
  it("an item the release reports only in US$ answers in US$ when no currency is given; RMB converts and says so", () => {
    expect(call("METRIC", "Dividend per ADS", "H1 2023")).toBe(0.5);
    expect(call("METRIC", "DPS", "H1 2023", "RMB")).toBe(3.63); // 0.50 × 7.2513 = 3.62565, to the cent as printed
    const source = String(call("SOURCE", "DPS", "H1 2023", "RMB"));
    expect(source).toContain("converted to RMB at RMB7.2513 = US$1.00");
    expect(source).toContain("the release prints no RMB figure for H1 2023");
    expect(source).toContain("DPS means the dividend per ADS");
  });

  it("converted US$ amounts come rounded to the thousand, so a spill never mixes precisions", () => {
    // 2022 is converted (Q2: 4,183,199 ÷ 7.2513 = 576,889.5… thousand); the 2023 figures are printed.
    expect(call("SERIES", "Total net revenue", "quarters", "USD")).toEqual([[595.762, 576.89, 496.349, 539.809]]);
    const spilled = (call("SERIES", "Total net revenue", "quarters", "USD", "K") as number[][])[0]!;
    expect(spilled.every((value) => Number.isInteger(value))).toBe(true);
  });
});

describe("periods as models head their columns", () => {
  it.each([
    ["Q2 FY23", 1093.377],
    ["FY23 Q2", 1093.377],
    ["2Q23", 1093.377],
    ["second quarter of 2023", 1093.377],
    ["3M 2023", 929.822],
    ["first half 2023", 2023.199],
    ["H1 FY23", 2023.199],
    ["6M 2023", 2023.199],
    ["June 2023", 1093.377],
    ["30/06/2023", 1093.377],
    [45107, 1093.377],
  ])("Net income for %s", (period, value) => {
    expect(call("METRIC", "Net income", period)).toBe(value);
  });

  it("a quarter-end date for a flow is the quarter ending that day, and SOURCE says so", () => {
    expect(String(call("SOURCE", "Net income", "2023-06-30"))).toContain("the quarter ending Jun 30, 2023");
  });

  it.each([["June 2023"], ["Jun-23"], ["2023-06"], ["30/06/2023"], ["06/30/2023"], ["30 Jun 2023"]])("a balance for %s is the month end", (period) => {
    expect(call("METRIC", "Cash", period)).toBe(5256.375);
  });

  it("a day and month that could be either way round is refused with both readings", () => {
    expect(errorOf(call("METRIC", "Cash", "03/04/2023"), ErrorType.VALUE)).toBe(
      '"03/04/2023" could be 2023-04-03 (day first) or 2023-03-04 (month first). Type the one you mean as "2023-04-03" or "2023-03-04".',
    );
  });

  it("LTM names the quarters the data lacks rather than summing fewer", () => {
    expect(errorOf(call("METRIC", "Net income", "LTM"), ErrorType.NA)).toMatch(/^LTM Q2 2023 of "Net income" needs Q3 2022 and Q4 2022, which the data does not report/);
    expect(errorOf(call("METRIC", "Cash", "TTM"), ErrorType.VALUE)).toContain("has no LTM sum");
  });

  it("LTM is the sum of the last four quarters where the data has them", () => {
    // The shipped dataset plus the two quarters it lacks, so the four quarters to Q2 2023 are all there.
    const dataset = structuredClone(shippedDataset()) as Dataset;
    const q2 = dataset.facts.find((fact) => fact.item === "ops.net_income" && fact.period === "2022Q2" && fact.currency === "RMB") as Fact;
    dataset.periods.push(
      { id: "2022Q3", type: "quarter", start: "2022-07-01", end: "2022-09-30", label: "Q3 2022" },
      { id: "2022Q4", type: "quarter", start: "2022-10-01", end: "2022-12-31", label: "Q4 2022" },
    );
    dataset.facts.push({ ...q2, period: "2022Q3", value: "1000000000" }, { ...q2, period: "2022Q4", value: "1100000000" });
    const full = buildIndex(loadDataset(JSON.parse(JSON.stringify(dataset))));
    // 1,000,000 + 1,100,000 + 929,822 + 1,093,377 thousand
    expect(invoke(full, "METRIC", ["Net income", "LTM Q2 2023"])).toBe(4123.199);
    expect(invoke(full, "METRIC", ["Net income", "2Q23 LTM", "RMB", "K"])).toBe(4123199);
    expect(String(invoke(full, "SOURCE", ["Net income", "LTM"]))).toMatch(/^LTM Q2 2023: the sum of four quarters, Q3 2022 \(.*\) \+ Q4 2022 \(.*\) \+ Q1 2023 \(derived: H1 2023 − Q2 2023 .*\) \+ Q2 2023 \(/);
  });
});

describe("spills that read as printed", () => {
  it("the non-GAAP statement starts from the GAAP figure it reconciles", () => {
    const rows = call("STATEMENT", "Non-GAAP", "Q2 2023") as unknown[][];
    expect(rows.slice(0, 4)).toEqual([
      ["Reconciliation of Non-GAAP Net Income to Net Income", ""],
      ["Net income", 1093.377],
      ["Add: Share-based compensation expenses", 53.247],
      ["Non-GAAP net income", 1146.624],
    ]);
    expect(rows).toContainEqual(["Income from operations", 1181.5]);
    const second = rows.findIndex((row) => row[0] === "Reconciliation of Non-GAAP Income from operations to Income from operations");
    expect(rows[second + 1]).toEqual(["Income from operations", 1181.5]);
  });

  it("Basic and Diluted never stand alone, the two Other services fees are told apart, and every label works in METRIC", () => {
    const rows = call("STATEMENT", "Operations", "Q2 2023") as unknown[][];
    const labels = rows.map((row) => row[0] as string);
    expect(labels).not.toContain("Basic");
    expect(labels).not.toContain("Diluted");
    expect(labels.filter((label) => /Other services fees/.test(label))).toEqual(["Other services fees (credit-driven)", "Other services fees (platform)"]);
    expect(rows).toContainEqual(["Diluted EPS (ADS)", 6.64]);
    for (const [label, value] of rows) if (value !== "") expect([label, call("METRIC", label, "Q2 2023")]).toEqual([label, value]);
  });

  it("SERIES' default is one frequency: quarters, not quarters and halves mixed", () => {
    expect(call("SERIES", "Net income", "", null, null, true)).toEqual([
      ["Q1 2022", "Q2 2022", "Q1 2023", "Q2 2023"],
      [1174.357, 974.956, 929.822, 1093.377],
    ]);
  });
});
