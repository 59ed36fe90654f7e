/**
 * The words analysts put around their numbers, read for retrofit: period headers in the forms models use (1Q22,
 * Q2'23, 1H23, FY22, Dec-22, "Three months ended June 30, 2023", dates), marked as estimates (3Q23E, "2024 Est.",
 * "Consensus") or actuals (2Q23A); unit notes ("RMB m", "(US$ mn)", "RMB'000", "%"); and row labels with their unit
 * annotations and footnote marks taken off. Periods go through the same grammar as QFIN.METRIC (`parsePeriod`).
 */
import { CellError } from "../core/cell";
import { durationKey, type PeriodKey } from "../core/period-id";
import { parsePeriod, type ParsedPeriod } from "../core/periods";

export type UnitCurrency = "RMB" | "USD" | "other";
export type UnitScale = "U" | "K" | "M" | "B";

/** What a unit note says: any of currency, scale (amounts, counts), percent. */
export interface UnitHint {
  currency?: UnitCurrency;
  scale?: UnitScale;
  percent?: boolean;
}

/** What one header or label text is. */
export type TextReading =
  /** A period; `estimate` when marked as one (3Q23E, "Consensus 3Q23"). */
  | { kind: "period"; period: ParsedPeriod; estimate: boolean; units: UnitHint }
  /** A quarter or half with no year ("2Q", "H1"): the year comes from a group header above. */
  | { kind: "partial"; part: { quarter: 1 | 2 | 3 | 4 } | { half: 1 | 2 }; estimate: boolean }
  /** "Three months ended", "Six months ended": the dates below it are durations of that length. */
  | { kind: "months"; months: number }
  /** "Estimates", "Forecast", "Consensus": the columns below it are estimates. */
  | { kind: "estimates" }
  /** A year alone ("2022", "FY2022") in a group header. */
  | { kind: "year"; year: number; estimate: boolean }
  /** Only a unit note ("RMB m", "%", "US$ '000"). */
  | { kind: "units"; units: UnitHint }
  /** Nothing to read: "n.a.", "–", "Unaudited". */
  | { kind: "filler" }
  /** Anything else: a row label or a heading. */
  | { kind: "label"; text: string };

const FILLER = /^(?:n\.?\s?a\.?|n\.?\s?m\.?|n\/a|[-–—.*x]+|\(?un-?audited\)?|\(?audited\)?|actuals?|reported|restated|as reported)$/i;

const NUMBER_TEXT = /^[-+(]?\s*(?:RMB|US\$|\$)?\s*[\d,]*\.?\d+\s*%?\)?$/i;
/**
 * The words that mark a column, row, label or sheet as an estimate, not a reported figure: one list, read in every
 * place an estimate can be said (after a period "2Q23 Plan", before it "Plan: 2Q23", as a note "Revenue (plan)", as a
 * heading over columns, in a sheet's name).
 */
const ESTIMATE_TERMS = String.raw`(?:est\.?|estimated?|estimates|forecasts?|fcst\.?|proj\.?|projected|projections?|cons\.?|consensus|guidance|budget|plan|target|street|scenario)`;
/** After a period, the single letters too ("2Q23E", "FY24F"). */
const ESTIMATE_WORD = String.raw`(?:e|f|${ESTIMATE_TERMS})`;
const ESTIMATE_SUFFIX = new RegExp(String.raw`^(.*?\d)\s*[-–(]?\s*${ESTIMATE_WORD}\)?$`, "i");
const ESTIMATE_PREFIX = new RegExp(String.raw`^${ESTIMATE_TERMS}\s*[:-]?\s+(.*\d.*)$`, "i");
const ESTIMATE_HEADING = new RegExp(String.raw`^${ESTIMATE_TERMS}$`, "i");
/** An estimate note after a label: "Revenue (consensus)", "Revenue [e]", "Revenue - est.". */
export const ESTIMATE_NOTE = new RegExp(String.raw`(?:\s*[([]\s*${ESTIMATE_WORD}\s*[)\]]|\s+[-–,]?\s*${ESTIMATE_TERMS})$`, "i");
const ACTUAL_SUFFIX = /^(.*?\d)\s*[-–(]?\s*(?:a|act\.?|actual|reported)\)?$/i;
/**
 * Inside free text (a label, a sheet name) the words that can mean something else there are left out: "Share
 * repurchase plan", "Target market", "cons" are no estimates; "Revenue (plan)" still is, as a note (ESTIMATE_NOTE).
 */
const ESTIMATE_WORDS = new RegExp(String.raw`(?<![A-Za-z])(?:est\.|estimated?|estimates|forecasts?|fcst\.?|projected|projections?|consensus|guidance|budget|scenario)(?![A-Za-z])|\(e\)`, "i");

/** Whether a label or sheet name says its numbers are estimates ("Revenue (consensus)", sheet "Forecast"). */
export const saysEstimate = (text: string): boolean => ESTIMATE_WORDS.test(text);

const MONTHS_WORDS: Record<string, number> = { three: 3, "3": 3, six: 6, "6": 6, nine: 9, "9": 9, twelve: 12, "12": 12 };
const MONTHS_ENDED = /^(?:for\s+the\s+)?(three|six|nine|twelve|3|6|9|12)[\s-]+months?\s+(?:period\s+)?(?:ended|ending|to)\b\s*,?\s*(.*)$/i;
const PERIOD_ENDED = /^(?:for\s+the\s+)?(quarter|half[\s-]?year|(?:fiscal\s+|financial\s+)?year)\s+(?:ended|ending|to)\b\s*,?\s*(.*)$/i;
const AS_OF = /^(?:as\s+(?:of|at)|at|balance\s+at)\s+(.+)$/i;
const PARTIAL = /^(?:([1-4])Q|Q([1-4])|([12])H|H([12]))$/i;
const YEAR = /^(?:FY\s?'?)?((?:19|20)\d{2})$/i;

// ---- Units ------------------------------------------------------------------------------------------------------

const CURRENCY_TOKEN: [RegExp, UnitCurrency][] = [
  [/^(?:rmb|cny|renminbi|yuan|¥|元)$/i, "RMB"],
  [/^(?:us\$|usd|\$|us\s?dollars?|dollars?)$/i, "USD"],
  [/^(?:hk\$|hkd|eur|€|gbp|£|jpy)$/i, "other"],
];
const SCALE_TOKEN: [RegExp, UnitScale][] = [
  [/^(?:'?000s?|'000|thousands?|k|th|thous\.?)$/i, "K"],
  [/^(?:m|mn|mm|mln|mio|mil|million|millions)$/i, "M"],
  [/^(?:b|bn|bln|billion|billions)$/i, "B"],
  [/^(?:units?)$/i, "U"],
];
/** Units that say what a number counts but need no scale or currency: "Tenor (months)", "Partners (#)". */
const NEUTRAL_UNIT = /^(?:months?|mos\.?|x|times|#|no\.?|number|count|bps)$/i;
/** Words that may stand in a unit note without changing it ("RMB in millions", "US$ m, except per share"). */
const UNIT_FILLER = /^(?:in|of|amounts?|figures?|all|except|per|share|ads|data|and|,|unaudited)$/i;

/** Splits a note into tokens: "RMB'000" → RMB, '000; "RMBm" → RMB, m; "US$mn" → US$, mn. */
function unitTokens(text: string): string[] {
  return text
    .replace(/(rmb|cny|usd|us\$|hk\$|\$|¥)(?=['’]?\d|[a-z])/gi, "$1 ")
    .replace(/['’]/g, "'")
    .split(/[\s,/()[\]:;-]+/)
    .filter((token) => token !== "");
}

/**
 * The unit a note states, or null when the text is more than a unit note.
 *
 * @example
 * readUnits("RMB m")        // { currency: "RMB", scale: "M" }
 * readUnits("(US$ '000)")   // { currency: "USD", scale: "K" }
 * readUnits("%")            // { percent: true }
 * readUnits("Net income")   // null
 */
export function readUnits(text: string): UnitHint | null {
  const tokens = unitTokens(text.trim());
  if (tokens.length === 0 || tokens.length > 8) return null;
  const hint: UnitHint = {};
  let said = false;
  for (const token of tokens) {
    if (/^%|^percent|^pct$|^\(%\)$/i.test(token)) {
      hint.percent = true;
      said = true;
      continue;
    }
    const currency = CURRENCY_TOKEN.find(([pattern]) => pattern.test(token))?.[1];
    if (currency !== undefined) {
      hint.currency = currency;
      said = true;
      continue;
    }
    const scale = SCALE_TOKEN.find(([pattern]) => pattern.test(token))?.[1];
    if (scale !== undefined) {
      hint.scale = scale;
      said = true;
      continue;
    }
    if (NEUTRAL_UNIT.test(token)) {
      said = true;
      continue;
    }
    if (UNIT_FILLER.test(token)) continue;
    return null;
  }
  return said ? hint : null;
}

/** Fields of the first hint, then of the second where the first says nothing. */
export function mergeUnits(first: UnitHint, second: UnitHint | null | undefined): UnitHint {
  if (!second) return first;
  return {
    currency: first.currency ?? second.currency,
    scale: first.scale ?? second.scale,
    percent: first.percent ?? second.percent,
  };
}

// ---- Labels -----------------------------------------------------------------------------------------------------

/** Trailing footnote marks: "*", "*1", "^2", "(1)", "[a]", superscript digits. */
const FOOTNOTE = /(?:\s*(?:\*+\d*|\^\w+|\(\d{1,2}\)|\[\w{1,2}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+$/;
/** A unit annotation at the end of a label: "(RMB m)", ", RMBbn", "- US$ mn", "in RMB millions". */
const TRAILING_NOTE = /(?:\s*\(([^()]*)\)|\s*[,–-]\s*([^,–-]+)|\s+in\s+(.+))$/i;

/**
 * A row label without its unit annotation and footnote marks, with the units it states.
 *
 * @example
 * splitLabel("Revenue (RMB m)")  // { label: "Revenue", units: { currency: "RMB", scale: "M" } }
 * splitLabel("Net margin, %")    // { label: "Net margin", units: { percent: true } }
 * splitLabel("Net income*1")     // { label: "Net income", units: {} }
 */
export function splitLabel(text: string): { label: string; units: UnitHint } {
  let label = text.trim().replace(FOOTNOTE, "").trim();
  let units: UnitHint = {};
  for (let round = 0; round < 3; round++) {
    const match = TRAILING_NOTE.exec(label);
    const note = match ? (match[1] ?? match[2] ?? match[3] ?? "") : "";
    const read = match ? readUnits(note) : null;
    if (!match || read === null || match.index === 0) break;
    units = mergeUnits(units, read);
    label = label.slice(0, match.index).trim().replace(FOOTNOTE, "").trim();
  }
  return { label, units };
}

// ---- Periods ----------------------------------------------------------------------------------------------------

/** A period as the grammar reads it, or null (not a period, or digits alone, which the grammar takes as a date serial). */
function grammarPeriod(text: string): ParsedPeriod | null {
  if (/^\d+(?:\.\d+)?$/.test(text)) return null;
  const parsed = parsePeriod(text);
  return parsed instanceof CellError ? null : parsed;
}

/** An instant written out ("June 30, 2023", "30/06/2023", "Jun-23"), or null. */
function instantIn(text: string): PeriodKey | null {
  const parsed = grammarPeriod(text.replace(/[.,]\s*$/, "").trim());
  return parsed !== null && parsed.type === "instant" ? parsed : null;
}

/** "Three months ended June 30, 2023" → Q2 2023; "Year ended December 31, 2022" → FY 2022. */
function durationEnded(text: string): TextReading | null {
  const months = MONTHS_ENDED.exec(text);
  const ended = months ?? PERIOD_ENDED.exec(text);
  if (ended === null) return null;
  const length = months ? (MONTHS_WORDS[months[1].toLowerCase()] ?? 0) : /^quarter/i.test(ended[1]) ? 3 : /^half/i.test(ended[1]) ? 6 : 12;
  const rest = ended[2].trim();
  if (rest === "") return { kind: "months", months: length };
  const end = instantIn(rest);
  if (end === null || end.type !== "instant") return null;
  const key = durationKey(length, end.month, end.year);
  return key === null ? null : { kind: "period", period: key, estimate: false, units: {} };
}

/** The period a header text names, without estimate or actual marks. */
function plainPeriod(text: string): TextReading | null {
  const ended = durationEnded(text);
  if (ended !== null) return ended;
  const asOf = AS_OF.exec(text);
  if (asOf !== null) {
    const instant = instantIn(asOf[1]);
    return instant === null ? null : { kind: "period", period: instant, estimate: false, units: {} };
  }
  const partial = PARTIAL.exec(text);
  if (partial !== null) {
    const quarter = partial[1] ?? partial[2];
    const half = partial[3] ?? partial[4];
    return { kind: "partial", part: quarter ? { quarter: Number(quarter) as 1 | 2 | 3 | 4 } : { half: Number(half) as 1 | 2 }, estimate: false };
  }
  const year = YEAR.exec(text);
  if (year !== null) return { kind: "year", year: Number(year[1]), estimate: false };
  const parsed = grammarPeriod(text);
  return parsed === null ? null : { kind: "period", period: parsed, estimate: false, units: {} };
}

function marked(reading: TextReading | null, estimate: boolean): TextReading | null {
  if (reading === null || !estimate) return reading;
  if (reading.kind === "period" || reading.kind === "partial" || reading.kind === "year") return { ...reading, estimate: true };
  return reading;
}

/** A header's period with its marks: "3Q23E" and "Consensus 3Q23" are estimates, "2Q23A" an actual. */
function headerPeriod(text: string): TextReading | null {
  const plain = plainPeriod(text);
  if (plain !== null) return plain;
  const suffix = ESTIMATE_SUFFIX.exec(text);
  if (suffix !== null) {
    const base = marked(plainPeriod(suffix[1].trim()), true);
    if (base !== null) return base;
  }
  const prefix = ESTIMATE_PREFIX.exec(text);
  if (prefix !== null) {
    const base = marked(plainPeriod(prefix[1].trim()), true);
    if (base !== null) return base;
  }
  const actual = ACTUAL_SUFFIX.exec(text);
  return actual === null ? null : plainPeriod(actual[1].trim());
}

/**
 * What a text cell is, read once per distinct text.
 *
 * @example
 * readText("2Q23")      // { kind: "period", period: { type: "quarter", year: 2023, quarter: 2 }, estimate: false, … }
 * readText("3Q23E")     // { kind: "period", …, estimate: true }
 * readText("RMB m")     // { kind: "units", units: { currency: "RMB", scale: "M" } }
 * readText("Net income") // { kind: "label", text: "Net income" }
 */
export function readText(raw: string): TextReading {
  const text = raw.replace(/\s+/g, " ").trim();
  // A number typed as text ("3914.3", "(91.6)", "27.9%") is a value in the column, not a heading.
  if (text === "" || FILLER.test(text) || (NUMBER_TEXT.test(text) && !YEAR.test(text))) return { kind: "filler" };
  if (text.length <= 60) {
    // A unit note in parentheses after a period ("2Q23 (RMB m)") belongs to the column.
    const note = /^(.*\S)\s*\(([^()]*)\)$/.exec(text);
    const noteUnits = note ? readUnits(note[2]) : null;
    const reading = headerPeriod(noteUnits && note ? note[1] : text);
    if (reading !== null) return reading.kind === "period" && noteUnits ? { ...reading, units: noteUnits } : reading;
    if (ESTIMATE_HEADING.test(text)) return { kind: "estimates" };
  }
  const units = readUnits(text);
  if (units !== null) return { kind: "units", units };
  return { kind: "label", text };
}
