/**
 * The model's columns of periods. Quarters run without a gap from the oldest quarter the data holds (within two years)
 * to the newest, headed `latest-5` … `latest`: a quarter the data lacks (Q3–Q4 2022 for the Q2 2023 release) keeps its
 * column, marked "not in the data", so the sequence reads true and year-on-year comparisons sit four columns apart.
 * Half-years follow by id (`2023H1`); the period grammar has no relative form for halves, so they stay put.
 *
 * Why relative headers: when the next release is loaded, `latest` is the new quarter and every quarter column moves
 * with it; nothing is retyped. Flow sheets (income statement, cash flow, non-GAAP, KPIs, analysis) share one set of
 * quarter columns, so cross-sheet formulas (take rate = revenue ÷ loan volume) read the same column letters; the
 * balance sheet has its own, of quarter ends.
 */
import type { DatasetIndex } from "../core/dataset-index";
import type { PeriodInfo, StatementId } from "../core/model";
import { periodId, periodLabel, shiftPeriod } from "../core/period-id";
import { Layout } from "./layout";

export interface PeriodColumn {
  /** 1-based sheet column. */
  column: number;
  /** What the period input row holds: `latest`, `latest-4`, or an explicit id (`2023H1`). */
  header: string;
  /** The period the header means with the data the model is built from ("Q3 2022", even when the data lacks it). */
  label: string;
  kind: "quarter" | "half";
}

/** How many quarters back the model looks for the oldest column (two years). */
const QUARTERS_BACK = 7;

/** Periods some item of the statements has, by id. */
function heldPeriods(index: DatasetIndex, statements: readonly StatementId[]): Set<string> {
  return new Set(statements.flatMap((statement) => (index.itemsByStatement.get(statement) ?? []).flatMap((item) => index.periodsOf(item.id).map((period) => period.id))));
}

/** Quarter columns from the oldest held within two years to `newest`, every quarter between kept. */
function quarterColumns(index: DatasetIndex, newest: PeriodInfo | null, held: ReadonlySet<string>): PeriodColumn[] {
  if (newest === null) return [];
  const key = index.periodKey(newest);
  let oldest = 0;
  for (let offset = QUARTERS_BACK; offset > 0; offset--) {
    const shifted = shiftPeriod(key, -offset);
    if (shifted !== null && held.has(periodId(shifted))) {
      oldest = offset;
      break;
    }
  }
  const columns: PeriodColumn[] = [];
  for (let offset = oldest; offset >= 0; offset--) {
    const shifted = shiftPeriod(key, -offset);
    if (shifted === null) continue;
    columns.push({ column: Layout.firstPeriodColumn + columns.length, header: offset === 0 ? "latest" : `latest-${offset}`, label: periodLabel(shifted), kind: "quarter" });
  }
  return columns;
}

/** The statements whose periods set the flow sheets' quarters. */
export const FLOW_STATEMENTS: readonly StatementId[] = ["operations", "cash_flows", "non_gaap", "kpi"];

/**
 * The flow sheets' columns: quarters (`latest-5` … `latest`), then, when asked, the half-years the income statement
 * has, by id.
 */
export function flowColumns(index: DatasetIndex, withHalves: boolean): PeriodColumn[] {
  const held = heldPeriods(index, FLOW_STATEMENTS);
  const columns = quarterColumns(index, index.latestQuarter, held);
  if (!withHalves) return columns;
  const halves = heldPeriods(index, ["operations"]);
  for (const period of index.periods) {
    if (period.type === "half" && halves.has(period.id)) {
      columns.push({ column: Layout.firstPeriodColumn + columns.length, header: period.id, label: period.label, kind: "half" });
    }
  }
  return columns;
}

/** The balance sheet's columns: quarter ends from the oldest it has within two years to the newest. */
export function balanceColumns(index: DatasetIndex): PeriodColumn[] {
  return quarterColumns(index, index.latestInstant, heldPeriods(index, ["balance_sheet"]));
}
