/**
 * The analyst model: a description, as plain data, of a workbook whose every figure is a QFIN formula driven by a row
 * of period header cells. The `qfin template` command writes it as an .xlsx (src/workbook) and the taskpane's
 * "Insert model" writes it into the open workbook through Office.js; both read this one description, so the two
 * stay the same model. Pure: no Office, no Node, no file access.
 *
 * Why relative periods: the quarter headers hold text such as `latest` and `latest-4`, which the QFIN functions resolve
 * against the loaded data. When the next release is loaded, `latest` is the new quarter and every column moves with
 * it; nothing is retyped. Half-year headers hold explicit ids (`2023H1`): the period grammar has no relative form for
 * halves, so those columns stay where they are until the analyst edits the header.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { IDENTITIES } from "../core/identities";
import type { ItemInfo, ItemUnit, PeriodInfo, StatementId } from "../core/model";
import { periodId, shiftPeriod } from "../core/period-id";
import { columnLetters, compareAddresses, formatA1, sheetPrefix } from "../excel/a1";

/** Excel number formats the model uses: amounts in RMB millions, per-share figures, ratios, counts. */
export const NumberFormats = {
  amount: "#,##0.0",
  perShare: "0.00",
  ratio: "0.0%",
  count: "#,##0",
  months: "0.0",
  difference: "#,##0.000",
} as const;

/**
 * What a cell is for; each writer maps a role to its own styling (bold, borders, colours), so the description says
 * what, not how.
 */
export type CellRole =
  /** The sheet's title (row 1). */
  | "title"
  /** A sentence explaining the sheet (row 2). */
  | "note"
  /** A period header the analyst may edit (`latest-1`, `2023H1`): an input, shown as one. */
  | "period-input"
  /** The period's label computed from the input (`Q1 2023`). */
  | "period-label"
  /** A column heading ("Line item", "Item id"). */
  | "column-heading"
  /** A heading row inside a statement ("Current assets", "Margins"). */
  | "section"
  /** A line item's label as the release prints it. */
  | "label"
  /** A subtotal or total's label. */
  | "total-label"
  /** The item id the row's formulas read (column B). */
  | "item-ref"
  /** A figure of a line item. */
  | "figure"
  /** A figure of a subtotal or total. */
  | "total-figure"
  /** A tie-out difference (0 when it holds) or a check result. */
  | "check";

export interface ModelCell {
  /** A1 address on the sheet, e.g. `C6`. */
  address: string;
  /** A constant (label, header text). Absent for formula cells. */
  value?: string | number;
  /** An Excel formula as typed in the cell, with its leading `=`, e.g. `=QFIN.METRIC($B6,C$4)`. */
  formula?: string;
  /** True when the formula returns an array that spills from this cell (`=QFIN.CHECK()`). */
  spills?: boolean;
  /** An Excel number format; absent for text and General. */
  numberFormat?: string;
  role: CellRole;
  /** Indent level for labels (0 at the top of a statement). */
  indent?: number;
}

export interface ModelSheet {
  name: string;
  /** Cells row by row, left to right. */
  cells: ModelCell[];
  /** Column widths in Excel's character units, by 1-based column number. */
  columnWidths: { column: number; width: number }[];
  /** Rows and columns kept in view when scrolling (the titles, period headers, labels and ids). */
  frozen: { rows: number; columns: number };
}

export interface AnalystModel {
  /** The release the model was built from (e.g. `2023Q2`); the model itself reads whatever data is loaded. */
  builtFrom: string;
  sheets: ModelSheet[];
}

/** Where the parts of a statement sheet sit: the same on every sheet, so formulas read alike everywhere. */
export const Layout = {
  titleRow: 1,
  noteRow: 2,
  periodInputRow: 4,
  periodLabelRow: 5,
  firstDataRow: 6,
  labelColumn: 1,
  itemColumn: 2,
  firstPeriodColumn: 3,
} as const;

/** One period column: what its header holds and which dataset period that means today. */
interface PeriodColumn {
  /** The header text: `latest`, `latest-4`, or an explicit id `2023H1`. */
  header: string;
  /** The period it resolves to with the data the model is built from. */
  period: PeriodInfo;
}

interface StatementSheetSpec {
  name: string;
  statements: StatementId[];
  title: string;
  /** Include half-year columns after the quarters. */
  halves: boolean;
  /** The item whose period labels head the columns (it must have the sheet's kind of periods). */
  labelItem: string;
}

const STATEMENT_SHEETS: readonly StatementSheetSpec[] = [
  { name: "Income statement", statements: ["operations"], title: "Income statement", halves: true, labelItem: "ops.total_net_revenue" },
  { name: "Balance sheet", statements: ["balance_sheet"], title: "Balance sheet", halves: false, labelItem: "bs.total_assets" },
  { name: "Cash flow", statements: ["cash_flows"], title: "Cash flow statement", halves: true, labelItem: "ops.total_net_revenue" },
  { name: "Non-GAAP", statements: ["non_gaap"], title: "Non-GAAP reconciliation", halves: true, labelItem: "ops.total_net_revenue" },
  { name: "KPIs", statements: ["kpi"], title: "Operating KPIs", halves: false, labelItem: "ops.total_net_revenue" },
];

/** Margin rows under the income statement: item id, with Total net revenue as the base. */
const MARGIN_ITEMS = ["ops.income_from_operations", "ops.income_before_income_tax_expense", "ops.net_income"];
/** Growth rows under the income statement. */
const GROWTH_ITEMS = ["ops.total_net_revenue", "ops.income_from_operations", "ops.net_income"];

/** A tie-out written as an ordinary Excel formula on the Checks sheet: `Σ sign × item`, 0 when it holds. */
interface TieOut {
  label: string;
  terms: { item: string; sign: 1 | -1 }[];
}

/**
 * The tie-outs of a sheet, from the data's own definitions: every subtotal on the sheet minus its components (all on
 * the sheet too), and the identities the statements obey (total assets = total liabilities and equity).
 */
function tieOutsOf(index: DatasetIndex, rows: ReadonlyMap<string, number>): TieOut[] {
  const label = (id: string): string => (index.itemsById.get(id)?.label ?? id).toLowerCase();
  const tieOuts: TieOut[] = [];
  for (const identity of IDENTITIES) {
    if (rows.has(identity.left) && rows.has(identity.right)) {
      tieOuts.push({ label: `${capitalised(label(identity.left))} − ${label(identity.right)}`, terms: [{ item: identity.left, sign: 1 }, { item: identity.right, sign: -1 }] });
    }
  }
  for (const id of rows.keys()) {
    const item = index.itemsById.get(id) as ItemInfo;
    if (item.components.length === 0 || !item.components.every((part) => rows.has(part.item))) continue;
    const parts = item.components.map((part, position) => `${part.sign < 0 ? "− " : position > 0 ? "+ " : ""}${label(part.item)}`).join(" ");
    tieOuts.push({
      label: `${capitalised(label(id))} − (${parts})`,
      terms: [{ item: id, sign: 1 }, ...item.components.map((part) => ({ item: part.item, sign: (part.sign === 1 ? -1 : 1) as 1 | -1 }))],
    });
  }
  return tieOuts;
}

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** How many quarters back the model looks for columns (two years). */
const QUARTERS_BACK = 8;
const LABEL_WIDTH = 52;
const ITEM_WIDTH = 34;
const PERIOD_WIDTH = 12;

/**
 * Builds the analyst model for a dataset: one sheet per statement (income statement with margins and growth, balance
 * sheet, cash flow, non-GAAP reconciliation, KPIs) and a Checks sheet. Quarter columns are the quarters the data holds
 * within the last two years, written relative to the newest (`latest-5`, `latest-4`, `latest-1`, `latest` for the
 * Q2 2023 release), so they roll forward; half-year columns name their half.
 *
 * @example
 * const model = buildAnalystModel(index);
 * model.sheets.map((sheet) => sheet.name) // ["Income statement", "Balance sheet", "Cash flow", "Non-GAAP", "KPIs", "Checks"]
 * model.sheets[0].cells.find((cell) => cell.address === "C6")?.formula // "=QFIN.METRIC($B6,C$4)"
 */
export function buildAnalystModel(index: DatasetIndex): AnalystModel {
  const rowsByItem = new Map<string, Map<string, number>>();
  const columnsBySheet = new Map<string, PeriodColumn[]>();
  const sheets: ModelSheet[] = [];
  for (const spec of STATEMENT_SHEETS) {
    const items = spec.statements.flatMap((statement) => index.itemsByStatement.get(statement) ?? []);
    const columns = periodColumns(index, items, spec.halves);
    if (items.length === 0 || columns.length === 0) continue;
    const rows = new Map<string, number>();
    sheets.push(statementSheet(index, spec, items, columns, rows));
    rowsByItem.set(spec.name, rows);
    columnsBySheet.set(spec.name, columns);
  }
  sheets.push(checksSheet(index, rowsByItem, columnsBySheet));
  return { builtFrom: index.latestRelease.id, sheets };
}

/**
 * The period columns of a sheet: quarters (or quarter-end dates) the items have within the last two years, as
 * `latest-n`, oldest first; then, when asked, the half-years they have, by id.
 */
function periodColumns(index: DatasetIndex, items: readonly ItemInfo[], halves: boolean): PeriodColumn[] {
  const held = new Set(items.flatMap((item) => index.periodsOf(item.id).map((period) => period.id)));
  const columns: PeriodColumn[] = [];
  for (let offset = QUARTERS_BACK - 1; offset >= 0; offset--) {
    const candidates = [index.latestQuarter, index.latestInstant].flatMap((newest) => {
      const key = newest === null ? null : shiftPeriod(index.periodKey(newest), -offset);
      const id = key === null ? null : periodId(key);
      return id !== null && held.has(id) ? [index.periodsById.get(id) as PeriodInfo] : [];
    });
    if (candidates.length > 0) columns.push({ header: offset === 0 ? "latest" : `latest-${offset}`, period: candidates[0] });
  }
  if (halves) {
    for (const period of index.periods) if (period.type === "half" && held.has(period.id)) columns.push({ header: period.id, period });
  }
  return columns;
}

const column = (offset: number): number => Layout.firstPeriodColumn + offset;
const address = (row: number, col: number): string => formatA1({ row, col });
const letters = columnLetters;

function numberFormatFor(unit: ItemUnit): string {
  switch (unit) {
    case "amount":
      return NumberFormats.amount;
    case "per_share":
      return NumberFormats.perShare;
    case "ratio":
      return NumberFormats.ratio;
    case "months":
      return NumberFormats.months;
    case "shares":
    case "count":
      return NumberFormats.count;
  }
}

/** Header rows shared by every period sheet: title, note, period inputs and their labels. */
function headerCells(title: string, note: string, columns: readonly PeriodColumn[], labelFormula: (col: number) => string): ModelCell[] {
  const cells: ModelCell[] = [
    { address: address(Layout.titleRow, Layout.labelColumn), value: title, role: "title" },
    { address: address(Layout.noteRow, Layout.labelColumn), value: note, role: "note" },
    { address: address(Layout.periodInputRow, Layout.labelColumn), value: "Period (edit to move a column)", role: "column-heading" },
    { address: address(Layout.periodInputRow, Layout.itemColumn), value: "Item id", role: "column-heading" },
  ];
  columns.forEach((periodColumn, offset) => {
    cells.push({ address: address(Layout.periodInputRow, column(offset)), value: periodColumn.header, role: "period-input" });
  });
  cells.push({ address: address(Layout.periodLabelRow, Layout.labelColumn), value: "Line item", role: "column-heading" });
  columns.forEach((_periodColumn, offset) => {
    cells.push({ address: address(Layout.periodLabelRow, column(offset)), formula: labelFormula(column(offset)), role: "period-label" });
  });
  return cells;
}

/** The label of the period a header means, from the data: `=INDEX(QFIN.SERIES("ops.total_net_revenue",C$4,,,TRUE),1,1)`. */
function periodLabelFormula(labelItem: string): (col: number) => string {
  return (col) => `=INDEX(QFIN.SERIES("${labelItem}",${letters(col)}$${Layout.periodInputRow},,,TRUE),1,1)`;
}

function sheetLayout(columns: readonly PeriodColumn[]): Pick<ModelSheet, "columnWidths" | "frozen"> {
  return {
    columnWidths: [
      { column: Layout.labelColumn, width: LABEL_WIDTH },
      { column: Layout.itemColumn, width: ITEM_WIDTH },
      ...columns.map((_periodColumn, offset) => ({ column: column(offset), width: PERIOD_WIDTH })),
    ],
    frozen: { rows: Layout.periodLabelRow, columns: Layout.itemColumn },
  };
}

function statementSheet(
  index: DatasetIndex,
  spec: StatementSheetSpec,
  items: readonly ItemInfo[],
  columns: readonly PeriodColumn[],
  rowsByItem: Map<string, number>,
): ModelSheet {
  const note =
    "RMB millions unless stated; per-share figures in RMB, ratios as %. Every figure is a QFIN formula reading the id in column B " +
    "and the period in row 4: latest is the newest quarter in the loaded data, latest-1 the one before.";
  const cells = headerCells(`Qifu Technology (QFIN) — ${spec.title}`, note, columns, periodLabelFormula(spec.labelItem));
  const held = new Set(columns.map((periodColumn) => periodColumn.period.id));
  let row = Layout.firstDataRow;
  let section: string | null = null;

  const figureRow = (label: string, indent: number, itemRef: string, formula: (cell: string) => string, format: string, total: boolean, only?: (c: PeriodColumn) => boolean) => {
    cells.push({ address: address(row, Layout.labelColumn), value: label, role: total ? "total-label" : "label", indent });
    cells.push({ address: address(row, Layout.itemColumn), value: itemRef, role: "item-ref" });
    columns.forEach((periodColumn, offset) => {
      if (only && !only(periodColumn)) return;
      const header = `${letters(column(offset))}$${Layout.periodInputRow}`;
      cells.push({ address: address(row, column(offset)), formula: formula(header), numberFormat: format, role: total ? "total-figure" : "figure" });
    });
    row++;
  };

  for (const item of items) {
    const periods = index.periodsOf(item.id);
    if (!periods.some((period) => held.has(period.id))) continue;
    if (item.section !== null && item.section !== section && item.path[0] !== item.section) {
      cells.push({ address: address(row++, Layout.labelColumn), value: item.section, role: "section" });
    }
    section = item.section;
    const total = item.components.length > 0;
    const indent = Math.max(0, item.path.length - 1) + (item.section !== null && item.path[0] !== item.section ? 1 : 0);
    rowsByItem.set(item.id, row);
    figureRow(item.label, indent, item.id, (header) => `=QFIN.METRIC($B${row},${header})`, numberFormatFor(item.unit), total);
  }

  if (spec.statements.includes("operations")) {
    row++;
    cells.push({ address: address(row++, Layout.labelColumn), value: "Margins (% of total net revenue)", role: "section" });
    for (const id of MARGIN_ITEMS) {
      const item = index.itemsById.get(id);
      if (item) figureRow(`${item.label} margin`, 1, item.id, (header) => `=QFIN.MARGIN($B${row},${header})`, NumberFormats.ratio, false);
    }
    row++;
    cells.push({ address: address(row++, Layout.labelColumn), value: "Growth, year over year", role: "section" });
    for (const id of GROWTH_ITEMS) {
      const item = index.itemsById.get(id);
      if (item) figureRow(`${item.label}, YoY`, 1, item.id, (header) => `=QFIN.GROWTH($B${row},${header})`, NumberFormats.ratio, false);
    }
    row++;
    cells.push({ address: address(row++, Layout.labelColumn), value: "Growth, quarter over quarter", role: "section" });
    const quartersOnly = (periodColumn: PeriodColumn): boolean => periodColumn.period.type === "quarter";
    for (const id of GROWTH_ITEMS) {
      const item = index.itemsById.get(id);
      if (item) figureRow(`${item.label}, QoQ`, 1, item.id, (header) => `=QFIN.GROWTH($B${row},${header},"QoQ")`, NumberFormats.ratio, false, quartersOnly);
    }
  }
  return { name: spec.name, cells, ...sheetLayout(columns) };
}

const sheetRef = sheetPrefix;

function checksSheet(
  index: DatasetIndex,
  rowsByItem: ReadonlyMap<string, ReadonlyMap<string, number>>,
  columnsBySheet: ReadonlyMap<string, readonly PeriodColumn[]>,
): ModelSheet {
  const cells: ModelCell[] = [
    { address: "A1", value: "Qifu Technology (QFIN) — Checks", role: "title" },
    {
      address: "A2",
      value: "Tie-outs computed in Excel from the statement sheets (0 when a statement adds up), then the data's own ingest checks.",
      role: "note",
    },
    { address: "A3", value: "Data loaded", role: "label" },
    { address: "B3", formula: "=QFIN.VERSION()", role: "item-ref" },
  ];
  let row = 5;
  const differenceCells: string[] = [];
  let widest = 0;
  for (const [sheet, rows] of rowsByItem) {
    const columns = columnsBySheet.get(sheet);
    if (!columns) continue;
    const usable = tieOutsOf(index, rows);
    if (usable.length === 0) continue;
    widest = Math.max(widest, columns.length);
    cells.push({ address: address(row, 1), value: sheet, role: "section" });
    columns.forEach((_periodColumn, offset) => {
      const source = address(Layout.periodLabelRow, column(offset));
      cells.push({ address: address(row, column(offset)), formula: `=${sheetRef(sheet)}${source}`, role: "period-label" });
    });
    row++;
    for (const tieOut of usable) {
      cells.push({ address: address(row, 1), value: tieOut.label, role: "label", indent: 1 });
      columns.forEach((_periodColumn, offset) => {
        const col = letters(column(offset));
        const expression = tieOut.terms
          .map((term, position) => `${term.sign < 0 ? "-" : position > 0 ? "+" : ""}${sheetRef(sheet)}${col}${rows.get(term.item)}`)
          .join("");
        const cell = address(row, column(offset));
        differenceCells.push(cell);
        cells.push({ address: cell, formula: `=ROUND(${expression},3)`, numberFormat: NumberFormats.difference, role: "check" });
      });
      row++;
    }
    row++;
  }
  const range = `C6:${letters(column(Math.max(widest, 1) - 1))}${row}`;
  cells.push({ address: "A4", value: "Tie-outs that hold", role: "label" });
  cells.push({
    address: "B4",
    // SUMSQ skips blanks and text, counts a negative difference as one, and shows an error anywhere in the range.
    formula: `=IF(SUMSQ(${range})=0,"All "&COUNT(${range})&" hold","Some differ: see the rows below")`,
    role: "check",
  });
  cells.sort(byPosition);
  row++;
  cells.push({ address: address(row++, 1), value: "Ingest checks of the loaded data (QFIN.CHECK)", role: "section" });
  cells.push({ address: address(row, 1), formula: "=QFIN.CHECK()", spills: true, role: "check" });
  return {
    name: "Checks",
    cells,
    columnWidths: [
      { column: 1, width: 70 },
      { column: 2, width: 24 },
      ...Array.from({ length: widest }, (_value, offset) => ({ column: column(offset), width: PERIOD_WIDTH })),
    ],
    frozen: { rows: 0, columns: 1 },
  };
}

function byPosition(a: ModelCell, b: ModelCell): number {
  return compareAddresses(a.address, b.address);
}
