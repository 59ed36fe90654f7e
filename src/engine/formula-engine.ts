/**
 * Evaluates Excel formulas that call QFIN functions, with a real formula engine: fast-formula-parser (MIT), which
 * implements Excel's grammar, operators and ~280 of its functions. Every QFIN function is registered under
 * `QFIN.<ID>` and reaches the same `invoke` the Excel add-in uses, against the dataset index the engine is handed.
 * Runs in Node (the `qfin` command) and in the browser (the taskpane workbench): no Node APIs here.
 *
 * Licence note: HyperFormula (GPL-3.0) serves only as an independent engine in the tests; shipped code uses this one.
 */
import FormulaParser from "fast-formula-parser";
import type { CellReference, RangeReference } from "fast-formula-parser";
import { CellError, CellValue, ErrorType, FunctionResult, isCellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { Messages } from "../core/messages";
import { parseA1 } from "../excel/a1";
import { createExcelParser, parserText, unimplementedFunction } from "./excel-parser";
import { qfinParserFunctions, unknownFunctionError } from "./qfin-functions";
import { fromEngineResult, fromFormulaError, isFormulaError, toFormulaError } from "./value-bridge";

const { FormulaError } = FormulaParser;

/** Thrown for text that is not a formula at all (Excel would refuse to enter it); a formula that evaluates to an error returns a CellError instead. */
export class FormulaSyntaxError extends Error {
  constructor(
    public readonly formula: string,
    reason: string,
  ) {
    super(`Cannot evaluate ${formula.trim() || "an empty formula"}: ${reason}`);
    this.name = "FormulaSyntaxError";
  }
}

/**
 * What a cell of the engine's sheet may hold: a constant as typed into Excel, an error value included (`#N/A` typed
 * in a cell, or a QFIN error pasted as a value). Formulas in cells are not supported.
 */
export type CellContent = CellValue | null;

export interface FormulaEngineOptions {
  /** The data the QFIN functions read; null when none is loaded (they then say so). */
  index: DatasetIndex | null;
  /** Constant cells by A1 address (`{ A1: "Net income", B1: "Q2 2023" }`) that formulas may reference. */
  cells?: Readonly<Record<string, CellContent>>;
}

const SHEET = "Sheet1";
/** The cell a formula is evaluated "in"; only position-dependent functions such as ROW() see it. */
const FORMULA_POSITION = { sheet: SHEET, row: 1, col: 1 };

/**
 * A one-sheet formula engine with every QFIN function registered. Cells hold constants that formulas can reference
 * (`=QFIN.METRIC(A2, B1)`), so a formula reads as it would in a workbook.
 *
 * @example
 * const engine = new FormulaEngine({ index, cells: { A1: "Net income", B1: "Q2 2023" } });
 * engine.evaluate('=ROUND(QFIN.METRIC(A1, B1), 1)') // 1093.4 (RMB millions)
 * engine.evaluate('=QFIN.METRIC("Revenu", "Q2 2023")') // CellError #N/A 'Unknown line item "Revenu"; did you mean …'
 */
export class FormulaEngine {
  private readonly cells = new Map<string, CellContent>();
  private readonly parser: FormulaParser;

  constructor(options: FormulaEngineOptions) {
    for (const [address, content] of Object.entries(options.cells ?? {})) this.setCell(address, content);
    this.parser = createExcelParser({
      functions: qfinParserFunctions(options.index),
      onCell: (ref) => this.readCell(ref),
      onRange: (ref) => this.readRange(ref),
    });
  }

  /**
   * Puts a constant into a cell (`null` empties it).
   *
   * @example
   * engine.setCell("B1", "Q1 2023")
   */
  setCell(address: string, content: CellContent): void {
    const position = parseA1(address);
    if (!position) throw new RangeError(`Not a cell address: ${JSON.stringify(address)} (expected A1-style, e.g. "B3").`);
    const key = cellKey(position.row, position.col);
    if (content === null || content === "") this.cells.delete(key);
    else this.cells.set(key, content);
  }

  /**
   * Evaluates a formula as typed in a cell (the leading `=` is optional). Returns a number, text, boolean, a 2-D
   * array for a spill, or a CellError carrying the function's message; throws FormulaSyntaxError only for text that
   * does not parse as a formula.
   *
   * @example
   * engine.evaluate('=QFIN.METRIC("Net income","Q2 2023")/QFIN.METRIC("Total net revenue","Q2 2023")') // 0.27932715840589…
   * engine.evaluate('=QFIN.SERIES("Net income",{"Q1 2023","Q2 2023"})') // [[929.822, 1093.377]]
   */
  evaluate(formula: string): FunctionResult {
    const body = formula.trim().replace(/^=/, "").trim();
    if (body === "") throw new FormulaSyntaxError(formula, "there is nothing to compute (try =QFIN.VERSION()).");
    let result: unknown;
    const text = parserText(body);
    try {
      result = this.parser.parse(text, { ...FORMULA_POSITION }, true);
    } catch (error) {
      return fromParseFailure(formula, formula.indexOf(body), error, (column) => typedColumn(text, body, column));
    }
    return fromEngineResult(result);
  }

  private readCell(ref: CellReference): unknown {
    if (ref.sheet !== undefined && ref.sheet !== SHEET) return new FormulaError(ErrorType.REF, Messages.noSuchSheet(ref.sheet, SHEET));
    return toEngineCell(this.cells.get(cellKey(ref.row, ref.col)));
  }

  private readRange(ref: RangeReference): unknown[][] {
    if (ref.sheet !== undefined && ref.sheet !== SHEET) {
      return [[new FormulaError(ErrorType.REF, Messages.noSuchSheet(ref.sheet, SHEET))]];
    }
    // Whole columns (A:A) and rows (1:1) reach the sheet's edge: stop at the last used cell, not a million rows on.
    let lastRow = ref.to.row;
    let lastCol = ref.to.col;
    if (lastRow >= FormulaParser.MAX_ROW || lastCol >= FormulaParser.MAX_COLUMN) {
      const used = this.usedExtent();
      if (lastRow >= FormulaParser.MAX_ROW) lastRow = Math.max(ref.from.row, used.row);
      if (lastCol >= FormulaParser.MAX_COLUMN) lastCol = Math.max(ref.from.col, used.col);
    }
    const rows: unknown[][] = [];
    for (let row = ref.from.row; row <= lastRow; row++) {
      const cells: unknown[] = [];
      for (let col = ref.from.col; col <= lastCol; col++) cells.push(toEngineCell(this.cells.get(cellKey(row, col))));
      rows.push(cells);
    }
    return rows;
  }

  /** The last used row and column (0 when the sheet is empty). */
  private usedExtent(): { row: number; col: number } {
    let row = 0;
    let col = 0;
    for (const key of this.cells.keys()) {
      const [cellRow, cellCol] = key.split(",").map(Number);
      row = Math.max(row, cellRow);
      col = Math.max(col, cellCol);
    }
    return { row, col };
  }
}

/**
 * Evaluates one formula with no cells to reference, against `index`: the `qfin eval` command, the workbench and quick
 * checks. The engine is made once per dataset (kept on its index).
 *
 * @example
 * evaluateFormula(index, '=QFIN.METRIC("Net income","Q2 2023")') // 1093.377 (RMB millions)
 * evaluateFormula(index, '=ROUND(QFIN.MARGIN("Net income","Q2 2023"),3)') // 0.279
 */
export function evaluateFormula(index: DatasetIndex | null, formula: string): FunctionResult {
  const engine = index === null ? new FormulaEngine({ index }) : index.memo("formula-engine", () => new FormulaEngine({ index }));
  return engine.evaluate(formula);
}

function cellKey(row: number, col: number): string {
  return `${row},${col}`;
}

/** A cell's content as the engine reads it: errors as FormulaError, empty as null. */
function toEngineCell(content: CellContent | undefined): unknown {
  if (content === undefined || content === null) return null;
  return isCellError(content) ? toFormulaError(content) : content;
}

/**
 * fast-formula-parser throws `#ERROR!` for anything it cannot evaluate. An unknown function is `#NAME?` in Excel (a
 * value, not a refusal); anything else means the text is not a valid formula.
 */
function fromParseFailure(formula: string, bodyOffset: number, error: unknown, toTyped: (column: number) => number): CellError {
  if (isFormulaError(error) && isFormulaError(error.details) && error.details.error === ErrorType.NAME) {
    const unknown = unimplementedFunction(error.details.message);
    return unknown !== null ? unknownFunctionError(unknown) : fromFormulaError(error.details);
  }
  throw new FormulaSyntaxError(formula, syntaxErrorReason(error, bodyOffset, toTyped));
}

/** Where a 1-based column of the parser's text falls in the text as typed (parserText only inserts characters). */
function typedColumn(parsed: string, typed: string, column: number): number {
  let inserted = 0;
  for (let i = 0, j = 0; i < column - 1 && i < parsed.length; i++) {
    if (parsed[i] === typed[j]) j++;
    else inserted++;
  }
  return column - inserted;
}

/** Chevrotain's report lists every token it expected; say where it stopped and what it found instead. */
function syntaxErrorReason(error: unknown, bodyOffset: number, toTyped: (column: number) => number): string {
  const details = isFormulaError(error) ? error.details : error;
  const { errorLocation, message } = (details ?? {}) as { errorLocation?: { column?: number }; message?: unknown };
  const text = typeof message === "string" ? message : "";
  if (errorLocation?.column !== undefined) {
    const found =
      /but found:? (?:--> )?'([^']*)'/.exec(text) ?? /unexpected character: ->(.)<-/.exec(text) ?? /but found: (\S+)/.exec(text);
    const problem = !found ? "unexpected text" : found[1] === "" ? "the formula ends too early" : `unexpected '${found[1]}'`;
    return `syntax error at character ${toTyped(errorLocation.column) + bodyOffset}: ${problem}.`;
  }
  // Anything else the engine throws on (e.g. "==1") is text it cannot read as a formula either.
  return `not a valid formula${text ? ` (${text.trim().split("\n")[0]})` : ""}.`;
}
