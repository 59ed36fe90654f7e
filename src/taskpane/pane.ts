/**
 * The pane: browse the statements as a tree, search as you type, inspect an item, insert its formula, refresh the
 * data from the add-in's host, insert the analyst model. Works the same inside Excel (inserting into the active cell
 * through `./excel`) and in the standalone preview (inserting into the formula workbench). State lives here; the
 * pure parts (tree, search, details, formulas, refresh, model plans) are modules of their own.
 */
import { getActiveIndex, onActiveDatasetChange } from "../core/dataset-store";
import type { DatasetIndex } from "../core/dataset-index";
import type { Scale } from "../core/figures";
import type { Currency, ItemInfo, PeriodInfo } from "../core/model";
import { isCellError } from "../core/cell";
import { evaluateFormula } from "../engine/formula-engine";
import { buildCatalogTree, findPath, type CatalogNode } from "./catalog-tree";
import { buildAnalystModel } from "../models/analyst-model";
import { activeVersion, RefreshError, refreshFromHost } from "./dataset-refresh";
import { renderDetails } from "./details-view";
import { byId, el } from "./dom";
import { metricFormula, seriesFormula, statementFormula } from "./insert-formulas";
import { findItems } from "./item-search";
import { itemDetails } from "./item-details";
import { planModelSheet, type SheetPlan } from "./model-sheets";

/** Where Insert puts a formula: the active cell in Excel, or the workbench in the preview. */
export interface InsertTarget {
  /** "the active cell", "the workbench". */
  readonly name: string;
  /** How many cells of the block the result would cover already hold something, and the block's address. */
  occupied(rows: number, columns: number): Promise<{ address: string; occupied: number }>;
  /** Writes the formula; resolves to where it went ("Sheet1!B4"). */
  write(formula: string): Promise<string>;
}

/** Where the pane writes whole worksheets (Excel); see `./excel`. */
export interface WorksheetTarget {
  /** Which of these sheet names the workbook already uses. */
  existing(names: readonly string[]): Promise<string[]>;
  /** Writes the sheets, replacing those named in `replace`; resolves with the number of syncs it took. */
  write(plans: readonly SheetPlan[], replace: ReadonlySet<string>, onSheet: (plan: SheetPlan, position: number) => void): Promise<number>;
}

/** What the pane may ask of where it runs, beyond inserting a formula. */
export interface PaneHost {
  /** Recalculates the QFIN formulas after the data changed (Excel: a full calculation). */
  recalculate(): Promise<void>;
  /** Where Insert model writes; null outside Excel. */
  worksheets: WorksheetTarget | null;
  /** Check the add-in's host for newer data as soon as the pane starts (inside Excel). */
  checkForNewerDataOnStart: boolean;
}

type InsertKind = "metric" | "series" | "statement";

interface PaneState {
  index: DatasetIndex | null;
  item: ItemInfo | null;
  period: PeriodInfo | null;
  currency: Currency;
  scale: Scale;
}

/** Tree items by item id, to reveal an item found by search. */
type TreeElements = Map<string, HTMLElement>;

export function startPane(target: InsertTarget, host: PaneHost): void {
  const state: PaneState = { index: getActiveIndex(), item: null, period: null, currency: "RMB", scale: "M" };
  const search = byId<HTMLElement & { value: string }>("search");
  const hint = byId("search-hint");
  const results = byId<HTMLUListElement>("results");
  const tree = byId("tree");
  const details = byId("details");
  const detailsBody = byId("details-body");
  const insertPanel = byId("insert-panel");
  const formulaPreview = byId("formula-preview");
  const status = byId("pane-status");
  const confirm = byId("confirm");
  const currencySelect = byId<HTMLSelectElement>("currency");
  const scaleSelect = byId<HTMLSelectElement>("scale");
  const version = byId("version");
  const refresh = byId<HTMLElement & { disabled: boolean }>("refresh");
  const refreshStatus = byId("refresh-status");
  const insertModelButton = byId<HTMLElement & { disabled: boolean }>("insert-model");
  const modelStatus = byId("model-status");
  const modelConfirm = byId("model-confirm");
  let treeElements: TreeElements = new Map();
  let catalog: CatalogNode[] = [];

  const showVersion = (): void => {
    version.textContent = activeVersion()?.text ?? "No data loaded";
  };

  // ---- Browse: the tree -------------------------------------------------------------------------------------
  const renderTree = (): void => {
    treeElements = new Map();
    catalog = state.index === null ? [] : buildCatalogTree(state.index);
    const build = (node: CatalogNode): HTMLElement => {
      const element = el("fluent-tree-item", { className: `node-${node.kind}`, attrs: { "data-key": node.key } }, node.label);
      if (node.kind === "item") {
        element.dataset.itemId = node.item.id;
        if (node.heading) element.classList.add("heading");
        treeElements.set(node.item.id, element);
      }
      for (const child of node.children) {
        const childElement = build(child);
        childElement.slot = "item";
        element.append(childElement);
      }
      return element;
    };
    tree.replaceChildren(...catalog.map(build));
  };

  tree.addEventListener("change", (event) => {
    const element = event.target as HTMLElement & { selected?: boolean };
    // Revealing a search hit selects it in the tree too; that must not redraw (and unfocus) the details.
    if (!element.selected || !element.dataset.itemId || element.dataset.itemId === state.item?.id) return;
    selectItem(element.dataset.itemId, { focusDetails: false });
  });

  const revealInTree = (itemId: string): void => {
    const element = treeElements.get(itemId);
    if (!element) return;
    for (const key of findPath(catalog, `item:${itemId}`)?.slice(0, -1) ?? []) {
      const ancestor = tree.querySelector<HTMLElement & { expanded: boolean }>(`[data-key="${CSS.escape(key)}"]`);
      if (ancestor) ancestor.expanded = true;
    }
    for (const selected of tree.querySelectorAll<HTMLElement & { selected: boolean }>("[selected]")) if (selected !== element) selected.selected = false;
    (element as HTMLElement & { selected: boolean }).selected = true;
    element.scrollIntoView({ block: "nearest" });
  };

  // ---- Search as you type ------------------------------------------------------------------------------------
  let hits: ItemInfo[] = [];
  const options = (): HTMLElement[] => [...results.querySelectorAll<HTMLElement>("[role=option]")];
  const focusOption = (position: number): void => {
    const all = options();
    if (all.length === 0) return;
    const next = Math.max(0, Math.min(all.length - 1, position));
    all.forEach((option, i) => option.setAttribute("tabindex", i === next ? "0" : "-1"));
    all[next].focus();
  };

  const runSearch = (): void => {
    const query = search.value ?? "";
    if (state.index === null || query.trim() === "") {
      hits = [];
      results.replaceChildren();
      results.hidden = true;
      tree.hidden = false;
      hint.textContent = "";
      // Back from a search, the tree shows the chosen item where it sits.
      if (state.item !== null) treeElements.get(state.item.id)?.scrollIntoView({ block: "nearest" });
      return;
    }
    const found = findItems(state.index, query, 30);
    hits = found.hits.map((hit) => hit.item);
    results.replaceChildren(
      ...found.hits.map((hit, position) => {
        const option = el(
          "li",
          { attrs: { role: "option", id: `result-${position}`, tabindex: position === 0 ? "0" : "-1", "aria-selected": "false", "data-item-id": hit.item.id } },
          el("span", { className: "result-label" }, hit.item.label),
          el("span", { className: "result-context" }, hit.context),
        );
        option.addEventListener("click", () => chooseHit(position));
        return option;
      }),
    );
    results.hidden = false;
    tree.hidden = true;
    const count = `${found.hits.length === 0 ? "No" : found.hits.length} match${found.hits.length === 1 ? "" : "es"}`;
    hint.textContent = found.correctedQuery ? `${count} for “${found.correctedQuery}”` : found.hits.length > 0 ? `${count} · ↓ to choose` : `${count}. Try fewer words.`;
  };

  const chooseHit = (position: number): void => {
    const item = hits[position];
    if (!item) return;
    options().forEach((option, i) => option.setAttribute("aria-selected", i === position ? "true" : "false"));
    selectItem(item.id, { focusDetails: true });
    // The tree shows the same item when the search is cleared (Esc), so the place is kept.
    revealInTree(item.id);
  };

  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !results.hidden) {
      event.preventDefault();
      focusOption(0);
    } else if (event.key === "Enter" && !results.hidden && hits.length > 0) {
      event.preventDefault();
      chooseHit(0);
    } else if (event.key === "Escape") {
      event.preventDefault();
      search.value = "";
      runSearch();
    }
  });
  results.addEventListener("keydown", (event) => {
    const all = options();
    const current = all.indexOf(document.activeElement as HTMLElement);
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusOption(current + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (current <= 0) search.focus();
        else focusOption(current - 1);
        break;
      case "Home":
        event.preventDefault();
        focusOption(0);
        break;
      case "End":
        event.preventDefault();
        focusOption(all.length - 1);
        break;
      case "Enter":
      case " ":
        event.preventDefault();
        chooseHit(current);
        break;
      case "Escape":
        event.preventDefault();
        search.focus();
        break;
    }
  });

  // ---- Inspect ------------------------------------------------------------------------------------------------
  const renderSelection = (): void => {
    if (state.index === null || state.item === null) {
      details.hidden = true;
      insertPanel.hidden = true;
      return;
    }
    const view = itemDetails(state.index, state.item, state.scale);
    if (state.period === null || !view.rows.some((row) => row.period.id === state.period?.id)) state.period = view.defaultPeriod;
    renderDetails(detailsBody, view, state.period?.id ?? null, {
      onSelectPeriod: (row) => {
        state.period = row.period;
        renderSelection();
        detailsBody.querySelector<HTMLElement>(`button.period[data-period="${CSS.escape(row.period.id)}"]`)?.focus();
      },
    });
    details.hidden = false;
    insertPanel.hidden = false;
    formulaPreview.textContent = formulaFor("metric") ?? "";
  };

  function selectItem(itemId: string, { focusDetails }: { focusDetails: boolean }): void {
    const item = state.index?.itemsById.get(itemId);
    if (!item) return;
    if (state.item?.id !== item.id) state.period = null;
    state.item = item;
    status.textContent = "";
    hideConfirm();
    renderSelection();
    if (focusDetails) byId("details-title").focus();
  }

  currencySelect.addEventListener("change", () => {
    state.currency = currencySelect.value === "USD" ? "USD" : "RMB";
    renderSelection();
  });
  scaleSelect.addEventListener("change", () => {
    state.scale = (["U", "K", "M", "B"] as const).find((scale) => scale === scaleSelect.value) ?? "M";
    renderSelection();
  });

  // ---- Insert -------------------------------------------------------------------------------------------------
  function formulaFor(kind: InsertKind): string | null {
    const { index, item, period } = state;
    if (index === null || item === null) return null;
    const name = itemDetails(index, item, state.scale).name;
    if (kind === "series") return seriesFormula(name, item.unit, state.currency, state.scale);
    if (period === null) return null;
    if (kind === "metric") return metricFormula(name, item.unit, period.label, state.currency, state.scale);
    return statementFormula(item.statement, period.label, state.currency, state.scale);
  }

  /** The size of what the formula returns, evaluated by the same function code (1 × 1 for a single value). */
  const resultSize = (formula: string): [number, number] => {
    const result = evaluateFormula(formula);
    if (!Array.isArray(result) || isCellError(result)) return [1, 1];
    return [result.length, Math.max(1, ...result.map((row) => row.length))];
  };

  let pendingInsert: (() => Promise<void>) | null = null;
  function hideConfirm(): void {
    pendingInsert = null;
    confirm.hidden = true;
  }

  const write = async (formula: string): Promise<void> => {
    const where = await target.write(formula);
    status.textContent = `Inserted ${formula} into ${where}.`;
  };

  const insert = async (kind: InsertKind): Promise<void> => {
    hideConfirm();
    const formula = formulaFor(kind);
    if (formula === null) {
      status.textContent = "Choose an item and a period first.";
      return;
    }
    formulaPreview.textContent = formula;
    const [rows, columns] = resultSize(formula);
    const area = await target.occupied(rows, columns);
    if (area.occupied === 0) {
      await write(formula);
      return;
    }
    pendingInsert = () => write(formula);
    byId("confirm-message").textContent =
      `${area.address} already holds something in ${area.occupied} cell${area.occupied === 1 ? "" : "s"} (the result covers ${rows} × ${columns}). Replace it?`;
    confirm.hidden = false;
    byId("confirm-cancel").focus();
  };

  const reportFailure = (error: unknown): void => {
    status.textContent = `Could not insert the formula: ${error instanceof Error ? error.message : String(error)}`;
  };
  for (const kind of ["metric", "series", "statement"] as const) {
    byId(`insert-${kind}`).addEventListener("click", () => void insert(kind).catch(reportFailure));
  }
  byId("confirm-replace").addEventListener("click", () => {
    const run = pendingInsert;
    hideConfirm();
    if (run) void run().catch(reportFailure);
  });
  byId("confirm-cancel").addEventListener("click", () => {
    hideConfirm();
    status.textContent = "Nothing was inserted.";
  });
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hideConfirm();
      status.textContent = "Nothing was inserted.";
    }
  });
  byId("insert-target").textContent = target.name;

  // ---- Refresh ------------------------------------------------------------------------------------------------
  let refreshing: Promise<void> | null = null;
  const describeActive = (): string => {
    const active = activeVersion();
    return active === null ? "no data" : `release ${active.release} (${active.date})`;
  };
  /** Refreshes from the add-in's host; `quiet` (the check at start) says nothing while there is nothing new. */
  const runRefresh = (quiet: boolean): Promise<void> => {
    if (refreshing !== null) return refreshing;
    refresh.disabled = true;
    refreshStatus.classList.remove("error");
    refreshing = refreshFromHost({
      baseUrl: document.baseURI,
      recalculate: () => host.recalculate(),
      onProgress: (progress) => {
        refreshStatus.dataset.stage = progress.stage;
        if (!quiet || progress.stage !== "checking") refreshStatus.textContent = progress.message;
      },
    })
      .then((outcome) => {
        refreshStatus.textContent = quiet && outcome.status === "up-to-date" ? "" : outcome.message;
      })
      .catch((error: unknown) => {
        refreshStatus.dataset.stage = "failed";
        refreshStatus.classList.add("error");
        const why = error instanceof Error ? error.message : String(error);
        refreshStatus.textContent =
          error instanceof RefreshError && error.reason === "recalculation"
            ? why
            : quiet
              ? `Could not check for newer data; using ${describeActive()}. ${why}`
              : `Refresh failed; still using ${describeActive()}. ${why}`;
      })
      .finally(() => {
        refresh.disabled = false;
        refreshing = null;
        showVersion();
      });
    return refreshing;
  };
  refresh.addEventListener("click", () => void runRefresh(false));

  // ---- Insert model -------------------------------------------------------------------------------------------
  let pendingModel: (() => Promise<void>) | null = null;
  const hideModelConfirm = (): void => {
    pendingModel = null;
    modelConfirm.hidden = true;
  };
  const quoteList = (names: readonly string[]): string => names.map((name) => `“${name}”`).join(", ");
  const writeModel = async (plans: readonly SheetPlan[], replace: ReadonlySet<string>, release: string): Promise<void> => {
    if (host.worksheets === null) return;
    insertModelButton.disabled = true;
    try {
      await host.worksheets.write(plans, replace, (plan, position) => {
        modelStatus.textContent = `Writing “${plan.name}” (sheet ${position + 1} of ${plans.length})…`;
      });
      modelStatus.textContent =
        `Inserted the analyst model (${plans.length} sheets: ${plans.map((plan) => plan.name).join(", ")}), laid out from release ${release}. ` +
        "Its columns read latest, latest-1, … and roll forward when Refresh loads a newer release.";
    } finally {
      insertModelButton.disabled = false;
    }
  };
  const insertModel = async (): Promise<void> => {
    hideModelConfirm();
    if (host.worksheets === null) {
      modelStatus.textContent =
        "Insert model writes the analyst model's sheets into an Excel workbook, so it needs Excel: open the add-in there. Here, try its formulas in the workbench below.";
      return;
    }
    if (state.index === null) {
      modelStatus.textContent = "No data is loaded, so there is no model to insert.";
      return;
    }
    const release = state.index.latestRelease.id;
    const plans = buildAnalystModel(state.index).sheets.map(planModelSheet);
    modelStatus.textContent = "Preparing the model…";
    const clashes = await host.worksheets.existing(plans.map((plan) => plan.name));
    if (clashes.length === 0) {
      await writeModel(plans, new Set(), release);
      return;
    }
    pendingModel = () => writeModel(plans, new Set(clashes), release);
    modelStatus.textContent = "";
    byId("model-confirm-message").textContent =
      `This workbook already has ${clashes.length === 1 ? "a sheet" : "sheets"} named ${quoteList(clashes)}. Replace ${clashes.length === 1 ? "it" : "them"} with the model? ` +
      "What they hold now is deleted, and formulas elsewhere that point into them show #REF!.";
    modelConfirm.hidden = false;
    byId("model-confirm-cancel").focus();
  };
  const reportModelFailure = (error: unknown): void => {
    modelStatus.textContent = `Could not insert the model: ${error instanceof Error ? error.message : String(error)}`;
  };
  const cancelModel = (): void => {
    hideModelConfirm();
    modelStatus.textContent = "The model was not inserted; the workbook is unchanged.";
  };
  insertModelButton.addEventListener("click", () => void insertModel().catch(reportModelFailure));
  byId("model-confirm-replace").addEventListener("click", () => {
    const run = pendingModel;
    hideModelConfirm();
    if (run) void run().catch(reportModelFailure);
  });
  byId("model-confirm-cancel").addEventListener("click", cancelModel);
  modelConfirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") cancelModel();
  });

  onActiveDatasetChange((index) => {
    state.index = index;
    const keep = state.item === null ? null : index?.itemsById.get(state.item.id) ?? null;
    state.item = keep;
    renderTree();
    runSearch();
    renderSelection();
    if (keep) revealInTree(keep.id);
  });

  showVersion();
  renderTree();
  renderSelection();
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement === document.body) {
      event.preventDefault();
      search.focus();
    }
  });
  byId("pane").hidden = false;
  document.body.dataset.ready = "true";
  // Inside Excel the add-in takes the host's newest data as it starts (the embedded dataset is the offline default).
  if (host.checkForNewerDataOnStart) void runRefresh(true);
  // For the benchmark: time from navigation start to a usable pane.
  performance.mark("qfin:pane-ready");
}
