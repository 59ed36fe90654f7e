/**
 * Turns what an analyst types into one line item, in this order: an id; a `Parent > Label` path (any tail of it); the
 * release's label (case, space and punctuation insensitive); a term of the analyst vocabulary ("EPS", "S&M", "90+
 * DPD"); a name the release itself uses (the dataset's aliases); then the same names with plurals, "&" and a trailing
 * "expenses" normalised ("Net revenues", "Selling & marketing expenses"). Never guesses: a name several lines share is
 * refused with every candidate written as something the user can type; a term the release does not report says so,
 * with the related lines it does; anything else gets the nearest names as suggestions.
 */
import { CellError, ErrorType } from "./cell";
import type { ItemInfo } from "./model";
import { fullPath, pathKey, remember, type DatasetIndex } from "./dataset-index";
import { labelKey, nameDistance, termKey, withoutExpense } from "./text-match";
import { Messages } from "./messages";
import { NOT_REPORTED, VOCABULARY, type ItemTerms, type UnreportedTerm } from "./vocabulary";

const MAX_SUGGESTIONS = 3;

/** Splits a typed path at `>` (also `›` and `»`, which some fonts and keyboards produce); linear in the text's length. */
const splitPath = (typed: string): string[] => typed.split(/[>›»]/).map((part) => part.trim()).filter((part) => part !== "");

/** The vocabulary and the release's names of one dataset, keyed for lookup (built once per index). */
interface NameTables {
  /** Vocabulary terms by labelKey: each names one item. */
  terms: Map<string, ItemInfo>;
  /** Every label, alias and term by termKey (and without a trailing "expense"): possibly several items. */
  normalised: Map<string, ItemInfo[]>;
  /** Unreported terms by labelKey and termKey. */
  unreported: Map<string, UnreportedTerm>;
  /** Each item's vocabulary entry. */
  entries: Map<string, ItemTerms>;
}

function nameTables(index: DatasetIndex): NameTables {
  return index.memo("name-tables", () => {
    const tables: NameTables = { terms: new Map(), normalised: new Map(), unreported: new Map(), entries: new Map() };
    const addNormalised = (name: string, item: ItemInfo): void => {
      const key = termKey(name);
      for (const form of [key, withoutExpense(key)]) {
        if (form === null || form === "") continue;
        const list = tables.normalised.get(form);
        if (list === undefined) tables.normalised.set(form, [item]);
        else if (!list.includes(item)) list.push(item);
      }
    };
    for (const entry of VOCABULARY) {
      const item = index.itemsById.get(entry.item);
      if (item === undefined) continue;
      tables.entries.set(item.id, entry);
      // The short name is a term too: a label the pane or a spill shows can be typed back.
      for (const term of entry.short === undefined ? entry.terms : [...entry.terms, entry.short]) {
        tables.terms.set(labelKey(term), item);
        addNormalised(term, item);
      }
    }
    for (const item of index.itemsById.values()) for (const name of [item.label, ...item.aliases]) addNormalised(name, item);
    for (const entry of NOT_REPORTED) {
      for (const term of entry.terms) {
        tables.unreported.set(labelKey(term), entry);
        tables.unreported.set(termKey(term), entry);
      }
    }
    return tables;
  });
}

/** The vocabulary's entry for an item (its short name, terms and any convention note), if it has one. */
export function vocabularyOf(index: DatasetIndex, item: ItemInfo): ItemTerms | undefined {
  return nameTables(index).entries.get(item.id);
}

/**
 * The short name analysts know a line by ("Diluted EPS (ADS)"): the vocabulary's, else the release's label.
 *
 * @example
 * shortName(index, index.itemsById.get("ops.net_income_per_ads_diluted")!) // "Diluted EPS (ADS)"
 */
export function shortName(index: DatasetIndex, item: ItemInfo): string {
  return vocabularyOf(index, item)?.short ?? item.label;
}

/** Exact names: id, path, label, vocabulary term, alias (in that order of authority). */
function candidatesFor(index: DatasetIndex, typed: string): ItemInfo[] {
  const byId = index.itemsById.get(typed.trim().toLowerCase());
  if (byId !== undefined) return [byId];
  const parts = splitPath(typed);
  if (parts.length > 1) return index.itemsByPath.get(pathKey(parts)) ?? [];
  const key = labelKey(typed);
  const byLabel = index.itemsByLabel.get(key);
  if (byLabel !== undefined) return byLabel;
  const byTerm = nameTables(index).terms.get(key);
  if (byTerm !== undefined) return [byTerm];
  return index.itemsByAlias.get(key) ?? [];
}

/** Names that match once plurals, "&" and a trailing "expenses" are normalised. */
function normalisedCandidates(index: DatasetIndex, typed: string): ItemInfo[] {
  const tables = nameTables(index);
  const key = termKey(typed);
  const found = tables.normalised.get(key);
  if (found !== undefined) return found;
  const shorter = withoutExpense(key);
  return shorter === null ? [] : (tables.normalised.get(shorter) ?? []);
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

/**
 * The name a formula writes for an item (Insert, Link this workbook, the trace): the short name analysts know when it
 * resolves to this item alone (every vocabulary name does), else the shortest `Parent > Label` path that does (or
 * the id).
 *
 * @example
 * itemFormulaName(index, dilutedEpsPerAds) // "Diluted EPS (ADS)" rather than "Net income per ADS attributable to … > Diluted"
 */
export function itemFormulaName(index: DatasetIndex, item: ItemInfo): string {
  const short = shortName(index, item);
  const resolved = resolveItem(index, short);
  return !(resolved instanceof CellError) && resolved.id === item.id ? short : typeableName(index, item);
}

/** Longer than any label or path: a paste gone wrong, not a misspelling worth suggesting for. */
const MAX_SUGGESTIBLE_LENGTH = 200;
/** Far longer than any label, alias or path with its parents: not looked up at all. */
const MAX_ITEM_TEXT_LENGTH = 1_000;

/** An acronym typed in capitals (FCF, ROE, NPL) is not a misspelling of a label: it gets no fuzzy suggestions. */
const ACRONYM = /^[A-Z0-9&+/]{2,6}$/;

function suggestions(index: DatasetIndex, typed: string): string[] {
  if (typed.length > MAX_SUGGESTIBLE_LENGTH || ACRONYM.test(typed.trim())) return [];
  const scored: { item: ItemInfo; distance: number }[] = [];
  for (const item of index.itemsById.values()) {
    let best: number | null = null;
    for (const name of [item.label, ...item.aliases, ...(vocabularyOf(index, item)?.terms ?? []), fullPath(item).join(" ")]) {
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

/**
 * Every item a name could mean, by the rules `resolveItem` applies (exact names first, then normalised ones): one item
 * when the name resolves, several when it is ambiguous, none when it is unknown. For callers that weigh the candidates
 * of an ambiguous label against other evidence (retrofit checks each one's figure); a name alone never picks one.
 *
 * @example
 * itemCandidates(index, "Other services fees").map((item) => item.id)
 * // ["ops.credit_driven_services.other_services_fees", "ops.platform_services.other_services_fees"]
 */
export function itemCandidates(index: DatasetIndex, typed: string): ItemInfo[] {
  if (typed.trim() === "" || typed.trim().length > MAX_ITEM_TEXT_LENGTH) return [];
  const found = candidatesFor(index, typed);
  return found.length === 0 && splitPath(typed).length <= 1 ? normalisedCandidates(index, typed) : found;
}

/**
 * The vocabulary's entry for a term the release does not report ("FCF", "EBITDA", "tax rate"), if the text is one.
 *
 * @example
 * unreportedTerm(index, "EBITDA")?.what // "EBITDA and D&A"
 */
export function unreportedTerm(index: DatasetIndex, typed: string): UnreportedTerm | undefined {
  const tables = nameTables(index);
  return tables.unreported.get(labelKey(typed)) ?? tables.unreported.get(termKey(typed));
}

function resolveUncached(index: DatasetIndex, typed: string): ItemInfo | CellError {
  if (typed.trim() === "") return new CellError(ErrorType.VALUE, Messages.itemMissing);
  // A label padded with spaces (a cell formatted that way) still resolves; a page of text does not.
  if (typed.trim().length > MAX_ITEM_TEXT_LENGTH) return new CellError(ErrorType.NA, Messages.unknownItem(typed.trim(), []));
  const found = itemCandidates(index, typed);
  if (found.length === 1) return found[0] as ItemInfo;
  if (found.length > 1) {
    return new CellError(ErrorType.VALUE, Messages.ambiguousItem(typed.trim(), found.map((item) => typeableName(index, item))));
  }
  const unreported = unreportedTerm(index, typed);
  if (unreported !== undefined) {
    const related = unreported.related.flatMap((id) => {
      const item = index.itemsById.get(id);
      return item === undefined ? [] : [typeableName(index, item)];
    });
    return new CellError(ErrorType.NA, Messages.notReportedTerm(typed.trim(), unreported.what, related, unreported.hint ?? null));
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
