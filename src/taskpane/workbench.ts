/**
 * The formula workbench: type a QFIN formula, see its result or its error, evaluated by the same function code Excel
 * runs. Outside Excel it stands in for the sheet: the pane's Insert fills it and evaluates.
 *
 * What is typed is read as a cell reads it (src/excel/typed-formula.ts): curly quotes pasted from Word and `;`
 * separators are repaired and said so, text without `=` is explained. A formula that does not parse shows its error
 * in place of the last result: the result area never shows an answer to an earlier formula. Nothing here throws to
 * the page (webpack-dev-server's overlay, or a silent console in production, would be all the analyst saw).
 *
 * The formula engine (fast-formula-parser and formulajs) is most of the pane's code and only the workbench needs it,
 * so it is a separate file (formula-engine.js, from the add-in's own host), loaded the first time a formula is
 * evaluated.
 */
import type { Session } from "../addin/session";
import type { FunctionResult } from "../core/cell";
import type { DatasetIndex } from "../core/dataset-index";
import { readTypedFormula } from "../excel/typed-formula";
import { FUNCTIONS } from "../functions/catalogue";
import { byId, el } from "./dom";
import { reason } from "./confirm";
import { loadFormulaEngine, type FormulaEngine } from "./on-demand";
import { viewResult, type CellView, type ResultView } from "./result-view";

/** What the workbench shows: the result of a formula, or why there is none. */
export type WorkbenchView = ResultView | { kind: "problem"; message: string };

/**
 * Evaluates what was typed: repaired and explained where it is not quite a formula, refused with the reason where
 * it is not one, the engine's syntax error where it does not parse.
 */
export async function evaluateTyped(index: DatasetIndex | null, typed: string): Promise<{ view: WorkbenchView; formula: string | null; repairs: string[] }> {
  const read = readTypedFormula(typed);
  if (read.kind === "refused") return { view: { kind: "problem", message: read.reason }, formula: null, repairs: [] };
  let evaluate: FormulaEngine["evaluateFormula"];
  try {
    evaluate = (await loadFormulaEngine()).evaluateFormula;
  } catch (error) {
    return { view: { kind: "problem", message: `The formula engine (formula-engine.js) could not be loaded from the add-in's host: ${reason(error)}. Reopen the pane to try again.` }, formula: null, repairs: read.repairs };
  }
  let result: FunctionResult;
  try {
    result = evaluate(index, read.formula);
  } catch (error) {
    // FormulaSyntaxError: "Cannot evaluate =SUM(1,2: syntax error at character 9: the formula ends too early."
    return { view: { kind: "problem", message: reason(error) }, formula: null, repairs: read.repairs };
  }
  return { view: viewResult(result), formula: read.formula, repairs: read.repairs };
}

function cellElement(cell: CellView): HTMLElement {
  const td = el("td", { className: cell.isError ? "error-code" : cell.isNumber ? "number" : undefined }, cell.text);
  if (cell.title) td.title = cell.title;
  return td;
}

/** Draws a result: a value, an error (code and message), a spill as a table with its size, or why there is none. */
export function renderResult(container: HTMLElement, view: WorkbenchView): void {
  container.replaceChildren();
  if (view.kind === "problem") {
    container.append(el("p", { className: "problem" }, el("strong", { className: "error-code" }, "Not evaluated: "), view.message));
    return;
  }
  if (view.kind === "error") {
    container.append(el("strong", { className: "error-code" }, view.code), el("span", {}, view.message ? ` ${view.message}` : ""));
    return;
  }
  if (view.kind === "value") {
    container.append(el("output", { className: "value" }, view.cell.text));
    return;
  }
  const shown = view.rows.length;
  const size = `Spills ${view.height} × ${view.width}`;
  const table = el("table", {}, ...view.rows.map((row) => el("tr", {}, ...row.map(cellElement))));
  container.append(el("p", { className: "spill-size" }, shown < view.height ? `${size} · first ${shown} rows shown, ${view.height - shown} more in Excel` : size), table);
}

export interface WorkbenchOptions {
  /** After each evaluation: the formula as evaluated (null when it was not), and what was shown. */
  onEvaluated?: (formula: string | null, view: WorkbenchView) => void;
}

export interface Workbench {
  /** Puts a formula in the box and evaluates it. */
  run(formula: string): Promise<WorkbenchView>;
  /** Evaluates what the box holds again (after the data changed). */
  reevaluate(): Promise<WorkbenchView>;
}

/** Wires the workbench form of taskpane.html and shows it. */
export function startWorkbench(session: Session, options: WorkbenchOptions = {}): Workbench {
  const form = byId<HTMLFormElement>("workbench");
  const input = byId<HTMLInputElement>("formula");
  const note = byId("formula-note");
  const result = byId("result");
  let latest = 0;
  const evaluate = async (): Promise<WorkbenchView> => {
    const ticket = ++latest;
    // The old answer goes at once: while the engine loads, and for good when the new formula has none.
    result.replaceChildren(el("p", { className: "spill-size" }, "Evaluating…"));
    const { view, formula, repairs } = await evaluateTyped(session.index, input.value);
    // A later evaluation (another key, another Insert) has the last word.
    if (ticket !== latest) return view;
    note.textContent = repairs.length === 0 || formula === null ? "" : `Read as ${formula} (${repairs.join("; ")}).`;
    renderResult(result, view);
    options.onEvaluated?.(formula, view);
    return view;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void evaluate();
  });
  const examples = byId("examples");
  for (const spec of FUNCTIONS) {
    const button = el("button", { className: "example", attrs: { type: "button" } }, spec.example.formula);
    button.addEventListener("click", () => {
      input.value = spec.example.formula;
      void evaluate();
    });
    examples.append(el("li", {}, button));
  }
  form.hidden = false;
  byId("workbench-section").hidden = false;
  void evaluate();
  return {
    async run(formula: string): Promise<WorkbenchView> {
      input.value = formula;
      const view = await evaluate();
      form.scrollIntoView({ block: "nearest" });
      return view;
    },
    reevaluate: evaluate,
  };
}
