/**
 * Item search for QFIN.ITEMS and the taskpane: every word typed must match somewhere (label, alias, id, path or
 * definition); matches in the label count most, so the line an analyst means comes first.
 */
import type { DatasetIndex } from "./dataset-index";
import { fullPath } from "./dataset-index";
import type { ItemInfo, StatementId } from "./model";
import { words } from "./text-match";

const FIELD_WEIGHTS: { weight: number; text: (item: ItemInfo) => string }[] = [
  { weight: 8, text: (item) => item.label },
  { weight: 6, text: (item) => item.aliases.join(" ") },
  { weight: 4, text: (item) => item.id.replace(/[._]/g, " ") },
  { weight: 3, text: (item) => fullPath(item).join(" ") },
  { weight: 1, text: (item) => item.definition ?? "" },
];

function score(item: ItemInfo, queryWords: string[]): number {
  let total = 0;
  for (const queryWord of queryWords) {
    let best = 0;
    for (const field of FIELD_WEIGHTS) {
      const fieldWords = words(field.text(item));
      if (fieldWords.includes(queryWord)) best = Math.max(best, field.weight * 2);
      else if (fieldWords.some((word) => word.startsWith(queryWord))) best = Math.max(best, field.weight * 1.5);
      else if (queryWord.length >= 3 && fieldWords.some((word) => word.includes(queryWord))) best = Math.max(best, field.weight);
    }
    if (best === 0) return 0;
    total += best;
  }
  // An exact label match goes first.
  if (words(item.label).join(" ") === queryWords.join(" ")) total += 100;
  return total;
}

/** Far longer than any label with its definition; the rest of a longer query is ignored. */
const MAX_QUERY_LENGTH = 500;

/**
 * Items matching every word of the query, best first (ties in the release's order); every item for an empty query.
 *
 * @example
 * searchItems(index, "delinquency").map((item) => item.id) // ["kpi.90_day_delinquency_rate", …]
 */
export function searchItems(index: DatasetIndex, query: string, statement: StatementId | null = null): ItemInfo[] {
  const statementOrder = (item: ItemInfo): number => index.statementsById.get(item.statement)?.order ?? 0;
  const pool = [...index.itemsById.values()].filter((item) => statement === null || item.statement === statement);
  const byReleaseOrder = (a: ItemInfo, b: ItemInfo): number => statementOrder(a) - statementOrder(b) || a.order - b.order;
  // Every word must match, so a query of more words than any item has can match nothing; don't score 5,000 of them.
  const queryWords = [...new Set(words(query.slice(0, MAX_QUERY_LENGTH)))];
  if (queryWords.length === 0) return pool.sort(byReleaseOrder);
  return pool
    .map((item) => ({ item, score: score(item, queryWords) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || byReleaseOrder(a.item, b.item))
    .map((entry) => entry.item);
}
