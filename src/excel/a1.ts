/**
 * A1-style cell addresses (`B3`, `$AA$10`) and ranges (`A1:C9`) ↔ 1-based row and column numbers, within Excel's
 * grid. The one place column letters are computed.
 */

/** Excel's grid: 1,048,576 rows by 16,384 columns (XFD). */
export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

export interface CellPosition {
  /** 1-based. */
  row: number;
  /** 1-based. */
  col: number;
}

const A1_PATTERN = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$/;

/**
 * The column number of column letters; undefined for letters beyond XFD.
 *
 * @example
 * columnNumber("AA") // 27
 */
export function columnNumber(letters: string): number | undefined {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return undefined;
  let col = 0;
  for (const letter of letters.toUpperCase()) col = col * 26 + (letter.charCodeAt(0) - 64);
  return col <= MAX_COLUMNS ? col : undefined;
}

/**
 * The letters of a column number.
 *
 * @example
 * columnLetters(27) // "AA"
 */
export function columnLetters(col: number): string {
  let letters = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * Parses an A1 address; `undefined` when the text is not one inside Excel's grid (`A0`, `XFE1`, `A1048577`).
 *
 * @example
 * parseA1("B3")    // { row: 3, col: 2 }
 * parseA1("$AA$1") // { row: 1, col: 27 }
 */
export function parseA1(address: string): CellPosition | undefined {
  const match = A1_PATTERN.exec(address.trim());
  if (!match) return undefined;
  const col = columnNumber(match[1] as string);
  const row = Number(match[2]);
  return col === undefined || row > MAX_ROWS ? undefined : { row, col };
}

/**
 * Formats a position as an A1 address.
 *
 * @example
 * formatA1({ row: 1, col: 27 }) // "AA1"
 */
export function formatA1(position: CellPosition): string {
  return `${columnLetters(position.col)}${position.row}`;
}

export interface RangePosition {
  from: CellPosition;
  to: CellPosition;
}

/**
 * Parses `A1:C9` (or a single cell, a range of one) with its corners in order.
 *
 * @example
 * parseRange("C9:A1") // { from: { row: 1, col: 1 }, to: { row: 9, col: 3 } }
 */
export function parseRange(text: string): RangePosition | undefined {
  const [first, second, extra] = text.split(":");
  if (extra !== undefined || first === undefined) return undefined;
  const a = parseA1(first);
  const b = second === undefined ? a : parseA1(second);
  if (a === undefined || b === undefined) return undefined;
  return {
    from: { row: Math.min(a.row, b.row), col: Math.min(a.col, b.col) },
    to: { row: Math.max(a.row, b.row), col: Math.max(a.col, b.col) },
  };
}

/**
 * The address of a block: `A1:C9`, or `C4` for one cell.
 *
 * @example
 * rangeAddress({ row: 1, col: 1 }, { row: 9, col: 3 }) // "A1:C9"
 */
export function rangeAddress(from: CellPosition, to: CellPosition): string {
  const first = formatA1(from);
  return from.row === to.row && from.col === to.col ? first : `${first}:${formatA1(to)}`;
}

/** `A:A`: a whole column. */
export const columnRange = (col: number): string => `${columnLetters(col)}:${columnLetters(col)}`;


/**
 * Orders addresses as a sheet reads: by row, then by column.
 *
 * @example
 * ["B2", "A10", "C1"].sort(compareAddresses) // ["C1", "B2", "A10"]
 */
export function compareAddresses(a: string, b: string): number {
  const pa = parseA1(a);
  const pb = parseA1(b);
  if (pa === undefined || pb === undefined) return a.localeCompare(b);
  return pa.row - pb.row || pa.col - pb.col;
}

/** The sheet-qualified reference `'Balance sheet'!` as a formula writes it (quotes doubled). */
export const sheetPrefix = (sheet: string): string => `'${sheet.replace(/'/g, "''")}'!`;
