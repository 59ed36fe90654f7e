/**
 * Lifting a function of single values over ranges, as Excel lifts its own functions: a range and single values give a
 * result of the range's shape; two ranges of one shape pair cell by cell; a column and a row give the grid (an item
 * column against a header row of periods). Blank cells in a range give blank results.
 */
import { CellError, ErrorType, type ArgValue, type CellValue, type FunctionResult } from "../core/cell";
import { Messages } from "../core/messages";
import type { QfinFunction } from "./define";
import { isBlank, unwrapSingleCell } from "./parameters";

interface Shape {
  rows: number;
  columns: number;
}

function shapeOf(value: ArgValue): Shape | null {
  if (!Array.isArray(value)) return null;
  return { rows: value.length, columns: Math.max(0, ...value.map((row) => (Array.isArray(row) ? row.length : 1))) };
}

const describeShape = (shape: Shape | null): string => (shape === null ? "one cell" : `${shape.rows}×${shape.columns}`);

function cellAt(value: ArgValue, row: number, column: number): ArgValue {
  if (!Array.isArray(value)) return value;
  const line = value[row];
  return Array.isArray(line) ? line[column] : line;
}

/**
 * The positions of the arguments that map over ranges and were given a range (of more than one cell): empty when the
 * call is one call.
 */
export function mappedPositions(fn: QfinFunction, args: readonly ArgValue[]): number[] {
  const positions: number[] = [];
  fn.params.forEach((param, position) => {
    if (param.maps && Array.isArray(unwrapSingleCell(args[position] ?? null))) positions.push(position);
  });
  return positions.length === 0 ? positions : fn.params.flatMap((param, position) => (param.maps ? [position] : []));
}

/**
 * Calls `call` once per cell of the broadcast shape of one or two arguments.
 *
 * @example
 * broadcast([[["Net income"], ["Total net revenue"]], [["Q1 2023", "Q2 2023"]]], metricOf) // 2×2 grid
 */
export function broadcast(values: readonly ArgValue[], call: (cells: readonly ArgValue[]) => CellValue): FunctionResult {
  const [a, b = null] = values.map(unwrapSingleCell) as [ArgValue, ArgValue?];
  const shapeA = shapeOf(a);
  const shapeB = values.length > 1 ? shapeOf(b) : null;
  const pass = (x: ArgValue, y: ArgValue): ArgValue[] => (values.length > 1 ? [x, y] : [x]);
  if (shapeA === null && shapeB === null) return call(pass(a, b));
  // A range with no cells (possible from a formula engine or the CLI, never from Excel) has nothing to spill.
  if ([shapeA, shapeB].some((shape) => shape !== null && (shape.rows === 0 || shape.columns === 0))) {
    return new CellError(ErrorType.VALUE, Messages.emptyRange);
  }

  let rows: number;
  let columns: number;
  let pick: (row: number, column: number) => [ArgValue, ArgValue];
  if (shapeA !== null && shapeB !== null && !(shapeA.rows === shapeB.rows && shapeA.columns === shapeB.columns)) {
    if (shapeA.columns === 1 && shapeB.rows === 1) {
      [rows, columns] = [shapeA.rows, shapeB.columns];
      pick = (row, column) => [cellAt(a, row, 0), cellAt(b, 0, column)];
    } else if (shapeA.rows === 1 && shapeB.columns === 1) {
      [rows, columns] = [shapeB.rows, shapeA.columns];
      pick = (row, column) => [cellAt(a, 0, column), cellAt(b, row, 0)];
    } else {
      return new CellError(ErrorType.VALUE, Messages.broadcastShapes(describeShape(shapeA), describeShape(shapeB)));
    }
  } else {
    const shape = (shapeA ?? shapeB) as Shape;
    [rows, columns] = [shape.rows, shape.columns];
    pick = (row, column) => [cellAt(a, row, column), cellAt(b, row, column)];
  }

  const result: CellValue[][] = [];
  for (let row = 0; row < rows; row++) {
    const line: CellValue[] = [];
    for (let column = 0; column < columns; column++) {
      const [x, y] = pick(row, column);
      // A blank cell inside a range (a gap in a header row) stays blank rather than shouting an error.
      const blankInRange = (shapeA !== null && isBlank(x)) || (shapeB !== null && isBlank(y));
      line.push(blankInRange ? "" : call(pass(x, y)));
    }
    result.push(line);
  }
  return result;
}
