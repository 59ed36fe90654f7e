/**
 * Excel 365's lookup and dynamic-array functions that neither fast-formula-parser 1.0.19 nor formulajs 4.6.1 has
 * (formulajs's SORT compares numbers as text and its UNIQUE is not Excel's): XLOOKUP, XMATCH, FILTER, SORT, UNIQUE,
 * implemented here with Excel's rules, since no maintained MIT/Apache engine that hosts custom functions as ours
 * must was clearly better (docs/formula-engine.md). Results are values or 2-D arrays, which spill as any array does.
 * Comparisons are Excel's: text without regard to case, numbers < text < logicals in sort order, no match across
 * types; `*`, `?` and `~` in XLOOKUP/XMATCH's wildcard mode.
 */
import FormulaParser from "fast-formula-parser";
import type { FunctionArgument } from "fast-formula-parser";
import { ErrorType } from "../core/cell";

const { FormulaError } = FormulaParser;
type FormulaError = InstanceType<typeof FormulaError>;
type Grid = unknown[][];

const valueError = (message: string): FormulaError => new FormulaError(ErrorType.VALUE, message);

/** An argument as a grid: a range or array as it is, a scalar as 1×1. */
function gridOf(arg: FunctionArgument | undefined): Grid {
  const value = arg?.value;
  if (Array.isArray(value)) return (value as unknown[]).map((row) => (Array.isArray(row) ? row : [row]));
  return [[value]];
}

/** A scalar argument: the top-left of an array, null when omitted. */
function scalarOf(arg: FunctionArgument | undefined): unknown {
  if (!arg || arg.omitted) return null;
  let value = arg.value;
  while (Array.isArray(value)) value = value[0];
  return value;
}

function numberArg(arg: FunctionArgument | undefined, fallback: number, name: string): number | FormulaError {
  const value = scalarOf(arg);
  if (value === null || value === undefined || value === "") return fallback;
  if (value instanceof FormulaError) return value;
  const number = typeof value === "boolean" ? Number(value) : Number(value);
  return Number.isFinite(number) ? Math.trunc(number) : valueError(`${name} must be a number (got ${JSON.stringify(value)}).`);
}

function booleanArg(arg: FunctionArgument | undefined): boolean | FormulaError {
  const value = scalarOf(arg);
  if (value instanceof FormulaError) return value;
  if (typeof value === "string") {
    if (/^true$/i.test(value)) return true;
    if (/^false$/i.test(value)) return false;
    return valueError(`expected TRUE or FALSE (got ${JSON.stringify(value)}).`);
  }
  return Boolean(value);
}

/** Excel's order of kinds when sorting or comparing for "next smaller/larger": numbers, text, logicals. */
function kind(value: unknown): number {
  if (typeof value === "number") return 0;
  if (typeof value === "string") return 1;
  if (typeof value === "boolean") return 2;
  return 3; // blanks and errors sort last
}

/** Excel's comparison of two values of the same kind (text without regard to case); kinds in kind() order. */
function compare(a: unknown, b: unknown): number {
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb) return ka - kb;
  if (ka === 0) return (a as number) - (b as number);
  if (ka === 1) {
    const x = (a as string).toLowerCase();
    const y = (b as string).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ka === 2) return Number(a) - Number(b);
  return 0;
}

const sameValue = (a: unknown, b: unknown): boolean => kind(a) === kind(b) && kind(a) < 3 && compare(a, b) === 0;

/** `*` any run, `?` one character, `~` escapes: Excel's wildcards as a regular expression. */
function wildcard(pattern: string): RegExp {
  let source = "";
  for (let at = 0; at < pattern.length; at++) {
    const char = pattern[at] as string;
    if (char === "~" && at + 1 < pattern.length) source += (pattern[++at] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (char === "*") source += "[\\s\\S]*";
    else if (char === "?") source += "[\\s\\S]";
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "i");
}

/** A one-row or one-column range as a list, with its direction; an error value when it is neither. */
function vectorOf(grid: Grid, name: string): { values: unknown[]; vertical: boolean } | FormulaError {
  const rows = grid.length;
  const columns = grid[0]?.length ?? 0;
  if (columns === 1) return { values: grid.map((row) => row[0]), vertical: true };
  if (rows === 1) return { values: grid[0] as unknown[], vertical: false };
  return valueError(`${name} must be one row or one column (it is ${rows}×${columns}).`);
}

/**
 * The position (0-based) XLOOKUP and XMATCH find, or -1: Excel's match modes (0 exact, -1 exact or next smaller,
 * 1 exact or next larger, 2 wildcard) and search modes (1 first to last, -1 last to first, 2 and -2 binary search
 * over data sorted ascending or descending).
 */
function find(target: unknown, values: readonly unknown[], matchMode: number, searchMode: number): number {
  if (searchMode === 2 || searchMode === -2) return binaryFind(target, values, matchMode, searchMode === 2 ? 1 : -1);
  const pattern = matchMode === 2 && typeof target === "string" ? wildcard(target) : undefined;
  const order = searchMode === -1 ? [...values.keys()].reverse() : [...values.keys()];
  let best = -1;
  for (const at of order) {
    const value = values[at];
    if (pattern ? typeof value === "string" && pattern.test(value) : sameValue(value, target)) return at;
    if (matchMode !== 1 && matchMode !== -1) continue;
    if (kind(value) !== kind(target) || kind(value) === 3) continue;
    const side = compare(value, target);
    if (matchMode === -1 && side < 0 && (best < 0 || compare(value, values[best]) > 0)) best = at;
    if (matchMode === 1 && side > 0 && (best < 0 || compare(value, values[best]) < 0)) best = at;
  }
  return best;
}

function binaryFind(target: unknown, values: readonly unknown[], matchMode: number, direction: 1 | -1): number {
  let low = 0;
  let high = values.length - 1;
  let below = -1; // the last position whose value is before the target in the data's order
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const side = compare(values[mid], target) * direction;
    if (side === 0 && kind(values[mid]) === kind(target)) return mid;
    if (side < 0) {
      below = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  const smaller = direction === 1 ? below : below + 1 < values.length ? below + 1 : -1;
  const larger = direction === 1 ? (below + 1 < values.length ? below + 1 : -1) : below;
  const pick = matchMode === -1 ? smaller : matchMode === 1 ? larger : -1;
  return pick >= 0 && kind(values[pick]) === kind(target) ? pick : -1;
}

function modes(args: readonly FunctionArgument[], matchAt: number, name: string): { match: number; search: number } | FormulaError {
  const match = numberArg(args[matchAt], 0, `${name}'s match_mode`);
  if (match instanceof FormulaError) return match;
  const search = numberArg(args[matchAt + 1], 1, `${name}'s search_mode`);
  if (search instanceof FormulaError) return search;
  if (![0, -1, 1, 2].includes(match)) return valueError(`${name}'s match_mode must be 0, -1, 1 or 2 (got ${match}).`);
  if (![1, -1, 2, -2].includes(search)) return valueError(`${name}'s search_mode must be 1, -1, 2 or -2 (got ${search}).`);
  return { match, search };
}

const describe = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : String(value));

/**
 * XLOOKUP(lookup_value, lookup_array, return_array, [if_not_found], [match_mode], [search_mode]).
 *
 * @example
 * XLOOKUP("Cost", C1:C3, D1:D3)          // 60
 * XLOOKUP("X", C1:C3, D1:D3, "none")     // "none"
 * XLOOKUP("Cost", C1:C3, D1:E3)          // [[60, "b"]] (the row of the return array)
 */
export function XLOOKUP(...args: FunctionArgument[]): unknown {
  if (args.length < 3 || args.length > 6) return valueError(`XLOOKUP takes 3 to 6 arguments (got ${args.length}).`);
  const target = scalarOf(args[0]);
  if (target instanceof FormulaError) return target;
  const lookup = vectorOf(gridOf(args[1]), "XLOOKUP's lookup_array");
  if (lookup instanceof FormulaError) return lookup;
  const returned = gridOf(args[2]);
  const length = lookup.vertical ? returned.length : (returned[0]?.length ?? 0);
  if (length !== lookup.values.length) {
    return valueError(`XLOOKUP's return_array must have as many ${lookup.vertical ? "rows" : "columns"} as its lookup_array (${length}, not ${lookup.values.length}).`);
  }
  const mode = modes(args, 4, "XLOOKUP");
  if (mode instanceof FormulaError) return mode;
  const at = find(target, lookup.values, mode.match, mode.search);
  if (at < 0) {
    const fallback = args[3];
    if (fallback && !fallback.omitted) return fallback.value;
    return new FormulaError(ErrorType.NA, `XLOOKUP found no match for ${describe(target)}.`);
  }
  const picked = lookup.vertical ? [returned[at] as unknown[]] : returned.map((row) => [row[at]]);
  return picked.length === 1 && picked[0]?.length === 1 ? (picked[0] as unknown[])[0] : picked;
}

/**
 * XMATCH(lookup_value, lookup_array, [match_mode], [search_mode]): the 1-based position.
 *
 * @example
 * XMATCH("Profit", C1:C3) // 3
 */
export function XMATCH(...args: FunctionArgument[]): unknown {
  if (args.length < 2 || args.length > 4) return valueError(`XMATCH takes 2 to 4 arguments (got ${args.length}).`);
  const target = scalarOf(args[0]);
  if (target instanceof FormulaError) return target;
  const lookup = vectorOf(gridOf(args[1]), "XMATCH's lookup_array");
  if (lookup instanceof FormulaError) return lookup;
  const mode = modes(args, 2, "XMATCH");
  if (mode instanceof FormulaError) return mode;
  const at = find(target, lookup.values, mode.match, mode.search);
  return at < 0 ? new FormulaError(ErrorType.NA, `XMATCH found no match for ${describe(target)}.`) : at + 1;
}

/**
 * FILTER(array, include, [if_empty]): the rows (or columns) of `array` where `include` is true. Excel shows #CALC!
 * when nothing is kept and `if_empty` is not given; this engine has no #CALC!, so that is #VALUE! with the reason.
 *
 * @example
 * FILTER(C1:D3, D1:D3>50) // [["Revenue", 100], ["Cost", 60]]
 */
export function FILTER(...args: FunctionArgument[]): unknown {
  if (args.length < 2 || args.length > 3) return valueError(`FILTER takes 2 or 3 arguments (got ${args.length}).`);
  // Errors in the array are values like any other: kept where their row is kept, gone where it is not.
  const array = gridOf(args[0]);
  const include = gridOf(args[1]);
  const rows = array.length;
  const columns = array[0]?.length ?? 0;
  const byRow = (include[0]?.length ?? 0) === 1 && include.length === rows;
  const byColumn = include.length === 1 && (include[0]?.length ?? 0) === columns;
  if (!byRow && !byColumn) {
    return valueError(`FILTER's include must be one column as tall as the array or one row as wide (the array is ${rows}×${columns}, include ${include.length}×${include[0]?.length ?? 0}).`);
  }
  const flags = byRow ? include.map((row) => row[0]) : (include[0] as unknown[]);
  const keep: boolean[] = [];
  for (const flag of flags) {
    if (flag instanceof FormulaError) return flag;
    if (typeof flag === "string") return valueError(`FILTER's include must be TRUE/FALSE or numbers (got ${JSON.stringify(flag)}).`);
    keep.push(Boolean(flag));
  }
  const kept = byRow ? array.filter((_, at) => keep[at]) : array.map((row) => row.filter((_, at) => keep[at]));
  if (kept.length === 0 || (kept[0]?.length ?? 0) === 0) {
    const fallback = args[2];
    if (fallback && !fallback.omitted) return fallback.value;
    return valueError("FILTER kept nothing (Excel shows #CALC!); give its third argument, if_empty, for this case.");
  }
  return kept;
}

/**
 * SORT(array, [sort_index], [sort_order], [by_col]): a stable sort by one column (or row), ascending (1) or
 * descending (-1), in Excel's order: numbers, then text (case ignored), then logicals; blanks and errors last.
 *
 * @example
 * SORT(D1:D3) // [[40], [60], [100]]
 */
export function SORT(...args: FunctionArgument[]): unknown {
  if (args.length < 1 || args.length > 4) return valueError(`SORT takes 1 to 4 arguments (got ${args.length}).`);
  const array = gridOf(args[0]);
  const index = numberArg(args[1], 1, "SORT's sort_index");
  if (index instanceof FormulaError) return index;
  const order = numberArg(args[2], 1, "SORT's sort_order");
  if (order instanceof FormulaError) return order;
  const byColumn = booleanArg(args[3]);
  if (byColumn instanceof FormulaError) return byColumn;
  if (order !== 1 && order !== -1) return valueError(`SORT's sort_order must be 1 or -1 (got ${order}).`);
  const lines = byColumn ? transpose(array) : array;
  const width = lines[0]?.length ?? 0;
  if (index < 1 || index > width) return valueError(`SORT's sort_index must be between 1 and ${width} (got ${index}).`);
  const keyed = lines.map((line, at) => ({ line, at, key: line[index - 1] }));
  keyed.sort((a, b) => {
    const blankA = kind(a.key) === 3;
    const blankB = kind(b.key) === 3;
    if (blankA !== blankB) return blankA ? 1 : -1;
    return compare(a.key, b.key) * order || a.at - b.at;
  });
  const sorted = keyed.map((entry) => entry.line);
  return byColumn ? transpose(sorted) : sorted;
}

/**
 * UNIQUE(array, [by_col], [exactly_once]): distinct rows (or columns) in order of first appearance, text compared
 * without regard to case; with exactly_once, only those that appear once.
 *
 * @example
 * UNIQUE({1;1;2}) // [[1], [2]]
 */
export function UNIQUE(...args: FunctionArgument[]): unknown {
  if (args.length < 1 || args.length > 3) return valueError(`UNIQUE takes 1 to 3 arguments (got ${args.length}).`);
  const array = gridOf(args[0]);
  const byColumn = booleanArg(args[1]);
  if (byColumn instanceof FormulaError) return byColumn;
  const once = booleanArg(args[2]);
  if (once instanceof FormulaError) return once;
  const lines = byColumn ? transpose(array) : array;
  const keyOf = (line: unknown[]): string =>
    JSON.stringify(line.map((cell) => (typeof cell === "string" ? ["s", cell.toLowerCase()] : cell instanceof FormulaError ? ["e", cell.error] : [kind(cell), cell ?? null])));
  const counts = new Map<string, { line: unknown[]; count: number }>();
  for (const line of lines) {
    const key = keyOf(line);
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { line, count: 1 });
  }
  const distinct = [...counts.values()].filter((entry) => !once || entry.count === 1).map((entry) => entry.line);
  if (distinct.length === 0) return valueError("UNIQUE found no value that appears exactly once (Excel shows #CALC!).");
  return byColumn ? transpose(distinct) : distinct;
}

function transpose(grid: Grid): Grid {
  const columns = grid[0]?.length ?? 0;
  return Array.from({ length: columns }, (_, col) => grid.map((row) => row[col]));
}

/**
 * ROWS and COLUMNS of an array as well as a reference: fast-formula-parser answers #VALUE! for `ROWS({1;2})` or
 * `ROWS(FILTER(…))`. Called with the parser's context first and the argument unevaluated (as the parser calls them).
 */
function dimension(which: "rows" | "columns"): (context: unknown, arg: unknown) => unknown {
  return (_context, arg) => {
    if (arg instanceof FormulaError) return arg;
    const ref = (arg as { ref?: { row?: number; from?: { row: number; col: number }; to?: { row: number; col: number } } } | null)?.ref;
    if (ref?.from && ref.to) return which === "rows" ? Math.abs(ref.to.row - ref.from.row) + 1 : Math.abs(ref.to.col - ref.from.col) + 1;
    if (ref) return 1;
    const value = (arg as { value?: unknown } | null)?.value ?? arg;
    if (value instanceof FormulaError) return value;
    if (!Array.isArray(value)) return 1;
    return which === "rows" ? value.length : Array.isArray(value[0]) ? (value[0] as unknown[]).length : 1;
  };
}

/** The functions by the names formulas use (fast-formula-parser strips `_xlfn.`, as Excel saves these). */
export const EXCEL_ARRAY_FUNCTIONS: Readonly<Record<string, (...args: never[]) => unknown>> = {
  XLOOKUP,
  XMATCH,
  FILTER,
  SORT,
  UNIQUE,
  ROWS: dimension("rows"),
  COLUMNS: dimension("columns"),
};
