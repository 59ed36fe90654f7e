/**
 * Excel's 32,767-character limit on text in a cell (issue 15 §13): fast-formula-parser had none, so `REPT` built
 * a 100-million-character string and `&` doubled it again. Past the limit, a result is #VALUE! with a message — for
 * every function, for `&`, and for the value a cell ends with, in one formula and in a whole workbook.
 */
import { CellError, ErrorType } from "../../src/core/cell";
import { FormulaEngine, evaluateFormula } from "../../src/engine";
import { evaluateWorkbook } from "../../src/engine/workbook-evaluator";
import { MAX_TEXT_LENGTH } from "../../src/engine/text-limit";
import { shippedIndex } from "../support/release";

const index = shippedIndex();
const tooLong = (length: number): CellError =>
  new CellError(ErrorType.VALUE, `The text would be ${length.toLocaleString("en-US")} characters long; a cell holds at most 32,767 (Excel's limit).`);

describe("13. text longer than a cell holds", () => {
  it("REPT refuses before building the text: REPT(\"x\",100000000) is #VALUE!, not a 100 MB string", () => {
    expect(evaluateFormula(index, '=REPT("x",100000000)')).toEqual(tooLong(100_000_000));
    expect(evaluateFormula(index, '=LEN(REPT("x",100000000))')).toEqual(tooLong(100_000_000));
    expect(evaluateFormula(index, '=LEN(REPT("x",32767))')).toBe(MAX_TEXT_LENGTH);
  });

  it("REPT keeps Excel's rules below the limit", () => {
    expect(evaluateFormula(index, '=REPT("ab",2.9)')).toBe("abab");
    expect(evaluateFormula(index, '=REPT(1,3)')).toBe("111");
    expect(evaluateFormula(index, '=REPT("a",0)')).toBe("");
    expect((evaluateFormula(index, '=REPT("a",-1)') as CellError).type).toBe(ErrorType.VALUE);
    expect((evaluateFormula(index, '=REPT(NA(),2)') as CellError).type).toBe(ErrorType.NA);
  });

  it.each([
    ['=REPT("ab",16383)&"ab"', 32_768],
    ['=CONCAT(REPT("x",30000),REPT("x",30000))', 60_000],
    ['=CONCATENATE(REPT("x",30000),REPT("x",30000))', 60_000],
    ['=TEXTJOIN(",",TRUE,REPT("x",20000),REPT("x",20000))', 40_001],
    ['=SUBSTITUTE(REPT("a",1000),"a",REPT("b",100))', 100_000],
    ['=UPPER(REPT("ab",16383)&"a")&"b"', 32_768],
  ])("%s is #VALUE! (%i characters)", (formula, length) => {
    expect(evaluateFormula(index, formula)).toEqual(tooLong(length));
  });

  it("the limit itself is fine, and LEN of what fits is exact", () => {
    expect(evaluateFormula(index, '=LEN(REPT("ab",16383)&"a")')).toBe(32_767);
    expect(evaluateFormula(index, '=IFERROR(REPT("x",40000),"too long")')).toBe("too long");
  });

  it("a cell holding longer text than Excel allows, read by a formula, ends as #VALUE!", () => {
    const engine = new FormulaEngine({ index, cells: { A1: "y".repeat(40_000) } });
    expect(engine.evaluate("=A1")).toEqual(tooLong(40_000));
    expect(engine.evaluate("=LEN(A1)")).toBe(40_000);
  });

  it("in a workbook recalculation too, with the message in the result", () => {
    const result = evaluateWorkbook(
      [
        { sheet: "S", address: "A1", formula: '=REPT("x",100000000)&QFIN.VERSION()', value: "old" },
        { sheet: "S", address: "A2", formula: '=LEN(REPT("x",100)&QFIN.VERSION())', value: 0 },
      ],
      { index },
    );
    expect(result.cells.get("S!A1")).toEqual({ kind: "value", value: tooLong(100_000_000) });
    expect(result.cells.get("S!A2")).toEqual({ kind: "value", value: 100 + (evaluateFormula(index, "=QFIN.VERSION()") as string).length });
  });
});
