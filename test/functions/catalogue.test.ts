import { CellError, ErrorType } from "../../src/core/cell";
import { FUNCTIONS, functionById, type QfinFunctionId } from "../../src/functions/catalogue";
import { isOptional, signature } from "../../src/functions/define";
import { invoke } from "../../src/functions/invoke";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { miniDatasetJson, miniIndex } from "../fixtures/mini-dataset";

const index = miniIndex();
/** An index of its own, with nothing remembered (miniIndex() is shared by the tests). */
const newIndex = () => buildIndex(loadDataset(miniDatasetJson()));

describe("the function catalogue", () => {
  it("an unknown id is #NAME?", () => {
    const result = invoke(index, "NOPE", []);
    expect(result).toBeInstanceOf(CellError);
    expect((result as CellError).type).toBe(ErrorType.NAME);
  });

  it("holds the frozen ids (stored in users' workbooks), each once", () => {
    expect(FUNCTIONS.map((fn) => fn.id)).toEqual(["METRIC", "MARGIN", "GROWTH", "CHANGE", "SERIES", "STATEMENT", "ITEMS", "PERIODS", "SOURCE", "MARKER", "DEFINITION", "CHECK", "VERSION"]);
    expect(functionById("metric")).toBe(FUNCTIONS[0]);
  });

  it("describes every function and every parameter, with required parameters before optional ones", () => {
    for (const fn of FUNCTIONS) {
      expect(fn.description.length).toBeGreaterThan(20);
      for (const param of fn.params) expect([fn.id, param.name, param.description.length > 10]).toEqual([fn.id, param.name, true]);
      const optional = fn.params.map(isOptional);
      expect(optional).toEqual([...optional].sort((a, b) => Number(a) - Number(b)));
    }
    expect(signature(FUNCTIONS[0])).toBe("QFIN.METRIC(item, period, [currency], [scale], [as_of])");
  });

  it("every example evaluates to what it promises, and matrix functions spill arrays without nulls", () => {
    const args: Record<QfinFunctionId, unknown[]> = {
      METRIC: ["Total net revenue", "Q2 2023"],
      MARGIN: ["Net income", "Q2 2023"],
      GROWTH: ["Total net revenue", "Q2 2023"],
      CHANGE: ["Net income margin", "Q2 2023"],
      SERIES: ["Net income", "quarters", null, null, true],
      STATEMENT: ["Operations", "Q2 2023"],
      ITEMS: ["delinquency"],
      PERIODS: [],
      SOURCE: ["Net income", "Q1 2023"],
      MARKER: ["Net income", "Q3 2023"],
      DEFINITION: ["90 day+ delinquency rate"],
      CHECK: [],
      VERSION: [],
    };
    for (const fn of FUNCTIONS) {
      const result = invoke(index, fn.id, args[fn.id] as never);
      expect(result).not.toBeInstanceOf(CellError);
      expect(Array.isArray(result)).toBe(fn.result === "matrix");
      if (Array.isArray(result)) {
        expect(result.flat().every((cell) => cell !== null && cell !== undefined)).toBe(true);
        expect(new Set(result.map((row) => row.length)).size).toBe(1);
      }
    }
    expect(invoke(index, "METRIC", args.METRIC as never)).toBe(3914.324);
    // The mini dataset states no margins, so MARGIN computes; the release's stated ones are tested on the real data.
    expect(String(invoke(index, "MARGIN", args.MARGIN as never))).toMatch(/^0\.27932/);
    expect(String(invoke(index, "GROWTH", args.GROWTH as never))).toMatch(/^-0\.06427/);
    expect(String(invoke(index, "SOURCE", args.SOURCE as never))).toMatch(/^derived: H1 2023 − Q2 2023/);
    expect(invoke(index, "MARKER", args.MARKER as never)).toBe("n/a");
  });
});

describe("one rule for every host", () => {
  it("more arguments than declared is #VALUE! naming the signature, however blank the extras", () => {
    for (const extra of [[null], [""], ["x"]]) {
      expect((invoke(index, "VERSION", extra) as CellError).message).toBe("QFIN.VERSION takes no arguments, got 1: QFIN.VERSION().");
    }
  });

  it("an error argument is the result, before any other rule (Excel does not call the function)", () => {
    const upstream = new CellError(ErrorType.NA, '"Net income" is not reported for Q3 2022.');
    expect(invoke(index, "MARGIN", [null, upstream])).toBe(upstream);
    expect(invoke(null, "METRIC", [upstream, "Q2 2023"])).toBe(upstream);
    expect(invoke(index, "METRIC", [[[upstream]], "Q2 2023"])).toBe(upstream);
  });

  it("0 is an empty cell only where 0 cannot be a value: QFIN.ITEMS(0) searches for 0, it does not list every item", () => {
    expect((invoke(index, "ITEMS", [0]) as CellError).message).toBe('No line item or KPI matches "0". Try fewer or shorter words, or QFIN.ITEMS() for the full list.');
    expect(invoke(index, "METRIC", ["Net income", "Q2 2023", 0, 0])).toBe(1093.377);
  });

  it("answers a repeated call from the dataset's own memo, and a new dataset from its own", () => {
    // As Excel calls it (every declared argument): remembered on this index, under the item, then the period.
    const fresh = newIndex();
    const typed = ["Net income", "Q2 2023", null, null, null] as const;
    const first = invoke(fresh, "METRIC", typed);
    const remembered = (fresh.callMemos.get("METRIC") as { results: Map<unknown, Map<string, unknown>> } | undefined)?.results;
    expect(remembered?.get("Net income")?.get("Q2 2023")).toBe(first);
    // An error is remembered as the same object, so a repeat is the memo's answer, not a new computation.
    const unknown = invoke(fresh, "METRIC", ["Net incme", "Q2 2023", null, null, null]);
    expect(unknown).toBeInstanceOf(CellError);
    expect(invoke(fresh, "METRIC", ["Net incme", "Q2 2023", null, null, null])).toBe(unknown);
    // Another dataset has its own memo: nothing asked of it yet.
    expect(newIndex().callMemos.size).toBe(0);
    expect(invoke(null, "METRIC", ["Net income", "Q2 2023"])).toBeInstanceOf(CellError);
  });

  it("keeps remembered questions apart: a period text shaped like another call's key is not that call", () => {
    // As Excel calls it, every declared argument present; the USD call is remembered under a joined key.
    const usd = invoke(index, "METRIC", ["Net income", "Q2 2023", "USD", null, null]);
    expect(usd).toBe(150.782);
    for (const forged of ["\u0000Q2 2023\u0000USD", "\u0000Q2 2023\u0000USD\u0000\u0001"]) {
      const answer = invoke(index, "METRIC", ["Net income", forged, null, null, null]);
      expect({ forged, answer: answer instanceof CellError ? answer.type : answer }).toEqual({ forged, answer: ErrorType.VALUE });
    }
    // Text with a marker after its first character is a question of its own, answered (and remembered) as such.
    const marked = invoke(index, "METRIC", ["Net income", "Q2\u00022023", null, null, null]);
    expect(marked).toBeInstanceOf(CellError);
    expect(invoke(index, "METRIC", ["Net income", "Q2 2023", null, null, null])).toBe(1093.377);
  });

  it("answers arguments too long to remember without remembering them", () => {
    const long = "x".repeat(20_000);
    const result = invoke(index, "METRIC", [long, "Q2 2023"]) as CellError;
    expect(result.type).toBe(ErrorType.NA);
    expect(result.message.length).toBeLessThan(300);
  });
});
