/**
 * SERIES, STATEMENT, ITEMS, PERIODS and CHECK: results that spill as rows. Blanks are "" (Excel shows null as 0).
 */
import { CellError, ErrorType, type CellValue, type Matrix } from "../core/cell";
import { toExcelNumber } from "../core/decimal";
import { comparePeriods, fullPath, type DatasetIndex } from "../core/dataset-index";
import { figureFor, findFigure, scaledValue, type Scale } from "../core/figures";
import { CURRENCY_WORDS, SCALE_WORDS } from "../core/describe";
import type { Currency, ItemInfo, PeriodInfo } from "../core/model";
import { Messages } from "../core/messages";
import { periodRef, resolvePeriod, type ParsedPeriod, type PeriodRef } from "../core/periods";
import { isQuarterEnd } from "../core/period-id";
import { searchItemsForgiving } from "../core/search-items";
import { statementLayout, statementName, type LayoutRow } from "../core/statements";
import { shortName, typeableName } from "../core/resolve-item";
import {
  booleanParam,
  currencyParam,
  itemParam,
  optionalItemParam,
  optionalStatementParam,
  periodParam,
  periodSelectionParam,
  scaleParam,
  singleValue,
  statementParam,
  textParam,
  type PeriodSelection,
  type PeriodSet,
} from "./parameters";
import { defineFunction } from "./define";

/** Whether a dataset period belongs to a named set: quarters (with quarter-end balances), halves (with half-year ends), instants. */
function inSet(index: DatasetIndex, period: PeriodInfo, set: PeriodSet): boolean {
  const key = index.periodKey(period);
  switch (set) {
    case "all":
      return true;
    case "default":
    case "quarters":
      return key.type === "quarter" || isQuarterEnd(key);
    case "halves":
      return key.type === "half" || (isQuarterEnd(key) && key.type === "instant" && key.month % 6 === 0);
    case "instants":
      return key.type === "instant";
  }
}

/** The periods a SERIES covers, resolved for the item: the ones listed, or those of a named set the item has, oldest first. */
function seriesPeriods(index: DatasetIndex, item: ItemInfo, selection: PeriodSelection): PeriodRef[] | CellError {
  if (selection.kind === "list") {
    const refs: PeriodRef[] = [];
    for (const parsed of selection.periods) {
      const ref = resolvePeriod(index, parsed, item);
      if (ref instanceof CellError) return ref;
      refs.push(ref);
    }
    return refs;
  }
  const has = index.periodsOf(item.id);
  let chosen = has.filter((period) => inSet(index, period, selection.set));
  // Left out, the series is the item's quarters (one frequency, never halves between quarters), or every period it
  // has when it has none (a dividend reported per half, a repurchase at its dates).
  if (selection.set === "default") chosen = chosen.length > 0 ? chosen : has;
  if (chosen.length === 0) return new CellError(ErrorType.NA, Messages.periodNotReported(item.label, selection.set, has.map((p) => p.label)));
  return chosen.map((period) => periodRef(index, index.periodKey(period)));
}

export const SERIES = defineFunction({
  id: "SERIES",
  description: "One item across periods, spilled in a row (optionally under a header row of periods).",
  params: [
    singleValue(itemParam()),
    periodSelectionParam(),
    currencyParam(),
    scaleParam(),
    booleanParam("header", "TRUE to add a header row with the period labels.", false),
  ],
  result: "matrix",
  example: { formula: '=QFIN.SERIES("Net income","quarters",,,TRUE)', result: "periods and values in two rows" },
  run: (index, [item, selection, currency, scale, header]) => {
    const periods = seriesPeriods(index, item, selection);
    if (periods instanceof CellError) return periods;
    if (periods.length === 0) return new CellError(ErrorType.VALUE, Messages.periodMissing);
    const labels: CellValue[] = [];
    const values: CellValue[] = [];
    for (const period of periods) {
      const figure = findFigure(index, item, period, currency);
      labels.push(period.label);
      // A period asked for by name that has no figure is #N/A in its cell, never a blank that SUM would skip
      // (an LTM sum over two reported quarters must not pass for four).
      values.push(figure instanceof CellError ? (selection.kind === "list" ? figure : "") : toExcelNumber(scaledValue(figure, scale)));
    }
    return header ? [labels, values] : [values];
  },
});

/**
 * The label a statement row shows: the release's, or where the statement prints that label for more than one line
 * (Basic and Diluted under three headings, the two Other services fees), the line's short name, which says which.
 */
function rowLabels(index: DatasetIndex, rows: readonly LayoutRow[]): Map<ItemInfo, string> {
  const items = rows.flatMap((row) => (row.kind === "item" ? [row.item] : []));
  const byLabel = new Map<string, Set<ItemInfo>>();
  for (const item of items) {
    const key = item.label.toLowerCase();
    const set = byLabel.get(key) ?? new Set<ItemInfo>();
    set.add(item);
    byLabel.set(key, set);
  }
  const labels = new Map<ItemInfo, string>();
  for (const item of items) {
    const shared = (byLabel.get(item.label.toLowerCase())?.size ?? 0) > 1;
    const short = shortName(index, item);
    labels.set(item, shared ? (short !== item.label ? short : typeableName(index, item)) : item.label);
  }
  return labels;
}

export const STATEMENT = defineFunction({
  id: "STATEMENT",
  description: "A whole statement for one period, spilled as rows of label and value in the release's order, with its section headings.",
  params: [
    statementParam(),
    singleValue(periodParam()),
    currencyParam(),
    scaleParam(),
    booleanParam("header", "TRUE to add a first row naming the statement, the period and the units.", false),
  ],
  result: "matrix",
  example: { formula: '=QFIN.STATEMENT("Operations","Q2 2023")', result: "label | value rows" },
  run: (index, [statement, parsed, currency, scale, header]) => {
    const layout = statementLayout(index, statement.id);
    const values = new Map<ItemInfo, CellValue>();
    let periodLabel: string | null = null;
    for (const row of layout) {
      if (row.kind !== "item" || values.has(row.item)) continue;
      const figure = figureFor(index, row.item, parsed, currency);
      if (figure instanceof CellError) continue;
      values.set(row.item, toExcelNumber(scaledValue(figure, scale)));
      periodLabel ??= figure.period.label;
    }
    const items = (index.itemsByStatement.get(statement.id) ?? []) as ItemInfo[];
    if (values.size === 0) return notInStatement(index, items, parsed, statementName(statement.id));
    const labels = rowLabels(index, layout);
    const rows: Matrix = [];
    let pendingSection: string | null = null;
    for (const row of layout) {
      if (row.kind === "section") {
        pendingSection = row.label;
        continue;
      }
      const value = values.get(row.item);
      if (value === undefined) continue;
      // A section heading shows when a row under it has a figure.
      if (pendingSection !== null) rows.push([pendingSection, ""]);
      pendingSection = null;
      rows.push([labels.get(row.item) ?? row.item.label, value]);
    }
    if (header) rows.unshift([statement.title, `${periodLabel ?? ""} (${unitsOf(currency, scale)})`]);
    return rows;
  },
});

/** "RMB millions unless stated" for a header row. */
const unitsOf = (currency: Currency | null, scale: Scale): string => `${[CURRENCY_WORDS[currency ?? "RMB"], SCALE_WORDS[scale]].filter(Boolean).join(" ")} unless stated`;

/** `#N/A` for a statement with no figure for the period, listing the periods it has. */
function notInStatement(index: DatasetIndex, items: readonly ItemInfo[], parsed: ParsedPeriod, name: string): CellError {
  const available = new Map<string, PeriodInfo>();
  for (const item of items) for (const period of index.periodsOf(item.id)) available.set(period.id, period);
  const asked = items.length > 0 ? resolvePeriod(index, parsed, items[0] as ItemInfo) : null;
  const label = asked === null || asked instanceof CellError ? "that period" : asked.label;
  const labels = [...available.values()].sort(comparePeriods).map((p) => p.label);
  return new CellError(ErrorType.NA, Messages.statementNotReported(name.toLowerCase(), label, labels));
}

export const ITEMS = defineFunction({
  id: "ITEMS",
  description: "Searches line items and KPIs; spills id, label, statement and section, best match first.",
  params: [textParam("query", "Words to search for (default: every item).", ""), optionalStatementParam()],
  result: "matrix",
  example: { formula: '=QFIN.ITEMS("delinquency")', result: "matching items" },
  run: (index, [query, statement]) => {
    const found = searchItemsForgiving(index, query, statement?.id ?? null).items;
    if (found.length === 0) return new CellError(ErrorType.NA, Messages.noSearchResults(query));
    return found.map((item) => [item.id, item.label, statementName(item.statement), fullPath(item).slice(0, -1).join(" > ")]);
  },
});

export const PERIODS = defineFunction({
  id: "PERIODS",
  description: "Lists the periods the data covers (or one item has), spilled as id, label and type.",
  params: [optionalItemParam()],
  result: "matrix",
  example: { formula: "=QFIN.PERIODS()", result: "period rows" },
  run: (index, [item]) => {
    const periods = item === null ? index.periods : index.periodsOf(item.id);
    if (periods.length === 0) return new CellError(ErrorType.NA, Messages.periodNotReported(item?.label ?? "", "any period", []));
    return periods.map((period) => [period.id, period.label, period.type]);
  },
});

export const CHECK = defineFunction({
  id: "CHECK",
  description: "The ingest tie-out checks of the loaded data, spilled as check, status and message rows.",
  params: [],
  result: "matrix",
  example: { formula: "=QFIN.CHECK()", result: "check rows" },
  run: (index) => {
    const checks = index.dataset.checks;
    if (checks.length === 0) return new CellError(ErrorType.NA, Messages.noChecks);
    return checks.map((check) => [check.check, check.status, check.message]);
  },
});
