/**
 * Insert model's plans: the analyst model (buildAnalystModel over the shipped dataset) as the 2-D blocks, style
 * rectangles, widths and panes office.ts writes. Every model cell must land at its address with its exact formula or
 * value and its number format; nothing else may be written.
 */
import datasetJson from "../../data/dataset.json";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { formatA1 } from "../../src/excel/a1";
import { ROLE_STYLES as ROLE_FORMATS } from "../../src/models/cell-styles";
import { buildAnalystModel, type AnalystModel } from "../../src/models/analyst-model";
import { cellEntry, columnWidthPoints, planModelSheet, type SheetPlan } from "../../src/addin/model-sheet-plan";

let model: AnalystModel;
let plans: SheetPlan[];

beforeAll(() => {
  model = buildAnalystModel(buildIndex(loadDataset(datasetJson)));
  plans = model.sheets.map(planModelSheet);
});

const planNamed = (name: string): SheetPlan => {
  const plan = plans.find((candidate) => candidate.name === name);
  if (!plan) throw new Error(`no plan for ${name}`);
  return plan;
};

/** Every cell of a plan's blocks with something in it, by address. */
function written(plan: SheetPlan): Map<string, { entry: string | number; format: string }> {
  const cells = new Map<string, { entry: string | number; format: string }>();
  plan.formulas.forEach((line, row) =>
    line.forEach((entry, col) => {
      const format = plan.numberFormats[row]?.[col] ?? "General";
      if (entry !== "" || format !== "General") cells.set(formatA1({ row: row + 1, col: col + 1 }), { entry, format });
    }),
  );
  return cells;
}

/** The addresses a block covers (`C6:D7` → C6, D6, C7, D7). */
function cellsOf(address: string): string[] {
  const [first, last = first] = address.split(":");
  const parse = (a1: string): [number, number] => {
    const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(a1) as RegExpExecArray;
    return [Number(digits), [...letters].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0)];
  };
  const [top, left] = parse(first as string);
  const [bottom, right] = parse(last);
  const out: string[] = [];
  for (let row = top; row <= bottom; row++) for (let col = left; col <= right; col++) out.push(formatA1({ row, col }));
  return out;
}

describe("planModelSheet", () => {
  it("plans every sheet of the model, in order", () => {
    expect(plans.map((plan) => plan.name)).toEqual(model.sheets.map((sheet) => sheet.name));
    expect(plans.map((plan) => plan.name)).toEqual(["Cover", "Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Capital & outlook", "Analysis", "Definitions", "Checks"]);
  });

  it("writes exactly the model's cells — formulas as typed, constants, number formats — and nothing else", () => {
    model.sheets.forEach((sheet, index) => {
      const plan = plans[index] as SheetPlan;
      const expected = new Map(sheet.cells.map((cell) => [cell.address, { entry: cellEntry(cell), format: cell.numberFormat ?? "General" }]));
      expect(written(plan)).toEqual(expected);
      for (const cell of sheet.cells) if (cell.formula !== undefined) expect(cellEntry(cell)).toBe(cell.formula);
    });
    const income = written(planNamed("Income statement"));
    expect(income.get("C6")).toEqual({ entry: "=IFERROR(QFIN.METRIC($B6,C$4),QFIN.MARKER($B6,C$4))", format: '#,##0.0_);(#,##0.0);"–"_);@_)' });
  });

  it("covers the used rectangle from A1 with blocks of one size", () => {
    for (const plan of plans) {
      const [, last] = plan.address.split(":");
      const [, letters, rows] = /^([A-Z]+)(\d+)$/.exec(last as string) as RegExpExecArray;
      expect(plan.formulas).toHaveLength(Number(rows));
      expect(plan.numberFormats).toHaveLength(Number(rows));
      const columns = [...(letters as string)].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0);
      for (const line of [...plan.formulas, ...plan.numberFormats]) expect(line).toHaveLength(columns);
    }
  });

  it("styles every cell whose role has a look (bold totals among them) exactly once, in rectangles", () => {
    model.sheets.forEach((sheet, index) => {
      const plan = plans[index] as SheetPlan;
      const styled = new Map<string, string>();
      for (const block of plan.styles) {
        for (const address of cellsOf(block.address)) {
          expect(styled.has(address)).toBe(false);
          styled.set(address, `${block.role}/${block.indent}`);
        }
      }
      const expected = new Map(
        sheet.cells
          .filter((cell) => Object.keys(ROLE_FORMATS[cell.role]).length > 0 || (cell.indent ?? 0) > 0)
          .map((cell) => [cell.address, `${cell.role}/${cell.indent ?? 0}`]),
      );
      expect(styled).toEqual(expected);
      expect(plan.styles.length).toBeLessThan(expected.size);
    });
    expect(ROLE_FORMATS["total-figure"]).toMatchObject({ bold: true, borderTop: true });
    expect(ROLE_FORMATS["total-label"]).toMatchObject({ bold: true });
    const income = planNamed("Income statement");
    const totalRow = (model.sheets.find((sheet) => sheet.name === "Income statement")?.cells ?? []).find((cell) => cell.role === "total-figure")?.address.replace(/^[A-Z]+/, "");
    expect(income.styles.some((block) => block.role === "total-figure" && block.address.startsWith("C") && block.address.endsWith(totalRow as string))).toBe(true);
  });

  it("carries the frozen panes and the widths, in points", () => {
    expect(planNamed("Income statement").frozen).toEqual({ rows: 5, columns: 2 });
    expect(planNamed("Checks").frozen).toEqual({ rows: 0, columns: 1 });
    expect(planNamed("Income statement").columnWidths.slice(0, 3)).toEqual([
      { columns: "A:A", points: columnWidthPoints(54) },
      { columns: "B:B", points: columnWidthPoints(34) },
      { columns: "C:C", points: columnWidthPoints(12) },
    ]);
  });

  it("hides the item-id column, names the model's font, and carries row heights, notes and print settings", () => {
    const income = planNamed("Income statement");
    expect(income.hiddenColumns).toEqual(["B:B"]);
    expect(income.font).toEqual({ name: "Arial", size: 10 });
    expect(income.print.titleRows).toMatch(/^\d+:\d+$/);
    expect(income.print.onePage).toBe(false);
    expect(planNamed("Cover").hiddenColumns).toEqual([]);
    expect(planNamed("Cover").print.onePage).toBe(true);
    for (const [index, plan] of plans.entries()) {
      const sheet = model.sheets[index];
      if (!sheet) throw new Error(`no sheet ${index}`);
      expect(plan.rowHeights).toEqual(sheet.rowHeights.map(({ row, height }) => ({ rows: `${row}:${row}`, points: height })));
      expect(plan.print.breaksBefore).toEqual(sheet.pageBreaks.filter((row) => row > 1).map((row) => `A${row}`));
      expect(plan.print.area).toBe(sheet.printArea ?? null);
      expect(plan.notes).toEqual(sheet.cells.filter((cell) => cell.note !== undefined).map((cell) => ({ address: cell.address, text: cell.note })));
    }
    // Every KPI's definition rides on its label as a note (and is on the Definitions sheet too).
    const kpis = planNamed("KPIs");
    expect(kpis.notes.length).toBeGreaterThanOrEqual(10);
    expect(kpis.notes.map((note) => note.address).every((address) => address.startsWith("A"))).toBe(true);
  });
});

describe("columnWidthPoints", () => {
  it("converts Excel's character widths to points (7 px a character + 5 px padding, 0.75 pt a pixel)", () => {
    expect(columnWidthPoints(12)).toBe(66.75);
    expect(columnWidthPoints(8.43)).toBe(48);
  });
});

describe("cellEntry", () => {
  it("writes formulas and numbers as they are, text as text even where Excel would read it otherwise", () => {
    expect(cellEntry({ address: "A1", formula: "=QFIN.VERSION()", role: "item-ref" })).toBe("=QFIN.VERSION()");
    expect(cellEntry({ address: "A1", value: 12, role: "figure" })).toBe(12);
    expect(cellEntry({ address: "C4", value: "latest-1", role: "period-input" })).toBe("latest-1");
    expect(cellEntry({ address: "C4", value: "2023H1", role: "period-input" })).toBe("2023H1");
    expect(cellEntry({ address: "A9", value: "2023-06-30", role: "label" })).toBe("'2023-06-30");
    expect(cellEntry({ address: "A9", value: "=1+1", role: "label" })).toBe("'=1+1");
    expect(cellEntry({ address: "A9", value: "- of which", role: "label" })).toBe("'- of which");
    expect(cellEntry({ address: "A9", value: "TRUE", role: "label" })).toBe("'TRUE");
  });
});
