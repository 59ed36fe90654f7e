import type { ArgValue, FunctionResult } from "../core/cell";
import type { QfinFunctionId } from "./spec";

/**
 * Calls a QFIN function with the arguments exactly as the host passed them (Excel, the formula engine, the
 * workbench). Never throws: bad input comes back as a CellError value with a message.
 *
 * Contract only — implemented by the core work (see issue 2).
 */
export function invoke(id: QfinFunctionId, args: readonly ArgValue[]): FunctionResult {
  void id;
  void args;
  throw new Error("not implemented yet");
}
