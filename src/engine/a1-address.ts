/** A1-style cell addresses (`B3`, `$AA$10`) ↔ 1-based row and column numbers. */

export interface CellPosition {
  /** 1-based. */
  row: number;
  /** 1-based. */
  col: number;
}

const A1_PATTERN = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]*)$/;

/**
 * Parses an A1 address; `undefined` when the text is not one.
 *
 * @example
 * parseA1("B3")    // { row: 3, col: 2 }
 * parseA1("$AA$1") // { row: 1, col: 27 }
 */
export function parseA1(address: string): CellPosition | undefined {
  const match = A1_PATTERN.exec(address.trim());
  if (!match) return undefined;
  let col = 0;
  for (const letter of match[1].toUpperCase()) col = col * 26 + (letter.charCodeAt(0) - 64);
  return { row: Number(match[2]), col };
}

/**
 * Formats a position as an A1 address.
 *
 * @example
 * formatA1({ row: 1, col: 27 }) // "AA1"
 */
export function formatA1(position: CellPosition): string {
  let letters = "";
  for (let col = position.col; col > 0; col = Math.floor((col - 1) / 26)) {
    letters = String.fromCharCode(65 + ((col - 1) % 26)) + letters;
  }
  return `${letters}${position.row}`;
}
