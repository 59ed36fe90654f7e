import { CellError, ErrorType, type ArgValue, type CellValue, type FunctionResult } from "../core/cell";
import { getActiveIndex, onActiveDatasetChange } from "../core/dataset-store";
import type { DatasetIndex } from "../core/dataset-index";
import { Messages } from "../core/messages";
import type { QfinFunctionId } from "./spec";
import { isBlank, normalizeArgument } from "./arguments";
import { broadcastPair } from "./broadcast";
import type { FunctionDefinition } from "./define";
import { FUNCTION_DEFINITIONS } from "./registry";

/**
 * Results of calls whose arguments are all single values, per dataset: a model recalculates the same few thousand
 * questions again and again, and the answer to one cannot change until the dataset does (a new index, a new memo).
 * Nested maps — function, first argument, second argument, then the rest as one small key (usually empty) — so a
 * repeated call costs three or four Map lookups and builds no string from the item name. Spilled results are not
 * kept (callers may hold on to arrays).
 */
type Memo = Map<unknown, Map<unknown, Map<string, CellValue>>>;
const memos = new WeakMap<DatasetIndex, Map<QfinFunctionId, Memo>>();
const MEMO_LIMIT = 100_000;
let memoEntries = 0;

/** The key of the arguments after the second: "" when all are blank (the common case), null when one is a range. */
function tailKey(args: readonly ArgValue[]): string | null {
  let position = 2;
  while (position < args.length && (args[position] === null || args[position] === undefined)) position++;
  if (position === args.length) return "";
  let key = "";
  let blanks = "|".repeat(position - 2);
  for (; position < args.length; position++) {
    const arg = args[position];
    let part: string;
    if (arg === null || arg === undefined) {
      blanks += "|";
      continue;
    } else if (typeof arg === "string") part = `|s${arg}`;
    else if (typeof arg === "number") part = `|n${arg}`;
    else if (typeof arg === "boolean") part = arg ? "|T" : "|F";
    else return null;
    key += blanks + part;
    blanks = "";
  }
  return key;
}

const isScalarKey = (arg: ArgValue): boolean => arg === null || arg === undefined || typeof arg !== "object";

/** The last index and function asked about, and their memo: a recalculation asks one function of one dataset again and again. */
let lastIndex: DatasetIndex | null = null;
let lastMemos: Map<QfinFunctionId, Memo> | null = null;
let lastId: QfinFunctionId | null = null;
let lastMemo: Memo | null = null;
// Let go of them when the dataset is swapped, so a replaced dataset can be collected.
onActiveDatasetChange(() => {
  lastIndex = null;
  lastMemos = null;
  lastId = null;
  lastMemo = null;
});

function memoFor(index: DatasetIndex, id: QfinFunctionId): Memo {
  if (index === lastIndex && id === lastId && lastMemo !== null && memoEntries < MEMO_LIMIT) return lastMemo;
  let byFunction = index === lastIndex ? lastMemos : memos.get(index);
  if (byFunction === undefined || byFunction === null || memoEntries >= MEMO_LIMIT) {
    memos.set(index, (byFunction = new Map()));
    memoEntries = 0;
  }
  let memo = byFunction.get(id);
  if (memo === undefined) byFunction.set(id, (memo = new Map()));
  lastIndex = index;
  lastMemos = byFunction;
  lastId = id;
  lastMemo = memo;
  return memo;
}

/** Normalises every argument, then runs the implementation; the first bad argument's error is the result. */
function runOnce(definition: FunctionDefinition, index: DatasetIndex, args: readonly ArgValue[]): FunctionResult {
  const values: unknown[] = [];
  for (let position = 0; position < definition.params.length; position++) {
    const value = normalizeArgument(definition.params[position], args[position], { index });
    if (value instanceof CellError) return value;
    values.push(value);
  }
  return definition.run(index, values);
}

/**
 * Calls a QFIN function with the arguments exactly as the host passed them (Excel, the formula engine, the
 * workbench). Never throws: bad input comes back as a CellError value with a message. Reads the active dataset
 * (`setActiveDataset`).
 *
 * @example
 * invoke("METRIC", ["Total net revenue", "Q2 2023"])            // 3914.324
 * invoke("METRIC", ["Net income", "Q2 2023", "USD"])            // 150.782
 * invoke("METRIC", [[["Net income"], ["Revenue"]], [["1Q23", "2Q23"]]]) // [[929.822, 1093.377], [3599.174, 3914.324]]
 * invoke("METRIC", ["Revenu", "Q2 2023"]).toString()           // '#N/A Unknown line item "Revenu"; did you mean "Total net revenue"?'
 */
export function invoke(id: QfinFunctionId, args: readonly ArgValue[]): FunctionResult {
  try {
    // A call asked before with the same single-value arguments answers from the memo, before anything else: its
    // arguments were checked then, and its answer cannot change until the dataset does.
    const index = getActiveIndex();
    const first = args[0] ?? null;
    const second = args[1] ?? null;
    const tail = index !== null && isScalarKey(first) && isScalarKey(second) ? tailKey(args) : null;
    const memo = tail === null ? undefined : memoFor(index as DatasetIndex, id);
    const known = memo?.get(first)?.get(second)?.get(tail as string);
    if (known !== undefined) return known;

    const result = compute(id, index, args);
    if (memo !== undefined && !Array.isArray(result)) {
      let byFirst = memo.get(first);
      if (byFirst === undefined) memo.set(first, (byFirst = new Map()));
      let bySecond = byFirst.get(second);
      if (bySecond === undefined) byFirst.set(second, (bySecond = new Map()));
      bySecond.set(tail as string, result);
      memoEntries++;
    }
    return result;
  } catch (error) {
    // A bug must not take Excel's calculation down with it: report it in the cell.
    return new CellError(ErrorType.VALUE, Messages.internal(error instanceof Error ? error.message : String(error)));
  }
}

/** The call itself: the function, its argument count, the data, then the implementation (over ranges if given). */
function compute(id: QfinFunctionId, index: DatasetIndex | null, args: readonly ArgValue[]): FunctionResult {
  const definition = FUNCTION_DEFINITIONS.get(id);
  if (definition === undefined) return new CellError(ErrorType.NAME, Messages.unknownFunction(String(id)));
  for (let position = definition.params.length; position < args.length; position++) {
    if (!isBlank(args[position])) return new CellError(ErrorType.VALUE, Messages.tooManyArguments(id, definition.params.length));
  }
  if (index === null) return new CellError(ErrorType.NA, Messages.noData);
  return definition.broadcast === undefined ? runOnce(definition, index, args) : runBroadcast(definition, index, args);
}

/** METRIC and its kin over ranges of items and periods: one call per pair, each cell its own result or error. */
function runBroadcast(definition: FunctionDefinition, index: DatasetIndex, args: readonly ArgValue[]): FunctionResult {
  const [first, second] = definition.broadcast as readonly [number, number];
  return broadcastPair(args[first], args[second], (x, y) => {
    const cellArgs = [...args];
    cellArgs[first] = x;
    cellArgs[second] = y;
    const result = runOnce(definition, index, cellArgs);
    return Array.isArray(result) ? new CellError(ErrorType.VALUE, Messages.internal(`${definition.id} returned a range for one cell`)) : result;
  });
}
