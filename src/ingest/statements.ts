/**
 * Turns the parsed tables into items and facts, row by row against the chart of accounts (`catalogue.ts`):
 * every printed row must be the row the catalogue expects at that place, so a deleted, duplicated, renamed or
 * moved row is refused with its table and line rather than mapped to the wrong item.
 */
import { Decimal } from "../core/decimal";
import type { ItemInfo, ItemUnit, StatementId } from "../core/model";
import { TABLES, type RowSpec, type TableSpec } from "./catalogue";
import { NARRATIVE_STATEMENT_TITLES } from "./narrative-catalogue";
import type { FactBook } from "./fact-book";
import { IngestError } from "./ingest-error";
import { labelKey } from "../core/text-match";
import type { Cell, Column, ParsedTable, TableRow } from "./tables";

/** What the dataset calls each statement: a table's caption, or for the narrative's statements their own title. */
export const STATEMENT_TITLES: Readonly<Record<StatementId, string>> = {
  ...(Object.fromEntries(TABLES.map((table) => [table.statement, table.caption])) as Record<(typeof TABLES)[number]["statement"], string>),
  ...NARRATIVE_STATEMENT_TITLES,
};

/** Declares the catalogue's items of one table (first declaration wins for figures repeated across tables). */
export function declareTableItems(book: FactBook, spec: TableSpec, orderBase: number): void {
  const parentOf = new Map<string, string>();
  for (const row of spec.rows) {
    if (!row.rollup) continue;
    for (const component of row.sum ?? []) parentOf.set(component.replace(/^-/, ""), row.id);
  }
  const labelOf = new Map(spec.rows.filter((row) => row.id).map((row) => [row.id, row.label]));

  let section: string | null = null;
  spec.rows.forEach((row, index) => {
    if (row.heading) {
      section = row.label.replace(/:$/, "");
      if (/^(ASSETS|LIABILITIES AND EQUITY)$/.test(section)) section = null;
      return;
    }
    const declared = book.items.get(row.id);
    if (declared !== undefined) {
      // A figure printed again in another table under another label (the reconciliation's "Net income per ADS … -diluted"):
      // that printed label names the same item, so it must resolve to it.
      for (const name of [row.label, ...(row.aliases ?? [])]) {
        if (labelKey(name) !== labelKey(declared.label) && !declared.aliases.some((alias) => labelKey(alias) === labelKey(name))) declared.aliases.push(name);
      }
      return;
    }
    const parent = parentOf.get(row.id) ?? null;
    const pathHead = section ?? (parent ? (labelOf.get(parent) as string) : null);
    const unit: ItemUnit = row.unit ?? "amount";
    const item: ItemInfo = {
      id: row.id,
      label: row.label,
      statement: spec.statement,
      section,
      parent,
      path: pathHead ? [pathHead, row.label] : [row.label],
      unit,
      nature: spec.statement === "balance_sheet" ? "instant" : "duration",
      components: (row.sum ?? []).map((component) => ({
        item: component.replace(/^-/, ""),
        sign: component.startsWith("-") ? -1 : 1,
      })),
      additive: unit === "amount" && spec.statement !== "balance_sheet" && !row.balance,
      aliases: [...(row.aliases ?? [])],
      definition: null,
      footnote: null,
      order: orderBase + index,
    };
    book.addItem(item);
    // A section's total closes the section: TOTAL ASSETS is not a non-current asset.
    if (row.rollup && section !== null && /^total /i.test(row.label)) section = null;
  });
}

/** Reads the figures of one table into the book. */
export function readTableFacts(book: FactBook, spec: TableSpec, table: ParsedTable): void {
  if (table.blocks.length === 0) {
    throw new IngestError([{ check: "table_layout", status: "fail", message: `${spec.caption}: the table has no header and no rows (truncated?).`, table: spec.caption, line: table.line }]);
  }
  for (const block of table.blocks) {
    block.columns.forEach((column) => book.addPeriod(column.period));
    const failures: string[] = [];
    let expected = 0;
    for (const row of block.rows) {
      const rowSpec = spec.rows[expected];
      if (!rowSpec || labelKey(rowSpec.label) !== labelKey(row.label) || Boolean(rowSpec.heading) !== row.heading) {
        const want = rowSpec ? `"${rowSpec.label}"${rowSpec.heading ? " (a heading)" : ""}` : "the end of the block";
        failures.push(`line ${row.line}: expected ${want}, found "${row.label}"${row.heading ? " with no figures" : ""}`);
        break;
      }
      expected++;
      if (!rowSpec.heading) readRow(book, spec, rowSpec, row, block.columns, failures);
    }
    if (failures.length === 0 && expected < spec.rows.length) {
      const missing = spec.rows.slice(expected).map((row) => `"${row.label}"`);
      failures.push(`the block with header at line ${block.headerLine} ends before ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""} (rows missing or table truncated)`);
    }
    if (failures.length > 0) {
      throw new IngestError(
        failures.map((failure) => ({ check: "table_rows", status: "fail" as const, message: `${spec.caption}, ${failure}.`, table: spec.caption })),
      );
    }
  }
}

function readRow(book: FactBook, spec: TableSpec, rowSpec: RowSpec, row: TableRow, columns: Column[], failures: string[]): void {
  const unit = rowSpec.unit ?? "amount";
  columns.forEach((column, index) => {
    const cell = row.cells[index] ?? null;
    const where = `line ${row.line}, row "${row.label}", column ${column.heading}`;
    if (!cell) {
      // Margins are printed for RMB columns only.
      if (!(unit === "ratio" && column.currency === "USD")) failures.push(`${where}: the figure is missing`);
      return;
    }
    if (cell.percent !== (unit === "ratio")) {
      failures.push(`${where}: "${cell.printed}" ${cell.percent ? "is a percentage where an amount belongs" : "is not a percentage"}`);
      return;
    }
    const { value, precision } = scaleCell(cell, unit);
    book.addReported({
      item: rowSpec.id,
      period: column.period.id,
      currency: unit === "amount" || unit === "per_share" ? column.currency : null,
      value,
      precision,
      basis: "reported",
      source: { release: book.release, line: row.line, table: spec.caption, row: row.label, column: column.heading, printed: cell.printed },
    });
  });
}

/** Table amounts are in thousands; per-share figures, share counts and percentages are as printed. */
export function scaleCell(cell: Cell, unit: ItemUnit): { value: string; precision: number } {
  const number = new Decimal(cell.number);
  switch (unit) {
    case "amount":
      return { value: number.times(1000).toFixed(), precision: cell.decimals - 3 };
    case "ratio":
      return { value: number.div(100).toFixed(), precision: cell.decimals + 2 };
    default:
      return { value: number.toFixed(), precision: cell.decimals };
  }
}
