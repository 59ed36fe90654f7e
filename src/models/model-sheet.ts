/**
 * The model as plain data: cells with their roles, sheets with their print and view settings. Every sheet builder
 * writes these and every writer (the .xlsx template, the pane's Insert model) reads them; they import nothing.
 */

/**
 * What a cell is for; each writer maps a role to its own styling (bold, borders, colours), so the description says
 * what, not how.
 */
export type CellRole =
  /** The sheet's title (row 1). */
  | "title"
  /** A sentence explaining the sheet (row 2), or the legend of markers. */
  | "note"
  /** Above a period column: "not in the data" when the column has no figure. */
  | "coverage"
  /** A period header the analyst may edit (`latest-1`, `2023H1`): an input, shown as one. */
  | "period-input"
  /** A period header that follows another sheet's (one timeline for the flow sheets). */
  | "period-link"
  /** The period's label computed from the input (`Q1 2023`). */
  | "period-label"
  /** A column heading ("Item id", "RMB millions"). */
  | "column-heading"
  /** A heading row inside a statement ("Current assets", "Margins"). */
  | "section"
  /** A line item's label. */
  | "label"
  /** A subtotal or total's label. */
  | "total-label"
  /** The headline line of a block (diluted EPS per ADS). */
  | "key-label"
  /** The item id the row's formulas read (column B, hidden), or what an analysis line reads. */
  | "item-ref"
  /** A figure of a line item. */
  | "figure"
  /** A figure of a subtotal or total. */
  | "total-figure"
  /** A figure of the headline line. */
  | "key-figure"
  /** A tie-out difference (0 when it holds) or a check result. */
  | "check"
  /** A paragraph (the cover, definitions): wraps. */
  | "text"
  /** Small print that wraps (the ingest checks' messages). */
  | "detail";

export interface ModelCell {
  /** A1 address on the sheet, e.g. `C6`. */
  address: string;
  /** A constant (label, header text). Absent for formula cells. */
  value?: string | number;
  /** An Excel formula as typed in the cell, with its leading `=`, e.g. `=QFIN.METRIC($B6,C$4)`. */
  formula?: string;
  /**
   * For a formula that reads no data (a link to another sheet's period input, a count of the checks' values): the
   * value it has. Writers cache it as is, since only formulas that reach a QFIN call are evaluated when writing.
   */
  cached?: string | number;
  /** An Excel number format; absent for text and General. */
  numberFormat?: string;
  role: CellRole;
  /** Indent level for labels (0 at the top of a statement). */
  indent?: number;
  /** A note shown on hover (a KPI's definition). */
  note?: string;
}

export interface ModelSheet {
  name: string;
  /** Cells row by row, left to right. */
  cells: ModelCell[];
  /** Column widths in Excel's character units, by 1-based column number. */
  columnWidths: { column: number; width: number }[];
  /** Rows and columns kept in view when scrolling (the titles, period headers and labels). */
  frozen: { rows: number; columns: number };
  /** Columns grouped and hidden, out of the reading path (the item ids the formulas read). */
  hiddenColumns: number[];
  /** Heights in points of rows whose text wraps. */
  rowHeights: { row: number; height: number }[];
  /** Rows printed atop every page (the period headers); the sheet prints landscape, one page wide. */
  repeatRows: { first: number; last: number } | null;
  /** What prints (A1 range), when not the whole sheet. */
  printArea?: string;
  /** Rows that start a new printed page (a block that reads best whole). */
  pageBreaks: number[];
  /** Printed on one page, shrunk to fit (the cover, the balance sheet, the KPIs), rather than one page wide. */
  onePage?: boolean;
}

export interface AnalystModel {
  /** The release the model was built from (e.g. `2023Q2`); the model itself reads whatever data is loaded. */
  builtFrom: string;
  sheets: ModelSheet[];
}
