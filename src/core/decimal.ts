/**
 * The project's decimal arithmetic. Every figure is a decimal string in the dataset and a `Decimal` in the core;
 * it becomes a JS number only at the Excel boundary (`toExcelNumber`), so 3,914,324 thousand divided into millions
 * is exactly 3914.324 and sums never pick up binary-float residue.
 */
import { Decimal as DecimalJs } from "decimal.js";

/**
 * Our own configured constructor (never the mutated global one, so another library using decimal.js is unaffected).
 * 40 significant digits is far beyond any figure in a release; ROUND_HALF_UP is how the release rounds its printed figures.
 *
 * @example
 * new Decimal("3914324000").div("1e6").toString() // "3914.324"
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = DecimalJs;

/** A plain decimal as the dataset stores it: optional minus, digits, optional fraction. No exponent, no grouping. */
const DATASET_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * Parses a dataset decimal string, or returns null when it is not one (the loader turns that into a DatasetError).
 *
 * @example
 * parseDatasetDecimal("-91610000")?.toString() // "-91610000"
 * parseDatasetDecimal("3,914,324")            // null (grouping is the ingest's job to remove)
 */
export function parseDatasetDecimal(text: string): Decimal | null {
  return isDatasetDecimal(text) ? new Decimal(text) : null;
}

/** Whether a text is a dataset decimal (the check alone, without building the number). */
export const isDatasetDecimal = (text: string): boolean => DATASET_DECIMAL.test(text);

/**
 * Rounds to a dataset precision: decimal places in base units, negative for tens, thousands, … (a fact's `precision`).
 *
 * @example
 * roundToPrecision(new Decimal("3914324000"), -5).toString() // "3914300000"
 * roundToPrecision(new Decimal("0.279321"), 3).toString()    // "0.279"
 */
export function roundToPrecision(value: Decimal, precision: number): Decimal {
  if (precision >= 0) return value.toDecimalPlaces(precision, Decimal.ROUND_HALF_UP);
  return value.toNearest(new Decimal(10).pow(-precision), Decimal.ROUND_HALF_UP);
}

/**
 * The one conversion to Number, at the Excel boundary. `-0` becomes `0` (Excel would show "-0" formats oddly).
 *
 * @example
 * toExcelNumber(new Decimal("3914.324")) // 3914.324
 */
export function toExcelNumber(value: Decimal): number {
  // The shortest exact decimal text, read as the nearest double: what toNumber does, without its detour.
  const n = Number(value.toString());
  return n === 0 ? 0 : n;
}

/**
 * Formats a base-unit decimal with thousands separators, as the release prints figures in messages.
 *
 * @example
 * formatGrouped(new Decimal("-91610")) // "-91,610"
 * formatGrouped(new Decimal("279.01"), 3) // "279.010" (to a fixed number of decimals, trailing zeros kept)
 */
export function formatGrouped(value: Decimal, places?: number): string {
  const [whole, fraction] = (places === undefined ? value.toFixed() : value.toFixed(places)).split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = whole.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${digits}${fraction ? `.${fraction}` : ""}`;
}
