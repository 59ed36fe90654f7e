/**
 * Turns what an analyst types into one line item: an id, the release's label (case, space and punctuation
 * insensitive), a `Parent > Label` path (any tail of it), or an alias. Never guesses: an ambiguous label is refused
 * with every candidate written as something the user can type, an unknown one with the nearest names.
 */
import { CellError, ErrorType } from "./cell";
import type { ItemInfo } from "./model";
import { fullPath, pathKey, remember, type DatasetIndex } from "./dataset-index";
import { labelKey, nameDistance } from "./text-match";
import { Messages } from "./messages";

const MAX_SUGGESTIONS = 3;

/** Splits a typed path at `>` (also `›` and `»`, which some fonts and keyboards produce); linear in the text's length. */
const splitPath = (typed: string): string[] => typed.split(/[>›»]/).map((part) => part.trim()).filter((part) => part !== "");

function candidatesFor(index: DatasetIndex, typed: string): ItemInfo[] {
  const byId = index.itemsById.get(typed.trim().toLowerCase());
  if (byId !== undefined) return [byId];
  const parts = splitPath(typed);
  if (parts.length > 1) return index.itemsByPath.get(pathKey(parts)) ?? [];
  const key = labelKey(typed);
  const byLabel = index.itemsByLabel.get(key);
  if (byLabel !== undefined) return byLabel;
  return index.itemsByAlias.get(key) ?? [];
}

/**
 * The shortest `Parent > Label` text that names this item alone (the id when even the full path is shared).
 *
 * @example
 * typeableName(index, index.itemsById.get("ops.platform_services.other_services_fees")!) // "Platform services > Other services fees"
 * typeableName(index, index.itemsById.get("ops.net_income")!)                            // "Net income"
 */
export function typeableName(index: DatasetIndex, item: ItemInfo): string {
  const path = fullPath(item);
  for (let length = 1; length <= path.length; length++) {
    const tail = path.slice(path.length - length);
    const found = candidatesFor(index, tail.join(" > "));
    if (found.length === 1 && found[0] === item) return tail.join(" > ");
  }
  return item.id;
}

/** Longer than any label or path: a paste gone wrong, not a misspelling worth suggesting for. */
const MAX_SUGGESTIBLE_LENGTH = 200;
/** Far longer than any label, alias or path with its parents: not looked up at all. */
const MAX_ITEM_TEXT_LENGTH = 1_000;

function suggestions(index: DatasetIndex, typed: string): string[] {
  if (typed.length > MAX_SUGGESTIBLE_LENGTH) return [];
  const scored: { item: ItemInfo; distance: number }[] = [];
  for (const item of index.itemsById.values()) {
    let best: number | null = null;
    for (const name of [item.label, ...item.aliases, fullPath(item).join(" ")]) {
      const distance = nameDistance(typed, name);
      if (distance !== null && (best === null || distance < best)) best = distance;
    }
    if (best !== null) scored.push({ item, distance: best });
  }
  scored.sort((a, b) => a.distance - b.distance || a.item.order - b.item.order);
  // Only the closest tier (and one step behind it): one clear suggestion beats three vague ones.
  const cutoff = scored.length > 0 ? scored[0].distance + 1 : 0;
  const names: string[] = [];
  for (const { item } of scored.filter((entry) => entry.distance <= cutoff)) {
    const name = typeableName(index, item);
    if (!names.includes(name)) names.push(name);
    if (names.length === MAX_SUGGESTIONS) break;
  }
  return names;
}

function resolveUncached(index: DatasetIndex, typed: string): ItemInfo | CellError {
  if (typed.trim() === "") return new CellError(ErrorType.VALUE, Messages.itemMissing);
  // A label padded with spaces (a cell formatted that way) still resolves; a page of text does not.
  if (typed.trim().length > MAX_ITEM_TEXT_LENGTH) return new CellError(ErrorType.NA, Messages.unknownItem(typed.trim(), []));
  const found = candidatesFor(index, typed);
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    return new CellError(ErrorType.VALUE, Messages.ambiguousItem(typed.trim(), found.map((item) => typeableName(index, item))));
  }
  return new CellError(ErrorType.NA, Messages.unknownItem(typed.trim(), suggestions(index, typed)));
}

const newResolutionMemo = (): Map<string, ItemInfo | CellError> => new Map();

/**
 * Resolves typed text to an item, or a CellError: `#VALUE!` when ambiguous (listing each candidate as a path),
 * `#N/A` when unknown (with up to three suggestions).
 *
 * @example
 * resolveItem(index, "net income").id                                  // "ops.net_income"
 * resolveItem(index, "Platform services > Other services fees").id     // "ops.platform_services.other_services_fees"
 * resolveItem(index, "Other services fees").toString()
 * // '#VALUE! "Other services fees" is ambiguous: it could be "Credit driven services > Other services fees" or "Platform services > Other services fees". Type the one you mean.'
 * resolveItem(index, "Revenu").toString() // '#N/A Unknown line item "Revenu"; did you mean "Total net revenue"?'
 */
export function resolveItem(index: DatasetIndex, typed: string): ItemInfo | CellError {
  const memo = index.memo("item-resolutions", newResolutionMemo);
  const cached = memo.get(typed);
  if (cached !== undefined) return cached;
  const resolved = resolveUncached(index, typed);
  remember(memo, typed, resolved);
  return resolved;
}
