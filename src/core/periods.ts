/**
 * The period grammar: the forms analysts type ("2023Q2", "Q2 2023", "2Q23", "H1 2023", "6M 2023", "FY2023",
 * dates and date serials, "latest-1"), parsed into one small structure, then resolved against an item, because a
 * quarter means a flow for an income-statement line and its end date for a balance-sheet line.
 */
import { CellError, ErrorType } from "./cell";
import type { ItemInfo } from "./model";
import type { DatasetIndex } from "./dataset-index";
import { endOfMonth, isoDate, serialToIsoDate } from "./excel-date";
import { Messages } from "./messages";

export type ParsedPeriod =
  | { kind: "quarter"; year: number; quarter: 1 | 2 | 3 | 4 }
  | { kind: "half"; year: number; half: 1 | 2 }
  | { kind: "nine_months"; year: number }
  | { kind: "year"; year: number }
  | { kind: "date"; date: string }
  /** `latest` (offset 0) or `latest-n`: n quarters before the newest quarter or instant. */
  | { kind: "latest"; offset: number };

/** A period resolved for one item: its dataset id (which may not exist in the data) and a label for messages. */
export interface PeriodRef {
  id: string;
  label: string;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const MONTH_LABELS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const fullYear = (text: string): number => (text.length === 2 ? 2000 + Number(text) : Number(text));

function monthNumber(name: string): number | null {
  const upper = name.toUpperCase();
  if (upper.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(upper.slice(0, 3)));
  // "June", "Sept" and "September" are fine; "Junk" is not.
  const full = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"];
  return index >= 0 && (full[index].startsWith(upper) || upper === "SEPT") ? index + 1 : null;
}

// Separators between a quarter/half marker and a year: space, "-", "'", "/", or none before a 4-digit year.
const YEAR = String.raw`(\d{4}|\d{2})`;
const SEP = String.raw`(?:\s*[-'/]\s*|\s+)`;
const RULES: { pattern: RegExp; build: (m: RegExpMatchArray) => ParsedPeriod | null }[] = [
  { pattern: /^(\d{4})\s*-?\s*Q([1-4])$/, build: (m) => quarter(m[1], m[2]) },
  { pattern: new RegExp(`^Q([1-4])${SEP}${YEAR}$`), build: (m) => quarter(m[2], m[1]) },
  { pattern: /^Q([1-4])(\d{4})$/, build: (m) => quarter(m[2], m[1]) },
  { pattern: new RegExp(`^([1-4])Q\\s*'?${YEAR}$`), build: (m) => quarter(m[2], m[1]) },
  { pattern: /^(\d{4})\s*-?\s*H([12])$/, build: (m) => half(m[1], m[2]) },
  { pattern: new RegExp(`^H([12])${SEP}${YEAR}$`), build: (m) => half(m[2], m[1]) },
  { pattern: /^H([12])(\d{4})$/, build: (m) => half(m[2], m[1]) },
  { pattern: new RegExp(`^([12])H\\s*'?${YEAR}$`), build: (m) => half(m[2], m[1]) },
  { pattern: new RegExp(`^6M\\s*'?${YEAR}$`), build: (m) => half(m[1], "1") },
  { pattern: /^(\d{4})\s*-?\s*6M$/, build: (m) => half(m[1], "1") },
  { pattern: new RegExp(`^9M\\s*'?${YEAR}$`), build: (m) => ({ kind: "nine_months", year: fullYear(m[1]) }) },
  { pattern: /^(\d{4})\s*-?\s*(?:9M|M9)$/, build: (m) => ({ kind: "nine_months", year: fullYear(m[1]) }) },
  { pattern: new RegExp(`^(?:FY|12M)\\s*'?${YEAR}$`), build: (m) => ({ kind: "year", year: fullYear(m[1]) }) },
  { pattern: /^(\d{4})\s*-?\s*FY$/, build: (m) => ({ kind: "year", year: fullYear(m[1]) }) },
  { pattern: /^LATEST(?:\s*-\s*(\d{1,3}))?$/, build: (m) => ({ kind: "latest", offset: m[1] === undefined ? 0 : Number(m[1]) }) },
  { pattern: /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/, build: (m) => date(isoDate(Number(m[1]), Number(m[2]), Number(m[3]))) },
  // June 30, 2023 · Jun 30 2023 · Jun. 30, 2023
  { pattern: /^([A-Z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/, build: (m) => written(m[3], m[1], m[2]) },
  // 30 Jun 2023 · 30 June, 2023 · 30-Jun-2023 · 30-Jun-23
  { pattern: /^(\d{1,2})[\s-]+([A-Z]+)\.?,?[\s-]+(\d{4}|\d{2})$/, build: (m) => written(m[3], m[2], m[1]) },
  { pattern: /^(\d+(?:\.\d+)?)$/, build: (m) => date(serialToIsoDate(Number(m[1]))) },
];

function quarter(year: string, q: string): ParsedPeriod {
  return { kind: "quarter", year: fullYear(year), quarter: Number(q) as 1 | 2 | 3 | 4 };
}
function half(year: string, h: string): ParsedPeriod {
  return { kind: "half", year: fullYear(year), half: Number(h) as 1 | 2 };
}
function date(iso: string | null): ParsedPeriod | null {
  return iso === null ? null : { kind: "date", date: iso };
}
function written(year: string, month: string, day: string): ParsedPeriod | null {
  const monthIndex = monthNumber(month);
  return monthIndex === null ? null : date(isoDate(fullYear(year), monthIndex, Number(day)));
}

const parseMemo = new Map<string, ParsedPeriod | CellError>();

/**
 * Parses a period as typed in a cell (text) or a date serial (number).
 *
 * @example
 * parsePeriod("Q2'23")      // { kind: "quarter", year: 2023, quarter: 2 }
 * parsePeriod("1H23")       // { kind: "half", year: 2023, half: 1 }
 * parsePeriod(45107)        // { kind: "date", date: "2023-06-30" }
 * parsePeriod("latest-4")   // { kind: "latest", offset: 4 }
 * parsePeriod(2023)         // CellError #VALUE! 2023 is not a period (nor a date serial) …
 */
export function parsePeriod(typed: string | number): ParsedPeriod | CellError {
  if (typeof typed === "number") {
    const iso = serialToIsoDate(typed);
    return iso === null ? new CellError(ErrorType.VALUE, Messages.periodNumber(typed)) : { kind: "date", date: iso };
  }
  const cached = parseMemo.get(typed);
  if (cached !== undefined) return cached;
  const text = typed.normalize("NFKC").replace(/[’‘`´]/g, "'").replace(/\s+/g, " ").trim().toUpperCase();
  let parsed: ParsedPeriod | CellError = new CellError(
    ErrorType.VALUE,
    text === "" ? Messages.periodMissing : Messages.periodUnparseable(typed.trim()),
  );
  for (const rule of RULES) {
    const match = text.match(rule.pattern);
    const built = match === null ? null : rule.build(match);
    if (built !== null) {
      parsed = built;
      break;
    }
  }
  if (parsed instanceof CellError && /^\d{1,4}$/.test(text)) parsed = new CellError(ErrorType.VALUE, Messages.periodNumber(Number(text)));
  if (parseMemo.size < 10_000) parseMemo.set(typed, parsed);
  return parsed;
}

/** End date of a duration period. */
function endDate(parsed: Exclude<ParsedPeriod, { kind: "date" } | { kind: "latest" }>): string {
  switch (parsed.kind) {
    case "quarter":
      return endOfMonth(parsed.year, parsed.quarter * 3);
    case "half":
      return endOfMonth(parsed.year, parsed.half * 6);
    case "nine_months":
      return endOfMonth(parsed.year, 9);
    case "year":
      return endOfMonth(parsed.year, 12);
  }
}

/**
 * The dataset id of a duration period.
 *
 * @example
 * durationId({ kind: "half", year: 2023, half: 1 }) // "2023H1"
 */
export function durationId(parsed: Exclude<ParsedPeriod, { kind: "date" } | { kind: "latest" }>): string {
  switch (parsed.kind) {
    case "quarter":
      return `${parsed.year}Q${parsed.quarter}`;
    case "half":
      return `${parsed.year}H${parsed.half}`;
    case "nine_months":
      return `${parsed.year}M9`;
    case "year":
      return `${parsed.year}FY`;
  }
}

/**
 * The id of the same period shifted by whole quarters (negative: earlier): `2023Q2` − 1 → `2023Q1`;
 * `2023-06-30` − 4 → `2022-06-30`; `2023H1` − 4 → `2022H1`. Null when the shift does not land on a period of the
 * same kind (a half shifted by one quarter).
 *
 * @example
 * shiftPeriodId("2023Q1", -1) // "2022Q4"
 */
export function shiftPeriodId(id: string, quarters: number): string | null {
  const quarterMatch = id.match(/^(\d{4})Q([1-4])$/);
  if (quarterMatch) {
    const index = Number(quarterMatch[1]) * 4 + Number(quarterMatch[2]) - 1 + quarters;
    return `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
  }
  const instantMatch = id.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (instantMatch) return shiftDate(instantMatch[1], instantMatch[2], instantMatch[3], quarters * 3);
  if (quarters % 4 !== 0) return null;
  const yearMatch = id.match(/^(\d{4})(H[12]|M9|FY)$/);
  return yearMatch ? `${Number(yearMatch[1]) + quarters / 4}${yearMatch[2]}` : null;
}

function shiftDate(year: string, month: string, day: string, months: number): string | null {
  const monthIndex = Number(year) * 12 + Number(month) - 1 + months;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = (monthIndex % 12) + 1;
  const wasMonthEnd = endOfMonth(Number(year), Number(month)) === `${year}-${month}-${day}`;
  return wasMonthEnd ? endOfMonth(newYear, newMonth) : isoDate(newYear, newMonth, Number(day));
}

/**
 * A human label for a period id, from the dataset when it has the period ("Q2 2023", "Jun 30, 2023").
 *
 * @example
 * periodLabel(index, "2024Q1") // "Q1 2024"
 */
export function periodLabel(index: DatasetIndex, id: string): string {
  const known = index.periodsById.get(id);
  if (known !== undefined) return known.label;
  let match = id.match(/^(\d{4})Q([1-4])$/);
  if (match) return `Q${match[2]} ${match[1]}`;
  match = id.match(/^(\d{4})H([12])$/);
  if (match) return `H${match[2]} ${match[1]}`;
  match = id.match(/^(\d{4})M9$/);
  if (match) return `9M ${match[1]}`;
  match = id.match(/^(\d{4})FY$/);
  if (match) return `FY${match[1]}`;
  match = id.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (match) return `${MONTH_LABELS[Number(match[2]) - 1]} ${Number(match[3])}, ${match[1]}`;
  return id;
}

/**
 * Resolves a parsed period for an item: a quarter or half given for a balance-sheet (instant) item means its end
 * date; `latest` means the newest quarter of the data for flows and the newest date for balances.
 *
 * @example
 * resolvePeriod(index, parsePeriod("Q2 2023"), cashItem)      // { id: "2023-06-30", label: "Jun 30, 2023" }
 * resolvePeriod(index, parsePeriod("latest-1"), netIncome)    // { id: "2023Q1", label: "Q1 2023" }
 */
export function resolvePeriod(index: DatasetIndex, parsed: ParsedPeriod, item: ItemInfo): PeriodRef | CellError {
  let id: string | null;
  if (parsed.kind === "latest") {
    const newest = item.nature === "instant" ? index.latestInstant : index.latestQuarter;
    if (newest === null) return new CellError(ErrorType.NA, Messages.latestUnavailable(item.label));
    id = shiftPeriodId(newest.id, -parsed.offset);
  } else if (parsed.kind === "date") {
    if (item.nature === "duration") return new CellError(ErrorType.VALUE, Messages.instantForDuration(item.label, parsed.date));
    id = parsed.date;
  } else {
    id = item.nature === "instant" ? endDate(parsed) : durationId(parsed);
  }
  if (id === null) return new CellError(ErrorType.NA, Messages.latestUnavailable(item.label));
  return { id, label: periodLabel(index, id) };
}

/** `#N/A` saying the item has no figure for the period, listing the periods it has. */
export function notReported(index: DatasetIndex, item: ItemInfo, period: PeriodRef): CellError {
  return new CellError(ErrorType.NA, Messages.periodNotReported(item.label, period.label, index.periodsOf(item.id).map((p) => p.label)));
}
