/**
 * Hostile argument values for the functions as Excel calls them, each tagged with whether it is *nonsense* for a
 * parameter kind: a value that cannot name any item, period or statement, so a figure function given it in a
 * required position must never answer with a number (a plausible wrong number is the one thing the add-in must
 * never show). Valid-looking values (the dataset's labels and period spellings, a label padded to Excel's 32,767
 * characters, an entity whose text is a label) are mixed in untagged, so the calls also reach the answering paths.
 *
 * What "nonsense" covers, per kind (item, period, statement):
 * - text with no letter or digit at all (control characters, lone surrogates, punctuation, symbols, blanks), and
 *   text longer than any name (1,000 to 32,767 characters of junk) — for every kind;
 * - numbers: every number for an item or a statement; for a period, numbers that are no date serial (NaN, ±Infinity,
 *   negative, below 1, past 9999-12-31 (2,958,465), 1e308); 0 and -0 are an empty cell, which a required period refuses;
 * - booleans, objects, dates, symbols, functions, big integers, error values of every shape (an Excel error object,
 *   a `CustomFunctions.Error`, an `{ type: "Error" }` cell value, the core's CellError), and ranges whose every cell
 *   is nonsense (empty ranges included) — for every kind.
 * Not nonsense, on purpose: a label with junk punctuation or control characters in it ("Net\u0001income" is read
 * as "Net income", as the forgiving matching promises), and a fractional serial (45107.5 is noon on June 30, 2023).
 */
import fc from "fast-check";
import { CellError, ErrorType } from "../../../src/core/cell";
import { fullPath, type DatasetIndex } from "../../../src/core/dataset-index";
import { isoDateToSerial } from "../../../src/core/excel-date";
import { STATEMENT_NAMES } from "../../../src/core/statements";
import { HostCustomFunctionsError } from "./bundle-host";

export type ParamKind = "item" | "period" | "statement";

export interface Tagged {
  value: unknown;
  /** What kind of value this is, for the probe's counts ("huge text", "lone surrogate", "ragged range" …). */
  kind: string;
  /** The parameter kinds for which the value is nonsense. */
  nonsense: readonly ParamKind[];
}

const ALL: readonly ParamKind[] = ["item", "period", "statement"];
const tag = (kind: string, nonsense: readonly ParamKind[] = ALL) => (value: unknown): Tagged => ({ value, kind, nonsense });

/** Excel's limit on the characters of one cell. */
export const EXCEL_MAX_CELL_TEXT = 32_767;

const controlChar = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const symbolChar = fc.constantFrom(..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \u00a0\u2003\u3000\u200b\ufeff\ufffd\ufffe\uffff\u00ad\u2028\u2029€£¥©®™°±×÷§¶•…‰′″‹›«»¡¿");
const emoji = fc.constantFrom("😀", "👍🏽", "🇨🇳", "\u{1F9D1}\u200D\u{1F4BB}", "\u{10FFFF}");
/** Text without a letter or a digit: it names nothing. */
const letterless = fc.string({ unit: fc.oneof(controlChar, loneSurrogate, symbolChar, emoji, fc.constant("\u007f")), minLength: 1, maxLength: 60 });

/** Junk between 1,000 and 32,767 characters: a piece of text (with letters) repeated to the length. */
const hugeJunk = fc
  .tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), fc.oneof(fc.integer({ min: 1_001, max: EXCEL_MAX_CELL_TEXT }), fc.constantFrom(1_001, 16_383, 16_384, 16_500, EXCEL_MAX_CELL_TEXT)), fc.boolean())
  .map(([piece, length, separated]) => {
    const unit = separated ? `${piece} x` : `${piece}x`;
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  })
  .filter((text) => text.trim().length > 1_000);

const nonsenseNumbersForItems = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 0.1, 1, 2023, 45107, 45107.5),
  fc.double(),
);
/** Numbers that are no date serial (Excel's dates run from 1 to 2,958,465, 9999-12-31). */
const nonsenseNumbersForPeriods = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1e308, -1e308, 5e-324, 0.5, -1, 2_958_466, Number.MAX_SAFE_INTEGER + 2),
  fc.double({ min: -1e12, max: 0.999, noNaN: true }),
  fc.double({ min: 2_958_466, max: 1e300, noNaN: true }),
);

/** Error values as they may arrive: Excel's error object, the host's Error class, a data-type error, the core's. */
const errorValues: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...Object.values(ErrorType)).map((code) => ({ code })),
  fc.tuple(fc.constantFrom(...Object.values(ErrorType)), fc.string({ maxLength: 40 })).map(([code, message]) => ({ code, message })),
  fc.constantFrom(...Object.values(ErrorType)).map((code) => new HostCustomFunctionsError(code, "from another cell")),
  fc.constantFrom(
    { type: "Error", basicType: "Error", basicValue: "#DIV/0!", errorType: "Div0" },
    { type: "Error", basicValue: "#N/A", errorType: "NotAvailable", errorSubType: "VlookupValueNotFound" },
    { type: "Error", basicValue: "#SPILL!", errorType: "Spill" },
    { type: "Error", basicValue: "#CALC!", errorType: "Calc" },
    { type: "Error", basicValue: "#BUSY!", errorType: "Busy" },
    { type: "Error", errorType: "Value" },
    { type: "Error" },
    { type: "Error", basicValue: 7 },
    { code: "#BOGUS!" },
    { code: "#N/A", message: "x".repeat(EXCEL_MAX_CELL_TEXT) },
    { code: 5 },
    { code: "#VALUE!", message: 12 },
  ),
  fc.tuple(fc.constantFrom(...Object.values(ErrorType)), fc.string({ maxLength: 30 })).map(([type, message]) => new CellError(type, message)),
);

/** Objects Excel never passes: plain, prototype-less, dates, typed arrays, throwing conversions, and the like. */
const objects: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<() => unknown>(
    () => ({}),
    () => Object.create(null),
    () => ({ a: 1 }),
    () => ({ text: "" }),
    () => ({ text: 42 }),
    () => ({ type: "Entity" }),
    () => ({ type: "Entity", properties: {} }),
    () => ({ type: "LinkedEntity", text: "" }),
    () => ({ type: "FormattedNumber", basicValue: { nested: true } }),
    () => ({ basicValue: null }),
    () => ({ toString: () => "Net income" }),
    () => ({
      toString() {
        throw new Error("toString throws");
      },
      valueOf() {
        throw new Error("valueOf throws");
      },
    }),
    () => new Date(),
    () => new Date(Number.NaN),
    () => new Date(8.64e15),
    () => new Map([["Net income", 1]]),
    () => new Set(["Q2 2023"]),
    () => new Uint8Array([1, 2, 3]),
    () => new Error("an exception as a value"),
    () => Symbol("cell"),
    () => 10n,
    () => () => "Net income",
    () => Promise.resolve("Net income"),
    () => /Net income/,
  ).map((make) => make()),
  fc.object({ maxDepth: 2, maxKeys: 4 }),
);

/** Any nonsense value for every kind (numbers aside: they depend on the kind). */
const nonsenseScalar: fc.Arbitrary<Tagged> = fc.oneof(
  { weight: 3, arbitrary: letterless.map(tag("letterless text")) },
  { weight: 2, arbitrary: fc.string({ unit: controlChar, minLength: 1, maxLength: 20 }).map(tag("control characters")) },
  { weight: 2, arbitrary: fc.string({ unit: loneSurrogate, minLength: 1, maxLength: 8 }).map(tag("lone surrogates")) },
  { weight: 2, arbitrary: hugeJunk.map(tag("huge text")) },
  { weight: 1, arbitrary: fc.boolean().map(tag("boolean")) },
  { weight: 2, arbitrary: errorValues.map(tag("error value")) },
  { weight: 2, arbitrary: objects.map(tag("object")) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, "", " ", "\t\n").map(tag("blank")) },
  { weight: 2, arbitrary: nonsenseNumbersForItems.map(tag("number (no item, no statement)", ["item", "statement"])) },
  { weight: 2, arbitrary: nonsenseNumbersForPeriods.map(tag("number (no date serial)", ["period", "item", "statement"])) },
);

/** A range of tagged cells: nonsense for a kind only when every cell is. Empty, ragged and nested ones included. */
function rangeOf(cell: fc.Arbitrary<Tagged>): fc.Arbitrary<Tagged> {
  const combine = (kind: string, rows: Tagged[][], value: unknown): Tagged => {
    const cells = rows.flat();
    return { value, kind, nonsense: ALL.filter((paramKind) => cells.every((c) => c.nonsense.includes(paramKind))) };
  };
  return fc.oneof(
    fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }).map((rows) => combine("ragged range", rows, rows.map((row) => row.map((c) => c.value)))),
    fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => combine("column", [cells], cells.map((c) => [c.value]))),
    fc.array(cell, { minLength: 1, maxLength: 5 }).map((cells) => combine("row", [cells], [cells.map((c) => c.value)])),
    cell.map((c) => combine("cell nested in arrays", [[c]], [[[[c.value]]]])),
    cell.map((c) => combine("cell in a flat array", [[c]], [c.value])),
    fc.constantFrom<unknown>([], [[]], [[], []], [[], [[]]]).map((value) => ({ value, kind: "empty range", nonsense: ALL })),
  );
}

/** A row of 16,385 periods: one column past Excel's grid, whatever the function spills. */
const tooWide = fc.constantFrom("Q2 2023", "Q1 2023").map((period): Tagged => ({ value: [Array<string>(16_385).fill(period)], kind: "row past 16,384 columns", nonsense: [] }));

/** Nonsense for every kind: a scalar, or a range of them. */
export const nonsense: fc.Arbitrary<Tagged> = fc.oneof({ weight: 4, arbitrary: nonsenseScalar }, { weight: 1, arbitrary: rangeOf(nonsenseScalar) });

/** Valid-looking values drawn from the dataset (and long and odd forms of them), never tagged nonsense. */
export function plausible(index: DatasetIndex): fc.Arbitrary<Tagged> {
  const items = [...index.itemsById.values()];
  const names = items.flatMap((item) => [item.label, item.id, ...item.aliases, fullPath(item).join(" > ")]);
  const periods = index.periods.flatMap((period) => [period.id, period.label]);
  const serials = index.periods.filter((period) => period.type === "instant").map((period) => isoDateToSerial(period.end));
  const statements = [...Object.values(STATEMENT_NAMES).flat(), ...index.statementsById.keys()];
  const padTo = (text: string, length: number): string => `${text}${" ".repeat(Math.max(0, length - text.length))}`;
  const valid = fc.oneof(
    fc.constantFrom(...names).map(tag("item name", [])),
    fc.constantFrom(...periods, "latest", "latest-1", "LTM", "FY2023", "2Q23", "H1 2023").map(tag("period text", [])),
    fc.constantFrom(...serials, 45107.5).map(tag("date serial", [])),
    fc.constantFrom(...statements).map(tag("statement name", [])),
    fc.constantFrom("RMB", "USD", "K", "M", "B", "YoY", "QoQ", "quarters", "all", "growth", "margin", TRUE_TEXT).map(tag("option text", [])),
    fc.constantFrom(...names.slice(0, 40)).map((name) => tag("label padded to 32,767", [])(padTo(name, EXCEL_MAX_CELL_TEXT))),
    fc.constantFrom(...names.slice(0, 40)).map((name) => tag("label padded to 16,500", [])(padTo(name, 16_500))),
    fc.constantFrom(...names.slice(0, 40)).map((name) => tag("label with control characters", [])(name.replace(" ", "\u0001 "))),
    fc.constantFrom(...names.slice(0, 40)).map((name) => tag("entity with a label", [])({ type: "Entity", text: name, properties: {} })),
    fc.constantFrom(...serials).map((serial) => tag("formatted number", [])({ type: "FormattedNumber", basicValue: serial, numberFormat: "d-mmm-yy" })),
  );
  // The 16,385-column row is rare: each costs 0.1–0.5 s (every cell is computed before the boundary refuses the spill).
  return fc.oneof({ weight: 160, arbitrary: valid }, { weight: 32, arbitrary: rangeOf(valid) }, { weight: 1, arbitrary: tooWide });
}

const TRUE_TEXT = "TRUE";
