/**
 * FunctionResult → what Excel receives. `CustomFunctions.Error`/`ErrorCode` are the host stand-ins from
 * test/setup/custom-functions-host.ts (Excel's own codes, same shape).
 */
import { CellError, ErrorType } from "../../src/core/cell";
import { fromExcelArgument, toExcelCell, toExcelError, toExcelMatrix, toExcelValue } from "../../src/addin/excel-values";
import { invoke } from "../../src/functions/invoke";
import { shippedIndex } from "../support/release";

interface ErrorLike {
  code: string;
  message?: string;
}
const asError = (value: unknown): ErrorLike => {
  expect(value).toBeInstanceOf(CustomFunctions.Error);
  return value as ErrorLike;
};

describe("toExcelError", () => {
  it.each([
    [ErrorType.NA, "#N/A", 'Unknown line item "Revenu"; did you mean "Total net revenue"?'],
    [ErrorType.VALUE, "#VALUE!", 'Unknown scale "X"; use "U", "K", "M" or "B".'],
  ])("%s keeps its code and the core's message (Excel shows messages on it)", (type, code, message) => {
    const error = asError(toExcelError(new CellError(type, message)));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it.each([
    [ErrorType.DIV_BY_ZERO, "#DIV/0!"],
    [ErrorType.NUM, "#NUM!"],
    [ErrorType.NULL, "#NULL!"],
  ])("%s keeps its code and drops the message (Excel cannot show one there)", (type, code) => {
    const error = asError(toExcelError(new CellError(type, "Total net revenue is zero for Q2 2023.")));
    expect(error.code).toBe(code);
    expect(error.message).toBeFalsy();
  });

  it.each([ErrorType.NAME, ErrorType.REF])("%s, an input-only code for custom functions, surfaces as #VALUE! naming the original", (type) => {
    const error = asError(toExcelError(new CellError(type, "the reference is gone")));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toBe(`${type} the reference is gone`);
  });

  it("passes no empty message to Excel", () => {
    const error = asError(toExcelError(new CellError(ErrorType.NA, "")));
    expect(error.code).toBe("#N/A");
    expect(error.message).toBeFalsy();
  });

  it("covers every error type of the core", () => {
    for (const type of Object.values(ErrorType)) {
      expect(Object.values(CustomFunctions.ErrorCode)).toContain(asError(toExcelError(new CellError(type, "m"))).code);
    }
  });
});

describe("toExcelCell", () => {
  it("passes numbers, text and booleans through unchanged", () => {
    expect(toExcelCell(3914.324)).toBe(3914.324);
    expect(toExcelCell(-0.06427)).toBe(-0.06427);
    expect(toExcelCell("Q2 2023")).toBe("Q2 2023");
    expect(toExcelCell("")).toBe("");
    expect(toExcelCell(true)).toBe(true);
  });

  it("turns numbers Excel cannot hold into #NUM! and a missing value into a blank, never null (Excel shows 0)", () => {
    expect(asError(toExcelCell(Number.NaN)).code).toBe("#NUM!");
    expect(asError(toExcelCell(Number.POSITIVE_INFINITY)).code).toBe("#NUM!");
    expect(toExcelCell(null)).toBe("");
    expect(toExcelCell(undefined)).toBe("");
  });
});

describe("toExcelValue (single-cell functions)", () => {
  it("returns the value, or the error with its message", () => {
    expect(toExcelValue(1093.377)).toBe(1093.377);
    const error = asError(toExcelValue(new CellError(ErrorType.NA, "Net income is not reported for Q3 2023.")));
    expect(error).toMatchObject({ code: "#N/A", message: "Net income is not reported for Q3 2023." });
  });

  it("unwraps a 1×1 array and refuses a larger one rather than truncating it", () => {
    expect(toExcelValue([[0.2793]])).toBe(0.2793);
    const error = asError(toExcelValue([[1, 2]]));
    expect(error.code).toBe("#VALUE!");
    expect(error.message).toContain("1×2");
  });
});

describe("toExcelMatrix (spilling functions)", () => {
  it("converts every element, errors included, keeping the shape", () => {
    const result = toExcelMatrix([
      ["Q1 2023", "Q2 2023"],
      [929.8, new CellError(ErrorType.NA, "not reported")],
    ]);
    expect(result).toHaveLength(2);
    expect(result[0]).toEqual(["Q1 2023", "Q2 2023"]);
    expect(result[1][0]).toBe(929.8);
    expect(asError(result[1][1])).toMatchObject({ code: "#N/A", message: "not reported" });
  });

  it("wraps a single value or error in a 1×1 array", () => {
    expect(toExcelMatrix(42)).toEqual([[42]]);
    const [[error]] = toExcelMatrix(new CellError(ErrorType.VALUE, 'Unknown statement "P&L".'));
    expect(asError(error)).toMatchObject({ code: "#VALUE!", message: 'Unknown statement "P&L".' });
  });

  it("pads short rows with blanks (Excel refuses ragged arrays)", () => {
    expect(toExcelMatrix([["Net income", 1093.377], ["Operating income"]])).toEqual([
      ["Net income", 1093.377],
      ["Operating income", ""],
    ]);
  });

  it("answers an empty result, which Excel cannot spill, with #N/A", () => {
    for (const empty of [[], [[]]]) {
      const result = toExcelMatrix(empty);
      expect(result).toHaveLength(1);
      expect(asError(result[0][0]).code).toBe("#N/A");
    }
  });
});

/**
 * Excel → the core. functions.json does not declare allowCustomDataForDataTypeAny, so Excel should pass plain values;
 * these are the shapes Microsoft's API reference gives the data-type cell values (Excel.EntityCellValue,
 * LinkedEntityCellValue, FormattedNumberCellValue), should a host pass one anyway.
 */
describe("fromExcelArgument (Excel's arguments as the core reads them)", () => {
  const entity = { type: "Entity", text: "Net income", properties: { Ticker: { type: "String", basicValue: "QFIN" } }, basicType: "Error", basicValue: "#VALUE!" };
  const linked = { type: "LinkedEntity", id: { entityId: "qfin.ni", domainId: "qfin", serviceId: 268435456, culture: "en-US" }, text: "Net income", properties: {} };

  it("passes plain values through: text, numbers, booleans, omitted arguments", () => {
    expect([fromExcelArgument("Net income"), fromExcelArgument(45107), fromExcelArgument(true), fromExcelArgument(null), fromExcelArgument(undefined)]).toEqual(["Net income", 45107, true, null, undefined]);
  });

  it("reads an entity and a linked entity as the text the cell displays, never as its #VALUE! basic value", () => {
    expect(fromExcelArgument(entity)).toBe("Net income");
    expect(fromExcelArgument(linked)).toBe("Net income");
    // …so a QFIN function given one answers as if the label had been typed.
    expect(invoke(shippedIndex(), "METRIC", [fromExcelArgument(entity), "Q2 2023", null, null, null])).toBe(1093.377);
  });

  it("reads a formatted number (a date shown as one) as its number", () => {
    expect(fromExcelArgument({ type: "FormattedNumber", basicValue: 45107, numberFormat: "d-mmm-yy" })).toBe(45107);
  });

  it("reads a range cell by cell, data types included, keeping its shape", () => {
    expect(fromExcelArgument([["Net income", entity], [linked, 2]])).toEqual([["Net income", "Net income"], ["Net income", 2]]);
  });

  it("keeps an error argument an error (with its message) and refuses an object it cannot read, saying what it was", () => {
    expect(fromExcelArgument({ code: "#N/A", message: "not reported" })).toMatchObject({ type: "#N/A", message: "not reported" });
    const unreadable = fromExcelArgument({ type: "WebImage", address: "https://example.com/logo.png" });
    expect(unreadable).toBeInstanceOf(CellError);
    expect(String(unreadable)).toMatch(/^#VALUE! .*a WebImage cell value/);
  });
});
