import { CellError, ErrorType, type ArgValue, type FunctionResult } from "../core/cell";
import { getActiveIndex } from "../core/dataset-store";
import type { DatasetIndex } from "../core/dataset-index";
import { Messages } from "../core/messages";
import type { QfinFunctionId } from "./spec";
import { isBlank, normalizeArgument } from "./arguments";
import { broadcastPair } from "./broadcast";
import type { FunctionDefinition } from "./define";
import { FUNCTION_DEFINITIONS } from "./registry";

/** Normalises every argument, then runs the implementation; the first bad argument's error is the result. */
function runOnce(definition: FunctionDefinition, index: DatasetIndex, args: readonly ArgValue[]): FunctionResult {
  const values: unknown[] = [];
  for (let position = 0; position < definition.params.length; position++) {
    const value = normalizeArgument(definition.params[position], args[position], { index });
    if (value instanceof CellError) return value;
    values.push(value);
  }
  return definition.run(index, values);
}

/**
 * Calls a QFIN function with the arguments exactly as the host passed them (Excel, the formula engine, the
 * workbench). Never throws: bad input comes back as a CellError value with a message. Reads the active dataset
 * (`setActiveDataset`).
 *
 * @example
 * invoke("METRIC", ["Total net revenue", "Q2 2023"])            // 3914.324
 * invoke("METRIC", ["Net income", "Q2 2023", "USD"])            // 150.782
 * invoke("METRIC", [[["Net income"], ["Revenue"]], [["1Q23", "2Q23"]]]) // [[929.822, 1093.377], [3599.174, 3914.324]]
 * invoke("METRIC", ["Revenu", "Q2 2023"]).toString()           // '#N/A Unknown line item "Revenu"; did you mean "Total net revenue"?'
 */
export function invoke(id: QfinFunctionId, args: readonly ArgValue[]): FunctionResult {
  try {
    const definition = FUNCTION_DEFINITIONS.get(id);
    if (definition === undefined) return new CellError(ErrorType.NAME, Messages.unknownFunction(String(id)));
    const extra = args.slice(definition.params.length);
    if (extra.some((arg) => !isBlank(arg))) return new CellError(ErrorType.VALUE, Messages.tooManyArguments(id, definition.params.length));
    const index = getActiveIndex();
    if (index === null) return new CellError(ErrorType.NA, Messages.noData);
    if (definition.broadcast === undefined) return runOnce(definition, index, args);

    const [first, second] = definition.broadcast;
    return broadcastPair(args[first], args[second], (x, y) => {
      const cellArgs = [...args];
      cellArgs[first] = x;
      cellArgs[second] = y;
      const result = runOnce(definition, index, cellArgs);
      return Array.isArray(result) ? new CellError(ErrorType.VALUE, Messages.internal(`${id} returned a range for one cell`)) : result;
    });
  } catch (error) {
    // A bug must not take Excel's calculation down with it: report it in the cell.
    return new CellError(ErrorType.VALUE, Messages.internal(error instanceof Error ? error.message : String(error)));
  }
}
