/**
 * Headless recalculation of real .xlsx files: a workbook written by exceljs with QFIN formulas (typed and in Excel's
 * saved `_xldudf_` form), dependent ordinary formulas, a shared formula and an error; the template refreshed with a
 * different dataset; a corrupt file refused. Every part of the package other than the recalculated values must stay
 * byte-identical.
 */
import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { Dataset } from "../../src/core/model";
import { runQfin } from "../../src/cli/main";
import { recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { writeTemplate } from "../../src/workbook/write-template";
import { shippedDataset, shippedIndex } from "../support/release";
import { expectOnlyValuesChanged } from "../support/xlsx";

let work: string;
const index = shippedIndex();
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "qfin-recalc-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function userWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const model = workbook.addWorksheet("Model");
  model.getCell("A1").value = "Net income";
  model.getCell("B1").value = "latest";
  model.getCell("C1").value = { formula: "QFIN.METRIC(A1,B1)", result: 1 };
  model.getCell("C1").numFmt = "#,##0.0";
  model.getCell("D1").value = { formula: '_xldudf_QFIN_METRIC(A1,"Q1 2023")', result: 2 };
  model.getCell("E1").value = { formula: "C1+D1", result: 3 };
  model.getCell("F1").value = { formula: 'QFIN.METRIC("Revenu",B1)', result: 4 };
  model.getCell("G1").value = { formula: "1+1", result: 2 };
  model.getCell("A2").value = { formula: "QFIN.METRIC($A$1,B$1)", result: 0, shareType: "shared", ref: "A2:B2" } as unknown as ExcelJS.CellFormulaValue;
  model.getCell("B2").value = { sharedFormula: "A2", result: 0 };
  model.getCell("A3").value = { formula: "QFIN.METRIC($A$1,\"Q1 2023\")", result: 929.822 };
  const summary = workbook.addWorksheet("Summary");
  summary.getCell("A1").value = { formula: "Model!E1*2", result: 6 };
  summary.getCell("B1").value = "a constant";
  workbook.definedNames.add("Model!$C$1", "NetIncomeLatest");
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe("recalculateXlsx on a workbook a user wrote", () => {
  it("recomputes QFIN cells in both saved forms, shared formulas and dependent formulas, and reports errors", async () => {
    const input = await userWorkbook();
    const { output, report } = await recalculateXlsx(input, index);
    const changes = Object.fromEntries(report.changes.map((change) => [change.cell, change.after]));
    expect(changes).toEqual({
      "Model!C1": 1093.377,
      "Model!D1": 929.822,
      "Model!E1": 1093.377 + 929.822,
      "Model!F1": expect.objectContaining({ type: "#N/A" }),
      "Model!A2": 1093.377,
      "Model!B2": expect.objectContaining({ type: "#VALUE!" }),
      "Summary!A1": (1093.377 + 929.822) * 2,
    });
    expect(report.changes.find((change) => change.cell === "Model!C1")?.before).toBe(1);
    expect(report.errors.map((error) => [error.cell, error.code])).toEqual([
      ["Model!F1", "#N/A"],
      ["Model!B2", "#VALUE!"],
    ]);
    expect(report.errors[0].message).toMatch(/Unknown line item "Revenu"; did you mean/);
    expect(report.qfinFormulas).toBe(6);

    await expectOnlyValuesChanged(input, output, Object.keys(changes), { Model: "xl/worksheets/sheet1.xml", Summary: "xl/worksheets/sheet2.xml" });
    const reread = new ExcelJS.Workbook();
    await reread.xlsx.load(output as unknown as ArrayBuffer);
    const model = reread.getWorksheet("Model") as ExcelJS.Worksheet;
    expect(model.getCell("C1").result).toBe(1093.377);
    expect(model.getCell("C1").numFmt).toBe("#,##0.0");
    expect(model.getCell("F1").result).toEqual({ error: "#N/A" });
    expect(model.getCell("G1").result).toBe(2);
    expect(reread.definedNames.getRanges("NetIncomeLatest").ranges).toEqual(["Model!$C$1"]);
  });

  it("changes nothing when the values are current", async () => {
    const first = (await recalculateXlsx(await userWorkbook(), index)).output;
    const second = await recalculateXlsx(first, index);
    expect(second.report.changes).toEqual([]);
    await expectOnlyValuesChanged(first, second.output, [], {});
  });
});

describe("qfin recalc", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) } };
  };

  it("refreshes the template with a different dataset: only the figures that differ change", async () => {
    const template = join(work, "model.xlsx");
    writeFileSync(template, (await writeTemplate(index)).bytes);
    // A dataset that still ties out (the loader re-checks totals): a KPI only the narrative states, changed.
    const changed: Dataset = JSON.parse(JSON.stringify(shippedDataset()));
    const fact = changed.facts.find((entry) => entry.item === "kpi.total_loan_volume" && entry.period === "2023Q2" && entry.precision === -6);
    fact!.value = "125000000000";
    const data = join(work, "changed.json");
    writeFileSync(data, JSON.stringify(changed));
    const refreshed = join(work, "refreshed.xlsx");

    const run = io();
    const code = await runQfin(["recalc", template, "--data", data, "--out", refreshed], run.io);
    expect(run.err.join("")).toBe("");
    expect(code).toBe(0);
    const printed = run.out.join("");
    expect(printed).toMatch(/KPIs!\w+\d+: 124225 → 125000/);
    const changedCells = [...printed.matchAll(/^ {2}([^:\n]+!\w+\d+): .* → /gm)].map((match) => match[1]);
    expect(changedCells.length).toBeGreaterThanOrEqual(1);
    const paths = Object.fromEntries(
      ["Cover", "Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Capital & outlook", "Analysis", "Definitions", "Checks"].map((name, at) => [name, `xl/worksheets/sheet${at + 1}.xml`]),
    );
    await expectOnlyValuesChanged(readFileSync(template), readFileSync(refreshed), changedCells, paths);
  });

  it("refuses a corrupt file with exit 1 and leaves it untouched", async () => {
    const corrupt = join(work, "corrupt.xlsx");
    const bytes = (await userWorkbook()).subarray(0, 900);
    writeFileSync(corrupt, bytes);
    const run = io();
    const code = await runQfin(["recalc", corrupt], run.io);
    expect(code).toBe(1);
    expect(run.err.join("")).toMatch(/is not an \.xlsx workbook .*Nothing was written/);
    expect(readFileSync(corrupt).equals(bytes)).toBe(true);
  });

  it("exits 2 on misuse", async () => {
    const run = io();
    expect(await runQfin(["recalc"], run.io)).toBe(2);
    expect(run.err.join("")).toMatch(/Give one workbook/);
  });
});
