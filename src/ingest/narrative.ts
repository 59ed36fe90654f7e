/**
 * Reads the release's prose: the footnotes that define KPIs, the sentences that restate table figures in
 * millions ("Net income was RMB1,093.4 million (US$150.8 million), compared to … and RMB929.8 million in the
 * prior quarter"), the margins and per-ADS figures it states, and the KPI, capital-return and outlook sentences
 * of `narrative-catalogue.ts`. Every figure becomes a `narrative` fact quoting its sentence.
 */
import { Decimal } from "../core/decimal";
import type { Currency, ItemInfo, PeriodInfo } from "../core/model";
import type { FactBook } from "./fact-book";
import { IngestError } from "./ingest-error";
import { NARRATIVE_SPECS, type NarrativeFigure, type NarrativeScale, type RelativePeriod, type StatedRatio } from "./narrative-catalogue";
import { durationPeriod, instantFromWords, instantPeriod } from "./periods";
import { labelKey } from "../core/text-match";
import { sentences, type Paragraph } from "./release-text";

/** The quarter a release reports, which relative phrases ("the prior quarter") are read against. */
export interface ReleaseQuarter {
  year: number;
  quarter: number;
  /** The release's own date (ISO), from its dateline: no figure it states can be as of a later date. */
  published: string;
}

/** A sentence the narrative reader recognised but cannot use as it stands; the reader adds the line. */
class NarrativeProblem extends Error {}

export interface StatedFigure {
  sentence: string;
  line: number;
  kind: StatedRatio["kind"];
  numerator: { item: string; period: string };
  denominator: { item: string; period: string };
  /** The stated percentage as a fraction, and its precision. */
  value: string;
  precision: number;
}

export interface NarrativeReading {
  footnotes: Map<string, string>;
  /** Growth rates and shares the prose states, checked later against the figures they relate. */
  statedRatios: StatedFigure[];
}

const SCALE_EXPONENT: Record<NarrativeScale, number> = { unit: 0, million: 6, billion: 9, percent: -2 };

/** A narrative figure as the release writes it: "RMB929.8 million", "US$0.92", "1.84%". */
function printedFigure(captured: string, scale: NarrativeScale, currency: Currency | null): string {
  const prefix = currency === "USD" ? "US$" : currency === "RMB" ? "RMB" : "";
  const suffix = scale === "percent" ? "%" : scale === "unit" ? "" : ` ${scale}`;
  return `${prefix}${captured}${suffix}`;
}

/** Converts a captured figure to a base-unit value and the precision it is printed to. */
export function narrativeValue(captured: string, scale: NarrativeScale): { value: string; precision: number } {
  const plain = captured.replace(/,/g, "");
  const decimals = plain.includes(".") ? (plain.split(".")[1] as string).length : 0;
  const exponent = SCALE_EXPONENT[scale];
  return { value: new Decimal(plain).times(new Decimal(10).pow(exponent)).toFixed(), precision: decimals - exponent };
}

export function resolvePeriod(period: RelativePeriod, quarter: ReleaseQuarter, match: RegExpExecArray): PeriodInfo {
  const { year, quarter: q } = quarter;
  const quarterPeriod = (y: number, n: number): PeriodInfo => durationPeriod(3, n * 3, y) as PeriodInfo;
  const quarterEnd = (y: number): PeriodInfo => {
    const end = quarterPeriod(y, q).end.split("-").map(Number) as [number, number, number];
    return instantPeriod(end[0], end[1], end[2]);
  };
  if (typeof period === "object" && "halfGroup" in period) {
    const text = match[Number(period.halfGroup)] ?? "";
    const half = /^(first|second) half of (\d{4})$/.exec(text);
    if (!half) throw new NarrativeProblem(`"${text}" is not a half-year`);
    const result = durationPeriod(6, half[1] === "first" ? 6 : 12, Number(half[2])) as PeriodInfo;
    // A dividend "for the first half of 2023" is declared for the latest half-year ended by the quarter's end.
    const end = quarterEnd(year).end;
    const yearBefore = `${year - 1}${end.slice(4)}`;
    if (!(result.end <= end && result.end > yearBefore)) {
      throw new NarrativeProblem(`"${text}" is not a half-year that ended in the year up to the quarter's end (after ${yearBefore}, by ${end})`);
    }
    return result;
  }
  if (typeof period === "object") {
    const text = match[Number(period.dateGroup)] ?? "";
    const instant = instantFromWords(text);
    if (!instant) throw new NarrativeProblem(`"${text}" is not a date of the calendar`);
    if (instant.end > quarter.published) throw new NarrativeProblem(`"${text}" is after the release's own date (${quarter.published})`);
    return instant;
  }
  switch (period) {
    case "quarter":
      return quarterPeriod(year, q);
    case "year_ago_quarter":
      return quarterPeriod(year - 1, q);
    case "prior_quarter":
      return q > 1 ? quarterPeriod(year, q - 1) : quarterPeriod(year - 1, 4);
    case "quarter_end":
      return quarterEnd(year);
    case "year_ago_quarter_end":
      return quarterEnd(year - 1);
    case "fiscal_year":
      return durationPeriod(12, 12, year) as PeriodInfo;
  }
}

const FOOTNOTE = /^(\d{1,2}) (\S.*)$/;

/**
 * Footnote texts by marker ("*8"). A footnote is its own paragraph, and continues into the unnumbered paragraphs after
 * it only while they stay inside the block of footnotes: the run must lead straight to footnote N+1 and hold no
 * heading, no bullet and no footnote marker. Body text between two footnotes always cites the later one (that is why
 * it sits before its definition), so a run holding a marker is body, not footnote. Footnote 5's second paragraph
 * ("Under other technology solutions, …") is such a continuation; the financial results between footnotes 13 and 14
 * are not.
 */
export function readFootnotes(paragraphs: readonly Paragraph[]): Map<string, string> {
  const footnotes = new Map<string, string>();
  paragraphs.forEach((paragraph, index) => {
    const match = FOOTNOTE.exec(paragraph.text);
    if (!match) return;
    const number = Number(match[1]);
    const run: Paragraph[] = [];
    let next = index + 1;
    for (; next < paragraphs.length && !FOOTNOTE.test((paragraphs[next] as Paragraph).text); next++) run.push(paragraphs[next] as Paragraph);
    const following = next < paragraphs.length ? FOOTNOTE.exec((paragraphs[next] as Paragraph).text) : null;
    const continues = following !== null && Number(following[1]) === number + 1 && run.every(isFootnoteContinuation);
    footnotes.set(`*${number}`, [match[2] as string, ...(continues ? run.map((p) => p.text) : [])].join(" "));
  });
  return footnotes;
}

/**
 * Every footnote the prose cites (`^{*8}`) must be there exactly once: a damaged footnote number ("5" → "6") would
 * otherwise leave one definition out and give another line's definition to its items, silently.
 */
function footnoteProblems(paragraphs: readonly Paragraph[]): string[] {
  const numbered = new Map<string, number[]>();
  for (const paragraph of paragraphs) {
    const match = FOOTNOTE.exec(paragraph.text);
    if (match) numbered.set(`*${Number(match[1])}`, [...(numbered.get(`*${Number(match[1])}`) ?? []), paragraph.line]);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const paragraph of paragraphs) {
    for (const marker of paragraph.footnotes) {
      if (seen.has(marker)) continue;
      seen.add(marker);
      const lines = numbered.get(marker) ?? [];
      if (lines.length === 0) problems.push(`line ${paragraph.line}: cites footnote ${marker.slice(1)}, which the release does not have (a damaged footnote number?)`);
      else if (lines.length > 1) problems.push(`footnote ${marker.slice(1)} appears ${lines.length} times (lines ${lines.join(", ")}), so which one defines its items cannot be told (a damaged footnote number?)`);
    }
  }
  return problems;
}

/** A paragraph that can be the rest of a footnote: prose (it ends like a sentence), no bullet, citing no footnote. */
function isFootnoteContinuation(paragraph: Paragraph): boolean {
  return paragraph.footnotes.length === 0 && !paragraph.text.startsWith("- ") && /[.!?:;"')]$/.test(paragraph.text);
}

// Bounded label and grouped digits: one anchored start, and no two quantifiers that can share a character.
const MONEY = String.raw`(-?\d{1,3}(?:,\d{3})*\.\d)`;
const RESTATED_RESULT = new RegExp(
  String.raw`^(.{1,200}?) (?:was|were) RMB${MONEY} million \(US\$${MONEY} million\), compared to RMB${MONEY} million in the same period of \d{4},?(?: and RMB${MONEY} million in the prior quarter)?\.?$`,
);
const STATED_MARGIN = /^((?:Non-GAAP )?(?:operating|net income) margin) was (\d{1,3}\.\d)%\.?$/i;
const PER_ADS = /^(.{1,200}? per fully diluted ADS) was RMB(\d{1,6}\.\d{1,4}) \(US\$(\d{1,6}\.\d{1,4})\)\.?$/;
const NON_GAAP_DEFINITION = /^(Non-GAAP [^,]{1,200}?) (?:represents|is equal to) /;

/**
 * The sentence families read above, recognised loosely by their words. A sentence one of them recognises that no
 * reader could read is garbled ("RMB1,O93.4", "millon", a lost bracket) and refuses the release: skipping it would
 * silently drop the checks its figures feed. Each cue is a few literal tests, linear in the sentence.
 */
const LOOSE_FAMILIES: readonly { name: string; form: string; cue: (sentence: string) => boolean }[] = [
  {
    name: "a restatement of table figures",
    form: "LABEL was RMB1,234.5 million (US$170.3 million), compared to RMB1,057.5 million in the same period of 2022[ and RMB1,053.5 million in the prior quarter].",
    cue: (sentence) => /\bmillion\b|\(US\$/.test(sentence) && /\bin the same period of\b|\bin the prior quarter\b|\bcompared (?:to|with)\b/.test(sentence),
  },
  { name: "a stated margin", form: "Operating margin was 30.2%.", cue: (sentence) => /\bmargin (?:was|is|of)\b/i.test(sentence) && /\d/.test(sentence) },
  { name: "a per-ADS figure", form: "Net income per fully diluted ADS was RMB6.64 (US$0.92).", cue: (sentence) => /\bper fully diluted ADS (?:was|is|of)\b/.test(sentence) },
  // Broader cues, for damage to the words the cues above look for ("per fully (diluted", "magrin", "wIas"): every
  // sentence of a release that states a figure in these shapes is one the ingest reads (a test holds the shipped
  // release to it), so one that is not read is damaged.
  { name: "a figure in RMB with its US$ amount", form: "RMB6.64 (US$0.92)", cue: (sentence) => /RMB-?\d[\d,]*(?:\.\d+)?(?: (?:million|billion))? \(US\$/.test(sentence) },
  // Capitals straight before the digits: RMB, or RMB damaged ("RMMB124.2 billion"); not "US$150 million".
  { name: "an amount in RMB", form: "RMB124.2 billion", cue: (sentence) => /(?<![A-Za-z$])[A-Z]{2,5}-?\d[\d,]*(?:\.\d+)? ?(?:million|billion)\b/.test(sentence) },
  { name: "a stated figure", form: "… was 1.84%", cue: (sentence) => /\b(?:was|were) (?:[A-Z]{2,5}|US\$)?-?\d[\d,.]*(?:%| million\b| billion\b)/.test(sentence) || /\d%\.?$/.test(sentence) },
  { name: "a stated margin", form: "Operating margin was 30.2%.", cue: (sentence) => /margin/i.test(sentence) && /\d%/.test(sentence) },
  { name: "a stated share", form: "Approximately 58% of the loan volume was …", cue: (sentence) => /\b\d{1,3}(?:\.\d+)?% of\b/.test(sentence) },
];

const quoted = (sentence: string): string => `"${sentence.length > 160 ? `${sentence.slice(0, 160)}…` : sentence}"`;

const RECENT_CONTEXT = 20;

/** Finds the item a sentence names, using what the prose spoke of last to tell duplicate labels apart. */
class NarrativeItems {
  private readonly byKey = new Map<string, ItemInfo[]>();
  private readonly recent: string[] = [];

  constructor(items: Iterable<ItemInfo>) {
    for (const item of items) {
      for (const name of [item.label, ...item.aliases]) {
        const key = labelKey(name);
        const list = this.byKey.get(key) ?? [];
        if (!list.includes(item)) list.push(item);
        this.byKey.set(key, list);
      }
    }
  }

  resolve(label: string): ItemInfo | null {
    const candidates = this.byKey.get(labelKey(label)) ?? [];
    let chosen: ItemInfo | null = candidates.length === 1 ? (candidates[0] as ItemInfo) : null;
    if (candidates.length > 1) {
      // "Other services fees" after "Net revenue from Platform Services" is the Platform services line.
      // The last few items the prose named are the context; looking further back costs time and means nothing.
      for (let index = this.recent.length - 1; index >= Math.max(0, this.recent.length - RECENT_CONTEXT) && !chosen; index--) {
        chosen = candidates.find((candidate) => candidate.parent === this.recent[index]) ?? null;
      }
    }
    if (chosen) this.recent.push(chosen.id);
    return chosen;
  }
}

export function readNarrative(book: FactBook, paragraphs: readonly Paragraph[], quarter: ReleaseQuarter): NarrativeReading {
  const footnotes = readFootnotes(paragraphs);
  const statedRatios: StatedFigure[] = [];
  const failures: string[] = [];
  const items = new NarrativeItems(book.items.values());
  const matched = new Set<string>();
  const current = resolvePeriod("quarter", quarter, [] as unknown as RegExpExecArray);

  const add = (item: string, period: PeriodInfo, currency: Currency | null, captured: string, scale: NarrativeScale, sentence: string, line: number): void => {
    book.addPeriod(period);
    const { value, precision } = narrativeValue(captured, scale);
    book.addNarrative({
      item,
      period: period.id,
      currency,
      value,
      precision,
      basis: "narrative",
      source: { release: book.release, line, sentence, printed: printedFigure(captured, scale, currency) },
    });
  };

  for (const paragraph of paragraphs) {
    // Bullets ("- ") and footnote numbers ("3 Including …") are not part of the sentence.
    for (const sentence of sentences(paragraph.text.replace(/^- /, "").replace(/^\d{1,2} (?=[A-Z"])/, ""))) {
      try {
        readSentence(sentence, paragraph.line);
      } catch (error) {
        if (!(error instanceof NarrativeProblem)) throw error;
        failures.push(`line ${paragraph.line}: ${error.message}, in ${quoted(sentence)}`);
      }
    }
  }

  function readSentence(sentence: string, line: number): void {
    const result = RESTATED_RESULT.exec(sentence);
    if (result) {
      const item = items.resolve(result[1] as string);
      if (!item) {
        failures.push(`line ${line}: the narrative states "${result[1]}", which is no line item of the tables`);
        return;
      }
      add(item.id, current, "RMB", result[2] as string, "million", sentence, line);
      add(item.id, current, "USD", result[3] as string, "million", sentence, line);
      add(item.id, resolvePeriod("year_ago_quarter", quarter, result), "RMB", result[4] as string, "million", sentence, line);
      if (result[5]) add(item.id, resolvePeriod("prior_quarter", quarter, result), "RMB", result[5], "million", sentence, line);
      return;
    }
    const margin = STATED_MARGIN.exec(sentence);
    if (margin) {
      const item = items.resolve(margin[1] as string);
      if (!item) failures.push(`line ${line}: the narrative states "${margin[1]}", which is no margin of the tables`);
      else add(item.id, current, null, margin[2] as string, "percent", sentence, line);
      return;
    }
    const perAds = PER_ADS.exec(sentence);
    if (perAds) {
      const item = items.resolve(perAds[1] as string);
      if (!item) failures.push(`line ${line}: the narrative states "${perAds[1]}", which is no per-ADS line of the tables`);
      else {
        add(item.id, current, "RMB", perAds[2] as string, "unit", sentence, line);
        add(item.id, current, "USD", perAds[3] as string, "unit", sentence, line);
      }
      return;
    }
    const definition = NON_GAAP_DEFINITION.exec(sentence);
    if (definition) {
      const item = items.resolve(definition[1] as string);
      if (item) item.definition = sentence;
    }
    let read = false;
    for (const spec of NARRATIVE_SPECS) {
      const match = spec.pattern.exec(sentence);
      if (!match) {
        if (spec.cue.test(sentence)) {
          failures.push(`line ${line}: this reads like the ${spec.name} sentence but its figures cannot be read (a damaged figure or word?): ${quoted(sentence)}`);
          read = true;
        }
        continue;
      }
      read = true;
      matched.add(spec.name);
      for (const figure of spec.figures) addFigure(figure, match, sentence, line);
      for (const stated of spec.stated ?? []) {
        const { value, precision } = narrativeValue(match[Number(stated.group)] as string, "percent");
        const side = (of: StatedRatio["numerator"]): { item: string; period: string } => ({
          item: of.item,
          period: resolvePeriod(of.period, quarter, match).id,
        });
        statedRatios.push({ sentence, line, kind: stated.kind, numerator: side(stated.numerator), denominator: side(stated.denominator), value, precision });
      }
    }
    const family = read ? undefined : LOOSE_FAMILIES.find((candidate) => candidate.cue(sentence));
    if (family) {
      failures.push(`line ${line}: this reads like ${family.name} but cannot be read (a damaged figure or word?), so its checks would be lost: ${quoted(sentence)}; the form read is "${family.form}"`);
    }
  }

  function addFigure(figure: NarrativeFigure, match: RegExpExecArray, sentence: string, line: number): void {
    const item = book.item(figure.item);
    const currency = figure.currency ?? (item.unit === "amount" || item.unit === "per_share" ? "RMB" : null);
    add(figure.item, resolvePeriod(figure.period, quarter, match), currency, match[Number(figure.group)] as string, figure.scale, sentence, line);
  }

  for (const spec of NARRATIVE_SPECS) {
    if (spec.required && !matched.has(spec.name)) failures.push(`no sentence states the ${spec.name} (its wording changed or it was removed)`);
  }
  failures.push(...footnoteProblems(paragraphs));
  if (failures.length > 0) {
    throw new IngestError(failures.map((message) => ({ check: "narrative", status: "fail" as const, message: `Narrative: ${message}.` })));
  }
  return { footnotes, statedRatios };
}
