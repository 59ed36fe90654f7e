/**
 * The analyst model as a real .xlsx: written by `writeTemplate`, read back as a package (exceljs and the raw parts),
 * and its cached values compared with what HyperFormula (an independent engine) computes for the same formulas across
 * all sheets. What an analyst sends to a PM: it opens clean anywhere (no forced recalculation, a cached value for
 * every formula, none an error), every KPI of the release, and the conventions of the trade.
 */
import ExcelJS from "exceljs";
import { isCellError } from "../../src/core/cell";
import { evaluateWorkbook } from "../../src/engine/workbook-evaluator";
import { typedFormula as normaliseFormula } from "../../src/excel/formula-text";
import { readSharedStrings, readSheetCells } from "../../src/workbook/sheet-xml";
import { EXCEL_CALC_ID, writeTemplate, type TemplateWorkbook } from "../../src/workbook/write-template";
import { createQfinWorkbookSheets } from "../support/hyperformula-qfin";
import { shippedIndex } from "../support/release";
import { entries } from "../support/xlsx";

const index = shippedIndex();
let template: TemplateWorkbook;
let workbook: ExcelJS.Workbook;
let parts: Map<string, Buffer>;

const SHEETS = ["Cover", "Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Capital & outlook", "Analysis", "Definitions", "Checks"];

beforeAll(async () => {
  template = await writeTemplate(index);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template.bytes as unknown as ArrayBuffer); // exceljs 4.4 types its Buffer parameter narrowly
  parts = await entries(template.bytes);
});

const sheet = (name: string): ExcelJS.Worksheet => workbook.getWorksheet(name) as ExcelJS.Worksheet;
const part = (path: string): string => (parts.get(path) as Buffer).toString("utf8");
/** The row whose hidden column B holds an item id. */
const rowOf = (worksheet: ExcelJS.Worksheet, id: string): number => {
  const found = worksheet.getColumn(2).values.findIndex((value) => value === id);
  if (found < 0) throw new Error(`no row for ${id} on ${worksheet.name}`);
  return found;
};
/** The column whose period input row (4) holds a header. */
const columnOf = (worksheet: ExcelJS.Worksheet, header: string): number => {
  for (let col = 3; col <= worksheet.columnCount; col++) {
    const cell = worksheet.getCell(4, col);
    if (cell.value === header || cell.result === header) return col;
  }
  throw new Error(`no column ${header} on ${worksheet.name}`);
};
const shown = (cell: ExcelJS.Cell): unknown => (cell.formula ? cell.result : cell.value);

describe("the analyst model opens clean anywhere", () => {
  it("has the model's sheets in order", () => {
    expect(workbook.worksheets.map((worksheet) => worksheet.name)).toEqual(SHEETS);
  });

  it("asks for no recalculation on open and says it was calculated by current Excel's engine", () => {
    const calc = /<calcPr\b[^>]*\/>/.exec(part("xl/workbook.xml"))?.[0];
    expect(calc).toBe(`<calcPr calcId="${EXCEL_CALC_ID}"/>`);
    expect(part("xl/workbook.xml")).not.toMatch(/fullCalcOnLoad|forceFullCalc/);
  });

  it("caches a value for every formula cell of the package, and not one of them is an error", () => {
    const strings = readSharedStrings(part("xl/sharedStrings.xml"));
    let formulas = 0;
    const uncached: string[] = [];
    const errors: string[] = [];
    for (const [path, bytes] of parts) {
      if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(path)) continue;
      for (const cell of readSheetCells(bytes.toString("utf8"), strings)) {
        if (!cell.formula) continue;
        formulas++;
        if (cell.value === null) uncached.push(`${path}!${cell.address}`);
        if (isCellError(cell.value)) errors.push(`${path}!${cell.address}`);
      }
      // And in the raw text: no cell typed as an error.
      if (/<c\b[^>]*\bt="e"/.test(bytes.toString("utf8"))) errors.push(`${path}: t="e"`);
    }
    expect(formulas).toBeGreaterThan(1000);
    expect(uncached).toEqual([]);
    expect(errors).toEqual([]);
    expect(template.errorCells).toEqual([]);
    expect(template.markedCells.length).toBeGreaterThan(100);
  });

  it("names the font of every style, the workbook's default included", () => {
    const fonts = [...part("xl/styles.xml").matchAll(/<font>([\s\S]*?)<\/font>/g)].map((match) => match[1] as string);
    expect(fonts.length).toBeGreaterThan(3);
    for (const font of fonts) expect(font).toMatch(/<name val="Arial"\/>/);
    expect(fonts[0]).not.toMatch(/<scheme /); // a theme font would replace the name
  });

  it("keeps the ingest checks as values under live summary formulas", () => {
    const checks = sheet("Checks");
    let spilled = 0;
    checks.eachRow((row) => row.eachCell((cell) => { if (cell.formula?.includes("QFIN_CHECK")) spilled++; }));
    expect(spilled).toBe(0);
    expect(checks.getCell("B4").formula).toMatch(/^IF\(SUMSQ\(/);
    expect(checks.getCell("B4").result).toMatch(/^All \d+ hold$/);
    expect(checks.getCell("B5").formula).toMatch(/^IF\(COUNTIF\(C\d+:C\d+,"pass"\)/);
    expect(checks.getCell("B5").result).toBe(`All ${index.dataset.checks.length} pass`);
    expect(checks.getCell("B3").formula).toBe("_xldudf_QFIN_VERSION()");
    const statuses = checks.getColumn(3).values.filter((value) => value === "pass");
    expect(statuses).toHaveLength(index.dataset.checks.length);
  });

  it("caches the values HyperFormula computes for the same formulas, across every sheet", () => {
    const cells: Record<string, Record<string, string | number | null>> = {};
    const formulas: { sheet: string; address: string; cached: unknown }[] = [];
    for (const worksheet of workbook.worksheets) {
      const own: Record<string, string | number | null> = (cells[worksheet.name] = {});
      worksheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.formula) {
            own[cell.address] = `=${normaliseFormula(cell.formula)}`;
            formulas.push({ sheet: worksheet.name, address: cell.address, cached: cell.result });
          } else if (typeof cell.value === "string" || typeof cell.value === "number") {
            own[cell.address] = cell.value;
          }
        }),
      );
    }
    const hyperformula = createQfinWorkbookSheets(index, cells);
    expect(formulas.length).toBeGreaterThan(1000);
    const differences = formulas.filter(({ sheet: name, address, cached }) => {
      const expected = hyperformula.value(name, address);
      if (isCellError(expected)) return true;
      return typeof expected === "number" && typeof cached === "number" ? Math.abs(expected - cached) > 1e-9 * Math.max(1, Math.abs(expected)) : expected !== (cached ?? "");
    });
    expect(differences.map(({ sheet: name, address, cached }) => ({ cell: `${name}!${address}`, cached, hyperformula: hyperformula.value(name, address) }))).toEqual([]);
  });
});

describe("figures, markers and real errors", () => {
  it("drives every figure from the item id in the hidden, grouped column B and the period in row 4", () => {
    const income = sheet("Income statement");
    expect(income.getRow(4).values).toEqual(expect.arrayContaining(["latest-5", "latest-4", "latest-3", "latest-2", "latest-1", "latest", "2022H1", "2023H1"]));
    const row = rowOf(income, "ops.net_income");
    const latest = income.getCell(row, columnOf(income, "latest"));
    expect(latest.formula).toBe(`IFERROR(_xldudf_QFIN_METRIC($B${row},H$4),_xldudf_QFIN_MARKER($B${row},H$4))`);
    expect(latest.result).toBe(1093.377);
    expect(income.getCell(5, columnOf(income, "latest")).result).toBe("Q2 2023");
    for (const name of ["Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Capital & outlook", "Analysis"]) {
      expect([name, sheet(name).getColumn(2).hidden, sheet(name).getColumn(2).outlineLevel]).toEqual([name, true, 1]);
    }
    // One timeline: the other flow sheets follow the income statement's period row.
    expect(sheet("KPIs").getCell("C4").formula).toBe("'Income statement'!C$4");
    expect(sheet("KPIs").getCell("C4").result).toBe("latest-5");
  });

  it("marks a period the data does not report, and the quarters missing from the sequence", () => {
    const income = sheet("Income statement");
    expect(shown(income.getCell(rowOf(income, "ops.net_income_per_ads_diluted"), columnOf(income, "latest-1")))).toBe("n/a");
    for (const header of ["latest-3", "latest-2"]) {
      const col = columnOf(income, header);
      expect([income.getCell(5, col).result, income.getCell(3, col).result]).toEqual([header === "latest-3" ? "Q3 2022" : "Q4 2022", "not in the data"]);
    }
    expect(income.getCell(3, columnOf(income, "latest")).result ?? "").toBe(""); // exceljs reads a cached "" as nothing
  });

  it("still shows a real error: an id typed wrong in column B is #N/A with QFIN's message", () => {
    const model = template.model.sheets.find((candidate) => candidate.name === "Income statement");
    const income = sheet("Income statement");
    const row = rowOf(income, "ops.net_income");
    const sources = (model?.cells ?? []).map((cell) => ({
      sheet: "Income statement",
      address: cell.address,
      value: cell.address === `B${row}` ? "ops.net_incme" : (cell.value ?? null),
      ...(cell.formula !== undefined ? { formula: cell.formula } : {}),
    }));
    const result = evaluateWorkbook(sources, { index }).cells.get(`Income statement!H${row}`);
    expect(result?.kind === "value" && isCellError(result.value) ? [result.value.type, result.value.message] : result).toEqual(["#N/A", expect.stringMatching(/Unknown line item "ops.net_incme"/)]);
  });
});

describe("the KPIs sheet carries every KPI of the release", () => {
  it("has a row for each KPI with a figure in some column, balances at the quarter end", () => {
    const kpis = sheet("KPIs");
    const items = (index.itemsByStatement.get("kpi") ?? []).filter((item) => !index.isHeading(item));
    expect(items.length).toBeGreaterThanOrEqual(22);
    for (const item of items) {
      const row = rowOf(kpis, item.id);
      const figures = [3, 4, 5, 6, 7, 8].map((col) => shown(kpis.getCell(row, col))).filter((value) => typeof value === "number");
      expect([item.id, figures.length > 0]).toEqual([item.id, true]);
    }
    const latest = columnOf(kpis, "latest-5") + 5;
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.delinquency_rate_90_day"), latest))).toBe(0.0184);
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.total_outstanding_loan_balance"), latest))).toBe(184459);
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.cumulative_registered_users"), latest))).toBe(220600000);
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.cumulative_users_with_approved_credit_lines"), latest))).toBe(47400000);
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.cumulative_borrowers_with_successful_drawdown"), latest))).toBe(28500000);
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.financial_institutional_partners"), latest))).toBe(153);
    // The YoY column: the release's stated growth, a rate's change in bps, tenor's in months.
    const yoy = latest + 1;
    expect(kpis.getCell(5, yoy).value).toBe("YoY");
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.cumulative_users_with_approved_credit_lines"), yoy))).toBe(0.149);
    expect(shown(kpis.getCell(rowOf(kpis, "kpi.weighted_average_contractual_tenor"), yoy))).toBeCloseTo(-1.06, 12);
  });

  it("carries the dividend, the repurchase and the outlook at their own periods, on a sheet of their own", () => {
    const capital = sheet("Capital & outlook");
    const row = rowOf(capital, "cap.dividend_per_ads");
    expect([capital.getCell(row, 1).value, capital.getCell(row, 3).value, shown(capital.getCell(row, 4))]).toEqual(["Dividend per ADS (US$)", "2023H1", 0.5]);
    expect([capital.getCell(rowOf(capital, "cap.share_repurchase_program"), 3).value, shown(capital.getCell(rowOf(capital, "cap.share_repurchase_program"), 4))]).toEqual(["2023-06-20", 150]);
    expect(shown(capital.getCell(rowOf(capital, "cap.loan_volume_outlook_low"), 4))).toBe(470000);
  });

  it("makes the definitions reachable: a note on the label, and the Definitions sheet", () => {
    const kpis = sheet("KPIs");
    const note = kpis.getCell(rowOf(kpis, "kpi.delinquency_rate_90_day"), 1).note;
    expect(typeof note === "string" ? note : JSON.stringify(note)).toMatch(/91 to 180 calendar days past due/);
    const definitions = sheet("Definitions");
    const row = rowOf(definitions, "kpi.delinquency_rate_90_day");
    expect(definitions.getCell(row, 3).formula).toBe(`_xldudf_QFIN_DEFINITION($B${row})`);
    expect(definitions.getCell(row, 3).result).toMatch(/^"90 day\+ delinquency rate" refers to/);
  });
});

describe("the conventions of the trade", () => {
  const formatOf = (name: string, id: string, header = "latest"): string => sheet(name).getCell(rowOf(sheet(name), id), columnOf(sheet(name), header)).numFmt;

  it("puts negatives in parentheses and prints each line to the decimals the release does", () => {
    expect(formatOf("Income statement", "ops.income_taxes_expense")).toBe('#,##0.0_);(#,##0.0);"–"_);@_)');
    expect(formatOf("KPIs", "kpi.weighted_average_contractual_tenor")).toBe("0.00_);(0.00);0.00_);@_)"); // 12.06
    expect(formatOf("KPIs", "kpi.delinquency_rate_90_day")).toBe("0.00%_);(0.00%);0.00%_);@_)"); // 1.84%
    expect(formatOf("KPIs", "kpi.day_1_delinquency_rate")).toBe("0.0%_);(0.0%);0.0%_);@_)"); // 4.2%
    expect(formatOf("KPIs", "kpi.cumulative_registered_users")).toBe('#,##0.0,,_);(#,##0.0,,);"–"_);@_)'); // 220.6 (million)
    expect(formatOf("KPIs", "kpi.total_loan_volume")).toBe('#,##0_);(#,##0);"–"_);@_)'); // RMB124,225 million
    expect(formatOf("Income statement", "ops.net_income_per_ads_diluted")).toBe('0.00_);(0.00);"–"_);@_)');
  });

  it("shows margins and growth in %, changes of margins in bps, and n.m. where a growth means nothing", () => {
    const income = sheet("Income statement");
    const labels = income.getColumn(1).values as unknown[];
    const latest = columnOf(income, "latest");
    const bps = labels.indexOf("Net margin, change YoY (bps)");
    expect([income.getCell(bps, latest).numFmt, shown(income.getCell(bps, latest))]).toEqual(['#,##0" bps"_);(#,##0" bps");"0 bps"_);@_)', expect.closeTo(460, 9)]);
    const margin = labels.indexOf("Net margin");
    expect([income.getCell(margin, latest).numFmt, shown(income.getCell(margin, latest))]).toEqual(["0.0%_);(0.0%);0.0%_);@_)", 0.279]);
    // The growth rows' formula on a line that changes sign (FX: +6.1 in Q1 2023, −2.3 in Q2) reads n.m.
    const model = template.model.sheets.find((candidate) => candidate.name === "Income statement");
    const qoq = (model?.cells ?? []).filter((cell) => cell.formula?.includes('"QoQ"')).map((cell) => Number(/\d+$/.exec(cell.address)?.[0]));
    const row = Math.max(...qoq);
    expect(income.getCell(row, latest).numFmt).toBe("0.0%_);(0.0%);0.0%_);@_)");
    const sources = (model?.cells ?? []).map((cell) => ({
      sheet: "Income statement",
      address: cell.address,
      value: cell.address === `B${row}` ? "ops.foreign_exchange_gain_loss" : (cell.value ?? null),
      ...(cell.formula !== undefined ? { formula: cell.formula } : {}),
    }));
    expect(evaluateWorkbook(sources, { index }).cells.get(`Income statement!H${row}`)).toEqual({ kind: "value", value: "n.m." });
  });

  it("heads earnings with EPS per diluted ADS, per share below it, and qualifies every repeated label", () => {
    const income = sheet("Income statement");
    const adsRow = rowOf(income, "ops.net_income_per_ads_diluted");
    expect(income.getCell(adsRow, 1).value).toBe("Diluted EPS (ADS)");
    expect(income.getCell(adsRow, 1).font.bold).toBe(true);
    expect(adsRow).toBeLessThan(rowOf(income, "ops.net_income_per_ads_basic"));
    expect(rowOf(income, "ops.net_income_per_ads_basic")).toBeLessThan(rowOf(income, "ops.net_income_per_share_diluted"));
    for (const name of ["Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs"]) {
      const worksheet = sheet(name);
      const idsByLabel = new Map<string, Set<string>>();
      worksheet.eachRow((row) => {
        const label = row.getCell(1).value;
        const id = row.getCell(2).value;
        if (typeof label === "string" && typeof id === "string") idsByLabel.set(label, new Set([...(idsByLabel.get(label) ?? []), id]));
      });
      // A label names one line: "Diluted" under three headings reads "Diluted EPS (ADS)", "Diluted EPS (per share)", …
      expect([name, [...idsByLabel].filter(([, ids]) => ids.size > 1).map(([label]) => label)]).toEqual([name, []]);
    }
  });

  it("prints landscape, one page wide, with the period headers on every page", () => {
    for (const worksheet of workbook.worksheets) {
      expect([worksheet.name, worksheet.pageSetup.orientation, worksheet.pageSetup.fitToPage, worksheet.pageSetup.fitToWidth]).toEqual([worksheet.name, "landscape", true, 1]);
    }
    expect(sheet("Income statement").pageSetup.fitToHeight).toBe(0);
    expect(part("xl/workbook.xml")).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="1">&apos;Income statement&apos;!$3:$5</definedName>`);
    expect(part("xl/workbook.xml")).toMatch(/<definedName name="_xlnm.Print_Area" localSheetId="9">&apos;Checks&apos;!\$A\$1:\$J\$\d+<\/definedName>/);
  });

  it("opens on a cover: company, source release, data version, units, how to refresh", () => {
    const cover = sheet("Cover");
    const text = new Map<string, unknown>();
    cover.eachRow((row) => {
      const label = row.getCell(1).value;
      if (typeof label === "string") text.set(label, shown(row.getCell(2)));
    });
    expect(text.get("Company")).toBe("Qifu Technology, Inc. (NASDAQ: QFIN; HKEx: 3660)");
    expect(text.get("Source release")).toMatch(/^Qifu Technology Announces Second Quarter and Interim 2023 Unaudited Financial Results.*2023-08-21/);
    expect(text.get("Data loaded now")).toMatch(/^QFIN data: release 2023Q2/);
    expect(text.get("Units")).toMatch(/RMB millions/);
    expect(text.get("Columns")).toMatch(/Q3 2022 and Q4 2022 are not in the data/);
    expect(text.get("How to refresh")).toMatch(/Apply loads it[\s\S]*qfin recalc/);
    expect([...text.keys()]).toEqual(expect.arrayContaining(SHEETS));
  });
});

describe("analysis as Excel formulas over the QFIN cells", () => {
  it("computes what the release does not print from the other sheets' cells", () => {
    const analysis = sheet("Analysis");
    const income = sheet("Income statement");
    const kpis = sheet("KPIs");
    const labels = analysis.getColumn(1).values as unknown[];
    const at = (label: string): ExcelJS.Cell => analysis.getCell(labels.indexOf(label), 8);
    const revenue = income.getCell(rowOf(income, "ops.total_net_revenue"), 8).result as number;
    const take = at("Revenue take rate on loan volume");
    expect(take.formula).not.toMatch(/QFIN/);
    expect(take.result).toBeCloseTo(revenue / (kpis.getCell(rowOf(kpis, "kpi.total_loan_volume"), 8).result as number), 12);
    expect(at("Effective tax rate").result).toBeCloseTo(272.934 / 1366.31, 5);
    // The release states this share (57.8%); 71,860 ÷ 124,225 would be 57.85%, shown as 57.9%.
    expect(at("Capital-light share of loan volume").result).toBe(0.578);
    expect(at("Non-GAAP EPS per diluted ADS, computed").result).toBeCloseTo(6.955, 3);
    expect(at("Sales & marketing").result).toBeCloseTo(436.486 / 3914.324, 12);
    // Q3–Q4 2022 are not in the data, so no LTM sum can be made yet.
    expect(at("Total net revenue").result).toBe("n/a");
  });
});
