/**
 * fast-check generators of the arguments Excel can pass a custom function: text of any kind and length, numbers
 * (NaN and infinities included, though Excel itself never passes them), booleans, null (omitted or empty), undefined,
 * "", 2-D ranges of those (empty and ragged included) and error values. Biased toward values that look valid (the
 * dataset's own labels, ids, aliases and paths, the period spellings analysts type) so properties reach the success
 * paths as often as the error paths.
 */
import fc from "fast-check";
import { CellError, ErrorType, type ArgValue, type FunctionResult } from "../../src/core/cell";
import { fullPath, type DatasetIndex } from "../../src/core/dataset-index";
import { isoDateToSerial } from "../../src/core/excel-date";
import { STATEMENT_NAMES } from "../../src/core/statements";
import type { QfinFunction as FunctionSpec } from "../../src/functions/define";

/** Excel's limit on the characters of one cell: a longer string cannot be shown, typed or referenced. */
export const EXCEL_MAX_CELL_TEXT = 32_767;

const whitespace = fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\u200b", "\ufeff"), maxLength: 6 });

const LONG_TEXTS = ["Net income ".repeat(30), "a".repeat(1000), "日本".repeat(150), "Q2 2023 ".repeat(40), `${"x".repeat(300)} > Net income`];

/** Text a user or a sheet could put in a cell, with no regard to meaning (long texts aside). */
const shortText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  whitespace,
  fc.constantFrom(
    "",
    "=SUM(A1:B2)",
    '=QFIN.METRIC("Net income","Q2 2023")',
    "#N/A",
    "#VALUE!",
    "TRUE",
    "FALSE",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-0",
    "0x1F",
    "null",
    "undefined",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "> >",
    " > Net income",
    "Net income >",
    "›»>",
    "'",
    "\"Net income\"",
    "Net\u0000income",
    "ＮＥＴ　ＩＮＣＯＭＥ", // full-width, as a CJK keyboard types it
    "净利润",
    "Q2 2023\n",
    "latest-999",
    "latest-1000",
  ),
);

/**
 * Text of any kind, long included. Long texts are a few fixed ones: an unknown item costs a scan of every name for
 * suggestions (0.1–0.3 s for a few hundred characters), and item resolution is memoised per text, so fixed texts keep
 * the property fast while still reaching every function with them. A dedicated test covers Excel's 32,767 characters.
 */
export const anyText: fc.Arbitrary<string> = fc.oneof({ weight: 8, arbitrary: shortText }, { weight: 1, arbitrary: fc.constantFrom(...LONG_TEXTS) });

const numbers: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 2.5, 2023, 45107, 44926, 45016, 60, 10_000, 2_958_465, 2_958_466, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.integer({ min: -1_000_000, max: 3_000_000 }),
  fc.double(),
);

const cellErrors: fc.Arbitrary<CellError> = fc
  .tuple(fc.constantFrom(...Object.values(ErrorType)), fc.oneof(fc.constant(""), fc.string({ maxLength: 30 })))
  .map(([type, message]) => new CellError(type, message));

/** Any single cell value, including nothing. */
const scalarWith = (text: fc.Arbitrary<string>): fc.Arbitrary<ArgValue> => fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 3, arbitrary: numbers },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom<ArgValue>(null, undefined, "", 0) },
  { weight: 1, arbitrary: cellErrors },
);

/** A range: rows of cells, empty and ragged ones included, kept small so a broadcast stays cheap. */
export const rangeOf = (cell: fc.Arbitrary<ArgValue>): fc.Arbitrary<ArgValue[][]> =>
  fc.oneof(
    fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 4 }),
    fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.map((value) => [value])), // a column
    fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => [cells]), // a row
    cell.map((value) => [[value]]), // one cell as a range
  );

const argumentWith = (text: fc.Arbitrary<string>): fc.Arbitrary<ArgValue> =>
  fc.oneof({ weight: 4, arbitrary: scalarWith(text) }, { weight: 1, arbitrary: rangeOf(scalarWith(text)) });

/** Any argument: a cell value, nothing, an error or a range. */
export const anyArgument: fc.Arbitrary<ArgValue> = argumentWith(anyText);
/** Any argument but the long texts (for properties that reload the dataset every run and so lose the item memo). */
export const anyShortArgument: fc.Arbitrary<ArgValue> = argumentWith(shortText);

// ---- Valid-looking values from the dataset ------------------------------------------------------------------

/** Case and spacing as people type them. */
const typedVariants = (text: string): string[] => [text, text.toLowerCase(), text.toUpperCase(), `  ${text} `, text.replace(/ /g, "  ")];

export interface DatasetValues {
  items: fc.Arbitrary<string>;
  periods: fc.Arbitrary<ArgValue>;
  currencies: fc.Arbitrary<string>;
  scales: fc.Arbitrary<string>;
  bases: fc.Arbitrary<string>;
  statements: fc.Arbitrary<string>;
  periodSets: fc.Arbitrary<ArgValue>;
  queries: fc.Arbitrary<string>;
  booleans: fc.Arbitrary<ArgValue>;
}

/** Values drawn from the loaded dataset: every item's label, id, aliases and path; every period in many spellings. */
export function datasetValues(index: DatasetIndex): DatasetValues {
  const items = [...index.itemsById.values()];
  const itemNames = items.flatMap((item) => [item.label, item.id, ...item.aliases, fullPath(item).join(" > ")]);
  const periodSpellings = index.periods.flatMap((period) => {
    const forms = [period.id, period.label];
    const quarter = /^(\d{4})Q([1-4])$/.exec(period.id);
    if (quarter) forms.push(`Q${quarter[2]} ${quarter[1]}`, `${quarter[2]}Q${quarter[1]?.slice(2)}`, `Q${quarter[2]}'${quarter[1]?.slice(2)}`);
    const half = /^(\d{4})H([12])$/.exec(period.id);
    if (half) forms.push(`H${half[2]} ${half[1]}`, `${half[2]}H${half[1]?.slice(2)}`, `6M ${half[1]}`);
    if (period.type === "instant") forms.push(period.end.replace(/-/g, "/"));
    return forms;
  });
  const serials = index.periods.filter((period) => period.type === "instant").map((period) => isoDateToSerial(period.end));
  const words = [...new Set(itemNames.flatMap((name) => name.split(/[\s>]+/)).filter((word) => word.length > 2))];
  return {
    items: fc.constantFrom(...itemNames).chain((name) => fc.constantFrom(...typedVariants(name))),
    periods: fc.oneof(
      fc.constantFrom(...periodSpellings).chain((text) => fc.constantFrom(...typedVariants(text))),
      fc.constantFrom(...serials),
      fc.constantFrom("latest", "latest-1", "LATEST - 4", "FY2023", "9M 2023", "Q3 2023", "Q4 2022", "2021Q2", "1H22"),
    ),
    currencies: fc.constantFrom("RMB", "USD", "usd", "CNY", "US$", "$", "¥", " Yuan "),
    scales: fc.constantFrom("U", "K", "M", "B", "k", "thousands", "1000000", "bn"),
    bases: fc.constantFrom("YoY", "QoQ", "y/y", "q-o-q"),
    statements: fc.constantFrom(...Object.values(STATEMENT_NAMES).flat(), ...index.statementsById.keys()),
    periodSets: fc.oneof(
      fc.constantFrom("quarters", "halves", "instants", "all", "Q", "H"),
      rangeOf(fc.constantFrom<ArgValue>(...periodSpellings, null, "")),
    ),
    queries: fc.oneof(fc.constantFrom(...words), fc.constantFrom(...itemNames)),
    booleans: fc.constantFrom<ArgValue>(true, false, "TRUE", "no", 1, 0),
  };
}

/** What a parameter of a QFIN function takes, by its name in the catalogue. */
function validFor(values: DatasetValues, spec: FunctionSpec, position: number, anything: fc.Arbitrary<ArgValue>): fc.Arbitrary<ArgValue> {
  const name = spec.params[position]?.name;
  switch (name) {
    case "item":
    case "base":
      return fc.oneof({ weight: 4, arbitrary: values.items }, { weight: 1, arbitrary: rangeOf(values.items) });
    case "period":
      return fc.oneof({ weight: 4, arbitrary: values.periods }, { weight: 1, arbitrary: rangeOf(values.periods) });
    case "periods":
      return values.periodSets;
    case "currency":
      return values.currencies;
    case "scale":
      return values.scales;
    case "basis":
      return values.bases;
    case "statement":
      return values.statements;
    case "query":
      return values.queries;
    case "header":
      return values.booleans;
    default:
      return anything;
  }
}

/**
 * Argument lists for one function: any count from 0 to its parameters + 2, each argument valid-looking (two times
 * in three), anything at all, or omitted.
 */
export function argumentLists(values: DatasetValues, spec: FunctionSpec, anything: fc.Arbitrary<ArgValue> = anyArgument): fc.Arbitrary<ArgValue[]> {
  const at = (position: number): fc.Arbitrary<ArgValue> =>
    position < spec.params.length
      ? fc.oneof({ weight: 4, arbitrary: validFor(values, spec, position, anything) }, { weight: 1, arbitrary: anything }, { weight: 1, arbitrary: fc.constant(null) })
      : fc.oneof({ weight: 1, arbitrary: fc.constantFrom<ArgValue>(null, undefined, "") }, { weight: 1, arbitrary: anything });
  return fc.integer({ min: 0, max: spec.params.length + 2 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, position) => at(position))));
}

// ---- What Excel can take back -------------------------------------------------------------------------------

const ERROR_TYPES = new Set<string>(Object.values(ErrorType));

/** Why `value` is not a cell Excel can show, or null when it is one. */
function cellProblem(value: unknown, passedIn: readonly CellError[]): string | null {
  if (value instanceof CellError) {
    if (!ERROR_TYPES.has(value.type)) return `unknown error type ${String(value.type)}`;
    // An error value the caller passed in propagates unchanged, as in Excel: its message is not ours to add.
    const propagated = passedIn.some((error) => error.type === value.type && error.message === value.message);
    if ((value.type === ErrorType.NA || value.type === ErrorType.VALUE) && value.message.trim() === "" && !propagated) return `${value.type} without a message`;
    if (value.message.length > EXCEL_MAX_CELL_TEXT) return `${value.type} message of ${value.message.length} characters`;
    return null;
  }
  if (typeof value === "number") return Number.isFinite(value) ? null : `the number ${value}`;
  if (typeof value === "string") return value.length > EXCEL_MAX_CELL_TEXT ? `text of ${value.length} characters` : null;
  if (typeof value === "boolean") return null;
  return `${value === null ? "null" : typeof value} in a cell`;
}

/**
 * Why a function result is not Excel-shaped (a finite number, text, a boolean, an error with a message where Excel
 * shows one, or a non-empty rectangular 2-D array of those), or null when it is. `args` are the arguments of the
 * call: an error value among them may come back as it was.
 */
export function excelShapeProblem(result: FunctionResult, args: readonly ArgValue[] = []): string | null {
  const passedIn = errorsIn(args);
  if (!Array.isArray(result)) return cellProblem(result, passedIn);
  if (result.length === 0) return "an empty array";
  const width = Array.isArray(result[0]) ? result[0].length : -1;
  for (const [rowIndex, row] of result.entries()) {
    if (!Array.isArray(row)) return `row ${rowIndex} is not an array`;
    if (row.length === 0) return `row ${rowIndex} is empty`;
    if (row.length !== width) return `row ${rowIndex} has ${row.length} cells, row 0 has ${width}`;
    for (const [columnIndex, cell] of row.entries()) {
      const problem = Array.isArray(cell) ? "a nested array" : cellProblem(cell, passedIn);
      if (problem !== null) return `cell [${rowIndex}][${columnIndex}]: ${problem}`;
    }
  }
  return null;
}

function errorsIn(args: readonly ArgValue[]): CellError[] {
  const found: CellError[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof CellError) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
  };
  args.forEach(visit);
  return found;
}

/** A deep copy of arguments (CellErrors kept as instances), to check a call left them alone. */
export const copyArguments = (args: readonly ArgValue[]): ArgValue[] =>
  args.map(function copy(value: ArgValue): ArgValue {
    return Array.isArray(value) ? value.map((row) => (Array.isArray(row) ? row.map(copy) : row)) as ArgValue[][] : value;
  });
