/**
 * The one place where arguments, as a host passes them, become the plain values the implementations take.
 * Excel passes omitted optional arguments as null, empty cells as null, "" or 0, numbers where text was meant, and
 * error values that must propagate unchanged; ranges arrive as 2-D arrays. Each parameter kind below says how its
 * values convert and what an omitted one means, in the manner of HyperFormula's parameter metadata.
 */
import { CellError, ErrorType, type ArgValue, type Scalar } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import type { Currency, ItemInfo, StatementInfo } from "../core/model";
import { Messages } from "../core/messages";
import { resolveItem } from "../core/resolve-item";
import { durationId, parsePeriod, type ParsedPeriod } from "../core/periods";
import { LATEST, type AsOf } from "../core/dataset-index";
import { defaultMarginBase, type GrowthBasis, type Scale } from "../core/figures";
import { resolveStatement } from "../core/statements";

export interface ParamContext {
  index: DatasetIndex;
}

export interface Param<T> {
  name: string;
  /** How a present, non-blank scalar converts. */
  convert: (value: Scalar, context: ParamContext) => T | CellError;
  /** The value of an omitted or blank argument; absent when the argument is required. */
  fallback?: (context: ParamContext) => T | CellError;
  /** Message when a required argument is missing. */
  missing?: string;
  /** Ranges this parameter takes as a whole (SERIES periods); others refuse ranges unless the function broadcasts them. */
  convertRange?: (cells: ArgValue[][], context: ParamContext) => T | CellError;
}

/** Omitted, an empty cell (null, "", or the 0 some hosts pass), or whitespace: the user gave nothing. */
export function isBlank(value: ArgValue): value is null | undefined | "" | 0 {
  return value === null || value === undefined || value === 0 || (typeof value === "string" && value.trim() === "");
}

const describeValue = (value: Scalar): string =>
  typeof value === "number" ? `the number ${value}` : typeof value === "boolean" ? (value ? "TRUE" : "FALSE") : `"${value}"`;

/** A 1×1 range is a single value (Excel passes a single-cell reference that way in some hosts). */
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
 * normalizeArgument(currencyParam, null, context)   // "RMB"
 * normalizeArgument(currencyParam, "usd", context)  // "USD"
 * normalizeArgument(currencyParam, "EUR", context)  // CellError #VALUE! Unknown currency "EUR". Use "RMB" (the default) or "USD".
 */
export function normalizeArgument<T>(param: Param<T>, raw: ArgValue, context: ParamContext): T | CellError {
  const value = unwrapSingleCell(raw);
  if (Array.isArray(value)) {
    return param.convertRange ? param.convertRange(value, context) : new CellError(ErrorType.VALUE, Messages.rangeNotAllowed(param.name));
  }
  if (value instanceof CellError) return value;
  if (isBlank(value)) {
    if (param.fallback) return param.fallback(context);
    return new CellError(ErrorType.VALUE, param.missing ?? `Give a value for ${param.name}.`);
  }
  return param.convert(value, context);
}

// ---- Parameter kinds -------------------------------------------------------------------------------------------

/** A line item or KPI, resolved to its ItemInfo. */
export function itemParam(name: string, fallback?: (context: ParamContext) => ItemInfo | CellError): Param<ItemInfo> {
  return {
    name,
    missing: Messages.itemMissing,
    fallback,
    convert: (value, { index }) =>
      typeof value === "string" ? resolveItem(index, value) : new CellError(ErrorType.VALUE, Messages.itemNotText(describeValue(value))),
  };
}

/** An item that may be left out (PERIODS): null then. */
export function optionalItemParam(name: string): Param<ItemInfo | null> {
  return { ...itemParam(name), fallback: () => null };
}

/** The default MARGIN base, Total net revenue. */
export const marginBaseParam = (name: string): Param<ItemInfo> => itemParam(name, ({ index }) => defaultMarginBase(index));

/** A period as text or a date serial, parsed (resolution against an item happens in the implementation). */
export function periodParam(name: string): Param<ParsedPeriod> {
  return {
    name,
    missing: Messages.periodMissing,
    convert: (value) =>
      typeof value === "boolean" ? new CellError(ErrorType.VALUE, Messages.periodUnparseable(describeValue(value))) : parsePeriod(value),
  };
}

const CURRENCIES: Record<string, Currency> = { RMB: "RMB", CNY: "RMB", YUAN: "RMB", "¥": "RMB", USD: "USD", US$: "USD", $: "USD", "US DOLLAR": "USD" };

export function currencyParam(name: string): Param<Currency> {
  return {
    name,
    fallback: () => "RMB",
    convert: (value) => {
      const currency = CURRENCIES[String(value).trim().toUpperCase()];
      return currency ?? new CellError(ErrorType.VALUE, Messages.badCurrency(String(value)));
    },
  };
}

const SCALES: Record<string, Scale> = {
  U: "U", UNIT: "U", UNITS: "U", "1": "U",
  K: "K", THOUSAND: "K", THOUSANDS: "K", "1000": "K",
  M: "M", MN: "M", MM: "M", MILLION: "M", MILLIONS: "M", "1000000": "M",
  B: "B", BN: "B", BILLION: "B", BILLIONS: "B", "1000000000": "B",
};

export function scaleParam(name: string): Param<Scale> {
  return {
    name,
    fallback: () => "M",
    convert: (value) => SCALES[String(value).trim().toUpperCase()] ?? new CellError(ErrorType.VALUE, Messages.badScale(String(value))),
  };
}

const FIRST_REPORTED = new Set(["FIRST", "ORIGINAL", "AS FIRST REPORTED", "FIRST REPORTED", "AS REPORTED"]);

/**
 * Point in time: blank or "latest" for the latest figures, "first" for each figure as first reported, or a release
 * ("2023Q2", "Q2 2023", "2Q23") for the figures as that release and those before it reported them.
 *
 * @example
 * normalizeArgument(asOfParam("as_of"), "first", context)   // { kind: "first" }
 * normalizeArgument(asOfParam("as_of"), "Q2 2023", context) // { kind: "release", id: "2023Q2" }
 */
export function asOfParam(name: string): Param<AsOf> {
  return {
    name,
    fallback: () => LATEST,
    convert: (value, { index }) => {
      const typed = String(value).trim();
      const upper = typed.toUpperCase();
      if (upper === "LATEST") return LATEST;
      if (FIRST_REPORTED.has(upper)) return { kind: "first" };
      const parsed = typeof value === "number" ? null : parsePeriod(typed);
      const id = parsed !== null && !(parsed instanceof CellError) && parsed.kind === "quarter" ? durationId(parsed) : null;
      const releases = [...index.releasesById.keys()];
      if (id !== null && index.releasesById.has(id)) return { kind: "release", id };
      return new CellError(id !== null ? ErrorType.NA : ErrorType.VALUE, Messages.badAsOf(typed, releases));
    },
  };
}

const BASES: Record<string, GrowthBasis> = { YOY: "YoY", "Y/Y": "YoY", "Y-O-Y": "YoY", QOQ: "QoQ", "Q/Q": "QoQ", "Q-O-Q": "QoQ" };

export function basisParam(name: string): Param<GrowthBasis> {
  return {
    name,
    fallback: () => "YoY",
    convert: (value) => BASES[String(value).trim().toUpperCase()] ?? new CellError(ErrorType.VALUE, Messages.badBasis(String(value))),
  };
}

export function booleanParam(name: string, defaultValue: boolean): Param<boolean> {
  return {
    name,
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
export function textParam(name: string, defaultValue: string): Param<string> {
  return {
    name,
    fallback: () => defaultValue,
    convert: (value) => (typeof value === "boolean" ? new CellError(ErrorType.VALUE, Messages.notText(name, describeValue(value))) : String(value)),
  };
}

export function statementParam(name: string, optional: boolean): Param<StatementInfo | null> {
  return {
    name,
    fallback: optional ? () => null : undefined,
    convert: (value, { index }) =>
      typeof value === "string" ? resolveStatement(index, value) : new CellError(ErrorType.VALUE, Messages.notText(name, describeValue(value))),
  };
}

/** SERIES periods: a named set, or periods one by one (a range, blanks skipped, or a single period). */
export type PeriodSelection =
  | { kind: "set"; set: "quarters" | "halves" | "instants" | "all" }
  | { kind: "list"; periods: ParsedPeriod[] };

const PERIOD_SETS: Record<string, "quarters" | "halves" | "instants" | "all"> = {
  QUARTERS: "quarters", QUARTER: "quarters", Q: "quarters",
  HALVES: "halves", HALF: "halves", HALFYEARS: "halves", H: "halves",
  INSTANTS: "instants", DATES: "instants", INSTANT: "instants",
  ALL: "all",
};

export function periodSelectionParam(name: string): Param<PeriodSelection> {
  const single = (value: Scalar): PeriodSelection | CellError => {
    if (typeof value === "string") {
      const key = value.trim().toUpperCase().replace(/[\s-]/g, "");
      const set = PERIOD_SETS[key];
      if (set !== undefined) return { kind: "set", set };
      // "last 4 quarters", "last4", "LTM": the newest quarters, oldest first; they roll forward with the data.
      const last = /^(?:LAST(\d{1,2})(?:QUARTERS?|Q)?|(LTM|TTM))$/.exec(key);
      if (last) {
        const count = last[2] ? 4 : Number(last[1]);
        if (count >= 1) return { kind: "list", periods: Array.from({ length: count }, (_, i) => ({ kind: "latest" as const, offset: count - 1 - i })) };
      }
    }
    if (typeof value === "boolean") return new CellError(ErrorType.VALUE, Messages.unknownPeriodSet(describeValue(value)));
    const parsed = parsePeriod(value);
    if (parsed instanceof CellError) {
      return typeof value === "string" ? new CellError(ErrorType.VALUE, Messages.unknownPeriodSet(value.trim())) : parsed;
    }
    return { kind: "list", periods: [parsed] };
  };
  return {
    name,
    fallback: () => ({ kind: "set", set: "all" }),
    convert: single,
    convertRange: (cells) => {
      const periods: ParsedPeriod[] = [];
      for (const cell of cells.flat()) {
        const value = unwrapSingleCell(cell);
        if (Array.isArray(value)) return new CellError(ErrorType.VALUE, Messages.rangeNotAllowed(name));
        if (value instanceof CellError) return value;
        if (isBlank(value)) continue;
        if (typeof value === "boolean") return new CellError(ErrorType.VALUE, Messages.periodUnparseable(describeValue(value)));
        const parsed = parsePeriod(value);
        if (parsed instanceof CellError) return parsed;
        periods.push(parsed);
      }
      return { kind: "list", periods };
    },
  };
}
