/**
 * The analyst model opened in LibreOffice Calc, a spreadsheet nobody here wrote and which has no QFIN add-in: a fresh
 * model, the same model after `qfin recalc`, and after the roll-forward to the next quarter's release. In each, every
 * cell LibreOffice shows must be the value cached in the file as its number format prints it, and no cell may show an
 * error — which is what a PM opening the emailed file sees, since nothing recalculates on open.
 *
 * Needs `soffice` (Debian's libreoffice-calc; .ci/run installs it when missing). Slow by nature (a LibreOffice start
 * per workbook), hence the long timeouts; each test file has its own LibreOffice profile (see test/support/libreoffice.ts).
 */
import ExcelJS from "exceljs";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { buildIndex } from "../../src/core/dataset-index";
import { loadDataset } from "../../src/core/load-dataset";
import { formatA1 } from "../../src/excel/a1";
import { mergeRelease } from "../../src/ingest";
import { recalculateXlsx } from "../../src/workbook/recalc-xlsx";
import { writeTemplate } from "../../src/workbook/write-template";
import { libreOfficeVersion, showInLibreOffice } from "../support/libreoffice";
import { formatAs } from "../support/number-format";
import { ingestText, nextQuarterRelease, shippedDataset, shippedIndex } from "../support/release";
import { entries } from "../support/xlsx";

/** The workbook part, where a forced recalculation on open would be asked for. */
const workbookXml = async (bytes: Uint8Array): Promise<string> => ((await entries(bytes)).get("xl/workbook.xml") as Buffer).toString("utf8");

const LIBREOFFICE_TIMEOUT = 240_000;

/** What a spreadsheet shows for an error: Excel's codes, and LibreOffice's own (Err:502, #NAME?). */
const ERROR_TEXT = /^(#NAME\?|#N\/A|#VALUE!|#REF!|#DIV\/0!|#NUM!|#NULL!|#SPILL!|#CALC!|#ERR\S*|Err:\d+)/;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "qfin-libreoffice-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every non-empty cell of the package as its cached value and number format print it, by sheet and address. */
async function cachedDisplay(bytes: Uint8Array): Promise<Map<string, Map<string, string>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets = new Map<string, Map<string, string>>();
  for (const worksheet of workbook.worksheets) {
    const cells = new Map<string, string>();
    worksheet.eachRow((row) =>
      row.eachCell((cell) => {
        const value = cell.formula ? cell.result : cell.value;
        // A cached error shows as its code (the test then fails on it, as it should).
        const text = typeof value === "object" && value !== null && "error" in value ? String(value.error) : formatAs(value as string | number | boolean | null | undefined, cell.numFmt);
        if (text !== "") cells.set(cell.address, text);
      }),
    );
    sheets.set(worksheet.name, cells);
  }
  return sheets;
}

interface Comparison {
  /** What LibreOffice shows, by sheet, row by row. */
  shown: Map<string, string[][]>;
  shownCells: number;
  errors: string[];
  differences: { cell: string; libreOffice: string; cached: string }[];
}

/** Opens the workbook in LibreOffice and holds every sheet it shows against the package's cached values. */
async function compareInLibreOffice(bytes: Uint8Array, name: string): Promise<Comparison> {
  const expected = await cachedDisplay(bytes);
  const shown = await showInLibreOffice(bytes, [...expected.keys()], work, name);
  const result: Comparison = { shown, shownCells: 0, errors: [], differences: [] };
  for (const [sheet, cells] of expected) {
    const grid = shown.get(sheet) ?? [];
    const addresses = new Set(cells.keys());
    grid.forEach((line, row) => line.forEach((text, col) => text !== "" && addresses.add(formatA1({ row: row + 1, col: col + 1 }))));
    for (const address of addresses) {
      const position = /^([A-Z]+)(\d+)$/.exec(address) as RegExpExecArray;
      const col = [...(position[1] as string)].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0);
      const text = grid[Number(position[2]) - 1]?.[col - 1] ?? "";
      if (text !== "") result.shownCells++;
      if (ERROR_TEXT.test(text)) result.errors.push(`${sheet}!${address}: ${text}`);
      const cached = cells.get(address) ?? "";
      if (text !== cached) result.differences.push({ cell: `${sheet}!${address}`, libreOffice: text, cached });
    }
  }
  return result;
}

/** What LibreOffice shows in the row of an item (by its id in column B) under a period label (row 5), for spot checks. */
function shownAt(comparison: Comparison, sheet: string, id: string, period: string): string {
  const grid = comparison.shown.get(sheet) ?? [];
  const col = (grid[4] ?? []).indexOf(period);
  const row = grid.find((line) => line[1] === id);
  return row?.[col] ?? `(no ${id} × ${period} on ${sheet})`;
}

describe("the analyst model in LibreOffice Calc, without the add-in", () => {
  let fresh: Buffer;
  beforeAll(async () => {
    await expect(libreOfficeVersion()).resolves.toMatch(/LibreOffice/);
    fresh = (await writeTemplate(shippedIndex())).bytes;
  }, LIBREOFFICE_TIMEOUT);

  it(
    "shows every cell of a fresh model as cached and formatted, and no error",
    async () => {
      const result = await compareInLibreOffice(fresh, "fresh");
      expect(result.errors).toEqual([]);
      expect(result.differences.slice(0, 20)).toEqual([]);
      expect(result.shownCells).toBeGreaterThan(2000);
      // The conventions as a reader sees them: parentheses, decimals as printed, markers.
      expect(shownAt(result, "Income statement", "ops.income_taxes_expense", "Q2 2023")).toBe("(272.9)");
      expect(shownAt(result, "Income statement", "ops.net_income_per_ads_diluted", "Q1 2023")).toBe("n/a ");
      expect(shownAt(result, "KPIs", "kpi.weighted_average_contractual_tenor", "Q2 2022")).toBe("12.06 ");
      expect(shownAt(result, "KPIs", "kpi.delinquency_rate_90_day", "Q2 2023")).toBe("1.84% ");
      expect(shownAt(result, "KPIs", "kpi.cumulative_registered_users", "Q2 2023")).toBe("220.6 ");
    },
    LIBREOFFICE_TIMEOUT,
  );

  it(
    "shows the same after qfin recalc",
    async () => {
      const { output, report } = await recalculateXlsx(fresh, shippedIndex());
      expect(report.changes).toEqual([]);
      // Recalc leaves the calculation properties as the template wrote them: no full recalculation on open.
      expect(await workbookXml(output)).toBe(await workbookXml(fresh));
      expect(await workbookXml(output)).toMatch(/<calcPr calcId="191029"\/>/);
      const result = await compareInLibreOffice(output, "recalculated");
      expect(result.errors).toEqual([]);
      expect(result.differences.slice(0, 20)).toEqual([]);
    },
    LIBREOFFICE_TIMEOUT,
  );

  it(
    "shows the same after the roll-forward to the next quarter's release",
    async () => {
      const { dataset } = mergeRelease(shippedDataset(), ingestText(nextQuarterRelease()));
      const q3 = buildIndex(loadDataset(JSON.parse(JSON.stringify(dataset))));
      const { output, report } = await recalculateXlsx(fresh, q3);
      expect(report.changes.length).toBeGreaterThan(100);
      expect(report.errors).toEqual([]);
      expect(await workbookXml(output)).toBe(await workbookXml(fresh));
      const result = await compareInLibreOffice(output, "rolled-forward");
      expect(result.errors).toEqual([]);
      expect(result.differences.slice(0, 20)).toEqual([]);
      expect(shownAt(result, "Income statement", "ops.net_income", "Q3 2023")).toBe("1,093.4 ");
    },
    LIBREOFFICE_TIMEOUT,
  );
});
