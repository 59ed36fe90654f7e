/**
 * The taskpane shell. Inside Excel: a formula box that previews a QFIN formula and inserts it into the active
 * cell. In a plain browser (no Office host): the standalone preview, a formula workbench that evaluates what
 * the user types with the same function code Excel runs.
 *
 * This page is also the add-in's shared runtime: it loads the functions bundle first (see webpack.config.js),
 * which registers the custom functions and activates the embedded dataset for both.
 */
import "../functions/functions";
import { FUNCTION_SPECS } from "../functions/spec";
import { evaluateFormula } from "../engine/formula-engine";
import { insertFormulaAtActiveCell, isExcelApiSupported, isSpillAreaClear } from "./excel";
import { installPreviewCustomFunctions } from "./preview-host";
import { viewResult, type CellView, type ResultView } from "./result-view";

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`taskpane.html lacks #${id}`);
  return found as T;
}

function cellElement(tag: "td" | "th", cell: CellView): HTMLElement {
  const td = document.createElement(tag);
  td.textContent = cell.text;
  if (cell.isError) td.className = "error-code";
  if (cell.title) td.title = cell.title;
  return td;
}

function renderResult(container: HTMLElement, view: ResultView): void {
  container.replaceChildren();
  if (view.kind === "error") {
    const code = document.createElement("strong");
    code.className = "error-code";
    code.textContent = view.code;
    const message = document.createElement("span");
    message.textContent = view.message ? ` ${view.message}` : "";
    container.append(code, message);
    return;
  }
  if (view.kind === "value") {
    const output = document.createElement("output");
    output.className = "value";
    output.textContent = view.cell.text;
    container.append(output);
    return;
  }
  const caption = document.createElement("p");
  caption.className = "spill-size";
  caption.textContent = `Spills ${view.height} × ${view.width}`;
  const table = document.createElement("table");
  for (const row of view.rows) {
    const tr = document.createElement("tr");
    tr.append(...row.map((cell) => cellElement("td", cell)));
    table.append(tr);
  }
  container.append(caption, table);
}

function renderExamples(list: HTMLElement, input: HTMLInputElement, evaluate: () => void): void {
  for (const spec of FUNCTION_SPECS) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = spec.example.formula;
    button.addEventListener("click", () => {
      input.value = spec.example.formula;
      evaluate();
    });
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
}

function startWorkbench(inExcel: boolean): void {
  const form = element<HTMLFormElement>("workbench");
  const input = element<HTMLInputElement>("formula");
  const result = element<HTMLElement>("result");
  const status = element<HTMLElement>("status");
  const insert = element<HTMLButtonElement>("insert");

  let lastView: ResultView | null = null;
  const evaluate = (): void => {
    lastView = viewResult(evaluateFormula(input.value));
    renderResult(result, lastView);
    status.textContent = "";
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    evaluate();
  });
  renderExamples(element<HTMLElement>("examples"), input, evaluate);

  if (inExcel && isExcelApiSupported()) {
    insert.hidden = false;
    insert.addEventListener("click", () => {
      evaluate();
      const view = lastView;
      const [height, width] = view?.kind === "spill" ? [view.height, view.width] : [1, 1];
      void (async () => {
        if (!(await isSpillAreaClear(height, width))) {
          status.textContent = `The result spills into ${height} × ${width} cells from the active cell and some are not empty (Excel would show #SPILL!). Select another cell.`;
          return;
        }
        const address = await insertFormulaAtActiveCell(input.value.trim());
        status.textContent = `Inserted into ${address}.`;
      })().catch((error: unknown) => {
        status.textContent = `Could not insert the formula: ${error instanceof Error ? error.message : String(error)}`;
      });
    });
  }
  form.hidden = false;
  evaluate();
}

Office.onReady((info) => {
  const inExcel = info.host === Office.HostType.Excel;
  const mode = element<HTMLElement>("mode");
  if (!info.host) {
    installPreviewCustomFunctions();
    document.body.classList.add("preview");
    mode.textContent =
      "Standalone preview: not running inside Excel. Formulas below are evaluated by the same QFIN function code Excel runs. To use them in Excel, sideload manifest.xml (see the README).";
  } else {
    mode.textContent = inExcel ? "Type a QFIN formula, check the result, insert it into the active cell." : "QFIN for Excel runs in Excel only.";
  }
  startWorkbench(inExcel);
});
