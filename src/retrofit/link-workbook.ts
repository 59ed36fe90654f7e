/**
 * Retrofit: finds the release's figures among the numbers an analyst typed into a model, and says for each which
 * QFIN formula gives it back — or why it is left alone. Pure: handed the cells (from an .xlsx or through the add-in's
 * Office adapter) and the dataset index, it returns links and refusals; the surfaces write.
 *
 * How a number is decided, strongest evidence first:
 * 1. Its period comes from the heading of its column (or row): always required, and through the same grammar as
 *    QFIN.METRIC. A heading for a period the data lacks, or marked as an estimate, leaves the number alone.
 * 2. Its line comes from its label, through the same vocabulary as QFIN.METRIC (`itemCandidates`, `resolveItem`):
 *    then the number must be that line's figure, in some currency, scale and sign, to the digits typed. A label the
 *    release uses twice is read with the headings above it, then by which candidate's figure the number is.
 * 3. A line whose label names nothing is identified by its numbers only when several of them are the same line's
 *    figures in the same units; a lone number must have at least six significant digits.
 * A number that fits several figures is reported, never guessed; one or two significant digits (0.2, 0.03) are too few
 * to tell a figure from an assumption, unless a label names the line; every link is checked by evaluating its
 * formula with the engine `qfin recalc` uses, and must give back exactly the number that was there.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { CURRENCY_WORDS, SCALE_WORDS } from "../core/describe";
import { defaultCurrency, SCALE_DIVISORS } from "../core/figures";
import type { Currency, ItemInfo } from "../core/model";
import { periodLabel } from "../core/period-id";
import type { ParsedPeriod } from "../core/periods";
import { itemCandidates, itemFormulaName, unreportedTerm } from "../core/resolve-item";
import { formatGrouped, roundToPrecision } from "../core/decimal";
import { callFormula } from "../excel/formula-text";
import { formatDecimals, type InputSheet } from "./cells";
import { figuresOf, matches, typedValue, variantKey, variantsOf, VariantPool, type Typed, type Variant } from "./figure-match";
import { ESTIMATE_NOTE, mergeUnits, saysEstimate, splitLabel, type UnitHint } from "./header-text";
import { LayoutReader, layOut, type DataCell, type LabelAt, type SheetLayout } from "./layout";

/** Why a candidate number was left as it was. */
export const REFUSAL_CODES = [
  "estimate",
  "period_not_in_data",
  "not_reported",
  "no_match",
  "ambiguous",
  "too_few_digits",
  "not_a_line",
  "no_period_header",
  "two_headers",
  "check_failed",
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The refusals as the summary line counts them: after "1 …" and after "2 …". */
export const REFUSAL_WORDS: Readonly<Record<RefusalCode, { one: string; many: string }>> = {
  estimate: { one: "estimate", many: "estimates" },
  period_not_in_data: { one: "in a period the data lacks", many: "in periods the data lacks" },
  not_reported: { one: "not reported for its period", many: "not reported for their period" },
  no_match: { one: "not the release's figure", many: "not the release's figure" },
  ambiguous: { one: "ambiguous", many: "ambiguous" },
  too_few_digits: { one: "with too few digits", many: "with too few digits" },
  not_a_line: { one: "on a line the release does not report", many: "on lines the release does not report" },
  no_period_header: { one: "without a period heading", many: "without a period heading" },
  two_headers: { one: "under two period headings", many: "under two period headings" },
  check_failed: { one: "failed the formula check", many: "failed the formula check" },
};

export interface ItemRef {
  id: string;
  label: string;
}

/** A number replaced by the QFIN formula that gives it back. */
export interface CellLink {
  sheet: string;
  /** `C6` */
  cell: string;
  row: number;
  col: number;
  /** The number the cell held, which the formula gives back. */
  value: number;
  /** As typed in Excel: `=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)`. */
  formula: string;
  item: ItemRef;
  period: ItemRef;
  currency: Currency | null;
  /** The unit the number is in, in words: "RMB millions", "US$", "a fraction", "millions". */
  unit: string;
  sign: 1 | -1;
  /** Decimals typed (the formula rounds to them when the release has more). */
  decimals: number;
  /** How item, period and unit were decided, in a sentence. */
  how: string;
}

/** A candidate left as it was, and why. */
export interface NotLinked {
  sheet: string;
  cell: string;
  value: number;
  code: RefusalCode;
  reason: string;
  item?: ItemRef;
  period?: ItemRef;
}

export interface RetrofitSummary {
  sheets: number;
  /** Constant numbers (dates excluded) on every sheet. */
  numbers: number;
  /** Cells holding formulas, all left as they were. */
  formulas: number;
  /** Numbers that look like release figures: a label naming a line, or a value matching one. */
  candidates: number;
  linked: number;
  notLinked: number;
  byReason: Partial<Record<RefusalCode, number>>;
}

export interface RetrofitResult {
  links: CellLink[];
  notLinked: NotLinked[];
  summary: RetrofitSummary;
}

export interface RetrofitOptions {
  /**
   * Evaluates a formula as typed (`=…`) with the engine `qfin recalc` uses (src/engine); each link must give back the
   * number it replaces. Injected so this room stays free of the engine's floor.
   */
  evaluate: (formula: string) => unknown;
}

/** What a line's label says, read once per distinct text. */
type LabelSense =
  | { kind: "item"; item: ItemInfo; text: string; units: UnitHint; estimate: boolean }
  | { kind: "ambiguous"; candidates: ItemInfo[]; text: string; units: UnitHint; estimate: boolean }
  | { kind: "unreported"; what: string; text: string; units: UnitHint; estimate: boolean }
  | { kind: "measure"; text: string; units: UnitHint; estimate: boolean }
  | { kind: "unknown"; text: string; units: UnitHint; estimate: boolean }
  | { kind: "none"; units: UnitHint; estimate: false };

/** A computed measure, not a line the release prints: growth, changes. */
const MEASURE = /\b(?:growth|yoy|y\/y|y-o-y|qoq|q\/q|q-o-q|chg|change|cagr|% ?chg|delta|vs\.?)\b/i;

/** The evidence kept for a number whose line has no usable label, decided line by line. */
interface Pending {
  data: DataCell;
  typed: Typed;
  sense: LabelSense;
  matches: Variant[];
}

const ZERO_UNITS: UnitHint = {};
/** Significant digits a number needs to be linked on its own value, with nothing else naming its line. */
const LONE_VALUE_DIGITS = 6;
/** …and to count towards identifying a line by its values. */
const LINE_VALUE_DIGITS = 3;

/**
 * Finds the links and refusals of a workbook's cells.
 *
 * @example
 * const result = findLinks([{ name: "Model", cells }], index, { evaluate: (formula) => evaluateFormula(index, formula) });
 * result.links[0] // { cell: "C6", value: 3914.3, formula: '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)', … }
 */
export function findLinks(sheets: readonly InputSheet[], index: DatasetIndex, options: RetrofitOptions): RetrofitResult {
  return new Retrofit(index, options).run(sheets);
}

class Retrofit {
  private readonly reader = new LayoutReader();
  private readonly senses = new Map<string, LabelSense>();
  private readonly pools = new Map<string, VariantPool>();
  private readonly variantCache = new Map<string, { variants: Variant[] } | { refusal: { code: RefusalCode; message: string; period: ItemRef | null } }>();
  private readonly headings = new Map<string, { item: ItemInfo; heading: string } | null>();
  private readonly links: CellLink[] = [];
  private readonly refused: NotLinked[] = [];
  private candidates = 0;

  constructor(
    private readonly index: DatasetIndex,
    private readonly options: RetrofitOptions,
  ) {}

  run(sheets: readonly InputSheet[]): RetrofitResult {
    let numbers = 0;
    let formulas = 0;
    for (const sheet of sheets) {
      const layout = layOut(sheet, this.reader);
      numbers += layout.data.length;
      formulas += layout.formulas;
      this.sheet(layout);
    }
    const byReason: Partial<Record<RefusalCode, number>> = {};
    for (const refusal of this.refused) byReason[refusal.code] = (byReason[refusal.code] ?? 0) + 1;
    return {
      links: this.links,
      notLinked: this.refused,
      summary: { sheets: sheets.length, numbers, formulas, candidates: this.candidates, linked: this.links.length, notLinked: this.refused.length, byReason },
    };
  }

  // ---- One sheet --------------------------------------------------------------------------------------------------

  private sheet(layout: SheetLayout): void {
    const sheetEstimate = saysEstimate(layout.name);
    const pendingByLine = new Map<string, Pending[]>();
    for (const data of layout.data) {
      const typed = typedValue(data.cell.value);
      const sense = data.label === null ? ({ kind: "none", units: ZERO_UNITS, estimate: false } as const) : this.sense(data.label.text);
      const named = sense.kind === "item" || sense.kind === "ambiguous";
      const header = data.header;
      if (header === null) {
        if (named) this.refuse(data, "no_period_header", `no period heads its column or row (its label “${sense.text}” names a line, but not when)`);
        continue;
      }
      if (data.otherHeader !== null) {
        if (named) this.refuse(data, "two_headers", `both its column (“${header.text}”) and its row (“${data.otherHeader.text}”) are headed by periods`);
        continue;
      }
      const units = mergeUnits(sense.units, data.units);
      const estimate = header.estimate || sense.estimate || sheetEstimate;
      const estimateWhy = header.estimate ? `its heading “${header.text}” marks an estimate` : sense.estimate ? `its label “${sense.text}” marks an estimate` : `the sheet “${layout.name}” holds estimates`;

      if (sense.kind === "item") {
        if (estimate) this.refuse(data, "estimate", `${estimateWhy}; estimates are never replaced`, sense.item);
        else this.labelled(data, typed, sense.item, units, this.labelWords(data, sense), null);
        continue;
      }
      if (sense.kind === "ambiguous") {
        if (estimate) this.refuse(data, "estimate", `${estimateWhy}; estimates are never replaced`);
        else this.ambiguous(layout, data, typed, sense, units);
        continue;
      }
      // No label names a line: the number is a candidate only if it is some figure.
      if (estimate || sense.kind === "unreported" || sense.kind === "measure") {
        const hits = typed.digits >= LINE_VALUE_DIGITS ? this.pool(header.period, units).find(typed) : [];
        if (hits.length === 0) continue;
        if (estimate) this.refuse(data, "estimate", `${estimateWhy}; estimates are never replaced (it equals ${describeHits(this.index, hits)}, which does not make it one)`);
        else if (sense.kind === "unreported") this.refuse(data, "not_a_line", `its label “${sense.text}” is ${sense.what}, which the release does not report; it is left alone although it equals ${describeHits(this.index, hits)}`);
        else if (sense.kind === "measure") this.refuse(data, "not_a_line", `its label “${sense.text}” is a computed measure, not a line the release prints; it is left alone although it equals ${describeHits(this.index, hits)}`);
        continue;
      }
      const pool = this.pool(header.period, units);
      if (pool.size === 0) {
        // A heading for a period the data lacks: left alone, and said so where the number looks like a figure.
        const anywhere = typed.digits >= 4 ? this.pool(null, units).find(typed) : [];
        if (anywhere.length > 0) {
          this.refuse(data, "period_not_in_data", `its heading “${header.text}” is ${describePeriod(header.period)}, which the data lacks; it equals ${describeHits(this.index, anywhere)}, a coincidence`);
        }
        continue;
      }
      const line = `${layout.name}\u0000${data.line}`;
      const list = pendingByLine.get(line) ?? [];
      list.push({ data, typed, sense, matches: pool.find(typed) });
      pendingByLine.set(line, list);
    }
    for (const pending of pendingByLine.values()) this.line(pending);
  }

  // ---- Labels -----------------------------------------------------------------------------------------------------

  private sense(text: string): LabelSense {
    const known = this.senses.get(text);
    if (known !== undefined) return known;
    const sense = this.readSense(text);
    this.senses.set(text, sense);
    return sense;
  }

  private readSense(raw: string): LabelSense {
    const estimate = saysEstimate(raw) || ESTIMATE_NOTE.test(raw.trim());
    const { label, units } = splitLabel(raw.trim().replace(ESTIMATE_NOTE, ""));
    const text = raw.trim();
    for (const form of label === text ? [text] : [text, label]) {
      const candidates = itemCandidates(this.index, form).filter((item) => !this.index.isHeading(item));
      if (candidates.length === 1) return { kind: "item", item: candidates[0] as ItemInfo, text, units, estimate };
      if (candidates.length > 1) return { kind: "ambiguous", candidates, text, units, estimate };
    }
    const unreported = unreportedTerm(this.index, label);
    if (unreported !== undefined) return { kind: "unreported", what: unreported.what, text, units, estimate };
    if (MEASURE.test(label)) return { kind: "measure", text, units, estimate };
    return { kind: "unknown", text, units, estimate };
  }

  private labelWords(data: DataCell, sense: { text: string; item: ItemInfo }): string {
    const where = data.line.startsWith("c") ? "column label" : "row label";
    return `${where} “${sense.text}” is ${itemFormulaName(this.index, sense.item)}`;
  }

  // ---- A labelled number -------------------------------------------------------------------------------------------

  /** The variants of an item for a heading's period, or why there are none (cached: a line asks once per column). */
  private variants(item: ItemInfo, period: ParsedPeriod, units: UnitHint): { variants: Variant[] } | { refusal: { code: RefusalCode; message: string; period: ItemRef | null } } {
    const key = `${item.id}\u0000${JSON.stringify(period)}\u0000${unitsKey(units)}`;
    const cached = this.variantCache.get(key);
    if (cached !== undefined) return cached;
    const found = figuresOf(this.index, item, period, units);
    const result = found.ok
      ? { variants: variantsOf(item, found.period, found.figures, units) }
      : { refusal: { code: found.code, message: found.message, period: found.period ? { id: found.period.id, label: found.period.label } : null } };
    this.variantCache.set(key, result);
    return result;
  }

  /** A number whose label names `item`: it must be the item's figure for the heading's period. */
  private labelled(data: DataCell, typed: Typed, item: ItemInfo, units: UnitHint, labelWords: string, alternatives: string | null): void {
    const header = data.header as NonNullable<DataCell["header"]>;
    const found = this.variants(item, header.period, units);
    if ("refusal" in found) {
      const { code, message, period } = found.refusal;
      const reason = code === "period_not_in_data" ? `its heading “${header.text}” names ${message}` : message;
      this.refuse(data, code, reason, item, period ?? undefined);
      return;
    }
    const hits = found.variants.filter((variant) => matches(variant, typed));
    if (hits.length === 0) {
      this.refuse(data, "no_match", this.noMatchReason(item, header.period, units, typed, found.variants), item, periodOf(found.variants));
      return;
    }
    if (typed.digits < 2) {
      // 0.2 rounds from RMB0.2 billion of many things: one digit cannot tell a figure from an assumption.
      this.refuse(data, "too_few_digits", `${describeTyped(typed)} has ${typed.digits === 0 ? "no significant digit" : "one significant digit"}: too few to tell the release's figure (${figureText(hits[0] as Variant)}) from an assumption`, item, periodOf(hits));
      return;
    }
    const distinct = uniqueVariants(hits);
    if (distinct.length > 1) {
      this.refuse(data, "ambiguous", `it could be ${orList(distinct.map((variant) => `${itemFormulaName(this.index, item)} in ${unitWords(variant)}${variant.sign === -1 ? " with its sign reversed" : ""}`))}; nothing says which`, item, periodOf(distinct));
      return;
    }
    const variant = distinct[0] as Variant;
    const how = [alternatives ?? labelWords, this.headerWords(header, variant), this.unitSentence(variant, typed)].join("; ");
    this.link(data, typed, variant, how);
  }

  /** A label the release uses for several lines: the headings above it decide, else which candidate's figure it is. */
  private ambiguous(layout: SheetLayout, data: DataCell, typed: Typed, sense: Extract<LabelSense, { kind: "ambiguous" }>, units: UnitHint): void {
    const label = data.label as LabelAt;
    const key = `${layout.name}\u0000${label.row}\u0000${label.col}`;
    let decided = this.headings.get(key);
    if (decided === undefined) this.headings.set(key, (decided = this.byHeading(layout, label, sense)));
    if (decided !== null) {
      this.labelled(data, typed, decided.item, units, `${data.line.startsWith("c") ? "column" : "row"} label “${sense.text}” under the heading “${decided.heading}” is ${itemFormulaName(this.index, decided.item)}`, null);
      return;
    }
    const names = sense.candidates.map((item) => itemFormulaName(this.index, item));
    const fits: Variant[] = [];
    for (const item of sense.candidates) {
      const found = this.variants(item, (data.header as NonNullable<DataCell["header"]>).period, units);
      if ("variants" in found) fits.push(...found.variants.filter((variant) => matches(variant, typed)));
    }
    const items = [...new Set(fits.map((variant) => variant.item))];
    if (items.length === 0) {
      this.refuse(data, "no_match", `its label “${sense.text}” could be ${orList(names)}, and the number is none of their figures for ${(data.header as NonNullable<DataCell["header"]>).text}`);
      return;
    }
    if (items.length > 1 || typed.digits < 2) {
      this.refuse(data, "ambiguous", `its label “${sense.text}” could be ${orList(names)}, and the number fits ${orList(items.map((item) => itemFormulaName(this.index, item)))}; type the line's full name in the label`);
      return;
    }
    const item = items[0] as ItemInfo;
    this.labelled(data, typed, item, units, "", `${data.line.startsWith("c") ? "column" : "row"} label “${sense.text}” could be ${orList(names)}; of those only ${itemFormulaName(this.index, item)} has this figure`);
  }

  /** The line an ambiguous label means under the nearest heading above it that decides, once per label cell. */
  private byHeading(layout: SheetLayout, label: LabelAt, sense: Extract<LabelSense, { kind: "ambiguous" }>): { item: ItemInfo; heading: string } | null {
    for (const heading of layout.labelsAbove(label, 12)) {
      const parent = splitLabel(heading.text).label;
      const byPath = itemCandidates(this.index, `${parent} > ${sense.text}`).filter((item) => sense.candidates.includes(item));
      const found = byPath.length === 1 ? byPath : this.underHeading(sense.candidates, parent);
      if (found.length === 1) return { item: found[0] as ItemInfo, heading: heading.text };
    }
    return null;
  }

  /** Candidates a heading names: the heading resolves to their parent, or to a line that shares their parent. */
  private underHeading(candidates: readonly ItemInfo[], heading: string): ItemInfo[] {
    const named = itemCandidates(this.index, heading);
    if (named.length === 0) return [];
    return candidates.filter((candidate) => named.some((item) => item.id === candidate.parent || (item.parent !== null && item.parent === candidate.parent)));
  }

  private noMatchReason(item: ItemInfo, period: ParsedPeriod, units: UnitHint, typed: Typed, variants: readonly Variant[]): string {
    const name = itemFormulaName(this.index, item);
    const positive = variants.filter((variant) => variant.sign === 1 && (variant.scale === null || variant.scale === "M") && !variant.percent && variant.divisor === null);
    const has = uniqueBy(positive, (variant) => `${variant.currency}`)
      .map((variant) => figureText(variant))
      .join(" and ");
    const at = periodOf(variants)?.label ?? describePeriod(period);
    let reason = `${describeTyped(typed)} is not ${name}'s figure for ${at} in any currency, scale or sign the notes allow (the release has ${has})`;
    if (unitsKey(units) !== "") {
      const free = this.variants(item, period, ZERO_UNITS);
      const hit = "variants" in free ? free.variants.find((variant) => matches(variant, typed)) : undefined;
      if (hit) reason += `; it is the figure in ${unitWords(hit)}, but the notes around it say ${describeUnits(units)}`;
    }
    return reason;
  }

  // ---- Lines identified by their numbers ------------------------------------------------------------------------

  private line(cells: readonly Pending[]): void {
    // A line is one line of the release when several of its numbers are that line's figures, in the same units.
    const votes = new Map<string, { item: ItemInfo; key: string; cells: number }>();
    for (const pending of cells) {
      if (pending.typed.digits < LINE_VALUE_DIGITS) continue;
      const seen = new Set<string>();
      for (const variant of pending.matches) {
        const key = `${variant.item.id}\u0000${variantKey(variant)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const vote = votes.get(key) ?? { item: variant.item, key: variantKey(variant), cells: 0 };
        vote.cells++;
        votes.set(key, vote);
      }
    }
    const agreed = [...votes.values()].filter((vote) => vote.cells >= 2);
    const agreedItems = [...new Set(agreed.map((vote) => vote.item))];
    const labelText = (pending: Pending): string => (pending.sense.kind === "unknown" ? `label “${pending.sense.text}” names no line of the release` : "line has no label");
    if (agreedItems.length === 1 && agreed.length === 1) {
      const vote = agreed[0] as { item: ItemInfo; key: string; cells: number };
      for (const pending of cells) {
        const fits = pending.matches.filter((variant) => variant.item === vote.item && variantKey(variant) === vote.key);
        const header = pending.data.header as NonNullable<DataCell["header"]>;
        if (fits.length === 1 && pending.typed.digits >= 2) {
          const variant = fits[0] as Variant;
          const how = [`the ${labelText(pending)}, but ${vote.cells} of its numbers are ${itemFormulaName(this.index, vote.item)}'s figures in ${unitWords(variant)}`, this.headerWords(header, variant), this.unitSentence(variant, pending.typed)].join("; ");
          this.link(pending.data, pending.typed, variant, how);
        } else if (pending.matches.length > 0 || pending.typed.digits >= LINE_VALUE_DIGITS) {
          const own = this.variants(vote.item, header.period, ZERO_UNITS);
          const has = "variants" in own ? own.variants.find((variant) => variantKey(variant) === vote.key) : undefined;
          this.refuse(
            pending.data,
            pending.typed.digits < 2 ? "too_few_digits" : "no_match",
            `its line reads as ${itemFormulaName(this.index, vote.item)} (${vote.cells} of its numbers are its figures), but ${describeTyped(pending.typed)} is not its ${header.text} figure${has ? ` (${figureText(has)})` : ""}`,
            vote.item,
          );
        }
      }
      return;
    }
    for (const pending of cells) {
      if (pending.matches.length === 0 || pending.typed.digits < LINE_VALUE_DIGITS) continue;
      const distinct = uniqueVariants(pending.matches);
      if (agreed.length > 1) {
        this.refuse(pending.data, "ambiguous", `the ${labelText(pending)}, and its numbers fit ${orList(agreedItems.map((item) => itemFormulaName(this.index, item)))} alike; put the line's name in its label`);
      } else if (distinct.length > 1) {
        this.refuse(pending.data, "ambiguous", `the ${labelText(pending)}, and ${describeTyped(pending.typed)} fits ${describeHits(this.index, distinct)}; put the line's name in its label`);
      } else if (pending.typed.digits < LONE_VALUE_DIGITS) {
        const variant = distinct[0] as Variant;
        this.refuse(
          pending.data,
          "too_few_digits",
          `the ${labelText(pending)}; ${describeTyped(pending.typed)} equals ${itemFormulaName(this.index, variant.item)}'s figure, but ${pending.typed.digits} digits alone are not enough to link it (put “${itemFormulaName(this.index, variant.item)}” in its label)`,
          variant.item,
          periodRef(variant),
        );
      } else {
        const variant = distinct[0] as Variant;
        const header = pending.data.header as NonNullable<DataCell["header"]>;
        const how = [`the ${labelText(pending)}; ${describeTyped(pending.typed)} is to ${pending.typed.digits} significant digits the one figure of ${periodRef(variant).label} it can be, ${itemFormulaName(this.index, variant.item)}`, this.headerWords(header, variant), this.unitSentence(variant, pending.typed)].join("; ");
        this.link(pending.data, pending.typed, variant, how);
      }
    }
  }

  // ---- Pools of every figure of a period --------------------------------------------------------------------------

  /** Every item's variants for a heading's period (null: every period of the data), for numbers without a label. */
  private pool(period: ParsedPeriod | null, units: UnitHint): VariantPool {
    const key = `${period === null ? "*" : JSON.stringify(period)}\u0000${unitsKey(units)}`;
    const known = this.pools.get(key);
    if (known !== undefined) return known;
    const variants: Variant[] = [];
    for (const item of this.index.itemsById.values()) {
      if (this.index.isHeading(item)) continue;
      if (period === null) {
        for (const info of this.index.periodsOf(item.id)) {
          const found = figuresOf(this.index, item, this.index.periodKey(info), units);
          if (found.ok && found.period.id === info.id) variants.push(...variantsOf(item, found.period, found.figures, units));
        }
      } else {
        const found = figuresOf(this.index, item, period, units);
        if (found.ok) variants.push(...variantsOf(item, found.period, found.figures, units));
      }
    }
    const pool = new VariantPool(variants);
    this.pools.set(key, pool);
    return pool;
  }

  // ---- Words ------------------------------------------------------------------------------------------------------

  private headerWords(header: NonNullable<DataCell["header"]>, variant: Variant): string {
    const balance =
      variant.period.key.type === "instant" && header.period.type !== "instant"
        ? `, which for a balance is its end, ${variant.period.label}`
        : header.period.type === "instant" && variant.period.key.type !== "instant"
          ? `, which for a flow is the quarter ending then, ${variant.period.label}`
          : "";
    const relative = header.period.type === "latest" ? ` (relative; the formula names ${variant.period.label}, so it keeps the quarter the number was typed for)` : "";
    return `its heading “${header.text}” is ${describePeriod(header.period)}${balance}${relative}`;
  }

  private unitSentence(variant: Variant, typed: Typed): string {
    const parts = [`${unitWords(variant)}, ${typed.decimals === 0 ? "no decimals" : `${typed.decimals} decimal${typed.decimals === 1 ? "" : "s"}`} typed`];
    const printedNegative = variant.figure.value.isNegative();
    if (variant.sign === -1) parts.push(printedNegative ? "typed positive, the release prints it negative" : "typed negative, the release prints it positive");
    if (variant.figure.conversion) parts.push(`converted from ${variant.figure.conversion.from} at the release's rate of ${variant.figure.conversion.rate}, as QFIN.METRIC converts`);
    return parts.join(", ");
  }

  // ---- Results ----------------------------------------------------------------------------------------------------

  private link(data: DataCell, typed: Typed, variant: Variant, how: string): void {
    this.candidates++;
    const decimals = roundingDecimals(variant, typed, data.cell.numberFormat);
    const formula = buildFormula(this.index, variant, decimals);
    let result: unknown;
    try {
      result = this.options.evaluate(formula);
    } catch (error) {
      result = error instanceof Error ? error.message : String(error);
    }
    if (typeof result !== "number" || result !== typed.number) {
      this.refused.push({
        sheet: data.sheet,
        cell: data.address,
        value: data.cell.value,
        code: "check_failed",
        reason: `${formula} gives ${String(result)}, not ${describeTyped(typed)}; left as it was`,
        item: itemRef(variant.item),
        period: periodRef(variant),
      });
      return;
    }
    this.links.push({
      sheet: data.sheet,
      cell: data.address,
      row: data.cell.row,
      col: data.cell.col,
      value: data.cell.value,
      formula,
      item: itemRef(variant.item),
      period: periodRef(variant),
      currency: variant.currency,
      unit: unitWords(variant),
      sign: variant.sign,
      decimals,
      how,
    });
  }

  private refuse(data: DataCell, code: RefusalCode, reason: string, item?: ItemInfo, period?: ItemRef): void {
    this.candidates++;
    const refusal: NotLinked = { sheet: data.sheet, cell: data.address, value: data.cell.value, code, reason };
    if (item) refusal.item = itemRef(item);
    if (period) refusal.period = period;
    this.refused.push(refusal);
  }
}

// ---- Formulas -----------------------------------------------------------------------------------------------------


/**
 * The QFIN formula giving back the typed number: METRIC in the currency and scale the number is in, divided for
 * counts typed in thousands or millions, times 100 for a ratio typed as per cent, rounded to the decimals typed when
 * the release has more, negated when typed with the other sign.
 *
 * @example
 * buildFormula(index, totalNetRevenueQ2InRmbMillions, 1) // '=ROUND(QFIN.METRIC("Total net revenue","Q2 2023"),1)'
 * buildFormula(index, incomeTaxQ2Negated, 3)             // '=-QFIN.METRIC("Income taxes expense","Q2 2023")'
 */
export function buildFormula(index: DatasetIndex, variant: Variant, decimals: number): string {
  const item = variant.item;
  const args: (string | null)[] = [itemFormulaName(index, item), variant.period.label];
  const ownCurrency = item.unit === "amount" || item.unit === "per_share" ? defaultCurrency(index, item) : null;
  if (variant.scale !== null && variant.scale !== "M") args.push(variant.currency ?? ownCurrency, variant.scale);
  else if (variant.currency !== null && variant.currency !== ownCurrency) args.push(variant.currency);
  let expression = callFormula("QFIN.METRIC", args).slice(1);
  let arithmetic = false;
  if (variant.divisor !== null) {
    expression += `/${SCALE_DIVISORS[variant.divisor].toFixed()}`;
    arithmetic = true;
  }
  if (variant.percent) {
    expression += "*100";
    arithmetic = true;
  }
  // Decimal division and ×100 in binary floating point leave residue (0.279*100 is 27.900000000000002): round them.
  const shown = variant.sign === 1 ? variant.value : variant.value.negated();
  if (arithmetic || shown.decimalPlaces() > decimals) expression = `ROUND(${expression},${decimals})`;
  return `=${variant.sign === -1 ? "-" : ""}${expression}`;
}

/**
 * The decimals the formula rounds to: those typed, or more where the cell's format shows more and the release's figure
 * rounded to them is still the number typed (4320 shown as 4,320.0 for 4,320,047 thousand rounds to one decimal), so
 * the linked cell keeps the precision it shows when the data changes.
 */
function roundingDecimals(variant: Variant, typed: Typed, numberFormat: string | undefined): number {
  const shown = formatDecimals(numberFormat);
  if (shown === null || shown <= typed.decimals || shown > 15) return typed.decimals;
  return roundToPrecision(variant.value, shown).eq(typed.value) ? shown : typed.decimals;
}

// ---- Words --------------------------------------------------------------------------------------------------------


/** A variant's unit in words: "RMB millions", "US$", "millions" (a count), "per cent", "a fraction". */
export function unitWords(variant: Variant): string {
  const currency = variant.currency === null ? "" : CURRENCY_WORDS[variant.currency];
  if (variant.scale !== null) return variant.scale === "U" ? `${currency} (units)` : `${currency} ${SCALE_WORDS[variant.scale]}`;
  if (variant.divisor !== null) return SCALE_WORDS[variant.divisor];
  if (variant.item.unit === "ratio") return variant.percent ? "per cent" : "a fraction";
  if (variant.item.unit === "months") return "months";
  if (variant.item.unit === "per_share") return `${currency} per ${/ads/i.test(variant.item.id) ? "ADS" : "share"}`;
  return "units";
}

function figureText(variant: Variant): string {
  const value = variant.sign === 1 ? variant.value : variant.value.negated();
  return `${unitWords(variant)} ${formatGrouped(value)}`;
}

function describeTyped(typed: Typed): string {
  return typed.value.toString();
}

function describePeriod(period: ParsedPeriod): string {
  if (period.type === "latest") return period.offset === 0 ? "the latest quarter" : `the quarter ${period.offset} before the latest`;
  if (period.type === "ltm") return "the last twelve months";
  return periodLabel(period);
}

function describeUnits(units: UnitHint): string {
  const parts = [units.currency === "USD" ? "US$" : units.currency, units.scale ? SCALE_WORDS[units.scale] || "units" : undefined, units.percent ? "per cent" : undefined];
  return parts.filter(Boolean).join(" ");
}

function describeHits(index: DatasetIndex, hits: readonly Variant[]): string {
  const names = uniqueBy(hits, (variant) => `${variant.item.id}|${variant.period.id}|${variantKey(variant)}`).map(
    (variant) => `${itemFormulaName(index, variant.item)} for ${variant.period.label} in ${unitWords(variant)}${variant.sign === -1 ? " (sign reversed)" : ""}`,
  );
  return names.length <= 3 ? orList(names) : `${orList(names.slice(0, 3))} (and ${names.length - 3} more)`;
}

const orList = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`);

function uniqueBy<T>(list: readonly T[], key: (value: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((value) => {
    const k = key(value);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Variants that give different formulas (the same figure reached twice is one). */
const uniqueVariants = (variants: readonly Variant[]): Variant[] => uniqueBy(variants, (variant) => `${variant.item.id}|${variant.period.id}|${variantKey(variant)}`);

const unitsKey = (units: UnitHint): string => `${units.currency ?? ""}${units.scale ?? ""}${units.percent ? "%" : ""}`;
const itemRef = (item: ItemInfo): ItemRef => ({ id: item.id, label: item.label });
const periodRef = (variant: Variant): ItemRef => ({ id: variant.period.id, label: variant.period.label });
const periodOf = (variants: readonly Variant[]): ItemRef | undefined => (variants[0] ? periodRef(variants[0]) : undefined);
