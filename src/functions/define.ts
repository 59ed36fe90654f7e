/**
 * A QFIN function as data: its parameters (kinds, defaults) and an implementation that receives plain, validated
 * values. `invoke` normalises arguments for every function the same way before calling `run`.
 */
import type { FunctionResult } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import type { QfinFunctionId } from "./spec";
import type { Param } from "./arguments";

type ParamValues<P extends readonly Param<unknown>[]> = { [K in keyof P]: P[K] extends Param<infer T> ? T : never };

export interface FunctionDefinition {
  id: QfinFunctionId;
  params: readonly Param<unknown>[];
  /**
   * Positions of the item and period parameters when the function maps over ranges of them (METRIC over a column of
   * items and a row of periods fills the grid).
   */
  broadcast?: readonly [number, number];
  run: (index: DatasetIndex, values: readonly unknown[]) => FunctionResult;
}

/**
 * Declares a function; `run` sees one typed value per parameter.
 *
 * @example
 * defineFunction({ id: "DEFINITION", params: [itemParam("item")] as const, run: (index, [item]) => describeDefinition(index, item) });
 */
export function defineFunction<const P extends readonly Param<unknown>[]>(definition: {
  id: QfinFunctionId;
  params: P;
  broadcast?: readonly [number, number];
  run: (index: DatasetIndex, values: ParamValues<P>) => FunctionResult;
}): FunctionDefinition {
  return definition as unknown as FunctionDefinition;
}
