/**
 * A workbook as retrofit reads it, whichever surface read it (an .xlsx file in the `qfin` command, the open workbook
 * through the add-in's Office adapter): sheets of cells with their position, the value they show, whether they hold a
 * formula, and their number format. Number formats matter twice: a header typed as a date is a number with a date
 * format ("Jun-23" is 1 June 2023 shown as month and year), and a date is never a figure.
 */

/** One cell: where it is, what it shows, whether it is a formula, how it is formatted. */
export interface InputCell {
  /** 1-based. */
  row: number;
  /** 1-based. */
  col: number;
  /** The value shown: a constant, or a formula's result; null for an empty cell or an error. */
  value: number | string | boolean | null;
  /** Formulas are read as headers and labels but never replaced. */
  formula: boolean;
  /** The number format code (`0.0`, `mmm-yy`, `0.0%`); undefined or "General" for none. */
  numberFormat?: string;
}

export interface InputSheet {
  name: string;
  cells: readonly InputCell[];
}

/** What a number format says about the value it shows. */
export interface FormatKind {
  /** A date (or date and time). */
  date: boolean;
  /** A date format that shows the day; one without ("mmm-yy", "mmmm yyyy") shows a month. */
  day: boolean;
}

const PLAIN: FormatKind = { date: false, day: false };

/**
 * Reads a number format code: quoted text, escaped characters and bracketed sections (colours, locales, conditions)
 * are not format tokens; a date format has a year, a day, or a month that is not minutes (an `m` next to `h` or `s`).
 *
 * @example
 * formatKind("mmm-yy")        // { date: true, day: false }
 * formatKind("d-mmm-yy")      // { date: true, day: true }
 * formatKind("#,##0.0;(#,##0.0)") // { date: false, day: false }
 * formatKind("[h]:mm:ss")     // { date: false, day: false } (a duration)
 */
export function formatKind(code: string | undefined): FormatKind {
  if (code === undefined || code === "" || /^general$/i.test(code)) return PLAIN;
  // The first section is the one positive numbers (dates) use.
  const tokens = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .split(";")[0]
    .toLowerCase();
  if (/[0#?]/.test(tokens) && !/[dy]/.test(tokens)) return PLAIN;
  const hasYear = tokens.includes("y");
  const hasDay = tokens.includes("d");
  const time = /[hs]/.test(tokens);
  const hasMonth = tokens.includes("m") && !(time && !hasYear && !hasDay);
  if (!hasYear && !hasDay && !hasMonth) return PLAIN;
  return { date: true, day: hasDay };
}

/**
 * The decimals a number format shows, counting the two a per cent sign adds to the value (0.0% shows 0.279 to 3
 * decimals); null for General and formats that show no fixed decimals.
 *
 * @example
 * formatDecimals("#,##0.0;(#,##0.0)") // 1
 * formatDecimals("0.0%")              // 3
 * formatDecimals("General")           // null
 */
export function formatDecimals(code: string | undefined): number | null {
  if (code === undefined || code === "" || /^general$/i.test(code)) return null;
  const section = (code.replace(/"[^"]*"/g, "").replace(/\\./g, "").replace(/\[[^\]]*\]/g, "").split(";")[0] ?? "").trim();
  if (!/[0#?]/.test(section) || /[dy]/i.test(section) || /e[+-]/i.test(section)) return null;
  const fraction = /\.([0#?]+)/.exec(section)?.[1] ?? "";
  return fraction.length + (section.includes("%") ? 2 : 0);
}
