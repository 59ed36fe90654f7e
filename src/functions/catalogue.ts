/**
 * The QFIN function catalogue: every function, in the order the reference lists them. The one list every surface
 * reads (invoke, the add-in's functions.json and registration, the formula engine, the help page, the CLI).
 */
import { CHANGE, GROWTH, MARGIN, MARKER, METRIC, SOURCE } from "./figure-functions";
import { CHECK, ITEMS, PERIODS, SERIES, STATEMENT } from "./table-functions";
import { DEFINITION, VERSION } from "./about-functions";
import type { QfinFunction } from "./define";

export const FUNCTIONS = [METRIC, MARGIN, GROWTH, CHANGE, SERIES, STATEMENT, ITEMS, PERIODS, SOURCE, MARKER, DEFINITION, CHECK, VERSION] as const;

export type QfinFunctionId = (typeof FUNCTIONS)[number]["id"];

const BY_ID: ReadonlyMap<string, QfinFunction> = new Map(FUNCTIONS.map((fn) => [fn.id, fn]));

/** A function by its id (`METRIC`), case-insensitive; undefined when there is none. */
export function functionById(id: string): QfinFunction | undefined {
  return BY_ID.get(id) ?? BY_ID.get(id.toUpperCase());
}
