/**
 * How the workbook catches up after the data in use changed, decided here and carried out by the Office adapter
 * (office.ts) or, in the preview, by the workbench. Pure: no DOM, no Office.
 *
 * Excel does not re-run a custom function whose arguments did not change (not on F9, not on open: only volatile
 * functions are), so new data shows only once the QFIN cells are marked dirty or everything is recalculated. The
 * rules, from Microsoft's API reference (see README, "When the next release lands"):
 * - Automatic calculation, and the Excel has `Range.setDirty` (ExcelApi 1.9): mark the QFIN cells dirty and calculate
 *   them; Excel then recalculates what depends on them. Nothing else is recalculated.
 * - Manual calculation, with `setDirty`: only mark them. Excel calculates nothing until the analyst does (F9), and then
 *   the QFIN cells are among the cells it calculates.
 * - Without `setDirty`, only a full calculation (`Application.calculate(full)`: every formula of every open workbook)
 *   re-runs them: in Automatic mode the pane asks first; in Manual mode it tells the analyst to press Ctrl+Alt+F9.
 */
import { columnLetters } from "../excel/a1";
import { callsQfin } from "../excel/formula-text";

export type CalculationMode = "automatic" | "automaticExceptTables" | "manual";

/** What a host can do to make the workbook show the data now in use. */
export interface WorkbookCalculation {
  calculationMode(): Promise<CalculationMode>;
  /** Whether the QFIN cells can be re-run by themselves (Excel: ExcelApi 1.9 for `Range.setDirty`). */
  canRecalculateCells(): boolean;
  /** Reads the workbook for its QFIN cells (changes nothing). */
  findQfinCells(): Promise<QfinCellSet>;
  /** Marks those cells dirty and, when `calculate`, calculates them now (Excel then recalculates their dependents). */
  touchQfinCells(cells: QfinCellSet, calculate: boolean): Promise<void>;
  /** A full calculation of every open workbook. */
  calculateEverything(): Promise<void>;
  /**
   * Resolves true once the host has run a QFIN function since the data changed, false if it has not within its wait.
   * Absent where recalculating is itself running the functions (the preview's workbench).
   */
  waitForRerun?(): Promise<boolean>;
}

/** The QFIN cells of a workbook, by sheet, as runs of adjacent cells (see `qfinCellRuns`). */
export interface QfinCellSet {
  runs: { sheet: string; address: string; cells: number }[];
  cells: number;
  sheets: number;
}

/** Gathers the runs found on each sheet into one set. */
export function qfinCellSet(bySheet: readonly { sheet: string; runs: readonly QfinCellRun[] }[]): QfinCellSet {
  const runs = bySheet.flatMap(({ sheet, runs: found }) => found.map((run) => ({ sheet, address: run.address, cells: run.cells })));
  return { runs, cells: runs.reduce((sum, run) => sum + run.cells, 0), sheets: new Set(runs.map((run) => run.sheet)).size };
}

export type RecalculationPlan =
  /** Automatic mode: the QFIN cells are recalculated, and what depends on them. */
  | { kind: "recalculate-cells"; mode: CalculationMode }
  /** Manual mode: the QFIN cells are marked; the analyst's next calculation (F9) shows the new data. */
  | { kind: "mark-cells"; mode: "manual" }
  /** Automatic mode in an Excel that can only calculate everything: ask first. */
  | { kind: "full-calculation"; mode: CalculationMode }
  /** Manual mode in an Excel that can only calculate everything: nothing is calculated; Ctrl+Alt+F9 will. */
  | { kind: "none"; mode: "manual" };

/** Decides what Apply will do in this workbook, now. */
export async function planRecalculation(calculation: WorkbookCalculation): Promise<RecalculationPlan> {
  const mode = await calculation.calculationMode();
  const cells = calculation.canRecalculateCells();
  if (mode === "manual") return cells ? { kind: "mark-cells", mode } : { kind: "none", mode };
  return cells ? { kind: "recalculate-cells", mode } : { kind: "full-calculation", mode };
}

/** Whether the plan needs the analyst's yes before it runs. */
export const needsConsent = (plan: RecalculationPlan): boolean => plan.kind === "full-calculation";

/**
 * What Apply will do to the workbook, for the offer (said where it is not the plain "recalculates the QFIN cells").
 *
 * @example
 * describePlan({ kind: "mark-cells", mode: "manual" })
 * // "Calculation is Manual: Apply loads the data and marks the QFIN cells; they show it at your next calculation (F9)."
 */
export function describePlan(plan: RecalculationPlan): string {
  switch (plan.kind) {
    case "recalculate-cells":
      return "Apply loads the data and recalculates the QFIN cells of this workbook and what depends on them; nothing else is recalculated.";
    case "mark-cells":
      return "Calculation is Manual: Apply loads the data and marks the QFIN cells; they show it at your next calculation (F9). Nothing is recalculated now.";
    case "full-calculation":
      return "This version of Excel can re-run QFIN formulas only with a full calculation of every open workbook; Apply asks before it does that.";
    case "none":
      return "Calculation is Manual and this version of Excel cannot mark the QFIN cells: Apply loads the data; the cells show it after a full calculation (Ctrl+Alt+F9). F9 alone does not re-run them.";
  }
}

/** The question asked before a full calculation. */
export const FULL_CALCULATION_QUESTION =
  "This version of Excel can re-run the QFIN formulas only by recalculating every formula in every open workbook (a full calculation, like Ctrl+Alt+F9), which can take a while in large workbooks. Load the newer data and recalculate everything now?";

/** A block of QFIN cells on one row of a sheet, as an A1 range. */
export interface QfinCellRun {
  address: string;
  cells: number;
}

/**
 * The QFIN cells of a block of formulas read from a sheet (`formulas[r][c]` is the cell at `origin` + (r, c), 0-based
 * row and column indexes as Office.js gives them), as runs of adjacent cells on each row: one range per run keeps the
 * number of ranges the host touches small (the analyst model: 1 per row) without ever touching a cell that does not
 * call QFIN.
 *
 * @example
 * qfinCellRuns([["=1", '=QFIN.METRIC("Net income","latest")', "=QFIN.VERSION()"]], { rowIndex: 3, columnIndex: 1 })
 * // [{ address: "C4:D4", cells: 2 }]
 */
export function qfinCellRuns(formulas: readonly (readonly unknown[])[], origin: { rowIndex: number; columnIndex: number }): QfinCellRun[] {
  const runs: QfinCellRun[] = [];
  formulas.forEach((line, r) => {
    let start = -1;
    for (let c = 0; c <= line.length; c++) {
      const cell = line[c];
      const qfin = c < line.length && typeof cell === "string" && cell.startsWith("=") && callsQfin(cell);
      if (qfin && start < 0) start = c;
      if (!qfin && start >= 0) {
        const row = origin.rowIndex + r + 1;
        const first = `${columnLetters(origin.columnIndex + start + 1)}${row}`;
        const last = `${columnLetters(origin.columnIndex + c)}${row}`;
        runs.push({ address: first === last ? first : `${first}:${last}`, cells: c - start });
        start = -1;
      }
    }
  });
  return runs;
}
