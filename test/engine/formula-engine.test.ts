import { CellError, ErrorType } from "../../src/core/cell";
import { FormulaEngine, FormulaSyntaxError, evaluateFormula } from "../../src/engine";
import { shippedIndex } from "../support/release";
import { typedFormula as normaliseFormula, savedFormula } from "../../src/excel/formula-text";

const index = shippedIndex();

/** The error a formula evaluates to (fails the test when it evaluates to something else). */
function errorOf(formula: string, engine?: FormulaEngine): CellError {
  const result = engine ? engine.evaluate(formula) : evaluateFormula(index, formula);
  if (!(result instanceof CellError)) throw new Error(`${formula} evaluated to ${JSON.stringify(result)}, not an error`);
  return result;
}

describe("text that is not a formula", () => {
  it.each([
    ["=1+", /character 4: the formula ends too early/],
    ['=QFIN.METRIC("Net income","Q2 2023"', /the formula ends too early/],
    ["=SUM(1,2))", /character 10: unexpected '\)'/],
    ["=1 $ 2", /unexpected '\$'/],
    ["=", /nothing to compute/],
    ["", /nothing to compute/],
    // Characters counted in the text as typed, also after a number in scientific notation.
    ["=1E3E3", /character 5: unexpected 'E3'/],
    ["=2e10+(", /character 8: the formula ends too early/],
    ["=.5+)", /character 5: unexpected '\)'/],
  ])("%s throws FormulaSyntaxError (%s)", (formula, reason) => {
    expect(() => evaluateFormula(index, formula)).toThrow(FormulaSyntaxError);
    expect(() => evaluateFormula(index, formula)).toThrow(reason);
  });
});

describe("errors as values, with their messages", () => {
  it("an unknown item is #N/A with a suggestion", () => {
    expect(errorOf('=QFIN.METRIC("Revenu","Q2 2023")')).toEqual(
      new CellError(ErrorType.NA, 'Unknown line item "Revenu"; did you mean "Total net revenue"?'),
    );
  });

  it("keeps the message through arithmetic, ROUND and SUM, as Excel propagates an error", () => {
    const expected = errorOf('=QFIN.METRIC("Revenu","Q2 2023")');
    expect(errorOf('=QFIN.METRIC("Revenu","Q2 2023")*2')).toEqual(expected);
    expect(errorOf('=ROUND(QFIN.METRIC("Revenu","Q2 2023"),1)')).toEqual(expected);
    expect(errorOf('=SUM(QFIN.METRIC("Revenu","Q2 2023"),1)')).toEqual(expected);
  });

  it("passes an error argument through without calling the function (Excel's rule for custom functions)", () => {
    expect(errorOf('=QFIN.MARGIN(QFIN.METRIC("Revenu","Q2 2023"),"Q2 2023")').message).toMatch(/Unknown line item "Revenu"/);
    expect(errorOf('=QFIN.METRIC(1/0,"Q2 2023")').type).toBe(ErrorType.DIV_BY_ZERO);
  });

  it("lets IFERROR and ISERROR handle QFIN errors", () => {
    expect(evaluateFormula(index, '=IFERROR(QFIN.METRIC("Revenu","Q2 2023"),"n/a")')).toBe("n/a");
    expect(evaluateFormula(index, '=ISERROR(QFIN.METRIC("Revenu","Q2 2023"))')).toBe(true);
  });

  it("an unknown QFIN function is #NAME? naming the nearest one", () => {
    expect(errorOf('=QFIN.METRICS("Net income","Q2 2023")')).toEqual(
      new CellError(ErrorType.NAME, "Unknown function QFIN.METRICS; did you mean QFIN.METRIC?"),
    );
    expect(errorOf("=QFIN.NOPE()").message).toMatch(/QFIN functions are QFIN\.METRIC, QFIN\.MARGIN/);
    expect(errorOf("=SEQUENCE(3)").type).toBe(ErrorType.NAME);
  });

  it("only the QFIN. names are registered, not bare ones", () => {
    const error = errorOf('=METRIC("Net income","Q2 2023")');
    expect(error.type).toBe(ErrorType.NAME);
    expect(error.message).toMatch(/^Unknown function METRIC;/);
  });

  it("too many arguments is #VALUE! with the signature", () => {
    expect(errorOf("=QFIN.VERSION(1)")).toEqual(new CellError(ErrorType.VALUE, "QFIN.VERSION takes no arguments, got 1: QFIN.VERSION()."));
    expect(errorOf('=QFIN.DEFINITION("Net income","Q2 2023")').message).toBe(
      "QFIN.DEFINITION takes at most 1 argument, got 2: QFIN.DEFINITION(item).",
    );
  });

  it("a missing required argument reaches the function as null, which says what to give", () => {
    const error = errorOf('=QFIN.METRIC("Net income")');
    expect(error.type).toBe(ErrorType.VALUE);
    expect(error.message).toMatch(/period/i);
  });

  it("a reference to another sheet is #REF!", () => {
    expect(errorOf('=QFIN.METRIC(Other!A1,"Q2 2023")').type).toBe(ErrorType.REF);
  });
});

describe("values", () => {
  it("a point value, in RMB millions, exactly as the release prints it (thousands)", () => {
    expect(evaluateFormula(index, '=QFIN.METRIC("Net income","Q2 2023")')).toBe(1093.377);
    expect(evaluateFormula(index, '=QFIN.METRIC("Total net revenue","2023Q2","USD")')).toBe(539.809);
  });

  it("accepts the formula without its =, and function names in any case, as Excel does", () => {
    expect(evaluateFormula(index, 'qfin.metric("net income","2Q23")')).toBe(1093.377);
  });

  it("reads numbers as typed (1E3, 2.5e2, .5) and as Excel saves them (1E+3), not inside text or names", () => {
    expect(evaluateFormula(index, "=1E3+1")).toBe(1001);
    expect(evaluateFormula(index, "=2.5e2*2")).toBe(500);
    expect(evaluateFormula(index, "=1E+3")).toBe(1000);
    expect(evaluateFormula(index, "=.5E1+.25")).toBe(5.25);
    expect(evaluateFormula(index, "=-.5")).toBe(-0.5);
    expect(evaluateFormula(index, '="1E3"&1E3')).toBe("1E31000");
    expect(evaluateFormula(index, '=QFIN.METRIC("Net income","Q2 2023")*1E-3')).toBe(1.093377);
  });

  it("combines QFIN calls with Excel arithmetic and functions in full precision", () => {
    expect(evaluateFormula(index, '=QFIN.METRIC("Net income","Q2 2023")/QFIN.METRIC("Total net revenue","Q2 2023")')).toBe(1093.377 / 3914.324);
    expect(evaluateFormula(index, '=ROUND(QFIN.MARGIN("Net income","Q2 2023"),3)')).toBe(0.279);
    expect(evaluateFormula(index, '=ROUND(QFIN.GROWTH("Total net revenue","Q2 2023")*100,1)')).toBe(-6.4);
    expect(evaluateFormula(index, '=QFIN.METRIC("Net income","H1 2023")-QFIN.METRIC("Net income","Q2 2023")')).toBeCloseTo(929.822, 9);
  });

  it("text results stay text", () => {
    expect(evaluateFormula(index, "=QFIN.VERSION()")).toMatch(/2023Q2/);
    expect(evaluateFormula(index, '=QFIN.DEFINITION("90 day+ delinquency rate")')).toMatch(/91 to 180 calendar days past due/);
  });

  it("a spill is a 2-D array; blanks in it are empty strings", () => {
    const series = evaluateFormula(index, '=QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"},,,TRUE)');
    expect(series).toEqual([
      ["Q1 2023", "Q2 2023"],
      [929.822, 1093.377],
    ]);
    const statement = evaluateFormula(index, '=QFIN.STATEMENT("Operations","Q2 2023")') as unknown[][];
    expect(statement.length).toBeGreaterThan(20);
    expect(statement.flat()).not.toContain(null);
  });

  it("Excel functions consume a spill: SUM, INDEX", () => {
    expect(evaluateFormula(index, '=SUM(QFIN.SERIES("Total net revenue",{"Q1 2023","Q2 2023"}))')).toBeCloseTo(7513.498, 9);
    expect(evaluateFormula(index, '=INDEX(QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"},,,TRUE),2,2)')).toBe(1093.377);
  });
});

describe("FormulaEngine cells", () => {
  const engine = new FormulaEngine({
    index,
    cells: { A1: "Item", B1: "Q1 2023", C1: "Q2 2023", A2: "Net income", A3: "Total net revenue", A5: "" },
  });

  it("formulas reference cells holding items and periods", () => {
    expect(engine.evaluate("=QFIN.METRIC(A2,C1)")).toBe(1093.377);
    expect(engine.evaluate("=QFIN.METRIC($A$2,B$1)/QFIN.METRIC($A$3,B$1)")).toBe(929.822 / 3599.174);
  });

  it("a range of items against a row of periods spills a table", () => {
    expect(engine.evaluate("=QFIN.METRIC(A2:A3,B1:C1)")).toEqual([
      [929.822, 1093.377],
      [3599.174, 3914.324],
    ]);
  });

  it("an empty cell reaches the function as null, and shows 0 when referenced alone", () => {
    expect(engine.evaluate("=A5")).toBe(0);
    expect(errorOf("=QFIN.METRIC(A5,C1)", engine).type).toBe(ErrorType.VALUE);
  });

  it("a range keeps its shape when some of its cells are empty", () => {
    const result = engine.evaluate("=QFIN.METRIC(A2,B1:D1)") as unknown[][];
    expect(result).toHaveLength(1);
    expect(result[0]).toHaveLength(3);
    expect(result[0].slice(0, 2)).toEqual([929.822, 1093.377]);
  });

  it("whole-column references stop at the last used cell", () => {
    expect(engine.evaluate('=COUNTIF(A:A,"Net income")')).toBe(1);
  });

  it("setCell changes what formulas see, and refuses what is not an address", () => {
    const local = new FormulaEngine({ index });
    local.setCell("B2", "Income from operations");
    expect(local.evaluate('=QFIN.METRIC(B2,"Q2 2023")')).toBe(1181.5);
    expect(() => local.setCell("2B", 1)).toThrow(/Not a cell address/);
  });
});

describe("formula text as Excel stores it in a file", () => {
  it("savedFormula writes QFIN calls as Excel saves add-in functions, and normaliseFormula reads them back", () => {
    const typed = 'ROUND(QFIN.METRIC($B6,C$4)/QFIN.METRIC("Revenue",C$4),3)&"QFIN.METRIC("';
    const saved = savedFormula(typed);
    expect(saved).toBe('ROUND(_xldudf_QFIN_METRIC($B6,C$4)/_xldudf_QFIN_METRIC("Revenue",C$4),3)&"QFIN.METRIC("');
    expect(normaliseFormula(saved)).toBe(typed);
  });
});
