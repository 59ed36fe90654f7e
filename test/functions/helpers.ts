import { CellError, ErrorType, type FunctionResult } from "../../src/core/cell";

/** Asserts an error result and returns it, for checking its message. */
export function expectError(result: FunctionResult, type: ErrorType): CellError {
  expect(result).toBeInstanceOf(CellError);
  expect((result as CellError).type).toBe(type);
  return result as CellError;
}
