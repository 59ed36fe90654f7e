/**
 * SERIES, STATEMENT, ITEMS, PERIODS and CHECK: results that spill as rows. Blanks are "" (Excel shows null as 0).
 */
import { CellError, ErrorType, type CellValue, type Matrix } from "../core/cell";
import { toExcelNumber } from "../core/decimal";
import { fullPath, type DatasetIndex } from "../core/dataset-index";
import { figureFor, scaledValue } from "../core/figures";
import type { ItemInfo, PeriodInfo } from "../core/model";
import { Messages } from "../core/messages";
import { periodLabel, resolvePeriod, type ParsedPeriod } from "../core/periods";
import { searchItemsForgiving } from "../core/search-items";
import { STATEMENT_NAMES } from "../core/statements";
import {
  booleanParam,
  currencyParam,
  itemParam,
  optionalItemParam,
  periodParam,
  periodSelectionParam,
  scaleParam,
  statementParam,
  textParam,
  type PeriodSelection,
} from "./arguments";
import { defineFunction } from "./define";

/** The periods a SERIES covers: the ones listed, or those of a named set the item has, oldest first. */
function seriesPeriods(index: DatasetIndex, item: ItemInfo, selection: PeriodSelection): ParsedPeriod[] | CellError {
  if (selection.kind === "list") return selection.periods;
  const has = index.periodsOf(item.id);
  const keep = (period: PeriodInfo): boolean => {
    switch (selection.set) {
      case "all":
        return true;
      case "quarters":
        return period.type === "quarter" || period.type === "instant";
      case "halves":
        return period.type === "half" || (period.type === "instant" && /-(06-30|12-31)$/.test(period.id));
      case "instants":
        return period.type === "instant";
    }
  };
  const chosen = has.filter(keep);
  if (chosen.length === 0) {
    return new CellError(ErrorType.NA, Messages.periodNotReported(item.label, selection.set, has.map((p) => p.label)));
  }
  return chosen.map(periodFromInfo);
}

/** A dataset period as the parsed form `resolvePeriod` takes. */
function periodFromInfo(period: PeriodInfo): ParsedPeriod {
  const year = Number(period.id.slice(0, 4));
  switch (period.type) {
    case "quarter":
      return { kind: "quarter", year, quarter: Number(period.id.slice(5)) as 1 | 2 | 3 | 4 };
    case "half":
      return { kind: "half", year, half: Number(period.id.slice(5)) as 1 | 2 };
    case "nine_months":
      return { kind: "nine_months", year };
    case "year":
      return { kind: "year", year };
    case "instant":
      return { kind: "date", date: period.id };
  }
}

export const SERIES = defineFunction({
  id: "SERIES",
  params: [itemParam("item"), periodSelectionParam("periods"), currencyParam("currency"), scaleParam("scale"), booleanParam("header", false)],
  run: (index, [item, selection, currency, scale, header]) => {
    const periods = seriesPeriods(index, item, selection);
    if (periods instanceof CellError) return periods;
    const labels: CellValue[] = [];
    const values: CellValue[] = [];
    for (const parsed of periods) {
      const period = resolvePeriod(index, parsed, item);
      if (period instanceof CellError) return period;
      const figure = figureFor(index, item, parsed, currency);
      labels.push(period.label);
      // A period asked for by name that has no figure is #N/A in its cell, never a blank that SUM would skip
      // (an LTM sum over two reported quarters must not pass for four).
      values.push(figure instanceof CellError ? (selection.kind === "list" ? figure : "") : toExcelNumber(scaledValue(figure, scale)));
    }
    if (values.length === 0) return new CellError(ErrorType.VALUE, Messages.periodMissing);
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
  params: [statementParam("statement", false), periodParam("period"), currencyParam("currency"), scaleParam("scale")],
  run: (index, [statement, parsed, currency, scale]) => {
    if (statement === null) return new CellError(ErrorType.VALUE, Messages.statementMissing([]));
    const items = index.itemsByStatement.get(statement.id) ?? [];
    const values = new Map<string, CellValue>();
    for (const item of items) {
      if (index.isHeading(item)) continue;
      const figure = figureFor(index, item, parsed, currency);
      if (!(figure instanceof CellError)) values.set(item.id, toExcelNumber(scaledValue(figure, scale)));
    }
    const valued = items.filter((item) => values.has(item.id));
    if (valued.length === 0) {
      const available = new Map<string, PeriodInfo>();
      for (const item of items) for (const period of index.periodsOf(item.id)) available.set(period.id, period);
      const asked = items.length > 0 ? resolvePeriod(index, parsed, items[0]) : null;
      const label = asked === null || asked instanceof CellError ? "that period" : asked.label;
      const name = STATEMENT_NAMES[statement.id][0].toLowerCase();
      return new CellError(ErrorType.NA, Messages.statementNotReported(name, label, [...available.values()].sort((a, b) => a.end.localeCompare(b.end)).map((p) => p.label)));
    }
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

export const ITEMS = defineFunction({
  id: "ITEMS",
  params: [textParam("query", ""), statementParam("statement", true)],
  run: (index, [query, statement]) => {
    const found = searchItemsForgiving(index, query, statement?.id ?? null).items;
    if (found.length === 0) return new CellError(ErrorType.NA, Messages.noSearchResults(query));
    return found.map((item) => [item.id, item.label, STATEMENT_NAMES[item.statement][0], fullPath(item).slice(0, -1).join(" > ")]);
  },
});

export const PERIODS = defineFunction({
  id: "PERIODS",
  params: [optionalItemParam("item")],
  run: (index, [item]) => {
    const periods = item === null ? index.periods : index.periodsOf(item.id);
    if (periods.length === 0) return new CellError(ErrorType.NA, Messages.periodNotReported(item?.label ?? "", "any period", []));
    return periods.map((period) => [period.id, periodLabel(index, period.id), period.type]);
  },
});

export const CHECK = defineFunction({
  id: "CHECK",
  params: [],
  run: (index) => {
    const checks = index.dataset.checks;
    if (checks.length === 0) return new CellError(ErrorType.NA, Messages.noChecks);
    return checks.map((check) => [check.check, check.status, check.message]);
  },
});
