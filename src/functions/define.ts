/**
 * A QFIN function declared once, as data: its frozen id, what it does, its parameters (each with its description,
 * whether it is optional and how its values convert), the shape of its result, an example, and an implementation that
 * receives plain, validated values. Every surface reads this one declaration: `invoke` runs it, the add-in generates
 * `functions.json` and registers it with Excel, the formula engine registers it under `QFIN.<ID>`, the help page and
 * the CLI describe it. Ids are frozen: they are stored in users' workbooks.
 */
import { QFIN_NAMESPACE, type FunctionResult } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import type { Param } from "./parameters";

type ParamValues<P extends readonly Param<unknown>[]> = { [K in keyof P]: P[K] extends Param<infer T> ? T : never };

export interface QfinFunction<Id extends string = string> {
  id: Id;
  /** One sentence for Excel's formula tooltip and the reference. */
  description: string;
  params: readonly Param<unknown>[];
  /** `matrix` results spill (and a function that maps over ranges returns one when given a range). */
  result: "scalar" | "matrix";
  /** A formula an analyst would type, and what it returns. */
  example: { formula: string; result: string };
  run: (index: DatasetIndex, values: readonly unknown[]) => FunctionResult;
}

/**
 * Declares a function; `run` sees one typed value per parameter.
 *
 * @example
 * defineFunction({ id: "DEFINITION", description: "…", params: [itemParam()], result: "scalar", example, run: (index, [item]) => describeDefinition(index, item) });
 */
export function defineFunction<const Id extends string, const P extends readonly Param<unknown>[]>(definition: {
  id: Id;
  description: string;
  params: P;
  result: "scalar" | "matrix";
  example: { formula: string; result: string };
  run: (index: DatasetIndex, values: ParamValues<P>) => FunctionResult;
}): QfinFunction<Id> {
  return definition as unknown as QfinFunction<Id>;
}

/** Whether an argument may be left out. */
export const isOptional = (param: Param<unknown>): boolean => param.fallback !== undefined;


/** `QFIN.METRIC`: the name a formula calls the function by. */
export const formulaName = (fn: QfinFunction): string => `${QFIN_NAMESPACE}.${fn.id}`;

/**
 * The signature as Excel's formula tooltip shows it, optional arguments in brackets.
 *
 * @example
 * signature(METRIC) // "QFIN.METRIC(item, period, [currency], [scale], [as_of])"
 */
export function signature(fn: QfinFunction): string {
  return `${formulaName(fn)}(${fn.params.map((param) => (isOptional(param) ? `[${param.name}]` : param.name)).join(", ")})`;
}
