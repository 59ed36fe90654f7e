/**
 * Values across the boundary between the QFIN functions (Excel-shaped: CellError, 2-D arrays) and
 * fast-formula-parser (FormulaError, its argument objects). Both evaluators — one formula, a whole workbook — use it,
 * so a value crosses the same way in `qfin eval`, `qfin recalc` and the workbench.
 */
import FormulaParser from "fast-formula-parser";
import type { FunctionArgument } from "fast-formula-parser";
import { ArgValue, CellError, CellValue, ErrorType, FunctionResult, errorTypeOf, isCellError } from "../core/cell";
import { Messages } from "../core/messages";
import { MAX_TEXT_LENGTH, textTooLongMessage } from "./text-limit";

const { FormulaError } = FormulaParser;
export type FormulaError = InstanceType<typeof FormulaError>;


/** Our error → the engine's error value, keeping the message (FormulaError carries it). */
export function toFormulaError(error: CellError): FormulaError {
  return new FormulaError(error.type, error.message);
}

export function fromFormulaError(error: FormulaError): CellError {
  return new CellError(errorTypeOf(error.error) ?? ErrorType.VALUE, error.message);
}

export function isFormulaError(value: unknown): value is FormulaError {
  return value instanceof FormulaError;
}

/** One argument as the engine passes it → as Excel passes it to a custom function. */
export function toArgValue(argument: FunctionArgument): ArgValue {
  if (argument.omitted) return null;
  const { value } = argument;
  if (Array.isArray(value)) return value.map((row: unknown) => (Array.isArray(row) ? row : [row]).map(toScalarArg));
  return toScalarArg(value);
}

function toScalarArg(value: unknown): ArgValue {
  if (value === null || value === undefined) return null;
  if (isFormulaError(value)) return fromFormulaError(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return new CellError(ErrorType.VALUE, Messages.unsupportedArgument(String(value)));
}

/** A QFIN function's result → what the engine computes with: errors as FormulaError, spills as 2-D arrays. */
export function toEngineResult(result: FunctionResult): unknown {
  if (Array.isArray(result)) return result.map((row) => row.map((cell) => (isCellError(cell) ? toFormulaError(cell) : cell)));
  return isCellError(result) ? toFormulaError(result) : result;
}

/**
 * The engine's result → FunctionResult. A reference to an empty cell shows 0 in Excel; an empty cell in a spill, "";
 * text longer than a cell holds, #VALUE! (the last check of the 32,767-character limit, for whatever made it).
 */
export function fromEngineResult(result: unknown): FunctionResult {
  if (Array.isArray(result)) {
    const rows = result.map((row: unknown) => (Array.isArray(row) ? row : [row]).map((cell) => fromEngineCell(cell, "")));
    let width = 0;
    for (const row of rows) width = Math.max(width, row.length);
    // An array with no cells (the range operator between two values, `=LEN(1,2):IFERROR(1/0)`, gives one) is no
    // value a cell can show: say so rather than hand on nothing, which `qfin eval` printed as an empty line.
    if (width === 0) return new CellError(ErrorType.VALUE, Messages.notACellValue);
    // A ragged array is padded with blanks, as a spill shows one.
    for (const row of rows) while (row.length < width) row.push("");
    return rows;
  }
  return fromEngineCell(result, 0);
}

export function fromEngineCell(value: unknown, empty: CellValue): CellValue {
  if (value === null || value === undefined) return empty;
  if (isFormulaError(value)) return fromFormulaError(value);
  // A number no cell can hold (an array constant of 400 digits is Infinity, and its negation -Infinity) is #NUM!, as
  // the engine already makes it for a single value: written into a sheet, "Infinity" would not even be a number.
  if (typeof value === "number") return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : new CellError(ErrorType.NUM, "");
  if (typeof value === "string") return value.length > MAX_TEXT_LENGTH ? new CellError(ErrorType.VALUE, textTooLongMessage(value.length)) : value;
  if (typeof value === "boolean") return value;
  return new CellError(ErrorType.VALUE, Messages.notACellValue);
}
