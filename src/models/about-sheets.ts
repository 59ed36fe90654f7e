/**
 * The sheets about the model rather than of figures: the Cover (company, source release, data version, units,
 * conventions, how to refresh, what each sheet holds) and the Definitions (the release's own definitions of the KPIs
 * and non-GAAP measures).
 */
import type { DatasetIndex } from "../core/dataset-index";
import { describeDefinition } from "../core/describe";
import type { ItemInfo } from "../core/model";
import type { ModelSheet } from "./model-sheet";
import { ITEM_WIDTH, Layout, SheetBuilder, sheetOf, wrappedHeight } from "./layout";
import { modelLabel } from "./statement-sheets";
import type { PeriodColumn } from "./timeline";

export const COVER = "Cover";
export const DEFINITIONS = "Definitions";

const COVER_LABEL_WIDTH = 22;
const COVER_TEXT_WIDTH = 118;
const DEFINITION_LABEL_WIDTH = 44;
const DEFINITION_WIDTH = 110;
const FONT_SIZE = 10;

/** What the cover says about the columns, naming the quarters the data lacks for the data it was written from. */
function columnsText(gaps: readonly PeriodColumn[]): string {
  const lacking =
    gaps.length === 0
      ? ""
      : ` For the data this file was written from, ${gaps.map((gap) => gap.label).join(" and ")} ${gaps.length === 1 ? "is" : "are"} not in the data: the release gives each quarter with the same quarter a year earlier and the half-years, not the quarters between, so ${gaps.length === 1 ? "that column shows" : "those columns show"} n/a.`;
  return (
    "Quarter columns are headed latest-5 … latest in row 4 of the Income statement: latest is the newest quarter in the loaded data, latest-1 the one before. " +
    "The Cash flow, Non-GAAP, KPIs and Analysis sheets follow that row; the Balance sheet has its own row of quarter ends. Type a quarter (2023Q2) into row 4 to pin a column. " +
    "A column marked “not in the data” above its heading has no figure in the loaded data." +
    lacking +
    " Half-year columns are fixed (2022H1, 2023H1). The item id each row reads is in column B, grouped and hidden: expand the + above column C to see it."
  );
}

const REFRESH = [
  "In Excel with the QFIN add-in: the pane (Home › QFIN Data) offers newer data when it is published (or choose Check for updates); Apply loads it, checked, and recalculates every QFIN cell, and the latest columns move to the new quarter.",
  "Headless, on a server: qfin recalc model.xlsx --data dataset.json rewrites the saved values in place (every other byte of the file stays as it was).",
  "Opening the file recalculates nothing: the numbers are those saved at the last refresh (“Data loaded now” above says from which data). Without the add-in (Excel without QFIN, LibreOffice, Numbers) they read the same; do not force a full recalculation there (Ctrl+Alt+F9), which turns QFIN cells into #NAME? until the add-in is loaded.",
].map((step) => `• ${step}`).join("\n");

const UNITS =
  "RMB millions unless a row says otherwise. Per-ADS and per-share figures in RMB (1 ADS = 2 Class A ordinary shares; the headline is per diluted ADS). " +
  "Share counts and loans in units, users in millions. Ratios, margins and growth in %; a change of a rate in basis points (bps). " +
  "US$ only where the release gives US$ only (the dividend and the share repurchase).";

const CONVENTIONS =
  "Negatives in parentheses, – for zero, each line to the decimals the release prints. n/a: the data does not report the figure for that period (select the cell and use QFIN.SOURCE to see what it has). " +
  "n.m.: not meaningful (growth across a sign change or from zero). An error (#N/A, #VALUE!) is a real one, such as a mistyped id or period: hover it for QFIN's message. " +
  "Stated margins and growth rates are the release's own; the model computes only where the release states none.";

/**
 * The Cover sheet.
 *
 * @example
 * coverSheet(index, ["Income statement", …], gaps).cells.find((cell) => cell.address === "B7")?.formula // "=QFIN.VERSION()"
 */
export function coverSheet(index: DatasetIndex, sheets: readonly { name: string; about: string }[], gaps: readonly PeriodColumn[]): ModelSheet {
  const release = index.latestRelease;
  const builder = new SheetBuilder(4);
  builder.text(1, 1, `${release.company} (NASDAQ: QFIN; HKEx: 3660) — analyst model`, "title");
  builder.text(2, 1, "The company's reported figures as live QFIN formulas, with the release's own margins, growth rates and definitions.", "note");
  const rowHeights: { row: number; height: number }[] = [];
  const entry = (label: string, text: string | { formula: string }): void => {
    const row = builder.row++;
    builder.text(row, 1, label, "section");
    if (typeof text === "string") {
      builder.text(row, 2, text, "text");
      rowHeights.push({ row, height: wrappedHeight(text, COVER_TEXT_WIDTH, FONT_SIZE) });
    } else builder.put(row, 2, { formula: text.formula, role: "text" });
  };
  entry("Company", `${release.company} (NASDAQ: QFIN; HKEx: 3660)`);
  entry("Source release", `${release.title}, ${release.date} (${release.file}; SHA-256 ${release.sha256.slice(0, 12)}…)`);
  entry("Data loaded now", { formula: "=QFIN.VERSION()" });
  entry("Written from", `release ${index.dataset.releases.map((known) => known.id).join(", ")}${index.version ? `, data version ${index.version}` : ""}; US$ translation in the release at RMB${release.usdRate} = US$1.00 (${release.usdRateDate})`);
  entry("Units", UNITS);
  entry("Conventions", CONVENTIONS);
  entry("Columns", columnsText(gaps));
  entry("How to refresh", REFRESH);
  builder.row++;
  builder.text(builder.row++, 1, "Sheets", "column-heading");
  for (const sheet of sheets) {
    const row = builder.row++;
    builder.text(row, 1, sheet.name, "label");
    builder.text(row, 2, sheet.about, "text");
    rowHeights.push({ row, height: wrappedHeight(sheet.about, COVER_TEXT_WIDTH, FONT_SIZE) });
  }
  return sheetOf(COVER, builder.done(), {
    columnWidths: [
      { column: 1, width: COVER_LABEL_WIDTH },
      { column: 2, width: COVER_TEXT_WIDTH },
    ],
    rowHeights,
    onePage: true,
  });
}

/** The lines the release defines (its footnotes and its non-GAAP section): the KPIs first, in the release's order. */
function definedItems(index: DatasetIndex): ItemInfo[] {
  const defined = [...index.itemsById.values()].filter((item) => item.definition !== null && item.definition.trim() !== "");
  return [...defined.filter((item) => item.statement === "kpi"), ...defined.filter((item) => item.statement !== "kpi")];
}

/**
 * The Definitions sheet: each line's definition as `=QFIN.DEFINITION(id)` (cached, so it reads without the add-in).
 *
 * @example
 * definitionsSheet(index).cells.find((cell) => cell.value === "kpi.delinquency_rate_90_day") // its row's id cell
 */
export function definitionsSheet(index: DatasetIndex): ModelSheet {
  const builder = new SheetBuilder(Layout.firstDataRow);
  builder.text(1, 1, "Qifu Technology (QFIN) — Definitions", "title");
  builder.text(2, 1, "The release's own definitions (its footnotes) of the KPIs and non-GAAP measures, as QFIN.DEFINITION gives them.", "note");
  builder.text(4, 1, "Line", "column-heading");
  builder.text(4, Layout.itemColumn, "Item id", "column-heading");
  builder.text(4, 3, "Definition", "column-heading");
  const rowHeights: { row: number; height: number }[] = [];
  for (const item of definedItems(index)) {
    const row = builder.row++;
    builder.text(row, 1, modelLabel(index, item), "label");
    builder.text(row, Layout.itemColumn, item.id, "item-ref");
    builder.put(row, 3, { formula: `=QFIN.DEFINITION($B${row})`, role: "text" });
    rowHeights.push({ row, height: wrappedHeight(describeDefinition(index, item), DEFINITION_WIDTH, FONT_SIZE) });
  }
  return sheetOf(DEFINITIONS, builder.done(), {
    columnWidths: [
      { column: 1, width: DEFINITION_LABEL_WIDTH },
      { column: Layout.itemColumn, width: ITEM_WIDTH },
      { column: 3, width: DEFINITION_WIDTH },
    ],
    frozen: { rows: 4, columns: 0 },
    hiddenColumns: [Layout.itemColumn],
    rowHeights,
    repeatRows: { first: 4, last: 4 },
  });
}
