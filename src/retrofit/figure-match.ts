/**
 * Whether a typed number is a release figure: the figure in a currency (RMB or US$), at a scale (units, thousands,
 * millions, billions; percentages as fractions, or as per cent where a note says "%"), with either sign, rounded to
 * the decimals the analyst typed — 3914.3 for 3,914,324 thousand, 124.2 for RMB124,225 million in billions. Exact:
 * every comparison is in decimal.js, at the typed precision; a float comparison only narrows the search first.
 */
import { CellError } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { Decimal, roundToPrecision } from "../core/decimal";
import { findFigure, figureFor, SCALE_DIVISORS, type Figure, type Scale } from "../core/figures";
import type { Currency, ItemInfo } from "../core/model";
import { resolvePeriod, type ParsedPeriod, type PeriodRef } from "../core/periods";
import { Messages } from "../core/messages";
import type { UnitHint, UnitScale } from "./header-text";

/** A number as typed: its exact decimal value, its decimals and how many significant digits it has. */
export interface Typed {
  value: Decimal;
  /** The value as Excel holds it (15 significant digits). */
  number: number;
  decimals: number;
  /** Significant digits, zeros of a whole number included: 3914.3 → 5, 0.028 → 2, 200 → 3, 0 → 0. */
  digits: number;
}

/**
 * A cell's number as the analyst typed it. Excel keeps 15 significant digits, so float residue past them (a pasted
 * 0.30000000000000004) is not typed precision.
 *
 * @example
 * typedValue(3914.3)  // { value: 3914.3, decimals: 1, digits: 5 }
 * typedValue(0.1 + 0.2) // { value: 0.3, decimals: 1, digits: 1 }
 */
export function typedValue(number: number): Typed {
  const value = new Decimal(new Decimal(number).toPrecision(15));
  const decimals = Math.max(0, value.decimalPlaces());
  const digits = value.isZero() ? 0 : value.precision(true);
  return { value, number: Number(value.toString()), decimals, digits };
}

/** Units whose figures carry a currency. */
const MONETARY = new Set<ItemInfo["unit"]>(["amount", "per_share"]);
const SCALES: readonly Scale[] = ["U", "K", "M", "B"];

/** One way a figure can appear in a cell: in a currency, a scale or unit, with a sign. */
export interface Variant {
  item: ItemInfo;
  period: PeriodRef;
  currency: Currency | null;
  figure: Figure;
  /** Amounts: the scale QFIN.METRIC is asked for. */
  scale: Scale | null;
  /** Counts and share counts: what the figure is divided by in the formula (1, 1,000, …). */
  divisor: Scale | null;
  /** Ratios typed as per cent (27.9 for 0.279). */
  percent: boolean;
  sign: 1 | -1;
  /** What QFIN.METRIC returns for it, before any sign, division or per cent: exact. */
  metric: Decimal;
  /** The value the cell would show, exact, with the sign. */
  value: Decimal;
  float: number;
}

/** The variant's unit and sign as one key: a line of a model keeps one. */
export const variantKey = (variant: Variant): string =>
  `${variant.currency ?? ""}|${variant.scale ?? ""}|${variant.divisor ?? ""}|${variant.percent ? "%" : ""}|${variant.sign}`;

/** Whether the variant, rounded to the typed decimals, is the typed number. */
export function matches(variant: Variant, typed: Typed): boolean {
  return roundToPrecision(variant.value, typed.decimals).eq(typed.value);
}

/** The figures of an item for a typed period, or why there are none. */
export type Figures =
  | { ok: true; period: PeriodRef; figures: { currency: Currency | null; figure: Figure }[] }
  | { ok: false; code: "period_not_in_data" | "not_reported"; message: string; period: PeriodRef | null };

/**
 * The item's figures for the period a heading names, in the currencies the notes allow. A heading for a period the
 * data does not have at all (Q3 2022) is told apart from an item the data lacks for a period it has.
 */
export function figuresOf(index: DatasetIndex, item: ItemInfo, parsed: ParsedPeriod, units: UnitHint): Figures {
  const currencies: (Currency | null)[] = !MONETARY.has(item.unit) ? [null] : units.currency === "other" ? [] : units.currency ? [units.currency] : ["RMB", "USD"];
  if (parsed.type === "ltm") {
    const found: { currency: Currency | null; figure: Figure }[] = [];
    let problem: CellError | null = null;
    for (const currency of currencies) {
      const figure = figureFor(index, item, parsed, currency);
      if (figure instanceof CellError) problem ??= figure;
      else found.push({ currency, figure });
    }
    if (found.length === 0) return { ok: false, code: "not_reported", message: problem?.message ?? "no figure in that currency", period: null };
    return { ok: true, period: (found[0] as { figure: Figure }).figure.period, figures: found };
  }
  const period = resolvePeriod(index, parsed, item);
  if (period instanceof CellError) return { ok: false, code: "not_reported", message: period.message, period: null };
  if (!index.periodsById.has(period.id)) {
    const periods = index.periods.map((p) => p.label).join(", ");
    return { ok: false, code: "period_not_in_data", message: `${period.label}, a period the data lacks (it has ${periods})`, period };
  }
  const found: { currency: Currency | null; figure: Figure }[] = [];
  for (const currency of currencies) {
    const figure = findFigure(index, item, period, currency);
    if (!(figure instanceof CellError)) found.push({ currency, figure });
  }
  if (found.length === 0) {
    const message =
      currencies.length === 0
        ? `the note gives a currency the release does not report in`
        : Messages.periodNotReported(item.label, period.label, index.periodsOf(item.id).map((p) => p.label));
    return { ok: false, code: "not_reported", message, period };
  }
  return { ok: true, period, figures: found };
}

const scalesFor = (scale: UnitScale | undefined): readonly Scale[] => (scale ? [scale] : SCALES);

/** Every way the item's figures for a period can appear in a cell, given the notes. */
export function variantsOf(item: ItemInfo, period: PeriodRef, figures: readonly { currency: Currency | null; figure: Figure }[], units: UnitHint): Variant[] {
  const variants: Variant[] = [];
  const add = (currency: Currency | null, figure: Figure, metric: Decimal, shown: Decimal, extra: Pick<Variant, "scale" | "divisor" | "percent">): void => {
    for (const sign of [1, -1] as const) {
      if (sign === -1 && shown.isZero()) continue;
      const value = sign === 1 ? shown : shown.negated();
      variants.push({ item, period, currency, figure, ...extra, sign, metric, value, float: Number(value.toString()) });
    }
  };
  for (const { currency, figure } of figures) {
    if (item.unit === "amount") {
      for (const scale of scalesFor(units.scale)) {
        const metric = figure.value.div(SCALE_DIVISORS[scale]);
        add(currency, figure, metric, metric, { scale, divisor: null, percent: false });
      }
    } else if (item.unit === "count" || item.unit === "shares") {
      for (const divisor of scalesFor(units.scale)) {
        add(currency, figure, figure.value, figure.value.div(SCALE_DIVISORS[divisor]), { scale: null, divisor: divisor === "U" ? null : divisor, percent: false });
      }
    } else if (item.unit === "ratio") {
      add(currency, figure, figure.value, figure.value, { scale: null, divisor: null, percent: false });
      if (units.percent) add(currency, figure, figure.value, figure.value.times(100), { scale: null, divisor: null, percent: true });
    } else {
      add(currency, figure, figure.value, figure.value, { scale: null, divisor: null, percent: false });
    }
  }
  return variants;
}

/** A sorted list of variants, searched by value: every figure of a period, for numbers whose line has no usable label. */
export class VariantPool {
  private readonly sorted: Variant[];
  private readonly floats: Float64Array;

  constructor(variants: Variant[]) {
    this.sorted = [...variants].sort((a, b) => a.float - b.float);
    this.floats = Float64Array.from(this.sorted, (variant) => variant.float);
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The variants that round to the typed number. */
  find(typed: Typed): Variant[] {
    // Anything that rounds to the typed number lies within half a unit of its last decimal (plus float slack).
    const tolerance = 0.5 * 10 ** -typed.decimals * (1 + 1e-9) + Math.abs(typed.number) * 1e-12;
    let low = 0;
    let high = this.floats.length;
    const from = typed.number - tolerance;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.floats[middle] as number) < from) low = middle + 1;
      else high = middle;
    }
    const found: Variant[] = [];
    for (let i = low; i < this.floats.length && (this.floats[i] as number) <= typed.number + tolerance; i++) {
      const variant = this.sorted[i] as Variant;
      if (matches(variant, typed)) found.push(variant);
    }
    return found;
  }
}
