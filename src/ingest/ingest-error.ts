import type { CheckResult } from "../core/model";

/**
 * A release that cannot be ingested: it does not parse, or it does not tie out. Carries every failed check;
 * the message names the first few (check, table, row, period) so a terminal shows where to look.
 */
export class IngestError extends Error {
  constructor(public readonly failures: readonly CheckResult[]) {
    super(IngestError.describe(failures));
    this.name = "IngestError";
  }

  private static describe(failures: readonly CheckResult[]): string {
    const shown = failures.slice(0, 5).map((failure) => `  - [${failure.check}] ${failure.message}`);
    const more = failures.length > 5 ? [`  … and ${failures.length - 5} more`] : [];
    return [`The release was refused: ${failures.length} check${failures.length === 1 ? "" : "s"} failed.`, ...shown, ...more].join("\n");
  }
}
