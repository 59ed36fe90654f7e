/**
 * The period codec: the one place period ids (`2023Q2`, `2023H1`, `2023M9`, `2023FY`, `2023-06-30`) are parsed and
 * printed, with their labels, dates and arithmetic. Everything else handles a `PeriodKey`, never an id's characters.
 */
import type { PeriodInfo, PeriodType } from "./model";

export type PeriodKey =
  | { type: "quarter"; year: number; quarter: 1 | 2 | 3 | 4 }
  | { type: "half"; year: number; half: 1 | 2 }
  | { type: "nine_months"; year: number }
  | { type: "year"; year: number }
  | { type: "instant"; year: number; month: number; day: number };

const MONTH_LABELS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");
/** The last day of a month (28–31). */
export const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/**
 * The month a name or abbreviation of at least three letters means ("Jun", "Aug.", "Sept", "September"), or null
 * ("Junk", "Ju").
 *
 * @example
 * monthNumber("Sept") // 9
 */
export function monthNumber(name: string): number | null {
  const word = name.toLowerCase().replace(/\.$/, "");
  if (word.length < 3) return null;
  const index = MONTH_NAMES.findIndex((month) => month.startsWith(word));
  return index >= 0 ? index + 1 : null;
}

/**
 * A real calendar day as an instant key, or null (30 February, month 13, day 0).
 *
 * @example
 * instantKey(2023, 6, 30) // { type: "instant", year: 2023, month: 6, day: 30 }
 * instantKey(2023, 2, 30) // null
 */
export function instantKey(year: number, month: number, day: number): PeriodKey | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) return null;
  return { type: "instant", year, month, day };
}

/** The instant of an ISO date (`2023-06-30`), or null when it is not one. */
export function instantFromIso(iso: string): PeriodKey | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? instantKey(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** The last day of a month as an instant. */
export function monthEnd(year: number, month: number): PeriodKey {
  return { type: "instant", year, month, day: lastDayOfMonth(year, month) };
}

/**
 * A duration of `months` months ending with calendar month `endMonth` of `year` (how the release's column headings
 * read: "Six months ended June 30"), or null when no period type has that shape.
 *
 * @example
 * durationKey(3, 6, 2023) // { type: "quarter", year: 2023, quarter: 2 }
 * durationKey(6, 6, 2023) // { type: "half", year: 2023, half: 1 }
 * durationKey(6, 9, 2023) // null (six months ended September is not a half)
 */
export function durationKey(months: number, endMonth: number, year: number): PeriodKey | null {
  if (months === 3 && endMonth % 3 === 0) return { type: "quarter", year, quarter: (endMonth / 3) as 1 | 2 | 3 | 4 };
  if (months === 6 && (endMonth === 6 || endMonth === 12)) return { type: "half", year, half: (endMonth / 6) as 1 | 2 };
  if (months === 9 && endMonth === 9) return { type: "nine_months", year };
  if (months === 12 && endMonth === 12) return { type: "year", year };
  return null;
}

/**
 * The dataset id of a period.
 *
 * @example
 * periodId({ type: "half", year: 2023, half: 1 })                   // "2023H1"
 * periodId({ type: "instant", year: 2023, month: 6, day: 30 })      // "2023-06-30"
 */
export function periodId(key: PeriodKey): string {
  switch (key.type) {
    case "quarter":
      return `${key.year}Q${key.quarter}`;
    case "half":
      return `${key.year}H${key.half}`;
    case "nine_months":
      return `${key.year}M9`;
    case "year":
      return `${key.year}FY`;
    case "instant":
      return `${key.year}-${pad(key.month)}-${pad(key.day)}`;
  }
}

const ID = /^(\d{4})(?:Q([1-4])|H([12])|(M9)|(FY)|-(\d{2})-(\d{2}))$/;

/**
 * Reads a dataset id back into its key; null for anything that is not an id this codec prints.
 *
 * @example
 * parsePeriodId("2023Q2")     // { type: "quarter", year: 2023, quarter: 2 }
 * parsePeriodId("2023-02-30") // null
 */
export function parsePeriodId(id: string): PeriodKey | null {
  const match = ID.exec(id);
  if (match === null) return null;
  const year = Number(match[1]);
  if (match[2] !== undefined) return { type: "quarter", year, quarter: Number(match[2]) as 1 | 2 | 3 | 4 };
  if (match[3] !== undefined) return { type: "half", year, half: Number(match[3]) as 1 | 2 };
  if (match[4] !== undefined) return { type: "nine_months", year };
  if (match[5] !== undefined) return { type: "year", year };
  return instantKey(year, Number(match[6]), Number(match[7]));
}

/**
 * How a period reads in messages, headers and the pane (the same words ingest records in the dataset).
 *
 * @example
 * periodLabel({ type: "quarter", year: 2023, quarter: 2 })           // "Q2 2023"
 * periodLabel({ type: "year", year: 2023 })                          // "FY 2023"
 * periodLabel({ type: "instant", year: 2023, month: 6, day: 30 })    // "Jun 30, 2023"
 */
export function periodLabel(key: PeriodKey): string {
  switch (key.type) {
    case "quarter":
      return `Q${key.quarter} ${key.year}`;
    case "half":
      return `H${key.half} ${key.year}`;
    case "nine_months":
      return `9M ${key.year}`;
    case "year":
      return `FY ${key.year}`;
    case "instant":
      return `${MONTH_LABELS[key.month - 1]} ${key.day}, ${key.year}`;
  }
}

/** Months a duration covers and the month it ends with; null for an instant. */
function span(key: PeriodKey): { months: number; endMonth: number } | null {
  switch (key.type) {
    case "quarter":
      return { months: 3, endMonth: key.quarter * 3 };
    case "half":
      return { months: 6, endMonth: key.half * 6 };
    case "nine_months":
      return { months: 9, endMonth: 9 };
    case "year":
      return { months: 12, endMonth: 12 };
    case "instant":
      return null;
  }
}

/** The last day of a period (the instant itself for an instant), as an instant key. */
export function periodEndKey(key: PeriodKey): PeriodKey {
  const duration = span(key);
  return duration === null ? key : monthEnd(key.year, duration.endMonth);
}

/** ISO date of the last day. */
export const periodEnd = (key: PeriodKey): string => periodId(periodEndKey(key));

/** ISO date of the first day of a duration; null for an instant. */
export function periodStart(key: PeriodKey): string | null {
  const duration = span(key);
  return duration === null ? null : `${key.year}-${pad(duration.endMonth - duration.months + 1)}-01`;
}

/** The period as the dataset describes it. */
export function periodInfo(key: PeriodKey): PeriodInfo {
  const type: PeriodType = key.type;
  return { id: periodId(key), type, start: periodStart(key), end: periodEnd(key), label: periodLabel(key) };
}

/** Whether an instant falls on a quarter end (31 Mar, 30 Jun, 30 Sep, 31 Dec): the dates balances are reported at. */
export function isQuarterEnd(key: PeriodKey): boolean {
  return key.type === "instant" && key.month % 3 === 0 && key.day === lastDayOfMonth(key.year, key.month);
}

/**
 * The same kind of period shifted by whole quarters (negative: earlier): Q2 2023 − 1 → Q1 2023; Jun 30, 2023 − 4 →
 * Jun 30, 2022; H1 2023 − 4 → H1 2022. Null when the shift does not land on a period of the same kind (a half moved
 * by one quarter). A month-end instant stays a month end.
 *
 * @example
 * shiftPeriod(parsePeriodId("2023Q1")!, -1) // { type: "quarter", year: 2022, quarter: 4 }
 */
export function shiftPeriod(key: PeriodKey, quarters: number): PeriodKey | null {
  switch (key.type) {
    case "quarter": {
      const index = key.year * 4 + key.quarter - 1 + quarters;
      return { type: "quarter", year: Math.floor(index / 4), quarter: ((index % 4) + 1) as 1 | 2 | 3 | 4 };
    }
    case "instant": {
      const monthIndex = key.year * 12 + key.month - 1 + quarters * 3;
      const year = Math.floor(monthIndex / 12);
      const month = (monthIndex % 12) + 1;
      if (key.day === lastDayOfMonth(key.year, key.month)) return monthEnd(year, month);
      return instantKey(year, month, key.day);
    }
    default:
      return quarters % 4 === 0 ? { ...key, year: key.year + quarters / 4 } : null;
  }
}

/**
 * The quarter that ends on a date (a quarter-end date given for a flow item), or null when the date is no quarter end.
 *
 * @example
 * quarterEndingOn(parsePeriodId("2023-06-30")!) // { type: "quarter", year: 2023, quarter: 2 }
 */
export function quarterEndingOn(key: PeriodKey): PeriodKey | null {
  return isQuarterEnd(key) && key.type === "instant" ? { type: "quarter", year: key.year, quarter: (key.month / 3) as 1 | 2 | 3 | 4 } : null;
}

