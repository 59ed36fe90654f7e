/**
 * The analyst model template as a real .xlsx: written by `writeTemplate`, read back with exceljs, and its cached
 * values compared with what HyperFormula (an independent engine) computes for the same formulas.
 */
import ExcelJS from "exceljs";
import { typedFormula as normaliseFormula } from "../../src/excel/formula-text";
import { writeTemplate, TemplateWorkbook } from "../../src/workbook/write-template";
import { shippedIndex } from "../support/release";
import { createQfinWorkbook } from "../support/hyperformula-qfin";
import { isCellError } from "../../src/core/cell";

let template: TemplateWorkbook;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  template = await writeTemplate(shippedIndex());
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template.bytes as unknown as ArrayBuffer); // exceljs 4.4 types its Buffer parameter narrowly
});

const sheet = (name: string): ExcelJS.Worksheet => workbook.getWorksheet(name) as ExcelJS.Worksheet;

describe("qfin template workbook", () => {
  it("has the model's sheets in order", () => {
    expect(workbook.worksheets.map((worksheet) => worksheet.name)).toEqual(["Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Checks"]);
  });

  it("drives every figure from the id in column B and the relative period in row 4", () => {
    const income = sheet("Income statement");
    expect(income.getRow(4).values).toEqual(expect.arrayContaining(["latest-5", "latest-4", "latest-1", "latest", "2022H1", "2023H1"]));
    const netIncomeRow = income.getColumn(2).values.findIndex((value) => value === "ops.net_income");
    const latest = income.getCell(netIncomeRow, 6);
    expect(income.getCell(4, 6).value).toBe("latest");
    // As Excel saves add-in functions in a file: Excel binds `_xldudf_QFIN_METRIC` to QFIN.METRIC when the add-in loads.
    expect(latest.formula).toBe(`_xldudf_QFIN_METRIC($B${netIncomeRow},F$4)`);
    expect(latest.result).toBe(1093.377);
    expect(latest.numFmt).toBe("#,##0.0");
    expect(income.getCell(netIncomeRow, 1).value).toBe("Net income");
    expect(income.getCell(5, 6).result).toBe("Q2 2023");
  });

  it("formats per-share figures 0.00 and margins and growth 0.0%", () => {
    const income = sheet("Income statement");
    const ids = income.getColumn(2).values;
    expect(income.getCell(ids.indexOf("ops.net_income_per_ads_diluted"), 6).numFmt).toBe("0.00");
    const marginRow = income.getColumn(1).values.indexOf("Net income margin");
    expect(income.getCell(marginRow, 6).formula).toBe(`_xldudf_QFIN_MARGIN($B${marginRow},F$4)`);
    expect(income.getCell(marginRow, 6).numFmt).toBe("0.0%");
  });

  it("freezes the header rows and the label columns", () => {
    expect(sheet("Income statement").views[0]).toMatchObject({ state: "frozen", xSplit: 2, ySplit: 5 });
    expect(sheet("Balance sheet").getColumn(1).width).toBe(52);
  });

  it("caches the values HyperFormula computes for the same formulas", () => {
    for (const name of ["Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs"]) {
      const worksheet = sheet(name);
      const cells: Record<string, string | number | null> = {};
      const formulas: { address: string; cached: unknown }[] = [];
      worksheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.formula) {
            cells[cell.address] = `=${normaliseFormula(cell.formula)}`;
            formulas.push({ address: cell.address, cached: cell.result });
          } else if (typeof cell.value === "string" || typeof cell.value === "number") {
            cells[cell.address] = cell.value;
          }
        }),
      );
      const hyperformula = createQfinWorkbook(shippedIndex(), cells);
      expect(formulas.length).toBeGreaterThan(20);
      for (const { address, cached } of formulas) {
        const expected = hyperformula.value(address);
        if (isCellError(expected)) expect({ address, cached }).toEqual({ address, cached: { error: expected.type } });
        else expect({ address, cached }).toEqual({ address, cached: expected });
      }
    }
  });

  it("ties out in Excel formulas on the Checks sheet and spills QFIN.CHECK", () => {
    const checks = sheet("Checks");
    expect(checks.getCell("B4").result).toMatch(/^All \d+ hold$/);
    expect(checks.getCell("B3").result).toMatch(/release 2023Q2/);
    let anchor: ExcelJS.Cell | undefined;
    checks.eachRow((row) => row.eachCell((cell) => { if (cell.formula === "_xldudf_QFIN_CHECK()") anchor = cell; }));
    expect(anchor).toBeDefined();
    const below = checks.getCell(Number(anchor!.row) + 1, 2).value;
    expect(below).toBe("pass");
  });
});
