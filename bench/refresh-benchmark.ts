/**
 * Refresh: what `qfin recalc` (and the pane's Refresh, which runs the same engine) costs when a new release arrives.
 * A workbook saved with the shipped dataset (Q2 2023) is recalculated after the active dataset is swapped for the
 * shipped one merged with the next quarter's release (test/support's `nextQuarterRelease`: the Q2 text relabelled to
 * Q3, so it ties out). Its `latest` columns move to Q3 2023, so the recalculation finds real changes to write.
 *
 * Two workbooks:
 * - the model template (`writeTemplate`, src/workbook): the analyst model as `qfin template` writes it;
 * - a 5,000-formula model built here with exceljs: sheets of item rows × QFIN columns (METRIC for latest, latest-1
 *   and latest-4 in RMB and US$, MARGIN, GROWTH YoY and QoQ; each sheet asks in another scale), a SUM row under every
 *   METRIC column and a summary sheet of sums over the sheets. Its cached values are written by one recalculation
 *   under the shipped dataset, as a saved workbook would hold them.
 *
 * Timed: `recalculateXlsx(bytes)` alone (unzip, parse, evaluate, splice the changed cells, zip). The swap
 * (`buildIndex` of the merged dataset, what the add-in's session swaps in) runs untimed before each sample, so every sample starts with
 * a fresh index and cold per-index memos — as the first recalculation after a real refresh does; the swap is timed
 * on its own. Baseline: the same recalculation of the same file with no dataset change (the previous index and its
 * warm memos, no cell to rewrite): what a refresh costs when nothing arrived. The package's read + write alone
 * (every XML part inflated and decoded, the sheets deflated again, as recalc does) is recorded too, as the I/O floor
 * of any recalculation.
 */
import ExcelJS from "exceljs";
import { buildIndex, type DatasetIndex } from "../src/core/dataset-index";
import type { Dataset, ItemInfo } from "../src/core/model";
import { typeableName } from "../src/core/resolve-item";
import { invoke } from "../src/functions/invoke";
import { mergeRelease } from "../src/ingest";
import { recalculateXlsx, type RecalcReport } from "../src/workbook/recalc-xlsx";
import { writeTemplate } from "../src/workbook/write-template";
import { PartReader, readZipPackage, writeZipPackage } from "../src/workbook/zip-package";
import { ingestText, nextQuarterRelease, releaseText } from "../test/support/release";
import { readShippedDataset } from "./dataset";
import { time, timeAsync, type Timing } from "./measure";

export const LARGE_MODEL_FORMULAS = 5_000;

export interface RecalcCase {
  /** QFIN formula cells in the file and formula cells recalculated (QFIN ones and their dependents). */
  qfinFormulas: number;
  recalculated: number;
  fileBytes: number;
  /** Cells whose cached value the swap changed. */
  changedBySwap: number;
  /** Recalculated cells holding an error (a period the data does not report) before and after the swap. */
  errorsBeforeSwap: number;
  errorsAfterSwap: number;
  afterSwap: Timing;
  /** Baseline: the same recalculation with no dataset change. */
  unchanged: Timing;
  /** The package read (XML parts inflated) and written (sheets deflated again), nothing parsed or evaluated. */
  packageOnly: Timing;
  ratio: number;
}

export interface RefreshResult {
  /** `buildIndex(merged)`: index the merged dataset, as the add-in's session does when it swaps it in. */
  swap: Timing;
  mergedPeriodsAdded: string[];
  template: RecalcCase;
  largeModel: RecalcCase & { sheets: number; dependentFormulas: number };
}

/** One column of the large model: which QFIN function and the header arguments its formulas read. */
interface ModelColumn {
  fn: "METRIC" | "MARGIN" | "GROWTH";
  period: string;
  /** METRIC: currency; GROWTH: basis; MARGIN: none. */
  third: string | null;
}

const COLUMNS: readonly ModelColumn[] = [
  { fn: "METRIC", period: "latest", third: "RMB" },
  { fn: "METRIC", period: "latest-1", third: "RMB" },
  { fn: "METRIC", period: "latest-4", third: "RMB" },
  { fn: "METRIC", period: "latest", third: "USD" },
  { fn: "MARGIN", period: "latest", third: null },
  { fn: "GROWTH", period: "latest", third: "YoY" },
  { fn: "GROWTH", period: "latest", third: "QoQ" },
];
const SCALES = ["M", "K", "B", "U"] as const;
const HEADER_ROWS = 4;
const FIRST_COLUMN = 3; // C: A holds the item as typed, B its label

const letter = (col: number): string => {
  let name = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
};

const args = (item: string, column: ModelColumn, scale: string): unknown[] =>
  column.fn === "METRIC" ? [item, column.period, column.third, scale] : column.third === null ? [item, column.period] : [item, column.period, column.third];

/** Items whose every column answers with a number under both datasets: a model an analyst would keep. */
function answerableItems(shipped: DatasetIndex, merged: Dataset): ItemInfo[] {
  const answers = (index: DatasetIndex, item: ItemInfo): boolean =>
    COLUMNS.every((column) => typeof invoke(index, column.fn, args(typeableName(index, item), column, "M") as never) === "number");
  const underShipped = [...shipped.itemsById.values()].filter((item) => answers(shipped, item));
  const mergedIndex = buildIndex(merged);
  return underShipped.filter((item) => mergedIndex.itemsById.has(item.id) && answers(mergedIndex, mergedIndex.itemsById.get(item.id) as ItemInfo));
}

/** The 5,000-formula workbook, formulas only (no cached values yet). */
async function largeModelWorkbook(index: DatasetIndex, items: readonly ItemInfo[]): Promise<{ bytes: Buffer; sheets: number; dependents: number }> {
  const workbook = new ExcelJS.Workbook();
  const perSheet = items.length * COLUMNS.length;
  const sheets = Math.ceil(LARGE_MODEL_FORMULAS / perSheet);
  let remaining = LARGE_MODEL_FORMULAS;
  let dependents = 0;
  const sums: string[] = [];
  for (let s = 0; s < sheets; s++) {
    const name = `Model ${s + 1}`;
    const scale = SCALES[s % SCALES.length] as string;
    const sheet = workbook.addWorksheet(name);
    sheet.getCell("A1").value = `QFIN figures (amounts in ${scale})`;
    sheet.getCell("A2").value = "Period";
    sheet.getCell("A3").value = "Currency / basis";
    sheet.getCell("A4").value = "Scale";
    COLUMNS.forEach((column, c) => {
      const col = letter(FIRST_COLUMN + c);
      sheet.getCell(`${col}1`).value = column.fn;
      sheet.getCell(`${col}2`).value = column.period;
      if (column.third !== null) sheet.getCell(`${col}3`).value = column.third;
      if (column.fn === "METRIC") sheet.getCell(`${col}4`).value = scale;
    });
    const rows = Math.min(items.length, Math.ceil(remaining / COLUMNS.length));
    for (let r = 0; r < rows; r++) {
      const row = HEADER_ROWS + 1 + r;
      const item = items[r] as ItemInfo;
      sheet.getCell(`A${row}`).value = typeableName(index, item);
      sheet.getCell(`B${row}`).value = item.label;
      COLUMNS.forEach((column, c) => {
        if (remaining === 0) return;
        const col = letter(FIRST_COLUMN + c);
        const formula =
          column.fn === "METRIC"
            ? `QFIN.METRIC($A${row},${col}$2,${col}$3,${col}$4)`
            : column.fn === "MARGIN"
              ? `QFIN.MARGIN($A${row},${col}$2)`
              : `QFIN.GROWTH($A${row},${col}$2,${col}$3)`;
        sheet.getCell(`${col}${row}`).value = { formula } as ExcelJS.CellFormulaValue;
        remaining--;
      });
    }
    // Dependent formulas: a total under every METRIC column, and the sheet's grand total on the summary sheet.
    const totalRow = HEADER_ROWS + rows + 2;
    sheet.getCell(`A${totalRow}`).value = "Total";
    COLUMNS.forEach((column, c) => {
      if (column.fn !== "METRIC") return;
      const col = letter(FIRST_COLUMN + c);
      sheet.getCell(`${col}${totalRow}`).value = { formula: `SUM(${col}${HEADER_ROWS + 1}:${col}${HEADER_ROWS + rows})` } as ExcelJS.CellFormulaValue;
      dependents++;
    });
    sums.push(`SUM('${name}'!${letter(FIRST_COLUMN)}${totalRow}:${letter(FIRST_COLUMN + COLUMNS.length - 1)}${totalRow})`);
  }
  const summary = workbook.addWorksheet("Summary");
  sums.forEach((formula, s) => {
    summary.getCell(`A${s + 1}`).value = `Model ${s + 1}`;
    summary.getCell(`B${s + 1}`).value = { formula } as ExcelJS.CellFormulaValue;
    dependents++;
  });
  summary.getCell(`B${sums.length + 1}`).value = { formula: `SUM(B1:B${sums.length})` } as ExcelJS.CellFormulaValue;
  dependents++;
  if (remaining !== 0) throw new Error(`large model: ${remaining} formulas left unplaced`);
  return { bytes: Buffer.from(await workbook.xlsx.writeBuffer()), sheets, dependents };
}

/** The package's read + write as recalculateXlsx does them, nothing parsed or evaluated. */
async function packageRoundTrip(bytes: Uint8Array): Promise<Buffer> {
  const zip = readZipPackage(bytes);
  const reader = new PartReader(zip);
  const sheets = new Map<string, Uint8Array>();
  for (const entry of zip.entries) {
    if (!entry.name.endsWith(".xml")) continue;
    const text = reader.text(entry.name);
    if (entry.name.startsWith("xl/worksheets/")) sheets.set(entry.name, Buffer.from(text, "utf8"));
  }
  return writeZipPackage(zip, sheets);
}

async function recalcCase(
  bytes: Buffer,
  shipped: Dataset,
  merged: Dataset,
  samples: number,
  expect: { errorsAfterSwap: "none" | "any" },
): Promise<RecalcCase> {
  const shippedIndex = buildIndex(shipped);
  const before = await recalculateXlsx(bytes, shippedIndex);
  if (before.report.changes.length !== 0) throw new Error(`refresh: the saved file is stale before the swap (${before.report.changes.length} changes)`);
  const after: RecalcReport = (await recalculateXlsx(bytes, buildIndex(merged))).report;
  if (after.changes.length === 0) throw new Error("refresh: the swap changed no cell; the benchmark would time a no-op");
  if (expect.errorsAfterSwap === "none" && after.errors.length > 0) throw new Error(`refresh: ${after.errors.length} errors after the swap, e.g. ${after.errors[0]?.cell}: ${after.errors[0]?.message}`);

  let swapped = buildIndex(merged);
  const afterSwap = await timeAsync(() => recalculateXlsx(bytes, swapped), { warmups: 1, samples, before: () => (swapped = buildIndex(merged)) });
  const unchanged = await timeAsync(() => recalculateXlsx(bytes, shippedIndex), { warmups: 1, samples });
  const packageOnly = await timeAsync(() => packageRoundTrip(bytes), { warmups: 1, samples });
  return {
    qfinFormulas: after.qfinFormulas,
    recalculated: after.recalculated,
    fileBytes: bytes.length,
    changedBySwap: after.changes.length,
    errorsBeforeSwap: before.report.errors.length,
    errorsAfterSwap: after.errors.length,
    afterSwap,
    unchanged,
    packageOnly,
    ratio: afterSwap.medianMs / unchanged.medianMs,
  };
}

export async function runRefreshBenchmark(options: { samples: number }): Promise<RefreshResult> {
  const shipped = readShippedDataset();
  const { dataset: merged, report: mergeReport } = mergeRelease(shipped, ingestText(nextQuarterRelease(releaseText())));
  const swap = time(() => buildIndex(merged), { warmups: 1, samples: options.samples });
  const shippedIndex = buildIndex(shipped);
  {
    const template = await recalcCase((await writeTemplate(shippedIndex)).bytes, shipped, merged, options.samples, { errorsAfterSwap: "any" });

    const items = answerableItems(shippedIndex, merged);
    if (items.length < 10) throw new Error(`refresh: only ${items.length} items answer every column of the large model`);
    const model = await largeModelWorkbook(shippedIndex, items);
    // The cached values a saved workbook holds: one recalculation under the shipped dataset writes them.
    const saved = await recalculateXlsx(model.bytes, shippedIndex);
    if (saved.report.qfinFormulas !== LARGE_MODEL_FORMULAS) throw new Error(`refresh: the large model has ${saved.report.qfinFormulas} QFIN formulas`);
    if (saved.report.errors.length > 0) throw new Error(`refresh: the large model has errors under the shipped dataset, e.g. ${saved.report.errors[0]?.cell}`);
    const large = await recalcCase(saved.output, shipped, merged, options.samples, { errorsAfterSwap: "none" });
    return { swap, mergedPeriodsAdded: mergeReport.periodsAdded, template, largeModel: { ...large, sheets: model.sheets, dependentFormulas: model.dependents } };
  }
}
