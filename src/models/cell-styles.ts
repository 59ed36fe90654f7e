/**
 * How each role of a model cell looks, once for every writer: the .xlsx template (src/workbook) and Insert model in
 * Excel (src/addin) map these to exceljs and Office.js formats. Colours are #RRGGBB.
 */
import type { CellRole } from "./model-sheet";

export interface CellStyle {
  bold?: boolean;
  italic?: boolean;
  /** Font size in points (the model's font size when absent). */
  size?: number;
  color?: string;
  fill?: string;
  alignRight?: boolean;
  /** Long text wraps within its column (the cover, definitions). */
  wrap?: boolean;
  borderTop?: boolean;
  borderBottom?: boolean;
}

/**
 * The one font of the model, named on every cell and as the workbook's default: a sheet that leaves a font unnamed is
 * drawn in whatever the reader's spreadsheet substitutes (LibreOffice drew the headings in a serif face). Arial is on
 * every Windows and Mac, and LibreOffice's Liberation Sans has its metrics, so column widths hold everywhere.
 */
export const MODEL_FONT = { name: "Arial", size: 10 } as const;

const NOTE_GREY = "#666666";
/** Inputs an analyst may edit are blue on a pale yellow fill, the modelling convention. */
const INPUT_BLUE = "#0000CC";
const INPUT_FILL = "#FFF2CC";

export const ROLE_STYLES: Readonly<Record<CellRole, CellStyle>> = {
  title: { bold: true, size: 14 },
  note: { italic: true, size: 9, color: NOTE_GREY },
  coverage: { italic: true, size: 8, color: NOTE_GREY, alignRight: true },
  "period-input": { color: INPUT_BLUE, fill: INPUT_FILL, alignRight: true },
  "period-link": { size: 8, color: NOTE_GREY, alignRight: true },
  "period-label": { bold: true, alignRight: true, borderBottom: true },
  "column-heading": { bold: true, borderBottom: true },
  section: { bold: true },
  label: {},
  "total-label": { bold: true },
  "key-label": { bold: true },
  "item-ref": { size: 8, color: NOTE_GREY },
  figure: { alignRight: true },
  "total-figure": { bold: true, borderTop: true, alignRight: true },
  "key-figure": { bold: true, alignRight: true },
  check: { alignRight: true },
  text: { wrap: true },
  detail: { size: 8, wrap: true },
};

/** Whether a role looks like a plain cell (nothing to apply). */
export const isPlain = (role: CellRole): boolean => Object.keys(ROLE_STYLES[role]).length === 0;
