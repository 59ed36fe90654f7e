/**
 * Periods as the release's column headings name them: "Three months ended June 30," over "2023" is Q2 2023;
 * "Six months ended June 30," is H1; "December 31, 2022" is an instant. The fiscal year is the calendar year.
 */
import type { PeriodInfo } from "../core/model";

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DURATION_WORDS: Record<string, number> = { three: 3, six: 6, nine: 9, twelve: 12 };

const pad = (n: number): string => String(n).padStart(2, "0");
const lastDay = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function monthNumber(name: string): number | null {
  const index = MONTHS.findIndex((month) => month.startsWith(name.toLowerCase().slice(0, 3)));
  return index >= 0 ? index + 1 : null;
}

/** An instant (balance-sheet date). */
export function instantPeriod(year: number, month: number, day: number): PeriodInfo {
  const id = `${year}-${pad(month)}-${pad(day)}`;
  return { id, type: "instant", start: null, end: id, label: `${SHORT_MONTHS[month - 1]} ${day}, ${year}` };
}

/** A duration of `months` months ending with calendar month `endMonth` of `year`. */
export function durationPeriod(months: number, endMonth: number, year: number): PeriodInfo | null {
  const startMonth = endMonth - months + 1;
  if (startMonth < 1 || months % 3 !== 0) return null;
  const start = `${year}-${pad(startMonth)}-01`;
  const end = `${year}-${pad(endMonth)}-${pad(lastDay(year, endMonth))}`;
  if (months === 3) {
    const quarter = endMonth / 3;
    return { id: `${year}Q${quarter}`, type: "quarter", start, end, label: `Q${quarter} ${year}` };
  }
  if (months === 6 && endMonth === 6) return { id: `${year}H1`, type: "half", start, end, label: `H1 ${year}` };
  if (months === 6 && endMonth === 12) return { id: `${year}H2`, type: "half", start, end, label: `H2 ${year}` };
  if (months === 9) return { id: `${year}M9`, type: "nine_months", start, end, label: `9M ${year}` };
  if (months === 12) return { id: `${year}FY`, type: "year", start, end, label: `FY ${year}` };
  return null;
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
