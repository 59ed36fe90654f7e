/**
 * Where things sit on the model's period sheets, the same on every one so formulas read alike everywhere, and a small
 * builder that collects a sheet's cells.
 */
import { columnLetters, compareAddresses, formatA1 } from "../excel/a1";
import type { CellRole, ModelCell, ModelSheet } from "./model-sheet";

export const Layout = {
  titleRow: 1,
  noteRow: 2,
  /** Above each period column: "not in the data" when the column has no figure (a gap in the quarters). */
  coverageRow: 3,
  periodInputRow: 4,
  periodLabelRow: 5,
  firstDataRow: 6,
  labelColumn: 1,
  /** The item ids the formulas read: grouped and hidden, out of the reading path. */
  itemColumn: 2,
  firstPeriodColumn: 3,
} as const;

export const LABEL_WIDTH = 54;
export const ITEM_WIDTH = 34;
export const PERIOD_WIDTH = 12;

export const address = (row: number, col: number): string => formatA1({ row, col });
export const letters = columnLetters;

/** Collects a sheet's cells; `row` is the next free row for callers that write line by line. */
export class SheetBuilder {
  private readonly cells = new Map<string, ModelCell>();
  row: number;

  constructor(firstRow: number = Layout.firstDataRow) {
    this.row = firstRow;
  }

  /** Puts a cell (one per address: a second put at an address is a bug in the layout). */
  put(row: number, col: number, cell: Omit<ModelCell, "address">): string {
    const at = address(row, col);
    if (this.cells.has(at)) throw new Error(`internal: the analyst model writes ${at} twice`);
    this.cells.set(at, { address: at, ...cell });
    return at;
  }

  text(row: number, col: number, value: string, role: CellRole, extra: Partial<ModelCell> = {}): string {
    return this.put(row, col, { value, role, ...extra });
  }

  /** The cells, row by row, left to right. */
  done(): ModelCell[] {
    return [...this.cells.values()].sort((a, b) => compareAddresses(a.address, b.address));
  }
}

/** The title row's height: its 14-point font needs more than a default row. */
const TITLE_HEIGHT = 21;

/** A sheet with the defaults most sheets share: nothing hidden, no page breaks, printed with no repeated rows. */
export function sheetOf(name: string, cells: ModelCell[], parts: Partial<Omit<ModelSheet, "name" | "cells">> & Pick<ModelSheet, "columnWidths">): ModelSheet {
  const rowHeights = [{ row: Layout.titleRow, height: TITLE_HEIGHT }, ...(parts.rowHeights ?? [])];
  return { name, cells, frozen: { rows: 0, columns: 0 }, hiddenColumns: [], repeatRows: null, pageBreaks: [], ...parts, rowHeights };
}

/**
 * A row height that shows wrapped text whole: the lines it takes at a column width (characters of the model's font)
 * times the line height of a font size. An estimate (proportional fonts), on the generous side.
 */
export function wrappedHeight(text: string, width: number, fontSize: number): number {
  const perLine = Math.max(10, Math.floor(width * 1.25));
  const lines = text.split("\n").reduce((count, paragraph) => count + Math.max(1, Math.ceil(paragraph.length / perLine)), 0);
  return Math.ceil(lines * fontSize * 1.3 + 3);
}
