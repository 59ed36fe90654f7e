/**
 * The ratios the release states, as data: growth rates and shares its prose gives ("an increase of 14.9%",
 * "representing 57.8% of the total") and the margins its reconciliation tables print (GAAP net income margin 27.9%),
 * each tied to the figures it relates and to where it is printed. QFIN.GROWTH and QFIN.MARGIN answer with them;
 * the tie-out checks have already confirmed each against the figures within the rounding its inputs allow.
 */
import type { StatedRatio } from "../core/model";
import { TABLES } from "./catalogue";
import type { FactBook } from "./fact-book";
import type { NarrativeReading } from "./narrative";

/** One stated ratio per question (kind, item, period, base): the most precise statement, the first at a tie. */
export function statedRatios(book: FactBook, narrative: NarrativeReading): StatedRatio[] {
  const chosen = new Map<string, StatedRatio>();
  const offer = (ratio: StatedRatio): void => {
    const key = [ratio.kind, ratio.item, ratio.period, ratio.base.item, ratio.base.period].join("|");
    const earlier = chosen.get(key);
    if (earlier === undefined || ratio.precision > earlier.precision) chosen.set(key, ratio);
  };
  // Margins first: a printed table figure is as precise as the prose and says where it sits.
  for (const row of TABLES.flatMap((table) => table.rows)) {
    if (!row.ratioOf) continue;
    const [numerator, denominator] = row.ratioOf;
    for (const fact of book.exact.values()) {
      if (fact.item !== row.id || fact.basis !== "reported") continue;
      offer({ kind: "margin", item: numerator, period: fact.period, base: { item: denominator, period: fact.period }, value: fact.value, precision: fact.precision, source: fact.source });
    }
  }
  for (const stated of narrative.statedRatios) {
    offer({
      kind: stated.kind,
      item: stated.numerator.item,
      period: stated.numerator.period,
      base: stated.denominator,
      value: stated.value,
      precision: stated.precision,
      source: { release: book.release, line: stated.line, sentence: stated.sentence },
    });
  }
  return [...chosen.values()];
}
