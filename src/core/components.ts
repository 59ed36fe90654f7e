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
  const missing: string[] = [];
  const values: string[] = [];
  for (const part of parts) {
    const value = valueOf(part.item);
    if (value === undefined) missing.push(part.item);
    values.push(value ?? "0");
  }
  // Amounts are whole numbers of base units: add them exactly as integers (the loader re-checks every total at
  // start-up, so this is on the add-in's start path); anything with a fraction goes through Decimal.
  if (values.every((value) => WHOLE.test(value))) {
    let total = 0n;
    values.forEach((value, position) => (total += BigInt(value) * BigInt((parts[position] as SignedPart).sign)));
    return { sum: new Decimal(total.toString()), missing };
  }
  let sum = new Decimal(0);
  values.forEach((value, position) => (sum = sum.plus(new Decimal(value).times((parts[position] as SignedPart).sign))));
  return { sum, missing };
}

const WHOLE = /^-?\d{1,30}$/;
