/**
 * METRIC, MARGIN, GROWTH and SOURCE: one figure (or one number about figures) per item and period; all four map
 * over ranges of items and periods.
 */
import { CellError } from "../core/cell";
import { toExcelNumber } from "../core/decimal";
import { figureFor, growth, margin, scaledValue } from "../core/figures";
import { describeSource } from "../core/describe";
import { asOfParam, basisParam, currencyParam, itemParam, marginBaseParam, periodParam, scaleParam } from "./parameters";
import { defineFunction } from "./define";

export const METRIC = defineFunction({
  id: "METRIC",
  description: "A reported figure of Qifu Technology (QFIN) for one period, exactly as the release prints it.",
  params: [itemParam(), periodParam(), currencyParam(), scaleParam(), asOfParam()],
  result: "scalar",
  example: { formula: '=QFIN.METRIC("Total net revenue","Q2 2023")', result: "3914.324" },
  run: (index, [item, period, currency, scale, asOf]) => {
    const figure = figureFor(index, item, period, currency, asOf);
    return figure instanceof CellError ? figure : toExcelNumber(scaledValue(figure, scale));
  },
});

export const MARGIN = defineFunction({
  id: "MARGIN",
  description: "An item as a fraction of a base item (default Total net revenue) for one period.",
  params: [itemParam(), periodParam(), marginBaseParam()],
  result: "scalar",
  example: { formula: '=QFIN.MARGIN("Net income","Q2 2023")', result: "0.27932…" },
  run: (index, [item, period, base]) => {
    const ratio = margin(index, item, base, period);
    return ratio instanceof CellError ? ratio : toExcelNumber(ratio);
  },
});

export const GROWTH = defineFunction({
  id: "GROWTH",
  description: "Growth of an item as a fraction: year over year (default) or quarter over quarter.",
  params: [itemParam(), periodParam(), basisParam()],
  result: "scalar",
  example: { formula: '=QFIN.GROWTH("Total net revenue","Q2 2023")', result: "-0.06427…" },
  run: (index, [item, period, basis]) => {
    const rate = growth(index, item, period, basis);
    return rate instanceof CellError ? rate : toExcelNumber(rate);
  },
});

export const SOURCE = defineFunction({
  id: "SOURCE",
  description: "Where a figure comes from: release, table, row, column and line, or the formula that derives it.",
  params: [itemParam(), periodParam(), currencyParam(), asOfParam()],
  result: "scalar",
  example: { formula: '=QFIN.SOURCE("Net income","Q1 2023")', result: "derived: H1 2023 − Q2 2023 …" },
  run: (index, [item, period, currency, asOf]) => {
    const figure = figureFor(index, item, period, currency, asOf);
    return figure instanceof CellError ? figure : describeSource(figure, index.history(figure.item.id, figure.period.id, figure.fact.currency));
  },
});
