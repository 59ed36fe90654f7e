/**
 * What retrofit did, for people: one summary line (the terminal, the pane) and the report (every linked cell with
 * its old value, new formula, item, period and how it was decided; every candidate left alone and why).
 */
import type { DatasetIndex } from "../core/dataset-index";
import { REFUSAL_CODES, REFUSAL_WORDS, type CellLink, type NotLinked, type RetrofitResult, type RetrofitSummary } from "./link-workbook";

export interface RetrofitReport {
  /** The workbook read, and the copy written (as the caller names them). */
  workbook: string;
  linkedCopy: string | null;
  /** The data the formulas read. */
  data: { releases: string[]; version: string | null };
  summary: RetrofitSummary;
  linked: CellLink[];
  notLinked: NotLinked[];
}

/**
 * The report as written to REPORT.json.
 *
 * @example
 * retrofitReport(result, index, "model.xlsx", "linked.xlsx").linked[0].formula // '=ROUND(QFIN.METRIC(…),1)'
 */
export function retrofitReport(result: RetrofitResult, index: DatasetIndex, workbook: string, linkedCopy: string | null): RetrofitReport {
  return {
    workbook,
    linkedCopy,
    data: { releases: index.dataset.releases.map((release) => release.id), version: index.version },
    summary: result.summary,
    linked: result.links,
    notLinked: result.notLinked,
  };
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

/**
 * One line: how many candidates were linked, and why the rest were not.
 *
 * @example
 * summaryLine(result.summary)
 * // "Linked 15 of 24 candidate figures among 30 typed numbers on 1 sheet (no formula to leave alone); 9 not linked: 3 estimates, 2 in periods the data lacks, …"
 */
export function summaryLine(summary: RetrofitSummary): string {
  const formulas = summary.formulas === 0 ? "no formula to leave alone" : `${plural(summary.formulas, "formula")} left as ${summary.formulas === 1 ? "it was" : "they were"}`;
  const head = `Linked ${summary.linked.toLocaleString("en-US")} of ${plural(summary.candidates, "candidate figure")} among ${plural(summary.numbers, "typed number")} on ${plural(summary.sheets, "sheet")} (${formulas})`;
  if (summary.notLinked === 0) return `${head}.`;
  const reasons = REFUSAL_CODES.filter((code) => (summary.byReason[code] ?? 0) > 0).map((code) => {
    const count = summary.byReason[code] as number;
    return `${count.toLocaleString("en-US")} ${count === 1 ? REFUSAL_WORDS[code].one : REFUSAL_WORDS[code].many}`;
  });
  return `${head}; ${summary.notLinked.toLocaleString("en-US")} not linked: ${reasons.join(", ")}.`;
}
