/**
 * What the formula workbench shows for a result: one value, an error (code and message, as Excel would show
 * them), or a spilled table. Pure data, so the page code only draws it.
 */
import { isCellError, type CellValue, type FunctionResult } from "../core/cell";

export interface CellView {
  text: string;
  /** A number (right-aligned, kept on one line). */
  isNumber?: boolean;
  /** An error code shown in the cell (its message goes to the cell's title). */
  isError: boolean;
  title?: string;
}

export type ResultView =
  | { kind: "value"; cell: CellView }
  | { kind: "error"; code: string; message: string }
  /** `rows` holds at most the first `SPILL_ROWS_SHOWN` rows; `height` is the whole spill's. */
  | { kind: "spill"; rows: CellView[][]; height: number; width: number };

/** A long spill (QFIN.CHECK() has hundreds of rows) shows its first rows and says how many more there are. */
export const SPILL_ROWS_SHOWN = 20;

/**
 * One cell as text: numbers in full precision (the workbench shows what the function returns, not a
 * formatted display), booleans as Excel writes them, errors by their code.
 *
 * @example
 * viewCell(1093.431) //=> { text: "1093.431", isError: false, isNumber: true }
 * viewCell(true) //=> { text: "TRUE", isError: false }
 */
export function viewCell(value: CellValue): CellView {
  if (isCellError(value)) return { text: value.type, isError: true, title: value.message || undefined };
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE", isError: false };
  return typeof value === "number" ? { text: String(value), isError: false, isNumber: true } : { text: String(value), isError: false };
}

/**
 * @example
 * viewResult(0.2793) //=> { kind: "value", cell: { text: "0.2793", isError: false } }
 * viewResult(new CellError(ErrorType.NA, "Unknown line item")) //=> { kind: "error", code: "#N/A", message: "Unknown line item" }
 * viewResult([["Q1 2023", "Q2 2023"], [929.8, 1093.4]]) //=> { kind: "spill", height: 2, width: 2, rows: … }
 */
export function viewResult(result: FunctionResult): ResultView {
  if (isCellError(result)) return { kind: "error", code: result.type, message: result.message };
  if (!Array.isArray(result)) return { kind: "value", cell: viewCell(result) };
  const width = Math.max(0, ...result.map((row) => row.length));
  const rows = result.slice(0, SPILL_ROWS_SHOWN).map((row) => Array.from({ length: width }, (_, c) => viewCell(c < row.length ? (row[c] as CellValue) : "")));
  return { kind: "spill", rows, height: result.length, width };
}
