import { ErrorType } from "../../src/core/cell";
import { invoke } from "../../src/functions/invoke";
import { miniIndex, miniDatasetJson } from "../fixtures/mini-dataset";
import { expectError } from "./helpers";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";

const index = miniIndex();

describe("QFIN.ITEMS", () => {
  it("#N/A when nothing matches, suggesting what to try", () => {
    expect(expectError(invoke(index, "ITEMS", ["goodwill"]), ErrorType.NA).message).toBe(
      'No line item or KPI matches "goodwill". Try fewer or shorter words, or QFIN.ITEMS() for the full list.',
    );
  });

  it("refuses an unknown statement filter", () => {
    expect(expectError(invoke(index, "ITEMS", ["income", "Goodwill"]), ErrorType.VALUE).message).toContain('Unknown statement "Goodwill"');
  });

  it("finds by label, alias, id and definition, best first", () => {
    expect(invoke(index, "ITEMS", ["delinquency"])).toEqual([["kpi.90_day_delinquency_rate", "90 day+ delinquency rate", "KPI", ""]]);
    const revenue = invoke(index, "ITEMS", ["revenue"]) as string[][];
    expect(revenue[0][0]).toBe("ops.total_net_revenue");
    expect((invoke(index, "ITEMS", ["net income"]) as string[][])[0][0]).toBe("ops.net_income");
    expect((invoke(index, "ITEMS", ["charged-off"]) as string[][])[0][0]).toBe("kpi.90_day_delinquency_rate");
  });

  it("shows where duplicate labels sit", () => {
    expect(invoke(index, "ITEMS", ["other services fees"])).toEqual([
      ["ops.credit_driven_services.other_services_fees", "Other services fees", "Operations", "Credit driven services"],
      ["ops.platform_services.other_services_fees", "Other services fees", "Operations", "Platform services"],
    ]);
  });

  it("lists everything, or one statement, in the release's order", () => {
    const all = invoke(index, "ITEMS", []) as string[][];
    expect(all).toHaveLength(30);
    expect(all[0][0]).toBe("bs.current_assets");
    const balanceSheet = invoke(index, "ITEMS", [null, "Balance sheet"]) as string[][];
    expect(balanceSheet.map((row) => row[0])).toEqual([
      "bs.current_assets",
      "bs.current_assets.cash_and_cash_equivalents",
      "bs.current_assets.amounts_due_from_related_parties",
      "bs.non_current_assets",
      "bs.non_current_assets.amounts_due_from_related_parties",
      "bs.total_assets",
    ]);
    expect(balanceSheet[4][3]).toBe("Non-current assets");
  });
});

describe("QFIN.PERIODS", () => {
  it("propagates an unknown item", () => {
    expect(expectError(invoke(index, "PERIODS", ["Revenu"]), ErrorType.NA).message).toContain("Unknown line item");
  });

  it("every period of the data, oldest first", () => {
    expect(invoke(index, "PERIODS", [])).toEqual([
      ["2022Q2", "Q2 2022", "quarter"],
      ["2022H1", "H1 2022", "half"],
      ["2022-06-30", "Jun 30, 2022", "instant"],
      ["2022-12-31", "Dec 31, 2022", "instant"],
      ["2023Q1", "Q1 2023", "quarter"],
      ["2023Q2", "Q2 2023", "quarter"],
      ["2023H1", "H1 2023", "half"],
      ["2023-06-30", "Jun 30, 2023", "instant"],
    ]);
  });

  it("the periods one item has", () => {
    expect(invoke(index, "PERIODS", ["Cumulative registered users"])).toEqual([
      ["2022-06-30", "Jun 30, 2022", "instant"],
      ["2023-06-30", "Jun 30, 2023", "instant"],
    ]);
  });
});

describe("QFIN.SOURCE", () => {
  it("errors as METRIC does", () => {
    expect(expectError(invoke(index, "SOURCE", ["Net income", "Q3 2023"]), ErrorType.NA).message).toContain("not reported for Q3 2023");
  });

  it("a table figure: release, table, row, column, line", () => {
    expect(invoke(index, "SOURCE", ["Net income", "Q2 2023"])).toBe(
      '2023Q2 release, Unaudited Condensed Consolidated Statements of Operations, row "Net income", column "Three months ended June 30, 2023 RMB", line 292',
    );
  });

  it("a derived figure: its formula", () => {
    expect(invoke(index, "SOURCE", ["Net income", "Q1 2023"])).toMatch(/^derived: H1 2023 − Q2 2023 = 2,023,199 − 1,093,377 = 929,822/);
  });

  it("a narrative figure: the sentence", () => {
    expect(invoke(index, "SOURCE", ["90 day+ delinquency rate", "latest"])).toBe(
      '2023Q2 release, narrative, line 21: "90 day+ delinquency rate of loans originated by financial institutions across our platform was 1.84% as of June 30, 2023."',
    );
  });

  it("a converted figure says so, with the rate", () => {
    expect(invoke(index, "SOURCE", ["Net income", "Q2 2022", "USD"])).toContain("; converted to US$ at RMB7.2513 = US$1.00");
    expect(invoke(index, "SOURCE", ["Net income", "Q2 2023", "USD"])).not.toContain("converted");
  });

  it("maps over a range", () => {
    const result = invoke(index, "SOURCE", [[["Net income"], ["Revenue"]], "Q2 2023"]) as string[][];
    expect(result).toHaveLength(2);
    expect(result[1][0]).toContain('row "Total net revenue"');
  });
});

describe("QFIN.DEFINITION", () => {
  it("errors on an ambiguous item", () => {
    expect(expectError(invoke(index, "DEFINITION", ["Basic"]), ErrorType.VALUE).message).toContain("is ambiguous");
  });

  it("the footnote with where the item sits", () => {
    expect(invoke(index, "DEFINITION", ["90 day+ delinquency rate"])).toMatch(
      /^"90 day\+ delinquency rate" refers to the outstanding principal balance .* calculation\. \(footnote \*8; Business highlights\)$/,
    );
  });

  it("says when the release defines none", () => {
    expect(invoke(index, "DEFINITION", ["Current assets > Amounts due from related parties"])).toBe(
      'The release does not define "Amounts due from related parties"; it is a line in Unaudited Condensed Consolidated Balance Sheets, Current assets.',
    );
  });
});

describe("QFIN.CHECK and QFIN.VERSION", () => {
  it("CHECK with no recorded checks is #N/A (a dataset activated without the loader, which would refuse it)", () => {
    expect(() => loadDataset({ ...miniDatasetJson(), checks: [] })).toThrow("a dataset carries the tie-out checks its ingest ran");
    const json = miniDatasetJson();
    json.checks = [];
    const index = buildIndex(json);
    expect(expectError(invoke(index, "CHECK", []), ErrorType.NA).message).toBe("The loaded data records no tie-out checks.");
  });

  it("CHECK spills check, status and message", () => {
    const rows = invoke(index, "CHECK", []) as string[][];
    expect(rows[0]).toEqual([
      "subtotal",
      "pass",
      "Total net revenue Q2 2023 RMB: Credit driven services 2,788,707 + Platform services 1,125,617 = 3,914,324, as printed.",
    ]);
    expect(rows.every((row) => row.length === 3)).toBe(true);
  });

  it("VERSION names the release", () => {
    expect(invoke(index, "VERSION", [])).toBe("QFIN data: release 2023Q2 (2023-08-21), schema 1, 30 items, 137 figures");
  });

  it("VERSION names the data version when the dataset was activated with one (a refresh from the host)", () => {
    const index = buildIndex(loadDataset(miniDatasetJson()), "873c6afec2fc");
    expect(invoke(index, "VERSION", [])).toBe("QFIN data: release 2023Q2 (2023-08-21), schema 1, 30 items, 137 figures, data 873c6afec2fc");
  });

  it("VERSION takes no arguments", () => {
    expect(expectError(invoke(index, "VERSION", ["x"]), ErrorType.VALUE).message).toBe("QFIN.VERSION takes no arguments, got 1: QFIN.VERSION().");
  });
});
