/**
 * The refresh story end to end (issue 5, "done when"): an analyst model built on the Q2 release, then the next
 * quarter's release ingested into the same dataset (with one restated balance-sheet figure) and the model
 * recalculated headlessly. The `latest` columns move to the new quarter, explicitly dated columns keep their
 * figures, the restated figure shows both values through the point-in-time option, and every other part of the
 * workbook is byte-for-byte as before.
 */
import ExcelJS from "exceljs";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { mergeRelease } from "../../src/ingest";
import { recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { writeTemplate } from "../../src/workbook/write-template";
import { editLine, ingestText, nextQuarterRelease, shippedDataset } from "../support/release";
import { expectOnlyValuesChanged, entries } from "../support/xlsx";

/** The Q3 copy with Dec 31, 2022 short-term investments restated up by RMB1,000 thousand (prepaid expenses down). */
function q3WithRestatement(): string {
  const shift = (line: string, by: number): string => {
    const cells = line.split("\t");
    cells[1] = (Number((cells[1] as string).replace(/,/g, "")) + by).toLocaleString("en-US");
    return cells.join("\t");
  };
  const text = editLine(nextQuarterRelease(), /^Short term investments\t/, (line) => shift(line, 1000));
  return editLine(text, /^Prepaid expenses and other assets\t/, (line) => shift(line, -1000));
}

let model: Buffer;
let sheetPaths: Record<string, string>;

beforeAll(async () => {
  const q2 = buildIndex(shippedDataset());
  const template = await writeTemplate(q2);
  // The analyst adds a sheet of their own: point-in-time figures and arithmetic on them.
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template.bytes as unknown as ArrayBuffer); // exceljs 4.4 types its Buffer parameter narrowly
  const own = workbook.addWorksheet("My notes");
  own.getCell("A1").value = "Short term investments, Dec 31 2022 (RMB K)";
  own.getCell("B1").value = { formula: 'QFIN.METRIC("Short term investments","2022-12-31","RMB","K")', result: 57000 };
  own.getCell("C1").value = { formula: 'QFIN.METRIC("Short term investments","2022-12-31","RMB","K","first")', result: 57000 };
  own.getCell("D1").value = { formula: "B1-C1", result: 0 };
  own.getCell("A2").value = "Latest quarter";
  own.getCell("B2").value = { formula: 'QFIN.SOURCE("Net income","latest")', result: "" };
  model = Buffer.from(await workbook.xlsx.writeBuffer());
  // Recalculate once with the Q2 data so the cached values are the engine's own, then roll forward.
  model = (await recalculateXlsx(model, q2)).output;
  const zip = await entries(model);
  const workbookXml = (zip.get("xl/workbook.xml") as Buffer).toString("utf8");
  const rels = (zip.get("xl/_rels/workbook.xml.rels") as Buffer).toString("utf8");
  sheetPaths = {};
  for (const match of workbookXml.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)) {
    const target = new RegExp(`Id="${match[2]}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? "";
    sheetPaths[(match[1] as string).replace(/&apos;/g, "'").replace(/&amp;/g, "&")] = `xl/${target.replace(/^\/?xl\//, "")}`;
  }
});

test("ingesting the next quarter and recalculating moves the model forward and changes nothing else", async () => {
  const { dataset, report: merged } = mergeRelease(shippedDataset(), ingestText(q3WithRestatement()));
  expect(merged.restated.map((r) => `${r.item} ${r.period}`)).toEqual(["bs.short_term_investments 2022-12-31", "bs.prepaid_expenses_and_other_assets 2022-12-31"]);
  const q3 = buildIndex(loadDataset(JSON.parse(JSON.stringify(dataset))));

  const { output, report } = await recalculateXlsx(model, q3);
  const after = new ExcelJS.Workbook();
  await after.xlsx.load(output as unknown as ArrayBuffer);
  const before = new ExcelJS.Workbook();
  await before.xlsx.load(model as unknown as ArrayBuffer);
  const value = (book: ExcelJS.Workbook, sheet: string, address: string): unknown => {
    const cell = book.getWorksheet(sheet)!.getCell(address).value as { result?: unknown } | unknown;
    return typeof cell === "object" && cell !== null && "result" in (cell as object) ? (cell as { result: unknown }).result : cell;
  };

  // The income statement's header row: the period inputs stay as typed; the labels they resolve to move.
  const is = before.getWorksheet("Income statement")!;
  const headerRow = 4;
  const latestColumn = [...Array(is.columnCount).keys()].map((i) => i + 1).find((col) => is.getCell(headerRow, col).value === "latest")!;
  const previousColumn = [...Array(is.columnCount).keys()].map((i) => i + 1).find((col) => is.getCell(headerRow, col).value === "latest-1")!;
  expect(value(before, "Income statement", is.getCell(headerRow + 1, latestColumn).address)).toBe("Q2 2023");
  expect(value(after, "Income statement", is.getCell(headerRow + 1, latestColumn).address)).toBe("Q3 2023");
  expect(after.getWorksheet("Income statement")!.getCell(headerRow, latestColumn).value).toBe("latest");

  // Net income under latest-1 was Q1 2023 (derived); it is now Q2 2023 as reported.
  const netIncomeRow = [...Array(is.rowCount).keys()].map((i) => i + 1).find((row) => is.getCell(row, 2).value === "ops.net_income")!;
  const netIncomeBefore = value(before, "Income statement", is.getCell(netIncomeRow, previousColumn).address) as number;
  const netIncomeAfter = value(after, "Income statement", is.getCell(netIncomeRow, previousColumn).address) as number;
  expect(netIncomeBefore).toBeCloseTo(929.822, 9);
  expect(netIncomeAfter).toBeCloseTo(1093.377, 9);

  // A half-year column named explicitly keeps its figure.
  const h1Column = [...Array(is.columnCount).keys()].map((i) => i + 1).find((col) => is.getCell(headerRow, col).value === "2023H1")!;
  expect(value(after, "Income statement", is.getCell(netIncomeRow, h1Column).address)).toBe(value(before, "Income statement", is.getCell(netIncomeRow, h1Column).address));

  // The flow sheets follow the income statement's columns, and the Analysis sheet's Excel formulas move with them.
  expect(value(after, "KPIs", is.getCell(headerRow + 1, latestColumn).address)).toBe("Q3 2023");
  const analysis = after.getWorksheet("Analysis")!;
  const takeRow = [...Array(analysis.rowCount).keys()].map((i) => i + 1).find((row) => analysis.getCell(row, 1).value === "Revenue take rate on loan volume")!;
  expect(value(before, "Analysis", analysis.getCell(takeRow, previousColumn).address)).toBe("n/a"); // no Q1 2023 loan volume
  expect(value(after, "Analysis", analysis.getCell(takeRow, previousColumn).address)).toBeCloseTo(3914.324 / 124225, 12); // Q2 2023 now
  expect(report.errors).toEqual([]);

  // The restated figure: the latest value and the first report, side by side.
  expect(value(after, "My notes", "B1")).toBe(58000);
  expect(value(after, "My notes", "C1")).toBe(57000);
  expect(value(after, "My notes", "D1")).toBe(1000);
  expect(value(after, "My notes", "B2")).toMatch(/^2023Q3 release/);

  // Only recalculated values changed: every other entry of the package and every other cell is byte-identical.
  expect(report.changes.length).toBeGreaterThan(20);
  expect(Object.keys(sheetPaths)).toEqual(["Cover", "Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Capital & outlook", "Analysis", "Definitions", "Checks", "My notes"]);
  expect(Object.values(sheetPaths).every((path) => /^xl\/worksheets\/sheet\d+\.xml$/.test(path))).toBe(true);
  await expectOnlyValuesChanged(model, output, report.changes.map((change) => change.cell), sheetPaths);
});
