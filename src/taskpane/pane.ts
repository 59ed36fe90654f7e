/**
 * The pane: the panels (refresh, trace, search, details, insert, model, link, and in the preview the workbench)
 * composed over one piece of state, the item and period being looked at, against the session's dataset. Works the same
 * inside Excel (inserting into the active cell and tracing the selected cell through the add-in's Office adapter) and
 * in the standalone preview (inserting into the formula workbench and tracing its formula).
 */
import type { WorkbookCalculation } from "../addin/recalculation";
import type { SettingStore } from "../addin/refresh";
import type { Session } from "../addin/session";
import type { DatasetIndex } from "../core/dataset-index";
import type { ItemInfo, PeriodInfo } from "../core/model";
import { renderDetails } from "./details-view";
import { byId } from "./dom";
import { insertPanel, type InsertTarget } from "./insert-panel";
import { itemDetails } from "./item-details";
import { linkPanel, type WorkbookLinkTarget } from "./link-panel";
import { modelPanel, type WorksheetTarget } from "./model-panel";
import { refreshPanel } from "./refresh-panel";
import { searchPanel } from "./search-panel";
import { tracePanel, type FormulaSource, type SelectionSource } from "./trace-panel";

export type { InsertTarget } from "./insert-panel";
export type { WorksheetTarget } from "./model-panel";
export type { WorkbookLinkTarget } from "./link-panel";

export type { FormulaSource, SelectionSource } from "./trace-panel";

/** What the pane may ask of where it runs. */
export interface PaneHost {
  /** The dataset the functions read, and its swap. */
  session: Session;
  /** Where Insert writes a formula. */
  target: InsertTarget;
  /** How the workbook catches up once newer data is applied (Excel: only its QFIN cells; the preview: the workbench). */
  calculation: WorkbookCalculation;
  /** Where the analyst's "Apply newer data automatically" is kept; null outside Excel. */
  settings: SettingStore | null;
  /** Where Insert model writes; null outside Excel. */
  worksheets: WorksheetTarget | null;
  /** What Link this workbook reads and rewrites; null outside Excel. */
  links: WorkbookLinkTarget | null;
  /** Check the add-in's host for newer data as soon as the pane starts (inside Excel). A check changes nothing. */
  checkForNewerDataOnStart: boolean;
  /** The selection to trace; null outside Excel. */
  selection?: SelectionSource | null;
  /** The workbench, whose formula is traced instead; null inside Excel. */
  formulas?: FormulaSource | null;
}

export function startPane(host: PaneHost): void {
  const { session } = host;
  const details = byId("details");
  const detailsBody = byId("details-body");
  let index: DatasetIndex | null = session.index;
  let item: ItemInfo | null = null;
  let period: PeriodInfo | null = null;

  const refresh = refreshPanel({ session, calculation: host.calculation, settings: host.settings });
  modelPanel(host.worksheets, () => index);
  linkPanel(host.links, () => index);
  const insert = insertPanel(host.target, () => render());
  const search = searchPanel(
    (itemId, focusDetails) => choose(itemId, focusDetails),
    () => item?.id ?? null,
  );

  /** Draws the chosen item's details and offers its formulas; the details are computed once per drawing. */
  function render(): void {
    if (index === null || item === null) {
      details.hidden = true;
      insert.show(null);
      return;
    }
    const view = itemDetails(index, item, insert.scale());
    if (period === null || !view.rows.some((row) => row.period.id === period?.id)) period = view.defaultPeriod;
    renderDetails(detailsBody, view, period?.id ?? null, {
      onSelectPeriod: (row) => {
        period = row.period;
        render();
        detailsBody.querySelector<HTMLElement>(`button.period[data-period="${CSS.escape(row.period.id)}"]`)?.focus();
      },
    });
    details.hidden = false;
    insert.show({ index, details: view, period });
  }

  function choose(itemId: string, focusDetails: boolean): void {
    const chosen = index?.itemsById.get(itemId);
    if (!chosen) return;
    if (item?.id !== chosen.id) period = null;
    item = chosen;
    render();
    if (focusDetails) {
      // The details come to the top of the pane, not just into view at its bottom edge.
      const title = byId("details-title");
      title.scrollIntoView({ block: "start" });
      title.focus({ preventScroll: true });
    }
  }

  const trace = tracePanel({
    selection: host.selection ?? null,
    formulas: host.formulas ?? null,
    currentIndex: () => index,
    onOpen: (chosen) => {
      choose(chosen.id, true);
      search.reveal(chosen.id);
    },
  });

  session.onChange((next) => {
    index = next;
    item = item === null ? null : (next?.itemsById.get(item.id) ?? null);
    search.load(next);
    render();
    if (item) search.reveal(item.id);
    trace.refresh();
  });

  refresh.showVersion();
  search.load(index);
  render();
  byId("pane").hidden = false;
  document.body.dataset.ready = "true";
  // Inside Excel the add-in checks the host as it starts (also headless, when Excel only calculates) and offers what
  // is newer; it applies it by itself only when the analyst's setting says so. The embedded dataset is the default.
  if (host.checkForNewerDataOnStart) void refresh.checkAtStart();
  trace.start();
  // For the benchmark: time from navigation start to a usable pane.
  performance.mark("qfin:pane-ready");
}
