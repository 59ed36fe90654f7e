/**
 * DEFINITION and VERSION: text about the data rather than figures.
 */
import { describeDefinition } from "../core/describe";
import { itemParam } from "./parameters";
import { defineFunction } from "./define";

export const DEFINITION = defineFunction({
  id: "DEFINITION",
  description: "The release's own definition of an item or KPI (its footnote), with its statement and section.",
  params: [itemParam()],
  result: "scalar",
  example: { formula: '=QFIN.DEFINITION("90 day+ delinquency rate")', result: "the footnote text" },
  run: (index, [item]) => describeDefinition(index, item),
});

export const VERSION = defineFunction({
  id: "VERSION",
  description: "Which release(s) the loaded data comes from, and the data version.",
  params: [],
  result: "scalar",
  example: { formula: "=QFIN.VERSION()", result: "QFIN data: release 2023Q2 (2023-08-21), schema 1, 132 items, 772 figures" },
  run: (index) => {
    const { dataset } = index;
    const releases = dataset.releases.map((release) => `${release.id} (${release.date})`).join(", ");
    const noun = dataset.releases.length === 1 ? "release" : "releases";
    // The pane's version line names the same things (src/addin/refresh.ts, datasetVersion), in the same words.
    const version = index.version === null ? "" : `, data ${index.version}`;
    const correction = index.revision > 0 ? `, correction ${index.revision}` : "";
    return `QFIN data: ${noun} ${releases}, schema ${dataset.schema}, ${dataset.items.length} items, ${dataset.facts.length} figures${version}${correction}`;
  },
});
