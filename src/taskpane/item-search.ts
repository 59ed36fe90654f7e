/**
 * Search as you type, forgiving typos. The core's `searchItems` ranks items by where each word matches (label,
 * alias, id, path, definition); this adds the typo tolerance the pane needs: a word that matches nothing is
 * replaced by the nearest word the catalogue uses ("revnue" → "revenue") and the core ranks again. Exact matches
 * keep their place before corrected ones.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { fullPath } from "../core/dataset-index";
import type { ItemInfo } from "../core/model";
import { searchItems } from "../core/search-items";
import { editDistance, words } from "../core/text-match";
import { statementName } from "./catalog-tree";

export interface SearchHit {
  item: ItemInfo;
  /** Where the item sits, to tell duplicate labels apart: "Operations · Platform services". */
  context: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** The query the hits answer when some word was corrected ("total net revenue"), else null. */
  correctedQuery: string | null;
}

/** Typos allowed in a word of this length: none for short words (they match too much), then one, then two. */
const allowedTypos = (length: number): number => (length < 4 ? 0 : length < 7 ? 1 : 2);

const vocabularies = new WeakMap<DatasetIndex, string[]>();

/** Every word the search looks at, once per dataset. */
function vocabulary(index: DatasetIndex): string[] {
  let known = vocabularies.get(index);
  if (known === undefined) {
    const set = new Set<string>();
    for (const item of index.itemsById.values()) {
      const texts = [item.label, ...item.aliases, item.id.replace(/[._]/g, " "), ...fullPath(item), item.definition ?? ""];
      for (const text of texts) for (const word of words(text)) set.add(word);
    }
    known = [...set].sort();
    vocabularies.set(index, known);
  }
  return known;
}

/**
 * The nearest catalogue word to a typed word, or the word itself when it already matches something. The word being
 * typed (the last one) is also compared with word beginnings, so "revn" already finds "revenue".
 *
 * @example
 * correctWord(index, "revnue", false) // "revenue"
 * correctWord(index, "delinq", true)  // "delinq" (a prefix of "delinquency": the core finds it)
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

/** Where an item sits, in words: statement, then section and parents. */
export function itemContext(item: ItemInfo): string {
  const trail = fullPath(item).slice(0, -1);
  return [statementName(item.statement), ...trail].join(" · ");
}

/**
 * Items for a typed query, best first, each with its place. At most `limit` hits.
 *
 * @example
 * findItems(index, "delinquency").hits.map((hit) => hit.item.label) // ["Day-1 delinquency rate", "90 day+ delinquency rate", …]
 * findItems(index, "total net revnue").hits[0].item.label          // "Total net revenue" (correctedQuery "total net revenue")
 */
export function findItems(index: DatasetIndex, query: string, limit = 50): SearchResult {
  const typed = words(query);
  if (typed.length === 0) return { hits: [], correctedQuery: null };
  const exact = searchItems(index, query);
  const endsWithSpace = /\s$/.test(query);
  const corrected = typed.map((word, position) => correctWord(index, word, position === typed.length - 1 && !endsWithSpace));
  const correctedQuery = corrected.join(" ");
  const changed = correctedQuery !== typed.join(" ");
  const found = [...exact];
  if (changed) for (const item of searchItems(index, correctedQuery)) if (!found.includes(item)) found.push(item);
  return {
    hits: found.slice(0, limit).map((item) => ({ item, context: itemContext(item) })),
    correctedQuery: changed && exact.length === 0 ? correctedQuery : null,
  };
}
