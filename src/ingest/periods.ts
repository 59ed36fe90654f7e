/**
 * Periods as the release's column headings name them: "Three months ended June 30," over "2023" is Q2 2023;
 * "Six months ended June 30," is H1; "December 31, 2022" is an instant. The fiscal year is the calendar year.
 */
import type { PeriodInfo } from "../core/model";
import { durationKey, periodInfo } from "../core/period-id";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DURATION_WORDS: Record<string, number> = { three: 3, six: 6, nine: 9, twelve: 12 };

export function monthNumber(name: string): number | null {
  const index = MONTHS.findIndex((month) => month.startsWith(name.toLowerCase().slice(0, 3)));
  return index >= 0 ? index + 1 : null;
}

/** An instant (balance-sheet date), as the core's period codec describes it. */
export function instantPeriod(year: number, month: number, day: number): PeriodInfo {
  return periodInfo({ type: "instant", year, month, day });
}

/** A duration of `months` months ending with calendar month `endMonth` of `year`; null when no period has that shape. */
export function durationPeriod(months: number, endMonth: number, year: number): PeriodInfo | null {
  const key = durationKey(months, endMonth, year);
  return key === null ? null : periodInfo(key);
}

/**
 * Reads a duration heading such as "Three months ended June 30," (the year comes from the row below).
 * Returns the length in months and the end month, or null when the text is not such a heading.
 */
export function parseDurationHeading(text: string): { months: number; endMonth: number } | null {
  const match = /^(three|six|nine|twelve) months ended (\w+) \d{1,2},?$|^year ended (\w+) \d{1,2},?$/i.exec(text.trim());
  if (!match) return null;
  const months = match[1] ? DURATION_WORDS[match[1].toLowerCase()] : 12;
  const endMonth = monthNumber((match[2] ?? match[3]) as string);
  return months && endMonth ? { months, endMonth } : null;
}

/** Reads an instant heading such as "December 31, 2022" or "June 30, 2023". */
export function parseInstantHeading(text: string): PeriodInfo | null {
  const match = /^(\w+) (\d{1,2}), (\d{4})$/.exec(text.trim());
  if (!match) return null;
  const month = monthNumber(match[1] as string);
  return month ? instantPeriod(Number(match[3]), month, Number(match[2])) : null;
}

/** The period a written date names in the narrative ("as of June 30, 2022"), as an instant. */
export function instantFromWords(text: string): PeriodInfo | null {
  return parseInstantHeading(text.replace(/^as of /i, ""));
}
