/**
 * Every QFIN function's definition by id: the table `invoke` dispatches on. A test checks it against
 * FUNCTION_SPECS (same ids, same parameters in the same order).
 */
import type { QfinFunctionId } from "./spec";
import type { FunctionDefinition } from "./define";
import { GROWTH, MARGIN, METRIC, SOURCE } from "./figure-functions";
import { CHECK, ITEMS, PERIODS, SERIES, STATEMENT } from "./table-functions";
import { DEFINITION, VERSION } from "./about-functions";

export const FUNCTION_DEFINITIONS: ReadonlyMap<QfinFunctionId, FunctionDefinition> = new Map(
  [METRIC, MARGIN, GROWTH, SERIES, STATEMENT, ITEMS, PERIODS, SOURCE, DEFINITION, CHECK, VERSION].map((definition) => [definition.id, definition]),
);
