/** One tie-out check as a terminal line: where it looked (table, row, period, line) and what it found. */
import type { CheckResult } from "../core/model";

/**
 * "Table / Row / Period (Currency), line N" from whatever the check recorded.
 *
 * @example
 * checkLocation({ table: "Unaudited Condensed Consolidated Statements of Operations", row: "Total net revenue",
 *   period: "2023Q2", currency: "RMB", line: 274, … })
 * // "Unaudited Condensed Consolidated Statements of Operations / Total net revenue / 2023Q2 (RMB), line 274"
 */
export function checkLocation(check: CheckResult): string {
  const currency = check.currency ? ` (${check.currency})` : "";
  const place = [check.table, check.row, check.period].filter(Boolean).join(" / ") + currency;
  const line = check.line !== undefined ? `line ${check.line}` : "";
  return [place, line].filter(Boolean).join(", ");
}

/**
 * A failed check for an error report.
 *
 * @example
 * describeFailure(failure) // '[subtotal] Unaudited … Operations / Total net revenue / 2023Q2 (RMB), line 274: "Total net revenue" … (off by -1000).'
 */
export function describeFailure(check: CheckResult): string {
  const location = checkLocation(check);
  return `[${check.check}] ${location ? `${location}: ` : ""}${check.message}`;
}
