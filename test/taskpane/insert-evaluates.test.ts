/**
 * Every formula Insert can write, for every item, period, currency and scale the pane offers, evaluated through the
 * formula engine (the same function code Excel runs) and compared with what the pane shows for it: Insert never
 * writes a formula that answers something else (the dividend in RMB, halves between quarters, another scale).
 */
import datasetJson from "../../data/dataset.json";
import { isCellError, type FunctionResult } from "../../src/core/cell";
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import type { Scale } from "../../src/core/figures";
import { loadDataset } from "../../src/core/load-dataset";
import type { Currency, ItemInfo } from "../../src/core/model";
import { resolveItem } from "../../src/core/resolve-item";
import { evaluateFormula } from "../../src/engine/formula-engine";
import { metricCall, seriesCall, statementCall } from "../../src/taskpane/insert-formulas";
import { insertCurrency } from "../../src/taskpane/insert-panel";
import { itemDetails, type FigureView, type ItemDetails, type PeriodRow } from "../../src/taskpane/item-details";

let index: DatasetIndex;
const evaluated = new Map<string, FunctionResult>();
/** Statement formulas repeat across the items of a statement: each is evaluated once. */
const evaluate = (formula: string): FunctionResult => {
  let result = evaluated.get(formula);
  if (result === undefined) evaluated.set(formula, (result = evaluateFormula(index, formula)));
  return result;
};

beforeAll(() => {
  index = buildIndex(loadDataset(datasetJson));
});

const CURRENCIES: Currency[] = ["RMB", "USD"];
const SCALES: Scale[] = ["U", "K", "M", "B"];

/** The figure the pane shows for a row in the currency Insert writes. */
function shown(details: ItemDetails, row: PeriodRow, currency: Currency): FigureView | null {
  if (!details.monetary) return row.rmb;
  return insertCurrency(details, currency) === "USD" ? row.usd : row.rmb;
}

/** What a formula's number is in the pane's terms: ratios as per cent, as the grid prints them. */
const asShown = (item: ItemInfo, value: number): number => (item.unit === "ratio" ? value * 100 : value);

/** The formula's answer agrees with the pane's figure, and with its text to the digits the text prints. */
function expectSame(formula: string, value: FunctionResult, item: ItemInfo, figure: FigureView): void {
  expect({ formula, type: typeof value }).toEqual({ formula, type: "number" });
  const number = asShown(item, value as number);
  expect({ formula, close: Math.abs(number - figure.number) <= 1e-9 * Math.max(1, Math.abs(figure.number)) }).toEqual({ formula, close: true });
  const text = figure.text.replace(/[,%]/g, "");
  const digits = text.includes(".") ? (text.split(".")[1] as string).length : 0;
  expect({ formula, shown: figure.text, rounded: number.toFixed(digits) }).toEqual({ formula, shown: figure.text, rounded: Number(text).toFixed(digits) });
}

describe("every formula Insert writes answers what the pane shows", () => {
  it("Insert value (METRIC): every item, period, currency and scale", () => {
    let checked = 0;
    for (const item of index.itemsById.values()) {
      for (const scale of SCALES) {
        const details = itemDetails(index, item, scale);
        for (const currency of CURRENCIES) {
          for (const row of details.rows) {
            const figure = shown(details, row, currency);
            if (figure === null) continue;
            const call = metricCall(details.name, item.unit, row.period.label, insertCurrency(details, currency), scale);
            expectSame(call.formula, evaluate(call.formula), item, figure);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(3500);
  });

  it("Insert series (SERIES): one frequency, each value the pane's figure for that period", () => {
    let series = 0;
    for (const item of index.itemsById.values()) {
      for (const scale of ["K", "M"] as const) {
        const details = itemDetails(index, item, scale);
        for (const currency of CURRENCIES) {
          const call = seriesCall(details.name, item.unit, insertCurrency(details, currency), scale);
          const result = evaluate(call.formula);
          expect({ formula: call.formula, spills: Array.isArray(result) && result.length === 2 }).toEqual({ formula: call.formula, spills: true });
          const [labels, values] = result as FunctionResult[][];
          const rows = (labels as FunctionResult[]).map((label) => details.rows.find((row) => row.period.label === label));
          expect({ formula: call.formula, unknownPeriods: rows.filter((row) => row === undefined).length }).toEqual({ formula: call.formula, unknownPeriods: 0 });
          // One frequency: never half years between quarters (balances go by their quarter ends).
          const kinds = new Set(rows.map((row) => (row?.quarterly ? "quarterly" : row?.period.type)));
          expect({ formula: call.formula, kinds: [...kinds] }).toEqual({ formula: call.formula, kinds: [[...kinds][0]] });
          rows.forEach((row, position) => {
            const figure = row ? shown(details, row, currency) : null;
            if (figure !== null) expectSame(`${call.formula} @ ${row?.period.label}`, (values as FunctionResult[])[position] as FunctionResult, item, figure);
          });
          series++;
        }
      }
    }
    expect(series).toBe(index.itemsById.size * 4);
  });

  it("Insert statement (STATEMENT): the item's line answers the pane's figure", () => {
    let lines = 0;
    for (const item of index.itemsById.values()) {
      const details = itemDetails(index, item, "M");
      for (const currency of CURRENCIES) {
        for (const row of details.rows) {
          const figure = shown(details, row, currency);
          if (figure === null) continue;
          const call = statementCall(item.statement, row.period.label, insertCurrency(details, currency), "M");
          const result = evaluate(call.formula);
          if (!Array.isArray(result)) {
            expect({ formula: call.formula, error: isCellError(result) ? result.toString() : result }).toEqual({ formula: call.formula, error: expect.stringContaining("#") });
            continue;
          }
          const line = result.find((cells) => typeof cells[0] === "string" && cells[0] !== "" && (resolveItem(index, cells[0]) as ItemInfo).id === item.id && cells[1] !== "");
          if (line === undefined) continue;
          expectSame(`${call.formula} @ ${String(line[0])}`, line[1] as FunctionResult, item, figure);
          lines++;
        }
      }
    }
    expect(lines).toBeGreaterThan(800);
  });

  it("writes the dividend, which the release reports in US$ only, in US$ whatever the currency chosen", () => {
    const dividend = itemDetails(index, index.itemsById.get("cap.dividend_per_ads") as ItemInfo, "M");
    const call = metricCall(dividend.name, "per_share", "H1 2023", insertCurrency(dividend, "RMB"), "M");
    expect(call.formula).toBe('=QFIN.METRIC("Dividend per ADS","H1 2023","USD")');
    expect(evaluate(call.formula)).toBe(0.5);
  });
});
