/**
 * The QFIN functions as a formula engine registers them: every function of the catalogue under its formula name
 * (`QFIN.METRIC`), each reaching `invoke` with the engine's arguments turned into the values Excel passes, against
 * the dataset index the engine was made with. `invoke` applies Excel's rules (argument count, error arguments); this
 * module only names and wires.
 */
import { CellError, ErrorType, QFIN_NAMESPACE } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { Messages } from "../core/messages";
import { editDistance } from "../core/text-match";
import { FUNCTIONS } from "../functions/catalogue";
import { formulaName } from "../functions/define";
import { invoke } from "../functions/invoke";
import type { FunctionArgument } from "fast-formula-parser";
import { toArgValue, toEngineResult } from "./value-bridge";

/** Every QFIN function's formula name, in the catalogue's order. */
export const QFIN_FORMULA_NAMES: readonly string[] = FUNCTIONS.map(formulaName);

/**
 * The QFIN functions for fast-formula-parser's `functions` option, reading `index`.
 *
 * @example
 * createExcelParser({ functions: qfinParserFunctions(index) }).parse('QFIN.METRIC("Net income","Q2 2023")') // 1093.377
 */
export function qfinParserFunctions(index: DatasetIndex | null): Record<string, (...args: FunctionArgument[]) => unknown> {
  const functions: Record<string, (...args: FunctionArgument[]) => unknown> = {};
  for (const fn of FUNCTIONS) {
    // As Excel calls a custom function: every declared argument, those the formula leaves out as null.
    const declared = fn.params.length;
    functions[formulaName(fn)] = (...args) => {
      const values = args.map(toArgValue);
      while (values.length < declared) values.push(null);
      return toEngineResult(invoke(index, fn.id, values));
    };
  }
  return functions;
}

/**
 * The `#NAME?` error for a function the engine does not know, with the nearest QFIN name when the name looks like a
 * mistyped one.
 *
 * @example
 * unknownFunctionError("QFIN.METRICS").message // 'Unknown function QFIN.METRICS; did you mean QFIN.METRIC?'
 */
export function unknownFunctionError(name: string): CellError {
  const upper = name.toUpperCase();
  if (!upper.startsWith(`${QFIN_NAMESPACE}.`)) return new CellError(ErrorType.NAME, Messages.unknownExcelFunction(upper));
  let nearest: { name: string; distance: number } | null = null;
  for (const candidate of QFIN_FORMULA_NAMES) {
    const distance = editDistance(upper, candidate);
    if (distance <= 3 && (nearest === null || distance < nearest.distance)) nearest = { name: candidate, distance };
  }
  return new CellError(ErrorType.NAME, Messages.unknownQfinFunction(upper, nearest?.name ?? null, QFIN_FORMULA_NAMES));
}
