/**
 * XLOOKUP, XMATCH, FILTER, SORT, UNIQUE (and ROWS/COLUMNS of arrays) in the shipped engine (issue 15 §14): the
 * shapes they spill, Excel's rules HyperFormula's comparison in excel-fidelity.test.ts cannot see (it pads dynamic
 * results to their input's size), and a saved workbook using them refreshed by recalc.
 */
import { CellError, ErrorType } from "../../src/core/cell";
import { FormulaEngine } from "../../src/engine";
import { evaluateWorkbook } from "../../src/engine/workbook-evaluator";
import { recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { shippedIndex } from "../support/release";
import { minimalXlsx, worksheet } from "../support/xlsx-package";
import { CORPUS_CELLS } from "./excel-corpus";

const index = shippedIndex();
const engine = new FormulaEngine({ index, cells: CORPUS_CELLS });
const code = (value: unknown): string | undefined => (value instanceof CellError ? value.type : undefined);

describe("the shapes Excel spills", () => {
  it.each([
    ["=FILTER(D1:D3,D1:D3>50)", [[100], [60]]],
    ["=FILTER(C1:D3,D1:D3>50)", [["Revenue", 100], ["Cost", 60]]],
    ["=FILTER(F1:G2,{TRUE,FALSE})", [["Q1"], [1]]],
    ["=SORT(C1:D3,2)", [["Profit", 40], ["Cost", 60], ["Revenue", 100]]],
    ["=SORT(D1:D3,1,-1)", [[100], [60], [40]]],
    ['=SORT({"b";1;TRUE;"A"})', [[1], ["A"], ["b"], [true]]],
    ["=SORT({3,1,2},1,1,TRUE)", [[1, 2, 3]]],
    ["=UNIQUE({1;1;2})", [[1], [2]]],
    ['=UNIQUE({"a";"A";"b"})', [["a"], ["b"]]],
    ["=UNIQUE({1,1,2},TRUE)", [[1, 2]]],
    ['=XLOOKUP("Cost",C1:C3,C1:D3)', [["Cost", 60]]],
    ['=XLOOKUP("Q2",F1:G1,F1:G2)', [["Q2"], [2]]],
  ])("%s → %j", (formula, expected) => {
    expect(engine.evaluate(formula)).toEqual(expected);
  });
});

describe("Excel's rules", () => {
  it("an error in a row FILTER drops is gone; one in a kept row stays, with its message", () => {
    expect(engine.evaluate("=FILTER(B1:B3,{1;0;1})")).toEqual([[1], [3]]);
    expect(engine.evaluate("=FILTER(B1:B3,{0;1;0})")).toEqual([[new CellError(ErrorType.NA, "Not reported for Q3 2022.")]]);
  });

  it("errors in the value looked up or in include are the result", () => {
    expect(engine.evaluate("=XLOOKUP(B2,C1:C3,D1:D3)")).toEqual(new CellError(ErrorType.NA, "Not reported for Q3 2022."));
    expect(code(engine.evaluate("=FILTER(D1:D3,B1:B3)"))).toBe(ErrorType.NA);
  });

  it("no match is #N/A that says what was looked for, unless if_not_found is given", () => {
    expect(engine.evaluate('=XLOOKUP("X",C1:C3,D1:D3)')).toEqual(new CellError(ErrorType.NA, 'XLOOKUP found no match for "X".'));
    expect(engine.evaluate('=XLOOKUP("X",C1:C3,D1:D3,0)')).toBe(0);
    expect(engine.evaluate('=IFNA(XMATCH("X",C1:C3),"none")')).toBe("none");
  });

  it("wildcards only in match_mode 2; ~ escapes one", () => {
    expect(code(engine.evaluate('=XLOOKUP("C*",C1:C3,D1:D3)'))).toBe(ErrorType.NA);
    expect(engine.evaluate('=XLOOKUP("?ost",C1:C3,D1:D3,,2)')).toBe(60);
    expect(engine.evaluate('=XMATCH("a~*",{"ab";"a*"},2)')).toBe(2);
  });

  it("search from the end, and binary search over sorted data", () => {
    expect(engine.evaluate("=XLOOKUP(2,{1;2;2;3},{10;20;21;30},,0,-1)")).toBe(21);
    expect(engine.evaluate("=XLOOKUP(25,{10;20;30},{1;2;3},,-1,2)")).toBe(2);
    expect(engine.evaluate("=XLOOKUP(25,{30;20;10},{1;2;3},,1,-2)")).toBe(1);
  });

  it("misuse is #VALUE! with the reason", () => {
    expect(engine.evaluate("=XLOOKUP(1,C1:D3,D1:D3)")).toEqual(new CellError(ErrorType.VALUE, "XLOOKUP's lookup_array must be one row or one column (it is 3×2)."));
    expect(engine.evaluate('=XLOOKUP("Cost",C1:C3,D1:D3,,5)')).toEqual(new CellError(ErrorType.VALUE, "XLOOKUP's match_mode must be 0, -1, 1 or 2 (got 5)."));
    expect(engine.evaluate("=SORT(C1:D3,3)")).toEqual(new CellError(ErrorType.VALUE, "SORT's sort_index must be between 1 and 2 (got 3)."));
  });

  it("FILTER that keeps nothing: if_empty, or #VALUE! saying so (Excel shows #CALC!, which this engine has no code for)", () => {
    expect(engine.evaluate('=FILTER(D1:D3,D1:D3>500,"none")')).toBe("none");
    expect(engine.evaluate("=FILTER(D1:D3,D1:D3>500)")).toEqual(new CellError(ErrorType.VALUE, "FILTER kept nothing (Excel shows #CALC!); give its third argument, if_empty, for this case."));
  });

  it("ROWS and COLUMNS count arrays, not only references (fast-formula-parser said #VALUE!)", () => {
    expect(engine.evaluate("=ROWS({1;2;3})")).toBe(3);
    expect(engine.evaluate("=COLUMNS(FILTER(C1:D3,D1:D3>50))")).toBe(2);
    expect(engine.evaluate('=COLUMNS(QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"}))')).toBe(2);
  });
});

describe("with the QFIN functions", () => {
  it("XLOOKUP over a QFIN series, FILTER and SORT of one", () => {
    expect(engine.evaluate('=XLOOKUP("Q2 2023",{"Q1 2023","Q2 2023"},QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"}))')).toBe(1093.377);
    expect(engine.evaluate('=FILTER(QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"}),QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"})>1000)')).toEqual([[1093.377]]);
    expect(engine.evaluate('=SORT(QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"}),1,-1,TRUE)')).toEqual([[1093.377, 929.822]]);
  });

  it("a workbook saved by Excel (_xlfn.XLOOKUP, _xlfn._xlws.FILTER) that reads QFIN cells is refreshed, no longer left as it was", async () => {
    const cells = evaluateWorkbook(
      [
        { sheet: "S", address: "A1", value: "Q1 2023" },
        { sheet: "S", address: "A2", value: "Q2 2023" },
        { sheet: "S", address: "B1", formula: '=QFIN.METRIC("Net income",A1)', value: 0 },
        { sheet: "S", address: "B2", formula: '=QFIN.METRIC("Net income",A2)', value: 0 },
        { sheet: "S", address: "C1", formula: '=_xlfn.XLOOKUP("Q2 2023",A1:A2,B1:B2)', value: 0 },
        { sheet: "S", address: "D1", formula: "=SUM(_xlfn._xlws.FILTER(B1:B2,B1:B2>1000))", value: 0 },
      ],
      { index },
    ).cells;
    expect(cells.get("S!C1")).toEqual({ kind: "value", value: 1093.377 });
    expect(cells.get("S!D1")).toEqual({ kind: "value", value: 1093.377 });

    const input = minimalXlsx([
      {
        name: "S",
        xml: worksheet(
          '<row r="1"><c r="A1"><f>QFIN.METRIC("Net income","Q1 2023")</f><v>0</v></c><c r="B1"><f t="array" ref="B1:B2">_xlfn._xlws.SORT(A1:A2,1,-1)</f><v>0</v></c></row>' +
            '<row r="2"><c r="A2"><f>QFIN.METRIC("Net income","Q2 2023")</f><v>0</v></c><c r="B2"><v>0</v></c></row>',
        ),
      },
    ]);
    const { report } = await recalculateXlsx(input, index);
    expect(Object.fromEntries(report.changes.map((change) => [change.cell, change.after]))).toEqual({ "S!A1": 929.822, "S!A2": 1093.377, "S!B1": 1093.377, "S!B2": 929.822 });
    expect(report.skipped).toEqual([]);
  });
});
