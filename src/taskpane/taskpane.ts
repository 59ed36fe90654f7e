/**
 * The taskpane entry. Inside Excel: browse, search, inspect and insert QFIN formulas into the active cell. In a
 * plain browser (no Office host): the standalone preview, the same pane with the formula workbench standing in for
 * the sheet (Insert fills the workbench and evaluates it with the same function code Excel runs).
 *
 * This page is also the add-in's shared runtime: it loads the functions bundle first (see webpack.config.js),
 * which registers the custom functions and activates the embedded dataset in the session both read.
 */
import { session } from "../addin/custom-functions";
import {
  connectToOffice,
  excelCalculation,
  existingWorksheets,
  insertFormulaAtActiveCell,
  isExcelApiSupported,
  isOfficeThemeDark,
  readActiveCell,
  readCellValues,
  readSetting,
  readTargetArea,
  watchSelection,
  writeSetting,
  readWorkbookCells,
  writeLinkedFormulas,
  writeWorksheets,
  type HostKind,
} from "../addin/office";
import { installPreviewCustomFunctions } from "../addin/preview-host";
import type { WorkbookCalculation } from "../addin/recalculation";
import { RERUN_WAIT_MS } from "../addin/refresh";
import { byId } from "./dom";
import { reason } from "./confirm";
import { applyTheme } from "./fluent";
import { startPane, type FormulaSource, type PaneHost } from "./pane";
import { startWorkbench } from "./workbench";

const PREVIEW_NOTE =
  "Standalone preview: not running inside Excel. Insert puts formulas in the workbench below, evaluated by the same QFIN function code Excel runs. To use them in Excel, sideload manifest.xml (see the README).";
/** What the pane says where office.js is not there to talk to Excel. */
const OFFICE_JS_NOTES: Partial<Record<HostKind, string>> = {
  "office-js-missing":
    "Office's script (office.js, from appsforoffice.microsoft.com) did not load, so this page cannot talk to Excel. Browse, search and the workbench below still work. Check the connection (or whether a firewall blocks appsforoffice.microsoft.com) and reopen the pane.",
  "office-js-silent":
    "Office's script (office.js) loaded but Office did not answer within 10 seconds, so this page cannot talk to Excel (a firewall or browser extension may block the files office.js loads from appsforoffice.microsoft.com). Browse, search and the workbench below still work; reopen the pane to try again.",
};

/**
 * Inside Excel: Insert writes at the active cell, Apply recalculates the QFIN cells, Insert model writes sheets, Link
 * this workbook reads every sheet and writes formulas where the numbers were.
 */
function excelHost(): PaneHost {
  return {
    session,
    target: { name: "the active cell", occupied: readTargetArea, write: insertFormulaAtActiveCell },
    calculation: { ...excelCalculation, waitForRerun: () => session.waitForCall(RERUN_WAIT_MS) },
    settings: { read: readSetting, write: writeSetting },
    worksheets: { existing: existingWorksheets, write: (plans, replace, onSheet) => writeWorksheets(plans, { replace, onSheet }) },
    links: {
      read: readWorkbookCells,
      write: (links) => writeLinkedFormulas(links.map((link) => ({ sheet: link.sheet, address: link.cell, formula: link.formula, value: link.value }))),
    },
    checkForNewerDataOnStart: true,
    selection: { watch: watchSelection, read: readActiveCell, values: readCellValues },
    formulas: null,
  };
}

/** The workbench as "the workbook" of the preview: always calculating automatically, its one formula its QFIN cell. */
function workbenchCalculation(reevaluate: () => void): WorkbookCalculation {
  return {
    calculationMode: async () => "automatic",
    canRecalculateCells: () => true,
    findQfinCells: async () => ({ runs: [{ sheet: "the workbench", address: "the formula", cells: 1 }], cells: 1, sheets: 1 }),
    touchQfinCells: async () => reevaluate(),
    calculateEverything: async () => reevaluate(),
  };
}

/**
 * The workbench stands in for the sheet. In the preview it is the only "sheet", so a refresh re-evaluates it; in an
 * Excel too old for inserting, Excel still recalculates its QFIN cells after a refresh.
 */
function workbenchHost(inExcel: boolean): PaneHost {
  const listeners: ((formula: string | null) => void)[] = [];
  const formulas: FormulaSource = { onEvaluated: (listener) => void listeners.push(listener) };
  const workbench = startWorkbench(session, { onEvaluated: (formula) => listeners.forEach((listener) => listener(formula)) });
  return {
    session,
    target: {
      name: "the workbench",
      occupied: async () => ({ address: "the workbench", occupied: 0 }),
      write: async (formula) => {
        await workbench.run(formula);
        return "the workbench";
      },
    },
    calculation: inExcel ? { ...excelCalculation, waitForRerun: () => session.waitForCall(RERUN_WAIT_MS) } : workbenchCalculation(() => void workbench.reevaluate()),
    settings: inExcel ? { read: readSetting, write: writeSetting } : null,
    worksheets: null,
    links: null,
    checkForNewerDataOnStart: inExcel,
    selection: null,
    formulas,
  };
}

/**
 * The note on where the pane runs. The preview's note is one line that expands (the first screen is content);
 * a note about office.js failing is shown whole.
 */
function showModeNote(text: string | null, compact: boolean): void {
  const row = byId("mode-row");
  const mode = byId("mode");
  const more = byId<HTMLButtonElement>("mode-more");
  if (text === null) {
    row.hidden = true;
    mode.hidden = true;
    return;
  }
  mode.textContent = text;
  mode.classList.toggle("clamped", compact);
  more.hidden = !compact;
  more.onclick = () => {
    const expanded = mode.classList.toggle("clamped") === false;
    more.textContent = expanded ? "Less" : "More";
    more.setAttribute("aria-expanded", String(expanded));
  };
}

async function start(): Promise<void> {
  const host = await connectToOffice();
  const mode = byId("mode");
  const prefersDark = typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
  applyTheme(isOfficeThemeDark() ?? (host === "none" && prefersDark));
  if (host === "none" || host === "office-js-missing" || host === "office-js-silent") {
    installPreviewCustomFunctions();
    document.body.classList.add("preview");
    showModeNote(OFFICE_JS_NOTES[host] ?? PREVIEW_NOTE, host === "none");
    mode.dataset.host = host;
    startPane(workbenchHost(false));
    return;
  }
  if (host === "excel" && isExcelApiSupported()) {
    showModeNote(null, false);
    startPane(excelHost());
    return;
  }
  showModeNote(host === "excel" ? "This version of Excel lacks ExcelApi 1.7: browse and inspect work, insert uses the workbench below." : "QFIN for Excel runs in Excel only.", false);
  startPane(workbenchHost(host === "excel"));
}

start().catch((error: unknown) => {
  byId("mode").textContent = `The pane could not start: ${reason(error)}`;
});
