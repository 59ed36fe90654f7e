/**
 * The taskpane entry. Inside Excel: browse, search, inspect and insert QFIN formulas into the active cell. In a
 * plain browser (no Office host): the standalone preview, the same pane with the formula workbench standing in for
 * the sheet (Insert fills the workbench and evaluates it with the same function code Excel runs).
 *
 * This page is also the add-in's shared runtime: it loads the functions bundle first (see webpack.config.js),
 * which registers the custom functions and activates the embedded dataset for both.
 */
import "../functions/functions";
import { byId } from "./dom";
import {
  connectToOffice,
  existingWorksheets,
  insertFormulaAtActiveCell,
  isExcelApiSupported,
  isOfficeThemeDark,
  readTargetArea,
  recalculateWorkbook,
  writeWorksheets,
} from "./excel";
import { applyTheme } from "./fluent";
import { startPane, type InsertTarget, type PaneHost } from "./pane";
import { installPreviewCustomFunctions } from "./preview-host";
import { startWorkbench } from "./workbench";

const PREVIEW_NOTE =
  "Standalone preview: not running inside Excel. Insert puts formulas in the workbench below, evaluated by the same QFIN function code Excel runs. To use them in Excel, sideload manifest.xml (see the README).";

function excelTarget(): InsertTarget {
  return {
    name: "the active cell",
    occupied: (rows, columns) => readTargetArea(rows, columns),
    write: (formula) => insertFormulaAtActiveCell(formula),
  };
}

/** Inside Excel: a full calculation after a refresh; Insert model writes worksheets; newer data is taken at start. */
const EXCEL_HOST: PaneHost = {
  recalculate: recalculateWorkbook,
  worksheets: {
    existing: existingWorksheets,
    write: (plans, replace, onSheet) => writeWorksheets(plans, { replace, onSheet }),
  },
  checkForNewerDataOnStart: true,
};

/**
 * The workbench stands in for the sheet. In the preview it is the only "sheet", so a refresh re-evaluates it; in an
 * Excel too old for inserting, Excel still recalculates its QFIN cells after a refresh.
 */
function workbenchTarget(inExcel: boolean): { target: InsertTarget; host: PaneHost } {
  const workbench = startWorkbench();
  return {
    target: {
      name: "the workbench",
      occupied: async () => ({ address: "the workbench", occupied: 0 }),
      write: async (formula) => {
        workbench.run(formula);
        return "the workbench";
      },
    },
    host: {
      recalculate: inExcel
        ? recalculateWorkbook
        : async () => {
            workbench.reevaluate();
          },
      worksheets: null,
      checkForNewerDataOnStart: inExcel,
    },
  };
}

async function start(): Promise<void> {
  const host = await connectToOffice();
  const mode = byId("mode");
  const prefersDark = typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
  applyTheme(isOfficeThemeDark() ?? (host === "none" && prefersDark));
  if (host === "none") {
    installPreviewCustomFunctions();
    document.body.classList.add("preview");
    mode.textContent = PREVIEW_NOTE;
    const preview = workbenchTarget(false);
    startPane(preview.target, preview.host);
    return;
  }
  if (host === "excel" && isExcelApiSupported()) {
    mode.hidden = true;
    startPane(excelTarget(), EXCEL_HOST);
    return;
  }
  mode.textContent = host === "excel" ? "This version of Excel lacks ExcelApi 1.7: browse and inspect work, insert uses the workbench below." : "QFIN for Excel runs in Excel only.";
  const fallback = workbenchTarget(host === "excel");
  startPane(fallback.target, fallback.host);
}

start().catch((error: unknown) => {
  byId("mode").textContent = `The pane could not start: ${error instanceof Error ? error.message : String(error)}`;
});
