/**
 * The taskpane's Office.js adapter against a stand-in of the Excel host: a sheet held as a grid of formulas,
 * reached only through the API surface the adapter uses (Excel.run, getActiveCell, getResizedRange, load, sync).
 */
import { insertFormulaAtActiveCell, isSpillAreaClear } from "../../src/addin/office";

/** A one-sheet Excel host. Loaded properties only become readable after `sync`, as in Excel. */
class FakeSheet {
  readonly grid = new Map<string, string>();
  syncs = 0;
  constructor(
    readonly activeRow: number,
    readonly activeColumn: number,
  ) {}

  address(row: number, column: number): string {
    return `Sheet1!${String.fromCharCode(65 + column)}${row + 1}`;
  }

  run<T>(batch: (context: unknown) => Promise<T>): Promise<T> {
    const pending: (() => void)[] = [];
    const grid = this.grid;
    const address = (row: number, column: number): string => this.address(row, column);
    const range = (row: number, column: number, rows: number, columns: number) => {
      const loaded: { address?: string; formulas?: string[][] } = {};
      const self = {
        set formulas(values: string[][]) {
          pending.push(() => values.forEach((line, r) => line.forEach((value, c) => grid.set(address(row + r, column + c), value))));
        },
        get formulas(): string[][] {
          if (!loaded.formulas) throw new Error("formulas read before load + sync");
          return loaded.formulas;
        },
        get address(): string {
          if (!loaded.address) throw new Error("address read before load + sync");
          return loaded.address;
        },
        load: (what: string) => {
          pending.push(() => {
            if (what.includes("address")) loaded.address = this.address(row, column);
            if (what.includes("formulas")) {
              loaded.formulas = Array.from({ length: rows }, (_, r) =>
                Array.from({ length: columns }, (_, c) => this.grid.get(this.address(row + r, column + c)) ?? ""),
              );
            }
          });
        },
        getResizedRange: (deltaRows: number, deltaColumns: number) => range(row, column, rows + deltaRows, columns + deltaColumns),
      };
      return self;
    };
    const context = {
      workbook: { getActiveCell: () => range(this.activeRow, this.activeColumn, 1, 1) },
      sync: async () => {
        this.syncs++;
        pending.splice(0).forEach((apply) => apply());
      },
    };
    return batch(context);
  }
}

let sheet: FakeSheet;
beforeEach(() => {
  sheet = new FakeSheet(3, 1); // B4
  (globalThis as unknown as { Excel: unknown }).Excel = { run: (batch: (context: unknown) => Promise<unknown>) => sheet.run(batch) };
});
afterEach(() => {
  delete (globalThis as unknown as { Excel?: unknown }).Excel;
});

describe("insertFormulaAtActiveCell", () => {
  it("writes the formula into the active cell and returns its address after one sync", async () => {
    const address = await insertFormulaAtActiveCell('=QFIN.METRIC("Net income","Q2 2023")');
    expect(address).toBe("Sheet1!B4");
    expect(sheet.grid.get("Sheet1!B4")).toBe('=QFIN.METRIC("Net income","Q2 2023")');
    expect(sheet.syncs).toBe(1);
  });
});

describe("isSpillAreaClear", () => {
  it("is true for a single cell without asking Excel", async () => {
    sheet.grid.set("Sheet1!B4", "old value");
    await expect(isSpillAreaClear(1, 1)).resolves.toBe(true);
    expect(sheet.syncs).toBe(0);
  });

  it("ignores the active cell itself, which the formula replaces", async () => {
    sheet.grid.set("Sheet1!B4", "old value");
    await expect(isSpillAreaClear(2, 3)).resolves.toBe(true);
  });

  it("is false when a value or a formula sits inside the spill area, true when it sits just outside", async () => {
    sheet.grid.set("Sheet1!D5", "=1/0");
    await expect(isSpillAreaClear(2, 3)).resolves.toBe(false); // B4:D5 holds D5
    await expect(isSpillAreaClear(2, 2)).resolves.toBe(true); // B4:C5 does not
    await expect(isSpillAreaClear(1, 3)).resolves.toBe(true); // B4:D4 does not
  });
});
