/**
 * What a newer dataset changes against the one in use, so the analyst can decide before the numbers in the workbook
 * move: the releases it adds, the periods it adds (by label), the figures it restates (same item, period and currency,
 * a different answer) and any figure it no longer gives. Computed from the two indexes' latest views (what the QFIN
 * functions answer), so "restated" means "a cell asking for it would change". Pure: no DOM, no Office.
 *
 * The ingest's MergeReport says the same from the side of the release text, but src/ingest is not a room the add-in may
 * import, and the add-in only has the two datasets, so it compares them here.
 */
import { comparePeriods, type DatasetIndex } from "../core/dataset-index";
import { Decimal, formatGrouped } from "../core/decimal";
import { CURRENCY_WORDS } from "../core/describe";
import type { Currency, Fact, ItemInfo, PeriodInfo, ReleaseInfo } from "../core/model";

export interface Restated {
  item: ItemInfo;
  period: PeriodInfo;
  currency: Currency | null;
  before: Fact;
  after: Fact;
}

export interface DatasetChanges {
  releasesAdded: ReleaseInfo[];
  /** Periods the newer data has and the data in use does not, oldest first. */
  periodsAdded: PeriodInfo[];
  /** Of those, the ones ending after the latest quarter in use (the new quarter), and the earlier ones (its comparatives). */
  newPeriods: PeriodInfo[];
  earlierPeriods: PeriodInfo[];
  itemsAdded: ItemInfo[];
  /** Figures the functions would answer differently, in the release's item order. */
  restated: Restated[];
  /** How many figures in use the newer data does not give at all (a genuine newer dataset has none). */
  figuresDropped: number;
  /** How many figures the newer data gives that the data in use does not. */
  figuresAdded: number;
}

/** Oldest first, and among periods ending on one date the shorter first (Q3 before 9M), as the core orders them. */
const byEnd = comparePeriods;

/**
 * @example
 * const changes = datasetChanges(session.index, candidate);
 * changes.newPeriods.map((p) => p.label) // ["Q3 2023", "9M 2023", "Sep 30, 2023"]
 * changes.restated.length                 // 0
 */
export function datasetChanges(from: DatasetIndex | null, to: DatasetIndex): DatasetChanges {
  const releasesAdded = to.dataset.releases.filter((release) => !from?.releasesById.has(release.id));
  const periodsAdded = to.periods.filter((period) => !from?.periodsById.has(period.id)).sort(byEnd);
  // The latest quarter in use marks what is new: a release also dates outlooks (FY 2023) and events past its quarter.
  const latestInUse = from === null ? "" : (from.latestQuarter?.end ?? from.periods.reduce((end, period) => (period.end > end ? period.end : end), ""));
  const itemsAdded = [...to.itemsById.values()].filter((item) => !from?.itemsById.has(item.id));
  const restated: Restated[] = [];
  let figuresDropped = 0;
  if (from !== null) {
    for (const [key, before] of from.facts) {
      const after = to.facts.get(key);
      if (after === undefined) {
        figuresDropped++;
        continue;
      }
      if (new Decimal(before.value).eq(after.value)) continue;
      const item = to.itemsById.get(after.item);
      const period = to.periodsById.get(after.period);
      if (item && period) restated.push({ item, period, currency: after.currency, before, after });
    }
  }
  restated.sort((a, b) => a.item.order - b.item.order || byEnd(a.period, b.period) || (a.currency ?? "").localeCompare(b.currency ?? ""));
  let figuresAdded = 0;
  for (const key of to.facts.keys()) if (!from?.facts.has(key)) figuresAdded++;
  return {
    releasesAdded,
    periodsAdded,
    newPeriods: periodsAdded.filter((period) => period.end > latestInUse),
    earlierPeriods: periodsAdded.filter((period) => period.end <= latestInUse),
    itemsAdded,
    restated,
    figuresDropped,
    figuresAdded,
  };
}

const LISTED_PERIODS = 8;

/** "Q3 2023, 9M 2023 and balances at Sep 30, 2023": flows by label, balance-sheet dates after them. */
function listPeriods(periods: readonly PeriodInfo[]): string {
  const shown = periods.slice(0, LISTED_PERIODS);
  const flows = shown.filter((period) => period.type !== "instant").map((period) => period.label);
  const instants = shown.filter((period) => period.type === "instant").map((period) => period.label);
  const parts = [...flows];
  // Instant labels carry a comma ("Sep 30, 2023"), so they are joined with "and", never listed with commas.
  if (instants.length > 0) parts.push(`balances at ${instants.join(" and ")}`);
  const more = periods.length - shown.length;
  const text = parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return more > 0 ? `${text} (and ${more} more)` : text;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

/**
 * What the newer data changes, in one clause for the pane's offer; a correction of the release in use "corrects" the
 * figures it changes rather than restating them.
 *
 * @example
 * describeChanges(changes)
 * // "adds Q3 2023, 9M 2023 and balances at Sep 30, 2023 (with Q3 2022, 9M 2022 and balances at Sep 30, 2022 for
 * //  comparison); restates no figure"
 * describeChanges(corrected, true) // "adds no period; corrects 2 figures"
 */
export function describeChanges(changes: DatasetChanges, correction = false): string {
  const parts: string[] = [];
  if (changes.newPeriods.length > 0) {
    const earlier = changes.earlierPeriods.length > 0 ? ` (with ${listPeriods(changes.earlierPeriods)} for comparison)` : "";
    parts.push(`adds ${listPeriods(changes.newPeriods)}${earlier}`);
  } else if (changes.earlierPeriods.length > 0) {
    parts.push(`adds the earlier periods ${listPeriods(changes.earlierPeriods)}`);
  } else {
    parts.push("adds no period");
  }
  const verb = correction ? "corrects" : "restates";
  parts.push(changes.restated.length === 0 ? `${verb} no figure` : `${verb} ${plural(changes.restated.length, "figure", "figures")}`);
  if (changes.figuresDropped > 0) parts.push(`no longer gives ${plural(changes.figuresDropped, "figure", "figures")} in use`);
  return parts.join("; ");
}

/**
 * A figure as the pane lists a restatement: amounts in millions, ratios in percent, per-share figures and counts as
 * they are; with the currency.
 *
 * @example
 * describeFigure(totalNetRevenue, "RMB", "3914324000") // "RMB 3,914.324 million"
 * describeFigure(delinquencyRate, null, "0.0286")       // "2.86%"
 */
export function describeFigure(item: ItemInfo, currency: Currency | null, value: string): string {
  const money = currency === null ? "" : `${CURRENCY_WORDS[currency]} `;
  const decimal = new Decimal(value);
  switch (item.unit) {
    case "amount":
      return `${money}${formatGrouped(decimal.div(1e6))} million`;
    case "ratio":
      return `${formatGrouped(decimal.mul(100))}%`;
    case "per_share":
      return `${money}${formatGrouped(decimal)}`;
    case "months":
      return `${formatGrouped(decimal)} months`;
    default:
      return formatGrouped(decimal);
  }
}

/**
 * One restatement in words.
 *
 * @example
 * describeRestated(restated) // "Total net revenue, Q2 2023: RMB 3,914.324 million → RMB 3,920.1 million (2023Q3 release)"
 */
export function describeRestated(restated: Restated): string {
  const { item, period, currency, before, after } = restated;
  return `${item.label}, ${period.label}: ${describeFigure(item, currency, before.value)} → ${describeFigure(item, currency, after.value)} (${after.source.release} release)`;
}
