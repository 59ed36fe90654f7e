import { CellError, ErrorType } from "../../src/core/cell";
import { FUNCTION_SPECS, type QfinFunctionId } from "../../src/functions/spec";
import { FUNCTION_DEFINITIONS } from "../../src/functions/registry";
import { invoke } from "../../src/functions/invoke";
import { activateMiniDataset } from "../fixtures/mini-dataset";

describe("the function table", () => {
  it("an unknown id is #NAME?", () => {
    const result = invoke("NOPE" as QfinFunctionId, []);
    expect(result).toBeInstanceOf(CellError);
    expect((result as CellError).type).toBe(ErrorType.NAME);
  });

  it("implements every function of FUNCTION_SPECS with the same parameters in the same order", () => {
    expect([...FUNCTION_DEFINITIONS.keys()].sort()).toEqual(FUNCTION_SPECS.map((spec) => spec.id).sort());
    for (const spec of FUNCTION_SPECS) {
      const definition = FUNCTION_DEFINITIONS.get(spec.id)!;
      expect(definition.params.map((param) => param.name)).toEqual(spec.params.map((param) => param.name));
      // Optional in the spec ⇔ the implementation has a default.
      expect(definition.params.map((param) => param.fallback !== undefined)).toEqual(spec.params.map((param) => param.optional));
    }
  });

  it("every spec example evaluates to what it promises, and matrix functions spill arrays without nulls", () => {
    activateMiniDataset();
    const args: Record<QfinFunctionId, unknown[]> = {
      METRIC: ["Total net revenue", "Q2 2023"],
      MARGIN: ["Net income", "Q2 2023"],
      GROWTH: ["Total net revenue", "Q2 2023"],
      SERIES: ["Net income", "quarters", null, null, true],
      STATEMENT: ["Operations", "Q2 2023"],
      ITEMS: ["delinquency"],
      PERIODS: [],
      SOURCE: ["Net income", "Q1 2023"],
      DEFINITION: ["90 day+ delinquency rate"],
      CHECK: [],
      VERSION: [],
    };
    for (const spec of FUNCTION_SPECS) {
      const result = invoke(spec.id, args[spec.id] as never);
      expect(result).not.toBeInstanceOf(CellError);
      expect(Array.isArray(result)).toBe(spec.result === "matrix");
      if (Array.isArray(result)) {
        expect(result.flat().every((cell) => cell !== null && cell !== undefined)).toBe(true);
        expect(new Set(result.map((row) => row.length)).size).toBe(1);
      }
    }
    expect(invoke("METRIC", args.METRIC as never)).toBe(3914.324);
    expect(String(invoke("MARGIN", args.MARGIN as never))).toMatch(/^0\.27932/);
    expect(String(invoke("GROWTH", args.GROWTH as never))).toMatch(/^-0\.06427/);
    expect(String(invoke("SOURCE", args.SOURCE as never))).toMatch(/^derived: H1 2023 − Q2 2023/);
  });
});
