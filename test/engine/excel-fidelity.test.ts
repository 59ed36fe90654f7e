/**
 * The shipped formula engine against an independent one: every everyday analyst formula of the corpus
 * (excel-corpus.ts) evaluated by the shipped engine must give HyperFormula's result — the same value, or the same
 * error type — wherever both engines have the function, and Excel's own result where Excel differs from HyperFormula
 * (each such formula says why). Then the defects that started this, by name.
 *
 * HyperFormula (GPL-3.0) runs here in tests only, configured as Excel 365 computes: array arithmetic on
 * (`SUM(B1:B3*1)` spills inside the formula), no rounding of results.
 */
import FormulaParser from "fast-formula-parser";
import { HyperFormula, type RawCellContent } from "hyperformula";
import { CellError, ErrorType, FunctionResult, isCellError } from "../../src/core/cell";
import { FormulaEngine, evaluateFormula } from "../../src/engine";
import { parseA1 } from "../../src/excel/a1";
import { QFIN_HYPERFORMULA_CONFIG, QfinWorkbook, registerQfinFunctions } from "../support/hyperformula-qfin";
import { shippedIndex } from "../support/release";
import { CORPUS, CORPUS_CELLS, CorpusFormula } from "./excel-corpus";

const index = shippedIndex();
beforeAll(() => {
  registerQfinFunctions(index);
});

/** A comparable form of a result: numbers to 12 significant digits, errors by type (messages differ by engine). */
type Outcome = number | string | boolean | { error: string } | Outcome[][];

function outcome(result: FunctionResult): Outcome {
  if (Array.isArray(result)) return result.map((row) => row.map((cell) => outcome(cell) as Outcome));
  if (isCellError(result)) return { error: result.type };
  if (typeof result === "number") return Number(result.toPrecision(12));
  return result;
}

const FORMULA_CELL = "Z20";

/** The corpus sheet in HyperFormula: error constants as the formulas that make them, text that looks numeric as text. */
function hyperFormulaResult(formula: string): FunctionResult {
  const rows: RawCellContent[][] = Array.from({ length: 20 }, () => Array<RawCellContent>(26).fill(null));
  const put = (address: string, content: RawCellContent): void => {
    const position = parseA1(address);
    if (!position) throw new RangeError(address);
    rows[position.row - 1][position.col - 1] = content;
  };
  for (const [address, content] of Object.entries(CORPUS_CELLS)) {
    if (isCellError(content)) put(address, content.type === ErrorType.NA ? "=NA()" : "=1/0");
    else if (typeof content === "string" && content.trim() !== "" && !Number.isNaN(Number(content))) put(address, `'${content}`);
    else put(address, content);
  }
  put(FORMULA_CELL, formula);
  const engine = HyperFormula.buildFromArray(rows, { ...QFIN_HYPERFORMULA_CONFIG, useArrayArithmetic: true }, [
    { name: "TRUE", expression: "=TRUE()" },
    { name: "FALSE", expression: "=FALSE()" },
  ]);
  try {
    return new QfinWorkbook(engine).value(FORMULA_CELL);
  } finally {
    engine.destroy();
  }
}

const shipped = new FormulaEngine({ index, cells: CORPUS_CELLS });
const unsupported = (result: FunctionResult): boolean => isCellError(result) && result.type === ErrorType.NAME;

const ALL: readonly (CorpusFormula & { group: string })[] = Object.entries(CORPUS).flatMap(([group, list]) => list.map((entry) => ({ ...entry, group })));

describe.each(Object.keys(CORPUS))("%s: the shipped engine computes what HyperFormula (or Excel) computes", (group) => {
  it.each(ALL.filter((entry) => entry.group === group).map((entry) => [entry.formula, entry] as const))("%s", (_formula, entry) => {
    const ours = shipped.evaluate(entry.formula);
    if (entry.excel) {
      const expected = Object.values(ErrorType).includes(entry.excel.result as ErrorType) ? { error: entry.excel.result as string } : entry.excel.result;
      expect(outcome(ours)).toEqual(expected);
      // The annotation must be needed: HyperFormula really says something else here.
      expect(outcome(hyperFormulaResult(entry.formula))).not.toEqual(expected);
      return;
    }
    const reference = hyperFormulaResult(entry.formula);
    if (unsupported(reference) || unsupported(ours)) return; // listed and checked below
    expect(outcome(ours)).toEqual(outcome(reference));
  });
});

describe("what only one engine has", () => {
  it("is exactly this list, so a function that disappears from either engine is noticed", () => {
    const onlyOne = ALL.filter((entry) => !entry.excel)
      .map((entry) => ({ formula: entry.formula, ours: unsupported(shipped.evaluate(entry.formula)), reference: unsupported(hyperFormulaResult(entry.formula)) }))
      .filter((entry) => entry.ours !== entry.reference);
    expect(onlyOne).toEqual([
      // HyperFormula 3.5 lacks RANK.EQ, CONCAT and ERROR.TYPE; the values below are Excel's.
      { formula: "=RANK.EQ(60,D1:D3)", ours: false, reference: true },
      { formula: '=CONCAT("a",1,TRUE)', ours: false, reference: true },
      { formula: "=CONCAT(C1:C3)", ours: false, reference: true },
      { formula: "=CONCAT(B1:B3)", ours: false, reference: true },
      { formula: "=ERROR.TYPE(B2)", ours: false, reference: true },
    ]);
    expect(shipped.evaluate("=RANK.EQ(60,D1:D3)")).toBe(2);
    expect(shipped.evaluate("=CONCAT(C1:C3)")).toBe("RevenueCostProfit");
    expect(outcome(shipped.evaluate("=CONCAT(B1:B3)"))).toEqual({ error: ErrorType.NA });
    expect(shipped.evaluate("=ERROR.TYPE(B2)")).toBe(7);
  });

  it("leaves well over a hundred formulas compared against the reference", () => {
    expect(ALL.length).toBeGreaterThan(170);
  });
});

describe("the defects that started this", () => {
  const raw = new FormulaParser();
  const rawResult = (formula: string): unknown => {
    try {
      return raw.parse(formula, { sheet: "Sheet1", row: 1, col: 1 }, true);
    } catch (error) {
      return error;
    }
  };
  const errorCode = (value: unknown): string | undefined => (value instanceof FormulaParser.FormulaError ? value.error : undefined);

  it("1. SUM({1,#N/A}) is #N/A, not 1 — nor AVERAGE, PRODUCT, SUMPRODUCT, or arithmetic on such arrays", () => {
    expect(rawResult("SUM({1,#N/A})")).toBe(1); // fast-formula-parser 1.0.19 on its own
    for (const formula of ["=SUM({1,#N/A})", "=AVERAGE({1,#N/A})", "=PRODUCT({2,#N/A})", "=SUMPRODUCT({1,#N/A},{1,1})", "=SUM({1,#N/A}*2)", "=MAX({1,#N/A})"]) {
      expect([formula, outcome(evaluateFormula(index, formula))]).toEqual([formula, { error: ErrorType.NA }]);
    }
  });

  it("1b. arithmetic on arrays is element by element, not the first element only", () => {
    expect(rawResult("SUM({1,2}*2)")).toBe(2); // fast-formula-parser on its own
    expect(evaluateFormula(index, "=SUM({1,2}*2)")).toBe(6);
    expect(shipped.evaluate('=SUM((C1:C3="Cost")*D1:D3)')).toBe(60);
    expect(evaluateFormula(index, "={1,2}+{10;20}")).toEqual([
      [11, 12],
      [21, 22],
    ]);
    expect(outcome(evaluateFormula(index, "={1,2,3}+{10,20}"))).toEqual([[11, 22, { error: ErrorType.NA }]]);
  });

  it("2. MAX, MIN and other everyday functions exist", () => {
    expect(errorCode((rawResult("MAX(1,2)") as { details?: unknown }).details)).toBe(ErrorType.NAME);
    expect(evaluateFormula(index, "=MAX(1,2)")).toBe(2);
    expect(evaluateFormula(index, "=MIN(3,-1)")).toBe(-1);
    expect(shipped.evaluate("=COUNTA(A1:A6)")).toBe(5);
    expect(shipped.evaluate('=IFNA(MATCH("X",C1:C3,0),"none")')).toBe("none");
    expect(shipped.evaluate('=TEXTJOIN("; ",TRUE,C1:C3)')).toBe("Revenue; Cost; Profit");
  });

  it("=SUM(QFIN.SERIES(\"Net income\",\"LTM\")) is #N/A, with QFIN's message naming the quarter not reported", () => {
    const series = evaluateFormula(index, '=QFIN.SERIES("Net income","LTM")') as CellError[][];
    expect(series[0].filter(isCellError).length).toBeGreaterThan(0); // the premise: quarters the release does not report
    const sum = evaluateFormula(index, '=SUM(QFIN.SERIES("Net income","LTM"))');
    expect(sum).toBeInstanceOf(CellError);
    expect((sum as CellError).type).toBe(ErrorType.NA);
    expect((sum as CellError).message).toMatch(/"Net income" is not reported for Q3 2022/);
    expect(((evaluateFormula(index, '=AVERAGE(QFIN.SERIES("Net income","LTM"))') as CellError).message)).toMatch(/not reported for Q3 2022/);
    // …while the quarters that are reported still sum.
    expect(evaluateFormula(index, '=SUM(QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"}))')).toBeCloseTo(929.822 + 1093.377, 9);
  });

  it("an error cell in a range keeps its message through SUM and MAX", () => {
    for (const formula of ["=SUM(B1:B3)", "=MAX(B1:B4)", "=AVERAGE(B1:B3*2)"]) {
      expect([formula, shipped.evaluate(formula)]).toEqual([formula, new CellError(ErrorType.NA, "Not reported for Q3 2022.")]);
    }
  });
});

describe("Excel's reading of arguments, which formulajs alone does not follow", () => {
  it.each([
    ["=SUM(TRUE,1)", 2], // a typed TRUE counts as 1 …
    ["=SUM(A5,1)", 1], // … a TRUE in a referenced cell does not
    ['=SUM("5",1)', 6],
    ["=SUM(E1,1)", 1], // "5" stored as text in a cell is not a number
    ['=MAX(-1,"2")', 2],
    ['=COUNT(1,"2","x",TRUE)', 3],
    ["=SUMPRODUCT(A1:A2,A3:A4)", 0], // blanks and text count as 0, not #VALUE!
    ["=MEDIAN(A1:A6)", 20], // text, TRUE and the blank are not values
    ['=COUNTIF(C1:C3,"cost")', 1], // criteria ignore case
    ['=VALUE("x")', { error: ErrorType.VALUE }], // formulajs's VALUE says 0
    ['=SUM("x",1)', { error: ErrorType.VALUE }],
  ])("%s → %p", (formula, expected) => {
    expect(outcome(shipped.evaluate(formula))).toEqual(expected);
  });
});

describe("what remains (an honest error rather than a wrong number)", () => {
  it("criteria with wildcards are refused: formulajs matches them literally", () => {
    const result = shipped.evaluate('=COUNTIF(C1:C3,"Re*")');
    expect(result).toBeInstanceOf(CellError);
    expect((result as CellError).message).toMatch(/wildcards/);
    expect(outcome(hyperFormulaResult('=COUNTIF(C1:C3,"Re*")'))).toBe(1); // Excel and HyperFormula: 1
  });

  it("IFERROR over an array is not applied element by element: the array's error shows (Excel: 4)", () => {
    expect(outcome(shipped.evaluate("=SUMPRODUCT(IFERROR(B1:B3,0)*1)"))).toEqual({ error: ErrorType.NA });
    expect(outcome(hyperFormulaResult("=SUMPRODUCT(IFERROR(B1:B3,0)*1)"))).toBe(4);
  });
});
