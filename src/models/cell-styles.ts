/**
 * How each role of a model cell looks, once for every writer: the .xlsx template (src/workbook) and Insert model in
 * Excel (src/addin) map these to exceljs and Office.js formats. Colours are #RRGGBB.
 */
import type { CellRole } from "./analyst-model";

export interface CellStyle {
  bold?: boolean;
  italic?: boolean;
  /** Font size in points. */
  size?: number;
  color?: string;
  fill?: string;
  alignRight?: boolean;
  borderTop?: boolean;
  borderBottom?: boolean;
}

const NOTE_GREY = "#666666";
/** Inputs an analyst may edit are blue on a pale yellow fill, the modelling convention. */
const INPUT_BLUE = "#0000CC";
const INPUT_FILL = "#FFF2CC";

export const ROLE_STYLES: Readonly<Record<CellRole, CellStyle>> = {
  title: { bold: true, size: 14 },
  note: { italic: true, color: NOTE_GREY },
  "period-input": { color: INPUT_BLUE, fill: INPUT_FILL, alignRight: true },
  "period-label": { bold: true, alignRight: true, borderBottom: true },
  "column-heading": { bold: true, borderBottom: true },
  section: { bold: true },
  label: {},
  "total-label": { bold: true },
  "item-ref": { size: 9, color: NOTE_GREY },
  figure: {},
  "total-figure": { bold: true, borderTop: true },
  check: {},
};

/** Whether a role looks like a plain cell (nothing to apply). */
export const isPlain = (role: CellRole): boolean => Object.keys(ROLE_STYLES[role]).length === 0;
