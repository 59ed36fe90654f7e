/**
 * Link this workbook: reads the open workbook's cells through the add-in's Office adapter, finds the release's
 * figures among its typed numbers with the same matcher as `qfin retrofit` (src/retrofit), and — only after the
 * analyst agrees — replaces each with the QFIN formula that gives it back. What was linked and what was left alone,
 * with why, is listed under the button.
 */
import type { DatasetIndex } from "../core/dataset-index";
import type { InputSheet } from "../retrofit/cells";
import type { CellLink, NotLinked, RetrofitResult } from "../retrofit/link-workbook";
import { byId, el } from "./dom";
import { confirmPrompt, reason } from "./confirm";
import { loadFormulaEngine, loadLinker } from "./on-demand";

/** Where Link this workbook reads and writes (Excel); see src/addin/office.ts. */
export interface WorkbookLinkTarget {
  /** Every sheet's used cells. */
  read(): Promise<InputSheet[]>;
  /** Writes each link's formula where its number still stands; returns how many were written and those skipped. */
  write(links: readonly CellLink[]): Promise<{ written: number; changed: readonly { sheet: string; address: string }[] }>;
}

/** Rows the pane lists at most (the report of `qfin retrofit` has them all). */
const LISTED = 200;

const place = (entry: { sheet: string; cell: string }): string => `${entry.sheet}!${entry.cell}`;

/** Wires the Link this workbook button; `target` is null outside Excel. */
export function linkPanel(target: WorkbookLinkTarget | null, currentIndex: () => DatasetIndex | null): void {
  const button = byId<HTMLElement & { disabled: boolean }>("link-workbook");
  const status = byId("link-status");
  const list = byId("link-results");
  const confirm = confirmPrompt("link-confirm");

  const show = (result: RetrofitResult, linked: readonly CellLink[]): void => {
    list.replaceChildren();
    const rows: HTMLElement[] = [];
    for (const link of linked.slice(0, LISTED)) {
      rows.push(el("li", { className: "linked" }, el("span", { className: "where" }, place(link)), ` ${link.value} → `, el("code", {}, link.formula)));
    }
    for (const refusal of result.notLinked.slice(0, Math.max(0, LISTED - rows.length))) rows.push(refusalRow(refusal));
    const more = linked.length + result.notLinked.length - rows.length;
    if (more > 0) rows.push(el("li", {}, `and ${more} more (qfin retrofit writes them all to its report)`));
    list.append(...rows);
    list.hidden = rows.length === 0;
  };

  const write = async (link: WorkbookLinkTarget, result: RetrofitResult): Promise<void> => {
    button.disabled = true;
    try {
      const { summaryLine } = await loadLinker();
      status.textContent = `Writing ${result.links.length} formulas…`;
      const { written, changed } = await link.write(result.links);
      const moved = new Set(changed.map((entry) => `${entry.sheet}!${entry.address}`));
      const done = result.links.filter((entry) => !moved.has(place(entry)));
      status.textContent =
        `Linked ${written} cell${written === 1 ? "" : "s"}: each shows the number it held, now from a QFIN formula. ${summaryLine(result.summary)}` +
        (changed.length > 0
          ? ` ${changed.length === 1 ? "1 cell changed since it was read and was left as it is" : `${changed.length} cells changed since they were read and were left as they are`}: ${[...moved].slice(0, 5).join(", ")}${changed.length > 5 ? ", …" : ""}.`
          : "");
      show(result, done);
    } finally {
      button.disabled = false;
    }
  };

  const run = async (): Promise<void> => {
    confirm.dismiss();
    if (target === null) {
      status.textContent = "Link this workbook reads and rewrites the open Excel workbook, so it needs Excel. Outside it, use qfin retrofit MODEL.xlsx --out LINKED.xlsx.";
      return;
    }
    const index = currentIndex();
    if (index === null) {
      status.textContent = "No data is loaded, so there is nothing to link to.";
      return;
    }
    status.textContent = "Reading the workbook…";
    const sheets = await target.read();
    status.textContent = "Looking for the release's figures…";
    const [{ evaluateFormula }, { findLinks, summaryLine }] = await Promise.all([loadFormulaEngine(), loadLinker()]);
    const result = findLinks(sheets, index, { evaluate: (formula) => evaluateFormula(index, formula) });
    show(result, []);
    if (result.links.length === 0) {
      status.textContent = `${summaryLine(result.summary)} Nothing to link; the workbook is unchanged.`;
      return;
    }
    status.textContent = "";
    const sheetsTouched = new Set(result.links.map((entry) => entry.sheet)).size;
    confirm.ask(
      `Link ${result.links.length} cell${result.links.length === 1 ? "" : "s"} on ${sheetsTouched} sheet${sheetsTouched === 1 ? "" : "s"}? ` +
        "Each typed number becomes a QFIN formula that gives back the same number, in its scale and sign; formulas, text and estimates stay as they are. " +
        `${result.notLinked.length} candidate${result.notLinked.length === 1 ? " is" : "s are"} left alone (listed below).`,
      () => void write(target, result).catch(reportFailure),
      () => {
        status.textContent = "Nothing was linked; the workbook is unchanged.";
      },
    );
  };
  const reportFailure = (error: unknown): void => {
    status.textContent = `Could not link the workbook: ${reason(error)}`;
  };
  button.addEventListener("click", () => void run().catch(reportFailure));
}

function refusalRow(refusal: NotLinked): HTMLElement {
  return el("li", { className: "not-linked" }, el("span", { className: "where" }, place(refusal)), ` ${refusal.value}: left alone, ${refusal.reason}`);
}
