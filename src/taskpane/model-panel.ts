/**
 * Insert model: writes the analyst model (src/models, the same description `qfin template` writes as .xlsx) into the
 * open workbook through the add-in's Office adapter, asking first when sheets of those names exist.
 */
import { planModelSheet, type SheetPlan } from "../addin/model-sheet-plan";
import type { DatasetIndex } from "../core/dataset-index";
import { buildAnalystModel } from "../models/analyst-model";
import { byId } from "./dom";
import { confirmPrompt, reason } from "./confirm";

/** Where Insert model writes whole worksheets (Excel); see src/addin/office.ts. */
export interface WorksheetTarget {
  /** Which of these sheet names the workbook already uses. */
  existing(names: readonly string[]): Promise<string[]>;
  /** Writes the sheets, replacing those named in `replace`; resolves with what this Excel could not take, in words. */
  write(plans: readonly SheetPlan[], replace: ReadonlySet<string>, onSheet: (plan: SheetPlan, position: number) => void): Promise<{ leftOut: readonly string[] }>;
}

const quoteList = (names: readonly string[]): string => names.map((name) => `“${name}”`).join(", ");

/** Wires the Insert model button; `worksheets` is null outside Excel. */
export function modelPanel(worksheets: WorksheetTarget | null, currentIndex: () => DatasetIndex | null): void {
  const button = byId<HTMLElement & { disabled: boolean }>("insert-model");
  const status = byId("model-status");
  const confirm = confirmPrompt("model-confirm");

  const write = async (target: WorksheetTarget, plans: readonly SheetPlan[], replace: ReadonlySet<string>, release: string): Promise<void> => {
    button.disabled = true;
    try {
      const { leftOut } = await target.write(plans, replace, (plan, position) => {
        status.textContent = `Writing “${plan.name}” (sheet ${position + 1} of ${plans.length})…`;
      });
      status.textContent =
        `Inserted the analyst model (${plans.length} sheets: ${plans.map((plan) => plan.name).join(", ")}), laid out from release ${release}. ` +
        "Its columns read latest, latest-1, … and roll forward when newer data is applied." +
        (leftOut.length > 0 ? ` This Excel did not take ${leftOut.join("; nor ")}.` : "");
    } finally {
      button.disabled = false;
    }
  };

  const insert = async (): Promise<void> => {
    confirm.dismiss();
    if (worksheets === null) {
      status.textContent =
        "Insert model writes the analyst model's sheets into an Excel workbook, so it needs Excel: open the add-in there. Here, try its formulas in the workbench below.";
      return;
    }
    const index = currentIndex();
    if (index === null) {
      status.textContent = "No data is loaded, so there is no model to insert.";
      return;
    }
    const release = index.latestRelease.id;
    const plans = buildAnalystModel(index).sheets.map(planModelSheet);
    status.textContent = "Preparing the model…";
    const clashes = await worksheets.existing(plans.map((plan) => plan.name));
    if (clashes.length === 0) return write(worksheets, plans, new Set(), release);
    status.textContent = "";
    confirm.ask(
      `This workbook already has ${clashes.length === 1 ? "a sheet" : "sheets"} named ${quoteList(clashes)}. Replace ${clashes.length === 1 ? "it" : "them"} with the model? ` +
        "What they hold now is deleted, and formulas elsewhere that point into them show #REF!.",
      () => void write(worksheets, plans, new Set(clashes), release).catch(reportFailure),
      () => (status.textContent = "The model was not inserted; the workbook is unchanged."),
    );
  };
  const reportFailure = (error: unknown): void => {
    status.textContent = `Could not insert the model: ${reason(error)}`;
  };
  button.addEventListener("click", () => void insert().catch(reportFailure));
}
