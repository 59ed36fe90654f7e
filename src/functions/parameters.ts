/**
 * The parameter kinds of the QFIN functions: what each parameter is called, the sentence that describes it (the one
 * place it is written: functions.json, the help page and the CLI all read it from here), how a value a host passes
 * converts, and what an omitted one means. Excel passes omitted optional arguments as null, empty cells as null, ""
 * or 0, numbers where text was meant, and ranges as 2-D arrays; `normalizeArgument` is the one place that turns them
 * into the plain values the implementations take, in the manner of HyperFormula's parameter metadata.
 */
import { CellError, ErrorType, type ArgValue, type Scalar } from "../core/cell";
import { LATEST, type AsOf, type DatasetIndex } from "../core/dataset-index";
import type { Currency, ItemInfo, StatementInfo } from "../core/model";
import { Messages } from "../core/messages";
import { resolveItem } from "../core/resolve-item";
import { parsePeriod, parsePeriodOf, type ParsedPeriod } from "../core/periods";
import { periodId } from "../core/period-id";
import { defaultMarginBase, type GrowthBasis, type Scale } from "../core/figures";
import { resolveStatement } from "../core/statements";

export interface Param<T> {
  name: string;
  /** What to pass, for the function's metadata and reference (one sentence or two). */
  description: string;
  /** How a present, non-blank scalar converts. */
  convert: (value: Scalar, index: DatasetIndex) => T | CellError;
  /** The value of an omitted or blank argument; absent when the argument is required. */
  fallback?: (index: DatasetIndex) => T | CellError;
  /** Message when a required argument is missing. */
  missing?: string;
  /**
   * Whether the number 0 means "nothing given": some hosts pass 0 for an empty cell, and for a parameter whose values
   * are words (a currency, a scale) 0 can mean nothing else. Elsewhere 0 is a value and is converted (or refused).
   */
  zeroIsBlank?: boolean;
  /** How a range converts when the parameter takes one as a whole (SERIES periods). */
  convertRange?: (cells: ArgValue[][], index: DatasetIndex) => T | CellError;
  /** Whether a range given here is mapped cell by cell (METRIC over a column of items and a row of periods). */
  maps?: boolean;
}

/** The parameter taking one value only: a range given to it is refused rather than mapped (SERIES' item). */
export const singleValue = <T>(param: Param<T>): Param<T> => ({ ...param, maps: false });

/** Whether an argument takes a range (as a whole or cell by cell), so hosts pass ranges to it whole. */
export const takesRange = (param: Param<unknown>): boolean => param.convertRange !== undefined || param.maps === true;

/** Omitted, an empty cell (null, "" or whitespace), or the 0 some hosts pass for an empty cell where 0 means nothing. */
export function isBlank(value: ArgValue, param?: Param<unknown>): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  return value === 0 && param?.zeroIsBlank === true;
}

export const describeValue = (value: Scalar): string =>
  typeof value === "number" ? `the number ${value}` : typeof value === "boolean" ? (value ? "TRUE" : "FALSE") : `"${value}"`;

/** A 1×1 range is a single value (Excel passes a single cell that way to a range parameter). */
export function unwrapSingleCell(value: ArgValue): ArgValue {
  let current = value;
  while (Array.isArray(current) && current.length === 1 && Array.isArray(current[0]) && current[0].length === 1) current = current[0][0];
  return current;
}

/**
 * Normalises one argument for one parameter: errors propagate, blanks take the default (or fail when required),
 * ranges go to `convertRange` or are refused, anything else to `convert`.
 *
 * @example
 * normalizeArgument(currencyParam, null, index)   // "RMB"
 * normalizeArgument(currencyParam, "usd", index)  // "USD"
 * normalizeArgument(currencyParam, "EUR", index)  // CellError #VALUE! Unknown currency "EUR". Use "RMB" (the default) or "USD".
 */
export function normalizeArgument<T>(param: Param<T>, raw: ArgValue, index: DatasetIndex): T | CellError {
  const value = unwrapSingleCell(raw);
  if (Array.isArray(value)) {
    return param.convertRange ? param.convertRange(value, index) : new CellError(ErrorType.VALUE, Messages.rangeNotAllowed(param.name));
  }
  if (value instanceof CellError) return value;
  // Hosts can pass what the type does not allow (a data type, a JavaScript object): refused by name, not stringified.
  if (value !== null && value !== undefined && typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
    return new CellError(ErrorType.VALUE, Messages.notAValue(param.name));
  }
  if (isBlank(value, param)) {
    if (param.fallback) return param.fallback(index);
    return new CellError(ErrorType.VALUE, param.missing ?? Messages.argumentMissing(param.name));
  }
  return param.convert(value as Scalar, index);
}

// ---- Parameter kinds -------------------------------------------------------------------------------------------

const ITEM_DESCRIPTION =
  'Line item or KPI: the release label ("Net income"), a Parent > Label path, an id, or an analyst term ("Revenue", "S&M", "PBT", "90+ DPD"; "EPS" is diluted EPS per ADS).';

function resolveItemArgument(value: Scalar, index: DatasetIndex): ItemInfo | CellError {
  return typeof value === "string" ? resolveItem(index, value) : new CellError(ErrorType.VALUE, Messages.itemNotText(describeValue(value)));
}

/** The line item or KPI a figure function is about; a range of them maps cell by cell. */
export function itemParam(): Param<ItemInfo> {
  // 0 is never an item: it is an empty cell as some hosts pass it.
  return { name: "item", description: ITEM_DESCRIPTION, missing: Messages.itemMissing, zeroIsBlank: true, maps: true, convert: resolveItemArgument };
}

/** An item that may be left out (PERIODS): null then. */
export function optionalItemParam(): Param<ItemInfo | null> {
  return { name: "item", description: "Limit to the periods this item is reported for.", zeroIsBlank: true, fallback: () => null, convert: resolveItemArgument };
}

/** The denominator of MARGIN, Total net revenue when omitted. */
export function marginBaseParam(): Param<ItemInfo> {
  return {
    name: "base",
    description: 'The denominator item (default "Total net revenue").',
    zeroIsBlank: true,
    fallback: (index) => defaultMarginBase(index),
    convert: resolveItemArgument,
  };
}

/** A period as text or a date serial, parsed (resolution against an item happens in the implementation); a range maps. */
export function periodParam(): Param<ParsedPeriod> {
  return {
    name: "period",
    description: 'Period: "Q2 2023", "2Q23", "Q2 FY23", "H1 2023", "LTM", "June 2023", a date or date serial (a quarter-end date means that quarter for a flow), "latest" or "latest-1".',
    missing: Messages.periodMissing,
    // 0 is no date serial of a release: it is an empty cell as some hosts pass it.
    zeroIsBlank: true,
    maps: true,
    convert: (value, index) =>
      typeof value === "boolean" ? new CellError(ErrorType.VALUE, Messages.periodUnparseable(describeValue(value))) : parsePeriodOf(index, value),
  };
}

const CURRENCY_WORDS: Record<string, Currency> = { RMB: "RMB", CNY: "RMB", YUAN: "RMB", "¥": "RMB", USD: "USD", US$: "USD", $: "USD", "US DOLLAR": "USD" };

/** A currency; omitted, the item's own (RMB, or US$ for the few lines the release prints in US$ only). */
export function currencyParam(): Param<Currency | null> {
  return {
    name: "currency",
    description:
      '"RMB" (the default for every line the release prints in RMB) or "USD": the release\'s own figure where it prints one, else converted at its rate and rounded as it rounds (US$-only lines default to USD).',
    zeroIsBlank: true,
    fallback: () => null,
    convert: (value) => CURRENCY_WORDS[String(value).trim().toUpperCase()] ?? new CellError(ErrorType.VALUE, Messages.badCurrency(String(value))),
  };
}

const SCALE_WORDS: Record<string, Scale> = {
  U: "U", UNIT: "U", UNITS: "U", "1": "U",
  K: "K", THOUSAND: "K", THOUSANDS: "K", "1000": "K",
  M: "M", MN: "M", MM: "M", MILLION: "M", MILLIONS: "M", "1000000": "M",
  B: "B", BN: "B", BILLION: "B", BILLIONS: "B", "1000000000": "B",
};

export function scaleParam(): Param<Scale> {
  return {
    name: "scale",
    description: 'Units for amounts: "U" units, "K" thousands, "M" millions (default), "B" billions. Per-share figures, counts and ratios are never scaled.',
    zeroIsBlank: true,
    fallback: () => "M",
    convert: (value) => SCALE_WORDS[String(value).trim().toUpperCase()] ?? new CellError(ErrorType.VALUE, Messages.badScale(String(value))),
  };
}

const FIRST_REPORTED: ReadonlySet<string> = new Set(["FIRST", "ORIGINAL", "AS FIRST REPORTED", "FIRST REPORTED", "AS REPORTED"]);

/**
 * Point in time: blank or "latest" for the latest figures, "first" for each figure as first reported, or a release
 * ("2023Q2", "Q2 2023", "2Q23") for the figures as that release and those before it reported them.
 *
 * @example
 * normalizeArgument(asOfParam(), "first", index)   // { kind: "first" }
 * normalizeArgument(asOfParam(), "Q2 2023", index) // { kind: "release", id: "2023Q2" }
 */
export function asOfParam(): Param<AsOf> {
  return {
    name: "as_of",
    description:
      'Point in time when releases restate a figure: "latest" (default), "first" (as first reported) or a release such as "2023Q2" (as reported up to that release).',
    zeroIsBlank: true,
    fallback: () => LATEST,
    convert: (value, index) => {
      const typed = String(value).trim();
      const upper = typed.toUpperCase();
      if (upper === "LATEST") return LATEST;
      if (FIRST_REPORTED.has(upper)) return { kind: "first" };
      const parsed = typeof value === "number" ? null : parsePeriod(typed);
      const id = parsed !== null && !(parsed instanceof CellError) && parsed.type === "quarter" ? periodId(parsed) : null;
      if (id !== null && index.releasesById.has(id)) return { kind: "release", id };
      return new CellError(id !== null ? ErrorType.NA : ErrorType.VALUE, Messages.badAsOf(typed, [...index.releasesById.keys()]));
    },
  };
}

const BASIS_WORDS: Record<string, GrowthBasis> = { YOY: "YoY", "Y/Y": "YoY", "Y-O-Y": "YoY", QOQ: "QoQ", "Q/Q": "QoQ", "Q-O-Q": "QoQ" };

/** What SOURCE explains (and MARKER marks): the figure itself, or one of the numbers computed from it. */
export type SourceMeasure = "value" | "growth" | "margin" | "change";

const MEASURE_WORDS: Record<string, { measure: SourceMeasure; basis: GrowthBasis }> = {
  VALUE: { measure: "value", basis: "YoY" },
  FIGURE: { measure: "value", basis: "YoY" },
  GROWTH: { measure: "growth", basis: "YoY" },
  YOY: { measure: "growth", basis: "YoY" },
  QOQ: { measure: "growth", basis: "QoQ" },
  MARGIN: { measure: "margin", basis: "YoY" },
  SHARE: { measure: "margin", basis: "YoY" },
  CHANGE: { measure: "change", basis: "YoY" },
  "CHANGE QOQ": { measure: "change", basis: "QoQ" },
};

const SOURCE_MEASURE =
  '"value" (default): where the figure comes from; "growth" (YoY), "QoQ", "margin" or "change": where that number comes from — the release\'s own statement, or the computation and the convention it follows.';

/** The measure a function is about (SOURCE explains it, MARKER marks it); `description` says what the choice does there. */
export function measureParam(description: string = SOURCE_MEASURE): Param<{ measure: SourceMeasure; basis: GrowthBasis }> {
  return {
    name: "measure",
    description,
    zeroIsBlank: true,
    fallback: () => ({ measure: "value", basis: "YoY" }),
    convert: (value) => MEASURE_WORDS[String(value).trim().toUpperCase().replace(/\s+/g, " ")] ?? new CellError(ErrorType.VALUE, Messages.badMeasure(String(value))),
  };
}

export function basisParam(): Param<GrowthBasis> {
  return {
    name: "basis",
    description: '"YoY" (default) or "QoQ".',
    zeroIsBlank: true,
    fallback: () => "YoY",
    convert: (value) => BASIS_WORDS[String(value).trim().toUpperCase()] ?? new CellError(ErrorType.VALUE, Messages.badBasis(String(value))),
  };
}

export function booleanParam(name: string, description: string, defaultValue: boolean): Param<boolean> {
  return {
    name,
    description,
    fallback: () => defaultValue,
    convert: (value) => {
      if (typeof value === "boolean") return value;
      if (typeof value === "number") return value !== 0;
      const text = value.trim().toUpperCase();
      if (["TRUE", "YES", "Y", "1"].includes(text)) return true;
      if (["FALSE", "NO", "N", "0"].includes(text)) return false;
      return new CellError(ErrorType.VALUE, Messages.badBoolean(name, value));
    },
  };
}

/** Free text (a search query); numbers are taken as their text, since "90" is a fine thing to search for. */
export function textParam(name: string, description: string, defaultValue: string): Param<string> {
  return {
    name,
    description,
    fallback: () => defaultValue,
    convert: (value) => (typeof value === "boolean" ? new CellError(ErrorType.VALUE, Messages.notText(name, describeValue(value))) : String(value)),
  };
}

function resolveStatementArgument(value: Scalar, index: DatasetIndex): StatementInfo | CellError {
  return typeof value === "string" ? resolveStatement(index, value) : new CellError(ErrorType.VALUE, Messages.notText("statement", describeValue(value)));
}

export function statementParam(): Param<StatementInfo> {
  return {
    name: "statement",
    description: '"Balance sheet", "Operations" (income statement), "Cash flows", "Comprehensive income", "Non-GAAP" or "KPI".',
    convert: resolveStatementArgument,
  };
}

export function optionalStatementParam(): Param<StatementInfo | null> {
  return { name: "statement", description: "Limit to one statement.", zeroIsBlank: true, fallback: () => null, convert: resolveStatementArgument };
}

/** SERIES periods: a named set, or periods one by one (a range, blanks skipped, or a single period). */
export type PeriodSet = "default" | "quarters" | "halves" | "instants" | "all";
export type PeriodSelection = { kind: "set"; set: PeriodSet } | { kind: "list"; periods: ParsedPeriod[] };

const PERIOD_SETS: Record<string, PeriodSet> = {
  QUARTERS: "quarters", QUARTER: "quarters", Q: "quarters",
  HALVES: "halves", HALF: "halves", HALFYEARS: "halves", H: "halves",
  INSTANTS: "instants", DATES: "instants", INSTANT: "instants",
  ALL: "all",
};

function singleSelection(value: Scalar): PeriodSelection | CellError {
  if (typeof value === "boolean") return new CellError(ErrorType.VALUE, Messages.unknownPeriodSet(describeValue(value)));
  if (typeof value === "string") {
    const key = value.trim().toUpperCase().replace(/[\s-]/g, "");
    const set = PERIOD_SETS[key];
    if (set !== undefined) return { kind: "set", set };
    // "last 4 quarters", "last4", "LTM": the newest quarters, oldest first; they roll forward with the data.
    const last = /^(?:LAST(\d{1,2})(?:QUARTERS?|Q)?|(LTM|TTM))$/.exec(key);
    if (last) {
      const count = last[2] ? 4 : Number(last[1]);
      if (count >= 1) return { kind: "list", periods: Array.from({ length: count }, (_, i) => ({ type: "latest" as const, offset: count - 1 - i })) };
    }
  }
  const parsed = parsePeriod(value);
  if (parsed instanceof CellError) return typeof value === "string" ? new CellError(ErrorType.VALUE, Messages.unknownPeriodSet(value.trim())) : parsed;
  return { kind: "list", periods: [parsed] };
}

export function periodSelectionParam(): Param<PeriodSelection> {
  return {
    name: "periods",
    description:
      'A range or list of periods, or "quarters" (the default: quarters, or quarter-end balances), "halves", "instants", "all", or "last 4 quarters" / "LTM" (the newest quarters; they roll forward with new releases).',
    zeroIsBlank: true,
    fallback: () => ({ kind: "set", set: "default" }),
    convert: singleSelection,
    convertRange: (cells) => {
      const periods: ParsedPeriod[] = [];
      for (const cell of cells.flat()) {
        const value = unwrapSingleCell(cell);
        if (Array.isArray(value)) return new CellError(ErrorType.VALUE, Messages.rangeNotAllowed("periods"));
        if (value instanceof CellError) return value;
        if (isBlank(value)) continue;
        if (typeof value === "boolean") return new CellError(ErrorType.VALUE, Messages.periodUnparseable(describeValue(value)));
        const parsed = parsePeriod(value as string | number);
        if (parsed instanceof CellError) return parsed;
        periods.push(parsed);
      }
      return { kind: "list", periods };
    },
  };
}
