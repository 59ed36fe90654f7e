/**
 * Retrofit: what `qfin retrofit` costs on a 10,000-number analyst model (issue 14's goal: at most 2 s here). The
 * workbook is built here with exceljs: four sheets of 125 lines × 20 period columns, each sheet in its own units (RMB
 * millions, RMB billions, US$ millions, RMB thousands), lines cycling through release lines named by the analyst's
 * words, lines named by nothing the release knows, assumption lines and lines typed with the other sign; columns in
 * the forms models use (1Q22, Q2'22, 2Q23A, 1H23, dates…), some for periods the data lacks and some estimates. Figures
 * of the release are typed at one decimal in the sheet's unit; everything else is a plausible number that is none.
 *
 * Timed: `retrofitXlsx(bytes, index)` (open the package, read every cell, match, check each formula with the engine,
 * write the copy), each sample with a fresh index so no memo of an earlier run helps. Baseline, the same run:
 * reading the same workbook — opening the package and reading every sheet's cells (`readSheetCells`), the floor any
 * command that looks at every cell pays.
 */
import ExcelJS from "exceljs";
import { buildIndex, type DatasetIndex } from "../src/core/dataset-index";
import type { Dataset } from "../src/core/model";
import { invoke } from "../src/functions/invoke";
import { readWorkbook } from "../src/workbook/recalc-xlsx";
import { PartReader, readZipPackage } from "../src/workbook/zip-package";
import { retrofitXlsx } from "../src/workbook/retrofit-xlsx";
import { readSharedStrings, readSheetCells } from "../src/workbook/sheet-xml";
import { timeAsync, type Timing } from "./measure";

export const RETROFIT_NUMBERS = 10_000;
const SHEETS = 4;
const LINES = 125;
const COLUMNS = 20;
export const RETROFIT_GOAL_MS = 2000;

export interface RetrofitResult {
  /** Cells of the workbook (numbers, labels, headings) and its typed numbers. */
  cells: number;
  numbers: number;
  fileBytes: number;
  linked: number;
  notLinked: number;
  candidates: number;
  retrofit: Timing;
  /** Baseline: open the package and read every cell. */
  read: Timing;
  ratio: number;
}

/** The analyst's words for release lines, with the sign they type them in. */
const LINES_NAMED: readonly { label: string; item: string; sign: 1 | -1 }[] = [
  { label: "Revenue", item: "Total net revenue", sign: 1 },
  { label: "Credit-driven revenue", item: "Credit driven services", sign: 1 },
  { label: "Platform revenue", item: "Platform services", sign: 1 },
  { label: "Funding costs", item: "Funding costs", sign: 1 },
  { label: "S&M", item: "Sales and marketing", sign: 1 },
  { label: "G&A", item: "General and administrative", sign: 1 },
  { label: "Opex", item: "Total operating costs and expenses", sign: 1 },
  { label: "EBIT", item: "Income from operations", sign: 1 },
  { label: "Income tax", item: "Income taxes expense", sign: -1 },
  { label: "Net profit", item: "Net income", sign: 1 },
  { label: "Adjusted net income", item: "Non-GAAP net income", sign: 1 },
  { label: "SBC", item: "Share-based compensation", sign: 1 },
  { label: "CFO", item: "Net cash provided by operating activities", sign: 1 },
  { label: "Cash & equivalents", item: "Cash and cash equivalents", sign: 1 },
  { label: "Total assets", item: "Total assets", sign: 1 },
];
const HEADERS = ["1Q22", "Q2'22", "3Q22", "4Q22", "1Q23", "2Q23A", "3Q23E", "4Q23E", "1H22", "1H23", "FY22", "FY23E", "Q1 2023", "Q2 2023", "Jun-23", "Dec-22", "2H22", "Q3'22", "1Q24E", "Three months ended June 30, 2023"];
const UNITS: readonly { note: string; currency: string; scale: string }[] = [
  { note: "RMB m", currency: "RMB", scale: "M" },
  { note: "RMB bn", currency: "RMB", scale: "B" },
  { note: "US$ m", currency: "USD", scale: "M" },
  { note: "RMB'000", currency: "RMB", scale: "K" },
];

/** A deterministic stream of plausible numbers (no Math.random: each run times the same workbook). */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The 10,000-number workbook, and how many cells it holds. */
export async function retrofitWorkbook(index: DatasetIndex): Promise<{ bytes: Buffer; cells: number; numbers: number }> {
  const workbook = new ExcelJS.Workbook();
  const random = numbers(14);
  let cells = 0;
  let typed = 0;
  for (let s = 0; s < SHEETS; s++) {
    const unit = UNITS[s] as (typeof UNITS)[number];
    const sheet = workbook.addWorksheet(`Model ${s + 1} (${unit.note})`);
    sheet.getCell(1, 1).value = `QFIN model, ${unit.note}`;
    HEADERS.forEach((header, c) => (sheet.getCell(3, c + 2).value = header));
    sheet.getCell(4, 1).value = unit.note;
    cells += 2 + HEADERS.length;
    for (let line = 0; line < LINES; line++) {
      const row = 5 + line;
      const kind = line % 5;
      const named = LINES_NAMED[line % LINES_NAMED.length] as (typeof LINES_NAMED)[number];
      const label = kind === 3 ? `Driver ${line}` : kind === 4 ? `Assumption ${line}` : named.label;
      sheet.getCell(row, 1).value = label;
      cells++;
      for (let c = 0; c < COLUMNS; c++) {
        const header = HEADERS[c] as string;
        let value: number;
        const figure = kind <= 2 ? invoke(index, "METRIC", [named.item, header.replace(/A$/, ""), unit.currency, unit.scale]) : null;
        if (typeof figure === "number") value = Math.round(figure * named.sign * 10) / 10;
        else if (kind === 4) value = Math.round(random() * 100) / 1000;
        else value = Math.round(random() * 5_000_000) / 1000;
        const cell = sheet.getCell(row, c + 2);
        cell.value = value;
        cell.numFmt = "#,##0.0;(#,##0.0)";
        cells++;
        typed++;
      }
    }
  }
  return { bytes: Buffer.from(await workbook.xlsx.writeBuffer()), cells, numbers: typed };
}

async function readEveryCell(bytes: Uint8Array): Promise<number> {
  const reader = new PartReader(readZipPackage(bytes));
  const workbook = readWorkbook(reader);
  const shared = workbook.sharedStrings && reader.has(workbook.sharedStrings) ? readSharedStrings(reader.text(workbook.sharedStrings)) : [];
  let count = 0;
  for (const sheet of workbook.sheets) count += readSheetCells(reader.text(sheet.path), shared).length;
  return count;
}

export async function runRetrofitBenchmark(dataset: Dataset, options: { samples: number }): Promise<RetrofitResult> {
  const built = await retrofitWorkbook(buildIndex(dataset));
  let index = buildIndex(dataset);
  const { result } = await retrofitXlsx(built.bytes, index);
  if (result.summary.numbers !== RETROFIT_NUMBERS) throw new Error(`the benchmark workbook has ${result.summary.numbers} numbers, not ${RETROFIT_NUMBERS}`);
  const retrofit = await timeAsync(() => retrofitXlsx(built.bytes, index), { warmups: 1, samples: options.samples, before: () => (index = buildIndex(dataset)) });
  const read = await timeAsync(() => readEveryCell(built.bytes), { warmups: 1, samples: options.samples });
  return {
    cells: built.cells,
    numbers: built.numbers,
    fileBytes: built.bytes.length,
    linked: result.summary.linked,
    notLinked: result.summary.notLinked,
    candidates: result.summary.candidates,
    retrofit,
    read,
    ratio: retrofit.medianMs / read.medianMs,
  };
}
