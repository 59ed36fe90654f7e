/** How the workbook catches up after Apply: the plan for each calculation mode and Excel, and which cells are QFIN's. */
import { describePlan, needsConsent, planRecalculation, qfinCellRuns, qfinCellSet, type CalculationMode, type WorkbookCalculation } from "../../src/addin/recalculation";

const workbook = (mode: CalculationMode, cells: boolean): WorkbookCalculation => ({
  calculationMode: async () => mode,
  canRecalculateCells: () => cells,
  findQfinCells: async () => ({ runs: [], cells: 0, sheets: 0 }),
  touchQfinCells: async () => undefined,
  calculateEverything: async () => undefined,
});

describe("planRecalculation", () => {
  it("recalculates only the QFIN cells in Automatic mode where Excel can mark them (ExcelApi 1.9)", async () => {
    for (const mode of ["automatic", "automaticExceptTables"] as const) {
      const plan = await planRecalculation(workbook(mode, true));
      expect(plan).toEqual({ kind: "recalculate-cells", mode });
      expect(needsConsent(plan)).toBe(false);
    }
  });

  it("only marks them in Manual mode: nothing is calculated until the analyst calculates", async () => {
    const plan = await planRecalculation(workbook("manual", true));
    expect(plan).toEqual({ kind: "mark-cells", mode: "manual" });
    expect(needsConsent(plan)).toBe(false);
    expect(describePlan(plan)).toBe("Calculation is Manual: Apply loads the data and marks the QFIN cells; they show it at your next calculation (F9). Nothing is recalculated now.");
  });

  it("needs the analyst's yes for a full calculation where Excel cannot mark single cells, and never calculates in Manual mode", async () => {
    const automatic = await planRecalculation(workbook("automatic", false));
    expect(automatic).toEqual({ kind: "full-calculation", mode: "automatic" });
    expect(needsConsent(automatic)).toBe(true);
    const manual = await planRecalculation(workbook("manual", false));
    expect(manual).toEqual({ kind: "none", mode: "manual" });
    expect(needsConsent(manual)).toBe(false);
    expect(describePlan(manual)).toContain("Ctrl+Alt+F9");
  });
});

describe("qfinCellRuns", () => {
  it("finds QFIN formulas (typed or as saved) as runs of adjacent cells per row, at the block's position", () => {
    const formulas = [
      ["Net income", '=QFIN.METRIC($B6,C$4)', '=QFIN.METRIC($B6,D$4)', "=C6-D6", '=_xldudf_QFIN_MARGIN($B6,F$4)'],
      ["", "", "", "", ""],
      ['="QFIN.METRIC(" & A1', "QFIN.METRIC(1,2)", "=ROUND(qfin.growth(A1,B1),3)", "=QFIN.VERSION()", 42],
    ];
    expect(qfinCellRuns(formulas, { rowIndex: 5, columnIndex: 1 })).toEqual([
      { address: "C6:D6", cells: 2 },
      { address: "F6", cells: 1 },
      { address: "D8:E8", cells: 2 },
    ]);
  });

  it("finds none where no formula calls QFIN (a string that spells it, a constant)", () => {
    expect(qfinCellRuns([['="QFIN.X("', "QFIN.METRIC(", 1, null]], { rowIndex: 0, columnIndex: 0 })).toEqual([]);
  });

  it("gathers runs by sheet into one set with its counts", () => {
    const set = qfinCellSet([
      { sheet: "Income statement", runs: [{ address: "C6:J6", cells: 8 }, { address: "C7:J7", cells: 8 }] },
      { sheet: "Notes", runs: [] },
      { sheet: "Checks", runs: [{ address: "B2", cells: 1 }] },
    ]);
    expect(set).toEqual({
      runs: [
        { sheet: "Income statement", address: "C6:J6", cells: 8 },
        { sheet: "Income statement", address: "C7:J7", cells: 8 },
        { sheet: "Checks", address: "B2", cells: 1 },
      ],
      cells: 17,
      sheets: 2,
    });
  });
});
