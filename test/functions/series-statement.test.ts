import { CellError, ErrorType } from "../../src/core/cell";
import { invoke } from "../../src/functions/invoke";
import { miniIndex } from "../fixtures/mini-dataset";
import { expectError } from "./helpers";

const index = miniIndex();

describe("QFIN.SERIES errors", () => {
  it("a word that is neither a period nor a set", () => {
    expect(expectError(invoke(index, "SERIES", ["Net income", "monthly"]), ErrorType.VALUE).message).toContain('"monthly" is neither a period nor a set');
  });

  it("a bad period inside a range", () => {
    expect(expectError(invoke(index, "SERIES", ["Net income", [["Q2 2023", "Q9 2023"]]]), ErrorType.VALUE).message).toContain('"Q9 2023" is not a period');
  });

  it("a set the item has nothing in", () => {
    expect(expectError(invoke(index, "SERIES", ["Net income", "instants"]), ErrorType.NA).message).toContain('"Net income" is not reported for instants');
  });

  it("a header flag that is not a boolean", () => {
    expect(expectError(invoke(index, "SERIES", ["Net income", "quarters", null, null, "maybe"]), ErrorType.VALUE).message).toBe(
      'header must be TRUE or FALSE, not "maybe".',
    );
  });
});

describe("QFIN.SERIES", () => {
  it("by default one frequency: the quarters for an item that has quarters, oldest first, in one row", () => {
    expect(invoke(index, "SERIES", ["Net income"])).toEqual([[974.956, 929.822, 1093.377]]);
    expect(invoke(index, "SERIES", ["Net income", "all"])).toEqual([[974.956, 2149.313, 929.822, 1093.377, 2023.199]]);
    // A balance's quarter ends.
    expect(invoke(index, "SERIES", ["Cash and cash equivalents", "", null, null, true])).toEqual([
      ["Dec 31, 2022", "Jun 30, 2023"],
      [7165.584, 5256.375],
    ]);
  });

  it("quarters with a header row of labels", () => {
    expect(invoke(index, "SERIES", ["Net income", "quarters", null, null, true])).toEqual([
      ["Q2 2022", "Q1 2023", "Q2 2023"],
      [974.956, 929.822, 1093.377],
    ]);
  });

  it("a range of periods: blanks skipped, a period asked for by name but not reported is #N/A in its cell", () => {
    const result = invoke(index, "SERIES", ["Revenue", [["2Q22", null, "Q1 2023"], ["Q2 2023", "Q3 2023", ""]], "USD", "K", 1]) as unknown[][];
    expect(result[0]).toEqual(["Q2 2022", "Q1 2023", "Q2 2023", "Q3 2023"]);
    // Q2 2022 converted (4,183,199 ÷ 7.2513 = 576,889.52…) and rounded to the thousand as the release's own are.
    expect(result[1]?.slice(0, 3)).toEqual([576890, 496349, 539809]);
    expect(expectError(result[1]?.[3] as CellError, ErrorType.NA).message).toMatch(/^"Total net revenue" is not reported for Q3 2023/);
  });

  it("the last four quarters roll with the data, and a quarter the data lacks is #N/A, not a blank a SUM would skip", () => {
    const result = invoke(index, "SERIES", ["Net income", "last 4 quarters", null, null, true]) as unknown[][];
    expect(result[0]).toEqual(["Q3 2022", "Q4 2022", "Q1 2023", "Q2 2023"]);
    expect(result[1]?.slice(2)).toEqual([929.822, 1093.377]);
    expect(expectError(result[1]?.[0] as CellError, ErrorType.NA).message).toMatch(/not reported for Q3 2022/);
    expect(invoke(index, "SERIES", ["Net income", "LTM"])).toEqual(invoke(index, "SERIES", ["Net income", "last4"]));
  });

  it("balance-sheet items over their dates", () => {
    expect(invoke(index, "SERIES", ["TOTAL ASSETS", "halves", null, "B", true])).toEqual([
      ["Dec 31, 2022", "Jun 30, 2023"],
      [40.34317, 43.402113],
    ]);
  });
});

describe("QFIN.STATEMENT errors", () => {
  it("an unknown statement lists the ones there are", () => {
    expect(expectError(invoke(index, "STATEMENT", ["Cash", "Q2 2023"]), ErrorType.VALUE).message).toBe(
      'Unknown statement "Cash". Use one of "Balance sheet", "Operations", "Non-GAAP" or "KPI".',
    );
  });

  it("a period the statement does not have", () => {
    expect(expectError(invoke(index, "STATEMENT", ["Balance sheet", "Q1 2023"]), ErrorType.NA).message).toBe(
      "The balance sheet has no figures for Mar 31, 2023. It has: Dec 31, 2022, Jun 30, 2023.",
    );
  });

  it("a missing period", () => {
    expect(expectError(invoke(index, "STATEMENT", ["Operations"]), ErrorType.VALUE).message).toMatch(/^Give a period/);
  });
});

describe("QFIN.STATEMENT", () => {
  it("rows of label and value in the release's order, section rows blank, a repeated label qualified by its section", () => {
    // Each label is one QFIN.METRIC accepts, so a spilled row can be looked up again.
    const rows = invoke(index, "STATEMENT", ["Balance sheet", "Q2 2023"]) as unknown[][];
    expect(rows).toEqual([
      ["Current assets", ""],
      ["Cash and cash equivalents", 5256.375],
      ["Current assets > Amounts due from related parties", 187.938],
      ["Non-current assets", ""],
      ["Non-current assets > Amounts due from related parties", 12.407],
      ["TOTAL ASSETS", 43402.113],
    ]);
    for (const [label, value] of rows) if (value !== "") expect(invoke(index, "METRIC", [label as string, "Q2 2023"])).toBe(value);
  });

  it("a header row naming the statement and the column", () => {
    expect((invoke(index, "STATEMENT", ["Balance sheet", "Q2 2023", null, null, true]) as unknown[][])[0]).toEqual([
      "Unaudited Condensed Consolidated Balance Sheets",
      "Jun 30, 2023 (RMB millions unless stated)",
    ]);
  });

  it("the income statement under any of its names; headings only above rows with figures", () => {
    const q2 = invoke(index, "STATEMENT", ["Income statement", "Q2 2023", "USD", "K"]) as unknown[][];
    expect(q2[0]).toEqual(["Credit driven services", 384580]);
    // Basic and Diluted never stand alone: each names the figure it qualifies.
    expect(q2).toContainEqual(["Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Diluted", 0.92]);
    expect(q2.map((row) => row[0])).not.toContain("Diluted");
    const q1 = invoke(index, "STATEMENT", ["P&L", "Q1 2023"]) as unknown[][];
    expect(q1.map((row) => String(row[0])).filter((label) => label.includes("per ADS"))).toEqual([]);
    expect(q1).toContainEqual(["Total net revenue", 3599.174]);
    expect(q1.every((row) => row.every((cell) => cell !== null && cell !== undefined))).toBe(true);
  });

  it("KPIs: each item at its own kind of period", () => {
    expect(invoke(index, "STATEMENT", ["KPI", "Q2 2023"])).toEqual([
      ["90 day+ delinquency rate", 0.0184],
      ["Cumulative registered users", 220600000],
      ["Financial institutional partners", 153],
      ["Total facilitation and origination loan volume", 124225],
      ["Weighted average contractual tenor", 11],
    ]);
  });
});
