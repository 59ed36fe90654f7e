/**
 * Where each hard-coded number of a sheet sits: the period heading its column (or, in a sheet laid out the other way
 * round, its row), the label of its line, and the unit notes around it. Two passes over the sheet — each column top to
 * bottom, each row left to right — carry the nearest heading along, so a sheet of any size is read in time linear in
 * its cells. Headings spread over two rows are read together: a year above "1Q 2Q 3Q 4Q", "Six months ended" above a
 * date, "Estimates" above a block of columns.
 */
import { serialToIsoDate } from "../core/excel-date";
import { durationKey, instantFromIso, monthEnd, type PeriodKey } from "../core/period-id";
import type { ParsedPeriod } from "../core/periods";
import { formatKind, type InputCell, type InputSheet } from "./cells";
import { mergeUnits, readText, saysEstimate, type TextReading, type UnitHint } from "./header-text";
import { formatA1 } from "../excel/a1";

/** A period heading: its text as shown, where it is, the period it names and whether it heads estimates. */
export interface HeaderAt {
  text: string;
  row: number;
  col: number;
  period: ParsedPeriod;
  estimate: boolean;
  units: UnitHint;
}

/** A label cell (a line's name, or a heading in the label column). */
export interface LabelAt {
  text: string;
  row: number;
  col: number;
}

/** A number typed into a cell, with what surrounds it. */
export interface DataCell {
  sheet: string;
  /** `B6` */
  address: string;
  cell: InputCell & { value: number };
  /** The period heading its column (rows of lines) or its row (columns of lines); null when none does. */
  header: HeaderAt | null;
  /** A second period heading, when both its column and its row have one: the cell is then left alone. */
  otherHeader: HeaderAt | null;
  /** The label of its line: the row's label, or the column's in a sheet laid out the other way round. */
  label: LabelAt | null;
  /** Unit notes of its line and its heading (the label's own annotation is read later, with the label). */
  units: UnitHint;
  /** The cells of one line share this key (the same row, or the same column when lines run down columns). */
  line: string;
}

export interface SheetLayout {
  name: string;
  /** Numbers typed as constants (dates excluded), with their surroundings. */
  data: DataCell[];
  /** Cells holding a formula. */
  formulas: number;
  /** Label texts above a label in its column, nearest first: the headings a line sits under. */
  labelsAbove(label: LabelAt, limit: number): LabelAt[];
}

type Kind = "date" | "number" | "text" | "other";

/** Readings of texts and formats are shared by every sheet of one run. */
export class LayoutReader {
  private readonly texts = new Map<string, TextReading>();
  private readonly formats = new Map<string, ReturnType<typeof formatKind>>();

  reading(text: string): TextReading {
    let reading = this.texts.get(text);
    if (reading === undefined) this.texts.set(text, (reading = readText(text)));
    return reading;
  }

  format(code: string | undefined): ReturnType<typeof formatKind> {
    const key = code ?? "";
    let kind = this.formats.get(key);
    if (kind === undefined) this.formats.set(key, (kind = formatKind(code)));
    return kind;
  }

  kind(cell: InputCell): Kind {
    if (typeof cell.value === "string") return "text";
    if (typeof cell.value === "number") return this.format(cell.numberFormat).date ? "date" : "number";
    return "other";
  }

  /** The instant a date cell shows: its day, or the end of its month when the format shows only month and year. */
  dateOf(cell: InputCell): PeriodKey | null {
    const iso = serialToIsoDate(cell.value as number);
    const day = iso === null ? null : instantFromIso(iso);
    if (day === null || day.type !== "instant") return null;
    return this.format(cell.numberFormat).day ? day : monthEnd(day.year, day.month);
  }
}

/** A text or date cell read as a heading: the reading of its text, or an instant for a date. */
function cellReading(reader: LayoutReader, cell: InputCell, kind: Kind): TextReading | null {
  if (kind === "text") return reader.reading(cell.value as string);
  if (kind === "date") {
    const instant = reader.dateOf(cell);
    return instant === null ? null : { kind: "period", period: instant, estimate: false, units: {} };
  }
  return null;
}

/** The cells of a sheet by row and by column, each sorted, for nearest-neighbour lookups. */
class Grid {
  readonly rows = new Map<number, InputCell[]>();
  readonly cols = new Map<number, InputCell[]>();

  constructor(cells: readonly InputCell[]) {
    for (const cell of cells) {
      if (cell.value === null || cell.value === "") continue;
      push(this.rows, cell.row, cell);
      push(this.cols, cell.col, cell);
    }
    for (const list of this.rows.values()) list.sort((a, b) => a.col - b.col);
    for (const list of this.cols.values()) list.sort((a, b) => a.row - b.row);
  }

  /** The nearest non-empty cell of `row` at or left of `col`. */
  atOrLeft(row: number, col: number): InputCell | undefined {
    const list = this.rows.get(row);
    if (list === undefined) return undefined;
    let low = 0;
    let high = list.length - 1;
    let found: InputCell | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const cell = list[middle] as InputCell;
      if (cell.col <= col) {
        found = cell;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** How many rows above a heading are read as its group heading. */
const GROUP_ROWS = 3;

/**
 * A heading read with the group headings above it: the year of "2Q" from "FY2023" above; "Six months ended" above a
 * date making it a half; "Estimates" above making it an estimate. A group heading stands at or left of the column
 * (a merged cell keeps its text in its first column), and only in heading rows: a number in the way ends the search.
 */
function headerAt(reader: LayoutReader, grid: Grid, cell: InputCell, reading: TextReading): HeaderAt | null {
  let estimate = (reading.kind === "period" || reading.kind === "partial" || reading.kind === "year") && reading.estimate;
  let year: number | null = reading.kind === "year" ? reading.year : null;
  let months: number | null = null;
  for (let row = cell.row - 1; row >= Math.max(1, cell.row - GROUP_ROWS); row--) {
    const above = grid.atOrLeft(row, cell.col);
    if (above === undefined) continue;
    const kind = reader.kind(above);
    if (kind !== "text") break;
    const group = reader.reading(above.value as string);
    if (group.kind === "estimates") estimate = true;
    else if (group.kind === "months") months ??= group.months;
    else if (group.kind === "year" && reading.kind === "partial") {
      year ??= group.year;
      estimate ||= group.estimate;
    } else if (group.kind === "period" && group.estimate) estimate = true;
    else if (group.kind === "label" && saysEstimate(group.text)) estimate = true;
  }
  // A date heading is shown as its date (the text Excel shows depends on the format and the locale).
  const text = typeof cell.value === "string" ? cell.value.trim() : (serialToIsoDate(cell.value as number) ?? String(cell.value));
  const at = { text, row: cell.row, col: cell.col };
  if (reading.kind === "year") return { ...at, period: { type: "year", year: reading.year }, estimate, units: {} };
  if (reading.kind === "partial") {
    if (year === null) return null;
    const period: PeriodKey = "quarter" in reading.part ? { type: "quarter", year, quarter: reading.part.quarter } : { type: "half", year, half: reading.part.half };
    return { ...at, period, estimate, units: {} };
  }
  if (reading.kind !== "period") return null;
  let period = reading.period;
  // "Six months ended" over "Jun 30, 2023": the six months ending that day, not the day.
  if (months !== null && period.type === "instant") period = durationKey(months, period.month, period.year) ?? period;
  return { ...at, period, estimate, units: reading.units };
}

const isPeriodLike = (reading: TextReading | null): boolean =>
  reading !== null && (reading.kind === "period" || reading.kind === "partial" || reading.kind === "year");

interface Context {
  header: HeaderAt | null;
  label: LabelAt | null;
  units: UnitHint | null;
}

/**
 * Reads one sheet: every constant number with the heading, label and units around it.
 *
 * @example
 * layOut({ name: "IS", cells }, new LayoutReader()).data[0]
 * // { address: "C6", header: { text: "2Q23", period: { type: "quarter", … } }, label: { text: "Revenue", … }, line: "r6", … }
 */
export function layOut(sheet: InputSheet, reader: LayoutReader): SheetLayout {
  const grid = new Grid(sheet.cells);
  const down = new Map<InputCell, Context>();
  const across = new Map<InputCell, Context>();
  let formulas = 0;
  for (const cell of sheet.cells) if (cell.formula) formulas++;

  const scan = (lines: Map<number, InputCell[]>, into: Map<InputCell, Context>): void => {
    for (const list of lines.values()) {
      const state: Context = { header: null, label: null, units: null };
      for (const cell of list) {
        const kind = reader.kind(cell);
        if (kind === "number") {
          if (!cell.formula) into.set(cell, { ...state });
          continue;
        }
        const reading = cellReading(reader, cell, kind);
        if (reading === null) continue;
        if (isPeriodLike(reading)) {
          const header = headerAt(reader, grid, cell, reading);
          state.header = header;
          state.units = null;
          if (header !== null) state.label = null;
          else state.label = { text: String(cell.value), row: cell.row, col: cell.col };
        } else if (reading.kind === "units") {
          state.units = mergeUnits(reading.units, state.units);
        } else if (reading.kind === "label") {
          state.label = { text: reading.text, row: cell.row, col: cell.col };
          state.header = null;
          state.units = null;
        }
        // Filler, "Three months ended" and "Estimates" are read as group headings, from the heading below them.
      }
    }
  };
  scan(grid.cols, down);
  scan(grid.rows, across);

  const data: DataCell[] = [];
  for (const cell of sheet.cells) {
    const column = down.get(cell);
    const row = across.get(cell);
    if (column === undefined || row === undefined) continue;
    const number = cell as InputCell & { value: number };
    const address = formatA1(cell);
    if (column.header !== null) {
      data.push({
        sheet: sheet.name,
        address,
        cell: number,
        header: column.header,
        otherHeader: row.header,
        label: row.label,
        units: mergeUnits(mergeUnits(row.units ?? {}, column.header.units), column.units),
        line: `r${cell.row}`,
      });
    } else if (row.header !== null) {
      data.push({
        sheet: sheet.name,
        address,
        cell: number,
        header: row.header,
        otherHeader: null,
        label: column.label,
        units: mergeUnits(mergeUnits(column.units ?? {}, row.header.units), row.units),
        line: `c${cell.col}`,
      });
    } else {
      data.push({ sheet: sheet.name, address, cell: number, header: null, otherHeader: null, label: row.label, units: row.units ?? {}, line: `r${cell.row}` });
    }
  }

  return {
    name: sheet.name,
    data,
    formulas,
    labelsAbove(label, limit) {
      const list = grid.cols.get(label.col) ?? [];
      const found: LabelAt[] = [];
      // From the cell just above the label (binary search: a column of thousands of labels is not walked each time).
      let low = 0;
      let high = list.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((list[middle] as InputCell).row < label.row) low = middle + 1;
        else high = middle;
      }
      for (let i = low - 1; i >= 0 && found.length < limit; i--) {
        const cell = list[i] as InputCell;
        if (label.row - cell.row > 60) break;
        if (typeof cell.value !== "string") continue;
        const reading = reader.reading(cell.value);
        if (reading.kind === "label") found.push({ text: reading.text, row: cell.row, col: cell.col });
      }
      return found;
    },
  };
}
