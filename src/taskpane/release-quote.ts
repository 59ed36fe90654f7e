/**
 * A release line quoted with the lines around it and the figure marked on it: the printed figure of a table cell or
 * a sentence, or the figures a derived one was computed from. In a table row that prints the same figure twice
 * ("(30,112)" for the quarter and the half), the column is found from the table's other rows: the cell each column's
 * figures stand in wherever they are printed once. Pure: handed the release's lines.
 */
import type { DatasetIndex } from "../core/dataset-index";
import type { Provenance } from "../core/model";

export interface QuoteLine {
  /** 1-based, as in the release and SOURCE. */
  number: number;
  text: string;
  /** Character ranges to mark, [start, end). */
  marks: [number, number][];
  focus: boolean;
}

export interface QuoteView {
  lines: QuoteLine[];
  /** Said under the quote where the figure could not be marked exactly. */
  note: string | null;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A pattern for printed text as the release's markup may hold it: `US\$`, `**` emphasis, any run of spaces. */
function printedPattern(printed: string): RegExp {
  const body = escape(printed.trim())
    .replace(/(US)?\\\$/g, "(?:US)?\\\\?\\$")
    .replace(/\s+/g, "\\s+");
  // A number is not matched inside a longer one ("7,703" in "17,703"); punctuation after it ("4.2%, and") is no digit.
  const before = /^\d/.test(printed.trim()) ? "(?<!\\d)(?<!\\d[,.])" : "";
  const after = /\d$/.test(printed.trim()) ? "(?!\\d|[,.]\\d)" : "";
  return new RegExp(`${before}${body}${after}`, "g");
}

function occurrences(line: string, printed: string): [number, number][] {
  return [...line.matchAll(printedPattern(printed))].map((match) => [match.index ?? 0, (match.index ?? 0) + match[0].length]);
}

/** Tab-separated cells with their start offsets. */
function cells(line: string): { text: string; start: number }[] {
  const found: { text: string; start: number }[] = [];
  let start = 0;
  for (const text of line.split("\t")) {
    found.push({ text, start });
    start += text.length + 1;
  }
  return found;
}

const columnMemo = new WeakMap<readonly string[], Map<string, Map<string, number>>>();

/**
 * Which tab cell each column of a table occupies, by majority over the rows where its figure is printed once.
 *
 * @example
 * tableColumns(index, lines, "2023Q2", "Unaudited Condensed Consolidated Statements of Operations").get("Three months ended June 30, 2023 (RMB)") // 2
 */
export function tableColumns(index: DatasetIndex, lines: readonly string[], release: string, table: string): Map<string, number> {
  let byTable = columnMemo.get(lines);
  if (byTable === undefined) columnMemo.set(lines, (byTable = new Map()));
  const key = `${release}\u0000${table}`;
  const known = byTable.get(key);
  if (known !== undefined) return known;
  const votes = new Map<string, Map<number, number>>();
  for (const fact of index.dataset.facts) {
    for (const source of [fact.source, ...(fact.copies ?? [])]) {
      if (source.release !== release || source.table !== table || !source.column || !source.printed) continue;
      const line = lines[source.line - 1];
      if (line === undefined) continue;
      const positions = cells(line).flatMap((cell, position) => (cell.text.trim() === source.printed ? [position] : []));
      if (positions.length !== 1) continue;
      const tally = votes.get(source.column) ?? new Map<number, number>();
      tally.set(positions[0] as number, (tally.get(positions[0] as number) ?? 0) + 1);
      votes.set(source.column, tally);
    }
  }
  const columns = new Map<string, number>();
  for (const [column, tally] of votes) columns.set(column, [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as number);
  byTable.set(key, columns);
  return columns;
}

/** Numbers in text, as the tables print them (grouped by thousands). */
const numbersIn = (text: string): string[] =>
  [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((match) => (match[0].includes(",") ? match[0] : match[0].replace(/^(\d+)/, (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ","))));

/**
 * The figures a derivation names: the middle of "H1 2023 − Q2 2023 = 3,830 − -2,319 = 6,149 (RMB thousands)", whatever
 * their size; failing that, the figure-sized numbers anywhere in it ("= 311615233 ÷ 2 ≈ …"; years and the 2 shares
 * per ADS are not figures).
 */
function derivationMarks(formula: string, line: string): [number, number][] {
  const parts = formula.split(" = ");
  const middle = parts.length >= 3 ? numbersIn(parts.slice(1, -1).join(" ")) : [];
  const mark = (operands: string[]): [number, number][] => operands.flatMap((operand) => occurrences(line, operand).slice(0, 1));
  const marks = mark(middle);
  return marks.length > 0 ? marks : mark(numbersIn(formula).filter((number) => number.replace(/\D/g, "").length >= 5 || number.includes(".")));
}

/** Where on its line a figure is printed: its cell in a table row, its words in a sentence, a derivation's operands. */
function marksFor(index: DatasetIndex, lines: readonly string[], source: Provenance, line: string): { marks: [number, number][]; note: string | null } {
  if (source.formula && !source.printed) {
    const marks = derivationMarks(source.formula, line);
    return { marks, note: marks.length === 0 ? `The figures this was derived from are not printed on line ${source.line}.` : null };
  }
  if (!source.printed) return { marks: [], note: null };
  const found = occurrences(line, source.printed);
  if (found.length <= 1) return { marks: found, note: found.length === 0 ? `“${source.printed}” is not found on line ${source.line} as printed.` : null };
  if (source.table && source.column) {
    const position = tableColumns(index, lines, source.release, source.table).get(source.column);
    const cell = position === undefined ? undefined : cells(line)[position];
    if (cell !== undefined && cell.text.trim() === source.printed) {
      const offset = cell.text.indexOf(source.printed);
      return { marks: [[cell.start + offset, cell.start + offset + source.printed.length]], note: null };
    }
  }
  return { marks: found, note: `“${source.printed}” is printed ${found.length} times on line ${source.line}; each is marked.` };
}

/**
 * The quote of a figure's line with `context` lines either side (blank lines at the edges left out).
 *
 * @example
 * quoteFor(index, lines, { release: "2023Q2", line: 292, printed: "1,093,377", … }).lines.find((line) => line.focus)?.marks // [[16, 25]]
 */
export function quoteFor(index: DatasetIndex, lines: readonly string[], source: Provenance, context = 2): QuoteView {
  const text = lines[source.line - 1];
  if (text === undefined) return { lines: [], note: `The release text has no line ${source.line}.` };
  const { marks, note } = marksFor(index, lines, source, text);
  let first = Math.max(1, source.line - context);
  let last = Math.min(lines.length, source.line + context);
  while (first < source.line && (lines[first - 1] ?? "").trim() === "") first++;
  while (last > source.line && (lines[last - 1] ?? "").trim() === "") last--;
  const quoted: QuoteLine[] = [];
  for (let number = first; number <= last; number++) {
    quoted.push({ number, text: lines[number - 1] ?? "", marks: number === source.line ? marks : [], focus: number === source.line });
  }
  return { lines: quoted, note };
}
