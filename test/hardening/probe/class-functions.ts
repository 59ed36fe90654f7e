/**
 * Class (a): the production functions bundle called as Excel calls it, with hostile values in every parameter.
 *
 * Rules, per call:
 * - it never throws (a throw is Excel's #VALUE! with no word of why);
 * - it returns what Excel can hold: a finite number, text of at most 32,767 characters, a boolean, or a
 *   `CustomFunctions.Error` whose code a custom function may return (never #NAME? or #REF!); a function declared with
 *   a matrix result returns a non-empty rectangular 2-D array of those within 1,048,576 × 16,384;
 * - no error says "Internal error" (a bug that reached the cell);
 * - never a number for a nonsense question: a figure function (METRIC, MARGIN, GROWTH, CHANGE, SERIES, STATEMENT)
 *   whose required item, period or statement argument is nonsense (hostile-values.ts) answers with no number in any
 *   cell, and the functions that answer with text (SOURCE, DEFINITION, ITEMS, PERIODS, CHECK, VERSION) never with one;
 * - it finishes within the budget.
 * A call counts as refused when every cell it returns is an error, else as answered.
 */
import fc from "fast-check";
import type { DatasetIndex } from "../../../src/core/dataset-index";
import { callAsExcel, EXCEL_ERROR_CODES, HostCustomFunctionsError, type DeclaredFunction, type LoadedBundle } from "./bundle-host";
import { EXCEL_MAX_CELL_TEXT, nonsense, plausible, type ParamKind, type Tagged } from "./hostile-values";
import { describe, Tally, yielder, type ClassResult } from "./tally";

/** A call's budget: 250 ms, plus 20 µs for every cell it computes (a plain cell takes about 5 µs on this machine). */
export const FUNCTION_CALL_BUDGET_MS = 250;
export const FUNCTION_CELL_BUDGET_MS = 0.02;

/** The cells a call computed: those it returned, or those a refusal as too large says it would have returned. */
function cellsComputed(result: unknown): number {
  const refusal = /would be (\d+) rows by (\d+) columns/.exec(firstMessage(result));
  if (refusal) return Number(refusal[1]) * Number(refusal[2]);
  return Array.isArray(result) ? result.reduce((sum: number, row) => sum + (Array.isArray(row) ? row.length : 1), 0) : 1;
}

function firstMessage(result: unknown): string {
  const cell = Array.isArray(result) ? (Array.isArray(result[0]) ? result[0][0] : result[0]) : result;
  return cell instanceof HostCustomFunctionsError ? cell.message : "";
}

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const RESULT_CODES = new Set<string>([EXCEL_ERROR_CODES.invalidValue, EXCEL_ERROR_CODES.notAvailable, EXCEL_ERROR_CODES.divisionByZero, EXCEL_ERROR_CODES.invalidNumber, EXCEL_ERROR_CODES.nullReference]);

/** The required parameters of figure functions where nonsense must never get a number back, by position. */
const FIGURE_QUESTIONS: Readonly<Record<string, readonly (ParamKind | null)[]>> = {
  METRIC: ["item", "period"],
  MARGIN: ["item", "period"],
  GROWTH: ["item", "period"],
  CHANGE: ["item", "period"],
  SERIES: ["item"],
  STATEMENT: ["statement", "period"],
};
/** Functions that answer with text (or errors) only. */
const TEXT_ONLY = new Set(["SOURCE", "DEFINITION", "ITEMS", "PERIODS", "CHECK", "VERSION"]);

interface Call {
  fn: DeclaredFunction;
  args: Tagged[];
}

const callArbitrary = (declared: readonly DeclaredFunction[], index: DatasetIndex): fc.Arbitrary<Call> => {
  const valid = plausible(index);
  const argument = fc.oneof({ weight: 3, arbitrary: nonsense }, { weight: 3, arbitrary: valid }, { weight: 1, arbitrary: fc.constant<Tagged>({ value: null, kind: "omitted", nonsense: ["item", "period", "statement"] }) });
  return fc.constantFrom(...declared).chain((fn) => fc.tuple(...fn.parameters.map(() => argument)).map((args) => ({ fn, args })));
};

/** Why one cell is not what Excel can take from a custom function, or null. */
function cellProblem(cell: unknown): string | null {
  if (cell instanceof HostCustomFunctionsError) {
    if (!RESULT_CODES.has(cell.code)) return `error code ${String(cell.code)}, which a custom function may not return`;
    if (/internal error/i.test(cell.message)) return `an internal error: ${cell.message}`;
    if (cell.message.length > EXCEL_MAX_CELL_TEXT) return `an error message of ${cell.message.length} characters`;
    return null;
  }
  if (typeof cell === "number") return Number.isFinite(cell) ? null : `the number ${cell}`;
  if (typeof cell === "string") return cell.length > EXCEL_MAX_CELL_TEXT ? `text of ${cell.length} characters` : null;
  if (typeof cell === "boolean") return null;
  return `${describe(cell)} in a cell`;
}

/** The cells of a result, or why it is not Excel-shaped for its declaration. */
function cellsOf(result: unknown, matrix: boolean): { cells: unknown[]; problem: string | null } {
  if (!matrix) return { cells: [result], problem: Array.isArray(result) ? `an array from a function declared scalar` : cellProblem(result) };
  if (!Array.isArray(result) || result.length === 0) return { cells: [], problem: `not a non-empty 2-D array: ${describe(result)}` };
  const width = Array.isArray(result[0]) ? result[0].length : -1;
  if (width <= 0) return { cells: [], problem: "its first row is empty or not an array" };
  if (result.length > MAX_ROWS || width > MAX_COLUMNS) return { cells: [], problem: `${result.length} × ${width}, past Excel's grid` };
  const cells: unknown[] = [];
  for (const [at, row] of result.entries()) {
    if (!Array.isArray(row) || row.length !== width) return { cells, problem: `row ${at} is not ${width} cells long (ragged)` };
    for (const cell of row) {
      const problem = Array.isArray(cell) ? "a nested array" : cellProblem(cell);
      if (problem !== null) return { cells, problem };
      cells.push(cell);
    }
  }
  return { cells, problem: null };
}

export interface FunctionsProbeOptions {
  bundle: LoadedBundle;
  /** The index of the same dataset the bundle embeds (for the valid-looking values). */
  index: DatasetIndex;
  calls: number;
  seed: number;
  budgetMs?: number;
}

export async function probeFunctions({ bundle, index, calls, seed, budgetMs = FUNCTION_CALL_BUDGET_MS }: FunctionsProbeOptions): Promise<ClassResult> {
  const tally = new Tally("functions", `the production functions.js (${(bundle.size / 1024).toFixed(0)} KB, ${bundle.registered.size} functions) called as Excel calls it, hostile values in every parameter`, budgetMs, seed);
  const arbitrary = callArbitrary(bundle.declared, index);
  const pause = yielder();
  const BATCH = 500;
  for (let batch = 0; tally.inputs < calls; batch++) {
    const sample = fc.sample(arbitrary, { seed: seed + batch, numRuns: Math.min(BATCH, calls - tally.inputs) });
    for (const call of sample) {
      probeOne(bundle, call, tally);
      await pause();
    }
  }
  if (bundle.console.length > 0) tally.note(`the bundle wrote to the console while loading: ${bundle.console.join(" | ")}`);
  return tally.finish();
}

function probeOne(bundle: LoadedBundle, { fn, args }: Call, tally: Tally): void {
  const values = args.map((arg) => arg.value);
  const description = `QFIN.${fn.id}(${values.map((value) => describe(value)).join(", ")})`;
  const kind = args.find((arg) => arg.nonsense.length > 0 && arg.kind !== "omitted")?.kind ?? args[0]?.kind ?? "no arguments";
  let result: unknown;
  const started = performance.now();
  try {
    result = callAsExcel(bundle, fn.id, values);
  } catch (error) {
    tally.record(kind, description, "answered", performance.now() - started);
    tally.fail("other", `${description} threw ${String(error)}`);
    return;
  }
  const ms = performance.now() - started;
  const { cells, problem } = cellsOf(result, fn.result.dimensionality === "matrix");
  const refused = cells.length > 0 && cells.every((cell) => cell instanceof HostCustomFunctionsError);
  tally.record(kind, description, refused ? "refused" : "answered", ms, tally.budgetMs + FUNCTION_CELL_BUDGET_MS * cellsComputed(result));
  if (problem !== null) {
    tally.fail("other", `${description} → ${problem}`);
    return;
  }
  const numbers = cells.filter((cell) => typeof cell === "number");
  if (numbers.length === 0) return;
  if (TEXT_ONLY.has(fn.id)) {
    tally.fail("wrongDataAccepted", `${description} → the number ${String(numbers[0])} from a function that answers with text`);
    return;
  }
  const question = FIGURE_QUESTIONS[fn.id] ?? [];
  question.forEach((paramKind, position) => {
    const arg = args[position];
    if (paramKind !== null && arg !== undefined && arg.nonsense.includes(paramKind)) {
      tally.fail("wrongDataAccepted", `${description} → the number ${String(numbers[0])} although its ${paramKind} (${arg.kind}) names nothing`);
    }
  });
}
