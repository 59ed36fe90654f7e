/**
 * Item search for QFIN.ITEMS and the taskpane: every word typed must match somewhere (label, alias, id, path or
 * definition); matches in the label count most, so the line an analyst means comes first.
 */
import type { DatasetIndex } from "./dataset-index";
import { fullPath } from "./dataset-index";
import type { ItemInfo, StatementId } from "./model";
import { editDistance, words } from "./text-match";

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

/** Typos allowed in a word of this length: none for short words (they match too much), then one, then two. */
const allowedTypos = (length: number): number => (length < 4 ? 0 : length < 7 ? 1 : 2);

/** Every word the search looks at, once per dataset. */
function vocabulary(index: DatasetIndex): string[] {
  return index.memo("search-vocabulary", () => {
    const set = new Set<string>();
    for (const item of index.itemsById.values()) {
      for (const field of FIELD_WEIGHTS) for (const word of words(field.text(item))) set.add(word);
    }
    return [...set].sort();
  });
}

/**
 * The nearest word the items use for a typed word, or the word itself when it already matches something. A word still
 * being typed (the last one) is also compared with word beginnings, so "revn" already finds "revenue".
 *
 * @example
 * correctWord(index, "revnue", false) // "revenue"
 * correctWord(index, "delinq", true)  // "delinq" (a prefix of "delinquency": the search finds it)
 */
export function correctWord(index: DatasetIndex, word: string, beingTyped: boolean): string {
  const known = vocabulary(index);
  if (known.some((candidate) => candidate.startsWith(word) || (word.length >= 3 && candidate.includes(word)))) return word;
  const allowed = allowedTypos(word.length);
  if (allowed === 0) return word;
  let best = word;
  let bestDistance = allowed + 1;
  for (const candidate of known) {
    if (Math.abs(candidate.length - word.length) > allowed && !beingTyped) continue;
    let distance = editDistance(word, candidate);
    if (beingTyped && candidate.length > word.length) distance = Math.min(distance, editDistance(word, candidate.slice(0, word.length)));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export interface ForgivingSearch {
  items: ItemInfo[];
  /** The query the items answer when a word had to be corrected and nothing matched as typed, else null. */
  correctedQuery: string | null;
}

/**
 * `searchItems`, forgiving typos: a word that matches nothing is replaced by the nearest word the items use
 * ("revnue" → "revenue") and the search runs again; exact matches keep their place before corrected ones.
 * `typing` says the last word may be unfinished (search as you type).
 *
 * @example
 * searchItemsForgiving(index, "total net revnue").items[0].label // "Total net revenue"
 */
export function searchItemsForgiving(index: DatasetIndex, query: string, statement: StatementId | null = null, typing = false): ForgivingSearch {
  const typed = words(query.slice(0, MAX_QUERY_LENGTH));
  const exact = searchItems(index, query, statement);
  if (typed.length === 0) return { items: exact, correctedQuery: null };
  const corrected = typed.map((word, position) => correctWord(index, word, typing && position === typed.length - 1));
  const correctedQuery = corrected.join(" ");
  const changed = correctedQuery !== typed.join(" ");
  const items = [...exact];
  if (changed) for (const item of searchItems(index, correctedQuery, statement)) if (!items.includes(item)) items.push(item);
  return { items, correctedQuery: changed && exact.length === 0 ? correctedQuery : null };
}
