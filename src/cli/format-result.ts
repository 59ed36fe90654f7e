/** How `qfin` prints a formula's result: what a cell in Excel's General format would show, one line per row. */
import { CellValue, FunctionResult, isCellError } from "../core/cell";

/**
 * Formats a result for the terminal: a number to 15 significant digits as Excel keeps and shows it (4004.186, not
 * the binary sum's 4004.1859999999997), text as is, TRUE/FALSE, an error as its code, a space and its message, and a spill as rows of
 * tab-separated cells. Tabs and line breaks inside text become spaces so rows and columns stay aligned.
 *
 * @example
 * formatResult(1093.377)                                      // "1093.377"
 * formatResult(929.822 + 3074.364)                            // "4004.186"
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
  if (typeof value === "number") return formatNumber(value);
  return oneLine(value);
}

function oneLine(text: string): string {
  return text.replace(/[\t\r\n]+/g, " ");
}

/** Excel's 15 significant digits; JavaScript's shortest form of that, so no trailing zeros and no exponent below 1e21. */
function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : String(value);
}
