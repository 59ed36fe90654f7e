/**
 * The QFIN custom functions as Excel registers them. custom-functions-metadata-plugin reads the JSDoc below to
 * generate `functions.json` and appends the `CustomFunctions.associate` calls to this file in the build.
 *
 * Each function is a one-line pass-through: the arguments go to the core exactly as Excel passed them (`invoke`
 * normalises them in one place), the result comes back through the Excel adapter. Parameters are typed `any` on
 * purpose: with `number` or `string`, Excel would coerce or reject the argument before the core could say what
 * was wrong with it. Descriptions repeat `./spec.ts`; a test compares the generated metadata with it.
 *
 * Ids are frozen: they are stored in users' workbooks.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- custom-functions metadata maps only primitive types; `any` lets the core see what the user typed */
import { loadDataset, setActiveDataset } from "../core/dataset-store";
import { EMBEDDED_DATASET, EMBEDDED_DATASET_VERSION } from "./embedded-dataset";
import { invoke } from "./invoke";
import { toExcelMatrix, toExcelValue } from "./excel-adapter";

/*
 * Activate the dataset embedded in this bundle once, when the runtime loads the bundle. Should it be invalid,
 * the functions stay registered and answer with the core's "no data loaded" error instead of #NAME?.
 */
try {
  setActiveDataset(loadDataset(EMBEDDED_DATASET), { version: EMBEDDED_DATASET_VERSION });
} catch (error) {
  console.error("QFIN: the embedded dataset could not be loaded.", error);
}

/**
 * A reported figure of Qifu Technology (QFIN) for one period, exactly as the release prints it.
 * @customfunction METRIC
 * @helpurl https://localhost:3000/help.html#METRIC
 * @param {any} item Line item or KPI: the release label ("Net income"), a Parent > Label path ("Platform services > Other services fees"), an id, or an alias ("Revenue").
 * @param {any} period Period: "2023Q2", "Q2 2023", "2Q23", "H1 2023", "1H23", a date or date serial for balance-sheet items, "latest" or "latest-1".
 * @param {any} [currency] "RMB" (default) or "USD" (the release's own US$ figure where it prints one).
 * @param {any} [scale] Units for amounts: "U" units, "K" thousands, "M" millions (default), "B" billions. Per-share figures, counts and ratios are never scaled.
 * @param {any} [as_of] Point in time when releases restate a figure: "latest" (default), "first" (as first reported) or a release such as "2023Q2" (as reported up to that release).
 * @returns {any} The figure.
 */
export function metric(item: any, period: any, currency?: any, scale?: any, as_of?: any): any {
  return toExcelValue(invoke("METRIC", [item, period, currency, scale, as_of]));
}

/**
 * An item as a fraction of a base item (default Total net revenue) for one period.
 * @customfunction MARGIN
 * @helpurl https://localhost:3000/help.html#MARGIN
 * @param {any} item Line item or KPI: the release label ("Net income"), a Parent > Label path ("Platform services > Other services fees"), an id, or an alias ("Revenue").
 * @param {any} period Period: "2023Q2", "Q2 2023", "2Q23", "H1 2023", "1H23", a date or date serial for balance-sheet items, "latest" or "latest-1".
 * @param {any} [base] The denominator item (default "Total net revenue").
 * @returns {any} The margin as a fraction (format the cell as %).
 */
export function margin(item: any, period: any, base?: any): any {
  return toExcelValue(invoke("MARGIN", [item, period, base]));
}

/**
 * Growth of an item as a fraction: year over year (default) or quarter over quarter.
 * @customfunction GROWTH
 * @helpurl https://localhost:3000/help.html#GROWTH
 * @param {any} item Line item or KPI: the release label ("Net income"), a Parent > Label path ("Platform services > Other services fees"), an id, or an alias ("Revenue").
 * @param {any} period Period: "2023Q2", "Q2 2023", "2Q23", "H1 2023", "1H23", a date or date serial for balance-sheet items, "latest" or "latest-1".
 * @param {any} [basis] "YoY" (default) or "QoQ".
 * @returns {any} The growth as a fraction (format the cell as %).
 */
export function growth(item: any, period: any, basis?: any): any {
  return toExcelValue(invoke("GROWTH", [item, period, basis]));
}

/**
 * One item across periods, spilled in a row (optionally under a header row of periods).
 * @customfunction SERIES
 * @helpurl https://localhost:3000/help.html#SERIES
 * @param {any} item Line item or KPI: the release label ("Net income"), a Parent > Label path ("Platform services > Other services fees"), an id, or an alias ("Revenue").
 * @param {any[][]} [periods] A range or list of periods, or "quarters", "halves", "instants", "all" (default: every period the item has), or "last 4 quarters" / "LTM" (the newest quarters; they roll forward with new releases).
 * @param {any} [currency] "RMB" (default) or "USD" (the release's own US$ figure where it prints one).
 * @param {any} [scale] Units for amounts: "U" units, "K" thousands, "M" millions (default), "B" billions. Per-share figures, counts and ratios are never scaled.
 * @param {any} [header] TRUE to add a header row with the period labels.
 * @returns {any[][]} The values, spilled.
 */
export function series(item: any, periods?: any[][], currency?: any, scale?: any, header?: any): any[][] {
  return toExcelMatrix(invoke("SERIES", [item, periods, currency, scale, header]));
}

/**
 * A whole statement for one period, spilled as rows of label and value in the release's order.
 * @customfunction STATEMENT
 * @helpurl https://localhost:3000/help.html#STATEMENT
 * @param {any} statement "Balance sheet", "Operations" (income statement), "Cash flows", "Comprehensive income", "Non-GAAP" or "KPI".
 * @param {any} period Period: "2023Q2", "Q2 2023", "2Q23", "H1 2023", "1H23", a date or date serial for balance-sheet items, "latest" or "latest-1".
 * @param {any} [currency] "RMB" (default) or "USD" (the release's own US$ figure where it prints one).
 * @param {any} [scale] Units for amounts: "U" units, "K" thousands, "M" millions (default), "B" billions. Per-share figures, counts and ratios are never scaled.
 * @returns {any[][]} Label and value rows, spilled.
 */
export function statement(statement: any, period: any, currency?: any, scale?: any): any[][] {
  return toExcelMatrix(invoke("STATEMENT", [statement, period, currency, scale]));
}

/**
 * Searches line items and KPIs; spills id, label, statement and section, best match first.
 * @customfunction ITEMS
 * @helpurl https://localhost:3000/help.html#ITEMS
 * @param {any} [query] Words to search for (default: every item).
 * @param {any} [statement] Limit to one statement.
 * @returns {any[][]} Matching items, spilled.
 */
export function items(query?: any, statement?: any): any[][] {
  return toExcelMatrix(invoke("ITEMS", [query, statement]));
}

/**
 * Lists the periods the data covers (or one item has), spilled as id, label and type.
 * @customfunction PERIODS
 * @helpurl https://localhost:3000/help.html#PERIODS
 * @param {any} [item] Limit to the periods this item is reported for.
 * @returns {any[][]} Period rows, spilled.
 */
export function periods(item?: any): any[][] {
  return toExcelMatrix(invoke("PERIODS", [item]));
}

/**
 * Where a figure comes from: release, table, row, column and line, or the formula that derives it.
 * @customfunction SOURCE
 * @helpurl https://localhost:3000/help.html#SOURCE
 * @param {any} item Line item or KPI: the release label ("Net income"), a Parent > Label path ("Platform services > Other services fees"), an id, or an alias ("Revenue").
 * @param {any} period Period: "2023Q2", "Q2 2023", "2Q23", "H1 2023", "1H23", a date or date serial for balance-sheet items, "latest" or "latest-1".
 * @param {any} [currency] "RMB" (default) or "USD" (the release's own US$ figure where it prints one).
 * @param {any} [as_of] Point in time when releases restate a figure: "latest" (default), "first" (as first reported) or a release such as "2023Q2" (as reported up to that release).
 * @returns {any} The figure's provenance as text.
 */
export function source(item: any, period: any, currency?: any, as_of?: any): any {
  return toExcelValue(invoke("SOURCE", [item, period, currency, as_of]));
}

/**
 * The release's own definition of an item or KPI (its footnote), with its statement and section.
 * @customfunction DEFINITION
 * @helpurl https://localhost:3000/help.html#DEFINITION
 * @param {any} item Line item or KPI: the release label ("Net income"), a Parent > Label path ("Platform services > Other services fees"), an id, or an alias ("Revenue").
 * @returns {any} The definition as text.
 */
export function definition(item: any): any {
  return toExcelValue(invoke("DEFINITION", [item]));
}

/**
 * The ingest tie-out checks of the loaded data, spilled as check, status and message rows.
 * @customfunction CHECK
 * @helpurl https://localhost:3000/help.html#CHECK
 * @returns {any[][]} Check rows, spilled.
 */
export function check(): any[][] {
  return toExcelMatrix(invoke("CHECK", []));
}

/**
 * Which release(s) the loaded data comes from.
 * @customfunction VERSION
 * @helpurl https://localhost:3000/help.html#VERSION
 * @returns {any} The data version as text.
 */
export function version(): any {
  return toExcelValue(invoke("VERSION", []));
}
