/**
 * What a newer dataset changes, computed the way the pane's offer states it: against the shipped dataset, the next
 * quarter's (a genuine merge) and copies of it with a figure restated or dropped by hand.
 */
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import type { Dataset } from "../../src/core/model";
import { mergeRelease } from "../../src/ingest";
import { datasetChanges, describeChanges, describeFigure, describeRestated } from "../../src/addin/dataset-changes";
import { ingestText, nextQuarterRelease, shippedDataset, shippedIndex } from "../support/release";

let merged: Dataset;
let mergedIndex: DatasetIndex;
beforeAll(() => {
  merged = mergeRelease(shippedDataset(), ingestText(nextQuarterRelease())).dataset;
  mergedIndex = buildIndex(merged);
});

/** The merged dataset with `edit` applied to a copy (the comparison reads facts; it does not re-check totals). */
function editedMerge(edit: (dataset: Dataset) => void): DatasetIndex {
  const copy = JSON.parse(JSON.stringify(merged)) as Dataset;
  edit(copy);
  return buildIndex(copy);
}

describe("datasetChanges", () => {
  it("finds the new quarter's periods, split into the new ones and their comparatives, and no restatement", () => {
    const changes = datasetChanges(shippedIndex(), mergedIndex);
    expect(changes.releasesAdded.map((release) => release.id)).toEqual(["2023Q3"]);
    expect(changes.newPeriods.map((period) => period.label)).toEqual(["Q3 2023", "9M 2023", "Sep 30, 2023"]);
    expect(changes.earlierPeriods.map((period) => period.label)).toEqual(["Q3 2022", "9M 2022", "Sep 30, 2022"]);
    expect(changes.restated).toEqual([]);
    expect(changes.figuresDropped).toBe(0);
    expect(changes.figuresAdded).toBe(mergedIndex.facts.size - shippedIndex().facts.size);
    expect(changes.figuresAdded).toBeGreaterThan(100);
  });

  it("finds a figure the newer data answers differently, and names it with both values and the release", () => {
    const restatedIndex = editedMerge((dataset) => {
      // The Q3 release restating Q2's total net revenue: one more fact for the same item, period and currency.
      const q2 = dataset.facts.find((fact) => fact.item === "ops.total_net_revenue" && fact.period === "2023Q2" && fact.currency === "RMB" && fact.basis === "reported");
      if (!q2) throw new Error("no Q2 total net revenue");
      dataset.facts.push({ ...q2, value: "3920100000", source: { ...q2.source, release: "2023Q3" } });
    });
    const changes = datasetChanges(shippedIndex(), restatedIndex);
    expect(changes.restated).toHaveLength(1);
    const [restated] = changes.restated;
    expect(restated).toMatchObject({ item: { id: "ops.total_net_revenue" }, period: { id: "2023Q2" }, currency: "RMB", before: { value: "3914324000" }, after: { value: "3920100000" } });
    expect(describeRestated(restated!)).toBe("Total net revenue, Q2 2023: RMB 3,914.324 million → RMB 3,920.1 million (2023Q3 release)");
    expect(describeChanges(changes)).toContain("; restates 1 figure");
  });

  it("counts figures in use that the newer data no longer gives, and says so", () => {
    const thinner = editedMerge((dataset) => {
      dataset.facts = dataset.facts.filter((fact) => !(fact.item === "ops.total_net_revenue" && fact.period === "2022Q1"));
    });
    const changes = datasetChanges(shippedIndex(), thinner);
    expect(changes.figuresDropped).toBe(shippedIndex().facts.size - [...shippedIndex().facts.keys()].filter((key) => thinner.facts.has(key)).length);
    expect(changes.figuresDropped).toBeGreaterThan(0);
    expect(describeChanges(changes)).toMatch(/; no longer gives \d+ figures? in use$/);
  });

  it("against no data in use, everything is added and nothing restated", () => {
    const changes = datasetChanges(null, shippedIndex());
    expect(changes.releasesAdded.map((release) => release.id)).toEqual(["2023Q2"]);
    expect(changes.periodsAdded).toHaveLength(shippedIndex().periods.length);
    expect(changes.restated).toEqual([]);
    expect(changes.figuresAdded).toBe(shippedIndex().facts.size);
  });
});

describe("describeChanges", () => {
  it("lists flows with commas and balance-sheet dates (which hold a comma) with 'and'", () => {
    expect(describeChanges(datasetChanges(shippedIndex(), mergedIndex))).toBe(
      "adds Q3 2023, 9M 2023 and balances at Sep 30, 2023 (with Q3 2022, 9M 2022 and balances at Sep 30, 2022 for comparison); restates no figure",
    );
  });

  it("says when nothing is added", () => {
    expect(describeChanges(datasetChanges(mergedIndex, mergedIndex))).toBe("adds no period; restates no figure");
  });
});

describe("describeFigure", () => {
  it("shows amounts in millions, ratios in percent, per-share figures and counts as they are", () => {
    const index = shippedIndex();
    const item = (id: string) => {
      const found = index.itemsById.get(id);
      if (!found) throw new Error(`no item ${id}`);
      return found;
    };
    expect(describeFigure(item("ops.total_net_revenue"), "USD", "539812000")).toBe("US$ 539.812 million");
    const ratio = [...index.itemsById.values()].find((candidate) => candidate.unit === "ratio");
    const perShare = [...index.itemsById.values()].find((candidate) => candidate.unit === "per_share");
    const count = [...index.itemsById.values()].find((candidate) => candidate.unit === "count");
    expect(describeFigure(ratio!, null, "0.0286")).toBe("2.86%");
    expect(describeFigure(perShare!, "RMB", "6.64")).toBe("RMB 6.64");
    expect(describeFigure(count!, null, "221000000")).toBe("221,000,000");
  });
});
