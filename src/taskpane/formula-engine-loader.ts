/**
 * The formula engine, for the panes that evaluate formulas (the workbench, Link this workbook's check of each link):
 * a chunk of its own (`formula-engine.js`), loaded the first time it is needed, so the pane starts without it.
 */
export type FormulaEngine = typeof import("../engine/formula-engine");
let engine: Promise<FormulaEngine> | null = null;

/** The engine, loaded once; a failed load is tried again at the next call. */
export function loadFormulaEngine(): Promise<FormulaEngine> {
  engine ??= import(/* webpackChunkName: "formula-engine" */ "../engine/formula-engine").catch((error: unknown) => {
    engine = null;
    throw error;
  });
  return engine;
}
