/**
 * Each class of broken release is refused, and the message names what failed (check, table, row, period).
 * Error cases come first in this project's tests; the release that ties out is in ingest-release.test.ts.
 */
import { IngestError } from "../../src/ingest";
import { editLine, ingestText, releaseText } from "../support/release";

function refusal(text: string): IngestError {
  try {
    ingestText(text);
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error("the release was accepted");
}

const original = releaseText();
const replaceCell = (label: RegExp, column: number, value: string) =>
  editLine(original, label, (line) => {
    const cells = line.split("\t");
    cells[column] = value;
    return cells.join("\t");
  });

describe("a release that does not tie out is refused", () => {
  test("a changed total names the subtotal check, table, row and period", () => {
    const error = refusal(replaceCell(/^Total net revenue\t/, 2, "3,914,325"));
    const failure = error.failures.find((f) => f.check === "subtotal" && f.row === "Total net revenue");
    expect(failure).toMatchObject({
      status: "fail",
      table: "Unaudited Condensed Consolidated Statements of Operations",
      period: "2023Q2",
      currency: "RMB",
    });
    expect(error.message).toContain("[subtotal]");
    expect(error.message).toContain('"Total net revenue" 2023Q2 RMB');
    expect(error.message).toContain("off by -1000");
  });

  test("a changed leaf figure breaks its total and its USD conversion", () => {
    const error = refusal(replaceCell(/^Funding costs\t/, 2, "165,325"));
    const checks = new Set(error.failures.map((f) => `${f.check}:${f.row}`));
    expect(checks).toContain("subtotal:Total operating costs and expenses");
    expect(checks).toContain("usd_conversion:Funding costs");
  });

  test("a deleted row is named with the row expected in its place", () => {
    const error = refusal(editLine(original, /^Referral services fees\t/, () => ""));
    expect(error.failures[0]).toMatchObject({ check: "table_rows", status: "fail" });
    expect(error.message).toContain('expected "Referral services fees", found "Other services fees"');
  });

  test("a duplicated row is refused", () => {
    const error = refusal(editLine(original, /^Funding costs\t/, (line) => `${line}\n${line}`));
    expect(error.message).toContain('expected "Sales and marketing", found "Funding costs"');
  });

  test("a truncated table is refused, naming the rows that are missing", () => {
    const cut = original.slice(0, original.indexOf("Net cash provided by financing activities"));
    const error = refusal(cut);
    expect(error.message).toContain("Unaudited Condensed Consolidated Statements of Cash Flows");
    expect(error.message).toMatch(/ends before "Net cash provided by financing activities"/);
  });

  test("a non-numeric cell is refused with its row and column", () => {
    const error = refusal(replaceCell(/^Short term loans\t/, 1, "15O,000"));
    expect(error.failures[0]?.check).toBe("table_layout");
    expect(error.message).toContain('row "Short term loans", column December 31, 2022 (RMB): "15O,000" is not a number');
  });

  test("swapped columns are refused (the USD column no longer converts, totals no longer add)", () => {
    const swapped = editLine(original, /^Loans receivable, net\t/, (line) => {
      const [label, a, b, c] = line.split("\t");
      return [label, b, a, c].join("\t");
    });
    const error = refusal(swapped);
    const failed = error.failures.map((f) => `${f.check}:${f.row}:${f.period}`);
    expect(failed).toContain("subtotal:Total current assets:2022-12-31");
    expect(failed).toContain("usd_conversion:Loans receivable, net:2023-06-30");
  });

  test("a narrative figure that disagrees with the table is refused", () => {
    const text = original.replace("Net income was RMB1,093.4 million (US\\$150.8 million), compared to RMB975.0 million in the same period of 2022 and RMB929.8", "Net income was RMB1,093.4 million (US\\$150.8 million), compared to RMB975.0 million in the same period of 2022 and RMB929.9");
    expect(text).not.toBe(original);
    const error = refusal(text);
    expect(error.failures).toHaveLength(1);
    expect(error.failures[0]).toMatchObject({ check: "derived_vs_narrative", period: "2023Q1", row: "Net income" });
    expect(error.message).toContain("the narrative states RMB929.9 million; the derived figure gives 929822000, which rounds to 929800000");
  });

  test("a stated growth rate that the figures cannot give is refused", () => {
    const text = original.replace("an increase of 22.6% from RMB150,490 million", "an increase of 23.6% from RMB150,490 million");
    const error = refusal(text);
    expect(error.failures).toEqual([expect.objectContaining({ check: "stated_ratio", row: "Total outstanding loan balance" })]);
  });

  test("a KPI sentence whose wording changed is refused rather than skipped", () => {
    const text = original.replace("Repeat borrower contribution^{*9} of loans", "Repeat borrower share^{*9} of loans");
    expect(refusal(text).message).toContain("no sentence states the repeat borrower contribution");
  });

  test("a copy of a figure that disagrees with the first is refused", () => {
    const lines = original.split("\n");
    const copies = lines.map((line, index) => (line.startsWith("Net income\t974,956") ? index : -1)).filter((i) => i >= 0);
    expect(copies).toHaveLength(3); // operations, comprehensive income, reconciliation
    lines[copies[2] as number] = "Net income\t974,956\t1,093,378\t150,782";
    const error = refusal(lines.join("\n"));
    expect(error.failures.find((f) => f.check === "repeated_figure")?.message).toContain("the copies disagree");
  });

  test("a release without the exchange-rate sentence is refused", () => {
    const text = original.replace("at a rate of RMB7.2513 to US\\$1.00", "at the stated rate");
    expect(refusal(text).message).toContain("The exchange rate sentence");
  });
});
