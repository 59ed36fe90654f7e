/**
 * Excel-shaped values: what QFIN functions take and return on every surface (Excel, the formula engine in
 * tests and the CLI, the taskpane workbench). Errors are values, never exceptions, as in Excel itself.
 */

/** The namespace of the custom functions (manifest.xml's Functions.Namespace): formulas call `QFIN.METRIC(…)`. */
export const QFIN_NAMESPACE = "QFIN";

/** Mirrors Excel's error codes. The string is what Excel shows in the cell. */
export enum ErrorType {
  NA = "#N/A",
  VALUE = "#VALUE!",
  DIV_BY_ZERO = "#DIV/0!",
  NUM = "#NUM!",
  REF = "#REF!",
  NAME = "#NAME?",
  NULL = "#NULL!",
}

const ERROR_TYPES: ReadonlyMap<string, ErrorType> = new Map(Object.values(ErrorType).map((type) => [type, type]));

/**
 * The error type an Excel error code names ("#N/A" → ErrorType.NA), or undefined for any other text.
 *
 * @example
 * errorTypeOf("#DIV/0!") // ErrorType.DIV_BY_ZERO
 */
export const errorTypeOf = (code: string): ErrorType | undefined => ERROR_TYPES.get(code);

export class CellError {
  constructor(
    public readonly type: ErrorType,
    public readonly message: string,
  ) {}

  toString(): string {
    return this.message ? `${this.type} ${this.message}` : this.type;
  }
}

export const isCellError = (value: unknown): value is CellError => value instanceof CellError;

export type Scalar = number | string | boolean;
export type CellValue = Scalar | CellError;
/** A spilled result: rows of cells. Blanks are `""`, never null (Excel would show null as 0). */
export type Matrix = CellValue[][];
export type FunctionResult = CellValue | Matrix;

/** What a function may receive for one argument: a scalar, nothing (omitted or empty), a range, or an error. */
export type ArgValue = Scalar | null | undefined | CellError | ArgValue[][];
