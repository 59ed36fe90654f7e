/**
 * Adds a newly ingested release to a dataset that already holds earlier ones. Nothing reported before is lost:
 * every fact keeps the release it came from, so a figure a later release reports differently (a restatement) is
 * held twice — the core answers with the latest and, on request, as first reported or as of a release. What the
 * merge finds is reported, never silently folded in: restated figures, renamed items, periods added, and the
 * quarters that only the two releases together imply (Q3 = nine months − H1), derived and marked so.
 */
import { Decimal, roundToPrecision } from "../core/decimal";
import type { Dataset, Fact, ItemInfo, PeriodInfo, ReleaseInfo } from "../core/model";
import { deriveFacts } from "./derive";
import { factKey } from "../core/model";
import { FactBook } from "./fact-book";
import { IngestError } from "./ingest-error";
import { sortDataset } from "./dataset-order";

export interface Restatement {
  /** `reported`: a table prints it differently; `narrative`: the prose states a figure the earlier one does not round to. */
  basis: "reported" | "narrative";
  item: string;
  label: string;
  period: string;
  currency: string | null;
  before: { release: string; value: string; line: number };
  after: { release: string; value: string; line: number };
}

export interface MergeReport {
  release: string;
  periodsAdded: string[];
  factsAdded: number;
  derivedAcrossReleases: number;
  restated: Restatement[];
  renamed: { item: string; from: string; to: string }[];
  itemsAdded: string[];
}

const releaseOrder = (a: ReleaseInfo, b: ReleaseInfo): number => a.date.localeCompare(b.date) || a.id.localeCompare(b.id);

/**
 * Merges `incoming` (a dataset of one freshly ingested release) into `existing`.
 *
 * @example
 * const { dataset, report } = mergeRelease(loadDataset(json), ingestRelease(q3Text, { file }));
 * report.restated // figures the new release reports differently, with both values
 */
export function mergeRelease(existing: Dataset, incoming: Dataset): { dataset: Dataset; report: MergeReport } {
  const release = incoming.releases[0];
  if (incoming.releases.length !== 1 || !release) {
    throw new IngestError([{ check: "merge", status: "fail", message: `A merge adds one freshly ingested release; this dataset has ${incoming.releases.length}.` }]);
  }
  const known = existing.releases.find((candidate) => candidate.id === release.id);
  if (known) {
    const same = known.sha256 === release.sha256;
    throw new IngestError([
      {
        check: "merge",
        status: "fail",
        message: same
          ? `Release ${release.id} (${release.file}) is already in the dataset; nothing to add.`
          : `Release ${release.id} is already in the dataset from ${known.file} (sha256 ${known.sha256.slice(0, 12)}…) and ${release.file} differs from it (sha256 ${release.sha256.slice(0, 12)}…). A release is ingested once; build the dataset anew to replace one.`,
      },
    ]);
  }

  const releases = [...existing.releases, release].sort(releaseOrder);
  const newest = releases[releases.length - 1] as ReleaseInfo;
  const incomingIsNewest = newest.id === release.id;
  const report: MergeReport = { release: release.id, periodsAdded: [], factsAdded: incoming.facts.length, derivedAcrossReleases: 0, restated: [], renamed: [], itemsAdded: [] };

  const items = new Map<string, ItemInfo>(existing.items.map((item) => [item.id, { ...item, aliases: [...item.aliases] }]));
  for (const item of incoming.items) {
    const before = items.get(item.id);
    if (!before) {
      items.set(item.id, item);
      report.itemsAdded.push(item.id);
      continue;
    }
    if (before.label !== item.label) {
      // The newer release's wording wins; the older label stays searchable as an alias.
      const [newer, older] = incomingIsNewest ? [item, before] : [before, item];
      report.renamed.push({ item: item.id, from: older.label, to: newer.label });
      items.set(item.id, { ...newer, aliases: [...new Set([...newer.aliases, ...older.aliases, older.label])] });
    } else if (incomingIsNewest) {
      items.set(item.id, { ...item, aliases: [...new Set([...item.aliases, ...before.aliases])], definition: item.definition ?? before.definition });
    }
  }

  const periods = new Map<string, PeriodInfo>(existing.periods.map((period) => [period.id, period]));
  for (const period of incoming.periods) {
    if (!periods.has(period.id)) {
      periods.set(period.id, period);
      report.periodsAdded.push(period.id);
    }
  }

  report.restated = findRestatements(existing.facts, incoming.facts, items, releases);
  const facts = [...existing.facts, ...incoming.facts];
  const derived = deriveAcrossReleases(facts, items, periods, releases, newest);
  report.derivedAcrossReleases = derived.length;
  for (const entry of derived) if (!periods.has(entry.fact.period)) periods.set(entry.fact.period, entry.period);

  const dataset: Dataset = {
    schema: existing.schema,
    releases,
    statements: mergeStatements(existing, incoming),
    periods: [...periods.values()],
    items: [...items.values()],
    facts: [...facts, ...derived.map((entry) => entry.fact)],
    checks: [...existing.checks, ...incoming.checks],
    // Each release's statements are kept with their release; the newest answers (see DatasetIndex.stated).
    stated: [...(existing.stated ?? []), ...(incoming.stated ?? [])],
  };
  return { dataset: sortDataset(dataset), report };
}

function mergeStatements(existing: Dataset, incoming: Dataset): Dataset["statements"] {
  const byId = new Map(existing.statements.map((statement) => [statement.id, statement]));
  for (const statement of incoming.statements) if (!byId.has(statement.id)) byId.set(statement.id, { ...statement, order: byId.size });
  return [...byId.values()];
}

/**
 * Figures the new release reports differently from an earlier one (same item, period and currency): a table figure
 * that differs, or a narrative figure the earlier figure does not round to at the narrative's precision.
 */
function findRestatements(before: readonly Fact[], after: readonly Fact[], items: Map<string, ItemInfo>, releases: ReleaseInfo[]): Restatement[] {
  const dateOf = new Map(releases.map((release) => [release.id, release.date]));
  const earlier = new Map<string, Fact>();
  for (const fact of before) {
    if (fact.basis === "narrative") continue;
    const key = factKey(fact.item, fact.period, fact.currency);
    const current = earlier.get(key);
    // The newest earlier release's figure; within a release, a printed figure over a derived one.
    const rank = (candidate: Fact): string => `${dateOf.get(candidate.source.release) ?? ""}|${candidate.basis === "reported" ? 1 : 0}`;
    if (!current || rank(fact) > rank(current)) earlier.set(key, fact);
  }
  const restated: Restatement[] = [];
  for (const fact of after) {
    if (fact.basis === "derived") continue;
    const previous = earlier.get(factKey(fact.item, fact.period, fact.currency));
    if (!previous) continue;
    const agrees =
      fact.basis === "reported" ? new Decimal(previous.value).eq(fact.value) : roundToPrecision(new Decimal(previous.value), fact.precision).eq(fact.value);
    if (agrees) continue;
    restated.push({
      basis: fact.basis,
      item: fact.item,
      label: items.get(fact.item)?.label ?? fact.item,
      period: fact.period,
      currency: fact.currency,
      before: { release: previous.source.release, value: previous.value, line: previous.source.line },
      after: { release: fact.source.release, value: fact.value, line: fact.source.line },
    });
  }
  return restated;
}

interface DerivedEntry {
  fact: Fact;
  period: PeriodInfo;
}

/**
 * Quarters that only several releases together imply (Q3 = nine months from the Q3 release − H1 from the Q2
 * release), from the latest printed figures; tagged with the newest release, their formula naming both.
 */
function deriveAcrossReleases(
  facts: readonly Fact[],
  items: Map<string, ItemInfo>,
  periods: Map<string, PeriodInfo>,
  releases: ReleaseInfo[],
  newest: ReleaseInfo,
): DerivedEntry[] {
  const dateOf = new Map(releases.map((release) => [release.id, release.date]));
  const book = new FactBook(newest.id);
  for (const item of items.values()) book.addItem(item);
  for (const period of periods.values()) book.addPeriod(period);
  const existingKeys = new Set(facts.map((fact) => factKey(fact.item, fact.period, fact.currency)));
  for (const fact of facts) {
    if (fact.basis !== "reported") continue;
    const key = factKey(fact.item, fact.period, fact.currency);
    const current = book.exact.get(key);
    if (!current || (dateOf.get(fact.source.release) ?? "") > (dateOf.get(current.source.release) ?? "")) book.exact.set(key, fact);
  }
  const before = new Set(book.exact.keys());
  deriveFacts(book);
  const derived: DerivedEntry[] = [];
  for (const [key, fact] of book.exact) {
    if (before.has(key) || existingKeys.has(key)) continue;
    derived.push({ fact, period: book.periods.get(fact.period) as PeriodInfo });
  }
  return derived;
}
