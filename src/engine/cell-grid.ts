/**
 * Cells of one sheet indexed by row, then column, so that "which of these cells lie inside B2:D40000" costs the
 * rows the range spans that hold such cells, plus the cells found — not a scan of every cell (which made recalc's
 * dependency scan O(formulas × references)). Areas (spills, array formulas) are indexed by blocks of rows.
 */

export interface GridArea {
  fromRow: number;
  fromCol: number;
  toRow: number;
  toCol: number;
}

/** Points (cells) by row and column; sealed once filled, then queried. */
export class CellGrid<T> {
  private readonly byRow = new Map<number, { cols: number[]; items: T[] }>();
  private rows: number[] = [];
  private sealed = false;
  private lastRow = 0;
  private lastCol = 0;

  add(row: number, col: number, item: T): void {
    let line = this.byRow.get(row);
    if (!line) this.byRow.set(row, (line = { cols: [], items: [] }));
    line.cols.push(col);
    line.items.push(item);
    this.sealed = false;
    if (row > this.lastRow) this.lastRow = row;
    if (col > this.lastCol) this.lastCol = col;
  }

  /** The last row and column holding a cell (0 when empty). */
  extent(): { row: number; col: number } {
    return { row: this.lastRow, col: this.lastCol };
  }

  get(row: number, col: number): T | undefined {
    this.seal();
    const line = this.byRow.get(row);
    if (!line) return undefined;
    const at = lowerBound(line.cols, col);
    return line.cols[at] === col ? line.items[at] : undefined;
  }

  /**
   * The cells inside an area, row by row, left to right.
   *
   * @example
   * grid.within({ fromRow: 1, fromCol: 3, toRow: 1_048_576, toCol: 3 }) // the cells of column C, without visiting empty rows
   */
  within(area: GridArea): T[] {
    this.seal();
    const found: T[] = [];
    if (area.toRow - area.fromRow + 1 < this.rows.length) {
      for (let row = area.fromRow; row <= area.toRow; row++) this.collect(row, area, found);
    } else {
      for (let at = lowerBound(this.rows, area.fromRow); at < this.rows.length && (this.rows[at] as number) <= area.toRow; at++) {
        this.collect(this.rows[at] as number, area, found);
      }
    }
    return found;
  }

  private collect(row: number, area: GridArea, found: T[]): void {
    const line = this.byRow.get(row);
    if (!line) return;
    for (let at = lowerBound(line.cols, area.fromCol); at < line.cols.length && (line.cols[at] as number) <= area.toCol; at++) found.push(line.items[at] as T);
  }

  private seal(): void {
    if (this.sealed) return;
    this.rows = [...this.byRow.keys()].sort((a, b) => a - b);
    for (const line of this.byRow.values()) {
      if (isSorted(line.cols)) continue;
      const order = line.cols.map((_, at) => at).sort((a, b) => (line.cols[a] as number) - (line.cols[b] as number));
      line.cols = order.map((at) => line.cols[at] as number);
      line.items = order.map((at) => line.items[at] as T);
    }
    this.sealed = true;
  }
}

/** Rows per block of the area index. */
const BLOCK_ROWS = 256;

/** Rectangular areas (spills, array formulas), found by overlap with a range or by a cell they cover. */
export class AreaIndex<T> {
  private readonly blocks = new Map<number, { area: GridArea; item: T }[]>();

  add(area: GridArea, item: T): void {
    const entry = { area, item };
    for (let block = Math.floor(area.fromRow / BLOCK_ROWS); block <= Math.floor(area.toRow / BLOCK_ROWS); block++) {
      const list = this.blocks.get(block);
      if (list) list.push(entry);
      else this.blocks.set(block, [entry]);
    }
  }

  /** Areas overlapping `range`, each once. */
  overlapping(range: GridArea): T[] {
    const found = new Set<T>();
    const first = Math.floor(range.fromRow / BLOCK_ROWS);
    const last = Math.floor(range.toRow / BLOCK_ROWS);
    const visit = (list: { area: GridArea; item: T }[] | undefined): void => {
      for (const { area, item } of list ?? []) {
        if (area.fromRow <= range.toRow && area.toRow >= range.fromRow && area.fromCol <= range.toCol && area.toCol >= range.fromCol) found.add(item);
      }
    };
    if (last - first + 1 <= this.blocks.size) for (let block = first; block <= last; block++) visit(this.blocks.get(block));
    else for (const [block, list] of this.blocks) if (block >= first && block <= last) visit(list);
    return [...found];
  }

  /** Areas covering one cell. */
  covering(row: number, col: number): T[] {
    return this.overlapping({ fromRow: row, fromCol: col, toRow: row, toCol: col });
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function isSorted(values: readonly number[]): boolean {
  for (let at = 1; at < values.length; at++) if ((values[at - 1] as number) > (values[at] as number)) return false;
  return true;
}
