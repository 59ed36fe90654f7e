/**
 * Table figures of the shipped release that a one-unit change slips past every tie-out check, as measured by
 * `tie-out-coverage.test.ts` (which fails when this list and the measurement disagree, so closing a gap in ingest
 * means deleting its line here, and the mutation property test then holds that figure to the strict rule too).
 * See docs/tie-out-coverage.md for why each one passes.
 */
export interface TableFigureRef {
  /** The item the cell is a figure of (row labels such as "Basic" repeat within a table). */
  item: string;
  /** The column heading as the dataset records it. */
  column: string;
}

export const KNOWN_TABLE_GAPS: readonly TableFigureRef[] = [
  // Weighted average share counts of 2022: printed once (no USD column repeats them) and seen only through
  // per-share figures rounded to the cent, and for diluted shares through an ADS count rounded from shares ÷ 2.
  { item: "ops.weighted_average_shares_basic", column: "Three months ended June 30, 2022 (RMB)" },
  { item: "ops.weighted_average_shares_basic", column: "Six months ended June 30, 2022 (RMB)" },
  { item: "ops.weighted_average_shares_diluted", column: "Three months ended June 30, 2022 (RMB)" },
  { item: "ops.weighted_average_shares_diluted", column: "Six months ended June 30, 2022 (RMB)" },
];

export const isKnownTableGap = (figure: { item: string | null; column: string | null }): boolean =>
  KNOWN_TABLE_GAPS.some((gap) => gap.item === figure.item && gap.column === figure.column);
