/**
 * Class (b): the core through the formula engine (`evaluateFormula`, what `qfin eval`, recalc and the workbench run),
 * with hostile formulas: random text, token soup, and formulas built from a grammar of Excel's — QFIN calls with
 * hostile arguments (CHAR(0..31), UNICHAR of surrogates, REPT to and past 32,767 characters, errors, arrays, empty and
 * whole-sheet references, numbers of 400 digits, too many arguments), nested in Excel's functions and operators.
 *
 * Rules, per formula: it returns a value or an error value, or is refused as not a formula (FormulaSyntaxError) —
 * nothing else is thrown; the value is one Excel can hold (finite numbers, text of at most 32,767 characters, a
 * rectangular array of those); no error says "Internal error"; a figure call whose item or period is nonsense gives no
 * number; it finishes within the budget.
 */
import fc from "fast-check";
import { CellError, ErrorType } from "../../../src/core/cell";
import type { DatasetIndex } from "../../../src/core/dataset-index";
import { evaluateFormula, FormulaSyntaxError } from "../../../src/engine";
import { Tally, yielder, type ClassResult } from "./tally";

/**
 * A formula's budget: 1 s, plus 2 µs per character — the engine's work grows with the formula (the probe's longest,
 * 20,000 QFIN terms in 720,000 characters, is 20,000 calls). Excel itself refuses formulas over 8,192 characters.
 */
export const FORMULA_BUDGET_MS = 1_000;
export const FORMULA_CHARACTER_BUDGET_MS = 0.002;

const EXCEL_MAX_CELL_TEXT = 32_767;
const ERROR_TYPES = new Set<string>(Object.values(ErrorType));

const quote = (text: string): string => `"${text.replace(/"/g, '""')}"`;

const FUNCTION_IDS = ["METRIC", "MARGIN", "GROWTH", "CHANGE", "SOURCE", "SERIES", "STATEMENT", "ITEMS", "PERIODS", "DEFINITION", "CHECK", "VERSION"];
const FIGURE_IDS = ["METRIC", "MARGIN", "GROWTH", "CHANGE"] as const;

/** Item expressions that name nothing. */
const NONSENSE_ITEMS = [
  "CHAR(1)",
  "CHAR(1)&CHAR(2)",
  "UNICHAR(55296)",
  "UNICHAR(57343)&UNICHAR(55296)",
  '""',
  '" "',
  '"§§§"',
  '"%"',
  '"&"',
  '">"',
  '" > > "',
  "1/0",
  "NA()",
  "#REF!",
  "#N/A",
  "#NAME?",
  "TRUE",
  "FALSE",
  "0",
  "-1",
  "45107",
  "1E+308",
  "9".repeat(400),
  "{1,2;3,4}",
  '{"§","%"}',
  "A1",
  "A1:B2",
  'REPT("x",1001)',
  'REPT("Net income ",100)',
  'REPT("x",32767)',
  'REPT("x",32768)',
  'REPT(" ",32767)',
  'REPT(">",32767)',
  "CHAR(0)",
  "QFIN.METRIC(CHAR(1),\"Q2 2023\")",
  "SQRT(-1)",
  "LEN(#N/A)",
  "XLOOKUP(\"zz\",{\"a\"},{\"b\"})",
  "FILTER({1,2},{FALSE,FALSE})",
];
/** Period expressions that name no period the data has (or none at all). */
const NONSENSE_PERIODS = [
  '"Q5 2023"',
  '"Q0 2023"',
  '"2023Q9"',
  '"H3 2023"',
  '"FY99999"',
  '"latest-999"',
  '"latest+1"',
  '"Q2 2023 and more"',
  '"Q2 2023"&CHAR(0)&"x"',
  '"June 31, 2023"',
  '"2023-02-30"',
  '"Q2 1899"',
  '"Q2 10000"',
  "-1",
  "0.5",
  "2958466",
  "1E+308",
  "9".repeat(400),
  "1/0",
  "NA()",
  "TRUE",
  '""',
  "CHAR(1)",
  "UNICHAR(55296)",
  'REPT("Q2 2023",6000)',
  "{-1,0.5}",
  "A1",
];
const VALID_ITEMS = ['"Net income"', '"Total net revenue"', '"Cash and cash equivalents"', '"Revenue"', '"EPS"', '"90+ DPD"', '"Platform services > Other services fees"'];
const VALID_PERIODS = ['"Q2 2023"', '"Q1 2023"', '"H1 2023"', '"2Q23"', '"latest"', "45107", '"LTM"', '"Jun 30, 2023"'];

/** A formula expression of Excel's grammar, hostile in its leaves. */
const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    // Leaves.
    fc.constantFrom(...NONSENSE_ITEMS, ...NONSENSE_PERIODS, ...VALID_ITEMS, ...VALID_PERIODS),
    fc.string({ maxLength: 30 }).map(quote),
    fc.string({ unit: "binary", maxLength: 12 }).map(quote),
    fc.oneof(fc.integer({ min: -1_000_000, max: 3_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => (Object.is(n, -0) ? "-0" : String(n))),
    fc.integer({ min: 0, max: 1_200 }).map((code) => `CHAR(${code})`),
    fc.constantFrom(0, 1, 31, 127, 55296, 56320, 65534, 65535, 1114111, 1114112).map((code) => `UNICHAR(${code})`),
    fc.constantFrom("A1", "$A$1", "XFD1048576", "A1:XFD1048576", "A:A", "1:1", "Sheet2!A1", "A1:A1048576", "#REF!", "#DIV/0!", "#NULL!", "#NUM!"),
    // Compounds.
    fc.tuple(fc.constantFrom(...FUNCTION_IDS), fc.array(tie("expr"), { maxLength: 7 })).map(([id, args]) => `QFIN.${id}(${args.join(",")})`),
    fc.tuple(fc.constantFrom(...FUNCTION_IDS), fc.array(fc.constantFrom("", " ", "A1"), { maxLength: 6 })).map(([id, args]) => `QFIN.${id}(${args.join(",")})`),
    fc.tuple(tie("expr"), fc.constantFrom(0, 1, 2, 1000, 16383, 16384, 32767, 32768, 100000000, -1)).map(([text, count]) => `REPT(${text},${count})`),
    fc
      .tuple(
        fc.constantFrom("LEN", "UPPER", "TRIM", "CLEAN", "VALUE", "N", "T", "ISERROR", "ISNUMBER", "IFERROR", "SUM", "CONCAT", "TEXTJOIN", "INDEX", "ROWS", "COLUMNS", "SORT", "UNIQUE", "ROUND", "TEXT", "FOO.BAR", "LET", "SEQUENCE", "INDIRECT", "OFFSET"),
        fc.array(tie("expr"), { minLength: 1, maxLength: 3 }),
      )
      .map(([name, args]) => `${name}(${args.join(",")})`),
    fc.tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/", "^", "&", "=", "<>", "<", ">=", " ", ":", ","), tie("expr")).map(([a, op, b]) => `${a}${op}${b}`),
    fc.tuple(fc.constantFrom("-", "+", "--"), tie("expr")).map(([op, a]) => `${op}${a}`),
    tie("expr").map((a) => `(${a})`),
    tie("expr").map((a) => `${a}%`),
    fc.array(fc.array(tie("expr"), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((rows) => `{${rows.map((row) => row.join(",")).join(";")}}`),
  ),
})).expr;

interface HostileFormula {
  formula: string;
  kind: string;
  /** For a figure call with nonsense in its item or period: that position's name. */
  nonsense: string | null;
}

const formulas: fc.Arbitrary<HostileFormula> = fc.oneof(
  { weight: 5, arbitrary: expression.map((formula) => ({ formula: `=${formula}`, kind: "grammar", nonsense: null })) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...FIGURE_IDS), fc.constantFrom(...NONSENSE_ITEMS), fc.constantFrom(...VALID_PERIODS, ...NONSENSE_PERIODS), fc.array(expression, { maxLength: 2 }))
      .map(([id, item, period, rest]) => ({ formula: `=QFIN.${id}(${[item, period, ...rest].join(",")})`, kind: "nonsense item", nonsense: `item ${item}` })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...FIGURE_IDS), fc.constantFrom(...VALID_ITEMS), fc.constantFrom(...NONSENSE_PERIODS), fc.array(expression, { maxLength: 2 }))
      .map(([id, item, period, rest]) => ({ formula: `=QFIN.${id}(${[item, period, ...rest].join(",")})`, kind: "nonsense period", nonsense: `period ${period}` })),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((text) => ({ formula: text, kind: "random text", nonsense: null })) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom("QFIN.METRIC", "(", ")", ",", '"', "=", "+", "&", "{", "}", ";", ":", "!", "#N/A", "A1", "1", "TRUE", " ", "'", "$", "%", "@", "#"), { maxLength: 40 })
      .map((tokens) => ({ formula: `=${tokens.join("")}`, kind: "token soup", nonsense: null })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(200, 1_000, 5_000, 20_000).chain((depth) =>
      fc.constantFrom(
        { formula: `=${"(".repeat(depth)}1${")".repeat(depth)}`, kind: `${depth} nested parentheses`, nonsense: null },
        { formula: `=${"QFIN.METRIC(".repeat(depth)}"Net income","Q2 2023"${")".repeat(depth)}`, kind: `${depth} nested calls`, nonsense: null },
        { formula: `=${Array<string>(depth).fill('QFIN.METRIC("Net income","Q2 2023")').join("+")}`, kind: `${depth} terms`, nonsense: null },
        { formula: `="${"x".repeat(depth * 10)}"`, kind: `a string literal of ${depth * 10} characters`, nonsense: null },
      ),
    ),
  },
);

/** Why a result is not what a cell can hold, or null. */
function problemOf(result: unknown): string | null {
  const cell = (value: unknown): string | null => {
    if (value instanceof CellError) {
      if (!ERROR_TYPES.has(value.type)) return `error type ${String(value.type)}`;
      if (/internal error/i.test(value.message)) return `an internal error: ${value.message}`;
      return null;
    }
    if (typeof value === "number") return Number.isFinite(value) ? null : `the number ${value}`;
    if (typeof value === "string") return value.length > EXCEL_MAX_CELL_TEXT ? `text of ${value.length} characters` : null;
    if (typeof value === "boolean") return null;
    return `${value === null ? "null" : typeof value} in a cell`;
  };
  if (!Array.isArray(result)) return cell(result);
  if (result.length === 0 || !Array.isArray(result[0]) || result[0].length === 0) return "an empty array";
  const width = (result[0] as unknown[]).length;
  for (const row of result) {
    if (!Array.isArray(row) || row.length !== width) return "a ragged array";
    for (const value of row) {
      const problem = Array.isArray(value) ? "a nested array" : cell(value);
      if (problem) return problem;
    }
  }
  return null;
}

const cellsOf = (result: unknown): unknown[] => (Array.isArray(result) ? (result as unknown[][]).flat() : [result]);

export interface EngineProbeOptions {
  index: DatasetIndex;
  formulas: number;
  seed: number;
  budgetMs?: number;
}

export async function probeEngine({ index, formulas: count, seed, budgetMs = FORMULA_BUDGET_MS }: EngineProbeOptions): Promise<ClassResult> {
  const tally = new Tally("engine", "the core through the formula engine (evaluateFormula): random text, token soup, and Excel-grammar formulas with hostile leaves", budgetMs, seed);
  const pause = yielder();
  for (let batch = 0; tally.inputs < count; batch++) {
    for (const hostile of fc.sample(formulas, { seed: seed + batch, numRuns: Math.min(200, count - tally.inputs) })) {
      probeOne(index, hostile, tally);
      await pause();
    }
  }
  tally.note('"refused" = an error value, or FormulaSyntaxError (not a formula); "answered" = any other value.');
  return tally.finish();
}

function probeOne(index: DatasetIndex, { formula, kind, nonsense }: HostileFormula, tally: Tally): void {
  const shown = formula.length > 160 ? `${formula.slice(0, 160)}…(${formula.length} chars)` : formula;
  const budget = tally.budgetMs + FORMULA_CHARACTER_BUDGET_MS * formula.length;
  const started = performance.now();
  let result: unknown;
  try {
    result = evaluateFormula(index, formula);
  } catch (error) {
    const ms = performance.now() - started;
    tally.record(kind, shown, "refused", ms, budget);
    if (!(error instanceof FormulaSyntaxError)) tally.fail("other", `${shown} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return;
  }
  const ms = performance.now() - started;
  const cells = cellsOf(result);
  tally.record(kind, shown, cells.every((cell) => cell instanceof CellError) ? "refused" : "answered", ms, budget);
  const problem = problemOf(result);
  if (problem) tally.fail("other", `${shown} → ${problem}`);
  const number = cells.find((cell) => typeof cell === "number");
  if (nonsense !== null && number !== undefined) tally.fail("wrongDataAccepted", `${shown} → the number ${String(number)} although its ${nonsense} names nothing`);
}
