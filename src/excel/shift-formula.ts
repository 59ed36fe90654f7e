/**
 * Shared formulas: Excel stores a formula filled across a range once, on its first cell (`<f t="shared" si="0"
 * ref="C6:F6">QFIN.METRIC($B6,C$4)</f>`), and the other cells only point at it (`<f t="shared" si="0"/>`). Each of them
 * means the master's formula with its relative references moved by the cell's offset, as when Excel fills right.
 */
import { MAX_COLUMNS as MAX_COLUMN, MAX_ROWS as MAX_ROW, columnLetters, columnNumber as lettersToNumber } from "./a1";

// A1 references (`$C$4`, `C4`), whole columns (`A:C`) and whole rows (`1:3`), not inside names or function names.
const REFERENCE = /(^|[^A-Za-z0-9_.$"])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(!])|(^|[^A-Za-z0-9_.$])(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_(])|(^|[^A-Za-z0-9_.$:])(\$?)(\d+):(\$?)(\d+)(?![0-9A-Za-z])/g;

/** Letters beyond XFD count as past the edge (a reference moved off the sheet). */
const columnNumber = (letters: string): number => lettersToNumber(letters) ?? MAX_COLUMN + 1;

/**
 * The formula a shared-formula cell holds: the master's, with relative rows and columns moved by the offset.
 * String literals are left alone. A reference moved off the sheet becomes `#REF!`, as in Excel.
 *
 * @example
 * shiftFormula("QFIN.METRIC($B6,C$4)", 0, 2)  // "QFIN.METRIC($B6,E$4)"
 * shiftFormula("SUM(C6:C9)/'Cash flow'!C6", 1, 0) // "SUM(C7:C10)/'Cash flow'!C7"
 */
export function shiftFormula(formula: string, rows: number, columns: number): string {
  if (rows === 0 && columns === 0) return formula;
  const parts = formula.split(/("(?:[^"]|"")*"|'(?:[^']|'')*')/);
  return parts
    .map((part, position) => {
      if (position % 2 === 1) return part; // a string literal or a quoted sheet name
      return part.replace(REFERENCE, (...match: string[]) => {
        if (match[3] !== undefined) {
          const [, before, colAbs, letters, rowAbs, rowText] = match;
          const col = colAbs ? columnNumber(letters) : columnNumber(letters) + columns;
          const row = rowAbs ? Number(rowText) : Number(rowText) + rows;
          if (col < 1 || col > MAX_COLUMN || row < 1 || row > MAX_ROW) return `${before}#REF!`;
          return `${before}${colAbs}${columnLetters(col)}${rowAbs}${row}`;
        }
        if (match[8] !== undefined) {
          const [before, fromAbs, from, toAbs, to] = match.slice(6, 11);
          const shift = (abs: string, letters: string): string => (abs ? letters.toUpperCase() : columnLetters(columnNumber(letters) + columns));
          return `${before}${fromAbs}${shift(fromAbs, from)}:${toAbs}${shift(toAbs, to)}`;
        }
        const [before, fromAbs, from, toAbs, to] = match.slice(11, 16);
        const shift = (abs: string, row: string): number => (abs ? Number(row) : Number(row) + rows);
        return `${before}${fromAbs}${shift(fromAbs, from)}:${toAbs}${shift(toAbs, to)}`;
      });
    })
    .join("");
}
