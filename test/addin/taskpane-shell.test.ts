/** The taskpane shell's plain-TypeScript parts: the workbench's result view and the preview host. */
import { CellError, ErrorType } from "../../src/core/cell";
import { installPreviewCustomFunctions } from "../../src/addin/preview-host";
import { SPILL_ROWS_SHOWN, viewCell, viewResult } from "../../src/taskpane/result-view";

describe("viewResult", () => {
  it("shows an error as its code and message, the way Excel's cell tooltip does", () => {
    expect(viewResult(new CellError(ErrorType.NA, 'Unknown line item "Revenu"; did you mean "Total net revenue"?'))).toEqual({
      kind: "error",
      code: "#N/A",
      message: 'Unknown line item "Revenu"; did you mean "Total net revenue"?',
    });
  });

  it("shows a number in full precision and booleans as Excel writes them", () => {
    expect(viewResult(2186.754)).toEqual({ kind: "value", cell: { text: "2186.754", isError: false, isNumber: true } });
    expect(viewResult(0.27932145)).toEqual({ kind: "value", cell: { text: "0.27932145", isError: false, isNumber: true } });
    expect(viewCell(false)).toEqual({ text: "FALSE", isError: false });
  });

  it("shows a spill as a rectangular table with its size, errors inside it by code with the message as title", () => {
    const view = viewResult([
      ["Q1 2023", "Q2 2023", "Q3 2023"],
      [929.8, 1093.4],
      [new CellError(ErrorType.NA, "not reported"), 1, 2],
    ]);
    expect(view).toMatchObject({ kind: "spill", height: 3, width: 3 });
    if (view.kind !== "spill") throw new Error("expected a spill");
    expect(view.rows[1].map((cell) => cell.text)).toEqual(["929.8", "1093.4", ""]);
    expect(view.rows[2][0]).toEqual({ text: "#N/A", isError: true, title: "not reported" });
    expect(view.rows[1].map((cell) => cell.isNumber === true)).toEqual([true, true, false]);
  });

  it("shows a long spill's first rows and keeps its whole size, so the pane says how many more there are", () => {
    const view = viewResult(Array.from({ length: SPILL_ROWS_SHOWN + 5 }, (_, row) => [`check ${row}`, "pass"]));
    expect(view).toMatchObject({ kind: "spill", height: SPILL_ROWS_SHOWN + 5, width: 2 });
    if (view.kind !== "spill") throw new Error("expected a spill");
    expect(view.rows).toHaveLength(SPILL_ROWS_SHOWN);
  });
});

describe("installPreviewCustomFunctions", () => {
  it("adds Error and ErrorCode where office.js runs outside Excel, keeping associate", () => {
    const associate = (): void => undefined;
    const scope = { CustomFunctions: { associate } } as unknown as typeof globalThis;
    expect(installPreviewCustomFunctions(scope)).toBe(true);
    const installed = (scope as unknown as { CustomFunctions: { associate: unknown; Error: new (code: string, message?: string) => { code: string; message: string }; ErrorCode: Record<string, string> } }).CustomFunctions;
    expect(installed.associate).toBe(associate);
    expect(installed.ErrorCode.notAvailable).toBe("#N/A");
    expect(installed.ErrorCode.divisionByZero).toBe("#DIV/0!");
    const error = new installed.Error(installed.ErrorCode.invalidValue, "bad scale");
    expect(error).toMatchObject({ code: "#VALUE!", message: "bad scale" });
  });

  it("never replaces what a real host provides", () => {
    const hostError = class {};
    const scope = { CustomFunctions: { Error: hostError, ErrorCode: { notAvailable: "#N/A" } } } as unknown as typeof globalThis;
    expect(installPreviewCustomFunctions(scope)).toBe(false);
    expect((scope as unknown as { CustomFunctions: { Error: unknown } }).CustomFunctions.Error).toBe(hostError);
  });
});
