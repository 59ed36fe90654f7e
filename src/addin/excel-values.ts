/**
 * The Excel boundary of the QFIN functions: turns a `FunctionResult` (plain values, `CellError` values) into
 * what an Excel custom function returns. Errors become `CustomFunctions.Error` with the matching `ErrorCode`;
 * spills become rectangular 2-D arrays.
 *
 * `CustomFunctions` is looked up when a result is converted, never at module load: the functions bundle also
 * loads in a plain browser (the standalone preview), where the preview installs the error types later.
 */
import { CellError, ErrorType, errorTypeOf, isCellError, type ArgValue, type CellValue, type FunctionResult } from "../core/cell";
import { MAX_COLUMNS, MAX_ROWS } from "../excel/a1";
import { Messages } from "../core/messages";

/** What a custom function may return for one cell. */
export type ExcelCellValue = number | string | boolean | CustomFunctions.Error;

/** Excel shows a custom message only on these two codes (CustomFunctionsRuntime 1.3). */
const CODES_WITH_MESSAGE: ReadonlySet<ErrorType> = new Set([ErrorType.NA, ErrorType.VALUE]);

/**
 * The `ErrorCode` for an error type. `#NAME?` and `#REF!` are input-only codes for custom functions (Excel
 * refuses them as results), so they surface as `#VALUE!` with the original code kept in the message.
 */
function excelErrorCode(type: ErrorType): CustomFunctions.ErrorCode {
  const codes = CustomFunctions.ErrorCode;
  switch (type) {
    case ErrorType.NA:
      return codes.notAvailable;
    case ErrorType.VALUE:
    case ErrorType.NAME:
    case ErrorType.REF:
      return codes.invalidValue;
    case ErrorType.DIV_BY_ZERO:
      return codes.divisionByZero;
    case ErrorType.NUM:
      return codes.invalidNumber;
    case ErrorType.NULL:
      return codes.nullReference;
  }
}

/**
 * Converts a core error value into the error Excel displays.
 *
 * @example
 * toExcelError(new CellError(ErrorType.NA, 'Unknown line item "Revenu"; did you mean "Total net revenue"?'))
 * //=> CustomFunctions.Error { code: "#N/A", message: 'Unknown line item "Revenu"; did you mean …' }
 * toExcelError(new CellError(ErrorType.DIV_BY_ZERO, "Total net revenue is zero"))
 * //=> CustomFunctions.Error { code: "#DIV/0!" } (Excel cannot show a message on #DIV/0!)
 */
export function toExcelError(error: CellError): CustomFunctions.Error {
  const code = excelErrorCode(error.type);
  if (error.type === ErrorType.NAME || error.type === ErrorType.REF) {
    return new CustomFunctions.Error(code, error.message ? `${error.type} ${error.message}` : error.type);
  }
  if (CODES_WITH_MESSAGE.has(error.type) && error.message) {
    return new CustomFunctions.Error(code, error.message);
  }
  return new CustomFunctions.Error(code);
}

/**
 * Converts one core cell value. Numbers Excel cannot hold (NaN, ±Infinity) become `#NUM!`; a missing value
 * (never produced by the core, guarded because Excel would show `null` as 0) becomes a blank.
 *
 * @example
 * toExcelCell(3914.324) //=> 3914.324
 * toExcelCell(Number.NaN) //=> CustomFunctions.Error { code: "#NUM!" }
 */
export function toExcelCell(value: CellValue | null | undefined): ExcelCellValue {
  if (value === null || value === undefined) return "";
  if (isCellError(value)) return toExcelError(value);
  if (typeof value === "number" && !Number.isFinite(value)) return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidNumber);
  return value;
}

function describeShape(rows: readonly (readonly unknown[])[]): string {
  const width = Math.max(0, ...rows.map((row) => row.length));
  return `${rows.length}×${width}`;
}

/**
 * For functions declared with a single-cell result: the value, or the error. A 1×1 array is unwrapped; a larger
 * array is a contract breach of the core and reported as `#VALUE!` rather than silently truncated.
 *
 * @example
 * toExcelValue(0.27932) //=> 0.27932
 * toExcelValue([[0.27932]]) //=> 0.27932
 */
export function toExcelValue(result: FunctionResult): ExcelCellValue {
  if (!Array.isArray(result)) return toExcelCell(result);
  if (result.length === 1 && result[0]?.length === 1) return toExcelCell(result[0][0]);
  return toExcelError(new CellError(ErrorType.VALUE, Messages.notOneValue(describeShape(result))));
}

/**
 * For functions declared with a spilled (matrix) result: a rectangular 2-D array. A single value or error
 * becomes a 1×1 array; short rows are padded with blanks (Excel rejects ragged arrays); an empty result, which
 * Excel cannot spill, becomes `#N/A`.
 *
 * @example
 * toExcelMatrix([["Q1 2023", "Q2 2023"], [929.8, 1093.4]]) //=> [["Q1 2023", "Q2 2023"], [929.8, 1093.4]]
 * toExcelMatrix(new CellError(ErrorType.VALUE, 'Unknown statement "P&L"')) //=> [[CustomFunctions.Error #VALUE!]]
 */
export function toExcelMatrix(result: FunctionResult): ExcelCellValue[][] {
  if (!Array.isArray(result)) return [[toExcelCell(result)]];
  const width = Math.max(0, ...result.map((row) => row.length));
  if (result.length === 0 || width === 0) return [[toExcelError(new CellError(ErrorType.NA, Messages.emptyResult))]];
  // Excel cannot spill past its grid; say so rather than hand it an array it would refuse without a word.
  if (result.length > MAX_ROWS || width > MAX_COLUMNS) return [[toExcelError(new CellError(ErrorType.VALUE, Messages.resultTooLarge(result.length, width)))]];
  return result.map((row) => Array.from({ length: width }, (_, column) => toExcelCell(row[column])));
}

/** A data-type cell value as Excel may pass it to an `any` parameter (entities, linked entities, formatted numbers). */
interface CellValueObject {
  type?: unknown;
  text?: unknown;
  basicValue?: unknown;
}

/**
 * One argument as Excel passes it, as the core reads it: values as they are, ranges cell by cell, and a data-type cell
 * value (an entity, a linked entity, a formatted number — possible on hosts that pass them) as the value it displays,
 * its text or basic value. The functions do not declare `allowCustomDataForDataTypeAny`, so Excel should pass plain
 * values only; this keeps an object from ever reaching the core as "[object Object]".
 *
 * @example
 * fromExcelArgument({ type: "Entity", text: "Net income", properties: {} }) //=> "Net income"
 * fromExcelArgument({ type: "FormattedNumber", basicValue: 45107, numberFormat: "d-mmm-yy" }) //=> 45107
 */
export function fromExcelArgument(value: unknown): ArgValue {
  if (value === null || value === undefined || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((row: unknown) => (Array.isArray(row) ? row.map(fromExcelArgument) : [fromExcelArgument(row)])) as ArgValue[][];
  // The core's own error value (a host that already holds one, such as the pane's workbench) stays what it is.
  if (value instanceof CellError) return value;
  if (isExcelError(value)) return fromExcelError(value);
  if (isErrorCellValue(value)) return fromErrorCellValue(value);
  const object = value as CellValueObject;
  if (typeof object.text === "string" && object.text !== "") return object.text;
  const basic = object.basicValue;
  if (typeof basic === "string" || typeof basic === "number" || typeof basic === "boolean") return basic;
  return new CellError(ErrorType.VALUE, Messages.unsupportedArgument(typeof object.type === "string" ? `a ${object.type} cell value` : "an object"));
}


/** Whether a value is an error as Excel passes one (a CustomFunctions.Error-like object with a `#…` code). */
function isExcelError(value: unknown): value is { code: string; message?: string } {
  return typeof value === "object" && value !== null && typeof (value as { code?: unknown }).code === "string" && String((value as { code: string }).code).startsWith("#");
}

function fromExcelError(error: { code: string; message?: string }): CellError {
  return new CellError(errorTypeOf(error.code) ?? ErrorType.VALUE, typeof error.message === "string" ? error.message : "");
}

/** An error as a data-type cell value (`Excel.ErrorCellValue`): `{ type: "Error", basicValue: "#DIV/0!", errorType: "Div0" }`. */
interface ErrorCellValue {
  type: "Error";
  basicValue?: unknown;
  errorType?: unknown;
}

const isErrorCellValue = (value: unknown): value is ErrorCellValue => typeof value === "object" && value !== null && (value as { type?: unknown }).type === "Error";

/** `Excel.ErrorCellValueType` names of the codes the core knows. */
const ERROR_CELL_VALUE_CODES: Readonly<Record<string, ErrorType>> = {
  Div0: ErrorType.DIV_BY_ZERO,
  NotAvailable: ErrorType.NA,
  Name: ErrorType.NAME,
  Null: ErrorType.NULL,
  Num: ErrorType.NUM,
  Ref: ErrorType.REF,
  Value: ErrorType.VALUE,
};

/**
 * An error data-type value is the error it shows, as an error argument is (Excel does not call a function with one):
 * read as text, `#DIV/0!` became the item "#DIV/0!" and the answer "#N/A Unknown line item". Codes the core has no
 * type for (#SPILL!, #CALC!, #BUSY!…) are #VALUE!, naming the code.
 */
function fromErrorCellValue(error: ErrorCellValue): CellError {
  const basic = typeof error.basicValue === "string" ? errorTypeOf(error.basicValue) : undefined;
  const named = typeof error.errorType === "string" && Object.prototype.hasOwnProperty.call(ERROR_CELL_VALUE_CODES, error.errorType) ? ERROR_CELL_VALUE_CODES[error.errorType] : undefined;
  const type = basic ?? named;
  if (type !== undefined) return new CellError(type, "");
  const shown = typeof error.basicValue === "string" && error.basicValue !== "" ? error.basicValue : typeof error.errorType === "string" && error.errorType !== "" ? error.errorType : null;
  return new CellError(ErrorType.VALUE, Messages.unsupportedArgument(shown === null ? "an error value" : `the error ${shown.slice(0, 40)}`));
}
