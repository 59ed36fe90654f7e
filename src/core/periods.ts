/**
 * The period grammar: the forms analysts type ("2023Q2", "Q2 2023", "2Q23", "H1 2023", "6M 2023", "FY2023",
 * dates and date serials, "latest-1"), parsed into a period key (see `./period-id`) or a relative period, then
 * resolved against an item, because a quarter means a flow for an income-statement line and its end date for a
 * balance-sheet line.
 */
import { CellError, ErrorType } from "./cell";
import type { ItemInfo } from "./model";
import { remember, type DatasetIndex } from "./dataset-index";
import { serialToIsoDate } from "./excel-date";
import { Messages } from "./messages";
import { instantFromIso, instantKey, isQuarterEnd, monthEnd, monthNumber, periodEndKey, periodId, periodLabel, quarterEndingOn, shiftPeriod, type PeriodKey } from "./period-id";

/** `latest` (offset 0) or `latest-n`: n quarters before the newest quarter or instant of the data. */
export interface RelativePeriod {
  type: "latest";
  offset: number;
}

/** The last twelve months: the four quarters ending with a quarter (or the newest, shifted back by an offset). */
export interface TrailingPeriod {
  type: "ltm";
  end: PeriodKey | RelativePeriod;
}

/** What a typed period means before it meets an item: a period, one relative to the newest data, or an LTM. */
export type ParsedPeriod = PeriodKey | RelativePeriod | TrailingPeriod;

/** A period resolved for one item: its key, its dataset id (which may not exist in the data) and a label for messages. */
export interface PeriodRef {
  key: PeriodKey;
  id: string;
  label: string;
  /** How a typed period was read for this item, when it is not what was typed ("the quarter ending Jun 30, 2023"). */
  note?: string;
}


const fullYear = (text: string): number => (text.length === 2 ? 2000 + Number(text) : Number(text));

const quarter = (year: string, q: string): PeriodKey => ({ type: "quarter", year: fullYear(year), quarter: Number(q) as 1 | 2 | 3 | 4 });
const ORDINAL_WORDS: Record<string, number> = { FIRST: 1, "1ST": 1, SECOND: 2, "2ND": 2, THIRD: 3, "3RD": 3, FOURTH: 4, "4TH": 4 };
/** "June 2023", "Jun-23": the month's last day. */
const monthOf = (year: string, month: string): PeriodKey | null => {
  const monthIndex = monthNumber(month);
  return monthIndex === null ? null : monthEnd(fullYear(year), monthIndex);
};
/**
 * A date written with day and month in either order (30/06/2023, 06/30/2023): read only when the order is certain —
 * one part is over 12, or both are the same.
 */
const eitherOrder = (first: string, second: string, year: string): PeriodKey | null | AmbiguousDate => {
  const [a, b] = [Number(first), Number(second)];
  if (a > 12) return instantKey(fullYear(year), b, a);
  if (b > 12 || a === b) return instantKey(fullYear(year), a, b);
  const iso = (month: number, day: number): string => `${fullYear(year)}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return { dayFirst: iso(b, a), monthFirst: iso(a, b) };
};
/** Both readings of a date whose day and month could be either way round (03/04/2023), as ISO dates. */
interface AmbiguousDate {
  dayFirst: string;
  monthFirst: string;
}
const isAmbiguous = (built: unknown): built is AmbiguousDate => typeof built === "object" && built !== null && "dayFirst" in built;
const half = (year: string, h: string): PeriodKey => ({ type: "half", year: fullYear(year), half: Number(h) as 1 | 2 });
const written = (year: string, month: string, day: string): PeriodKey | null => {
  const monthIndex = monthNumber(month);
  return monthIndex === null ? null : instantKey(fullYear(year), monthIndex, Number(day));
};

// Separators between a quarter/half marker and a year: space, "-", "'", "/", or none before a 4-digit year.
const YEAR = String.raw`(\d{4}|\d{2})`;
const SEP = String.raw`(?:\s?[-'/]\s?|\s)`;
const RULES: { pattern: RegExp; build: (m: RegExpMatchArray) => ParsedPeriod | null | AmbiguousDate }[] = [
  { pattern: /^(\d{4})\s?-?\s?Q([1-4])$/, build: (m) => quarter(m[1], m[2]) },
  { pattern: new RegExp(`^Q([1-4])${SEP}${YEAR}$`), build: (m) => quarter(m[2], m[1]) },
  { pattern: /^Q([1-4])(\d{4})$/, build: (m) => quarter(m[2], m[1]) },
  { pattern: new RegExp(`^([1-4])Q\\s?'?${YEAR}$`), build: (m) => quarter(m[2], m[1]) },
  { pattern: /^(\d{4})\s?-?\s?H([12])$/, build: (m) => half(m[1], m[2]) },
  { pattern: new RegExp(`^H([12])${SEP}${YEAR}$`), build: (m) => half(m[2], m[1]) },
  { pattern: /^H([12])(\d{4})$/, build: (m) => half(m[2], m[1]) },
  { pattern: new RegExp(`^([12])H\\s?'?${YEAR}$`), build: (m) => half(m[2], m[1]) },
  { pattern: new RegExp(`^6M\\s?'?${YEAR}$`), build: (m) => half(m[1], "1") },
  { pattern: /^(\d{4})\s?-?\s?6M$/, build: (m) => half(m[1], "1") },
  { pattern: new RegExp(`^9M\\s?'?${YEAR}$`), build: (m) => ({ type: "nine_months", year: fullYear(m[1]) }) },
  { pattern: /^(\d{4})\s?-?\s?(?:9M|M9)$/, build: (m) => ({ type: "nine_months", year: fullYear(m[1]) }) },
  { pattern: new RegExp(`^(?:FY|12M)\\s?'?${YEAR}$`), build: (m) => ({ type: "year", year: fullYear(m[1]) }) },
  { pattern: /^(\d{4})\s?-?\s?FY$/, build: (m) => ({ type: "year", year: fullYear(m[1]) }) },
  { pattern: /^LATEST(?:\s?-\s?(\d{1,3}))?$/, build: (m) => ({ type: "latest", offset: m[1] === undefined ? 0 : Number(m[1]) }) },
  // Fiscal-year spellings (QFIN's fiscal year is the calendar year): Q2 FY23, 2Q FY2023, FY23 Q2, H1 FY23, FY23 1H.
  { pattern: new RegExp(`^Q([1-4])\\s?FY\\s?'?${YEAR}$`), build: (m) => quarter(m[2], m[1]) },
  { pattern: new RegExp(`^([1-4])Q\\s?FY\\s?'?${YEAR}$`), build: (m) => quarter(m[2], m[1]) },
  { pattern: new RegExp(`^FY\\s?'?${YEAR}\\s?-?\\s?(?:Q([1-4])|([1-4])Q)$`), build: (m) => quarter(m[1], m[2] ?? m[3]) },
  { pattern: new RegExp(`^(?:H([12])|([12])H)\\s?FY\\s?'?${YEAR}$`), build: (m) => half(m[3], m[1] ?? m[2]) },
  { pattern: new RegExp(`^FY\\s?'?${YEAR}\\s?-?\\s?(?:H([12])|([12])H)$`), build: (m) => half(m[1], m[2] ?? m[3]) },
  // Year-to-date lengths: 3M 2023 is the first three months, as 6M and 9M are the first six and nine.
  { pattern: new RegExp(`^3M\\s?'?${YEAR}$`), build: (m) => quarter(m[1], "1") },
  { pattern: /^(\d{4})\s?-?\s?3M$/, build: (m) => quarter(m[1], "1") },
  // Words: first half 2023, second quarter of 2023, Q2 of 2023, full year 2023, fiscal 2023.
  {
    pattern: new RegExp(`^(FIRST|SECOND|1ST|2ND) HALF(?: OF)?(?: FY)? '?${YEAR}$`),
    build: (m) => half(m[2], String(ORDINAL_WORDS[m[1]])),
  },
  {
    pattern: new RegExp(`^(FIRST|SECOND|THIRD|FOURTH|1ST|2ND|3RD|4TH) QUARTER(?: OF)?(?: FY)? '?${YEAR}$`),
    build: (m) => quarter(m[2], String(ORDINAL_WORDS[m[1]])),
  },
  { pattern: new RegExp(`^Q([1-4]) OF ${YEAR}$`), build: (m) => quarter(m[2], m[1]) },
  { pattern: new RegExp(`^(?:FULL YEAR|FISCAL YEAR|FISCAL|YEAR)(?: OF)? ${YEAR}$`), build: (m) => ({ type: "year", year: fullYear(m[1]) }) },
  // The last twelve months: LTM, TTM, LTM Q2 2023, 2Q23 LTM.
  { pattern: /^(?:LTM|TTM|LAST TWELVE MONTHS|LAST 12 MONTHS)$/, build: () => ({ type: "ltm", end: { type: "latest", offset: 0 } }) },
  {
    pattern: /^(?:LTM|TTM)\s?-?\s?(.+)$|^(.+?)\s?-?\s?(?:LTM|TTM)$/,
    build: (m) => {
      const end = parseQuarterEnd(m[1] ?? m[2] ?? "");
      return end === null ? null : { type: "ltm", end };
    },
  },
  // A month: June 2023, Jun 2023, Jun-23, Jun '23, 2023-06 (its last day).
  { pattern: /^([A-Z]{3,9})\.?[\s-]'?(\d{4}|\d{2})$/, build: (m) => monthOf(m[2], m[1]) },
  { pattern: /^(\d{4})-(\d{1,2})$/, build: (m) => (Number(m[2]) >= 1 && Number(m[2]) <= 12 ? monthEnd(Number(m[1]), Number(m[2])) : null) },
  // Dates with the day and the month in either order: 30/06/2023 and 06/30/2023 (refused when both could be).
  { pattern: /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/, build: (m) => eitherOrder(m[1], m[2], m[3]) },
  { pattern: /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/, build: (m) => instantKey(Number(m[1]), Number(m[2]), Number(m[3])) },
  // June 30, 2023 · Jun 30 2023 · Jun. 30, 2023
  { pattern: /^([A-Z]{3,9})\.?\s(\d{1,2}),?\s(\d{4})$/, build: (m) => written(m[3], m[1], m[2]) },
  // 30 Jun 2023 · 30 June, 2023 · 30-Jun-2023 · 30-Jun-23
  { pattern: /^(\d{1,2})[\s-]([A-Z]{3,9})\.?,?[\s-](\d{4}|\d{2})$/, build: (m) => written(m[3], m[2], m[1]) },
];

/** The quarter an LTM ends with: a quarter or a relative quarter as typed ("Q2 2023", "2Q23", "latest-1"). */
function parseQuarterEnd(text: string): PeriodKey | RelativePeriod | null {
  for (const rule of RULES) {
    const match = text.match(rule.pattern);
    const built = match === null ? null : rule.build(match);
    if (built !== null && !isAmbiguous(built) && (built.type === "quarter" || built.type === "latest")) return built;
  }
  return null;
}

/** Longer than any period anyone types: refused before any pattern looks at it. */
const MAX_PERIOD_LENGTH = 40;

function fromSerial(serial: number): ParsedPeriod | null {
  const iso = serialToIsoDate(serial);
  return iso === null ? null : instantFromIso(iso);
}

/**
 * Parses a period as typed in a cell (text) or a date serial (number).
 *
 * @example
 * parsePeriod("Q2'23")      // { type: "quarter", year: 2023, quarter: 2 }
 * parsePeriod("1H23")       // { type: "half", year: 2023, half: 1 }
 * parsePeriod(45107)        // { type: "instant", year: 2023, month: 6, day: 30 }
 * parsePeriod("latest-4")   // { type: "latest", offset: 4 }
 * parsePeriod(2023)         // CellError #VALUE! 2023 is not a period (nor a date serial) …
 */
export function parsePeriod(typed: string | number): ParsedPeriod | CellError {
  if (typeof typed === "number") return fromSerial(typed) ?? new CellError(ErrorType.VALUE, Messages.periodNumber(typed));
  const shown = typed.trim();
  if (shown === "") return new CellError(ErrorType.VALUE, Messages.periodMissing);
  if (shown.length > MAX_PERIOD_LENGTH) return new CellError(ErrorType.VALUE, Messages.periodUnparseable(shown));
  // Plain ASCII (nearly everything typed) needs no Unicode normalisation; other text is folded first (full-width
  // digits, curly apostrophes).
  const folded = /^[\x20-\x7e]*$/.test(shown) ? shown : shown.normalize("NFKC").replace(/[’‘`´]/g, "'");
  const text = folded.replace(/\s+/g, " ").toUpperCase();
  for (const rule of RULES) {
    const match = text.match(rule.pattern);
    const built = match === null ? null : rule.build(match);
    if (isAmbiguous(built)) return new CellError(ErrorType.VALUE, Messages.ambiguousDate(shown, built.dayFirst, built.monthFirst));
    if (built !== null) return built;
  }
  const serial = /^\d+(?:\.\d+)?$/.test(text) ? fromSerial(Number(text)) : null;
  if (serial !== null) return serial;
  // A year or quarter number typed alone: say how to type it as a period.
  if (/^\d{1,4}$/.test(text)) return new CellError(ErrorType.VALUE, Messages.periodNumber(Number(text)));
  return new CellError(ErrorType.VALUE, Messages.periodUnparseable(shown));
}

const newParseMemo = (): Map<string | number, ParsedPeriod | CellError> => new Map();

/**
 * `parsePeriod`, remembered on the index: a model asks about a few periods for many items.
 *
 * @example
 * parsePeriodOf(index, "Q2 2023") // { type: "quarter", year: 2023, quarter: 2 }, parsed once per dataset
 */
export function parsePeriodOf(index: DatasetIndex, typed: string | number): ParsedPeriod | CellError {
  const memo = index.memo("period-parses", newParseMemo);
  const known = memo.get(typed);
  if (known !== undefined) return known;
  const parsed = parsePeriod(typed);
  remember(memo, typed, parsed);
  return parsed;
}

/** The reference for a period key: its id and label, from the dataset when it has the period. */
export function periodRef(index: DatasetIndex, key: PeriodKey): PeriodRef {
  const id = periodId(key);
  return { key, id, label: index.periodsById.get(id)?.label ?? periodLabel(key) };
}

/**
 * Resolves a parsed period for an item: a quarter or half given for a balance-sheet (instant) item means its end
 * date; `latest` means the newest quarter of the data for flows and the newest quarter end for balances.
 *
 * @example
 * resolvePeriod(index, parsePeriod("Q2 2023"), cashItem)      // { id: "2023-06-30", label: "Jun 30, 2023", … }
 * resolvePeriod(index, parsePeriod("latest-1"), netIncome)    // { id: "2023Q1", label: "Q1 2023", … }
 */
export function resolvePeriod(index: DatasetIndex, parsed: ParsedPeriod, item: ItemInfo): PeriodRef | CellError {
  if (parsed.type === "ltm") return new CellError(ErrorType.VALUE, Messages.ltmNotHere(item.label));
  if (parsed.type === "latest") {
    const newest = item.nature === "instant" ? index.latestInstant : index.latestQuarter;
    const key = newest === null ? null : shiftPeriod(index.periodKey(newest), -parsed.offset);
    return key === null ? new CellError(ErrorType.NA, Messages.latestUnavailable(item.label)) : periodRef(index, key);
  }
  if (parsed.type === "instant") {
    if (item.nature === "instant") return periodRef(index, parsed);
    // A quarter-end date given for a flow (models headed with period-end dates) means the quarter ending that day.
    const quarterKey = isQuarterEnd(parsed) ? quarterEndingOn(parsed) : null;
    if (quarterKey === null) return new CellError(ErrorType.VALUE, Messages.instantForDuration(item.label, periodId(parsed)));
    return { ...periodRef(index, quarterKey), note: `the quarter ending ${periodLabel(parsed)}` };
  }
  return periodRef(index, item.nature === "instant" ? periodEndKey(parsed) : parsed);
}

/**
 * The four quarters of an LTM for an item, oldest first, resolved against the data ("LTM" ends with the newest quarter).
 *
 * @example
 * trailingQuarters(index, { type: "ltm", end: { type: "quarter", year: 2023, quarter: 2 } }, netIncome).map((p) => p.label)
 * // ["Q3 2022", "Q4 2022", "Q1 2023", "Q2 2023"]
 */
export function trailingQuarters(index: DatasetIndex, parsed: TrailingPeriod, item: ItemInfo): PeriodRef[] | CellError {
  if (item.nature === "instant" || !item.additive) return new CellError(ErrorType.VALUE, Messages.ltmNeedsFlow(item.label));
  const end = parsed.end.type === "latest" ? resolvePeriod(index, parsed.end, item) : periodRef(index, parsed.end);
  if (end instanceof CellError) return end;
  const quarters: PeriodRef[] = [];
  for (let back = 3; back >= 0; back--) {
    const key = shiftPeriod(end.key, -back);
    if (key === null) return new CellError(ErrorType.VALUE, Messages.ltmNotHere(item.label));
    quarters.push(periodRef(index, key));
  }
  return quarters;
}

/** `#N/A` saying the item has no figure for the period, listing the periods it has. */
export function notReported(index: DatasetIndex, item: ItemInfo, period: PeriodRef): CellError {
  return new CellError(ErrorType.NA, Messages.periodNotReported(item.label, period.label, index.periodsOf(item.id).map((p) => p.label)));
}
