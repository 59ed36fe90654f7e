/**
 * The formulas the pane inserts, written as an analyst would type them, each with the call it makes (so the pane can
 * ask the core for the result's size without evaluating formula text). Names come from the core's `typeableName`, so
 * every formula names its item unambiguously and keeps working after a refresh.
 */
import type { Scale } from "../core/figures";
import type { Currency, ItemInfo, StatementId } from "../core/model";
import { statementName } from "../core/statements";
import { callFormula } from "../excel/formula-text";
import { functionById, type QfinFunctionId } from "../functions/catalogue";
import { formulaName } from "../functions/define";

/** A QFIN call: the function, its arguments as the formula passes them (null where left out), and its formula text. */
export interface FormulaCall {
  id: QfinFunctionId;
  args: (string | boolean | null)[];
  formula: string;
}

function call(id: QfinFunctionId, args: (string | boolean | null)[]): FormulaCall {
  return { id, args, formula: callFormula(formulaName(functionById(id) as NonNullable<ReturnType<typeof functionById>>), args) };
}

/** Currency and scale arguments as far as the item uses them (a ratio takes neither; per-share figures no scale). */
function unitArguments(unit: ItemInfo["unit"], currency: Currency, scale: Scale): [string | null, string | null] {
  if (unit === "amount") return [currency, scale];
  if (unit === "per_share") return [currency, null];
  return [null, null];
}

/**
 * @example
 * metricCall("Total net revenue", "amount", "Q2 2023", "RMB", "M").formula // '=QFIN.METRIC("Total net revenue","Q2 2023","RMB","M")'
 * metricCall("90 day+ delinquency rate", "ratio", "Q2 2023", "USD", "M").formula // '=QFIN.METRIC("90 day+ delinquency rate","Q2 2023")'
 */
export function metricCall(name: string, unit: ItemInfo["unit"], period: string, currency: Currency, scale: Scale): FormulaCall {
  return call("METRIC", [name, period, ...unitArguments(unit, currency, scale)]);
}

/**
 * Every period the item has, with a header row of period labels.
 *
 * @example
 * seriesCall("Net income", "amount", "RMB", "M").formula // '=QFIN.SERIES("Net income",,"RMB","M",TRUE)'
 */
export function seriesCall(name: string, unit: ItemInfo["unit"], currency: Currency, scale: Scale): FormulaCall {
  return call("SERIES", [name, null, ...unitArguments(unit, currency, scale), true]);
}

/**
 * @example
 * statementCall("operations", "Q2 2023", "RMB", "M").formula // '=QFIN.STATEMENT("Operations","Q2 2023","RMB","M")'
 */
export function statementCall(statement: StatementId, period: string, currency: Currency, scale: Scale): FormulaCall {
  return call("STATEMENT", [statementName(statement), period, currency, scale]);
}
