/**
 * Lifting a scalar function of (item, period) over ranges, as Excel lifts its own functions: a range and a single
 * value give a result of the range's shape; two ranges of one shape pair cell by cell; a column and a row give the
 * grid (an item column against a header row of periods). Blank cells in a range give blank results.
 */
import { CellError, ErrorType, type ArgValue, type CellValue, type FunctionResult } from "../core/cell";
import { Messages } from "../core/messages";
import { isBlank, unwrapSingleCell } from "./arguments";

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
 * Calls `call` once per cell of the broadcast shape; a single call when neither argument is a range.
 *
 * @example
 * broadcastPair([["Net income"], ["Total net revenue"]], [["Q1 2023", "Q2 2023"]], metricOf) // 2×2 grid
 */
export function broadcastPair(first: ArgValue, second: ArgValue, call: (first: ArgValue, second: ArgValue) => CellValue): FunctionResult {
  const a = unwrapSingleCell(first);
  const b = unwrapSingleCell(second);
  const shapeA = shapeOf(a);
  const shapeB = shapeOf(b);
  if (shapeA === null && shapeB === null) return call(a, b);
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
      line.push(blankInRange ? "" : call(x, y));
    }
    result.push(line);
  }
  return result;
}
