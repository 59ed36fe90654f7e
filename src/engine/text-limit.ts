/**
 * Excel's 32,767-character limit on text in a cell, which fast-formula-parser does not have (`REPT("x",1E8)` built a
 * 100-million-character string, and `&` chains doubled it again). Every function's result and every `&` is checked
 * (installTextLimit), REPT refuses before it builds anything, and the final cell value is checked where results leave
 * the engine (value-bridge.ts): text past the limit is `#VALUE!` with a message, as in Excel.
 */
import FormulaParser from "fast-formula-parser";
import type { FunctionArgument } from "fast-formula-parser";
import { ErrorType } from "../core/cell";

const { FormulaError } = FormulaParser;
type FormulaError = InstanceType<typeof FormulaError>;

/** The most characters an Excel cell holds. */
export const MAX_TEXT_LENGTH = 32_767;

/** The message of a text result that would not fit in a cell. */
export const textTooLongMessage = (length: number): string =>
  `The text would be ${length.toLocaleString("en-US")} characters long; a cell holds at most ${MAX_TEXT_LENGTH.toLocaleString("en-US")} (Excel's limit).`;

export const textTooLong = (length: number): FormulaError => new FormulaError(ErrorType.VALUE, textTooLongMessage(length));

/** A value, or every cell of an array, with text past the limit replaced by `#VALUE!`. */
export function limitText(value: unknown): unknown {
  if (typeof value === "string") return value.length > MAX_TEXT_LENGTH ? textTooLong(value.length) : value;
  if (!Array.isArray(value)) return value;
  let changed = false;
  const rows = (value as unknown[]).map((row) => {
    if (!Array.isArray(row)) return row;
    return row.map((cell) => {
      if (typeof cell !== "string" || cell.length <= MAX_TEXT_LENGTH) return cell;
      changed = true;
      return textTooLong(cell.length);
    });
  });
  return changed ? rows : value;
}

interface CallHook {
  callFunction(name: string, args: unknown[]): unknown;
}

/**
 * Checks every function's result on a parser instance (fast-formula-parser calls every function, built-in or ours,
 * through `callFunction`).
 *
 * @example
 * installTextLimit(parser);
 * parser.parse('CONCAT(REPT("ab",20000))', position) // FormulaError #VALUE! "The text would be 40,000 characters long; …"
 */
export function installTextLimit(parser: FormulaParser): void {
  const hook = parser as unknown as CallHook;
  if (typeof hook.callFunction !== "function") throw new Error("fast-formula-parser's callFunction has changed; src/engine/text-limit.ts needs updating.");
  const call = hook.callFunction.bind(parser);
  hook.callFunction = (name, args) => limitText(call(name, args));
}

/**
 * REPT under the limit: refused before the text is built (fast-formula-parser appends in a loop, a hundred million
 * times for `REPT("x",1E8)`). Excel's rules otherwise: the count is truncated, a negative count is `#VALUE!`.
 *
 * @example
 * REPT({ value: "ab" }, { value: 2.9 }) // "abab"
 */
export function REPT(text: FunctionArgument, times: FunctionArgument): unknown {
  const value = first(text.value);
  const count = first(times.value);
  if (value instanceof FormulaError) return value;
  if (count instanceof FormulaError) return count;
  const piece = value === null || value === undefined ? "" : typeof value === "boolean" ? (value ? "TRUE" : "FALSE") : String(value);
  const number = typeof count === "number" ? count : typeof count === "boolean" ? Number(count) : count === null || count === undefined || count === "" ? 0 : Number(count);
  if (!Number.isFinite(number)) return new FormulaError(ErrorType.VALUE);
  const repeat = Math.trunc(number);
  if (repeat < 0) return new FormulaError(ErrorType.VALUE);
  const length = piece.length * repeat;
  return length > MAX_TEXT_LENGTH ? textTooLong(length) : piece.repeat(repeat);
}

/** The top-left value of an array argument (what a scalar parameter reads from a range). */
function first(value: unknown): unknown {
  let at = value;
  while (Array.isArray(at)) at = at[0];
  return at;
}
