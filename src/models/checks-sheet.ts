/**
 * The Checks sheet. First the tie-outs, computed in Excel from the statement sheets (0 when a statement adds up,
 * n/a in a column the data does not report) under a live summary; then the ingest's own checks of the data the model
 * was written from, kept as values so the sheet reads the same in a spreadsheet without the add-in (a spilled
 * QFIN.CHECK() would show #NAME? there), with a summary formula over them. The print area is the tie-outs: the
 * ingest's few hundred checks are for reading on screen.
 */
import type { DatasetIndex } from "../core/dataset-index";
import { IDENTITIES } from "../core/identities";
import type { ItemInfo } from "../core/model";
import { sheetPrefix } from "../excel/a1";
import type { ModelSheet } from "./model-sheet";
import { Formulas } from "./formulas";
import { Layout, PERIOD_WIDTH, SheetBuilder, address, letters, sheetOf, wrappedHeight } from "./layout";
import { NumberFormats } from "./number-formats";
import { modelLabel, type PeriodSheet } from "./statement-sheets";

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
  const label = (id: string): string => {
    const item = index.itemsById.get(id);
    return item ? modelLabel(index, item) : id;
  };
  const tieOuts: TieOut[] = [];
  for (const identity of IDENTITIES) {
    if (rows.has(identity.left) && rows.has(identity.right)) {
      tieOuts.push({ label: `${label(identity.left)} − ${lowerFirst(label(identity.right))}`, terms: [{ item: identity.left, sign: 1 }, { item: identity.right, sign: -1 }] });
    }
  }
  for (const id of rows.keys()) {
    const item = index.itemsById.get(id) as ItemInfo;
    if (item.components.length === 0 || !item.components.every((part) => rows.has(part.item))) continue;
    const parts =
      item.components.length <= 3
        ? item.components.map((part, position) => `${part.sign < 0 ? "− " : position > 0 ? "+ " : ""}${lowerFirst(label(part.item))}`).join(" ")
        : `its ${item.components.length} lines`;
    tieOuts.push({
      label: `${label(id)} − (${parts})`,
      terms: [{ item: id, sign: 1 }, ...item.components.map((part) => ({ item: part.item, sign: (part.sign === 1 ? -1 : 1) as 1 | -1 }))],
    });
  }
  return tieOuts;
}

/** "Total assets" → "total assets" inside a sentence (not "NCI", "G&A" or "ICE"). */
const lowerFirst = (text: string): string => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);

const CHECKS_LABEL_WIDTH = 72;
const STATUS_WIDTH = 24;
/** The size of the "detail" role (cell-styles.ts): the check messages are long. */
const MESSAGE_SIZE = 8;

export const CHECKS = "Checks";

/**
 * Builds the Checks sheet over the period sheets (tie-outs) and the dataset's ingest checks (values).
 *
 * @example
 * checksSheet(index, sheets).cells.find((cell) => cell.address === "B4")?.formula // '=IF(SUMSQ(C9:J60)=0,"All "&COUNT(C9:J60)&" hold",…)'
 */
export function checksSheet(index: DatasetIndex, sheets: ReadonlyMap<string, PeriodSheet>): ModelSheet {
  const builder = new SheetBuilder(8);
  builder.text(1, 1, "Qifu Technology (QFIN) — Checks", "title");
  builder.text(2, 1, "Tie-outs computed in Excel from the statement sheets (0.000 when a statement adds up; n/a where the data has no figure), then the data's own ingest checks.", "note");
  builder.text(3, 1, "Data loaded now (QFIN.VERSION)", "label");
  builder.put(3, 2, { formula: "=QFIN.VERSION()", role: "label" });
  builder.text(4, 1, "Tie-outs that hold", "label");
  builder.text(5, 1, "Ingest checks of the data the model was written from", "label");

  let widest = 0;
  const first = builder.row;
  for (const [name, sheet] of sheets) {
    const tieOuts = tieOutsOf(index, sheet.rows);
    if (tieOuts.length === 0) continue;
    widest = Math.max(widest, ...sheet.columns.map((column) => column.column));
    const header = builder.row++;
    builder.text(header, 1, name, "section");
    for (const column of sheet.columns) {
      builder.put(header, column.column, { formula: Formulas.link(`${sheetPrefix(name)}${letters(column.column)}$${Layout.periodLabelRow}`), role: "period-label" });
    }
    for (const tieOut of tieOuts) {
      const row = builder.row++;
      builder.text(row, 1, tieOut.label, "label", { indent: 1 });
      for (const column of sheet.columns) {
        const cells = tieOut.terms.map((term) => `${sheetPrefix(name)}${letters(column.column)}${sheet.rows.get(term.item)}`);
        const expression = tieOut.terms.map((term, position) => `${term.sign < 0 ? "-" : position > 0 ? "+" : ""}${cells[position]}`).join("");
        builder.put(row, column.column, { formula: Formulas.over(cells, `ROUND(${expression},3)`), numberFormat: NumberFormats.difference, role: "check" });
      }
    }
    builder.row++;
  }
  const tieOutRange = `${letters(Layout.firstPeriodColumn)}${first}:${letters(Math.max(widest, Layout.firstPeriodColumn))}${builder.row - 1}`;
  // SUMSQ skips text (n/a), counts a negative difference as one, and shows an error anywhere in the range.
  builder.put(4, 2, { formula: `=IF(SUMSQ(${tieOutRange})=0,"All "&COUNT(${tieOutRange})&" hold","Some differ: see the rows below")`, role: "check" });
  const printedRows = builder.row - 1;

  const release = index.latestRelease;
  builder.text(builder.row++, 1, `Ingest checks of the data the model was written from (release ${release.id}, ${release.date}${index.version ? `, data ${index.version}` : ""}): values, as written`, "section");
  const heading = builder.row++;
  builder.text(heading, 1, "What was checked", "column-heading");
  builder.text(heading, 2, "Check", "column-heading");
  builder.text(heading, 3, "Status", "column-heading");
  const rowHeights: { row: number; height: number }[] = [];
  const firstCheck = builder.row;
  for (const check of index.dataset.checks) {
    const row = builder.row++;
    builder.text(row, 1, check.message, "detail");
    builder.text(row, 2, check.check, "label");
    builder.text(row, 3, check.status, "check");
    rowHeights.push({ row, height: wrappedHeight(check.message, CHECKS_LABEL_WIDTH * 1.2, MESSAGE_SIZE) });
  }
  const statuses = `${address(firstCheck, 3)}:${address(Math.max(firstCheck, builder.row - 1), 3)}`;
  const checks = index.dataset.checks;
  builder.put(5, 2, {
    formula: `=IF(COUNTIF(${statuses},"pass")=COUNTA(${statuses}),"All "&COUNTA(${statuses})&" pass","Some fail: see the rows below")`,
    cached: checks.every((check) => check.status === "pass") ? `All ${checks.length} pass` : "Some fail: see the rows below",
    role: "check",
  });

  return sheetOf(CHECKS, builder.done(), {
    columnWidths: [
      { column: 1, width: CHECKS_LABEL_WIDTH },
      { column: 2, width: STATUS_WIDTH },
      ...Array.from({ length: Math.max(0, widest - 2) }, (_value, offset) => ({ column: Layout.firstPeriodColumn + offset, width: PERIOD_WIDTH })),
    ],
    frozen: { rows: 0, columns: 1 },
    rowHeights,
    printArea: `A1:${letters(Math.max(widest, 3))}${printedRows}`,
  });
}
