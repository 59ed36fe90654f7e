/**
 * METRIC, MARGIN, GROWTH, CHANGE, SOURCE and MARKER: one figure (or one number or text about figures) per item and
 * period; all map over ranges of items and periods.
 */
import { CellError, ErrorType } from "../core/cell";
import { toExcelNumber } from "../core/decimal";
import { change, defaultMarginBase, figureFor, growth, isNotMeaningful, margin, MARKERS, scaledAs, scaledValue } from "../core/figures";
import { describeSource } from "../core/describe";
import { vocabularyOf } from "../core/resolve-item";
import { asOfParam, basisParam, currencyParam, itemParam, marginBaseParam, measureParam, periodParam, scaleParam } from "./parameters";
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
  description: "An item as a fraction of a base item (default Total net revenue): the release's stated margin or share where it prints one, else computed.",
  params: [itemParam(), periodParam(), marginBaseParam()],
  result: "scalar",
  example: { formula: '=QFIN.MARGIN("Net income","Q2 2023")', result: "0.279 (the release's 27.9%)" },
  run: (index, [item, period, base]) => {
    const ratio = margin(index, item, base, period);
    return ratio instanceof CellError ? ratio : toExcelNumber(ratio.value);
  },
});

export const GROWTH = defineFunction({
  id: "GROWTH",
  description: "Growth of an item as a fraction, year over year (default) or quarter over quarter: the release's stated rate where it prints one; n.m. across a sign change.",
  params: [itemParam(), periodParam(), basisParam()],
  result: "scalar",
  example: { formula: '=QFIN.GROWTH("Total net revenue","Q2 2023")', result: "-0.06427…" },
  run: (index, [item, period, basis]) => {
    const rate = growth(index, item, period, basis);
    return rate instanceof CellError ? rate : toExcelNumber(rate.value);
  },
});

export const CHANGE = defineFunction({
  id: "CHANGE",
  description: "The change of an item from a year earlier (default) or the previous quarter: for rates a fraction (0.0046 is 46 bps), for amounts in RMB millions.",
  params: [itemParam(), periodParam(), basisParam(), currencyParam(), scaleParam()],
  result: "scalar",
  example: { formula: '=QFIN.CHANGE("Net margin","Q2 2023")', result: "0.046 (460 bps)" },
  run: (index, [item, period, basis, currency, scale]) => {
    const difference = change(index, item, period, basis, currency);
    if (difference instanceof CellError) return difference;
    return toExcelNumber(scaledAs(item, difference.value, scale));
  },
});

export const SOURCE = defineFunction({
  id: "SOURCE",
  description: "Where a figure comes from (release, table, row, column and line, or its derivation), or where its growth, margin or change comes from.",
  params: [itemParam(), periodParam(), currencyParam(), asOfParam(), measureParam()],
  result: "scalar",
  example: { formula: '=QFIN.SOURCE("Net income","Q1 2023")', result: "derived: H1 2023 − Q2 2023 …" },
  run: (index, [item, period, currency, asOf, { measure, basis }]) => {
    const note = vocabularyOf(index, item)?.note ?? null;
    if (measure === "growth") {
      const rate = growth(index, item, period, basis);
      return rate instanceof CellError ? rate : rate.how;
    }
    if (measure === "margin") {
      const base = defaultMarginBase(index);
      if (base instanceof CellError) return base;
      const ratio = margin(index, item, base, period);
      return ratio instanceof CellError ? ratio : ratio.how;
    }
    if (measure === "change") {
      const difference = change(index, item, period, basis, currency);
      return difference instanceof CellError ? difference : difference.how;
    }
    const figure = figureFor(index, item, period, currency, asOf);
    return figure instanceof CellError ? figure : describeSource(figure, index.history(figure.item.id, figure.period.id, figure.fact.currency), note);
  },
});

export const MARKER = defineFunction({
  id: "MARKER",
  description:
    'What a model shows where a figure cannot be given: "n/a" when the data does not report it for the period, "n.m." when a growth is not meaningful, "" when there is a figure; a mistyped item or period is still its error. Use it with IFERROR: =IFERROR(QFIN.METRIC(A2,B1),QFIN.MARKER(A2,B1)).',
  params: [
    itemParam(),
    periodParam(),
    measureParam('"value" (default): the figure METRIC gives; "growth" (YoY), "QoQ", "margin" or "change": the number GROWTH, MARGIN or CHANGE gives.'),
  ],
  result: "scalar",
  example: { formula: '=QFIN.MARKER("Diluted EPS (ADS)","Q1 2023")', result: '"n/a" (no per-ADS figure for a derived Q1)' },
  run: (index, [item, period, { measure, basis }]) => {
    let outcome: unknown;
    if (measure === "growth") outcome = growth(index, item, period, basis);
    else if (measure === "change") outcome = change(index, item, period, basis);
    else if (measure === "margin") {
      const base = defaultMarginBase(index);
      outcome = base instanceof CellError ? base : margin(index, item, base, period);
    } else outcome = figureFor(index, item, period, null);
    if (!(outcome instanceof CellError)) return "";
    if (isNotMeaningful(outcome)) return MARKERS.notMeaningful;
    // Every other #N/A past the arguments is a figure the data does not have (the period, its comparison, an LTM
    // quarter); a bad argument (#VALUE!) or a zero base (#DIV/0!) stays the error it is.
    return outcome.type === ErrorType.NA ? MARKERS.notReported : outcome;
  },
});
