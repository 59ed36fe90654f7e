/**
 * The taskpane's plain-TypeScript parts against the shipped dataset: the browse tree, search with typos, the
 * details of an item (every figure through the core), the formulas Insert writes, the chart geometry and refresh.
 * Expected figures are the release's own (RMB thousands).
 */
import datasetJson from "../../data/dataset.json";
import { buildIndex, type DatasetIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import type { ItemInfo } from "../../src/core/model";
import { evaluateFormula } from "../../src/engine/formula-engine";
import { buildCatalogTree, findPath, type CatalogNode } from "../../src/taskpane/catalog-tree";
import { chartGeometry, niceTicks, shortPeriodLabel } from "../../src/taskpane/chart";
import { excelString } from "../../src/excel/formula-text";
import { invoke } from "../../src/functions/invoke";
import { metricCall, seriesCall, statementCall } from "../../src/taskpane/insert-formulas";
import { chartSeries, itemDetails, type GridLine } from "../../src/taskpane/item-details";
import { correctWord } from "../../src/core/search-items";
import { findItems } from "../../src/taskpane/item-search";

let index: DatasetIndex;
const item = (id: string): ItemInfo => {
  const found = index.itemsById.get(id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};

beforeAll(() => {
  index = buildIndex(loadDataset(datasetJson));
});

describe("buildCatalogTree", () => {
  const labels = (nodes: CatalogNode[]): string[] => nodes.map((node) => node.label);

  it("lists the statements in the release's order, KPIs and capital last", () => {
    expect(labels(buildCatalogTree(index))).toEqual(["Balance sheet", "Operations", "Cash flows", "Comprehensive income", "Non-GAAP", "KPI", "Capital"]);
  });

  it("nests fee lines under the revenue heading printed above them, and keeps subtotals in line", () => {
    const operations = buildCatalogTree(index)[1];
    const credit = operations.children[0];
    expect(credit.label).toBe("Credit driven services");
    expect(labels(credit.children)).toEqual([
      "Loan facilitation and servicing fees-capital heavy",
      "Financing income",
      "Revenue from releasing of guarantee liabilities",
      "Other services fees",
    ]);
    expect(labels(operations.children)).toContain("Total operating costs and expenses");
    expect(labels(operations.children).indexOf("Total net revenue")).toBeLessThan(labels(operations.children).indexOf("Net income"));
  });

  it("groups balance-sheet lines by section, so the two 'Amounts due from related parties' are told apart", () => {
    const balanceSheet = buildCatalogTree(index)[0];
    expect(labels(balanceSheet.children).slice(0, 2)).toEqual(["Current assets", "Non-current assets"]);
    const current = balanceSheet.children[0].children.map((node) => (node.kind === "item" ? node.item.id : node.key));
    expect(current).toContain("bs.amounts_due_from_related_parties_current");
    expect(current).not.toContain("bs.amounts_due_from_related_parties_non_current");
    expect(current[current.length - 1]).toBe("bs.total_current_assets");
  });

  it("covers every item exactly once and finds the way to any of them", () => {
    const seen: string[] = [];
    const walk = (nodes: CatalogNode[]): void => nodes.forEach((node) => (node.kind === "item" && seen.push(node.item.id), walk(node.children)));
    walk(buildCatalogTree(index));
    expect(seen.sort()).toEqual([...index.itemsById.keys()].sort());
    expect(findPath(buildCatalogTree(index), "item:ops.financing_income")).toEqual(["statement:operations", "item:ops.credit_driven_services", "item:ops.financing_income"]);
  });
});

describe("findItems", () => {
  it("finds the delinquency KPIs for 'delinquency', each with its statement", () => {
    const hits = findItems(index, "delinquency").hits;
    expect(hits.slice(0, 2).map((hit) => hit.item.id).sort()).toEqual(["kpi.day_1_delinquency_rate", "kpi.delinquency_rate_90_day"]);
    expect(hits[0].context).toBe("KPI");
  });

  it("still finds Total net revenue first with a typo, and says what it searched for", () => {
    const result = findItems(index, "total net revnue");
    expect(result.hits[0].item.id).toBe("ops.total_net_revenue");
    expect(result.correctedQuery).toBe("total net revenue");
    expect(findItems(index, "Net incme").hits[0].item.id).toBe("ops.net_income");
  });

  it("finds a word while it is being typed, typo included", () => {
    expect(findItems(index, "delinq").hits.map((hit) => hit.item.id)).toContain("kpi.delinquency_rate_90_day");
    expect(correctWord(index, "delinqen", true)).toBe("delinquency");
    expect(findItems(index, "day-1 delinqen").hits[0].item.id).toBe("kpi.day_1_delinquency_rate");
    expect(correctWord(index, "revnue", false)).toBe("revenue");
  });

  it("tells duplicate labels apart by where they sit", () => {
    const contexts = findItems(index, "other services fees").hits.filter((hit) => hit.item.label === "Other services fees").map((hit) => hit.context);
    expect(contexts).toEqual(["Operations · Credit driven services", "Operations · Platform services"]);
  });

  it("finds nothing for an empty query or for nonsense", () => {
    expect(findItems(index, "  ").hits).toEqual([]);
    expect(findItems(index, "zzqqxx").hits).toEqual([]);
  });
});

describe("itemDetails", () => {
  it("gives every period of Net income in RMB and US$ with how each figure was obtained", () => {
    const details = itemDetails(index, item("ops.net_income"), "M");
    const row = (period: string) => details.rows.find((candidate) => candidate.period.id === period);
    expect(row("2023Q2")?.rmb).toMatchObject({ text: "1,093.377", number: 1093.377, origin: "reported" });
    expect(row("2023Q2")?.usd).toMatchObject({ text: "150.782", origin: "reported" });
    expect(row("2023Q2")?.rmb?.provenance).toMatchObject({ row: "Net income", column: expect.stringContaining("June 30, 2023") });
    expect(row("2023Q1")?.rmb).toMatchObject({ text: "929.822", origin: "derived" });
    expect(row("2023Q1")?.rmb?.source).toContain("2,023,199 − 1,093,377");
    expect(row("2023Q2")?.margin).toMatchObject({ text: "27.9%", stated: true });
    expect(row("2023Q2")?.qoq).toMatchObject({ text: "17.6%", stated: false });
    expect(details.defaultPeriod?.id).toBe("2023Q2");
    expect(details.name).toBe("Net income");
    // The release prints no US$ figure for Q2 2022: converted at its rate, shown to the thousand like the RMB figure.
    expect(row("2022Q2")?.usd).toMatchObject({ text: "134.453", origin: "converted" });
    expect(row("2022Q2")?.usd?.source).toContain("converted to US$ at RMB7.2513 = US$1.00");
  });

  it("computes growth through the core: Total net revenue fell 6.4% year on year in Q2 2023", () => {
    const details = itemDetails(index, item("ops.total_net_revenue"), "M");
    const q2 = details.rows.find((row) => row.period.id === "2023Q2");
    expect(q2?.yoy).toMatchObject({ text: "-6.4%", stated: false });
    expect(q2?.yoy?.how).toContain("3,914,324 ÷ 4,183,199 − 1");
    expect(q2?.margin).toBeNull();
  });

  it("scales amounts only, and shows ratios as percentages with their footnote definition", () => {
    expect(itemDetails(index, item("ops.net_income"), "K").rows.find((row) => row.period.id === "2023Q2")?.rmb?.text).toBe("1,093,377");
    const rate = itemDetails(index, item("kpi.delinquency_rate_90_day"), "K");
    expect(rate.monetary).toBe(false);
    expect(rate.unitNote).toBe("per cent");
    expect(rate.rows.every((row) => row.usd === null && row.rmb?.text.endsWith("%"))).toBe(true);
    expect(rate.definition).toContain("*8");
  });

  it("goes by the short name analysts know, with the release's label kept, and names the item so formulas find it alone", () => {
    const eps = itemDetails(index, item("ops.net_income_per_ads_diluted"));
    expect([eps.title, eps.item.label, eps.name]).toEqual(["Diluted EPS (ADS)", "Diluted", "Diluted EPS (ADS)"]);
    expect(itemDetails(index, item("ops.platform_services.other_services_fees")).name).toBe("Other services fees (platform)");
    // Without a short name the release's label is the title, and the path where the label is shared.
    const referral = itemDetails(index, item("ops.referral_services_fees"));
    expect([referral.title, referral.name]).toEqual(["Referral services fees", "Referral services fees"]);
  });

  it("lays the periods out in order, quarters then half years, and marks the quarters the data lacks", () => {
    const show = (line: GridLine): string => (line.kind === "gap" ? `(${line.label})` : line.row.period.label);
    const groups = itemDetails(index, item("ops.net_income")).groups;
    expect(groups.map((group) => [group.title, group.lines.map(show)])).toEqual([
      ["Quarters", ["Q1 2022", "Q2 2022", "(Q3 2022)", "(Q4 2022)", "Q1 2023", "Q2 2023"]],
      ["Half years", ["H1 2022", "(H2 2022)", "H1 2023"]],
    ]);
    const balances = itemDetails(index, item("bs.cash_and_cash_equivalents")).groups;
    expect(balances.map((group) => [group.title, group.lines.map(show)])).toEqual([["Balances", ["Dec 31, 2022", "(Mar 31, 2023)", "Jun 30, 2023"]]]);
  });

  it("shows n.m. where the core refuses growth as not meaningful, with its reason", () => {
    const fx = itemDetails(index, item("ops.foreign_exchange_gain_loss")).rows.find((row) => row.period.id === "2023Q2");
    expect(fx?.qoq).toMatchObject({ text: "n.m.", stated: false, how: expect.stringMatching(/^n\.m\.: .*changes sign/) });
  });

  it("prints figures to the digit the release prints them to", () => {
    const usd = itemDetails(index, item("ops.net_income")).rows.find((row) => row.period.id === "2023H1")?.usd;
    expect(usd?.text).toBe("279.010");
    const dividend = itemDetails(index, item("cap.dividend_per_ads"));
    expect(dividend.currencies).toEqual(["USD"]);
    expect(dividend.rows[0]?.usd?.text).toBe("0.50");
    expect(dividend.rows[0]?.rmb).toBeNull();
  });

  it("charts flows as bars over every quarter, the missing ones as gaps; balances and rates as a line", () => {
    const series = chartSeries(itemDetails(index, item("ops.net_income")));
    expect(series.kind).toBe("bars");
    expect(series.slots.map((slot) => [slot.label, slot.text])).toEqual([
      ["Q1 2022", "1,174"],
      ["Q2 2022", "975"],
      ["Q3 2022", null],
      ["Q4 2022", null],
      ["Q1 2023", "930"],
      ["Q2 2023", "1,093"],
    ]);
    expect(chartSeries(itemDetails(index, item("bs.cash_and_cash_equivalents"))).kind).toBe("line");
    expect(chartSeries(itemDetails(index, item("ng.gaap_net_income_margin"))).kind).toBe("line");
  });
});

describe("insert formulas", () => {
  it("write METRIC with the user's currency and scale, as far as the item uses them", () => {
    expect(metricCall("Total net revenue", "amount", "Q2 2023", "RMB", "M").formula).toBe('=QFIN.METRIC("Total net revenue","Q2 2023","RMB","M")');
    expect(metricCall("Diluted", "per_share", "Q2 2023", "USD", "K").formula).toBe('=QFIN.METRIC("Diluted","Q2 2023","USD")');
    expect(metricCall("90 day+ delinquency rate", "ratio", "Q2 2023", "USD", "B").formula).toBe('=QFIN.METRIC("90 day+ delinquency rate","Q2 2023")');
  });

  it("write SERIES and STATEMENT, and double quotes inside names", () => {
    expect(seriesCall("Net income", "amount", "USD", "K").formula).toBe('=QFIN.SERIES("Net income",,"USD","K",TRUE)');
    expect(seriesCall("90 day+ delinquency rate", "ratio", "USD", "K").formula).toBe('=QFIN.SERIES("90 day+ delinquency rate",,,,TRUE)');
    expect(statementCall("balance_sheet", "Jun 30, 2023", "RMB", "M").formula).toBe('=QFIN.STATEMENT("Balance sheet","Jun 30, 2023","RMB","M")');
    expect(excelString('a "quoted" label')).toBe('"a ""quoted"" label"');
  });

  it("produce formulas the QFIN functions answer with the release's figures, the same through the formula and the call", () => {
    const calls = [
      metricCall("Total net revenue", "amount", "Q2 2023", "RMB", "M"),
      metricCall("Net income", "amount", "Q2 2023", "USD", "K"),
      seriesCall("Net income", "amount", "RMB", "M"),
      statementCall("operations", "Q2 2023", "RMB", "M"),
    ];
    for (const call of calls) expect([call.formula, evaluateFormula(index, call.formula)]).toEqual([call.formula, invoke(index, call.id, call.args)]);
    expect(evaluateFormula(index, calls[0]!.formula)).toBeCloseTo(3914.324, 9);
    expect(evaluateFormula(index, calls[1]!.formula)).toBeCloseTo(150782, 9);
    const series = evaluateFormula(index, calls[2]!.formula) as unknown[][];
    expect(series).toHaveLength(2);
    expect(series[0]).toContain("Q2 2023");
    const statement = evaluateFormula(index, calls[3]!.formula) as unknown[][];
    expect(statement.find((row) => row[0] === "Net income")).toContainEqual(expect.closeTo(1093.377, 9));
  });
});

describe("chartGeometry", () => {
  const box = { width: 140, height: 120, left: 20, top: 10, bottom: 10, right: 0 };
  const slot = (label: string, value: number | null) => ({ label, value, text: value === null ? null : String(value) });

  it("starts bars at zero, one slot per period, and leaves a gap's slot empty", () => {
    const geometry = chartGeometry({ kind: "bars", slots: [slot("Q1 2023", 50), slot("Q2 2023", null), slot("Q3 2023", 100)] }, box);
    expect(geometry.slots.map((s) => s.x)).toEqual([40, 80, 120]);
    expect(geometry.baseY).toBe(110);
    expect(geometry.slots.map((s) => s.y)).toEqual([60, null, 10]);
    expect(geometry.ticks.map((tick) => tick.text)).toEqual(["0", "20", "40", "60", "80", "100"]);
    expect(geometry.slots.map((s) => s.axisLabel)).toEqual(["Q1'23", "Q2'23", "Q3'23"]);
  });

  it("spans a line's axis over its values, and puts zero inside when values cross it", () => {
    const line = chartGeometry({ kind: "line", slots: [slot("a", 1.8), slot("b", 2.4)] }, box);
    expect(line.ticks[0]?.text).toBe("1.8");
    const crossing = chartGeometry({ kind: "bars", slots: [slot("a", -50), slot("b", 50)] }, box);
    expect(crossing.baseY).toBe(60);
  });

  it("picks round ticks and short period labels", () => {
    expect(niceTicks(0, 1093)).toEqual([0, 250, 500, 750, 1000, 1250]);
    expect(niceTicks(-91, 6)).toEqual([-100, -80, -60, -40, -20, 0, 20]);
    expect(["Q1 2022", "H1 2023", "Jun 30, 2023", "9M 2023", "LTM"].map(shortPeriodLabel)).toEqual(["Q1'22", "H1'23", "Jun'23", "9M'23", "LTM"]);
  });
});

