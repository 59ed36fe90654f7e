/**
 * The formulas the model writes, in one place. A figure reads its item id from the (hidden) id column and its period
 * from the period input row; where the data cannot give the figure, QFIN.MARKER says why in the cell ("n/a" when the
 * data does not report it, "n.m." when a growth means nothing) instead of an error, while a mistyped id or period
 * still shows its error (MARKER returns the same error as the figure's function).
 *
 * Analysis formulas work on the figure cells with plain Excel functions, so a spreadsheet without the add-in can
 * follow them and they move with the columns: a marker in an input passes through as "n/a", an error stays an error.
 */
import { MARKERS } from "../core/figures";
import { excelString } from "../excel/formula-text";
import { Layout, letters } from "./layout";

/** `$B7` and `C$4`: the row's item id and the column's period. */
const itemOf = (row: number): string => `$${letters(Layout.itemColumn)}${row}`;
const periodOf = (col: number): string => `${letters(col)}$${Layout.periodInputRow}`;

/** A QFIN function with the marker in its place when the figure cannot be given. */
function marked(call: (item: string, period: string) => string, measure: string | null): (row: number, col: number) => string {
  return (row, col) => {
    const item = itemOf(row);
    const period = periodOf(col);
    const marker = measure === null ? `QFIN.MARKER(${item},${period})` : `QFIN.MARKER(${item},${period},${excelString(measure)})`;
    return `=IFERROR(${call(item, period)},${marker})`;
  };
}

export const Formulas = {
  /** `=IFERROR(QFIN.METRIC($B7,C$4),QFIN.MARKER($B7,C$4))` */
  figure: marked((item, period) => `QFIN.METRIC(${item},${period})`, null),
  /** The item over total net revenue: the release's stated margin where it prints one. */
  margin: marked((item, period) => `QFIN.MARGIN(${item},${period})`, "margin"),
  growthYoY: marked((item, period) => `QFIN.GROWTH(${item},${period})`, "growth"),
  growthQoQ: marked((item, period) => `QFIN.GROWTH(${item},${period},"QoQ")`, "QoQ"),
  /** A change of a rate, year on year, in basis points. */
  changeBps: marked((item, period) => `QFIN.CHANGE(${item},${period})*10000`, "change"),
  /** A change in the item's own units (months of tenor), year on year. */
  change: marked((item, period) => `QFIN.CHANGE(${item},${period})`, "change"),
  /**
   * An item as a share of another, both named by id: the release's stated share where it prints one (QFIN.MARGIN),
   * "n/a" where the data lacks the item. `=IFERROR(QFIN.MARGIN("kpi.a",C$4,"kpi.b"),QFIN.MARKER("kpi.a",C$4))`
   */
  shareOf: (item: string, base: string, col: number): string =>
    `=IFERROR(QFIN.MARGIN(${excelString(item)},${periodOf(col)},${excelString(base)}),QFIN.MARKER(${excelString(item)},${periodOf(col)}))`,
  /** The label of the period a column's input means: `=INDEX(QFIN.SERIES("ops.total_net_revenue",C$4,,,TRUE),1,1)`. */
  periodLabel: (labelItem: string, col: number): string => `=INDEX(QFIN.SERIES(${excelString(labelItem)},${periodOf(col)},,,TRUE),1,1)`,
  /** "not in the data" above a column none of whose rows has a figure. */
  coverage: (col: number, firstRow: number, lastRow: number): string => {
    const column = letters(col);
    return `=IF(COUNT(${column}${firstRow}:${column}${lastRow})=0,"not in the data","")`;
  },
  /**
   * An Excel expression over figure cells, "n/a" when any of them shows a marker (text); an error in one stays an
   * error. `=IF(OR(ISTEXT(C7),ISTEXT(C20)),"n/a",C20/C7)`
   */
  over: (cells: readonly string[], expression: string): string => `=IF(OR(${cells.map((cell) => `ISTEXT(${cell})`).join(",")}),${excelString(MARKERS.notReported)},${expression})`,
  /** A plain reference to another cell (`='Income statement'!C$4`). */
  link: (target: string): string => `=${target}`,
} as const;
