/**
 * Excel's operators (`+ - * / ^ & = <> < > <= >=`, unary minus, `%`) on top of fast-formula-parser's, where its
 * operators differ from Excel 365:
 * - it applies an operator to the first element of an array only, so `SUM((C1:C3="Cost")*D1:D3)` or
 *   `SUM(B1:B3*1)` silently computes from one cell; Excel computes element by element (a spill);
 * - it compares text case-sensitively (`"a"="A"` is FALSE; Excel: TRUE);
 * - it compares a blank cell as 0 only (`A3=""` is FALSE for an empty A3; Excel: TRUE);
 * - `&` has no limit (Excel's is 32,767 characters, text-limit.ts).
 * The scalar operation itself stays fast-formula-parser's; this module only lifts it over arrays and normalises the
 * operands first. Installed on a parser instance by `installExcelOperators`.
 */
import FormulaParser from "fast-formula-parser";
import { ErrorType } from "../core/cell";
import { limitText } from "./text-limit";

const { FormulaError } = FormulaParser;

/** An operand as fast-formula-parser's operator hooks receive it. */
interface Operand {
  val: unknown;
  isArray: boolean;
}

/** The operator hooks of fast-formula-parser 1.0.19's `Utils` (grammar/utils.js), which the grammar calls for every operator. */
interface OperatorHooks {
  _applyInfix(res1: Operand, infix: string, res2: Operand): unknown;
  _applyPrefix(prefixes: string[], val: unknown, isArray: boolean): unknown;
  _applyPostfix(val: unknown, isArray: boolean, postfix: string): unknown;
}

const COMPARISONS = new Set(["=", "<>", "<", ">", "<=", ">="]);

/**
 * Replaces the parser's operator hooks with Excel's array-aware versions.
 *
 * @example
 * installExcelOperators(parser);
 * parser.parse('SUM({1,2}*2)', position) // 6 (was 2)
 */
export function installExcelOperators(parser: FormulaParser): void {
  const hooks = (parser as unknown as { utils?: OperatorHooks }).utils;
  if (!hooks || typeof hooks._applyInfix !== "function" || typeof hooks._applyPrefix !== "function" || typeof hooks._applyPostfix !== "function") {
    throw new Error("fast-formula-parser's operator hooks have changed; src/engine/excel-operators.ts needs updating.");
  }
  const infix = hooks._applyInfix.bind(hooks);
  const prefix = hooks._applyPrefix.bind(hooks);
  const postfix = hooks._applyPostfix.bind(hooks);

  hooks._applyInfix = (left, operator, right) =>
    lift2(left.val, right.val, (a, b) => {
      if (a instanceof FormulaError) return a;
      if (b instanceof FormulaError) return b;
      if (COMPARISONS.has(operator)) [a, b] = comparable(a, b);
      const result = infix({ val: a, isArray: false }, operator, { val: b, isArray: false });
      // `&` is where text grows: past a cell's 32,767 characters it is #VALUE!, as in Excel.
      return operator === "&" ? limitText(result) : result;
    });
  hooks._applyPrefix = (prefixes, val) => lift1(val, (value) => prefix(prefixes, value, false));
  hooks._applyPostfix = (val, _isArray, operator) => lift1(val, (value) => postfix(value, false, operator));
}

/**
 * Excel's comparison operands: a blank takes the other side's kind of emptiness (0, "" or FALSE), and text compares
 * without regard to case.
 */
function comparable(a: unknown, b: unknown): [unknown, unknown] {
  if (a === null || a === undefined) a = blankLike(b);
  if (b === null || b === undefined) b = blankLike(a);
  if (typeof a === "string" && typeof b === "string") return [a.toLowerCase(), b.toLowerCase()];
  return [a, b];
}

function blankLike(other: unknown): unknown {
  if (typeof other === "string") return "";
  if (typeof other === "boolean") return false;
  return 0;
}

type Grid = unknown[][];

function asGrid(value: unknown): Grid | undefined {
  if (!Array.isArray(value)) return undefined;
  return (value as unknown[]).map((row) => (Array.isArray(row) ? row : [row]));
}

function lift1(value: unknown, apply: (value: unknown) => unknown): unknown {
  const grid = asGrid(value);
  return grid ? grid.map((row) => row.map(apply)) : apply(value);
}

/**
 * Excel's broadcasting: a scalar meets every element; a single row or column repeats to the other operand's size;
 * where two arrays of different sizes do not overlap, the cell is #N/A.
 */
function lift2(left: unknown, right: unknown, apply: (a: unknown, b: unknown) => unknown): unknown {
  const a = asGrid(left);
  const b = asGrid(right);
  if (!a && !b) return apply(left, right);
  const rows = Math.max(a?.length ?? 1, b?.length ?? 1);
  const cols = Math.max(a?.[0]?.length ?? 1, b?.[0]?.length ?? 1);
  const at = (grid: Grid | undefined, scalar: unknown, row: number, col: number): unknown => {
    if (!grid) return scalar;
    const r = grid.length === 1 ? 0 : row;
    const c = (grid[0]?.length ?? 0) === 1 ? 0 : col;
    return r < grid.length && c < (grid[r]?.length ?? 0) ? grid[r][c] : OUTSIDE;
  };
  const result: Grid = [];
  for (let row = 0; row < rows; row++) {
    const cells: unknown[] = [];
    for (let col = 0; col < cols; col++) {
      const x = at(a, left, row, col);
      const y = at(b, right, row, col);
      cells.push(x === OUTSIDE || y === OUTSIDE ? new FormulaError(ErrorType.NA) : apply(x, y));
    }
    result.push(cells);
  }
  return result;
}

const OUTSIDE = Symbol("outside the array");
