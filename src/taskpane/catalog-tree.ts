/**
 * The browse tree: every statement in the release's order, its section headings, and its items in the release's
 * own order and hierarchy. Pure data built from the dataset index, so the page only draws it.
 */
import type { DatasetIndex } from "../core/dataset-index";
import type { ItemInfo, StatementId } from "../core/model";
import { statementName } from "../core/statements";

export type CatalogNode =
  | { kind: "statement"; key: string; label: string; statement: StatementId; children: CatalogNode[] }
  | { kind: "section"; key: string; label: string; children: CatalogNode[] }
  | { kind: "item"; key: string; label: string; item: ItemInfo; heading: boolean; children: CatalogNode[] };

/**
 * Statements → sections → items. An item nests under its parent when the parent comes first in the release
 * ("Credit driven services" above its fee lines); a subtotal printed after its components ("Total current assets")
 * stays in line with them, as the release prints it, so the tree reads top to bottom like the statement.
 *
 * @example
 * buildCatalogTree(index)[1].label                       // "Operations"
 * buildCatalogTree(index)[1].children[0].label           // "Credit driven services"
 * buildCatalogTree(index)[1].children[0].children[0].label // "Loan facilitation and servicing fees-capital heavy"
 */
export function buildCatalogTree(index: DatasetIndex): CatalogNode[] {
  const statements = [...index.statementsById.values()].sort((a, b) => a.order - b.order);
  return statements
    .map((statement): CatalogNode => {
      const items = index.itemsByStatement.get(statement.id) ?? [];
      const children: CatalogNode[] = [];
      const nodesById = new Map<string, CatalogNode & { kind: "item" }>();
      let section: (CatalogNode & { kind: "section" }) | null = null;
      for (const item of items) {
        const node: CatalogNode & { kind: "item" } = {
          kind: "item",
          key: `item:${item.id}`,
          label: item.label,
          item,
          heading: index.isHeading(item),
          children: [],
        };
        nodesById.set(item.id, node);
        const parent = item.parent === null ? undefined : nodesById.get(item.parent);
        if (parent !== undefined && parent.item.section === item.section) {
          parent.children.push(node);
          continue;
        }
        if (item.section === null) {
          section = null;
          children.push(node);
          continue;
        }
        if (section === null || section.label !== item.section) {
          section = { kind: "section", key: `section:${statement.id}:${children.length}`, label: item.section, children: [] };
          children.push(section);
        }
        section.children.push(node);
      }
      return { kind: "statement", key: `statement:${statement.id}`, label: statementName(statement.id), statement: statement.id, children };
    })
    .filter((node) => node.children.length > 0);
}

/** Every node of the tree, depth first, with its ancestors' keys (to expand the way to an item). */
export function findPath(nodes: readonly CatalogNode[], key: string, trail: string[] = []): string[] | null {
  for (const node of nodes) {
    if (node.key === key) return [...trail, node.key];
    const found = findPath(node.children, key, [...trail, node.key]);
    if (found !== null) return found;
  }
  return null;
}
