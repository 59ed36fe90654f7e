/**
 * The formula workbench: type a QFIN formula, see its result or its error, evaluated by the same function code
 * Excel runs. Outside Excel it stands in for the sheet: the pane's Insert fills it and evaluates.
 */
import type { Session } from "../addin/session";
import { evaluateFormula } from "../engine/formula-engine";
import { FUNCTIONS } from "../functions/catalogue";
import { byId, el } from "./dom";
import { viewResult, type CellView, type ResultView } from "./result-view";

function cellElement(cell: CellView): HTMLElement {
  const td = el("td", { className: cell.isError ? "error-code" : undefined }, cell.text);
  if (cell.title) td.title = cell.title;
  return td;
}

/** Draws a result: a value, an error (code and message), or a spill as a table with its size. */
export function renderResult(container: HTMLElement, view: ResultView): void {
  container.replaceChildren();
  if (view.kind === "error") {
    container.append(el("strong", { className: "error-code" }, view.code), el("span", {}, view.message ? ` ${view.message}` : ""));
    return;
  }
  if (view.kind === "value") {
    container.append(el("output", { className: "value" }, view.cell.text));
    return;
  }
  const table = el("table", {}, ...view.rows.map((row) => el("tr", {}, ...row.map(cellElement))));
  container.append(el("p", { className: "spill-size" }, `Spills ${view.height} × ${view.width}`), table);
}

export interface Workbench {
  /** Puts a formula in the box and evaluates it. */
  run(formula: string): ResultView;
  /** Evaluates what the box holds again (after the data changed). */
  reevaluate(): ResultView;
}

/** Wires the workbench form of taskpane.html and shows it. */
export function startWorkbench(session: Session): Workbench {
  const form = byId<HTMLFormElement>("workbench");
  const input = byId<HTMLInputElement>("formula");
  const result = byId("result");
  const evaluate = (): ResultView => {
    const view = viewResult(evaluateFormula(session.index, input.value));
    renderResult(result, view);
    return view;
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    evaluate();
  });
  const examples = byId("examples");
  for (const spec of FUNCTIONS) {
    const button = el("button", { className: "example", attrs: { type: "button" } }, spec.example.formula);
    button.addEventListener("click", () => {
      input.value = spec.example.formula;
      evaluate();
    });
    examples.append(el("li", {}, button));
  }
  form.hidden = false;
  byId("workbench-section").hidden = false;
  evaluate();
  return {
    run(formula: string): ResultView {
      input.value = formula;
      const view = evaluate();
      form.scrollIntoView({ block: "nearest" });
      return view;
    },
    reevaluate: evaluate,
  };
}
