/**
 * Statements by the names analysts use ("Balance sheet", "Income statement", "P&L", "CF", "KPI").
 */
import { CellError, ErrorType } from "./cell";
import type { ItemInfo, StatementId, StatementInfo } from "./model";
import type { DatasetIndex } from "./dataset-index";
import { labelKey } from "./text-match";
import { Messages } from "./messages";

/** The names each statement answers to besides its id and caption; the first is what messages suggest. */
export const STATEMENT_NAMES: Readonly<Record<StatementId, readonly string[]>> = {
  balance_sheet: ["Balance sheet", "BS", "Financial position", "Balance sheets"],
  operations: ["Operations", "Income statement", "IS", "P&L", "PL", "Profit and loss", "Statement of operations"],
  cash_flows: ["Cash flows", "Cash flow", "CF", "Cash flow statement"],
  comprehensive_income: ["Comprehensive income", "OCI"],
  non_gaap: ["Non-GAAP", "Non GAAP", "Reconciliation", "Reconciliations", "Adjusted"],
  kpi: ["KPI", "KPIs", "Business highlights", "Operating metrics"],
  capital: ["Capital", "Dividend", "Outlook", "Capital returns"],
};

/**
 * The name analysts use for a statement: what STATEMENT accepts first, what ITEMS and the pane show.
 *
 * @example
 * statementName("operations") // "Operations"
 */
export function statementName(statement: StatementId): string {
  return STATEMENT_NAMES[statement][0] as string;
}

/** The first name of every statement the dataset has, in its order: what a message offers. */
export function statementChoices(index: DatasetIndex): string[] {
  return [...index.statementsById.values()].sort((a, b) => a.order - b.order).map((s) => statementName(s.id));
}

/**
 * Resolves a statement name, id or caption (or a distinctive part of the caption).
 *
 * @example
 * resolveStatement(index, "Income statement").id // "operations"
 * resolveStatement(index, "balance_sheet").id    // "balance_sheet"
 */
export function resolveStatement(index: DatasetIndex, typed: string): StatementInfo | CellError {
  const key = labelKey(typed);
  if (key === "") return new CellError(ErrorType.VALUE, Messages.statementMissing(statementChoices(index)));
  const statements = [...index.statementsById.values()];
  const exact = statements.find(
    (s) => labelKey(s.id) === key || labelKey(s.title) === key || STATEMENT_NAMES[s.id].some((name) => labelKey(name) === key),
  );
  if (exact !== undefined) return exact;
  const partial = statements.filter((s) => key.length >= 5 && labelKey(s.title).includes(key));
  if (partial.length === 1) return partial[0];
  return new CellError(ErrorType.VALUE, Messages.unknownStatement(typed.trim(), statementChoices(index)));
}

/** One row of a statement as the release lays it out: a section heading, or a line item. */
export type LayoutRow = { kind: "section"; label: string } | { kind: "item"; item: ItemInfo };

/**
 * The rows of a statement in the order its table prints them, one per printed line: a figure the table repeats from
 * another statement (the reconciliation starts from Net income; it adds share-based compensation three times) is a
 * row where it is printed. The order is taken from the period whose column prints the most rows; lines that no table
 * prints (narrative KPIs) follow in the release's order. A section heading ("Current assets") stands above its rows.
 *
 * @example
 * statementLayout(index, "non_gaap").slice(0, 3).map((row) => row.kind === "item" && row.item.label)
 * // ["Net income", "Add: Share-based compensation expenses", "Non-GAAP net income"]
 */
export function statementLayout(index: DatasetIndex, statement: StatementId): LayoutRow[] {
  return index.memo(`statement-layout:${statement}`, () => {
    const title = index.statementsById.get(statement)?.title;
    const own = index.itemsByStatement.get(statement) ?? [];
    const byPeriod = new Map<string, Map<number, ItemInfo>>();
    for (const fact of index.dataset.facts) {
      // Printed figures only: a derived fact (ADSs from shares) points at the line it was derived from.
      if (fact.currency === "USD" || fact.basis !== "reported" || title === undefined) continue;
      for (const source of [fact.source, ...(fact.copies ?? [])]) {
        if (source.table !== title) continue;
        const item = index.itemsById.get(fact.item);
        if (item === undefined) continue;
        let lines = byPeriod.get(fact.period);
        if (lines === undefined) byPeriod.set(fact.period, (lines = new Map()));
        lines.set(source.line, item);
      }
    }
    const fullest = [...byPeriod.values()].reduce<Map<number, ItemInfo> | null>((best, lines) => (best === null || lines.size > best.size ? lines : best), null);
    const printed = fullest === null ? [] : [...fullest.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
    const items = [...printed, ...own.filter((item) => !printed.includes(item))];
    // A row printed again (Net income from the income statement, share-based compensation in each reconciliation)
    // sits under the section of the next row printed for the first time, as in the release: Net income is the first
    // row under "Reconciliation of Non-GAAP Net Income to Net Income".
    const seen = new Set<ItemInfo>();
    const sections = items.map((item) => {
      const first = item.statement === statement && !seen.has(item);
      seen.add(item);
      return first ? item.section : undefined;
    });
    for (let at = sections.length - 2; at >= 0; at--) if (sections[at] === undefined) sections[at] = sections[at + 1];
    const rows: LayoutRow[] = [];
    let section: string | null = null;
    items.forEach((item, at) => {
      const itemSection = sections[at] ?? section;
      if (itemSection !== null && itemSection !== section) rows.push({ kind: "section", label: itemSection });
      section = itemSection;
      rows.push({ kind: "item", item });
    });
    return rows;
  });
}
