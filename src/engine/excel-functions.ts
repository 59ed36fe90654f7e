/**
 * Excel functions that fast-formula-parser lacks or gets wrong, supplied by formulajs (@formulajs/formulajs, MIT)
 * through one bridge. The bridge does what neither library does on its own, as Excel does it:
 * - reads fast-formula-parser's arguments (ranges, array literals, single-cell references, typed values, omitted
 *   arguments) as Excel's function families read them, and hands formulajs plain values;
 * - applies Excel's error rule before formulajs sees the arguments: in an aggregate (SUM, AVERAGE, MAX, …) an error
 *   anywhere — typed, in a range, in an array or a spill — is the result, with its message (a QFIN `#N/A` stays
 *   "not reported for Q3 2022", not a bare code). fast-formula-parser skips such errors and formulajs drops their
 *   messages, either of which turns a missing quarter into a plausible wrong total;
 * - turns formulajs's results and error values back into the parser's.
 * The implementations themselves are formulajs's: nothing here computes a function. Named imports only, so a
 * bundler keeps just these functions.
 */
import {
  AND,
  AVERAGE,
  AVERAGEIFS,
  CHOOSE,
  COUNT,
  COUNTA,
  COUNTBLANK,
  COUNTIF,
  COUNTIFS,
  LARGE,
  LEN,
  MATCH,
  MAX,
  MAXIFS,
  MEDIAN,
  MIN,
  MINIFS,
  NUMBERVALUE,
  OR,
  PRODUCT,
  RANKEQ,
  ROUND,
  ROUNDDOWN,
  ROUNDUP,
  SEARCH,
  SMALL,
  STDEVP,
  STDEVS,
  SUBSTITUTE,
  SUM,
  SUMIFS,
  SUMPRODUCT,
  SWITCH,
  TEXTJOIN,
  TRIM,
  UPPER,
  VARP,
  VARS,
  XOR,
} from "@formulajs/formulajs";
import FormulaParser from "fast-formula-parser";
import type { FunctionArgument } from "fast-formula-parser";
import { ErrorType, errorTypeOf } from "../core/cell";
import { Messages } from "../core/messages";

const { FormulaError } = FormulaParser;
type FormulaError = InstanceType<typeof FormulaError>;

/**
 * How a function reads its arguments, and which errors decide its result — Excel's rule for each family:
 * - `aggregate` (SUM, AVERAGE, MAX, …): ranges, arrays and single-cell references contribute their numbers and skip
 *   text, booleans and blanks; a typed argument is coerced (TRUE → 1, "5" → 5, "x" → #VALUE!, an empty slot → 0);
 *   an error anywhere is the result.
 * - `count` (COUNT): like `aggregate`, but a typed argument that is not a number is simply not counted, and errors
 *   are never the result (they are not numbers).
 * - `strict` (AND, OR, TEXTJOIN, …): values as they are; an error anywhere, inside ranges too, is the result.
 * - `lookup` (MATCH, CHOOSE, SWITCH, COUNTIF, …): values as they are; an error as the first argument (the value
 *   looked up, the index chosen by) is the result; any other error is the function's business (COUNTIF skips it,
 *   CHOOSE returns it only when chosen).
 * - `pass` (COUNTA, COUNTBLANK): values as they are, errors included; the function decides.
 */
export type ArgumentRule = "aggregate" | "count" | "strict" | "lookup" | "pass";

interface BridgedFunction {
  rule: ArgumentRule;
  /** formulajs's implementation, called with plain values. */
  run: (...args: unknown[]) => unknown;
  /** SUMPRODUCT's rule: entries of its arrays that are not numbers count as 0 (formulajs refuses them with #VALUE!). */
  nonNumbersAsZero?: boolean;
  /**
   * The criteria family (COUNTIF, SUMIFS, …): Excel matches text without regard to case, formulajs with it, so the
   * bridge hands formulajs lower-cased text (the results are counts and sums, never the text). formulajs has no
   * wildcards: criteria with `*`, `?` or `~` are refused with #VALUE! rather than matched literally to a wrong count.
   */
  criteria?: boolean;
}

const bridged = (rule: ArgumentRule, run: (...args: unknown[]) => unknown, extra: Partial<BridgedFunction> = {}): BridgedFunction => ({
  rule,
  run,
  ...extra,
});

/**
 * The functions taken from formulajs, by the name formulas use. Chosen by the fidelity survey
 * (test/engine/excel-fidelity.test.ts): each is missing from fast-formula-parser 1.0.19 (MAX, MIN, MEDIAN, MATCH,
 * CHOOSE, …) or computes a wrong value there (SUM/AVERAGE/PRODUCT/SUMPRODUCT skip errors; COUNTIF(">15") counts
 * text; LEN of a blank is 15; TRIM keeps inner runs of spaces; SEARCH is case-sensitive; ROUND of a blank throws).
 */
export const FORMULAJS_FUNCTIONS: Readonly<Record<string, BridgedFunction>> = {
  SUM: bridged("aggregate", SUM),
  AVERAGE: bridged("aggregate", AVERAGE),
  MAX: bridged("aggregate", MAX),
  MIN: bridged("aggregate", MIN),
  PRODUCT: bridged("aggregate", PRODUCT),
  MEDIAN: bridged("aggregate", MEDIAN),
  "STDEV.S": bridged("aggregate", STDEVS),
  "STDEV.P": bridged("aggregate", STDEVP),
  "VAR.S": bridged("aggregate", VARS),
  "VAR.P": bridged("aggregate", VARP),
  LARGE: bridged("aggregate", LARGE),
  SMALL: bridged("aggregate", SMALL),
  "RANK.EQ": bridged("aggregate", RANKEQ),
  SUMPRODUCT: bridged("aggregate", SUMPRODUCT, { nonNumbersAsZero: true }),
  COUNT: bridged("count", COUNT),
  COUNTA: bridged("pass", COUNTA),
  COUNTBLANK: bridged("pass", COUNTBLANK),
  COUNTIF: bridged("lookup", COUNTIF, { criteria: true }),
  COUNTIFS: bridged("lookup", COUNTIFS, { criteria: true }),
  SUMIFS: bridged("lookup", SUMIFS, { criteria: true }),
  AVERAGEIFS: bridged("lookup", AVERAGEIFS, { criteria: true }),
  MAXIFS: bridged("lookup", MAXIFS, { criteria: true }),
  MINIFS: bridged("lookup", MINIFS, { criteria: true }),
  MATCH: bridged("lookup", MATCH),
  CHOOSE: bridged("lookup", CHOOSE),
  SWITCH: bridged("lookup", SWITCH),
  AND: bridged("strict", AND),
  OR: bridged("strict", OR),
  XOR: bridged("strict", XOR),
  TEXTJOIN: bridged("strict", TEXTJOIN),
  ROUND: bridged("strict", ROUND),
  ROUNDUP: bridged("strict", ROUNDUP),
  ROUNDDOWN: bridged("strict", ROUNDDOWN),
  LEN: bridged("strict", LEN),
  TRIM: bridged("strict", TRIM),
  UPPER: bridged("strict", UPPER),
  SUBSTITUTE: bridged("strict", SUBSTITUTE),
  SEARCH: bridged("strict", SEARCH),
  // formulajs's VALUE reads "x" as 0; its NUMBERVALUE refuses it (NaN, which the parser shows as #VALUE!), as Excel's VALUE does.
  VALUE: bridged("strict", (text) => NUMBERVALUE(text)),
};

/**
 * fast-formula-parser calls these built-in names with its own context as the first argument (a fixed list in its
 * grammar/hooks.js), whoever implements them.
 */
const CALLED_WITH_CONTEXT = new Set(["CHOOSE"]);

/**
 * The bridged functions as fast-formula-parser's `functions` config expects them: each takes the parser's argument
 * objects and returns a value, a 2-D array or a FormulaError.
 *
 * @example
 * new FormulaParser({ functions: { ...excelFunctionOverrides(), ...qfinFunctions } })
 * // then SUM({1,#N/A}) → #N/A, MAX(A1:A6) → 30
 */
export function excelFunctionOverrides(): Record<string, (...args: FunctionArgument[]) => unknown> {
  const overrides: Record<string, (...args: FunctionArgument[]) => unknown> = {};
  for (const [name, fn] of Object.entries(FORMULAJS_FUNCTIONS)) {
    overrides[name] = (...args: unknown[]) => callBridged(name, fn, (CALLED_WITH_CONTEXT.has(name) ? args.slice(1) : args) as FunctionArgument[]);
  }
  return overrides;
}

function callBridged(name: string, fn: BridgedFunction, args: readonly FunctionArgument[]): unknown {
  const error = decidingError(fn.rule, args) ?? (fn.criteria ? wildcardError(name, args) : undefined);
  if (error) return error;
  let values = args.map((arg) => toFormulajsArgument(fn, arg)).filter((value) => value !== NOT_COUNTED);
  if (fn.criteria) values = values.map((value) => mapValues(value, (cell) => (typeof cell === "string" ? cell.toLowerCase() : cell)));
  let result: unknown;
  try {
    result = fn.run(...values);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return new FormulaError(ErrorType.VALUE, Messages.functionFailed(name, reason));
  }
  return fromFormulajsResult(result);
}

/** Criteria are the arguments after each range: every second one (COUNTIF(range, criteria), SUMIFS(sum, range, criteria, …)). */
function wildcardError(name: string, args: readonly FunctionArgument[]): FormulaError | undefined {
  const firstCriteria = name === "COUNTIF" || name === "COUNTIFS" ? 1 : 2;
  for (let index = firstCriteria; index < args.length; index += 2) {
    const criteria = args[index]?.value;
    if (typeof criteria === "string" && /[*?~]/.test(criteria)) {
      return new FormulaError(ErrorType.VALUE, Messages.wildcardCriteria(name, JSON.stringify(criteria)));
    }
  }
  return undefined;
}

/** The error that is the result before the function runs, under the function's rule (the first, in argument order). */
function decidingError(rule: ArgumentRule, args: readonly FunctionArgument[]): FormulaError | undefined {
  if (rule === "count" || rule === "pass") return undefined;
  if (rule === "lookup") return args[0]?.value instanceof FormulaError ? args[0].value : undefined;
  for (const arg of args) {
    if (arg.omitted) continue;
    const { value } = arg;
    if (value instanceof FormulaError) return value;
    const typed = !arg.isArray && !arg.isRangeRef && !arg.isCellRef;
    if (rule === "aggregate" && typed && typeof value === "string" && !isNumber(textAsNumber(value))) {
      return new FormulaError(ErrorType.VALUE, Messages.notANumber(String(value)));
    }
    if (Array.isArray(value)) {
      for (const row of value as unknown[]) {
        for (const cell of Array.isArray(row) ? row : [row]) if (cell instanceof FormulaError) return cell;
      }
    }
  }
  return undefined;
}

/** Marks a typed argument COUNT does not count (not a number, not coercible to one). */
const NOT_COUNTED = Symbol("not counted");

/** One argument as formulajs takes it under the function's rule. */
function toFormulajsArgument(fn: BridgedFunction, arg: FunctionArgument): unknown {
  const { value } = arg;
  if (fn.rule === "aggregate" || fn.rule === "count") {
    if (arg.isCellRef || arg.isRangeRef || arg.isArray) {
      const grid = Array.isArray(value) ? (value as unknown[]) : [[value]];
      // SUMPRODUCT keeps its arrays' shape, with 0 for what is not a number.
      if (fn.nonNumbersAsZero) return mapValues(grid, (cell) => (typeof cell === "number" ? cell : 0));
      // A reference or array contributes only its numbers (formulajs would read "5" or TRUE in a range as numbers).
      return [grid.flat().filter((cell): cell is number => typeof cell === "number")];
    }
    if (arg.omitted) return fn.rule === "count" ? NOT_COUNTED : 0;
    // A typed argument: Excel coerces TRUE, FALSE and numeric text ("5", "1,234.5") to numbers.
    const number = typeof value === "boolean" ? Number(value) : typeof value === "string" ? textAsNumber(value) : value;
    return fn.rule === "count" && !isNumber(number) ? NOT_COUNTED : number;
  }
  // An empty argument slot (F(a,,c)) is a blank.
  return arg.omitted ? null : value;
}

/** Numeric text as Excel reads it in a typed argument ("5", " 1,234.5 "); NaN for anything else, "" included. */
function textAsNumber(text: string): number {
  return text.trim() === "" ? NaN : (NUMBERVALUE(text) as number);
}

/** formulajs's result → the parser's: its error values become FormulaError, arrays stay 2-D. */
function fromFormulajsResult(result: unknown): unknown {
  if (Array.isArray(result)) return (result as unknown[]).map((row) => (Array.isArray(row) ? row : [row]).map(fromFormulajsValue));
  return fromFormulajsValue(result);
}

function fromFormulajsValue(value: unknown): unknown {
  if (value instanceof FormulaError) return value; // one of our errors, passed through (its message kept)
  if (value instanceof Error) return new FormulaError(errorTypeOf(value.message) ?? ErrorType.VALUE);
  if (value === undefined) return null;
  return value;
}


function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Applies `map` to a scalar, or to every cell of a 2-D array. */
function mapValues(value: unknown, map: (cell: unknown) => unknown): unknown {
  if (!Array.isArray(value)) return map(value);
  return (value as unknown[]).map((row) => (Array.isArray(row) ? row : [row]).map(map));
}
