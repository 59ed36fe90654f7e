/**
 * Browse and search: the tree of every statement in the release's order, and search as you type over the core's
 * forgiving search, with keyboard use (↓ into the results, ↑/↓/Home/End, Enter opens, Esc goes back). Lines go by
 * their short names ("Diluted EPS (ADS)") with the release's label beside them. Choosing a result folds the list away
 * so the details take the screen; ↓ in the search box brings the list back.
 */
import type { DatasetIndex } from "../core/dataset-index";
import type { ItemInfo } from "../core/model";
import { shortName } from "../core/resolve-item";
import { buildCatalogTree, findPath, type CatalogNode } from "./catalog-tree";
import { byId, el } from "./dom";
import { findItems } from "./item-search";

export interface SearchPanel {
  /** Redraws the tree and the results for new data. */
  load(index: DatasetIndex | null): void;
  /** Expands the tree to an item and selects it there. */
  reveal(itemId: string): void;
}

/** `onChoose` is called with the item an analyst picked, and whether the details should take the focus. */
export function searchPanel(onChoose: (itemId: string, focusDetails: boolean) => void, chosenItem: () => string | null): SearchPanel {
  const search = byId<HTMLElement & { value: string }>("search");
  const hintLine = byId("search-hint");
  const results = byId<HTMLUListElement>("results");
  const tree = byId("tree");
  let index: DatasetIndex | null = null;
  let treeElements = new Map<string, HTMLElement>();
  let catalog: CatalogNode[] = [];
  let hits: ItemInfo[] = [];
  let hint = "";

  const renderTree = (): void => {
    treeElements = new Map();
    catalog = index === null ? [] : buildCatalogTree(index);
    const build = (node: CatalogNode): HTMLElement => {
      const title = node.kind === "item" && index !== null ? shortName(index, node.item) : node.label;
      const element = el("fluent-tree-item", { className: `node-${node.kind}`, attrs: { "data-key": node.key, title: title === node.label ? undefined : node.label } }, title);
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
    if (!element.selected || !element.dataset.itemId || element.dataset.itemId === chosenItem()) return;
    onChoose(element.dataset.itemId, false);
  });

  const reveal = (itemId: string): void => {
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

  const options = (): HTMLElement[] => [...results.querySelectorAll<HTMLElement>("[role=option]")];
  const focusOption = (position: number): void => {
    const all = options();
    if (all.length === 0) return;
    const next = Math.max(0, Math.min(all.length - 1, position));
    all.forEach((option, i) => option.setAttribute("tabindex", i === next ? "0" : "-1"));
    all[next]?.focus();
  };

  /** Folds the result list away (the query stays), saying how to bring it back. */
  const collapse = (chosen: ItemInfo): void => {
    results.hidden = true;
    hintLine.textContent = `${index === null ? chosen.label : shortName(index, chosen)} chosen · ↓ shows the ${hits.length} match${hits.length === 1 ? "" : "es"} again`;
  };
  const expand = (): void => {
    results.hidden = false;
    hintLine.textContent = hint;
  };

  const choose = (position: number): void => {
    const item = hits[position];
    if (!item) return;
    options().forEach((option, i) => option.setAttribute("aria-selected", i === position ? "true" : "false"));
    collapse(item);
    onChoose(item.id, true);
    // The tree shows the same item when the search is cleared (Esc), so the place is kept.
    reveal(item.id);
  };

  const runSearch = (): void => {
    const query = search.value ?? "";
    if (index === null || query.trim() === "") {
      hits = [];
      results.replaceChildren();
      results.hidden = true;
      tree.hidden = false;
      hintLine.textContent = "";
      // Back from a search, the tree shows the chosen item where it sits.
      const chosen = chosenItem();
      if (chosen !== null) treeElements.get(chosen)?.scrollIntoView({ block: "nearest" });
      return;
    }
    const found = findItems(index, query, 30);
    hits = found.hits.map((hit) => hit.item);
    results.replaceChildren(
      ...found.hits.map((hit, position) => {
        const option = el(
          "li",
          { attrs: { role: "option", id: `result-${position}`, tabindex: position === 0 ? "0" : "-1", "aria-selected": "false", "data-item-id": hit.item.id } },
          el("span", { className: "result-label" }, hit.title),
          el("span", { className: "result-context" }, hit.title === hit.item.label ? hit.context : `${hit.item.label} · ${hit.context}`),
        );
        option.addEventListener("click", () => choose(position));
        return option;
      }),
    );
    results.hidden = false;
    tree.hidden = true;
    const count = `${found.hits.length === 0 ? "No" : found.hits.length} match${found.hits.length === 1 ? "" : "es"}`;
    hint = found.correctedQuery ? `${count} for “${found.correctedQuery}”` : found.hits.length > 0 ? `${count} · ↓ to choose` : `${count}. Try fewer words.`;
    hintLine.textContent = hint;
  };

  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && hits.length > 0) {
      event.preventDefault();
      expand();
      focusOption(0);
    } else if (event.key === "Enter" && hits.length > 0) {
      event.preventDefault();
      choose(0);
    } else if (event.key === "Escape") {
      event.preventDefault();
      search.value = "";
      runSearch();
    }
  });
  const RESULT_KEYS: Record<string, (current: number, count: number) => void> = {
    ArrowDown: (current) => focusOption(current + 1),
    ArrowUp: (current) => (current <= 0 ? search.focus() : focusOption(current - 1)),
    Home: () => focusOption(0),
    End: (_current, count) => focusOption(count - 1),
    Enter: (current) => choose(current),
    " ": (current) => choose(current),
    Escape: () => search.focus(),
  };
  results.addEventListener("keydown", (event) => {
    const action = RESULT_KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    const all = options();
    action(all.indexOf(document.activeElement as HTMLElement), all.length);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && document.activeElement === document.body) {
      event.preventDefault();
      search.focus();
    }
  });

  return {
    load(next) {
      index = next;
      renderTree();
      runSearch();
    },
    reveal,
  };
}
