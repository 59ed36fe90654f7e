/**
 * DEFINITION and VERSION: text about the data rather than figures.
 */
import { describeDefinition } from "../core/describe";
import { itemParam } from "./arguments";
import { defineFunction } from "./define";

export const DEFINITION = defineFunction({
  id: "DEFINITION",
  params: [itemParam("item")],
  run: (index, [item]) => describeDefinition(index, item),
});

export const VERSION = defineFunction({
  id: "VERSION",
  params: [],
  run: (index) => {
    const { dataset } = index;
    const releases = dataset.releases.map((release) => `${release.id} (${release.date})`).join(", ");
    const noun = dataset.releases.length === 1 ? "release" : "releases";
    const version = index.version === null ? "" : `, data ${index.version}`;
    return `QFIN data: ${noun} ${releases}, schema ${dataset.schema}, ${dataset.items.length} items, ${dataset.facts.length} facts${version}`;
  },
});
