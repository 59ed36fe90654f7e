/**
 * Search as you type: the core's forgiving search (`searchItemsForgiving`, the same one QFIN.ITEMS uses), with each
 * hit's place in the statements for the result list.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { fullPath } from "../core/dataset-index";
import type { ItemInfo } from "../core/model";
import { shortName } from "../core/resolve-item";
import { searchItemsForgiving } from "../core/search-items";
import { words } from "../core/text-match";
import { statementName } from "../core/statements";

export interface SearchHit {
  item: ItemInfo;
  /** The short name analysts know the line by ("Diluted EPS (ADS)"), the release's label where there is none. */
  title: string;
  /** Where the item sits, to tell duplicate labels apart: "Operations · Platform services". */
  context: string;
}

export interface SearchResult {
  hits: SearchHit[];
  /** The query the hits answer when some word was corrected ("total net revenue"), else null. */
  correctedQuery: string | null;
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
  if (words(query).length === 0) return { hits: [], correctedQuery: null };
  const { items, correctedQuery } = searchItemsForgiving(index, query, null, !/\s$/.test(query));
  return { hits: items.slice(0, limit).map((item) => ({ item, title: shortName(index, item), context: itemContext(item) })), correctedQuery };
}
