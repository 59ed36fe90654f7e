/**
 * Periods as the release's column headings name them: "Three months ended June 30," over "2023" is Q2 2023;
 * "Six months ended June 30," is H1; "December 31, 2022" is an instant. The fiscal year is the calendar year.
 */
import type { PeriodInfo } from "../core/model";
import { durationKey, instantKey, monthNumber, periodInfo } from "../core/period-id";

const DURATION_WORDS: Record<string, number> = { three: 3, six: 6, nine: 9, twelve: 12 };


/** An instant (balance-sheet date), as the core's period codec describes it. */
export function instantPeriod(year: number, month: number, day: number): PeriodInfo {
  return periodInfo({ type: "instant", year, month, day });
}

/** A duration of `months` months ending with calendar month `endMonth` of `year`; null when no period has that shape. */
export function durationPeriod(months: number, endMonth: number, year: number): PeriodInfo | null {
  const key = durationKey(months, endMonth, year);
  return key === null ? null : periodInfo(key);
}

/** Whether year-month-day is a date of the calendar a release can print ("December 41" and "February 29, 2023" are not). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1900 && year <= 2999 && instantKey(year, month, day) !== null;
}

/**
 * Reads a duration heading such as "Three months ended June 30," (the year comes from the row below).
 * Returns the length in months, the end month and the day the heading names, or null when the text is not such a
 * heading. The day is checked against the period's year by the caller (it is the month's last day for every period).
 */
export function parseDurationHeading(text: string): { months: number; endMonth: number; day: number } | null {
  const match = /^(three|six|nine|twelve) months ended (\w{3,9}) (\d{1,2}),?$|^year ended (\w{3,9}) (\d{1,2}),?$/i.exec(text.trim());
  if (!match) return null;
  const months = match[1] ? DURATION_WORDS[match[1].toLowerCase()] : 12;
  const endMonth = monthNumber((match[2] ?? match[4]) as string);
  return months && endMonth ? { months, endMonth, day: Number(match[3] ?? match[5]) } : null;
}

/** A written date, "December 31, 2022", as numbers; null when the text is not written that way. The day may not exist. */
export function readWrittenDate(text: string): { year: number; month: number; day: number } | null {
  const match = /^(\w{3,9}) (\d{1,2}), (\d{4})$/.exec(text.trim());
  if (!match) return null;
  const month = monthNumber(match[1] as string);
  return month ? { year: Number(match[3]), month, day: Number(match[2]) } : null;
}

/** Reads an instant heading such as "December 31, 2022" or "June 30, 2023"; null unless it is a calendar date. */
export function parseInstantHeading(text: string): PeriodInfo | null {
  const date = readWrittenDate(text);
  return date && isCalendarDate(date.year, date.month, date.day) ? instantPeriod(date.year, date.month, date.day) : null;
}

/** The period a written date names in the narrative ("as of June 30, 2022"), as an instant; null unless a calendar date. */
export function instantFromWords(text: string): PeriodInfo | null {
  return parseInstantHeading(text.replace(/^as of /i, ""));
}
