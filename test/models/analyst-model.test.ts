/**
 * The analyst model as plain data (no file): its columns, its labels, the formulas it writes, and that every figure a
 * QFIN function gives is written so that a period the data lacks shows a marker rather than an error.
 */
import { buildAnalystModel, type ModelSheet } from "../../src/models/analyst-model";
import { Formulas } from "../../src/models/formulas";
import { modelLabel } from "../../src/models/statement-sheets";
import { balanceColumns, flowColumns } from "../../src/models/timeline";
import { shippedIndex } from "../support/release";

const index = shippedIndex();
const model = buildAnalystModel(index);
const sheet = (name: string): ModelSheet => model.sheets.find((candidate) => candidate.name === name) as ModelSheet;
const item = (id: string) => index.itemsById.get(id)!;

describe("the model's columns", () => {
  it("runs the quarters without a gap, the ones the data lacks kept and named, then the halves", () => {
    expect(flowColumns(index, true).map((column) => [column.header, column.label, column.kind])).toEqual([
      ["latest-5", "Q1 2022", "quarter"],
      ["latest-4", "Q2 2022", "quarter"],
      ["latest-3", "Q3 2022", "quarter"],
      ["latest-2", "Q4 2022", "quarter"],
      ["latest-1", "Q1 2023", "quarter"],
      ["latest", "Q2 2023", "quarter"],
      ["2022H1", "H1 2022", "half"],
      ["2023H1", "H1 2023", "half"],
    ]);
    expect(flowColumns(index, false).map((column) => column.column)).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it("gives the balance sheet its own quarter ends", () => {
    expect(balanceColumns(index).map((column) => [column.header, column.label])).toEqual([
      ["latest-2", "Dec 31, 2022"],
      ["latest-1", "Mar 31, 2023"],
      ["latest", "Jun 30, 2023"],
    ]);
  });
});

describe("labels", () => {
  it("qualifies a label the release uses for several lines, and shortens one in capitals or too long", () => {
    expect(modelLabel(index, item("ops.net_income_per_ads_diluted"))).toBe("Diluted EPS (ADS)");
    expect(modelLabel(index, item("ops.weighted_average_shares_basic"))).toBe("Basic shares (weighted)");
    expect(modelLabel(index, item("ops.platform_services.other_services_fees"))).toBe("Other services fees (platform)");
    expect(modelLabel(index, item("bs.amounts_due_from_related_parties_non_current"))).toBe("Due from related parties (non-current)");
    expect(modelLabel(index, item("bs.total_assets"))).toBe("Total assets");
    expect(modelLabel(index, item("ops.net_income"))).toBe("Net income");
  });
});

describe("formulas", () => {
  it("writes a figure as the QFIN function, with the marker where the data cannot give it", () => {
    expect(Formulas.figure(12, 3)).toBe("=IFERROR(QFIN.METRIC($B12,C$4),QFIN.MARKER($B12,C$4))");
    expect(Formulas.growthQoQ(12, 8)).toBe('=IFERROR(QFIN.GROWTH($B12,H$4,"QoQ"),QFIN.MARKER($B12,H$4,"QoQ"))');
    expect(Formulas.changeBps(12, 8)).toBe('=IFERROR(QFIN.CHANGE($B12,H$4)*10000,QFIN.MARKER($B12,H$4,"change"))');
    expect(Formulas.over(["C7", "C20"], "C20/C7")).toBe('=IF(OR(ISTEXT(C7),ISTEXT(C20)),"n/a",C20/C7)');
  });

  it("never leaves a figure's QFIN call bare: each is answered by its marker when the data lacks it", () => {
    const bare = model.sheets.flatMap((candidate) =>
      candidate.cells
        .filter((cell) => /QFIN\.(METRIC|MARGIN|GROWTH|CHANGE)\(/.test(cell.formula ?? "") && !/^=IFERROR\(QFIN\.\w+\([^)]*\)(\*10000)?,QFIN\.MARKER\(/.test(cell.formula ?? ""))
        .map((cell) => `${candidate.name}!${cell.address}`),
    );
    expect(bare).toEqual([]);
    // …and there are such calls to check.
    expect(model.sheets.flatMap((candidate) => candidate.cells).filter((cell) => /QFIN\.MARKER\(/.test(cell.formula ?? "")).length).toBeGreaterThan(500);
  });

  it("gives a value to every formula that reads no data, so the file can cache it", () => {
    const linked = sheet("KPIs").cells.filter((cell) => cell.role === "period-link");
    expect(linked.length).toBeGreaterThan(5);
    for (const cell of linked) expect(cell.cached).toMatch(/^latest(-\d)?$/);
  });

  it("reads the analysis from the other sheets' cells, not from QFIN, except the shares the release may state", () => {
    const analysis = sheet("Analysis");
    const figures = analysis.cells.filter((cell) => cell.role === "figure" && cell.formula !== undefined);
    expect(figures.length).toBeGreaterThan(50);
    const rowLabel = (address: string): unknown => analysis.cells.find((cell) => cell.address === `A${/\d+$/.exec(address)?.[0]}`)?.value;
    for (const cell of figures) {
      const share = /^Capital-light share of /.test(String(rowLabel(cell.address)));
      expect([cell.address, /QFIN\./.test(cell.formula as string)]).toEqual([cell.address, share]);
      if (share) expect(cell.formula).toMatch(/^=IFERROR\(QFIN\.MARGIN\("kpi\.[a-z_]+",[A-Z]+\$4,"kpi\.total_(loan_volume|outstanding_loan_balance)"\),QFIN\.MARKER\(/);
    }
  });

  it("sums for LTM only what core sums (no per-ADS figure)", () => {
    const labels = sheet("Analysis").cells.filter((cell) => cell.role === "item-ref").map((cell) => String(cell.value));
    expect(labels.filter((label) => label.startsWith("sum of four quarters of "))).toEqual([
      "sum of four quarters of ops.total_net_revenue",
      "sum of four quarters of ops.income_from_operations",
      "sum of four quarters of ops.net_income",
      "sum of four quarters of ng.non_gaap_net_income",
      "sum of four quarters of kpi.total_loan_volume",
    ]);
  });
});

describe("the KPIs sheet", () => {
  it("has a row for every KPI of the data, each with its definition as a note where the release gives one", () => {
    const kpis = sheet("KPIs");
    const ids = kpis.cells.filter((cell) => cell.role === "item-ref").map((cell) => cell.value);
    const expected = (index.itemsByStatement.get("kpi") ?? []).filter((entry) => !index.isHeading(entry)).map((entry) => entry.id);
    expect([...ids].sort()).toEqual([...expected].sort());
    const labelOf = (id: string) => kpis.cells.find((cell) => cell.address === `A${/\d+$/.exec(kpis.cells.find((c) => c.value === id)!.address)![0]}`);
    expect(labelOf("kpi.delinquency_rate_90_day")?.note).toMatch(/^"90 day\+ delinquency rate" refers to/);
    expect(labelOf("kpi.delinquency_rate_90_day")?.value).toBe("90 day+ delinquency rate (at quarter end)");
  });
});

it("is pure: the same data gives the same model", () => {
  expect(buildAnalystModel(index)).toEqual(model);
});
