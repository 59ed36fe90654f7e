/**
 * SERIES, STATEMENT, ITEMS, PERIODS and CHECK: results that spill as rows. Blanks are "" (Excel shows null as 0).
 */
import { CellError, ErrorType, type CellValue, type Matrix } from "../core/cell";
import { toExcelNumber } from "../core/decimal";
import { comparePeriods, fullPath, type DatasetIndex } from "../core/dataset-index";
import { figureFor, findFigure, scaledValue } from "../core/figures";
import type { ItemInfo, PeriodInfo } from "../core/model";
import { Messages } from "../core/messages";
import { periodRef, resolvePeriod, type ParsedPeriod, type PeriodRef } from "../core/periods";
import { isQuarterEnd } from "../core/period-id";
import { searchItemsForgiving } from "../core/search-items";
import { statementName } from "../core/statements";
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
} from "./parameters";
import { defineFunction } from "./define";

/** Whether a dataset period belongs to a named set: quarters (with quarter-end balances), halves (with half-year ends), instants. */
function inSet(index: DatasetIndex, period: PeriodInfo, set: "quarters" | "halves" | "instants" | "all"): boolean {
  const key = index.periodKey(period);
  switch (set) {
    case "all":
      return true;
    case "quarters":
      return key.type === "quarter" || key.type === "instant";
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
  const chosen = has.filter((period) => inSet(index, period, selection.set));
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

/** Headings shown in a statement: those above at least one row that has a figure. */
function headingsInUse(index: DatasetIndex, valued: ItemInfo[]): Set<string> {
  const used = new Set<string>();
  for (const item of valued) {
    for (let parent = item.parent; parent !== null; parent = index.itemsById.get(parent)?.parent ?? null) used.add(parent);
    if (item.section !== null) used.add(`section:${item.section}`);
  }
  return used;
}

export const STATEMENT = defineFunction({
  id: "STATEMENT",
  description: "A whole statement for one period, spilled as rows of label and value in the release's order.",
  params: [statementParam(), singleValue(periodParam()), currencyParam(), scaleParam()],
  result: "matrix",
  example: { formula: '=QFIN.STATEMENT("Operations","Q2 2023")', result: "label | value rows" },
  run: (index, [statement, parsed, currency, scale]) => {
    const items = index.itemsByStatement.get(statement.id) ?? [];
    const values = new Map<string, CellValue>();
    for (const item of items) {
      if (index.isHeading(item)) continue;
      const figure = figureFor(index, item, parsed, currency);
      if (!(figure instanceof CellError)) values.set(item.id, toExcelNumber(scaledValue(figure, scale)));
    }
    const valued = items.filter((item) => values.has(item.id));
    if (valued.length === 0) return notInStatement(index, items, parsed, statementName(statement.id));
    const headings = headingsInUse(index, valued);
    const rows: Matrix = [];
    for (const item of items) {
      const value = values.get(item.id);
      if (value !== undefined) rows.push([item.label, value]);
      else if (index.isHeading(item) && (headings.has(item.id) || headings.has(`section:${item.label}`))) rows.push([item.label, ""]);
    }
    return rows;
  },
});

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
