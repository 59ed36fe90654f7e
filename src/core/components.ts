/**
 * A total and its components: the one definition of "the components add up", used by ingest's tie-out checks and
 * by the loader's re-check of a dataset, so the two can never disagree about what ties.
 */
import { Decimal } from "./decimal";

export interface SignedPart {
  item: string;
  sign: 1 | -1;
}

/**
 * The signed sum of the parts' figures, and the parts that have no figure (when any are missing, `sum` covers only
 * those found and must not be compared).
 *
 * @example
 * sumOfParts([{ item: "a", sign: 1 }, { item: "b", sign: -1 }], (id) => ({ a: "5", b: "2" })[id]) // { sum: 3, missing: [] }
 */
export function sumOfParts(parts: readonly SignedPart[], valueOf: (item: string) => string | undefined): { sum: Decimal; missing: string[] } {
  let sum = new Decimal(0);
  const missing: string[] = [];
  for (const part of parts) {
    const value = valueOf(part.item);
    if (value === undefined) missing.push(part.item);
    else sum = sum.plus(new Decimal(value).times(part.sign));
  }
  return { sum, missing };
}
