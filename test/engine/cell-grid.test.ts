/** The row/column index behind recalc's dependency scan: it must find exactly the cells a naive scan finds. */
import fc from "fast-check";
import { AreaIndex, CellGrid, type GridArea } from "../../src/engine/cell-grid";

const inside = (area: GridArea, row: number, col: number): boolean => row >= area.fromRow && row <= area.toRow && col >= area.fromCol && col <= area.toCol;
const overlaps = (a: GridArea, b: GridArea): boolean => a.fromRow <= b.toRow && a.toRow >= b.fromRow && a.fromCol <= b.toCol && a.toCol >= b.fromCol;
const area = fc.record({ fromRow: fc.integer({ min: 1, max: 2000 }), fromCol: fc.integer({ min: 1, max: 60 }), rows: fc.integer({ min: 0, max: 3000 }), cols: fc.integer({ min: 0, max: 80 }) }).map(
  ({ fromRow, fromCol, rows, cols }) => ({ fromRow, fromCol, toRow: fromRow + rows, toCol: fromCol + cols }),
);

describe("CellGrid", () => {
  it("finds the cells inside any area, row by row, as a scan of every cell would", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 100 })), { maxLength: 300 }), fc.array(area, { minLength: 1, maxLength: 10 }), (points, areas) => {
        const grid = new CellGrid<string>();
        const unique = [...new Map(points.map(([row, col]) => [`${row},${col}`, [row, col] as const])).values()];
        for (const [row, col] of unique) grid.add(row, col, `${row},${col}`);
        for (const query of areas) {
          const expected = unique.filter(([row, col]) => inside(query, row, col)).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([row, col]) => `${row},${col}`);
          expect(grid.within(query)).toEqual(expected);
        }
      }),
    );
  });

  it("answers a whole-column query on a sheet of a million rows' reach without visiting empty rows", () => {
    const grid = new CellGrid<number>();
    grid.add(1_048_576, 3, 1);
    grid.add(5, 3, 2);
    grid.add(5, 4, 3);
    expect(grid.within({ fromRow: 1, fromCol: 3, toRow: 1_048_576, toCol: 3 })).toEqual([2, 1]);
    expect(grid.get(5, 4)).toBe(3);
    expect(grid.extent()).toEqual({ row: 1_048_576, col: 4 });
  });
});

describe("AreaIndex", () => {
  it("finds every area overlapping a range, each once", () => {
    fc.assert(
      fc.property(fc.array(area, { maxLength: 40 }), area, (areas, query) => {
        const index = new AreaIndex<number>();
        areas.forEach((entry, at) => index.add(entry, at));
        const expected = areas.map((entry, at) => [entry, at] as const).filter(([entry]) => overlaps(entry, query)).map(([, at]) => at);
        expect(index.overlapping(query).sort((a, b) => a - b)).toEqual(expected);
      }),
    );
  });
});
