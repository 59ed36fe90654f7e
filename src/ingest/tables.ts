/**
 * Reads the release's tab-separated tables as printed: caption, header blocks (period headings, years,
 * currencies) and rows of label and cells. Tolerates what the page conversion does to them — blank lines
 * where a page broke, a label on one line with its figures on the next, headings with or without a leading
 * tab — and refuses anything else (a cell that is not a number, figures with no label, a block with no header).
 */
import type { Currency, PeriodInfo } from "../core/model";
import { IngestError } from "./ingest-error";
import { lastDayOfMonth } from "../core/period-id";
import { durationPeriod, isCalendarDate, parseDurationHeading, parseInstantHeading, readWrittenDate } from "./periods";
import type { ReleaseLine } from "./release-text";

export interface Column {
  period: PeriodInfo;
  currency: Currency;
  /** "Three months ended June 30, 2023 (RMB)" */
  heading: string;
}

export interface Cell {
  /** As printed: "(91,610)", "23.3%". */
  printed: string;
  /** Plain decimal string of the printed number, sign applied, grouping removed: "-91610", "23.3". */
  number: string;
  /** Digits after the decimal point as printed. */
  decimals: number;
  percent: boolean;
}

export interface TableRow {
  label: string;
  /** Line of the figures (the label's line when they share one). */
  line: number;
  labelLine: number;
  /** One entry per column; null where the cell is empty. */
  cells: (Cell | null)[];
  /** True for a row that carries no figures at all (a heading). */
  heading: boolean;
}

export interface TableBlock {
  headerLine: number;
  columns: Column[];
  rows: TableRow[];
}

export interface ParsedTable {
  caption: string;
  line: number;
  blocks: TableBlock[];
}

const NUMBER_CELL = /^(\()?-?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%)?(\))?$/;

/**
 * Parses one printed figure.
 *
 * @example
 * parseCell("(91,610)") // { printed: "(91,610)", number: "-91610", decimals: 0, percent: false }
 * parseCell("23.3%")    // { printed: "23.3%", number: "23.3", decimals: 1, percent: true }
 * parseCell("n/a")      // null
 */
export function parseCell(printed: string): Cell | null {
  const text = printed.trim();
  const match = NUMBER_CELL.exec(text);
  if (!match || Boolean(match[1]) !== Boolean(match[5])) return null;
  const negative = Boolean(match[1]) || text.startsWith("-");
  const digits = (match[2] as string).replace(/,/g, "");
  const fraction = match[3] ?? "";
  return {
    printed: text,
    number: `${negative ? "-" : ""}${digits}${fraction}`,
    decimals: fraction ? fraction.length - 1 : 0,
    percent: Boolean(match[4]),
  };
}

const cellsOf = (line: ReleaseLine): string[] => line.text.split("\t").map((cell) => cell.trim());
const isBlank = (line: ReleaseLine): boolean => line.text.trim() === "";

interface HeaderParse {
  columns: Column[];
  /** Index of the first line after the header. */
  next: number;
}

/** Recognises a header block starting at `lines[start]`, or returns null when the line is not a period heading. */
function parseHeader(lines: readonly ReleaseLine[], start: number, caption: string): HeaderParse | null {
  const first = lines[start] as ReleaseLine;
  const cells = cellsOf(first);
  const headings = cells
    .map((text, index) => ({ text, index: Math.max(index, 1) }))
    .filter((cell) => cell.text !== "" && (parseDurationHeading(cell.text) || readWrittenDate(cell.text)));
  if (headings.length === 0) return null;

  let cursor = start + 1;
  const nextRow = (): string[] | null => {
    while (cursor < lines.length && isBlank(lines[cursor] as ReleaseLine)) cursor++;
    if (cursor >= lines.length) return null;
    return cellsOf(lines[cursor] as ReleaseLine);
  };

  const fail = (what: string): never => {
    throw new IngestError([
      { check: "table_layout", status: "fail", message: `${caption}: ${what} (header at line ${first.number}).`, table: caption, line: first.number },
    ]);
  };

  // Instant headings carry their own year ("December 31, 2022"); duration headings take it from the next row.
  const instants = headings.every((cell) => readWrittenDate(cell.text));
  let periodOf: (index: number) => { period: PeriodInfo; heading: string };
  let width: number;
  if (instants) {
    width = cells.length - 1;
    periodOf = (index) => {
      const text = cells[index] ?? "";
      const date = readWrittenDate(text);
      if (date && !isCalendarDate(date.year, date.month, date.day)) fail(`column ${index}: "${text}" is not a date of the calendar`);
      return { period: parseInstantHeading(text) ?? fail(`column ${index} has no date heading`), heading: text };
    };
  } else {
    const years = nextRow();
    if (!years || !years.slice(1).every((cell) => cell === "" || /^\d{4}$/.test(cell))) fail("the row under the period heading is not a row of years");
    cursor++;
    width = (years as string[]).length - 1;
    periodOf = (index) => {
      const heading = [...headings].reverse().find((cell) => cell.index <= index);
      const year = (years as string[])[index];
      const duration = heading ? parseDurationHeading(heading.text) : null;
      const period = duration && year ? durationPeriod(duration.months, duration.endMonth, Number(year)) : null;
      if (!period || !heading || !duration) return fail(`column ${index} has no period heading and year`);
      // Every period of these statements ends on a month's last day; "June 31" or "June 15" is a damaged heading.
      if (duration.day !== lastDayOfMonth(Number(year), duration.endMonth)) {
        fail(`column ${index}: "${heading.text}" with year ${year} does not end on the last day of the month (${period.end})`);
      }
      return { period, heading: `${heading.text.replace(/,$/, "")}, ${year}` };
    };
  }

  const currencies = nextRow();
  if (!currencies || !currencies.slice(1).every((cell) => cell === "RMB" || cell === "USD")) fail("the header has no row of currencies (RMB/USD)");
  cursor++;
  width = Math.max(width, (currencies as string[]).length - 1);

  const columns: Column[] = [];
  for (let index = 1; index <= width; index++) {
    const { period, heading } = periodOf(index);
    const currency = (currencies as string[])[index] as Currency | undefined;
    if (!currency) fail(`column ${index} has no currency`);
    columns.push({ period, currency: currency as Currency, heading: `${heading} (${currency})` });
  }
  return { columns, next: cursor };
}

/**
 * Parses every table whose caption is one of `captions`, each running to the next caption or the end.
 */
export function parseTables(lines: readonly ReleaseLine[], captions: readonly string[]): ParsedTable[] {
  const starts = lines
    .map((line, index) => ({ index, caption: line.text.trim() }))
    .filter((entry) => captions.includes(entry.caption));
  return starts.map((start, n) => {
    const end = n + 1 < starts.length ? (starts[n + 1] as { index: number }).index : lines.length;
    return parseTable(lines, start.index, end, start.caption);
  });
}

function parseTable(lines: readonly ReleaseLine[], start: number, end: number, caption: string): ParsedTable {
  const table: ParsedTable = { caption, line: (lines[start] as ReleaseLine).number, blocks: [] };
  const fail = (line: ReleaseLine, what: string): never => {
    throw new IngestError([
      { check: "table_layout", status: "fail", message: `${caption}, line ${line.number}: ${what}.`, table: caption, line: line.number },
    ]);
  };

  let block: TableBlock | null = null;
  let pendingLabel: ReleaseLine | null = null;
  for (let index = start + 1; index < end; index++) {
    const line = lines[index] as ReleaseLine;
    if (isBlank(line) || !line.raw.includes("\t")) continue; // page breaks, the "(Amounts in thousands …" lines

    const header = parseHeader(lines, index, caption);
    if (header) {
      if (pendingLabel) fail(pendingLabel, `"${cellsOf(pendingLabel)[0]}" has no figures before the next header`);
      block = { headerLine: line.number, columns: header.columns, rows: [] };
      table.blocks.push(block);
      index = header.next - 1;
      continue;
    }
    if (!block) return fail(line, "a row comes before any column header");

    const [label = "", ...rawCells] = cellsOf(line);
    if (rawCells.length > block.columns.length && rawCells.slice(block.columns.length).some((cell) => cell !== "")) {
      fail(line, `the row has ${rawCells.filter((cell) => cell !== "").length} figures for ${block.columns.length} columns`);
    }
    const empty = rawCells.every((cell) => cell === "");

    if (label === "") {
      if (empty) continue;
      if (!pendingLabel) fail(line, "figures with no row label");
      block.rows.push(makeRow(cellsOf(pendingLabel as ReleaseLine)[0] as string, pendingLabel as ReleaseLine, line, rawCells, block, fail));
      pendingLabel = null;
      continue;
    }
    if (pendingLabel) {
      block.rows.push({ label: cellsOf(pendingLabel)[0] as string, line: pendingLabel.number, labelLine: pendingLabel.number, cells: block.columns.map(() => null), heading: true });
      pendingLabel = null;
    }
    if (empty) {
      pendingLabel = line; // a heading, or a label whose figures sit on the next line
      continue;
    }
    block.rows.push(makeRow(label, line, line, rawCells, block, fail));
  }
  if (pendingLabel) {
    (block as TableBlock).rows.push({ label: cellsOf(pendingLabel)[0] as string, line: pendingLabel.number, labelLine: pendingLabel.number, cells: (block as TableBlock).columns.map(() => null), heading: true });
  }
  return table;
}

function makeRow(
  label: string,
  labelLine: ReleaseLine,
  valueLine: ReleaseLine,
  rawCells: string[],
  block: TableBlock,
  fail: (line: ReleaseLine, what: string) => never,
): TableRow {
  const cells = block.columns.map((column, index) => {
    const printed = rawCells[index] ?? "";
    if (printed === "") return null;
    const cell = parseCell(printed);
    return cell ?? fail(valueLine, `row "${label}", column ${column.heading}: "${printed}" is not a number`);
  });
  return { label, line: valueLine.number, labelLine: labelLine.number, cells, heading: false };
}
