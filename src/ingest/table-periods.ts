/**
 * The periods a release's tables must cover, from the quarter its title names: a Q2 2023 release's statements of
 * operations, cash flows, comprehensive income and the reconciliation give three and six months ended June 30 of
 * 2022 and 2023, its balance sheet the prior year end (December 31, 2022) and the quarter end (June 30, 2023); RMB
 * for both years, USD for the current one. A heading whose year or date was damaged would otherwise file a whole
 * column under another period, and its checks would quietly disappear with it.
 */
import type { Currency, PeriodInfo } from "../core/model";
import type { TableSpec } from "./catalogue";
import { IngestError } from "./ingest-error";
import type { ReleaseQuarter } from "./narrative";
import { lastDayOfMonth } from "../core/period-id";
import { durationPeriod, instantPeriod } from "./periods";
import type { ParsedTable } from "./tables";

interface ExpectedColumn {
  period: PeriodInfo;
  currency: Currency;
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const LENGTH_WORDS: Record<number, string> = { 3: "three", 6: "six", 9: "nine", 12: "twelve" };

/** The columns every table of this statement must have, in the release of `quarter`. */
export function expectedColumns(spec: TableSpec, { year, quarter }: ReleaseQuarter): ExpectedColumn[] {
  const endMonth = quarter * 3;
  const lengths = quarter > 1 ? [3, endMonth] : [3];
  const periods: PeriodInfo[] =
    spec.statement === "balance_sheet"
      ? [instantPeriod(year - 1, 12, 31), instantPeriod(year, endMonth, lastDayOfMonth(year, endMonth))]
      : lengths.flatMap((months) => [year - 1, year].map((y) => durationPeriod(months, endMonth, y) as PeriodInfo));
  return periods.flatMap((period) =>
    period.end.startsWith(`${year}-`) ? [{ period, currency: "RMB" as const }, { period, currency: "USD" as const }] : [{ period, currency: "RMB" as const }],
  );
}

/** "three and six months ended June 30 of 2022 and 2023" or "December 31, 2022 and June 30, 2023", for messages. */
function describeExpected(spec: TableSpec, { year, quarter }: ReleaseQuarter): string {
  const endMonth = quarter * 3;
  const end = `${MONTH_NAMES[endMonth - 1]} ${lastDayOfMonth(year, endMonth)}`;
  if (spec.statement === "balance_sheet") return `December 31, ${year - 1} and ${end}, ${year} (RMB, and USD for ${end}, ${year})`;
  const lengths = quarter > 1 ? `three and ${LENGTH_WORDS[endMonth]} months` : "three months";
  return `${lengths} ended ${end} of ${year - 1} and ${year} (RMB for both years, and USD for ${year})`;
}

/**
 * Refuses a table whose column headings are not exactly the periods and currencies its release reports: a column of
 * another period, one given twice, or one missing.
 *
 * @throws IngestError (check `table_periods`) naming the table, the header line and the column
 */
export function checkTablePeriods(spec: TableSpec, table: ParsedTable, quarter: ReleaseQuarter): void {
  const expected = expectedColumns(spec, quarter);
  const key = (period: PeriodInfo, currency: Currency): string => `${period.id}|${currency}`;
  const wanted = new Set(expected.map((column) => key(column.period, column.currency)));
  const seen = new Map<string, number>();
  const problems: string[] = [];
  for (const block of table.blocks) {
    block.columns.forEach((column, index) => {
      const id = key(column.period, column.currency);
      const where = `header at line ${block.headerLine}, column ${index + 1} (${column.heading})`;
      if (!wanted.has(id)) problems.push(`${where} is not a period this release reports`);
      else if (seen.has(id)) problems.push(`${where} repeats the column of the header at line ${seen.get(id)}`);
      else seen.set(id, block.headerLine);
    });
  }
  for (const column of expected) {
    if (!seen.has(key(column.period, column.currency)) && problems.length === 0) problems.push(`there is no column for ${column.period.label} (${column.currency})`);
  }
  if (problems.length === 0) return;
  const release = `${quarter.year}Q${quarter.quarter}`;
  throw new IngestError(
    problems.map((problem) => ({
      check: "table_periods",
      status: "fail" as const,
      message: `${spec.caption}: ${problem}; a ${release} release's table gives ${describeExpected(spec, quarter)}.`,
      table: spec.caption,
    })),
  );
}
