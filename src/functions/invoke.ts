/**
 * Calling a QFIN function: the one path every host takes (the Excel add-in, the formula engine of the CLI and the
 * workbench, the tests). It applies the rules Excel applies around a custom function — the argument count, error
 * arguments — then normalises the arguments, maps over ranges where a parameter maps, and runs the implementation
 * against the dataset index it is handed. Never throws: bad input comes back as a CellError value with a message.
 */
import { CellError, ErrorType, isCellError, type ArgValue, type CellValue, type FunctionResult } from "../core/cell";
import { MEMO_KEY_LIMIT, MEMO_LIMIT, type DatasetIndex } from "../core/dataset-index";
import { Messages } from "../core/messages";
import { functionById } from "./catalogue";
import { broadcast, mappedPositions } from "./broadcast";
import { signature, type QfinFunction } from "./define";
import { normalizeArgument, unwrapSingleCell } from "./parameters";

/**
 * Results of calls whose arguments are all single values, per dataset (kept on its index): a model recalculates the
 * same few thousand questions again and again, and an answer cannot change until the dataset does. Two levels —
 * the first argument (the item, as typed), then one key for the rest, which in the common case is the period text
 * itself — so a repeated call costs two Map lookups and builds no string, and a new question adds one entry.
 * Spilled results are not kept (callers may hold on to arrays).
 */
type ResultMemo = Map<unknown, Map<string, CellValue>>;
/** Per function: its declaration (so a repeated call needs no other lookup) and its results. */
interface FunctionMemo {
  fn: QfinFunction;
  results: ResultMemo;
  entries: number;
}

/** The index's call memos, which only this module writes (the core keeps them untyped: it knows no functions). */
const functionMemos = (index: DatasetIndex): Map<string, FunctionMemo> => index.callMemos as Map<string, FunctionMemo>;

const isMemoKey = (arg: ArgValue): boolean =>
  arg === null || arg === undefined || typeof arg === "number" || typeof arg === "boolean" || (typeof arg === "string" && arg.length <= MEMO_KEY_LIMIT);

/** Whether text holds one of the key markers below (U+0000–U+0003): such text is answered but not remembered. */
function holdsMarker(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) <= 3) return true;
  return false;
}

/** One argument in a key: text as it is when it has no control character, anything else marked by its type. */
function keyPart(arg: ArgValue): string | null {
  if (arg === null || arg === undefined) return "\u0001";
  // Text with a control character could be mistaken for a marker: such calls are answered, not remembered.
  if (typeof arg === "string") return arg.length <= MEMO_KEY_LIMIT && !holdsMarker(arg) ? arg : null;
  if (typeof arg === "number") return `\u0002${arg}`;
  if (typeof arg === "boolean") return arg ? "\u0003T" : "\u0003F";
  return null;
}

/**
 * The key of the arguments after the first: the second argument's text alone when the rest are omitted (the common
 * case: METRIC(item, period)), else the parts joined by a separator no typed text holds; null when one cannot be a key.
 * Every joined key starts with U+0000, so text alone is a key unless it starts so too (no need to scan the rest of it).
 */
function restKey(args: readonly ArgValue[], second: ArgValue): string | null {
  let last = args.length - 1;
  while (last >= 2 && args[last] == null) last--;
  if (last < 2 && typeof second === "string" && second.length <= MEMO_KEY_LIMIT && second.charCodeAt(0) !== 0) return second;
  const parts: string[] = [];
  for (let position = 1; position <= Math.max(last, 1); position++) {
    const part = keyPart(position === 1 ? second : (args[position] ?? null));
    if (part === null) return null;
    parts.push(part);
  }
  return `\u0000${parts.join("\u0000")}`;
}

/**
 * Calls a QFIN function with the arguments exactly as the host passed them, against `index` (null when no data is
 * loaded: every function then says so).
 *
 * @example
 * invoke(index, "METRIC", ["Total net revenue", "Q2 2023"])            // 3914.324
 * invoke(index, "METRIC", ["Net income", "Q2 2023", "USD"])            // 150.782
 * invoke(index, "METRIC", [[["Net income"], ["Revenue"]], [["1Q23", "2Q23"]]]) // [[929.822, 1093.377], [3599.174, 3914.324]]
 * invoke(index, "METRIC", ["Revenu", "Q2 2023"]).toString()           // '#N/A Unknown line item "Revenu"; did you mean "Total net revenue"?'
 */
export function invoke(index: DatasetIndex | null, id: string, args: readonly ArgValue[]): FunctionResult {
  try {
    if (index === null) return call(functionById(id), null, id, args);
    const memos = functionMemos(index);
    let memo = memos.get(id);
    if (memo === undefined) {
      const fn = functionById(id);
      if (fn === undefined) return call(fn, index, id, args);
      memos.set(id, (memo = { fn, results: new Map(), entries: 0 }));
    }
    // Only a call with every declared argument (as Excel makes it) is remembered, so the key needs no count. Excel
    // passes a single value to a range parameter as a 1×1 range: the value is the key. (The hot path: a repeated
    // call is a few Map lookups, so plain values skip the unwrapping call.)
    const raw = args[0] ?? null;
    const first = Array.isArray(raw) ? unwrapSingleCell(raw) : raw;
    const rawSecond = args[1] ?? null;
    const rest = args.length === memo.fn.params.length && isMemoKey(first) ? restKey(args, Array.isArray(rawSecond) ? unwrapSingleCell(rawSecond) : rawSecond) : null;
    if (rest === null) return call(memo.fn, index, id, args);

    // A call asked before with the same single-value arguments answers from the memo, before anything else: its
    // arguments were checked then, and its answer cannot change until the dataset does.
    const byFirst = memo.results.get(first);
    const known = byFirst?.get(rest);
    if (known !== undefined) return known;
    const result = call(memo.fn, index, id, args);
    if (Array.isArray(result) || memo.entries >= MEMO_LIMIT) return result;
    if (byFirst === undefined) memo.results.set(first, new Map([[rest, result]]));
    else byFirst.set(rest, result);
    memo.entries++;
    return result;
  } catch (error) {
    // A bug must not take Excel's calculation down with it: report it in the cell.
    return new CellError(ErrorType.VALUE, Messages.internal(error instanceof Error ? error.message : String(error)));
  }
}

/** The rules around a call, in Excel's order, then the implementation (over ranges where parameters map). */
function call(fn: QfinFunction | undefined, index: DatasetIndex | null, id: string, args: readonly ArgValue[]): FunctionResult {
  if (fn === undefined) return new CellError(ErrorType.NAME, Messages.unknownFunction(id));
  if (args.length > fn.params.length) return new CellError(ErrorType.VALUE, Messages.tooManyArguments(signature(fn), fn.params.length, args.length));
  // Excel does not call a custom function with an error argument: the error is the result, message and all.
  for (const arg of args) {
    const value = unwrapSingleCell(arg);
    if (isCellError(value)) return value;
  }
  if (index === null) return new CellError(ErrorType.NA, Messages.noData);
  const positions = mappedPositions(fn, args);
  return positions.length === 0 ? runOnce(fn, index, args) : mapOver(fn, index, args, positions);
}

/** The last value normalised at each position of a call mapped over ranges, and what it normalised to. */
type LastNormalised = Map<number, { raw: ArgValue; value: unknown }>;

/**
 * Normalises every argument, then runs the implementation; the first bad argument's error is the result. Over a range,
 * `last` keeps each position's last normalisation: a value broadcast to every cell (the item against a row of 16,384
 * periods) is normalised once, not once per cell — text too long to remember (a label padded to 32,767 characters) is
 * resolved afresh on every call, which cost 2.6 s for one such row.
 */
function runOnce(fn: QfinFunction, index: DatasetIndex, args: readonly ArgValue[], last?: LastNormalised): FunctionResult {
  const values = normalisedArguments(fn, index, args, last);
  return values instanceof CellError ? values : fn.run(index, values);
}

/**
 * Every argument of a call normalised as its parameter reads it (an item, a parsed period, a currency …), or the
 * first bad argument's error: what the implementation is handed (the taskpane's trace reads calls through it too).
 */
export function normalisedArguments(fn: QfinFunction, index: DatasetIndex, args: readonly ArgValue[], last?: LastNormalised): unknown[] | CellError {
  const values: unknown[] = [];
  for (let position = 0; position < fn.params.length; position++) {
    const raw = args[position];
    const known = last?.get(position);
    let value: unknown;
    if (known !== undefined && known.raw === raw) value = known.value;
    else {
      value = normalizeArgument(fn.params[position] as QfinFunction["params"][number], raw, index);
      last?.set(position, { raw, value });
    }
    if (value instanceof CellError) return value;
    values.push(value);
  }
  return values;
}

/** METRIC and its kin over ranges of items and periods: one call per cell, each cell its own result or error. */
function mapOver(fn: QfinFunction, index: DatasetIndex, args: readonly ArgValue[], positions: readonly number[]): FunctionResult {
  const last: LastNormalised = new Map();
  return broadcast(
    positions.map((position) => args[position] ?? null),
    (cells) => {
      const cellArgs = [...args];
      positions.forEach((position, i) => (cellArgs[position] = cells[i] as ArgValue));
      const result = runOnce(fn, index, cellArgs, last);
      return Array.isArray(result) ? new CellError(ErrorType.VALUE, Messages.internal(`${fn.id} returned a range for one cell`)) : result;
    },
  );
}
