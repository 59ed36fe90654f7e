/**
 * Lookup tables over a loaded dataset, built once per dataset so every function call is a few Map lookups
 * (METRIC recalculates thousands of times in a model; no call scans the fact list).
 */
import {
  FACT_BASES,
  PERIOD_TYPES,
  factKey,
  rankIn,
  type Currency,
  type Dataset,
  type Fact,
  type ItemInfo,
  type PeriodInfo,
  type ReleaseInfo,
  type StatedKind,
  type StatedRatio,
  type StatementId,
  type StatementInfo,
} from "./model";
import { labelKey } from "./text-match";
import { Decimal, roundToPrecision } from "./decimal";
import { isQuarterEnd, parsePeriodId, type PeriodKey } from "./period-id";

/** Whether `value` rounded to `precision` is `rounded` (a coarser statement of the same figure). */
const roundsTo = (value: string, precision: number, rounded: string): boolean =>
  roundToPrecision(new Decimal(value), precision).eq(rounded);

/** The key of a `Parent > Label` path (any suffix of an item's full path). */
export const pathKey = (parts: readonly string[]): string => parts.map(labelKey).join(">");

/** Oldest first; at one end date, the shorter period first (Q2 before H1), as analysts lay out columns. */
export function comparePeriods(a: PeriodInfo, b: PeriodInfo): number {
  return compareText(a.end, b.end) || rankIn(PERIOD_TYPES, a.type) - rankIn(PERIOD_TYPES, b.type) || compareText(a.id, b.id);
}

/** Plain code-unit order (ISO dates and ids sort correctly by it; localeCompare is slower and locale-dependent). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Within a release and precision, a printed figure beats a derived one, which beats the narrative's. */
const basisRank = (fact: Fact): number => rankIn(FACT_BASES, fact.basis);

const statedKey = (kind: StatedKind, item: string, period: string, baseItem: string, basePeriod: string): string =>
  `${kind}|${item}|${period}|${baseItem}|${basePeriod}`;

/** A per-index cache must stay small: a recalculation asks a few thousand distinct questions, not millions. */
export const MEMO_LIMIT = 50_000;
/**
 * Past this length V8 stops hashing strings by content (Map lookups degrade to comparisons), and no label, period or
 * option is this long: such arguments are answered but not remembered.
 */
export const MEMO_KEY_LIMIT = 1_000;

/**
 * Remembers `value` under `key` in a per-index memo unless the memo is full or the key too long to hash well.
 *
 * @example
 * remember(index.memo("item-resolutions", () => new Map()), "Net income", netIncome)
 */
export function remember<K, V>(memo: Map<K, V>, key: K, value: V): void {
  if (memo.size >= MEMO_LIMIT) return;
  if (typeof key === "string" && key.length > MEMO_KEY_LIMIT) return;
  memo.set(key, value);
}

/** The labels an item can be reached by, from the top: the section heading when the path does not start with it. */
export function fullPath(item: ItemInfo): string[] {
  if (item.section !== null && labelKey(item.section) !== labelKey(item.path[0] ?? "")) return [item.section, ...item.path];
  return item.path;
}

const last = <T>(list: readonly T[]): T | undefined => list[list.length - 1];

/**
 * Which figures to see when releases disagree (a restatement): the latest (default), each figure as the release
 * `id` and those before it reported it, or each figure as it was first reported.
 */
export type AsOf = { kind: "latest" } | { kind: "release"; id: string } | { kind: "first" };
export const LATEST: AsOf = { kind: "latest" };

const asOfKey = (asOf: AsOf): string => (asOf.kind === "release" ? `release:${asOf.id}` : asOf.kind);

/**
 * The newest release by date (of two on one date, the later in the list): what a dataset is known by.
 *
 * @example
 * newestRelease([{ id: "2023Q2", date: "2023-08-21" }, { id: "2023Q3", date: "2023-11-20" }])?.id // "2023Q3"
 */
export function newestRelease<R extends { date: string }>(releases: readonly R[]): R | undefined {
  return last([...releases].sort((a, b) => compareText(a.date, b.date)));
}

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
  /** The best fact for each item, period and currency in the latest view (see `chooseFact`). */
  readonly facts = new Map<string, Fact>();
  /** Every fact for each item, period and currency, from every release. */
  private readonly factsByKey = new Map<string, Fact[]>();
  /** Point-in-time views, built on first use: as of a release, or as first reported. */
  private readonly views = new Map<string, Map<string, Fact>>();
  /** Every period, oldest first. */
  readonly periods: PeriodInfo[];
  readonly latestRelease: ReleaseInfo;
  readonly latestQuarter: PeriodInfo | null;
  readonly latestInstant: PeriodInfo | null;
  /** The stated ratios by question, the newest release's statement answering. */
  private readonly statedByKey = new Map<string, StatedRatio>();
  /** `facts` by item, period and currency: a lookup without building its key (the functions' hot path). */
  private readonly latestByItem = new Map<string, Map<string, Map<Currency | null, Fact>>>();
  /** The currencies each item has a figure in, for any period. */
  private readonly currenciesOfItem = new Map<string, Set<Currency>>();
  /** The key of every period the dataset has, parsed once from its id. */
  private readonly periodKeys = new Map<string, PeriodKey>();
  /** Structures derived from this dataset on first use (search vocabulary, item resolutions): see `memo`. */
  private readonly memos = new Map<string, unknown>();
  /**
   * Answers of function calls, by function id, kept by the catalogue's entry point (src/functions/invoke.ts): the one
   * memo every repeated Excel call reads, so it is a field rather than a named `memo` (one Map lookup fewer a call).
   */
  readonly callMemos = new Map<string, unknown>();

  /**
   * @param version the published data version (the first 12 hex digits of the dataset file's SHA-256), when known:
   *   QFIN.VERSION and the taskpane show it, so an analyst can tell which data a number came from.
   * @param revision 0, or which correction of its newest release the published dataset is (1, 2, …).
   */
  constructor(
    readonly dataset: Dataset,
    readonly version: string | null = null,
    readonly revision = 0,
  ) {
    for (const release of dataset.releases) this.releasesById.set(release.id, release);
    this.latestRelease = newestRelease(dataset.releases) as ReleaseInfo;
    for (const statement of dataset.statements) this.statementsById.set(statement.id, statement);
    for (const period of dataset.periods) {
      this.periodsById.set(period.id, period);
      const key = parsePeriodId(period.id);
      if (key === null) throw new Error(`internal: the loader let through a period id it cannot read: "${period.id}"`);
      this.periodKeys.set(period.id, key);
    }
    this.periods = [...dataset.periods].sort(comparePeriods);
    this.latestQuarter = last(this.periods.filter((p) => p.type === "quarter")) ?? null;
    // Balances are reported at quarter ends; a stray date in the narrative ("repurchased … to August 18, 2023") must
    // not become "latest" for the balance sheet and KPIs.
    const instants = this.periods.filter((p) => p.type === "instant");
    this.latestInstant = last(instants.filter((p) => isQuarterEnd(this.periodKey(p)))) ?? last(instants) ?? null;

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
      const list = this.factsByKey.get(key);
      if (list === undefined) this.factsByKey.set(key, [fact]);
      else list.push(fact);
      if (fact.currency !== null) {
        const currencies = this.currenciesOfItem.get(fact.item);
        if (currencies === undefined) this.currenciesOfItem.set(fact.item, new Set([fact.currency]));
        else currencies.add(fact.currency);
      }
    }
    for (const [key, facts] of this.factsByKey) {
      const chosen = this.chooseFact(facts);
      this.facts.set(key, chosen);
      let byPeriod = this.latestByItem.get(chosen.item);
      if (byPeriod === undefined) this.latestByItem.set(chosen.item, (byPeriod = new Map()));
      let byCurrency = byPeriod.get(chosen.period);
      if (byCurrency === undefined) byPeriod.set(chosen.period, (byCurrency = new Map()));
      byCurrency.set(chosen.currency, chosen);
    }
    this.views.set(asOfKey(LATEST), this.facts);
    for (const fact of dataset.facts) {
      let periods = periodsOfItem.get(fact.item);
      if (periods === undefined) periodsOfItem.set(fact.item, (periods = new Set()));
      periods.add(fact.period);
    }
    for (const ratio of dataset.stated ?? []) {
      const key = statedKey(ratio.kind, ratio.item, ratio.period, ratio.base.item, ratio.base.period);
      const earlier = this.statedByKey.get(key);
      const date = (r: StatedRatio): string => this.releasesById.get(r.source.release)?.date ?? "";
      if (earlier === undefined || date(ratio) > date(earlier)) this.statedByKey.set(key, ratio);
    }
    // The dataset's periods are sorted once; each item's are those, in the same order.
    for (const [item, ids] of periodsOfItem) this.periodsByItem.set(item, this.periods.filter((period) => ids.has(period.id)));
  }

  private releaseDate(fact: Fact): string {
    return this.releasesById.get(fact.source.release)?.date ?? "";
  }

  /**
   * The fact that answers among several for one item, period and currency. Within a release: the more precise
   * figure (a table's thousands beat the narrative's millions; a derived Q1 is exact to the thousand), then a printed
   * figure over a computed one. Across releases: the newest release's figure (a restatement) — unless it only
   * repeats an older, more precise figure at its own precision (a later narrative's "RMB1,093.4 million" does not
   * make the earlier table's 1,093,377 thousand less exact).
   */
  private chooseFact(facts: readonly Fact[]): Fact {
    if (facts.length === 1) return facts[0] as Fact;
    const best = (candidates: readonly Fact[]): Fact =>
      candidates.reduce((a, b) => (b.precision > a.precision || (b.precision === a.precision && basisRank(b) < basisRank(a)) ? b : a));
    const newestDate = facts.reduce((date, fact) => (this.releaseDate(fact) > date ? this.releaseDate(fact) : date), "");
    const newest = best(facts.filter((fact) => this.releaseDate(fact) === newestDate));
    const finer = facts.filter((fact) => fact.precision > newest.precision && roundsTo(fact.value, newest.precision, newest.value));
    return finer.length > 0 ? best(finer) : newest;
  }

  /** The facts of one point-in-time view, built once. */
  private view(asOf: AsOf): Map<string, Fact> | undefined {
    const key = asOfKey(asOf);
    const cached = this.views.get(key);
    if (cached !== undefined) return cached;
    let cutoff: string | undefined;
    if (asOf.kind === "release") {
      cutoff = this.releasesById.get(asOf.id)?.date;
      if (cutoff === undefined) return undefined;
    }
    const view = new Map<string, Fact>();
    for (const [factKeyText, facts] of this.factsByKey) {
      let visible: Fact[];
      if (asOf.kind === "first") {
        const firstDate = facts.reduce((date, fact) => (this.releaseDate(fact) < date ? this.releaseDate(fact) : date), "\uffff");
        visible = facts.filter((fact) => this.releaseDate(fact) === firstDate);
      } else {
        visible = facts.filter((fact) => this.releaseDate(fact) <= (cutoff as string));
      }
      if (visible.length > 0) view.set(factKeyText, this.chooseFact(visible));
    }
    this.views.set(key, view);
    return view;
  }

  /**
   * The fact that answers for an item, period and currency (null currency for counts, ratios, shares and months),
   * in the latest view or a point-in-time one.
   */
  fact(item: string, period: string, currency: Currency | null, asOf: AsOf = LATEST): Fact | undefined {
    if (asOf.kind === "latest") return this.latestByItem.get(item)?.get(period)?.get(currency);
    return this.view(asOf)?.get(factKey(item, period, currency));
  }

  /** Every fact for an item, period and currency from every release, oldest release first (restatements show here). */
  history(item: string, period: string, currency: Currency | null): Fact[] {
    return [...(this.factsByKey.get(factKey(item, period, currency)) ?? [])].sort((a, b) => compareText(this.releaseDate(a), this.releaseDate(b)));
  }

  /** Whether the item has a figure in `currency` for some period (the dividend has US$ figures only). */
  printsIn(item: string, currency: Currency): boolean {
    return this.currenciesOfItem.get(item)?.has(currency) ?? false;
  }

  /** Periods with at least one figure for the item, oldest first (empty for headings). */
  periodsOf(item: string): PeriodInfo[] {
    return this.periodsByItem.get(item) ?? [];
  }

  /** The ratio the release states for a question, if it states one (growth of an item from a base period; share or margin of it in a base item). */
  stated(kind: StatedKind, item: string, period: string, baseItem: string, basePeriod: string): StatedRatio | undefined {
    return this.statedByKey.get(statedKey(kind, item, period, baseItem, basePeriod));
  }

  /** The key of one of the dataset's periods. */
  periodKey(period: PeriodInfo): PeriodKey {
    return this.periodKeys.get(period.id) as PeriodKey;
  }

  /**
   * A structure derived from this dataset, built on first use and kept as long as the index (so it goes when the
   * dataset is replaced). The one caching style of the code that reads a dataset: nothing is cached outside an index.
   *
   * @example
   * index.memo("search-vocabulary", () => buildVocabulary(index))
   */
  memo<T>(name: string, build: () => T): T {
    const known = this.memos.get(name);
    if (known !== undefined) return known as T;
    const built = build();
    this.memos.set(name, built);
    return built;
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
export function buildIndex(dataset: Dataset, version: string | null = null, revision = 0): DatasetIndex {
  return new DatasetIndex(dataset, version, revision);
}
