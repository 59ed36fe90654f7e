/**
 * Mutations of the shipped release and how to judge what ingest made of them, shared by the mutation property test
 * and the tie-out coverage measurement.
 *
 * The one rule every mutation is held to: ingest either refuses it (an IngestError naming the failed checks) or
 * produces a dataset whose every figure is a figure of the original dataset. A dataset with one figure that differs
 * from what the release printed, accepted because no check looked at it, is the failure these tests hunt for.
 */
import type { CheckResult, Dataset, Fact } from "../../src/core/model";
import { ingestRelease, IngestError } from "../../src/ingest";
import { TABLES } from "../../src/ingest/catalogue";
import { splitLines } from "../../src/ingest/release-text";
import { parseTables } from "../../src/ingest/tables";

const CAPTIONS = TABLES.map((table) => table.caption);

/** A printed number in a table cell, as the release writes them: `7,165,584`, `(2,319)`, `3.40`, `23.3%`. */
const PRINTED_NUMBER = /^\(?-?\d[\d,]*(?:\.\d+)?%?\)?$/;
/** A header row's year (`2022`): figures of four digits or more are always printed with grouping. */
const YEAR = /^\d{4}$/;

/** Index (0-based) of the first table caption line: everything from there on is tables. */
export function firstTableLineIndex(lines: readonly string[]): number {
  const index = lines.findIndex((line) => CAPTIONS.includes(line.trim()));
  if (index < 0) throw new Error("the release has no table caption");
  return index;
}

/** One numeric cell of the release's tables, located by line and tab-separated field. */
export interface TableFigure {
  /** 1-based line number. */
  line: number;
  /** Index of the tab-separated field in the raw line (0 is the row label). */
  field: number;
  printed: string;
  /** Where the parser put it; null when it did not read the cell at all (itself a gap). */
  table: string | null;
  row: string | null;
  column: string | null;
  /** The item whose reported fact this cell is, in the dataset ingested from the unmutated text. */
  item: string | null;
}

/**
 * Every numeric cell of the tables, found by scanning the text (not by asking the parser, so a cell the parser
 * skipped still counts): each field after the label of each tab-separated line after the first caption, except the
 * years of header rows. Each is then located in the parsed tables (table, row label, column heading).
 */
export function tableFigures(text: string, dataset: Dataset): TableFigure[] {
  const itemAt = new Map<string, string>();
  for (const fact of dataset.facts) {
    if (fact.basis !== "reported") continue;
    for (const source of [fact.source, ...(fact.copies ?? [])]) itemAt.set(`${source.line}|${source.column}`, fact.item);
  }
  const rawLines = text.split("\n");
  const start = firstTableLineIndex(rawLines);
  const located = new Map<string, { table: string; row: string; column: string }>();
  for (const table of parseTables(splitLines(text), CAPTIONS)) {
    for (const block of table.blocks) {
      for (const row of block.rows) {
        row.cells.forEach((cell, index) => {
          if (cell) located.set(`${row.line}:${index + 1}`, { table: table.caption, row: row.label, column: block.columns[index]?.heading ?? "?" });
        });
      }
    }
  }
  const figures: TableFigure[] = [];
  for (let index = start; index < rawLines.length; index++) {
    const raw = rawLines[index] as string;
    if (!raw.includes("\t")) continue;
    const fields = raw.split("\t").map((field) => field.trim());
    const values = fields.slice(1).filter((field) => field !== "");
    if (values.length > 0 && values.every((field) => YEAR.test(field))) continue; // a header row of years
    fields.forEach((field, position) => {
      if (position === 0 || !PRINTED_NUMBER.test(field)) return;
      const where = located.get(`${index + 1}:${position}`);
      figures.push({
        line: index + 1,
        field: position,
        printed: field,
        table: where?.table ?? null,
        row: where?.row ?? null,
        column: where?.column ?? null,
        item: where ? (itemAt.get(`${index + 1}|${where.column}`) ?? null) : null,
      });
    });
  }
  return figures;
}

/**
 * A printed figure changed by `delta` units of its last printed digit, in the release's own style (grouping,
 * parentheses, decimals and percent sign kept). Null when the change would cross zero.
 *
 * @example
 * bumpLastDigit("7,165,584", 1) // "7,165,585"
 * bumpLastDigit("(2,320)", -1)  // "(2,319)"
 * bumpLastDigit("1,000", -1)    // "999"
 * bumpLastDigit("23.3%", 1)     // "23.4%"
 */
export function bumpLastDigit(printed: string, delta: number): string | null {
  const match = /^(\()?(-)?([\d,]+)(?:\.(\d+))?(%)?(\))?$/.exec(printed);
  if (!match) throw new Error(`not a printed figure: ${printed}`);
  const [, open = "", minus = "", whole = "", fraction = "", percent = "", close = ""] = match;
  const units = BigInt(`${whole.replace(/,/g, "")}${fraction}`) + BigInt(delta);
  if (units < 0n) return null;
  const digits = units.toString().padStart(fraction.length + 1, "0");
  const integer = digits.slice(0, digits.length - fraction.length);
  const grouped = whole.includes(",") || integer.length > 3 ? integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : integer;
  return `${open}${minus}${grouped}${fraction ? `.${digits.slice(-fraction.length)}` : ""}${percent}${close}`;
}

/** The release with one table field replaced (surrounding spaces kept). */
export function replaceField(text: string, figure: Pick<TableFigure, "line" | "field">, printed: string): string {
  const lines = text.split("\n");
  const fields = (lines[figure.line - 1] as string).split("\t");
  const old = fields[figure.field] as string;
  fields[figure.field] = old.replace(old.trim(), printed);
  lines[figure.line - 1] = fields.join("\t");
  return lines.join("\n");
}

// ---- Judging an ingest ----------------------------------------------------------------------------------------

/** A fact's identity for comparison: the same figure of the same item, period, currency, basis and precision. */
const factIdentity = (fact: Fact): string => [fact.item, fact.period, fact.currency ?? "", fact.basis, fact.precision].join("|");

export type IngestOutcome =
  /** Refused: the IngestError's failures. */
  | { kind: "refused"; message: string; failures: readonly CheckResult[] }
  /** Accepted, and every figure is one of the original's. */
  | { kind: "faithful"; dataset: Dataset }
  /** Accepted with figures the original does not have: the silent failure. */
  | { kind: "wrong"; dataset: Dataset; wrong: WrongFigure[] }
  /** Something other than an IngestError was thrown: a bug in ingest. */
  | { kind: "crashed"; error: unknown };

/** A figure of a mutated dataset that the original dataset does not have. */
export interface WrongFigure {
  fact: Fact;
  /** The original's value for the same item, period, currency, basis and precision; null when it has none. */
  before: string | null;
}

export const describeWrongFigure = ({ fact, before }: WrongFigure): string =>
  `${[fact.item, fact.period, fact.currency, fact.basis].filter(Boolean).join(" ")}: ${before ?? "(no such figure)"} → ${fact.value}`;

/** Figures of `dataset` that are not figures of `original`. */
export function wrongFigures(original: Dataset, dataset: Dataset): WrongFigure[] {
  const originalValues = new Map(original.facts.map((fact) => [factIdentity(fact), fact.value]));
  const wrong: WrongFigure[] = [];
  for (const fact of dataset.facts) {
    const before = originalValues.get(factIdentity(fact)) ?? null;
    if (before !== fact.value) wrong.push({ fact, before });
  }
  return wrong;
}

/** Ingests a mutated release and classifies the result against the original dataset. */
export function judgeIngest(original: Dataset, text: string): IngestOutcome {
  let dataset: Dataset;
  try {
    dataset = ingestRelease(text, { file: "test/mutated-release.txt" });
  } catch (error) {
    if (error instanceof IngestError) return { kind: "refused", message: error.message, failures: error.failures };
    return { kind: "crashed", error };
  }
  const wrong = wrongFigures(original, dataset);
  return wrong.length === 0 ? { kind: "faithful", dataset } : { kind: "wrong", dataset, wrong };
}

/**
 * Names of the checks whose outcome text changed between two ingests: the checks that looked at a mutated figure
 * (every check message quotes the figures it compared) and still passed it.
 */
export function checksThatSawTheChange(original: Dataset, mutated: Dataset): string[] {
  const before = new Set(original.checks.map((check) => check.message));
  return [...new Set(mutated.checks.filter((check) => !before.has(check.message)).map((check) => check.check))].sort();
}

// ---- The narrative --------------------------------------------------------------------------------------------

/** One figure in the release's prose: a number with a decimal point or grouping, or followed by %, million or billion. */
export interface NarrativeFigure {
  line: number;
  /** Character offset of the number in the line. */
  offset: number;
  printed: string;
}

const NARRATIVE_NUMBER = /\d[\d,]*(?:\.\d+)?(?=(\s*%|\s*(?:million|billion)\b|\b))/g;

/** Figures of the prose before the first table (dates, footnote numbers and years are not figures). */
export function narrativeFigures(text: string): NarrativeFigure[] {
  const lines = text.split("\n");
  const end = firstTableLineIndex(lines);
  const figures: NarrativeFigure[] = [];
  for (let index = 0; index < end; index++) {
    const line = lines[index] as string;
    for (const match of line.matchAll(NARRATIVE_NUMBER)) {
      const printed = match[0];
      const unit = match[1] ?? "";
      const isFigure = /[.,]/.test(printed) || unit.trim() !== "";
      // "June 30, 2023": the day's comma is punctuation, not grouping.
      const isDate = /^\d{1,2},$/.test(printed) || /^\d{1,2}$/.test(printed.replace(/,$/, ""));
      if (isFigure && !isDate && !/^(19|20)\d\d[.,]?$/.test(printed)) {
        figures.push({ line: index + 1, offset: match.index ?? 0, printed: printed.replace(/[.,]$/, "") });
      }
    }
  }
  return figures;
}

/** The release with one narrative figure replaced. */
export function replaceNarrative(text: string, figure: NarrativeFigure, printed: string): string {
  const lines = text.split("\n");
  const line = lines[figure.line - 1] as string;
  lines[figure.line - 1] = `${line.slice(0, figure.offset)}${printed}${line.slice(figure.offset + figure.printed.length)}`;
  return lines.join("\n");
}
