/**
 * A workbook an analyst would build, evaluated by HyperFormula (an independent spreadsheet engine, GPL-3.0, tests
 * only) with the QFIN functions registered, asserted against the release; then the same formulas through the
 * shipped engine (fast-formula-parser), which must give identical results.
 */
import type { RawCellContent } from "hyperformula";
import { CellError, ErrorType, FunctionResult } from "../../src/core/cell";
import { FormulaEngine, evaluateFormula } from "../../src/engine";
import { QfinWorkbook, createQfinWorkbook } from "../support/hyperformula-qfin";
import { shippedIndex } from "../support/release";

const EPS_PATH = "Net income per ADS attributable to ordinary shareholders of Qifu Technology, Inc. > Diluted";

/** Labels and period headers, as typed in the model. */
const CONSTANTS: Record<string, RawCellContent> = {
  A1: "RMB millions",
  B1: "Q2 2022",
  C1: "Q1 2023",
  D1: "Q2 2023",
  E1: "H1 2023",
  A2: "Total net revenue",
  A3: "Income from operations",
  A4: "Net income",
  A5: EPS_PATH,
  A6: "90 day+ delinquency rate",
  A7: "Cash and cash equivalents",
  G1: "USD",
  G2: "QoQ",
};

/** Formulas that read only the constants above: both engines can evaluate each on its own. */
const FORMULAS: Record<string, string> = {
  // Point values across the header row, with mixed references as an analyst fills them right and down.
  B2: "=QFIN.METRIC($A2,B$1)",
  C2: "=QFIN.METRIC($A2,C$1)",
  D2: "=QFIN.METRIC($A2,D$1)",
  E2: "=QFIN.METRIC($A2,E$1)",
  B3: "=QFIN.METRIC($A3,B$1)",
  D3: "=QFIN.METRIC($A3,D$1)",
  B4: "=QFIN.METRIC($A4,B$1)",
  C4: "=QFIN.METRIC($A4,C$1)",
  D4: "=QFIN.METRIC($A4,D$1)",
  E4: "=QFIN.METRIC($A4,E$1)",
  D5: "=QFIN.METRIC($A5,D$1)",
  H5: "=QFIN.METRIC($A5,D$1,$G$1)",
  D6: '=QFIN.METRIC($A6,"Jun 30, 2023")',
  D7: "=QFIN.METRIC($A7,D$1)",
  H4: "=QFIN.METRIC($A4,D$1,$G$1)",
  // Margins and growth, raw and as the release rounds them.
  D9: "=QFIN.MARGIN(A4,D1)",
  D10: "=ROUND(QFIN.MARGIN(A3,D1)*100,1)",
  D11: "=QFIN.GROWTH(A2,D1)",
  D12: "=ROUND(QFIN.GROWTH(A2,D1,G2)*100,1)",
  D13: "=QFIN.METRIC(A4,D1)/QFIN.METRIC(A2,D1)",
  D14: '=QFIN.METRIC(A4,D1)/QFIN.METRIC(A4,"Q2 2022")-1',
  D15: '=ROUND(QFIN.METRIC("Revenue","Q2 2023",,"B"),2)',
  D16: "=SUM(QFIN.METRIC(A4,C1),QFIN.METRIC(A4,D1))-QFIN.METRIC(A4,E1)",
  D17: '=IF(QFIN.METRIC(A6,"2023-06-30")<0.02,"below 2%","2% or more")',
  // Spills: a series with its header row, and items × periods from ranges of labels and headers.
  A19: '=QFIN.SERIES("Net income","quarters",,,TRUE)',
  A22: "=QFIN.METRIC(A2:A4,C1:D1)",
  // A row of bad inputs: each is an error with a message that says what was wrong.
  A26: '=QFIN.METRIC("Revenu","Q2 2023")',
  B26: '=QFIN.METRIC("Net income","Q5 2023")',
  C26: '=QFIN.METRIC("Other services fees","Q2 2023")',
  D26: '=QFIN.METRIC("Net income","Q2 2023","EUR")',
  E26: "=QFIN.VERSION(1)",
  F26: '=IFERROR(QFIN.METRIC("Revenu","Q2 2023"),"n/a")',
  G26: '=QFIN.MARGIN(QFIN.METRIC("Revenu","Q2 2023"),"Q2 2023")',
};

/** Formulas on formula cells, as models chain them (HyperFormula only: the shipped engine's cells hold constants). */
const CHAINED: Record<string, string> = {
  F2: "=D2/B2-1",
  F4: "=ROUND(D4/D2,3)",
  F5: "=ROUND(H4/H5,2)",
};

let workbook: QfinWorkbook;

const index = shippedIndex();
beforeAll(() => {
  workbook = createQfinWorkbook(index, { ...CONSTANTS, ...FORMULAS, ...CHAINED });
});

function errorAt(address: string): CellError {
  const value = workbook.value(address);
  if (!(value instanceof CellError)) throw new Error(`${address} holds ${JSON.stringify(value)}, not an error`);
  return value;
}

describe("bad inputs show errors with messages (HyperFormula)", () => {
  it("an unknown item: #N/A, did you mean", () => {
    expect(errorAt("A26")).toEqual(new CellError(ErrorType.NA, 'Unknown line item "Revenu"; did you mean "Total net revenue"?'));
  });

  it("a period that does not exist: an error naming the period", () => {
    expect([ErrorType.VALUE, ErrorType.NA]).toContain(errorAt("B26").type);
    expect(errorAt("B26").message).toMatch(/Q5 2023/);
  });

  it("an ambiguous label: an error listing the candidates, never a guess", () => {
    const error = errorAt("C26");
    expect([ErrorType.VALUE, ErrorType.NA]).toContain(error.type);
    expect(error.message).toMatch(/Credit driven services/);
    expect(error.message).toMatch(/Platform services/);
  });

  it("an unknown currency: #VALUE! saying what works", () => {
    expect(errorAt("D26").type).toBe(ErrorType.VALUE);
    expect(errorAt("D26").message).toMatch(/USD/);
  });

  it("too many arguments: #VALUE! with the signature", () => {
    expect(errorAt("E26")).toEqual(new CellError(ErrorType.VALUE, "QFIN.VERSION takes no arguments, got 1: QFIN.VERSION()."));
  });

  it("IFERROR catches a QFIN error; a nested error passes through with its message", () => {
    expect(workbook.value("F26")).toBe("n/a");
    expect(errorAt("G26")).toEqual(errorAt("A26"));
  });
});

describe("values match the release (HyperFormula)", () => {
  it("point values in RMB millions, as the tables print them in thousands", () => {
    expect(workbook.value("B2")).toBe(4183.199);
    expect(workbook.value("D2")).toBe(3914.324);
    expect(workbook.value("E2")).toBe(7513.498);
    expect(workbook.value("D3")).toBe(1181.5);
    expect(workbook.value("B4")).toBe(974.956);
    expect(workbook.value("D4")).toBe(1093.377);
    expect(workbook.value("E4")).toBe(2023.199);
    expect(workbook.value("D7")).toBe(5256.375);
  });

  it("Q1 2023 is derived as H1 − Q2 and agrees with the narrative's prior quarter", () => {
    expect(workbook.value("C2")).toBe(3599.174);
    expect(workbook.value("C4")).toBe(929.822);
    expect(Math.round((workbook.value("C4") as number) * 10) / 10).toBe(929.8);
  });

  it("per-ADS figures unscaled, USD as the release prints it, ratios as fractions", () => {
    expect(workbook.value("D5")).toBe(6.64);
    expect(workbook.value("H5")).toBe(0.92);
    expect(workbook.value("H4")).toBe(150.782);
    expect(workbook.value("D6")).toBe(0.0184);
  });

  it("margins and growth at full precision and at the release's rounding", () => {
    // The release states the net income margin (27.9%); the stated figure is the answer. D13 recomputes it.
    expect(workbook.value("D9")).toBe(0.279);
    expect(workbook.value("D10")).toBe(30.2);
    expect(workbook.value("D11")).toBeCloseTo(3914.324 / 4183.199 - 1, 14);
    expect(workbook.value("D12")).toBe(8.8);
    expect(workbook.value("D13")).toBeCloseTo(1093.377 / 3914.324, 14);
    expect(workbook.value("D14")).toBeCloseTo(1093.377 / 974.956 - 1, 14);
    expect(workbook.value("D15")).toBe(3.91);
    expect(workbook.value("D16")).toBeCloseTo(0, 9);
    expect(workbook.value("D17")).toBe("below 2%");
  });

  it("spills: a series under its header row, and an items × periods table", () => {
    expect(workbook.value("A19")).toEqual([
      ["Q1 2022", "Q2 2022", "Q1 2023", "Q2 2023"],
      [1174.357, 974.956, 929.822, 1093.377],
    ]);
    expect(workbook.value("A22")).toEqual([
      [3599.174, 3914.324],
      [1007.03, 1181.5],
      [929.822, 1093.377],
    ]);
  });

  it("formulas chained on QFIN cells compute as in Excel", () => {
    expect(workbook.value("F2")).toBe(3914.324 / 4183.199 - 1);
    expect(workbook.value("F4")).toBe(0.279);
    expect(workbook.value("F5")).toBe(163.89);
  });
});

describe("the shipped engine (fast-formula-parser) gives identical results", () => {
  const engine = () => new FormulaEngine({ index, cells: CONSTANTS as Record<string, string> });

  it.each(Object.entries(FORMULAS))("%s %s", (address, formula) => {
    const expected: FunctionResult = workbook.value(address);
    expect(engine().evaluate(formula)).toEqual(expected);
  });

  it("evaluateFormula agrees on formulas without references", () => {
    const literal = Object.entries(FORMULAS).filter(([, formula]) => !/\$?\b[A-H]\$?\d+\b/.test(formula));
    expect(literal.length).toBeGreaterThanOrEqual(8);
    for (const [address, formula] of literal) expect([formula, evaluateFormula(index, formula)]).toEqual([formula, workbook.value(address)]);
  });
});
