/**
 * Lookup tables over a loaded dataset, built once per dataset so every function call is a few Map lookups
 * (METRIC recalculates thousands of times in a model; no call scans the fact list).
 */
import type { Currency, Dataset, Fact, FactBasis, ItemInfo, PeriodInfo, PeriodType, ReleaseInfo, StatementId, StatementInfo } from "./model";
import { labelKey } from "./text-match";
import type { CellError } from "./cell";

/** The key of a fact in `DatasetIndex.facts`. */
export const factKey = (item: string, period: string, currency: Currency | null): string => `${item}|${period}|${currency ?? ""}`;

/** The key of a `Parent > Label` path (any suffix of an item's full path). */
export const pathKey = (parts: readonly string[]): string => parts.map(labelKey).join(">");

const PERIOD_TYPE_ORDER: Record<PeriodType, number> = { quarter: 0, half: 1, nine_months: 2, year: 3, instant: 4 };
const BASIS_RANK: Record<FactBasis, number> = { reported: 0, derived: 1, narrative: 2 };

/** Oldest first; at one end date, the shorter period first (Q2 before H1), as analysts lay out columns. */
export function comparePeriods(a: PeriodInfo, b: PeriodInfo): number {
  return a.end.localeCompare(b.end) || PERIOD_TYPE_ORDER[a.type] - PERIOD_TYPE_ORDER[b.type] || a.id.localeCompare(b.id);
}

/** The labels an item can be reached by, from the top: the section heading when the path does not start with it. */
export function fullPath(item: ItemInfo): string[] {
  if (item.section !== null && labelKey(item.section) !== labelKey(item.path[0] ?? "")) return [item.section, ...item.path];
  return item.path;
}

const last = <T>(list: readonly T[]): T | undefined => list[list.length - 1];

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

export class DatasetIndex {
  readonly itemsById = new Map<string, ItemInfo>();
  readonly itemsByLabel = new Map<string, ItemInfo[]>();
  readonly itemsByAlias = new Map<string, ItemInfo[]>();
  readonly itemsByPath = new Map<string, ItemInfo[]>();
  readonly itemsByStatement = new Map<StatementId, ItemInfo[]>();
  readonly periodsById = new Map<string, PeriodInfo>();
  readonly periodsByItem = new Map<string, PeriodInfo[]>();
  readonly statementsById = new Map<StatementId, StatementInfo>();
  readonly releasesById = new Map<string, ReleaseInfo>();
  /** The best fact for each item, period and currency (see `betterFact`). */
  readonly facts = new Map<string, Fact>();
  /** Every period, oldest first. */
  readonly periods: PeriodInfo[];
  readonly latestRelease: ReleaseInfo;
  readonly latestQuarter: PeriodInfo | null;
  readonly latestInstant: PeriodInfo | null;
  /** Memo of item resolution by typed text: recalculation asks the same questions again and again. */
  readonly itemResolutions = new Map<string, ItemInfo | CellError>();

  constructor(readonly dataset: Dataset) {
    for (const release of dataset.releases) this.releasesById.set(release.id, release);
    this.latestRelease = last([...dataset.releases].sort((a, b) => a.date.localeCompare(b.date))) as ReleaseInfo;
    for (const statement of dataset.statements) this.statementsById.set(statement.id, statement);
    for (const period of dataset.periods) this.periodsById.set(period.id, period);
    this.periods = [...dataset.periods].sort(comparePeriods);
    this.latestQuarter = last(this.periods.filter((p) => p.type === "quarter")) ?? null;
    // Balances are reported at quarter ends; a stray date in the narrative ("repurchased … to August 18, 2023") must
    // not become "latest" for the balance sheet and KPIs.
    const instants = this.periods.filter((p) => p.type === "instant");
    this.latestInstant = last(instants.filter((p) => /-(03-31|06-30|09-30|12-31)$/.test(p.id))) ?? last(instants) ?? null;

    for (const item of [...dataset.items].sort((a, b) => a.order - b.order)) {
      this.itemsById.set(item.id, item);
      pushTo(this.itemsByLabel, labelKey(item.label), item);
      for (const alias of item.aliases) pushTo(this.itemsByAlias, labelKey(alias), item);
      const path = fullPath(item);
      for (let start = 0; start < path.length - 1; start++) pushTo(this.itemsByPath, pathKey(path.slice(start)), item);
      pushTo(this.itemsByStatement, item.statement, item);
    }

    const periodsOfItem = new Map<string, Set<string>>();
    for (const fact of dataset.facts) {
      const key = factKey(fact.item, fact.period, fact.currency);
      const current = this.facts.get(key);
      if (current === undefined || this.betterFact(fact, current)) this.facts.set(key, fact);
      let periods = periodsOfItem.get(fact.item);
      if (periods === undefined) periodsOfItem.set(fact.item, (periods = new Set()));
      periods.add(fact.period);
    }
    for (const [item, ids] of periodsOfItem) {
      this.periodsByItem.set(item, [...ids].map((id) => this.periodsById.get(id) as PeriodInfo).sort(comparePeriods));
    }
  }

  /**
   * Whether `candidate` should answer instead of `current`: the more precise figure (a table's thousands beat the
   * narrative's millions; a derived Q1 is exact to the thousand); then the newer release (a restatement); then a
   * printed figure over a computed one.
   */
  private betterFact(candidate: Fact, current: Fact): boolean {
    if (candidate.precision !== current.precision) return candidate.precision > current.precision;
    const candidateDate = this.releasesById.get(candidate.source.release)?.date ?? "";
    const currentDate = this.releasesById.get(current.source.release)?.date ?? "";
    if (candidateDate !== currentDate) return candidateDate > currentDate;
    return BASIS_RANK[candidate.basis] < BASIS_RANK[current.basis];
  }

  /** The best fact for an item, period and currency (null currency for counts, ratios, shares and months). */
  fact(item: string, period: string, currency: Currency | null): Fact | undefined {
    return this.facts.get(factKey(item, period, currency));
  }

  /** Periods with at least one figure for the item, oldest first (empty for headings). */
  periodsOf(item: string): PeriodInfo[] {
    return this.periodsByItem.get(item) ?? [];
  }

  /** Headings are items with no figure at all ("Current assets:", "Net income per ADS …"). */
  isHeading(item: ItemInfo): boolean {
    return !this.periodsByItem.has(item.id);
  }
}

/**
 * Builds the lookup tables for a validated dataset.
 *
 * @example
 * const index = buildIndex(loadDataset(json));
 * index.fact("ops.total_net_revenue", "2023Q2", "RMB")?.value // "3914324000"
 */
export function buildIndex(dataset: Dataset): DatasetIndex {
  return new DatasetIndex(dataset);
}
