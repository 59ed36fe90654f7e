/**
 * METRIC, MARGIN, GROWTH and SOURCE: one figure (or one number about figures) per item and period; all four map
 * over ranges of items and periods.
 */
import { CellError } from "../core/cell";
import { toExcelNumber } from "../core/decimal";
import { figureFor, growth, margin, scaledValue } from "../core/figures";
import { describeSource } from "../core/describe";
import { asOfParam, basisParam, currencyParam, itemParam, marginBaseParam, periodParam, scaleParam } from "./arguments";
import { defineFunction } from "./define";

export const METRIC = defineFunction({
  id: "METRIC",
  params: [itemParam("item"), periodParam("period"), currencyParam("currency"), scaleParam("scale"), asOfParam("as_of")],
  broadcast: [0, 1],
  run: (index, [item, period, currency, scale, asOf]) => {
    const figure = figureFor(index, item, period, currency, asOf);
    return figure instanceof CellError ? figure : toExcelNumber(scaledValue(figure, scale));
  },
});

export const MARGIN = defineFunction({
  id: "MARGIN",
  params: [itemParam("item"), periodParam("period"), marginBaseParam("base")],
  broadcast: [0, 1],
  run: (index, [item, period, base]) => {
    const ratio = margin(index, item, base, period);
    return ratio instanceof CellError ? ratio : toExcelNumber(ratio);
  },
});

export const GROWTH = defineFunction({
  id: "GROWTH",
  params: [itemParam("item"), periodParam("period"), basisParam("basis")],
  broadcast: [0, 1],
  run: (index, [item, period, basis]) => {
    const rate = growth(index, item, period, basis);
    return rate instanceof CellError ? rate : toExcelNumber(rate);
  },
});

export const SOURCE = defineFunction({
  id: "SOURCE",
  params: [itemParam("item"), periodParam("period"), currencyParam("currency"), asOfParam("as_of")],
  broadcast: [0, 1],
  run: (index, [item, period, currency, asOf]) => {
    const figure = figureFor(index, item, period, currency, asOf);
    return figure instanceof CellError ? figure : describeSource(figure, index.history(figure.item.id, figure.period.id, figure.fact.currency));
  },
});
