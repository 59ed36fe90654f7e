import { FACT_BASES, rankIn, type Dataset } from "../core/model";
import { comparePeriods } from "../core/dataset-index";

/** Puts a dataset in its canonical order (items as the release prints them, periods by date, facts by both), so
 * the same releases always give the same JSON. */
export function sortDataset(dataset: Dataset): Dataset {
  const items = [...dataset.items].sort((a, b) => a.order - b.order);
  const periods = [...dataset.periods].sort(comparePeriods);
  const itemOrder = new Map(items.map((item, index) => [item.id, index]));
  const periodOrder = new Map(periods.map((period, index) => [period.id, index]));
  const releaseOrder = new Map(dataset.releases.map((release, index) => [release.id, index]));
  const facts = [...dataset.facts].sort(
    (a, b) =>
      (itemOrder.get(a.item) ?? 0) - (itemOrder.get(b.item) ?? 0) ||
      (periodOrder.get(a.period) ?? 0) - (periodOrder.get(b.period) ?? 0) ||
      (a.currency ?? "").localeCompare(b.currency ?? "") ||
      (releaseOrder.get(a.source.release) ?? 0) - (releaseOrder.get(b.source.release) ?? 0) ||
      rankIn(FACT_BASES, a.basis) - rankIn(FACT_BASES, b.basis) ||
      a.source.line - b.source.line,
  );
  const stated = dataset.stated === undefined ? undefined : [...dataset.stated].sort(
    (a, b) =>
      (itemOrder.get(a.item) ?? 0) - (itemOrder.get(b.item) ?? 0) ||
      (periodOrder.get(a.period) ?? 0) - (periodOrder.get(b.period) ?? 0) ||
      a.kind.localeCompare(b.kind) ||
      (periodOrder.get(a.base.period) ?? 0) - (periodOrder.get(b.base.period) ?? 0) ||
      a.base.item.localeCompare(b.base.item) ||
      a.source.line - b.source.line,
  );
  return { ...dataset, items, periods, facts, ...(stated === undefined ? {} : { stated }) };
}
