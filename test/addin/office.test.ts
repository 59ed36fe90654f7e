/**
 * The taskpane's Office.js adapter against a stand-in of the Excel host: a sheet held as a grid of formulas,
 * reached only through the API surface the adapter uses (Excel.run, getActiveCell, getResizedRange, load, sync).
 */
import { CELLS_PER_READ, RUNS_PER_SYNC, connectToOffice, findQfinCells, insertFormulaAtActiveCell, readCalculationMode, readSetting, touchQfinCells, writeSetting } from "../../src/addin/office";

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

describe("connectToOffice", () => {
  const scope = globalThis as unknown as { Office?: unknown };
  afterEach(() => {
    delete scope.Office;
  });

  it("says office.js is missing when its script did not load, without throwing", async () => {
    delete scope.Office;
    await expect(connectToOffice()).resolves.toBe("office-js-missing");
  });

  it("says office.js is silent when Office.onReady never resolves (its files blocked), at the limit", async () => {
    scope.Office = { onReady: () => new Promise(() => undefined), HostType: { Excel: "Excel" } };
    const started = Date.now();
    await expect(connectToOffice(200)).resolves.toBe("office-js-silent");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("tells a plain browser (no host), Excel and another Office application apart", async () => {
    for (const [host, expected] of [
      [null, "none"],
      ["Excel", "excel"],
      ["Word", "other-office"],
    ] as const) {
      scope.Office = { onReady: async () => ({ host, platform: null }), HostType: { Excel: "Excel" } };
      await expect(connectToOffice(200)).resolves.toBe(expected);
    }
  });
});

describe("the calculation adapter", () => {
  /** A workbook of named sheets, each a block of formulas at an origin; records what was read, dirtied and calculated. */
  function fakeWorkbook(mode: string, sheets: Record<string, { rowIndex: number; columnIndex: number; formulas: string[][] } | null>) {
    const log: string[] = [];
    let syncs = 0;
    const run = async <T>(batch: (context: unknown) => Promise<T>): Promise<T> => {
      const pending: (() => void)[] = [];
      const application = { calculationMode: undefined as string | undefined, load: () => pending.push(() => (application.calculationMode = mode)) };
      const items = Object.keys(sheets).map((name) => ({
        name,
        // The extent only: the formulas are read block by block (getRangeByIndexes).
        getUsedRangeOrNullObject: () => {
          const used: Record<string, unknown> = {};
          return Object.assign(used, {
            load: (properties: string) =>
              pending.push(() => {
                const block = sheets[name];
                if (properties.includes("formulas")) throw new Error("fake: the whole used range's formulas were loaded at once");
                Object.assign(used, block === null ? { isNullObject: true } : { isNullObject: false, rowIndex: block.rowIndex, columnIndex: block.columnIndex, rowCount: block.formulas.length, columnCount: block.formulas[0]?.length ?? 0 });
              }),
          });
        },
        getRangeByIndexes: (row: number, column: number, rows: number, columns: number) => {
          const range: Record<string, unknown> = {};
          return Object.assign(range, {
            load: () =>
              pending.push(() => {
                const block = sheets[name] as { rowIndex: number; columnIndex: number; formulas: string[][] };
                if (rows * columns > CELLS_PER_READ) throw new Error(`fake: ${rows * columns} cells read at once`);
                log.push(`read ${name} rows ${row}+${rows}`);
                range.formulas = block.formulas.slice(row - block.rowIndex, row - block.rowIndex + rows).map((line) => line.slice(column - block.columnIndex, column - block.columnIndex + columns));
              }),
          });
        },
      }));
      const worksheets = {
        items: [] as typeof items,
        load: () => pending.push(() => (worksheets.items = items)),
        getItem: (name: string) => ({
          getRange: (address: string) => ({
            setDirty: () => pending.push(() => log.push(`dirty ${name}!${address}`)),
            calculate: () => pending.push(() => log.push(`calculate ${name}!${address}`)),
          }),
        }),
      };
      const context = {
        workbook: { application, worksheets },
        sync: async () => {
          syncs++;
          pending.splice(0).forEach((apply) => apply());
        },
      };
      return batch(context);
    };
    (globalThis as unknown as { Excel: unknown }).Excel = { run };
    return { log, syncs: () => syncs };
  }

  it("reads Excel's calculation mode", async () => {
    fakeWorkbook("Manual", {});
    await expect(readCalculationMode()).resolves.toBe("manual");
    fakeWorkbook("AutomaticExceptTables", {});
    await expect(readCalculationMode()).resolves.toBe("automaticExceptTables");
    fakeWorkbook("Sometimes", {});
    await expect(readCalculationMode()).rejects.toThrow('unknown calculation mode "Sometimes"');
  });

  it("finds the QFIN cells sheet by sheet (one sync each), skipping empty sheets, and touches only them", async () => {
    const workbook = fakeWorkbook("Automatic", {
      Model: { rowIndex: 3, columnIndex: 1, formulas: [["=QFIN.METRIC(A1,B1)", "=QFIN.METRIC(A1,C1)", "=B4*2"]] },
      Empty: null,
      Notes: { rowIndex: 0, columnIndex: 0, formulas: [["text", '="QFIN.METRIC("']] },
    });
    const cells = await findQfinCells();
    expect(cells).toEqual({ runs: [{ sheet: "Model", address: "B4:C4", cells: 2 }], cells: 2, sheets: 1 });
    // The sheets' names, their used ranges' extents, then one block each.
    expect(workbook.syncs()).toBe(1 + 1 + 2);
    expect(workbook.log.splice(0)).toEqual(["read Model rows 3+1", "read Notes rows 0+1"]);
    await touchQfinCells(cells, true);
    expect(workbook.log).toEqual(["dirty Model!B4:C4", "calculate Model!B4:C4"]);
    expect(workbook.syncs()).toBe(5);
    workbook.log.length = 0;
    await touchQfinCells(cells, false);
    expect(workbook.log).toEqual(["dirty Model!B4:C4"]);
  });

  it("reads a large sheet in blocks of whole rows, each under the cells-per-read limit, and finds QFIN cells in every block", async () => {
    const rows = 20_001;
    const formulas = Array.from({ length: rows }, (_, row) => ["label", row % 5_000 === 0 || row === rows - 1 ? "=QFIN.METRIC(A1,B1)" : "=1", ""]);
    const workbook = fakeWorkbook("Automatic", { Big: { rowIndex: 10, columnIndex: 2, formulas } });
    const cells = await findQfinCells();
    const perBlock = Math.floor(CELLS_PER_READ / 3);
    const blocks = Math.ceil(rows / perBlock);
    expect(workbook.log).toEqual(Array.from({ length: blocks }, (_, block) => `read Big rows ${10 + block * perBlock}+${Math.min(perBlock, rows - block * perBlock)}`));
    expect(workbook.syncs()).toBe(2 + blocks);
    // Rows 0, 5,000, 10,000, 15,000, 20,000 of the block, which starts at row 11 (rowIndex 10), column D (index 3).
    expect(cells.runs.map((run) => run.address)).toEqual(["D11", "D5011", "D10011", "D15011", "D20011"]);
  });

  it("marks many ranges in batches of at most RUNS_PER_SYNC a sync", async () => {
    const workbook = fakeWorkbook("Automatic", {});
    const runs = Array.from({ length: RUNS_PER_SYNC * 2 + 1 }, (_, i) => ({ sheet: "Model", address: `C${i + 1}`, cells: 1 }));
    await touchQfinCells({ runs, cells: runs.length, sheets: 1 }, true);
    expect(workbook.syncs()).toBe(3);
    expect(workbook.log.filter((entry) => entry.startsWith("calculate"))).toHaveLength(runs.length);
  });
});

describe("settings (OfficeRuntime.storage)", () => {
  const scope = globalThis as unknown as { OfficeRuntime?: unknown };
  afterEach(() => {
    delete scope.OfficeRuntime;
  });

  it("reads and writes through OfficeRuntime.storage", async () => {
    const stored = new Map<string, string>();
    scope.OfficeRuntime = { storage: { getItem: async (key: string) => stored.get(key) ?? null, setItem: async (key: string, value: string) => void stored.set(key, value) } };
    await expect(readSetting("qfin.x")).resolves.toBeNull();
    await writeSetting("qfin.x", "on");
    await expect(readSetting("qfin.x")).resolves.toBe("on");
  });

  it("says why when there is no storage, instead of pretending the setting is off", async () => {
    await expect(readSetting("qfin.x")).rejects.toThrow("OfficeRuntime.storage is missing");
    await expect(writeSetting("qfin.x", "on")).rejects.toThrow("OfficeRuntime.storage is missing");
  });
});
