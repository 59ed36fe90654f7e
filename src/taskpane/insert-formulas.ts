/**
 * The formulas the pane inserts, written as an analyst would type them. Names come from the core's
 * `typeableName`, so every formula names its item unambiguously and keeps working after a refresh.
 */
import type { Scale } from "../core/figures";
import type { Currency, ItemInfo, StatementId } from "../core/model";
import { statementName } from "./catalog-tree";

/** A text argument in Excel's syntax: in double quotes, with quotes doubled. */
export function excelString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Currency and scale arguments as far as the item uses them (a ratio takes neither; per-share figures no scale). */
function unitArguments(unit: ItemInfo["unit"], currency: Currency, scale: Scale): string[] {
  if (unit === "amount") return [excelString(currency), excelString(scale)];
  if (unit === "per_share") return [excelString(currency)];
  return [];
}

/**
 * @example
 * metricFormula("Total net revenue", "amount", "Q2 2023", "RMB", "M") // '=QFIN.METRIC("Total net revenue","Q2 2023","RMB","M")'
 * metricFormula("90 day+ delinquency rate", "ratio", "Q2 2023", "USD", "M") // '=QFIN.METRIC("90 day+ delinquency rate","Q2 2023")'
 */
export function metricFormula(name: string, unit: ItemInfo["unit"], period: string, currency: Currency, scale: Scale): string {
  return `=QFIN.METRIC(${[excelString(name), excelString(period), ...unitArguments(unit, currency, scale)].join(",")})`;
}

/**
 * Every period the item has, with a header row of period labels.
 *
 * @example
 * seriesFormula("Net income", "amount", "RMB", "M") // '=QFIN.SERIES("Net income",,"RMB","M",TRUE)'
 */
export function seriesFormula(name: string, unit: ItemInfo["unit"], currency: Currency, scale: Scale): string {
  const [currencyArg = "", scaleArg = ""] = unitArguments(unit, currency, scale);
  return `=QFIN.SERIES(${[excelString(name), "", currencyArg, scaleArg, "TRUE"].join(",")})`;
}

/**
 * @example
 * statementFormula("operations", "Q2 2023", "RMB", "M") // '=QFIN.STATEMENT("Operations","Q2 2023","RMB","M")'
 */
export function statementFormula(statement: StatementId, period: string, currency: Currency, scale: Scale): string {
  return `=QFIN.STATEMENT(${[excelString(statementName(statement)), excelString(period), excelString(currency), excelString(scale)].join(",")})`;
}
