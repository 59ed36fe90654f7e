/**
 * Item search for QFIN.ITEMS and the taskpane: every word typed must match somewhere (label, the analyst vocabulary,
 * the release's other names, id, path); matches in the label count most, a query that is a line's own name or term
 * ("revenue", "EPS", "S&M") puts that line first, and headline lines (totals) come before their components. Small
 * words ("from", "of", "in") are ignored, plurals match singulars. The definitions are searched only when no line
 * matches otherwise, so a word in a footnote does not pull in lines that share nothing else with the query.
 */
import type { DatasetIndex } from "./dataset-index";
import { fullPath } from "./dataset-index";
import type { ItemInfo, StatementId } from "./model";
import { vocabularyOf } from "./resolve-item";
import { editDistance, labelKey, singular, termKey, words } from "./text-match";

interface Field {
  weight: number;
  text: (item: ItemInfo, index: DatasetIndex) => string;
}

const FIELDS: readonly Field[] = [
  { weight: 8, text: (item) => item.label },
  { weight: 7, text: (item, index) => [vocabularyOf(index, item)?.short ?? "", ...(vocabularyOf(index, item)?.terms ?? [])].join(" ") },
  { weight: 6, text: (item) => item.aliases.join(" ") },
  { weight: 4, text: (item) => item.id.replace(/[._]/g, " ") },
  { weight: 3, text: (item) => fullPath(item).join(" ") },
];
const DEFINITION: Field = { weight: 1, text: (item) => item.definition ?? "" };

/** Words that carry no meaning for finding a line ("a" is kept: it is the A of G&A). */
const STOP_WORDS: ReadonlySet<string> = new Set(["from", "of", "in", "the", "an", "to", "for", "by", "on", "at", "used", "provided", "with"]);

/** The searchable words of a text: lower case, singular, small words left out. */
const searchWords = (text: string): string[] => words(text).map(singular).filter((word) => !STOP_WORDS.has(word));

/** The names a line answers to exactly: its label, its vocabulary terms and short name, its other names. */
function exactNames(item: ItemInfo, index: DatasetIndex): Set<string> {
  const entry = vocabularyOf(index, item);
  return new Set([item.label, ...item.aliases, ...(entry?.terms ?? []), ...(entry?.short ? [entry.short] : [])].flatMap((name) => [labelKey(name), termKey(name)]));
}

function score(item: ItemInfo, index: DatasetIndex, queryWords: string[], query: string, fields: readonly Field[]): number {
  let total = 0;
  for (const queryWord of queryWords) {
    let best = 0;
    // A single letter among other words is an abbreviation's part ("S&M", "G&A"), not the start of a word.
    const prefixes = queryWord.length > 1 || queryWords.length === 1;
    for (const field of fields) {
      const fieldWords = searchWords(field.text(item, index));
      if (fieldWords.includes(queryWord)) best = Math.max(best, field.weight * 2);
      else if (prefixes && fieldWords.some((word) => word.startsWith(queryWord))) best = Math.max(best, field.weight * 1.5);
      else if (queryWord.length >= 3 && fieldWords.some((word) => word.includes(queryWord))) best = Math.max(best, field.weight);
    }
    if (best === 0) return 0;
    total += best;
  }
  // A line's own name goes first; a total before the lines it adds up; then fewer extra words before more.
  const names = exactNames(item, index);
  if (names.has(labelKey(query)) || names.has(termKey(query))) total += 100;
  if (item.components.length > 0) total += 3;
  return total - searchWords(item.label).length * 0.1;
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
  const text = query.slice(0, MAX_QUERY_LENGTH);
  // Every word must match, so a query of more words than any item has can match nothing; don't score 5,000 of them.
  const queryWords = [...new Set(searchWords(text))];
  if (queryWords.length === 0) return words(text).length === 0 ? pool.sort(byReleaseOrder) : [];
  const ranked = (fields: readonly Field[]): ItemInfo[] =>
    pool
      .map((item) => ({ item, score: score(item, index, queryWords, text, fields) }))
      .filter((entry) => entry.score > 0)
      .sort((a, b) => b.score - a.score || byReleaseOrder(a.item, b.item))
      .map((entry) => entry.item);
  const found = ranked(FIELDS);
  return found.length > 0 ? found : ranked([...FIELDS, DEFINITION]);
}

/** Typos allowed in a word of this length: none for short words (they match too much), then one, then two. */
const allowedTypos = (length: number): number => (length < 4 ? 0 : length < 7 ? 1 : 2);

/** Every word the search looks at, once per dataset. */
function vocabulary(index: DatasetIndex): string[] {
  return index.memo("search-vocabulary", () => {
    const set = new Set<string>();
    for (const item of index.itemsById.values()) {
      for (const field of [...FIELDS, DEFINITION]) for (const word of searchWords(field.text(item, index))) set.add(word);
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
  const typed = searchWords(query.slice(0, MAX_QUERY_LENGTH));
  const exact = searchItems(index, query, statement);
  if (typed.length === 0) return { items: exact, correctedQuery: null };
  // A word typed again (a paste of one phrase many times) is corrected once: each correction compares the word with
  // every word of the data, and 80 copies of one word in a pasted cell cost 0.1–0.3 s.
  const corrections = new Map<string, string>();
  const corrected = typed.map((word, position) => {
    const beingTyped = typing && position === typed.length - 1;
    const key = `${beingTyped ? "…" : ""}${word}`;
    let correction = corrections.get(key);
    if (correction === undefined) corrections.set(key, (correction = correctWord(index, word, beingTyped)));
    return correction;
  });
  const correctedQuery = corrected.join(" ");
  const changed = correctedQuery !== typed.join(" ");
  const items = [...exact];
  if (changed) for (const item of searchItems(index, correctedQuery, statement)) if (!items.includes(item)) items.push(item);
  return { items, correctedQuery: changed && exact.length === 0 ? correctedQuery : null };
}
