/** How `qfin` prints a formula's result: what a cell would show, in full precision, one line per row. */
import { CellValue, FunctionResult, isCellError } from "../core/cell";

/**
 * Formats a result for the terminal: a number as JavaScript's shortest round-trip form (full precision, no
 * rounding), text as is, TRUE/FALSE, an error as its code, a space and its message, and a spill as rows of
 * tab-separated cells. Tabs and line breaks inside text become spaces so rows and columns stay aligned.
 *
 * @example
 * formatResult(1093.377)                                      // "1093.377"
 * formatResult(new CellError(ErrorType.NA, 'Unknown line item "Revenu"')) // '#N/A Unknown line item "Revenu"'
 * formatResult([["Q1 2023", "Q2 2023"], [1, 2]])              // "Q1 2023\tQ2 2023\n1\t2"
 */
export function formatResult(result: FunctionResult): string {
  if (Array.isArray(result)) return result.map((row) => row.map(formatCell).join("\t")).join("\n");
  return formatCell(result);
}

function formatCell(value: CellValue): string {
  if (isCellError(value)) return value.message ? `${value.type} ${oneLine(value.message)}` : value.type;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return String(value);
  return oneLine(value);
}

function oneLine(text: string): string {
  return text.replace(/[\t\r\n]+/g, " ");
}
