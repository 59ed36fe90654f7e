/**
 * Ingest reads any quarter's release of this family, not only Q2: the period headings decide the periods
 * ("Three months ended …", "Nine months ended …", "Year ended …"), the title decides the quarter the narrative's
 * relative phrases refer to. Each release here is the Q2 text relabelled (its figures tie out as they are).
 */
import { fourthQuarterRelease, ingestText, nextQuarterRelease } from "../support/release";

describe("releases of other quarters", () => {
  test("a third-quarter release: three and nine months", () => {
    const dataset = ingestText(nextQuarterRelease());
    expect(dataset.releases[0]).toMatchObject({ id: "2023Q3", date: "2023-11-20" });
    expect(dataset.periods.filter((period) => period.type !== "instant").map((period) => period.id)).toEqual(
      expect.arrayContaining(["2022Q3", "2022M9", "2023Q3", "2023M9"]),
    );
    expect(dataset.facts.some((fact) => fact.period === "2023M9" && fact.item === "ops.net_income" && fact.basis === "reported")).toBe(true);
  });

  test("a relabelled release whose cash flow no longer meets its balance sheet is refused", () => {
    expect(() => ingestText(fourthQuarterRelease({ consistent: false }))).toThrow(
      /\[cash_flow_to_balance_sheet\] End cash of 2022Q4 RMB in the cash flow statement \(10730226000\) = balance sheet cash and cash equivalents \+ restricted cash at 2022-12-31/,
    );
  });

  test("a fourth-quarter release: three months and the year", () => {
    const dataset = ingestText(fourthQuarterRelease({ consistent: true }));
    expect(dataset.releases[0]).toMatchObject({ id: "2023Q4", date: "2024-03-12" });
    const ids = dataset.periods.map((period) => period.id);
    expect(ids).toEqual(expect.arrayContaining(["2022Q4", "2022FY", "2023Q4", "2023FY", "2022-12-31", "2023-12-31"]));
    const netIncome = dataset.facts.find((fact) => fact.item === "ops.net_income" && fact.period === "2023FY" && fact.currency === "RMB" && fact.basis === "reported");
    expect(netIncome?.source.column).toBe("Year ended December 31, 2023 (RMB)");
    // A year minus its last quarter is nine months, not a quarter: nothing is derived from this release alone.
    expect(dataset.facts.filter((fact) => fact.basis === "derived" && fact.item === "ops.net_income")).toEqual([]);
    expect(dataset.checks.every((check) => check.status === "pass")).toBe(true);
  });
});
