/**
 * Statements by the names analysts use ("Balance sheet", "Income statement", "P&L", "CF", "KPI").
 */
import { CellError, ErrorType } from "./cell";
import type { StatementId, StatementInfo } from "./model";
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
